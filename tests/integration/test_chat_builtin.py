"""A new person's first chat: a fresh data folder opens on the instruction-tuned built-in model, which answers a
simple request usefully (the base model continues the text instead)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.app import create_window
from desktop.core.models.builtin import CHAT_FILENAME


def test_the_first_chat_gets_a_numbered_list_of_fruits(qtbot: QtBot, tmp_path: Path) -> None:
    window = create_window(tmp_path / "fresh")
    qtbot.addWidget(window.window)
    window.window.show()
    qtbot.waitUntil(lambda: window.controller.model is not None, timeout=60_000)
    assert window.controller.model.info.path.name == CHAT_FILENAME
    sampling = window.window.sampling
    sampling.set_params(sampling.params().with_changes(temperature=0.0, seed=1, max_tokens=120))
    box = window.window.findChild(QPlainTextEdit, "messageInput")
    box.setPlainText("List three fruits.")
    qtbot.mouseClick(window.window.findChild(QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.controller.generating, timeout=120_000)
    reply = window.controller.conversation.messages[-1].content
    window.window.close()
    assert re.search(r"^\s*1\.", reply, re.MULTILINE) and re.search(r"^\s*2\.", reply, re.MULTILINE), reply
    assert re.search(r"apple|banana|orange|mango|grape|strawberr", reply, re.IGNORECASE), reply
    assert "List three fruits" not in reply  # an answer, not the question continued
