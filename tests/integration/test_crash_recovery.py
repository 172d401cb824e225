"""Parley as a separate process, killed (SIGKILL) mid-reply: on restart every message and the partial reply are back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import create_window
from desktop.core.conversations.store import ChatStore
from desktop.ui.chat.view import ChatView
from tests.fakes import FakeBackend

pytestmark = [pytest.mark.integration, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {repo!r})
from PySide6.QtWidgets import QApplication
from desktop.app import create_window

app = QApplication([])
window = create_window(sys.argv[1])
controller = window.controller
turns = iter([("Say hi.", 8), ("Tell me a very long story about the sea and a lighthouse.", 3000)])

def next_turn(*_args):
    text, tokens = next(turns, (None, 0))
    if text is not None:
        window.window.sampling.max_tokens.setValue(tokens)
        window.window.message_input.setPlainText(text)
        window.window.send_button.click()

window.session.modelChanged.connect(next_turn)
controller.generationEnded.connect(next_turn)
app.exec()
"""


def saved_path(db: Path) -> list[tuple[str, str, bool]]:
    if not db.exists():
        return []
    store, _ = ChatStore.open(db)
    with store:
        conversations = store.list_conversations()
        if not conversations:
            return []
        return [(m.role, m.content, m.complete) for m in store.path(conversations[0].id)]


def test_sigkill_mid_reply_loses_at_most_a_second(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(repo=str(REPO)))
    child = subprocess.Popen([sys.executable, str(script), str(data_dir)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    db = data_dir / "parley.sqlite3"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            path = saved_path(db)
            if len(path) == 4 and not path[3][2] and len(path[3][1]) > 20:
                break
            assert child.poll() is None, "Parley exited before the reply was interrupted"
            time.sleep(0.2)
        else:
            pytest.fail(f"no partial reply was saved: {saved_path(db)}")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(10)
    before = saved_path(db)

    window = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(window.window)
    texts = window.window.findChild(ChatView, "chatView").message_texts()
    assert texts[0] == "Say hi." and texts[2].startswith("Tell me a very long story")
    assert texts[3] == before[3][1] and len(texts[3]) > 20  # the partial reply, as last saved
    window.window.close()
