"""Small widget helpers shared by the pages."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton


def named_button(name: str, text: str, tip: str) -> QPushButton:
    """A push button with the objectName tests and scripts find it by, and a tooltip in plain words."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button
