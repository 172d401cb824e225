"""The real window over data it cannot use as it is: it starts, says what is wrong, and chats on (unsaved where it
must); settings from two windows on one data folder are merged, not overwritten."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.conversations.store import ChatStore
from desktop.core.paths import DataDirs
from desktop.core.settings import SCHEMA_VERSION, Settings
from tests.fakes import FakeBackend


def start(qtbot: QtBot, data: Path, model: Path | None = None) -> Parley:
    win = create_window(data, model, backend=FakeBackend())
    qtbot.addWidget(win.window)
    win.window.show()
    return win


def notice(win: Parley) -> str:
    assert win.window.notice.isVisible()
    return str(win.window.notice.label.text())


def chat(qtbot: QtBot, win: Parley, text: str) -> None:
    qtbot.waitUntil(lambda: win.controller.model is not None)
    win.window.message_input.setPlainText(text)
    win.window.send_button.click()
    qtbot.waitUntil(lambda: not win.controller.generating)


def test_a_data_folder_that_is_a_file(qtbot: QtBot, tmp_path: Path, builtin_model: Path) -> None:
    data = tmp_path / "data"
    data.write_text("not a folder")
    win = start(qtbot, data)  # no model: the built-in one cannot be set up there either
    shown = notice(win)
    assert f"{data} is a file" in shown and "cannot save" in shown and "built-in model" in shown
    win.window.close()  # quitting saves nothing and raises nothing
    assert data.read_text() == "not a folder"
    again = start(qtbot, data, builtin_model)  # with a model it chats, in memory
    assert f"{data} is a file" in notice(again)
    chat(qtbot, again, "hello")
    assert [c.message_count for c in again.controller.persistence.store.list_conversations()] == [2]
    again.window.close()


def test_a_database_that_is_a_folder(qtbot: QtBot, data_dir: Path) -> None:
    database = DataDirs.under(data_dir).database
    database.mkdir()
    win = start(qtbot, data_dir)
    assert str(database) in notice(win) and "is a folder" in notice(win) and "not saved" in notice(win)
    chat(qtbot, win, "hello")
    win.window.close()
    assert database.is_dir()


def test_a_damaged_database_comes_back_with_what_could_be_read(qtbot: QtBot, data_dir: Path) -> None:
    database = DataDirs.under(data_dir).database
    store, _ = ChatStore.open(database)
    for i in range(3):
        cid = store.create_conversation(f"chat {i}")
        store.add_message(cid, None, "user", f"question {i}")
    store.close()
    raw = sqlite3.connect(database)
    [page] = raw.execute("SELECT pageno FROM dbstat WHERE name = 'messages_fts_data' LIMIT 1").fetchone()
    size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    with open(database, "r+b") as f:  # damage the search index: every conversation can still be read
        f.seek((page - 1) * size)
        f.write(b"\xa5" * size)
    win = start(qtbot, data_dir)
    assert "3 conversations" in notice(win) and "damaged" in notice(win)
    assert win.controller.persistence.store.list_conversations()[0].title == "chat 2"
    win.window.close()


def test_damaged_settings_are_kept_aside_and_said_beside_a_database_notice(qtbot: QtBot, data_dir: Path) -> None:
    settings = DataDirs.under(data_dir).settings_file
    settings.write_bytes('{"schema_version": 3, "offline": true}'.encode("utf-16"))
    DataDirs.under(data_dir).database.mkdir()
    win = start(qtbot, data_dir)
    [copy] = data_dir.glob("settings.json.damaged-*")
    assert str(copy) in notice(win) and "is a folder" in notice(win)
    win.window.close()
    assert Settings.load(settings).notice is None  # the new file was saved at quit


def test_settings_from_a_newer_parley_are_left_alone(qtbot: QtBot, data_dir: Path) -> None:
    settings = DataDirs.under(data_dir).settings_file
    newer = json.dumps({"schema_version": SCHEMA_VERSION + 1, "offline": True})
    settings.write_text(newer, encoding="utf-8")
    win = start(qtbot, data_dir)
    assert "newer version of Parley" in notice(win)
    win.window.offline_action.setChecked(True)
    win.window.close()
    assert settings.read_text(encoding="utf-8") == newer


def test_two_windows_on_one_data_folder_keep_each_others_settings(qtbot: QtBot, data_dir: Path) -> None:
    a = start(qtbot, data_dir)
    b = start(qtbot, data_dir)
    qtbot.waitUntil(lambda: a.controller.model is not None and b.controller.model is not None)
    a.window.offline_action.setChecked(True)  # window A turns offline mode on and quits
    a.window.close()
    b.window.close()  # window B never touched it
    assert Settings.load(DataDirs.under(data_dir).settings_file).offline
