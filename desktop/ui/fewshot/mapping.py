"""Which file column is the input, which the expected answer, which fills each extra template variable."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QWidget

from desktop.core.fewshot.dataset import ColumnMapping, Dataset, guess_mapping, read_table
from desktop.core.i18n import translate
from desktop.ui.theme import ERROR_TEXT
from desktop.ui.widgets import plain_label


class ColumnMappingDialog(QDialog):
    """Prefilled by guess_mapping, so a well-named file is one click; a badly named one is still usable."""

    def __init__(self, file_name: str, columns: Sequence[str], variables: Sequence[str], need_expected: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnMappingDialog")
        self.setWindowTitle(translate("ColumnMappingDialog", "Columns of {file}").format(file=file_name))
        guess = guess_mapping(columns)
        self._need_expected = need_expected
        self.input_combo = self._combo("mappingInputCombo", columns, guess.input, optional=False)
        # Optional even where answers are needed: a file without them then gets the caller's clear message.
        self.expected_combo = self._combo("mappingExpectedCombo", columns, guess.expected, optional=True)
        form = QFormLayout(self)
        note = plain_label(translate("ColumnMappingDialog",
                                     "Choose which columns of {file} hold what.").format(file=file_name))
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(translate("ColumnMappingDialog", "Input"), self.input_combo)
        form.addRow(translate("ColumnMappingDialog", "Expected output"), self.expected_combo)
        self.extra_combos: dict[str, QComboBox] = {}
        for name in variables:
            if name == "input":
                continue
            chosen = guess.extra.get(name) or (name if name in columns else None)
            combo = self._combo(f"mappingVariable_{name}", columns, chosen, optional=True)
            self.extra_combos[name] = combo
            form.addRow(translate("ColumnMappingDialog", "Variable {{{name}}}").format(name=name), combo)
        self.problem = plain_label(name="mappingProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_TEXT};")
        self.problem.hide()
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:  # Qt override: the input cannot also be the answer
        chosen = self.mapping()
        if chosen.expected is not None and chosen.expected == chosen.input:
            self.problem.setText(translate("ColumnMappingDialog",
                                           "“{column}” cannot be both the input and the expected output. "
                                           "Choose the column that holds the answers, or (none).").format(
                column=chosen.input))
            self.problem.show()
            return
        super().accept()

    @staticmethod
    def _combo(name: str, columns: Sequence[str], chosen: str | None, optional: bool) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        if optional:
            combo.addItem(translate("ColumnMappingDialog", "(none)"), None)
        for column in columns:
            combo.addItem(column, column)
        if chosen is not None and combo.findData(chosen) >= 0:
            combo.setCurrentIndex(combo.findData(chosen))
        return combo

    def mapping(self) -> ColumnMapping:
        extra = {name: combo.currentData() for name, combo in self.extra_combos.items() if combo.currentData()}
        return ColumnMapping(input=self.input_combo.currentData(), expected=self.expected_combo.currentData(),
                             extra=extra)


def read_mapped(path: Path, mapping: ColumnMapping | None, variables: Sequence[str],
                parent: QWidget | None = None) -> tuple[Dataset, ColumnMapping] | None:
    """Read a data file and settle its columns, asking only when no mapping is given; None when cancelled.

    Raises DataError (naming the file and line) for the caller to show.
    """
    dataset = read_table(Path(path))
    if mapping is None:
        dialog = ColumnMappingDialog(Path(path).name, dataset.columns, variables, True, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        mapping = dialog.mapping()
    return dataset, mapping
