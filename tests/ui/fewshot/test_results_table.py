"""The results table keeps the inputs readable in a small window: the table scrolls sideways instead."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from desktop.ui.fewshot.batch import INPUT_MIN_WIDTH, ResultsTable


def test_the_input_column_stretches_but_never_below_its_minimum(qtbot: QtBot) -> None:
    model = QStandardItemModel(3, 8)
    for row in range(3):
        for column in range(8):
            model.setItem(row, column, QStandardItem("a fairly long cell of text" if column else "x"))
    table = ResultsTable()
    qtbot.addWidget(table)
    table.setModel(model)
    header = table.horizontalHeader()
    for column in range(8):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    table.input_column = 1
    table.resize(500, 300)
    table.show()
    qtbot.waitExposed(table)
    assert header.sectionSize(1) == INPUT_MIN_WIDTH and table.horizontalScrollBar().maximum() > 0
    table.resize(3000, 300)
    qtbot.waitUntil(lambda: header.sectionResizeMode(1) == QHeaderView.ResizeMode.Stretch)
    assert header.sectionSize(1) > INPUT_MIN_WIDTH and table.horizontalScrollBar().maximum() == 0
