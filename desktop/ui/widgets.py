"""Small widget helpers shared by the pages.

Qt guesses whether a label's or a tooltip's text is HTML, and renders it (loading any images it names) when it
looks like it. Text from a model, a file or a server goes through `plain_label` or `plain_tip`, never straight in.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel, QMessageBox, QPlainTextEdit, QPushButton, QScrollArea, QWidget


def named_button(name: str, text: str, tip: str) -> QPushButton:
    """A push button with the objectName tests and scripts find it by, and a tooltip in plain words."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button


def fit_label(*buttons: QPushButton) -> None:
    """As narrow as each label needs, not the style's 80-pixel floor: rows of short buttons fit small windows."""
    for button in buttons:
        text = button.text().replace("&", "")
        button.setMinimumWidth(button.fontMetrics().horizontalAdvance(text) + button.fontMetrics().height() + 8)


def plain_label(text: str = "", name: str = "") -> QLabel:
    """A label that shows its text as it is, whatever it contains."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


def plain_tip(text: str) -> str:
    """A tooltip that shows `text` as it is: escaped into the rich text Qt would otherwise guess at."""
    return str(QtGui.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)) if text else ""


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A Yes/Cancel question whose text (which may quote a file's name) is shown as it is; Cancel by default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


class _CtrlTabInserts(QObject):
    """Ctrl+Tab types a tab into the box whose Tab key moves the focus on."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if (isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and isinstance(watched, QPlainTextEdit) and event.key() == Qt.Key.Key_Tab
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
            watched.insertPlainText("\t")
            return True
        return False


def tab_moves_focus(edit: QPlainTextEdit) -> QPlainTextEdit:
    """Tab leaves the box, as in every form, so no stray tab reaches the model; Ctrl+Tab still types one."""
    edit.setTabChangesFocus(True)
    edit.installEventFilter(_CtrlTabInserts(edit))
    return edit


def scrolls_down(content: QWidget) -> QScrollArea:
    """`content` in a scroll area that scrolls down, never sideways, and is at least as wide as the content needs
    (so a splitter keeps every button's label whole)."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(content)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    content.installEventFilter(_FollowsMinimumWidth(scroll))
    _FollowsMinimumWidth.fit(scroll, content)
    return scroll


class _FollowsMinimumWidth(QObject):
    """Keeps a scroll area as wide as its content's minimum, as that changes (a table filled, a row shown)."""

    def __init__(self, scroll: QScrollArea) -> None:
        super().__init__(scroll)
        self.scroll = scroll

    @staticmethod
    def fit(scroll: QScrollArea, content: QWidget) -> None:
        scroll.setMinimumWidth(content.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
                               + 2 * scroll.frameWidth())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.LayoutRequest and isinstance(watched, QWidget):
            self.fit(self.scroll, watched)
        return False
