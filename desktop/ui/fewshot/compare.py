"""Two saved runs side by side: which items one fixed or broke relative to the other, and whether that is more
than chance (McNemar's exact test on the items where they disagree)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.fewshot.scoring import EvalRun, ItemResult, item_key
from desktop.core.i18n import translate
from desktop.core.instruments.statistics import PairedComparison
from desktop.ui.fewshot.labels import rule_label
from desktop.ui.fewshot.results import FAIL_COLOUR, PASS_COLOUR, local_time
from desktop.ui.widgets import plain_label, plain_tip

CHANGED_COLUMNS = ("Line", "Input", "Expected", "A's output", "B's output", "Change")


def _describe(name: str, run: EvalRun) -> str:
    """run_label's line, with the rule named as the person reads it (the record keeps its English key)."""
    model = run.environment.get("model_file") or Path(run.model_path).name
    calibrated = translate("RunComparisonDialog", " (calibrated)") if run.calibration is not None else ""
    shot = translate("RunComparisonDialog", "{shots}-shot").format(shots=run.shots)
    label = f"{run.template_name} · {shot} · {rule_label(run.rule)}{calibrated} · {model}"
    return f"{name} ({local_time(run.started_at)}): {label} · {run.accuracy_text()}"


class RunComparisonDialog(QDialog):
    def __init__(self, a: EvalRun, b: EvalRun, comparison: PairedComparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runComparisonDialog")
        self.setWindowTitle(translate("RunComparisonDialog", "Compare two runs"))
        self.comparison = comparison
        self.a_label = self._label("comparisonA", _describe("A", a))
        self.b_label = self._label("comparisonB", _describe("B", b))
        self.verdict = self._label("comparisonVerdict", comparison.verdict())
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        font = self.verdict.font()
        font.setBold(True)
        self.verdict.setFont(font)
        agree = self._label("comparisonAgreement",
                            translate("RunComparisonDialog",
                                      "Both right on {right}, both wrong on {wrong}; only the items where "
                                      "they differ count as evidence.").format(right=comparison.both_right,
                                                                                wrong=comparison.both_wrong))

        self.table = QTableWidget(0, len(CHANGED_COLUMNS))
        self.table.setObjectName("changedItemsTable")
        self.table.setHorizontalHeaderLabels([
            translate("RunComparisonDialog", "Line"), translate("RunComparisonDialog", "Input"),
            translate("RunComparisonDialog", "Expected"), translate("RunComparisonDialog", "A's output"),
            translate("RunComparisonDialog", "B's output"), translate("RunComparisonDialog", "Change")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        self._fill(a, b)
        header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        for column, most in ((2, 160), (3, 200), (4, 200)):
            header.resizeSection(column, min(header.sectionSize(column), most))
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the input takes the spare width

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.a_label, self.b_label, self.verdict, agree):
            layout.addWidget(widget)
        layout.addWidget(QLabel(translate("RunComparisonDialog", "Items that changed between A and B:")))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(960, 520)

    def _label(self, name: str, text: str) -> QLabel:
        label = plain_label(text, name)  # run descriptions quote template names and labels from files
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _fill(self, a: EvalRun, b: EvalRun) -> None:
        by_key_a = {item_key(r.line): r for r in a.results}
        by_key_b = {item_key(r.line): r for r in b.results}
        changed = [(key, "fixed") for key in self.comparison.fixed]
        changed += [(key, "broken") for key in self.comparison.broken]
        changed.sort(key=lambda pair: by_key_a[pair[0]].line)
        for key, change in changed:
            self._add_row(by_key_a[key], by_key_b[key], change)

    def _add_row(self, a: ItemResult, b: ItemResult, change: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        shown = translate("RunComparisonDialog", "fixed") if change == "fixed" else translate("RunComparisonDialog",
                                                                                              "broken")
        cells = (str(a.line), a.input, a.expected, a.output, b.output, shown)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(plain_tip(translate("RunComparisonDialog",
                                                "{input}\nexpected: {expected}\nA: {a}\nB: {b}").format(
                input=a.input, expected=a.expected, a=a.output, b=b.output)))
            if column == len(cells) - 1:
                item.setBackground(QBrush(PASS_COLOUR if change == "fixed" else FAIL_COLOUR))
            self.table.setItem(row, column, item)

    def changed_rows(self) -> list[tuple[str, ...]]:
        """The table as text, for tests and scripts."""
        rows = []
        for row in range(self.table.rowCount()):
            items = (self.table.item(row, column) for column in range(self.table.columnCount()))
            rows.append(tuple(item.text() if item is not None else "" for item in items))
        return rows
