"""Probes that passed when issue 12 tried to break Parley, kept as tests: two windows on one data folder save every
message, and hundreds of send/stop cycles leave no threads behind."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.conversations.store import ChatStore
from desktop.core.paths import DataDirs
from tests.fakes import FakeBackend


def open_window(qtbot: QtBot, data_dir: Path, backend: FakeBackend) -> Parley:
    window = create_window(data_dir, backend=backend)
    qtbot.addWidget(window.window)
    window.window.show()
    qtbot.waitUntil(lambda: window.controller.model is not None)
    return window


def start(qtbot: QtBot, window: Parley, text: str) -> None:
    box = window.window.findChild(QPlainTextEdit, "messageInput")
    button = window.window.findChild(QPushButton, "sendButton")
    assert box is not None and button is not None
    box.setPlainText(text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_sixteen_messages_from_two_windows_at_once_are_all_saved(qtbot: QtBot, data_dir: Path) -> None:
    first = open_window(qtbot, data_dir, FakeBackend(reply="one two three", delay=0.002))
    second = open_window(qtbot, data_dir, FakeBackend(reply="four five six", delay=0.002))
    for n in range(8):
        start(qtbot, first, f"first window {n}")
        start(qtbot, second, f"second window {n}")  # both generate (and save) at the same time
        qtbot.waitUntil(lambda: not first.controller.generating and not second.controller.generating)
    first.window.close()
    second.window.close()
    with ChatStore.open(DataDirs.under(data_dir).database)[0] as store:
        conversations = store.list_conversations()
        messages = [m for c in conversations for m in store.path(c.id)]
    assert len(conversations) == 2
    assert sorted(m.content for m in messages if m.role == "user") == sorted(
        [f"first window {n}" for n in range(8)] + [f"second window {n}" for n in range(8)])
    assert sorted(m.content for m in messages if m.role == "assistant") == ["four five six"] * 8 + ["one two three"] * 8


def running_qthreads(window: Parley) -> int:
    return sum(1 for thread in window.window.findChildren(QThread) if thread.isRunning())


def test_two_hundred_send_stop_cycles_leave_threads_flat(qtbot: QtBot, data_dir: Path) -> None:
    backend = FakeBackend(reply=" ".join(f"w{i}" for i in range(10_000)), delay=0.001)
    window = open_window(qtbot, data_dir, backend)
    stop = window.window.findChild(QPushButton, "stopButton")
    assert stop is not None
    threads = []
    for n in range(200):
        start(qtbot, window, f"cycle {n}")
        qtbot.waitUntil(lambda: window.controller.generating and stop.isEnabled())
        qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.controller.generating)
        threads.append((threading.active_count(), running_qthreads(window)))
    window.window.close()
    assert threads[-1] <= threads[9], threads[::20]
    assert len(backend.requests) == 200
