"""A very long message (50 MB) opens collapsed: its first characters as Markdown and a "Show all" button, never
the whole text laid out at once; the whole text can still be copied and saved to a file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.conversations.messages import Role
from desktop.ui.chat import message_bubble
from desktop.ui.chat.message_bubble import COLLAPSED_CHARS, EXPANDED_CHARS, MessageBubble
from tests.fakes import FakeBackend

BIG = 50_000_000
LINE = "A **long** line of a very long reply, with `code` and words.\n"


def huge_text(size: int = BIG) -> str:
    return (LINE * (size // len(LINE) + 1))[:size]


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[Parley]:
    win = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(win.window)
    qtbot.waitUntil(lambda: win.controller.model is not None)
    yield win
    win.window.close()


def button(bubble: MessageBubble, name: str) -> QPushButton:
    found = bubble.findChild(QPushButton, name)
    assert found is not None
    return found


def test_a_conversation_with_a_50_mb_message_opens_collapsed(qtbot: QtBot, window: Parley) -> None:
    persistence = window.controller.persistence
    assert persistence is not None
    store = persistence.store
    conversation = store.create_conversation("Huge")
    question = store.add_message(conversation, None, "user", "Paste it back, please.")
    store.add_message(conversation, question, "assistant", huge_text())
    window.controller.navigation.open_conversation(conversation)
    bubble = window.window.chat_view.bubble_at(1)
    assert bubble is not None and bubble.role is Role.ASSISTANT and len(bubble.text) == BIG
    assert bubble.document_length() <= COLLAPSED_CHARS + 1
    assert bubble.shown_text().startswith("A long line of a very long reply, with code and words.")
    show_all = button(bubble, "showAllButton")
    assert not show_all.isHidden() and show_all.text() == f"Show all ({BIG:,} characters)"
    # Expanding shows more, still capped: the rest is for "Save as file…".
    show_all.click()
    assert COLLAPSED_CHARS + 1 < bubble.document_length() <= EXPANDED_CHARS + 1
    assert not button(bubble, "saveMessageButton").isHidden()
    assert window.window.raw_prompt.view.document().characterCount() < 1_000_000


def test_save_as_file_writes_the_whole_message(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = huge_text(EXPANDED_CHARS + 10)
    bubble = MessageBubble(Role.ASSISTANT, text)
    qtbot.addWidget(bubble)
    target = tmp_path / "reply.md"
    monkeypatch.setattr(message_bubble.QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    button(bubble, "saveMessageButton").click()
    assert target.read_text(encoding="utf-8") == text


def test_a_short_message_is_whole_and_a_streamed_long_one_collapses(qtbot: QtBot) -> None:
    short = MessageBubble(Role.ASSISTANT, "Hello **there**")
    qtbot.addWidget(short)
    assert short.shown_text() == "Hello there" and button(short, "showAllButton").isHidden()
    streamed = MessageBubble(Role.ASSISTANT, "")
    qtbot.addWidget(streamed)
    piece = LINE * 100
    while len(streamed.text) < 3 * COLLAPSED_CHARS:
        streamed.append(piece)
    assert streamed.document_length() <= COLLAPSED_CHARS + len(piece) + 1
    streamed.finish(None)
    assert streamed.document_length() <= COLLAPSED_CHARS + 1
    assert button(streamed, "showAllButton").text() == f"Show all ({len(streamed.text):,} characters)"
