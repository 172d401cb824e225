"""Dark and light: Parley follows the system's colour scheme, and its own bars read on both."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop.ui.theme import SCHEME_ENV, bar_style, follow_color_scheme, is_dark


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    style, palette = qapp.style().name(), QPalette(qapp.palette())
    yield qapp
    qapp.setStyle(style)
    qapp.setPalette(palette)


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_palette_follows_the_scheme(app: QApplication, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                        scheme: str) -> None:
    monkeypatch.setenv(SCHEME_ENV, scheme)
    follow_color_scheme(app)
    label = QLabel("text")
    qtbot.addWidget(label)
    assert is_dark(label) == (scheme == "dark")
    text = label.palette().color(QPalette.ColorRole.WindowText)
    window = label.palette().color(QPalette.ColorRole.Window)
    assert abs(text.lightness() - window.lightness()) > 120  # readable either way


def test_bars_take_the_palettes_text_colour() -> None:
    style = bar_style("#x", "error")
    assert "palette(window-text)" in style and "rgba(" in style and "#222" not in style
