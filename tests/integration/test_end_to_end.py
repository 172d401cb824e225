"""End to end: the window `parley` shows, on a fresh data folder, with the real model."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QSlider
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.ui.chat.view import ChatView

pytestmark = pytest.mark.integration


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[Parley]:
    win = create_window(data_dir)
    qtbot.addWidget(win.window)
    win.window.show()
    qtbot.waitUntil(lambda: win.controller.model is not None, timeout=30000)
    yield win
    win.window.close()


def send(qtbot: QtBot, win: Parley, text: str) -> None:
    box = win.window.findChild(QPlainTextEdit, "messageInput")
    qtbot.keyClicks(box, text)
    qtbot.mouseClick(win.window.findChild(QPushButton, "sendButton"), Qt.MouseButton.LeftButton)


def test_chat_stream_stop_and_slider(qtbot: QtBot, window: Parley) -> None:
    controller = window.controller
    chat = window.window.findChild(ChatView, "chatView")
    status = window.window.findChild(QLabel, "modelStatusLabel").text()
    assert "Gemma 3 270m" in status and "Q4_K_M" in status and "CPU" in status

    window.window.sampling.seed.setValue(42)
    send(qtbot, window, "Write one sentence about the sea.")
    assert controller.generating
    qtbot.waitUntil(lambda: not controller.generating, timeout=60000)
    texts = chat.message_texts()
    assert texts[0] == "Write one sentence about the sea." and texts[1].strip()
    assert controller.conversation.messages[1].stats is not None
    assert "tokens/s" in chat.last_bubble().stats_text()
    assert controller.last_request.params.temperature == 0.7

    # A long reply, stopped part-way: the partial text stays.
    window.window.sampling.max_tokens.setValue(2000)
    send(qtbot, window, "Now write a very long story about a lighthouse keeper.")
    qtbot.waitUntil(lambda: len(controller.conversation.messages[-1].content) > 20, timeout=30000)
    qtbot.mouseClick(window.window.findChild(QPushButton, "stopButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not controller.generating, timeout=5000)
    reply = controller.conversation.messages[-1]
    assert reply.stats is not None and reply.stats.stopped and reply.stats.generated_tokens < 2000
    assert chat.message_texts()[-1] == reply.content and reply.content

    # Move the temperature slider: the next generation uses the new value.
    slider = window.window.findChild(QSlider, "temperatureSlider")
    slider.setValue(25)  # 0.25
    window.window.sampling.max_tokens.setValue(16)
    qtbot.mouseClick(window.window.findChild(QPushButton, "regenerateButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not controller.generating, timeout=30000)
    assert controller.last_request.params.temperature == 0.25
    assert controller.conversation.messages[-1].stats.cached_tokens > 0


def test_missing_model_keeps_app_running_on_builtin(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    win = create_window(data_dir, model_path=tmp_path / "nowhere.gguf")
    qtbot.addWidget(win.window)
    qtbot.waitUntil(lambda: win.controller.model is not None, timeout=30000)
    assert win.controller.model.info.path.name == BUILTIN_FILENAME
    assert "nowhere.gguf" in win.window.findChild(QLabel, "noticeText").text()
    assert "does not exist" in win.window.findChild(QLabel, "noticeText").text()
    win.window.close()


def test_empty_library_assembles_builtin(qtbot: QtBot, tmp_path: Path) -> None:
    win = create_window(tmp_path / "fresh")
    qtbot.addWidget(win.window)
    qtbot.waitUntil(lambda: win.controller.model is not None, timeout=60000)
    assert (tmp_path / "fresh" / "models" / BUILTIN_FILENAME).is_file()
    win.window.close()
    assert (tmp_path / "fresh" / "settings.json").is_file()


def test_command_line_help() -> None:
    out = subprocess.run([sys.executable, "-m", "desktop", "--help"], capture_output=True, text=True, check=True)
    assert "--model" in out.stdout and "--data-dir" in out.stdout
