"""The suite's own guard: a QTimer a test leaves ticking is found (and stopped); one owned by a deleted widget is
not, so closing the test's widgets is enough."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import dangling


def test_a_ticking_timer_is_found_and_stopped(qtbot: QtBot) -> None:
    timer = QTimer()
    timer.start(1000)
    assert dangling([timer]) == (["parentless timer"], 0)
    assert not timer.isActive()


def test_a_timer_of_a_deleted_widget_is_not(qtbot: QtBot) -> None:
    widget = QWidget()
    timer = QTimer(widget)
    timer.start(1000)
    widget.deleteLater()
    assert dangling([timer]) == ([], 0)
