"""Conversations are never lost: every message saved as it happens, reopened at start, branches kept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

import desktop.ui.chat.persistence as chat_persistence
from desktop.app import Parley, create_window
from desktop.core.conversations.store import ChatStore
from desktop.ui.chat.view import ChatView
from tests.fakes import FakeBackend


def open_window(qtbot: QtBot, data_dir: Path, backend: FakeBackend | None = None) -> Parley:
    win = create_window(data_dir, backend=backend or FakeBackend())
    qtbot.addWidget(win.window)
    qtbot.waitUntil(lambda: win.controller.model is not None)
    return win


def send(qtbot: QtBot, win: Parley, text: str) -> None:
    win.window.findChild(QPlainTextEdit, "messageInput").setPlainText(text)
    qtbot.mouseClick(win.window.findChild(QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.controller.generating)


def regenerated_once(qtbot: QtBot, data_dir: Path) -> Parley:
    """A chat "Hi" whose reply "one" was regenerated as "two"."""
    backend = FakeBackend(reply="one")
    win = open_window(qtbot, data_dir, backend)
    send(qtbot, win, "Hi")
    backend.reply = "two"
    qtbot.mouseClick(win.window.findChild(QPushButton, "regenerateButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.controller.generating and len(backend.requests) == 2)
    return win


def stored(data_dir: Path) -> ChatStore:
    store, _ = ChatStore.open(data_dir / "parley.sqlite3")
    return store


def test_conversation_reopens_with_system_prompt_and_stats(qtbot: QtBot, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir)
    win.window.system_prompt.set_text("Be brief.")
    send(qtbot, win, "First question")
    send(qtbot, win, "Second question")
    win.window.close()
    again = open_window(qtbot, data_dir)
    chat = again.window.findChild(ChatView, "chatView")
    reply = "Hello there, this is a **fake** reply."
    assert chat.message_texts() == ["First question", reply, "Second question", reply]
    assert "tokens/s" in chat.bubbles()[1].stats_text()
    assert again.window.system_prompt.text() == "Be brief."
    with stored(data_dir) as store:
        (info,) = store.list_conversations()
        assert info.title == "First question" and info.system_prompt == "Be brief."
        assert info.model is not None and info.model.endswith(".gguf") and info.sampling["temperature"] == 0.7
    again.window.close()


def test_regenerate_keeps_the_old_reply_as_a_branch(qtbot: QtBot, data_dir: Path) -> None:
    win = regenerated_once(qtbot, data_dir)
    win.window.close()
    with stored(data_dir) as store:
        (info,) = store.list_conversations()
        path = store.path(info.id)
        assert [m.content for m in path] == ["Hi", "two"]
        assert [m.content for m in store.siblings(path[1].id)] == ["one", "two"]


def test_new_chat_starts_a_new_conversation(qtbot: QtBot, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir)
    send(qtbot, win, "Old chat")
    qtbot.mouseClick(win.window.findChild(QPushButton, "newChatButton"), Qt.MouseButton.LeftButton)
    send(qtbot, win, "New chat")
    win.window.close()
    with stored(data_dir) as store:
        assert sorted(c.title for c in store.list_conversations()) == ["New chat", "Old chat"]
    again = open_window(qtbot, data_dir)
    assert again.window.findChild(ChatView, "chatView").message_texts()[0] == "New chat"
    again.window.close()


def test_streaming_reply_is_saved_while_it_streams(qtbot: QtBot, data_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_persistence, "SAVE_INTERVAL", 0.05)
    backend = FakeBackend(reply=" ".join(f"w{i}" for i in range(400)), delay=0.01)
    win = open_window(qtbot, data_dir, backend)
    win.window.findChild(QPlainTextEdit, "messageInput").setPlainText("Long story")
    win.window.send_button.click()

    def partial_saved() -> bool:
        with stored(data_dir) as store:
            conversations = store.list_conversations()
            path = store.path(conversations[0].id) if conversations else []
            return len(path) == 2 and not path[1].complete and len(path[1].content) > 10

    qtbot.waitUntil(partial_saved, timeout=5000)
    win.controller.stop()
    qtbot.waitUntil(lambda: not win.controller.generating)
    win.window.close()
    with stored(data_dir) as store:
        reply = store.path(store.list_conversations()[0].id)[1]
        assert reply.complete and reply.stats is not None and reply.stats["stopped"]


def test_newer_database_is_read_only_and_chat_still_works(qtbot: QtBot, data_dir: Path) -> None:
    db = data_dir / "parley.sqlite3"
    with stored(data_dir):
        pass
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    win = open_window(qtbot, data_dir)
    assert "newer version of Parley" in win.window.findChild(QLabel, "noticeText").text()
    send(qtbot, win, "Still works")
    assert win.window.findChild(ChatView, "chatView").message_texts()[0] == "Still works"
    win.window.close()


def test_damaged_database_is_set_aside_with_a_message(qtbot: QtBot, data_dir: Path) -> None:
    (data_dir / "parley.sqlite3").write_bytes(b"this is not a database" * 100)
    win = open_window(qtbot, data_dir)
    notice = win.window.findChild(QLabel, "noticeText").text()
    assert "damaged" in notice and list(data_dir.glob("parley.sqlite3.damaged-*"))
    send(qtbot, win, "Fresh start")
    win.window.close()
    with stored(data_dir) as store:
        assert [c.title for c in store.list_conversations()] == ["Fresh start"]


def test_export_markdown_and_json_then_import(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    win = open_window(qtbot, data_dir)
    win.window.system_prompt.set_text("Be kind.")
    send(qtbot, win, "What is a lighthouse?")
    assert win.chat_files.export(tmp_path / "chat.md", "md")
    assert win.chat_files.export(tmp_path / "chat.json", "json")
    markdown = (tmp_path / "chat.md").read_text()
    assert "What is a lighthouse?" in markdown and "fake" in markdown
    exported = json.loads((tmp_path / "chat.json").read_text())
    assert exported["messages"][0] == {"role": "system", "content": "Be kind."}
    qtbot.mouseClick(win.window.findChild(QPushButton, "newChatButton"), Qt.MouseButton.LeftButton)
    new_id = win.chat_files.import_file(tmp_path / "chat.json")
    assert new_id is not None and win.controller.persistence.conversation_id == new_id
    assert win.window.findChild(ChatView, "chatView").message_texts()[0] == "What is a lighthouse?"
    (tmp_path / "bad.json").write_text("{nope")
    assert win.chat_files.import_file(tmp_path / "bad.json") is None
    assert "not valid JSON (line 1" in win.window.findChild(QLabel, "noticeText").text()
    win.window.close()


def test_open_conversation_restores_its_settings(qtbot: QtBot, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir)
    win.window.sampling.temperature.setValue(1.3)
    win.window.system_prompt.set_text("Pirate voice.")
    send(qtbot, win, "Ahoy")
    first = win.controller.persistence.conversation_id
    qtbot.mouseClick(win.window.findChild(QPushButton, "newChatButton"), Qt.MouseButton.LeftButton)
    win.window.sampling.temperature.setValue(0.2)
    win.window.system_prompt.set_text("")
    send(qtbot, win, "Hello")
    win.controller.navigation.open_conversation(first)
    assert win.window.findChild(ChatView, "chatView").message_texts()[0] == "Ahoy"
    assert win.window.sampling.params().temperature == 1.3 and win.window.system_prompt.text() == "Pirate voice."
    win.window.close()


def test_branch_arrows_switch_between_regenerated_replies(qtbot: QtBot, data_dir: Path) -> None:
    win = regenerated_once(qtbot, data_dir)
    chat = win.window.findChild(ChatView, "chatView")
    assert chat.bubbles()[1].branch_text() == "2/2" and chat.bubbles()[0].branch_text() == ""
    qtbot.mouseClick(chat.bubbles()[1].findChild(QPushButton, "branchPrevButton"), Qt.MouseButton.LeftButton)
    assert chat.message_texts() == ["Hi", "one"] and chat.bubbles()[1].branch_text() == "1/2"
    qtbot.mouseClick(chat.bubbles()[1].findChild(QPushButton, "branchNextButton"), Qt.MouseButton.LeftButton)
    assert chat.message_texts() == ["Hi", "two"]
    win.window.close()


def test_edit_a_question_makes_a_branch_and_the_old_one_stays(qtbot: QtBot, data_dir: Path) -> None:
    backend = FakeBackend(reply="answer")
    win = open_window(qtbot, data_dir, backend)
    send(qtbot, win, "First")
    send(qtbot, win, "Second")
    chat = win.window.findChild(ChatView, "chatView")
    qtbot.mouseClick(chat.bubbles()[0].findChild(QPushButton, "editButton"), Qt.MouseButton.LeftButton)
    box = win.window.findChild(QPlainTextEdit, "messageInput")
    assert box.toPlainText() == "First"
    send(qtbot, win, "First, edited")
    assert chat.message_texts() == ["First, edited", "answer"]
    assert chat.bubbles()[0].branch_text() == "2/2"
    assert "First, edited" in backend.requests[-1].prompt and "Second" not in backend.requests[-1].prompt
    qtbot.mouseClick(chat.bubbles()[0].findChild(QPushButton, "branchPrevButton"), Qt.MouseButton.LeftButton)
    assert chat.message_texts() == ["First", "answer", "Second", "answer"]
    win.window.close()


def test_sidebar_lists_opens_and_deletes_conversations(qtbot: QtBot, data_dir: Path) -> None:
    from PySide6.QtWidgets import QListWidget

    from desktop.ui.chat.conversation_list import ConversationList

    win = open_window(qtbot, data_dir)
    send(qtbot, win, "Older chat")
    sidebar = win.window.findChild(ConversationList, "conversationList")
    qtbot.mouseClick(sidebar.findChild(QPushButton, "newConversationButton"), Qt.MouseButton.LeftButton)
    assert win.window.findChild(ChatView, "chatView").message_texts() == []
    send(qtbot, win, "Newer chat")
    items = sidebar.findChild(QListWidget, "conversationItems")
    titles = [items.item(i).text() for i in range(items.count())]
    assert titles == ["Newer chat", "Older chat"]
    older = win.controller.persistence.store.list_conversations()[1].id
    sidebar.conversationActivated.emit(older)
    assert win.window.findChild(ChatView, "chatView").message_texts()[0] == "Older chat"
    sidebar.delete(older)
    assert win.window.findChild(ChatView, "chatView").message_texts() == []
    sidebar.undo_delete()
    assert items.count() == 2
    win.window.close()


def test_long_conversation_opens_with_recent_messages_and_loads_earlier(qtbot: QtBot, data_dir: Path) -> None:
    from desktop.ui.chat.view import RECENT_MESSAGES

    with stored(data_dir) as store:
        conversation = store.create_conversation("Long")
        parent = None
        for i in range(100):
            parent = store.add_message(conversation, parent, "user", f"question {i}")
            parent = store.add_message(conversation, parent, "assistant", f"answer {i}")
    win = open_window(qtbot, data_dir)
    chat = win.window.findChild(ChatView, "chatView")
    assert len(chat.bubbles()) == RECENT_MESSAGES and chat.hidden_count == 200 - RECENT_MESSAGES
    assert chat.message_texts()[0] == "question 0" and len(chat.message_texts()) == 200
    assert len(win.controller.conversation.messages) == 200
    earlier = win.window.findChild(QPushButton, "showEarlierButton")
    assert earlier.isVisibleTo(win.window) and "earlier messages" in earlier.text()
    qtbot.mouseClick(earlier, Qt.MouseButton.LeftButton)
    assert len(chat.bubbles()) == 2 * RECENT_MESSAGES
    assert chat.bubbles()[0].text == f"question {(200 - 2 * RECENT_MESSAGES) // 2}"
    send(qtbot, win, "one more")
    assert chat.message_texts()[-2:] == ["one more", "Hello there, this is a **fake** reply."]
    win.window.close()


def test_window_layout_is_remembered(qtbot: QtBot, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir)
    win.window.show()
    win.window.resize(760, 560)  # within the offscreen screen, which restoreGeometry respects
    win.window.chat_splitter.setSizes([200, 360, 200])
    qtbot.wait(50)
    sizes, size = win.window.chat_splitter.sizes(), win.window.size()
    win.window.close()
    again = open_window(qtbot, data_dir)
    again.window.show()
    qtbot.wait(50)
    assert again.window.size() == size and again.window.chat_splitter.sizes() == sizes
    again.window.close()
