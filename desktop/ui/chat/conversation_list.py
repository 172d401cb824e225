"""The chat sidebar: every saved conversation, full-text search over all of them, rename, pin and undoable delete
(the button or the Delete key).

The store is the only source of truth: every action writes to it and the list is reloaded from it, so the sidebar
never shows a title or an order that a restart would not show too.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.conversations.store import ChatStore, ConversationInfo, SearchHit, StoreError
from desktop.core.i18n import translate
from desktop.ui.chat.conversation_rows import (
    HIT_ROLE,
    ID_ROLE,
    INDENT_ROLE,
    PINNED_ROLE,
    SNIPPET_ROLE,
    TITLE_ROLE,
    WHEN_ROLE,
    RowDelegate,
    html_snippet,
    pin_icon,
    plain_snippet,
    relative_time,
)
from desktop.ui.widgets import fit_label, named_button, plain_label, plain_tip

__all__ = ["HIT_ROLE", "ID_ROLE", "SNIPPET_ROLE", "ConversationList", "html_snippet", "relative_time"]

SEARCH_DELAY_MS = 200  # one query per pause in typing, not per key
SEARCH_HITS = 200  # matching messages asked for; shown as one row per conversation
UNDO_MS = 10_000
def read_only_tip() -> str:
    return translate("ConversationList",
                     "These chats were saved by a newer version of Parley, so this version cannot change them.")


class ConversationList(QWidget):
    """Thin view over ChatStore; StoreErrors become a message under the list, never an exception."""

    conversationActivated = Signal(int)
    newRequested = Signal()
    conversationDeleted = Signal(int)
    conversationRestored = Signal(int)  # Undo brought it back

    def __init__(self, store: ChatStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationList")
        self._store = store
        self._current: int | None = None
        self._deleted: int | None = None
        self._quiet = False  # set while the code (not the person) changes the list

        self.search_box = QLineEdit()
        self.search_box.setObjectName("conversationSearch")
        self.search_box.setPlaceholderText(translate("ConversationList", "Search all chats"))
        self.search_box.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._reload)
        self.search_box.textChanged.connect(self._search_changed)

        self.items = QListWidget()
        self.items.setObjectName("conversationItems")
        self.items.setItemDelegate(RowDelegate(self.items))
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.items.setWordWrap(True)
        self.items.currentItemChanged.connect(self._current_changed)
        self.items.itemChanged.connect(self._item_edited)
        self.items.installEventFilter(self)  # the Delete key

        self.new_button = named_button("newConversationButton", translate("ConversationList", "New chat"),
                                       translate("ConversationList", "Start a new conversation"))
        self.pin_button = named_button("pinConversationButton", translate("ConversationList", "Pin"),
                                       translate("ConversationList", "Keep the selected chat at the top"))
        self.rename_button = named_button("renameConversationButton", translate("ConversationList", "Rename"),
                                          translate("ConversationList", "Rename the selected chat (F2)"))
        self.delete_button = named_button("deleteConversationButton", translate("ConversationList", "Delete"),
                                          translate("ConversationList", "Delete the selected chat"))
        fit_label(self.pin_button, self.rename_button, self.delete_button)
        self.new_button.clicked.connect(self.newRequested)
        self.pin_button.clicked.connect(lambda: self._on_selected(self.toggle_pin))
        self.rename_button.clicked.connect(self._edit_selected)
        self.delete_button.clicked.connect(lambda: self._on_selected(self.delete))
        if store.read_only:
            for button in (self.pin_button, self.rename_button, self.delete_button):
                button.setEnabled(False)
                button.setToolTip(read_only_tip())

        self.undo_bar = QWidget()
        self.undo_bar.setObjectName("undoBar")
        self.undo_label = plain_label()  # quotes the chat's title
        self.undo_button = named_button("undoDeleteButton", translate("ConversationList", "Undo"),
                                        translate("ConversationList", "Bring the deleted chat back"))
        self.undo_button.clicked.connect(self.undo_delete)
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()
        self._undo_timer = QTimer(self, singleShot=True, interval=UNDO_MS)
        self._undo_timer.timeout.connect(self._hide_undo)  # the deletion stays soft; purging is a later cleanup

        self.message = plain_label(name="conversationMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        actions = QHBoxLayout()
        for button in (self.pin_button, self.rename_button, self.delete_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search_box)
        layout.addWidget(self.items, 1)
        layout.addLayout(actions)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.message)
        self.refresh()

    # Public API

    def refresh(self, select: int | None = None) -> None:
        """Reload from the store (search hits while the search box has text); keeps or moves the highlight."""
        if select is not None:
            self._current = select
        self._reload()

    def current_id(self) -> int | None:
        return self._current

    def set_current(self, conversation_id: int | None) -> None:
        """The main window opened this conversation itself (new chat, start-up): highlight it, emit nothing."""
        self._current = conversation_id
        self._highlight()

    def start_new(self) -> None:
        """New chat: nothing highlighted, and the old search (with its highlighted matches) cleared."""
        self._search_timer.stop()
        self._current = None
        if self.search_box.text():
            self.search_box.clear()  # reloads the whole list at once
        self._highlight()
        self._update_pin_text()

    def rename(self, conversation_id: int, title: str) -> bool:
        """False when refused (empty title, store error); the old title stays."""
        title = " ".join(title.split())
        if not title:
            self._show_message(translate("ConversationList", "A chat needs a title; the old one was kept."))
            return False
        if not self._try(lambda: self._store.update_conversation(conversation_id, title=title)):
            return False
        self._reload()
        return True

    def delete(self, conversation_id: int) -> None:
        """Soft delete, with an Undo bar for a few seconds."""
        try:
            title = self._store.conversation(conversation_id).title
            self._store.delete_conversation(conversation_id)
        except StoreError as exc:
            self._show_message(str(exc))
            return
        self._show_message("")
        self._deleted = conversation_id
        self.undo_label.setText(translate("ConversationList", "Deleted “{title}”.").format(title=title))
        self.undo_bar.show()
        self._undo_timer.start()
        self._reload()
        self.conversationDeleted.emit(conversation_id)

    def undo_delete(self) -> None:
        deleted, self._deleted = self._deleted, None
        self._hide_undo()
        if deleted is not None and self._try(lambda: self._store.restore_conversation(deleted)):
            self._reload()
            self.conversationRestored.emit(deleted)

    def toggle_pin(self, conversation_id: int) -> None:
        def flip() -> None:
            pinned = self._store.conversation(conversation_id).pinned
            self._store.update_conversation(conversation_id, pinned=not pinned)
        if self._try(flip):
            self._reload()

    # Internals

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Delete (Backspace on a Mac keyboard too) on the list deletes the selected chat, with the same Undo."""
        if watched is self.items and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and (event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Delete) \
                and not self._store.read_only and self.items.currentItem() is not None:
            self._on_selected(self.delete)
            return True
        return super().eventFilter(watched, event)

    def _try(self, action: Callable[[], None]) -> bool:
        """Run a store write; its StoreError is shown to the person instead of escaping into Qt's event loop."""
        try:
            action()
        except StoreError as exc:
            self._show_message(str(exc))
            return False
        self._show_message("")
        return True

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _hide_undo(self) -> None:
        self._undo_timer.stop()
        self.undo_bar.hide()

    def _search_changed(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
        else:  # back to the list at once: nothing to wait for
            self._search_timer.stop()
            self._reload()

    def _reload(self) -> None:
        query = self.search_box.text().strip()
        try:
            rows = self._store.list_conversations() if not query else self._store.search(query, SEARCH_HITS)
        except StoreError as exc:
            self._show_message(str(exc))
            return
        hits: dict[int, list[SearchHit]] = {}  # one row per conversation: its newest match first, and a count
        for row in rows:
            if isinstance(row, SearchHit):
                hits.setdefault(row.conversation_id, []).append(row)
        self._quiet = True
        try:
            self.items.clear()
            if query:
                for found in hits.values():
                    self.items.addItem(self._hit_item(found[0], len(found)))
            else:
                infos = [row for row in rows if isinstance(row, ConversationInfo)]
                indent = any(info.pinned for info in infos)  # unpinned titles line up with the pinned ones
                for info in infos:
                    self.items.addItem(self._item(info, indent))
        finally:
            self._quiet = False
        self._highlight()
        self._update_pin_text()

    def _item(self, info: ConversationInfo, indent: bool) -> QListWidgetItem:
        item = QListWidgetItem(info.title)
        item.setData(ID_ROLE, info.id)
        item.setData(TITLE_ROLE, info.title)
        item.setData(PINNED_ROLE, info.pinned)
        item.setData(WHEN_ROLE, relative_time(info.updated_at))
        count = info.message_count
        item.setToolTip(plain_tip(info.title + "\n" + translate("ConversationList", "%n message(s)", None, count)))
        if info.pinned:
            item.setIcon(pin_icon())
        else:
            item.setData(INDENT_ROLE, indent)
        if not self._store.read_only:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def _hit_item(self, hit: SearchHit, count: int) -> QListWidgetItem:
        matches = " · " + translate("ConversationList", "%n matches", None, count) if count > 1 else ""
        item = QListWidgetItem(f"{hit.title}{matches}\n{plain_snippet(hit.snippet)}")
        item.setData(ID_ROLE, hit.conversation_id)
        item.setData(HIT_ROLE, True)
        item.setData(SNIPPET_ROLE, html_snippet(hit.snippet))  # the matches in bold, painted by RowDelegate
        item.setToolTip(f"<b>{html.escape(hit.title)}</b> · {relative_time(hit.created_at)}<br>"
                        f"{html_snippet(hit.snippet)}")
        return item

    def _highlight(self) -> None:
        self._quiet = True
        try:
            rows = [self.items.item(r) for r in range(self.items.count())]
            match = next((i for i in rows if i.data(ID_ROLE) == self._current), None)
            if match is None:
                self.items.setCurrentRow(-1)
                self.items.clearSelection()
            else:
                self.items.setCurrentItem(match)
        finally:
            self._quiet = False

    def _selected(self) -> int | None:
        item = self.items.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def _on_selected(self, action: Callable[[int], None]) -> None:
        selected = self._selected()
        if selected is not None:
            action(selected)

    def _edit_selected(self) -> None:
        item = self.items.currentItem()
        if item is not None and not item.data(HIT_ROLE):
            self.items.editItem(item)

    def _update_pin_text(self) -> None:
        item = self.items.currentItem()
        pinned = item is not None and item.data(PINNED_ROLE)
        self.pin_button.setText(translate(
            "ConversationList", "Unpin") if pinned else translate("ConversationList", "Pin"))

    def _current_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self._update_pin_text()
        if self._quiet or item is None:
            return
        self._current = int(item.data(ID_ROLE))
        self.conversationActivated.emit(self._current)

    def _item_edited(self, item: QListWidgetItem) -> None:
        """An in-place rename committed: store it, or put the old title back when it is refused."""
        if self._quiet or item.data(HIT_ROLE) or item.text() == item.data(TITLE_ROLE):
            return
        title = " ".join(item.text().split())
        ok = bool(title) and self._try(lambda: self._store.update_conversation(int(item.data(ID_ROLE)), title=title))
        if not title:
            self._show_message(translate("ConversationList", "A chat needs a title; the old one was kept."))
        self._quiet = True
        try:  # no reload here: the view is still inside the editor's commit
            item.setText(title if ok else item.data(TITLE_ROLE))
            item.setData(TITLE_ROLE, item.text())
        finally:
            self._quiet = False
