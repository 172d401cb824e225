"""Keyboard shortcuts: one table that both installs them and lists them in Help → Keyboard shortcuts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
)

from desktop.core.conversations.messages import Role
from desktop.core.i18n import translate
from desktop.ui.chat.controller import ChatController
from desktop.ui.chat.conversation_list import ConversationList
from desktop.ui.shell.main_window import MainWindow


def fixed_shortcuts() -> list[tuple[str, str]]:
    """(keys, what they do) in the order Help lists them; the page list is filled in from the window's tabs."""
    return [
        ("Enter", translate("ShortcutsDialog", "Send the message")),
        ("Shift+Enter", translate("ShortcutsDialog", "New line in the message")),
        ("Esc", translate("ShortcutsDialog", "Stop the reply (the text so far stays)")),
        ("Ctrl+N", translate("ShortcutsDialog", "New chat")),
        ("Ctrl+R", translate("ShortcutsDialog", "Regenerate the last reply")),
        ("Ctrl+F", translate("ShortcutsDialog", "Search the saved chats")),
        ("Ctrl+Shift+C", translate("ShortcutsDialog", "Copy the last reply")),
        ("Ctrl+O", translate("ShortcutsDialog", "Open a model file")),
        ("Tab / Shift+Tab", translate("ShortcutsDialog", "Move to the next / previous field (also out of the big "
                                                         "text boxes)")),
        ("Ctrl+Tab", translate("ShortcutsDialog", "Type a tab in a big text box")),
        ("Ctrl+Q", translate("ShortcutsDialog", "Quit")),
    ]


def page_shortcuts(pages: QTabWidget) -> list[tuple[str, str]]:
    return [(f"Ctrl+{n + 1}", translate("ShortcutsDialog", "Go to {page}").format(page=pages.tabText(n).replace(
        "&", ""))) for n in range(min(pages.count(), 9))]


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str]], parent: QMainWindow | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(translate("ShortcutsDialog", "Keyboard shortcuts"))
        self.table = QTableWidget(len(rows), 2)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels([translate("ShortcutsDialog", "Keys"),
                                              translate("ShortcutsDialog", "Does")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, does) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(QKeySequence(keys).toString(
                QKeySequence.SequenceFormat.NativeText) if "/" not in keys else keys))
            self.table.setItem(row, 1, QTableWidgetItem(does))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 460)


def install_shortcuts(window: QMainWindow, pages: QTabWidget, regenerate: Callable[[], None],
                      search_chats: Callable[[], None], copy_last_reply: Callable[[], None],
                      help_menu_action: QAction) -> None:
    """Ctrl+1…9 for the pages there are when pressed (pages may be added after this), and the chat's own;
    Help → Keyboard shortcuts lists them all."""
    for n in range(9):
        page = QShortcut(QKeySequence(f"Ctrl+{n + 1}"), window)
        page.activated.connect(lambda n=n: pages.setCurrentIndex(n) if n < pages.count() else None)
    for keys, action in (("Ctrl+R", regenerate), ("Ctrl+F", search_chats), ("Ctrl+Shift+C", copy_last_reply)):
        QShortcut(QKeySequence(keys), window).activated.connect(action)

    def show_list() -> None:
        fixed = fixed_shortcuts()
        ShortcutsDialog(fixed[:4] + page_shortcuts(pages) + fixed[4:], window).open()

    help_menu_action.triggered.connect(show_list)


def install_chat_shortcuts(window: MainWindow, controller: ChatController, conversations: ConversationList) -> None:
    """The window's shortcuts, wired to the chat: Ctrl+R regenerates, Ctrl+F searches the saved chats,
    Ctrl+Shift+C copies the last reply."""

    def regenerate() -> None:
        window.show_chat()
        if window.regenerate_button.isEnabled():
            window.regenerate_button.click()

    def search_chats() -> None:
        window.show_chat()
        conversations.search_box.setFocus()
        conversations.search_box.selectAll()

    def copy_last_reply() -> None:
        replies = [m.content for m in controller.conversation.messages if m.role == Role.ASSISTANT]
        if replies:
            QGuiApplication.clipboard().setText(replies[-1])
            window.statusBar().showMessage(translate("ShortcutsDialog", "Copied the last reply"), 3000)

    install_shortcuts(window, window.pages, regenerate, search_chats, copy_last_reply, window.shortcuts_action)
