"""One column of the Compare page: a configuration on top, what it produced underneath."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.i18n import translate
from desktop.core.instruments.experiment import ColumnResult, CompareConfig
from desktop.core.prompting.sampling import RANGES, SamplingParams
from desktop.ui.compare.runner import STOPPED, model_name
from desktop.ui.sampling.panel import TIPS
from desktop.ui.theme import ERROR_TEXT
from desktop.ui.widgets import plain_label, plain_tip

LETTERS = "ABCD"
CURRENT = ""  # the model combo's data for "the chat's current model"


def column_letter(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


class CompareColumn(QFrame):
    """Settings that differ per column; min-p and repeat penalty come from the chat and are kept as they are."""

    removeRequested = Signal(object)  # this column
    edited = Signal()

    def __init__(self, index: int, params: SamplingParams, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._index = index
        self._base = params
        self._applying = False
        self._text_parts: list[str] = []

        self.label = QLineEdit(column_letter(index))
        self.label.setMaxLength(40)
        self.label.setToolTip(translate("CompareColumn",
                                        "A short name for this configuration, kept in saved experiments."))
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setToolTip(translate("CompareColumn", "Remove this configuration"))
        self.model_combo = QComboBox()
        self.model_combo.setToolTip(translate("CompareColumn",
                                              "The model this column runs. Another model is loaded for this "
                                              "column only; the chat's model is loaded again after the run."))
        self.model_combo.addItem(translate("CompareColumn", "Current model"), CURRENT)
        self.system = QLineEdit()
        self.system.setPlaceholderText(translate("CompareColumn", "System prompt (optional)"))
        self.temperature = self._float_spin("temperature", 2, 0.05)
        self.top_p = self._float_spin("top_p", 2, 0.01)
        self.top_k = self._int_spin("top_k")
        self.top_k.setSpecialValueText(translate("CompareColumn", "Off"))
        self.seed = self._int_spin("seed")
        self.seed.setSpecialValueText(translate("CompareColumn", "Random"))
        self.max_tokens = self._int_spin("max_tokens")
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setPlaceholderText(translate("CompareColumn", "The output appears here."))
        self.stats = plain_label()
        self.stats.setWordWrap(True)

        header = QHBoxLayout()
        header.addWidget(self.label, 1)
        header.addWidget(self.remove_button)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        for n, (text, widget) in enumerate(((translate("CompareColumn", "Temp"), self.temperature), ("Top-p",
                                                                                                     self.top_p),
                                            ("Top-k", self.top_k), (translate("CompareColumn", "Seed"), self.seed),
                                            (translate("CompareColumn", "Max tokens"), self.max_tokens))):
            grid.addWidget(QLabel(text), n // 2, (n % 2) * 2)
            grid.addWidget(widget, n // 2, (n % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.model_combo)
        layout.addWidget(self.system)
        layout.addLayout(grid)
        layout.addWidget(self.output, 1)
        layout.addWidget(self.stats)

        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self))
        for signal in (self.temperature.valueChanged, self.top_p.valueChanged, self.top_k.valueChanged,
                       self.seed.valueChanged, self.max_tokens.valueChanged, self.system.textEdited,
                       self.label.textEdited, self.model_combo.activated):
            signal.connect(self._changed)
        self.set_params(params)
        self.set_index(index)

    @staticmethod
    def _float_spin(key: str, decimals: int, step: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(RANGES[key].low, RANGES[key].high)
        spin.setDecimals(decimals)
        spin.setSingleStep(step)
        spin.setToolTip(TIPS[key])
        spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        return spin

    @staticmethod
    def _int_spin(key: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(int(RANGES[key].low), int(RANGES[key].high))
        spin.setToolTip(TIPS[key])
        spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        return spin

    def _changed(self, *_args: object) -> None:
        if not self._applying:
            self.edited.emit()

    # --- identity ----------------------------------------------------------------------------------------

    @property
    def index(self) -> int:
        return self._index

    def set_index(self, index: int) -> None:
        """Columns are renumbered when one is removed, so names stay compareColumn0..n-1."""
        if self.label.text() in ("", column_letter(self._index)):
            self.label.setText(column_letter(index))
        self._index = index
        names = {self: "compareColumn", self.label: "compareLabel", self.remove_button: "compareRemove",
                 self.model_combo: "compareModel", self.system: "compareSystem", self.temperature: "compareTemperature",
                 self.top_p: "compareTopP", self.top_k: "compareTopK", self.seed: "compareSeed",
                 self.max_tokens: "compareMaxTokens", self.output: "compareOutput", self.stats: "compareStats"}
        for widget, name in names.items():
            widget.setObjectName(f"{name}{index}")

    # --- configuration ------------------------------------------------------------------------------------

    def set_models(self, current_name: str, paths: list[Path]) -> None:
        """Current model first, then the library; a chosen model that left the library stays selectable."""
        combo = self.model_combo
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        current = translate("CompareColumn",
                            "Current model ({name})").format(name=current_name) if current_name else None
        combo.addItem(current or translate("CompareColumn", "Current model"), CURRENT)
        for path in paths:
            combo.addItem(model_name(path), str(path))
            combo.setItemData(combo.count() - 1, plain_tip(str(path)), Qt.ItemDataRole.ToolTipRole)
        self._select_model(chosen)
        combo.blockSignals(False)

    def _select_model(self, path: str | None) -> None:
        combo = self.model_combo
        if not path:
            combo.setCurrentIndex(0)
            return
        found = combo.findData(path)
        if found < 0:
            combo.addItem(translate("CompareColumn", "{model} (not in the library)").format(model=model_name(path)),
                          path)
            combo.setItemData(combo.count() - 1, plain_tip(path), Qt.ItemDataRole.ToolTipRole)
            found = combo.count() - 1
        combo.setCurrentIndex(found)

    def set_params(self, params: SamplingParams) -> None:
        self._applying = True
        try:
            self._base = params
            self.temperature.setValue(params.temperature)
            self.top_p.setValue(params.top_p)
            self.top_k.setValue(params.top_k)
            self.seed.setValue(params.seed)
            self.max_tokens.setValue(params.max_tokens)
        finally:
            self._applying = False

    def set_config(self, config: CompareConfig) -> None:
        self._applying = True
        try:
            self.label.setText(config.label or column_letter(self._index))
            self.system.setText(config.system_prompt)
            self.model_combo.blockSignals(True)
            self._select_model(config.model)
            self.model_combo.blockSignals(False)
        finally:
            self._applying = False
        self.set_params(config.params)

    def params(self) -> SamplingParams:
        return self._base.with_changes(
            temperature=round(self.temperature.value(), 2), top_p=round(self.top_p.value(), 2),
            top_k=self.top_k.value(), seed=self.seed.value(), max_tokens=self.max_tokens.value())

    def config(self) -> CompareConfig:
        model = self.model_combo.currentData()
        return CompareConfig(self.label.text().strip() or column_letter(self._index),
                             model or None, self.system.text(), self.params())

    def set_editable(self, editable: bool) -> None:
        for widget in (self.label, self.model_combo, self.system, self.temperature, self.top_p, self.top_k,
                       self.seed, self.max_tokens):
            widget.setEnabled(editable)

    # --- output --------------------------------------------------------------------------------------------

    def clear_output(self) -> None:
        self.output.clear()
        self.show_status("")

    def append(self, text: str) -> None:
        cursor = self.output.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.output.ensureCursorVisible()

    def text(self) -> str:
        return self.output.toPlainText()

    def show_status(self, text: str, error: bool = False) -> None:
        self.stats.setStyleSheet(f"color: {ERROR_TEXT};" if error else "")
        self.stats.setText(text)

    def show_result(self, result: ColumnResult | None) -> None:
        """A finished column, or one reopened from a saved experiment (None: it never ran)."""
        if result is None:
            self.show_status(translate("CompareColumn", "Not run"))
            return
        if self.output.toPlainText() != result.text:
            self.output.setPlainText(result.text)
        stopped = result.error == STOPPED  # recorded in English in saved experiments
        self.show_status(translate("CompareColumn", "Not run: stopped") if stopped else result.summary(),
                         error=bool(result.error))

