"""Probes that passed when issue 12 tried to break Parley, kept as tests with the real llama.cpp backend:
no network connection while every page is used, flat threads over model switches, odd paths."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.conversations.store import ChatStore
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.paths import DataDirs


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way Python opens a connection or resolves a name is recorded and refused."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def blocked(*args: object, **_kwargs: object) -> Any:
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise OSError(f"the test's network guard refused {what}")
        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("socket.sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    yield attempts


def send(qtbot: QtBot, window: Parley, text: str) -> None:
    box = window.window.findChild(QPlainTextEdit, "messageInput")
    assert box is not None
    box.setPlainText(text)
    button = window.window.findChild(QPushButton, "sendButton")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.controller.generating, timeout=60_000)


def test_every_page_used_without_a_network_connection(qtbot: QtBot, data_dir: Path, no_network: list[str]) -> None:
    window = create_window(data_dir)
    qtbot.addWidget(window.window)
    window.window.show()
    qtbot.waitUntil(lambda: window.controller.model is not None, timeout=60_000)
    window.window.sampling.max_tokens.setValue(16)
    send(qtbot, window, "Hello")
    for index in range(window.window.pages.count()):
        window.window.pages.setCurrentIndex(index)
        qtbot.wait(200)
    window.window.about_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "about_dialog", None) is not None)
    window.about_dialog.close()  # type: ignore[attr-defined]
    window.library.page.refresh()  # type: ignore[attr-defined]
    qtbot.wait(500)
    window.window.close()
    assert no_network == []
    assert window.controller.conversation.messages[-1].content  # the guard did not stop the chat itself


def test_twenty_model_switches_leave_threads_flat(qtbot: QtBot, data_dir: Path) -> None:
    models = DataDirs.under(data_dir).models
    other = models / "second copy.gguf"
    os.link(models / BUILTIN_FILENAME, other)
    window = create_window(data_dir)
    qtbot.addWidget(window.window)
    window.window.show()
    qtbot.waitUntil(lambda: window.controller.model is not None, timeout=60_000)
    counts = []
    for n in range(20):
        path = other if n % 2 == 0 else models / BUILTIN_FILENAME
        window.controller.load_model(path)
        qtbot.waitUntil(lambda p=path: window.controller.model is not None  # type: ignore[misc]
                        and window.controller.model.info.path == p, timeout=60_000)
        counts.append(threading.active_count())
    window.window.close()
    assert counts[-1] <= counts[2], counts


def test_a_data_folder_with_spaces_accents_and_a_symlinked_model(qtbot: QtBot, tmp_path: Path,
                                                                builtin_model: Path) -> None:
    data = tmp_path / "Dätä földer ✓" / "chats & models"
    models = data / "models"
    models.mkdir(parents=True)
    model = models / "Mödel ünï (copy).gguf"
    model.symlink_to(builtin_model)
    window = create_window(data, model)
    qtbot.addWidget(window.window)
    window.window.show()
    qtbot.waitUntil(lambda: window.controller.model is not None, timeout=60_000)
    window.window.sampling.max_tokens.setValue(16)
    send(qtbot, window, "Grüße — what is 2 + 2?")
    reply = window.controller.conversation.messages[-1].content
    window.window.close()
    assert reply
    with ChatStore.open(DataDirs.under(data).database)[0] as store:
        saved = store.path(store.list_conversations()[0].id)
    assert [m.content for m in saved] == ["Grüße — what is 2 + 2?", reply]
