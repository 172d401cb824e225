"""The few-shot examples as an editable table: on/off, input, output, token cost, extra variables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from desktop.core.fewshot.template import Example, FewShotError, FewShotTemplate, RenderMode, example_values
from desktop.core.i18n import translate

ON, INPUT, OUTPUT, TOKENS = range(4)
BASE_COLUMNS = ("On", "Input", "Output", "Tokens")


def example_text(template: FewShotTemplate, example: Example) -> str | None:
    """The text one example adds to the prompt, so its Tokens cell says what keeping it costs.

    In chat mode the chat template's own markers come on top; the cell counts the example's words only.
    """
    try:
        query = template.query_text(example_values(example))
    except FewShotError:
        return None
    if template.mode is RenderMode.CHAT:
        return f"{query}\n{example.output}"

    def labelled(label: str, text: str) -> str:
        return f"{label} {text}" if label else text

    return f"{labelled(template.input_label, query)}\n{labelled(template.output_label, example.output)}"


class ExamplesModel(QAbstractTableModel):
    """Owns the example list while it is edited; views and buttons only call its methods.

    `edited` fires on changes the person makes (not on token counts arriving), so the preview
    refreshes only when the prompt can have changed. Token costs are asked of `ask_count(text)`; the answer comes
    back through `tokens_counted(text, count)`.
    """

    edited = Signal()

    def __init__(self, ask_count: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._examples: list[Example] = []
        self._variables: list[str] = []  # template variables other than "input", in order
        self._ask_count = ask_count
        self._render: Callable[[Example], str | None] = lambda _e: None
        self._token_cache: dict[str, int] = {}
        self._pending: set[str] = set()  # texts asked for and not answered yet

    # --- content ------------------------------------------------------------------

    def set_examples(self, examples: list[Example]) -> None:
        self.beginResetModel()
        self._examples = [replace(e, variables=dict(e.variables)) for e in examples]
        self.endResetModel()
        self.refresh_tokens()
        self.edited.emit()

    def examples(self) -> list[Example]:
        return [replace(e, variables=dict(e.variables)) for e in self._examples]

    def table(self) -> tuple[list[str], list[dict[str, str]]]:
        """Columns and rows for exporting: the same shape import reads back with the guessed mapping."""
        extra = self.extra_columns()
        rows = [{"input": e.input, "output": e.output, **{n: e.variables.get(n, "") for n in extra}}
                for e in self._examples]
        return ["input", "output", *extra], rows

    def extra_columns(self) -> list[str]:
        """Template variables first, then any other variable the examples carry (nothing imported is hidden)."""
        names = list(self._variables)
        for example in self._examples:
            names += [n for n in example.variables if n not in names]
        return names

    def set_variables(self, names: list[str]) -> None:
        names = [n for n in names if n != "input"]
        if names == self._variables:
            return
        self.beginResetModel()
        self._variables = names
        self.endResetModel()

    def add_example(self, example: Example | None = None) -> int:
        row = len(self._examples)
        self.beginInsertRows(QModelIndex(), row, row)
        self._examples.append(example or Example("", ""))
        self.endInsertRows()
        self.refresh_tokens()
        self.edited.emit()
        return row

    def append_examples(self, examples: list[Example]) -> None:
        if not examples:
            return
        self.beginResetModel()
        self._examples += examples
        self.endResetModel()
        self.refresh_tokens()
        self.edited.emit()

    def remove_example(self, row: int) -> None:
        if not 0 <= row < len(self._examples):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._examples[row]
        self.endRemoveRows()
        self.edited.emit()

    def move_example(self, row: int, delta: int) -> int:
        """Move a row up (-1) or down (+1); returns where it ended up. Order matters to small models."""
        target = row + delta
        if not (0 <= row < len(self._examples) and 0 <= target < len(self._examples)):
            return row
        destination = target + 1 if delta > 0 else target  # Qt counts the destination before the move
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._examples.insert(target, self._examples.pop(row))
        self.endMoveRows()
        self.edited.emit()
        return target

    def set_enabled(self, row: int, enabled: bool) -> None:
        self.setData(self.index(row, ON), (Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked).value,
                     Qt.ItemDataRole.CheckStateRole)

    def enabled_count(self) -> int:
        return sum(1 for e in self._examples if e.enabled)

    # --- token costs ------------------------------------------------------------------

    def set_renderer(self, render: Callable[[Example], str | None]) -> None:
        """How an example reads in the prompt, which depends on the labels and query template."""
        self._render = render
        self.refresh_tokens()

    def clear_token_cache(self) -> None:
        """A different model has a different tokenizer: every count must be asked again."""
        self._token_cache.clear()
        self._pending.clear()
        self.refresh_tokens()

    def refresh_tokens(self) -> None:
        for example in self._examples:
            text = self._render(example)
            if text is not None and text not in self._token_cache and text not in self._pending:
                self._pending.add(text)
                self._ask_count(text)
        self._tokens_changed()

    def tokens_counted(self, text: str, count: int) -> None:
        """An answer to ask_count. Counts run in the order asked, behind any model load queued before them, so an
        answer that arrives after the cache was cleared already comes from the new model."""
        if text in self._pending:
            self._pending.discard(text)
            self._token_cache[text] = count
            self._tokens_changed()

    def _tokens_changed(self) -> None:
        if self._examples:
            self.dataChanged.emit(self.index(0, TOKENS), self.index(len(self._examples) - 1, TOKENS))

    def _tokens(self, example: Example) -> str:
        text = self._render(example)
        if text is None:
            return "—"
        count = self._token_cache.get(text)
        if count is None:
            return "…"
        return str(count) if count >= 0 else "?"

    # --- Qt model ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._examples)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(BASE_COLUMNS) + len(self.extra_columns())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        if section < len(BASE_COLUMNS):
            return (translate("ExamplesModel", "On"), translate("ExamplesModel", "Input"),
                    translate("ExamplesModel", "Output"), translate("ExamplesModel", "Tokens"))[section]
        return self.extra_columns()[section - len(BASE_COLUMNS)]  # template variable names

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == ON:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == TOKENS:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        example = self._examples[index.row()]
        column = index.column()
        if column == ON:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if example.enabled else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.ToolTipRole:
                return translate("ExamplesModel", "Include this example in the prompt")
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == TOKENS:
            return translate("ExamplesModel",
                             "Tokens this example adds to every prompt (the chat template's markers come on top)")
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if column == INPUT:
            return example.input
        if column == OUTPUT:
            return example.output
        if column == TOKENS:
            return self._tokens(example)
        return example.variables.get(self.extra_columns()[column - len(BASE_COLUMNS)], "")

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        example = self._examples[index.row()]
        column = index.column()
        if column == ON and role == Qt.ItemDataRole.CheckStateRole:
            example.enabled = Qt.CheckState(value) == Qt.CheckState.Checked
        elif column in (INPUT, OUTPUT) and role == Qt.ItemDataRole.EditRole:
            if column == INPUT:
                example.input = str(value)
            else:
                example.output = str(value)
        elif column > TOKENS and role == Qt.ItemDataRole.EditRole:
            example.variables[self.extra_columns()[column - len(BASE_COLUMNS)]] = str(value)
        else:
            return False
        self.dataChanged.emit(index, index)
        self.refresh_tokens()
        self.edited.emit()
        return True
