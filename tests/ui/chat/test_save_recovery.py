"""Saving that recovers: a locked database or a full disk pauses saving, and everything is saved once it works again.

Real SQLite failures: a second connection holding `BEGIN IMMEDIATE` (what a long `parley chats import` did), and
`PRAGMA max_page_count` on the window's own connection ("database or disk is full").
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

import desktop.ui.chat.persistence as chat_persistence
from desktop.app import Parley
from desktop.core.conversations.store import ChatStore
from desktop.ui.chat.view import ChatView
from tests.fakes import FakeBackend
from tests.ui.chat.test_chat_persistence import open_window, send

ANSWER = "answer"
LONG_REPLY = " ".join(f"word{i:05d}" for i in range(4000))  # 40,000 characters


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_persistence, "RETRY_INTERVAL", 0.2)


def saved(data_dir: Path) -> list[tuple[str, str, bool]]:
    """Every stored message, read with a plain connection (works while another one holds the write lock)."""
    with sqlite3.connect(data_dir / "parley.sqlite3") as db:
        rows = db.execute("SELECT role, content, complete FROM messages ORDER BY id").fetchall()
    return [(role, content, bool(complete)) for role, content, complete in rows]


def visible(data_dir: Path) -> list[str]:
    store, _ = ChatStore.open(data_dir / "parley.sqlite3")
    with store:
        newest = max(store.list_conversations(), key=lambda c: c.updated_at)
        return [m.content for m in store.path(newest.id)]


def notice(win: Parley) -> str:
    return str(win.window.findChild(QLabel, "noticeText").text())


@pytest.fixture
def lock(data_dir: Path) -> Iterator[sqlite3.Connection]:
    """A second program's write transaction on the chat database, until the test commits it."""
    holder = sqlite3.connect(data_dir / "parley.sqlite3", isolation_level=None)
    yield holder
    if holder.in_transaction:
        holder.execute("COMMIT")
    holder.close()


def test_a_lock_pauses_saving_briefly_and_everything_is_saved_when_it_goes(
        qtbot: QtBot, data_dir: Path, lock: sqlite3.Connection) -> None:
    win = open_window(qtbot, data_dir, FakeBackend(reply=ANSWER))
    send(qtbot, win, "Before")
    lock.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    send(qtbot, win, "During one")
    send(qtbot, win, "During two")
    assert time.monotonic() - started < 3.0  # the window waited for the lock only briefly
    assert "paused" in notice(win) and "locked" in notice(win)
    assert [m[1] for m in saved(data_dir)] == ["Before", ANSWER]
    lock.execute("COMMIT")
    qtbot.waitUntil(lambda: len(saved(data_dir)) == 6, timeout=5000)
    assert "saving again" in notice(win).lower()
    send(qtbot, win, "After")
    expected = ["Before", ANSWER, "During one", ANSWER, "During two", ANSWER, "After", ANSWER]
    assert visible(data_dir) == expected  # one conversation, each message the child of the one before
    win.window.close()


def test_closing_saves_what_waited_for_a_lock(qtbot: QtBot, data_dir: Path, lock: sqlite3.Connection,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_persistence, "RETRY_INTERVAL", 3600.0)  # only the close itself tries again
    win = open_window(qtbot, data_dir, FakeBackend(reply=ANSWER))
    lock.execute("BEGIN IMMEDIATE")
    send(qtbot, win, "Written while locked")
    lock.execute("COMMIT")
    assert saved(data_dir) == []
    win.window.close()
    assert visible(data_dir) == ["Written while locked", ANSWER]


def test_closing_while_still_locked_waits_briefly_and_says_what_was_not_saved(
        qtbot: QtBot, data_dir: Path, lock: sqlite3.Connection, capsys: pytest.CaptureFixture[str]) -> None:
    win = open_window(qtbot, data_dir, FakeBackend(reply=ANSWER))
    send(qtbot, win, "Saved")
    lock.execute("BEGIN IMMEDIATE")
    send(qtbot, win, "Not saved")
    started = time.monotonic()
    win.window.close()
    assert time.monotonic() - started < 4.0  # quitting never waits long for another program
    assert "could not save the last 2 message(s)" in capsys.readouterr().err
    lock.execute("COMMIT")
    assert visible(data_dir) == ["Saved", ANSWER]


def test_a_full_disk_mid_reply_keeps_the_longest_partial_and_the_whole_reply_once_space_returns(
        qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_persistence, "SAVE_INTERVAL", 0.05)
    win = open_window(qtbot, data_dir, FakeBackend(reply=LONG_REPLY, delay=0.0005))
    db = win.controller.persistence.store._db
    win.window.message_input.setPlainText("Tell me everything")
    win.window.send_button.click()
    qtbot.waitUntil(lambda: len(saved(data_dir)) == 2 and len(saved(data_dir)[1][1]) > 100, timeout=5000)
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0] + 1}")
    at_full = len(saved(data_dir)[1][1])
    qtbot.waitUntil(lambda: not win.controller.generating, timeout=20000)
    on_screen = win.window.findChild(ChatView, "chatView").message_texts()[1]
    assert on_screen == LONG_REPLY
    assert "paused" in notice(win) and "full" in notice(win)
    _role, partial, complete = saved(data_dir)[1]
    assert LONG_REPLY.startswith(partial) and not complete
    assert at_full < len(partial) < len(LONG_REPLY)  # what still fitted was saved, not only what was there before
    db.execute("PRAGMA max_page_count = 1073741823")  # space comes back
    qtbot.waitUntil(lambda: saved(data_dir)[1] == ("assistant", LONG_REPLY, True), timeout=5000)
    assert "saving again" in notice(win).lower()
    win.window.close()


def test_closing_mid_reply_saves_the_reply_as_far_as_it_got(qtbot: QtBot, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir, FakeBackend(reply=LONG_REPLY, delay=0.002))
    win.window.message_input.setPlainText("Tell me everything")
    win.window.send_button.click()
    qtbot.waitUntil(lambda: len(win.window.findChild(ChatView, "chatView").message_texts()[-1]) > 50, timeout=5000)
    win.window.close()
    reply = win.controller.conversation.messages[-1].content
    assert len(reply) > 50 and LONG_REPLY.startswith(reply)
    assert visible(data_dir) == ["Tell me everything", reply]
    assert saved(data_dir)[1][2]  # the stopped reply is complete, as after Stop
