"""The chat sidebar in the real window (scripted backend, real SQLite): imported chats, undo of the open chat,
New chat and the search, and the defaults a new chat starts from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QPushButton
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.prompting.sampling import PRESETS
from desktop.ui.chat.conversation_list import ID_ROLE, ConversationList
from tests.fakes import FakeBackend


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[Parley]:
    win = create_window(data_dir, backend=FakeBackend(reply="Sure thing."))
    qtbot.addWidget(win.window)
    win.window.show()
    qtbot.waitUntil(lambda: win.controller.model is not None)
    yield win
    win.window.close()


def sidebar(win: Parley) -> ConversationList:
    return win.window.findChild(ConversationList, "conversationList")


def rows(win: Parley) -> list[int]:
    items = sidebar(win).findChild(QListWidget, "conversationItems")
    return [items.item(r).data(ID_ROLE) for r in range(items.count())]


def selected(win: Parley) -> int | None:
    item = sidebar(win).findChild(QListWidget, "conversationItems").currentItem()
    return None if item is None or not item.isSelected() else int(item.data(ID_ROLE))


def chat(qtbot: QtBot, win: Parley, text: str) -> int:
    win.controller.send(text)
    qtbot.waitUntil(lambda: not win.controller.generating)
    cid = win.controller.persistence.conversation_id
    assert cid is not None
    return int(cid)


def write_chat(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


PIRATE = {"title": "Pirate talk", "messages": [{"role": "user", "content": "Ahoy?"},
                                               {"role": "assistant", "content": "Arr, matey."}],
          "parley": {"system_prompt": "Talk like a pirate.",
                     "sampling": {**PRESETS["Creative"].as_dict(), "temperature": 1.7, "seed": 7}}}


def test_import_shows_the_chat_in_the_sidebar_opens_it_and_clears_an_old_error(
        qtbot: QtBot, window: Parley, tmp_path: Path) -> None:
    files = window.chat_files  # type: ignore[attr-defined]
    assert files.import_file(write_chat(tmp_path, "broken.json", {"no": "messages"})) is None
    assert window.window.notice.isVisible() and "pirate" not in window.window.notice.label.text().lower()
    cid = files.import_file(write_chat(tmp_path, "pirate.json", PIRATE))
    assert cid is not None
    assert cid in rows(window) and selected(window) == cid
    assert [m.content for m in window.controller.conversation.messages] == ["Ahoy?", "Arr, matey."]
    assert window.controller.persistence.conversation_id == cid
    notice = window.window.notice
    assert "messages" not in notice.label.text() or not notice.isVisible()  # the old error is gone
    assert not window.window.notice.isVisible() or not window.window.notice.property("error")


def test_undo_after_deleting_the_open_chat_reopens_it_and_export_works(
        qtbot: QtBot, window: Parley, tmp_path: Path) -> None:
    cid = chat(qtbot, window, "Remember the lighthouse")
    side = sidebar(window)
    side.delete(cid)
    assert window.controller.conversation.messages == []
    side.findChild(QPushButton, "undoDeleteButton").click()
    assert [m.content for m in window.controller.conversation.messages] == ["Remember the lighthouse", "Sure thing."]
    assert window.controller.persistence.conversation_id == cid and selected(window) == cid
    out = tmp_path / "out.md"
    assert window.chat_files.export(out, "md")  # type: ignore[attr-defined]
    assert "Remember the lighthouse" in out.read_text(encoding="utf-8")


def test_undo_of_another_chat_keeps_the_open_one(qtbot: QtBot, window: Parley) -> None:
    first = chat(qtbot, window, "First chat")
    window.controller.new_chat()
    second = chat(qtbot, window, "Second chat")
    side = sidebar(window)
    side.delete(first)
    side.undo_delete()
    assert first in rows(window)
    assert window.controller.persistence.conversation_id == second
    assert window.controller.conversation.messages[0].content == "Second chat"


def test_new_chat_clears_the_search_and_its_highlight(qtbot: QtBot, window: Parley) -> None:
    cid = chat(qtbot, window, "Tell me about the lighthouse")
    side = sidebar(window)
    search = side.findChild(QLineEdit, "conversationSearch")
    search.setText("lighthouse")
    items = side.findChild(QListWidget, "conversationItems")
    qtbot.waitUntil(lambda: items.count() == 1 and bool(items.item(0).data(Qt.ItemDataRole.UserRole + 1)))
    items.setCurrentRow(0)
    assert selected(window) == cid
    qtbot.mouseClick(window.window.new_chat_button, Qt.MouseButton.LeftButton)
    assert search.text() == ""
    assert selected(window) is None and side.current_id() is None
    assert rows(window) == [cid]  # the whole list again, nothing highlighted


def test_opening_a_chat_does_not_change_the_defaults_of_new_chats(qtbot: QtBot, window: Parley,
                                                                  tmp_path: Path) -> None:
    window.window.system_prompt.edit.clear()
    qtbot.keyClicks(window.window.system_prompt.edit, "Answer in one sentence.")  # typed by the person
    window.window.sampling.temperature.setValue(0.3)
    mine = window.window.sampling.params()
    cid = window.chat_files.import_file(write_chat(tmp_path, "pirate.json", PIRATE))  # type: ignore[attr-defined]
    assert cid is not None
    assert window.window.system_prompt.text() == "Talk like a pirate."
    assert window.window.sampling.params().temperature == 1.7
    chat(qtbot, window, "Where is the treasure?")  # sending in the opened chat keeps its settings its own
    qtbot.mouseClick(window.window.new_chat_button, Qt.MouseButton.LeftButton)
    assert window.window.system_prompt.text() == "Answer in one sentence."
    assert window.window.sampling.params() == mine
    sidebar(window).findChild(QListWidget, "conversationItems").setCurrentRow(rows(window).index(cid))
    assert window.window.system_prompt.text() == "Talk like a pirate."
    sidebar(window).findChild(QPushButton, "newConversationButton").click()
    assert window.window.system_prompt.text() == "Answer in one sentence." and window.window.sampling.params() == mine
