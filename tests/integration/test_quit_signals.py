"""Ctrl+C (SIGINT) or SIGTERM mid-reply end Parley as closing its window does: generation stops, the reply as far as
it got and the settings are saved, and the process exits 0 without a traceback. A real `parley` process
(desktop.app.main) with a scripted backend, so no model has to run."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.paths import DataDirs
from tests.tiny_gguf import write_tiny_gguf

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, os.getcwd())
import desktop.inference.llama.backend as llama_backend
from tests.fakes import FakeBackend

REPLY = " ".join(f"w{i}" for i in range(100_000))
llama_backend.LlamaBackend = lambda: FakeBackend(reply=REPLY, delay=0.002)

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import desktop.app
from desktop.app import main

data_dir, screen_file, model = sys.argv[1:4]
app = QApplication(sys.argv[:1])
built = []  # the Parley record main() builds, kept to drive it
real_create_window = desktop.app.create_window
desktop.app.create_window = lambda *args, **kwargs: built.append(real_create_window(*args, **kwargs)) or built[-1]

def send_once_loaded():
    if not built or built[0].controller.model is None:
        QTimer.singleShot(20, send_once_loaded)
        return
    parts = built[0]
    window = parts.window

    def write_screen():  # what the person saw last, to compare with what was saved
        messages = parts.controller.conversation.messages
        with open(screen_file, "w", encoding="utf-8") as f:
            f.write(messages[-1].content if messages else "")

    app.aboutToQuit.connect(write_screen)
    window.message_input.setPlainText("Tell me a long story")
    window.send_button.click()

QTimer.singleShot(0, send_once_loaded)
sys.exit(main(["--data-dir", data_dir, "--model", model]))
"""


def saved_reply(db: Path) -> tuple[str, bool] | None:
    if not db.exists():
        return None
    try:
        with sqlite3.connect(db) as conn:
            row = conn.execute("SELECT content, complete FROM messages WHERE role = 'assistant' "
                               "ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error:  # not created yet
        return None
    return None if row is None else (row[0], bool(row[1]))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_quit_signal_mid_reply_saves_the_reply_and_settings_and_exits_0(tmp_path: Path,
                                                                          signum: signal.Signals) -> None:
    data = tmp_path / "data"
    dirs = DataDirs.under(data)
    model = write_tiny_gguf(tmp_path / "tiny.gguf")
    screen = tmp_path / "screen.txt"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(data), str(screen), str(model)], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while (partial := saved_reply(dirs.database)) is None or len(partial[0]) < 20:
            assert child.poll() is None, f"Parley exited early: {child.communicate()[1]}"
            assert time.monotonic() < deadline, "no partial reply was saved"
            time.sleep(0.1)
        assert not dirs.settings_file.exists()  # written when Parley closes
        child.send_signal(signum)
        _out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert json.loads(dirs.settings_file.read_text(encoding="utf-8"))["last_model"] == str(model)
    on_screen = screen.read_text(encoding="utf-8")
    assert len(on_screen) > len(partial[0]) and on_screen.startswith("w0 w1")
    assert saved_reply(dirs.database) == (on_screen, True)  # all of it, complete: stopped, as with Stop
