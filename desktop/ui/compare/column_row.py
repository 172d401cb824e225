"""The Compare page's columns side by side: two to four, lettered left to right, offered the same models, and
following the shared seed until given a seed of their own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from desktop.core.instruments.experiment import MIN_COLUMNS, ColumnResult, CompareConfig
from desktop.core.prompting.sampling import SamplingParams
from desktop.ui.compare.column import CompareColumn


class ColumnRow(QObject):
    """Holds the columns and the layout they sit in; the page decides when a column may come or go."""

    removeRequested = Signal(object)  # the CompareColumn whose Remove was pressed
    edited = Signal()  # a column's settings were changed by hand

    def __init__(self, defaults: Callable[[], SamplingParams], seed: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.columns: list[CompareColumn] = []
        self.box = QHBoxLayout()
        self.box.setSpacing(8)
        self._defaults = defaults  # where a new column's settings start
        self._seed = seed  # the shared seed: columns still on it follow when it changes
        self._window = parent

    def add(self) -> CompareColumn:
        column = CompareColumn(len(self.columns), self._defaults(), self._window)
        column.removeRequested.connect(self.removeRequested)
        column.edited.connect(self.edited)
        self.columns.append(column)
        self.box.addWidget(column, 1)
        return column

    def remove(self, column: CompareColumn) -> None:
        """Takes the column away; the ones right of it move up a letter."""
        self.columns.remove(column)
        self.box.removeWidget(column)
        column.deleteLater()
        for i, remaining in enumerate(self.columns):
            remaining.set_index(i)

    def set_count(self, count: int) -> None:
        """Adds or drops columns at the right end, never below the minimum."""
        while len(self.columns) < count:
            self.add()
        while len(self.columns) > max(count, MIN_COLUMNS):
            column = self.columns.pop()
            self.box.removeWidget(column)
            column.deleteLater()

    def follow_seed(self, value: int) -> None:
        """Columns still on the old shared seed follow it; a column given its own seed keeps it."""
        for column in self.columns:
            if column.seed.value() == self._seed:
                column.seed.setValue(value)
        self._seed = value

    def set_models(self, current_name: str, paths: list[Path]) -> None:
        for column in self.columns:
            column.set_models(current_name, paths)

    def set_params(self, params: SamplingParams) -> None:
        for column in self.columns:
            column.set_params(params)

    def set_configs(self, configs: Sequence[CompareConfig]) -> None:
        for column, config in zip(self.columns, configs, strict=False):
            column.set_config(config)

    def show_saved(self, configs: Sequence[CompareConfig], results: Sequence[ColumnResult | None]) -> None:
        """A saved experiment's settings and outputs; columns beyond it are left empty."""
        for column, config, result in zip(self.columns, configs, results, strict=False):
            column.set_config(config)
            column.clear_output()
            column.show_result(result)
        for column in self.columns[len(configs):]:
            column.clear_output()

    def set_editable(self, editable: bool) -> None:
        for column in self.columns:
            column.set_editable(editable)
            column.remove_button.setEnabled(editable and len(self.columns) > MIN_COLUMNS)
