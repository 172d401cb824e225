"""Light or dark, following the system (Qt 6.5+ colour scheme), and the few colours Parley adds on top.

Parley's own colours (message bars, hints, pass/fail cells) are translucent tints over the palette, with the
palette's text colour, so one set reads well on both a light and a dark window.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

SCHEME_ENV = "PARLEY_COLOR_SCHEME"  # "dark" or "light" overrides the system's choice (and makes it testable)

ERROR_TEXT = "#e0444f"  # a red that reads on white and on dark grey alike

# kind -> (r, g, b): the tint of a bar's background and border
TINTS = {
    "error": (220, 53, 69),
    "info": (37, 99, 235),
    "warning": (234, 179, 8),
    "success": (40, 167, 69),
}


def wants_dark(app: QApplication) -> bool:
    chosen = os.environ.get(SCHEME_ENV, "").strip().lower()
    if chosen in ("dark", "light"):
        return chosen == "dark"
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    """Fusion's roles in dark greys, with a blue highlight and readable links."""
    p = QPalette()
    window, base, text = QColor(37, 38, 41), QColor(28, 29, 32), QColor(230, 230, 230)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, text)
        p.setColor(group, QPalette.ColorRole.Base, base)
        p.setColor(group, QPalette.ColorRole.AlternateBase, QColor(44, 45, 49))
        p.setColor(group, QPalette.ColorRole.Text, text)
        p.setColor(group, QPalette.ColorRole.Button, QColor(50, 51, 55))
        p.setColor(group, QPalette.ColorRole.ButtonText, text)
        p.setColor(group, QPalette.ColorRole.ToolTipBase, QColor(50, 51, 55))
        p.setColor(group, QPalette.ColorRole.ToolTipText, text)
        p.setColor(group, QPalette.ColorRole.Highlight, QColor(47, 111, 214))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
        p.setColor(group, QPalette.ColorRole.Link, QColor(110, 168, 254))
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(150, 150, 155))
        p.setColor(group, QPalette.ColorRole.Mid, QColor(70, 71, 76))
        p.setColor(group, QPalette.ColorRole.Midlight, QColor(60, 61, 66))
        p.setColor(group, QPalette.ColorRole.Light, QColor(80, 81, 86))
        p.setColor(group, QPalette.ColorRole.Dark, QColor(20, 20, 22))
        p.setColor(group, QPalette.ColorRole.Shadow, QColor(0, 0, 0))
    disabled = QColor(125, 125, 130)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, QColor(45, 46, 50))
    return p


def follow_color_scheme(app: QApplication) -> None:
    """Apply the system's scheme now and whenever it changes. Dark uses Fusion, whose drawing follows the palette
    on every platform; light keeps the platform's own style."""
    native = app.style().name()

    def apply() -> None:
        if wants_dark(app):
            app.setStyle("Fusion")
            app.setPalette(dark_palette())
        else:
            app.setStyle(native)
            app.setPalette(app.style().standardPalette())

    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply())
    apply()


def is_dark(widget: QWidget | None = None) -> bool:
    palette = widget.palette() if widget is not None else QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def bar_style(selector: str, kind: str = "info", padding: str = "6px") -> str:
    """A message bar or hint: a translucent tint of `kind`, in the palette's own text colour."""
    r, g, b = TINTS[kind]
    return (f"{selector} {{ background: rgba({r}, {g}, {b}, 0.16); border: 1px solid rgba({r}, {g}, {b}, 0.45);"
            f" border-radius: 6px; padding: {padding}; color: palette(window-text); }}")


def tint(kind: str, alpha: int = 70) -> QColor:
    """A cell or chart background that reads on light and dark bases alike."""
    return QColor(*TINTS[kind], alpha)
