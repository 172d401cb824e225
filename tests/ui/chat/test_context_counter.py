"""The status bar's context counter follows the conversation on screen: 0 for a new chat, a reopened chat's size."""

from __future__ import annotations

import re
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.app import create_window
from tests.fakes import FakeBackend


def used(window) -> int:  # type: ignore[no-untyped-def]
    found = re.search(r"context (\d+)/", window.window.model_status.text())
    assert found, window.window.model_status.text()
    return int(found.group(1))


def test_the_counter_follows_the_visible_conversation(qtbot: QtBot, data_dir: Path) -> None:
    window = create_window(data_dir, backend=FakeBackend(reply="A fairly long answer " * 5))
    qtbot.addWidget(window.window)
    window.window.show()
    qtbot.waitUntil(lambda: window.controller.model is not None)
    window.window.message_input.setPlainText("A first question with a few words in it")
    window.window.send_button.click()
    qtbot.waitUntil(lambda: not window.controller.generating)
    first = window.controller.persistence.conversation_id
    qtbot.waitUntil(lambda: used(window) > 0)
    window.window.new_chat_button.click()
    qtbot.waitUntil(lambda: used(window) == 0)
    qtbot.wait(200)  # the fitted prompt of the empty chat arrives: still 0
    assert used(window) == 0
    window.controller.navigation.open_conversation(first)
    qtbot.waitUntil(lambda: used(window) > 0)
    window.window.close()
