"""The chat sidebar over a real ChatStore: order, activation, rename, pin, undoable delete, search, read-only."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPushButton, QStyle, QStyleOptionViewItem, QWidget
from pytestqt.qtbot import QtBot

from desktop.core.conversations.store import ChatStore
from desktop.ui.chat.conversation_list import (
    HIT_ROLE,
    ID_ROLE,
    SNIPPET_ROLE,
    ConversationList,
    html_snippet,
    relative_time,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ChatStore]:
    chats, notice = ChatStore.open(tmp_path / "chats.sqlite3")
    assert notice is None
    yield chats
    chats.close()


def chat(store: ChatStore, title: str, *texts: str) -> int:
    cid = store.create_conversation(title)
    parent = None
    for i, text in enumerate(texts):
        parent = store.add_message(cid, parent, "user" if i % 2 == 0 else "assistant", text)
    return cid


@pytest.fixture
def three(store: ChatStore) -> tuple[int, int, int]:
    """Oldest first: a, b, c (c is the newest)."""
    return (chat(store, "Alpha", "hello"), chat(store, "Beta", "about the lighthouse keeper"),
            chat(store, "Gamma", "hi"))


@pytest.fixture
def sidebar(qtbot: QtBot, store: ChatStore, three: tuple[int, int, int]) -> ConversationList:
    view = ConversationList(store)
    qtbot.addWidget(view)
    return view


def items(view: ConversationList) -> QListWidget:
    return view.findChild(QListWidget, "conversationItems")


def ids(view: ConversationList) -> list[int]:
    lst = items(view)
    return [lst.item(r).data(ID_ROLE) for r in range(lst.count())]


def shown(view: ConversationList, row: int) -> str:
    """What the delegate paints for a row (pin marker, title, time)."""
    lst = items(view)
    option = QStyleOptionViewItem()
    lst.itemDelegate().initStyleOption(option, lst.model().index(row, 0))
    return option.text


def button(view: ConversationList, name: str) -> QPushButton:
    return view.findChild(QPushButton, name)


def search(view: ConversationList, text: str) -> None:
    view.findChild(QLineEdit, "conversationSearch").setText(text)


def test_widgets_have_their_names(sidebar: ConversationList) -> None:
    assert sidebar.objectName() == "conversationList"
    assert sidebar.findChild(QLineEdit, "conversationSearch").placeholderText() == "Search all chats"
    assert button(sidebar, "newConversationButton").text() == "New chat"
    for name in ("pinConversationButton", "renameConversationButton", "deleteConversationButton", "undoDeleteButton"):
        assert button(sidebar, name) is not None
    assert sidebar.findChild(QWidget, "undoBar").isHidden()
    assert sidebar.findChild(QLabel, "conversationMessage") is not None


def test_lists_pinned_first_then_newest(sidebar: ConversationList, store: ChatStore,
                                        three: tuple[int, int, int]) -> None:
    a, b, c = three
    assert ids(sidebar) == [c, b, a]
    store.update_conversation(a, pinned=True)
    sidebar.refresh()
    assert ids(sidebar) == [a, c, b]
    assert shown(sidebar, 0).startswith("Alpha\u2028today ")
    assert not items(sidebar).item(0).icon().isNull() and items(sidebar).item(1).icon().isNull()


def test_selecting_emits_activated_and_set_current_does_not(qtbot: QtBot, sidebar: ConversationList,
                                                            three: tuple[int, int, int]) -> None:
    a, b, _c = three
    with qtbot.waitSignal(sidebar.conversationActivated) as blocker:
        items(sidebar).setCurrentRow(1)
    assert blocker.args == [b] and sidebar.current_id() == b
    with qtbot.assertNotEmitted(sidebar.conversationActivated):
        sidebar.set_current(a)
        sidebar.refresh()
    assert sidebar.current_id() == a and items(sidebar).currentItem().data(ID_ROLE) == a


def test_new_button_emits_new_requested(qtbot: QtBot, sidebar: ConversationList) -> None:
    with qtbot.waitSignal(sidebar.newRequested):
        qtbot.mouseClick(button(sidebar, "newConversationButton"), Qt.MouseButton.LeftButton)


def test_rename_in_place_persists(qtbot: QtBot, sidebar: ConversationList, store: ChatStore,
                                  three: tuple[int, int, int]) -> None:
    lst = items(sidebar)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    sidebar.set_current(three[2])
    qtbot.mouseClick(button(sidebar, "renameConversationButton"), Qt.MouseButton.LeftButton)
    editor = lst.findChild(QLineEdit)
    assert editor is not None and editor.text() == "Gamma"  # the editor holds the bare title, no marker or time
    editor.selectAll()
    qtbot.keyClicks(editor, "Trip planning")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: store.conversation(three[2]).title == "Trip planning", timeout=2000)
    assert lst.item(0).text() == "Trip planning"


def test_rename_method_persists_and_empty_is_refused(sidebar: ConversationList, store: ChatStore,
                                                     three: tuple[int, int, int]) -> None:
    a = three[0]
    assert sidebar.rename(a, "  New   name ")
    assert store.conversation(a).title == "New name"
    assert not sidebar.rename(a, "   ")
    assert store.conversation(a).title == "New name"
    assert "title" in sidebar.findChild(QLabel, "conversationMessage").text()


def test_empty_in_place_rename_keeps_old_title(sidebar: ConversationList, store: ChatStore,
                                               three: tuple[int, int, int]) -> None:
    item = items(sidebar).item(0)
    item.setText("")  # what committing an emptied editor does
    assert store.conversation(three[2]).title == "Gamma"
    assert item.text() == "Gamma"
    assert not sidebar.findChild(QLabel, "conversationMessage").isHidden()


def test_pin_toggles_order(qtbot: QtBot, sidebar: ConversationList, three: tuple[int, int, int]) -> None:
    a, b, c = three
    sidebar.set_current(a)
    pin = button(sidebar, "pinConversationButton")
    qtbot.mouseClick(pin, Qt.MouseButton.LeftButton)
    assert ids(sidebar) == [a, c, b] and pin.text() == "Unpin"
    sidebar.toggle_pin(a)
    assert ids(sidebar) == [c, b, a]


def test_unpinned_titles_line_up_with_pinned_ones(qtbot: QtBot, sidebar: ConversationList,
                                                   three: tuple[int, int, int]) -> None:
    def text_left(row: int) -> int:
        view = items(sidebar)
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = view.visualItemRect(view.item(row))
        delegate = view.itemDelegate()
        delegate.initStyleOption(option, view.indexFromItem(view.item(row)))
        return view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view).left()

    sidebar.show()
    assert len({text_left(row) for row in range(3)}) == 1  # nothing pinned: no indent at all
    plain = text_left(0)
    sidebar.toggle_pin(three[1])
    assert len({text_left(row) for row in range(3)}) == 1 and text_left(0) > plain


def test_delete_hides_emits_and_undo_restores(qtbot: QtBot, sidebar: ConversationList, store: ChatStore,
                                              three: tuple[int, int, int]) -> None:
    a, b, c = three
    sidebar.set_current(b)
    with qtbot.waitSignal(sidebar.conversationDeleted) as blocker:
        qtbot.mouseClick(button(sidebar, "deleteConversationButton"), Qt.MouseButton.LeftButton)
    assert blocker.args == [b]
    assert ids(sidebar) == [c, a]
    assert store.conversation(b).deleted_at is not None
    bar = sidebar.findChild(QWidget, "undoBar")
    assert not bar.isHidden() and "Beta" in bar.findChild(QLabel).text()
    qtbot.mouseClick(button(sidebar, "undoDeleteButton"), Qt.MouseButton.LeftButton)
    assert ids(sidebar) == [c, b, a] and bar.isHidden()
    assert store.conversation(b).deleted_at is None


def test_undo_bar_goes_away_and_deletion_stays_soft(qtbot: QtBot, sidebar: ConversationList, store: ChatStore,
                                                    three: tuple[int, int, int]) -> None:
    sidebar._undo_timer.setInterval(50)
    sidebar.delete(three[0])
    bar = sidebar.findChild(QWidget, "undoBar")
    qtbot.waitUntil(bar.isHidden, timeout=2000)
    assert store.conversation(three[0]).deleted_at is not None  # still there for a later purge


def test_search_shows_hits_and_clearing_restores(qtbot: QtBot, sidebar: ConversationList,
                                                 three: tuple[int, int, int]) -> None:
    lst = items(sidebar)
    search(sidebar, "lighthouse")
    qtbot.waitUntil(lambda: lst.count() == 1 and bool(lst.item(0).data(HIT_ROLE)), timeout=2000)
    hit = lst.item(0)
    assert hit.text().startswith("Beta\n") and "lighthouse keeper" in hit.text() and "**" not in hit.text()
    assert "<b>lighthouse</b>" in hit.data(SNIPPET_ROLE)
    assert "<b>lighthouse</b>" in hit.toolTip()
    with qtbot.waitSignal(sidebar.conversationActivated) as blocker:
        lst.setCurrentItem(hit)
    assert blocker.args == [three[1]]
    search(sidebar, "")
    assert ids(sidebar) == [three[2], three[1], three[0]]
    assert not any(lst.item(r).data(HIT_ROLE) for r in range(lst.count()))


def test_search_without_matches_is_empty(qtbot: QtBot, sidebar: ConversationList) -> None:
    lst = items(sidebar)
    search(sidebar, 'nothing"like (this*')
    qtbot.waitUntil(lambda: lst.count() == 0, timeout=2000)


def test_search_over_a_thousand_messages(qtbot: QtBot, store: ChatStore) -> None:
    messages = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"message {i} about the weather"}
                for i in range(1000)]
    messages[500]["content"] = "the lighthouse at dusk"
    cid = store.import_json({"title": "Long chat", "messages": messages})
    view = ConversationList(store)
    qtbot.addWidget(view)
    lst = items(view)
    search(view, "weather")
    qtbot.waitUntil(lambda: lst.count() == 1 and "matches" in lst.item(0).text(), timeout=5000)  # one row
    search(view, "lighthouse")
    qtbot.waitUntil(lambda: lst.count() == 1, timeout=5000)
    assert lst.item(0).data(ID_ROLE) == cid


def test_read_only_store_lists_and_searches_but_disables_actions(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    writable, _ = ChatStore.open(path)
    cid = chat(writable, "Old chat", "a lighthouse")
    writable.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.close()
    store, _ = ChatStore.open(path)
    try:
        assert store.read_only
        view = ConversationList(store)
        qtbot.addWidget(view)
        assert ids(view) == [cid]
        assert not items(view).item(0).flags() & Qt.ItemFlag.ItemIsEditable
        for name in ("pinConversationButton", "renameConversationButton", "deleteConversationButton"):
            assert not button(view, name).isEnabled()
            assert "newer version" in button(view, name).toolTip()
        assert button(view, "newConversationButton").isEnabled()
        view.toggle_pin(cid)  # even when called directly: a message, not an exception
        assert "read-only" in view.findChild(QLabel, "conversationMessage").text()
        view.delete(cid)
        assert ids(view) == [cid]
        search(view, "lighthouse")
        qtbot.waitUntil(lambda: items(view).count() == 1 and bool(items(view).item(0).data(HIT_ROLE)), timeout=2000)
    finally:
        store.close()


def test_store_error_becomes_a_message(sidebar: ConversationList) -> None:
    sidebar.toggle_pin(12345)
    assert "no conversation" in sidebar.findChild(QLabel, "conversationMessage").text()


def test_relative_time_and_snippet_helpers() -> None:
    now = datetime(2024, 11, 20, 18, 0).timestamp()
    assert relative_time(datetime(2024, 11, 20, 14, 2).timestamp(), now) == "today 14:02"
    assert relative_time(datetime(2024, 11, 19, 9, 5).timestamp(), now) == "yesterday 09:05"
    assert relative_time(datetime(2024, 11, 3, 9, 5).timestamp(), now) == "3 Nov"
    assert relative_time(datetime(2023, 11, 3, 9, 5).timestamp(), now) == "3 Nov 2023"
    assert html_snippet("a **<b>** c") == "a <b>&lt;b&gt;</b> c"


def test_search_shows_one_row_per_conversation_with_the_match_highlighted(qtbot: QtBot, store: ChatStore) -> None:
    cid = chat(store, "Sea stories", "the lighthouse at dusk", "a lighthouse keeper", "another lighthouse")
    other = chat(store, "Trip", "no match here", "the lighthouse of Alexandria")
    view = ConversationList(store)
    qtbot.addWidget(view)
    lst = items(view)
    search(view, "lighthouse")
    qtbot.waitUntil(lambda: lst.count() == 2 and bool(lst.item(0).data(HIT_ROLE)), timeout=2000)
    assert sorted(ids(view)) == sorted([cid, other])
    row = lst.item(ids(view).index(cid))
    assert "3 matches" in row.text()
    assert "<b>lighthouse</b>" in row.data(SNIPPET_ROLE) and "**" not in row.data(SNIPPET_ROLE)
    option = QStyleOptionViewItem()
    lst.itemDelegate().initStyleOption(option, lst.model().index(ids(view).index(cid), 0))
    assert option.text == ""  # the delegate paints the row as rich text, the match in bold
    view.set_current(cid)
    assert lst.currentItem() is row and row.isSelected()  # the open chat is highlighted among the hits too


def test_delete_key_deletes_the_selected_chat_with_undo(qtbot: QtBot, sidebar: ConversationList, store: ChatStore,
                                                        three: tuple[int, int, int]) -> None:
    a, b, c = three
    sidebar.set_current(b)
    with qtbot.waitSignal(sidebar.conversationDeleted) as blocker:
        qtbot.keyClick(items(sidebar), Qt.Key.Key_Delete)
    assert blocker.args == [b] and ids(sidebar) == [c, a]
    assert not sidebar.findChild(QWidget, "undoBar").isHidden()
    qtbot.mouseClick(button(sidebar, "undoDeleteButton"), Qt.MouseButton.LeftButton)
    assert ids(sidebar) == [c, b, a] and store.conversation(b).deleted_at is None


def test_pin_is_an_icon_not_a_font_glyph(sidebar: ConversationList, store: ChatStore,
                                         three: tuple[int, int, int]) -> None:
    store.update_conversation(three[0], pinned=True)
    sidebar.refresh()
    pinned, plain = items(sidebar).item(0), items(sidebar).item(1)
    icon = pinned.icon()
    assert not icon.isNull() and not icon.pixmap(16, 16).isNull()
    assert plain.icon().pixmap(16, 16).toImage() != icon.pixmap(16, 16).toImage()
    assert all(ord(ch) < 0x2000 or ch == "\u2028" for ch in shown(sidebar, 0))  # no emoji in the text
    assert shown(sidebar, 0).startswith("Alpha\u2028today ")
