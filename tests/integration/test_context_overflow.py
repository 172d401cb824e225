"""A chat longer than the context drops its oldest turns from the prompt, marks the place, and goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.app import create_window
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.settings import Settings
from desktop.ui.chat.view import ChatView

pytestmark = pytest.mark.integration


def test_overflow_drops_oldest_turns_never_errors(qtbot: QtBot, data_dir: Path) -> None:
    settings = Settings()
    settings.for_model((data_dir / "models" / BUILTIN_FILENAME).resolve()).context_length = 256
    settings.save(data_dir / "settings.json")
    win = create_window(data_dir)
    qtbot.addWidget(win.window)
    qtbot.waitUntil(lambda: win.controller.model is not None, timeout=30000)
    assert win.controller.model.n_ctx == 256
    win.window.sampling.set_params(win.window.sampling.params().with_changes(max_tokens=24, seed=3, temperature=0.0))
    win.window.system_prompt.set_text("You are a friendly assistant who answers in one short sentence.")
    chat = win.window.findChild(ChatView, "chatView")
    for turn in range(12):
        win.window.findChild(QPlainTextEdit, "messageInput").setPlainText(
            f"Question {turn}: tell me one interesting fact about the number {turn} and the sea.")
        qtbot.mouseClick(win.window.findChild(QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not win.controller.generating, timeout=60000)
        stats = win.controller.conversation.messages[-1].stats
        assert stats is not None, win.window.findChild(QLabel, "noticeText").text()
        if stats.dropped_turns:
            break
    assert stats.dropped_turns > 0 and stats.prompt_tokens + 24 <= 256
    assert chat.context_marker_index() == 2 * stats.dropped_turns
    assert win.window.notice.isHidden(), win.window.findChild(QLabel, "noticeText").text()
    win.window.close()
