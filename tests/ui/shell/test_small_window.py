"""At 1024×640 nothing clips: every page fits, and every button on them shows its whole label."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.app import create_window
from tests.fakes import FakeBackend


def test_every_page_fits_a_1024_by_640_window_with_whole_button_labels(qtbot: QtBot, data_dir: Path) -> None:
    window = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(window.window)
    window.window.resize(1024, 640)
    window.window.show()
    qtbot.waitUntil(lambda: window.controller.model is not None)
    hint = window.window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 640, hint
    for index in range(window.window.pages.count()):
        window.window.pages.setCurrentIndex(index)
        qtbot.wait(50)
        assert window.window.width() <= 1024, window.window.pages.tabText(index)
        page = window.window.pages.widget(index)
        squeezed = [b.text() for b in page.findChildren(QPushButton)
                    if b.isVisible() and b.width() < b.fontMetrics().horizontalAdvance(b.text().replace("&", "")) + 8]
        assert squeezed == [], (window.window.pages.tabText(index), squeezed)
    window.window.close()
