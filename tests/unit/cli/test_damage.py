"""The data folder or database in a state Parley cannot use: the terminal commands print one line and exit 1, and
`parley chats list/export` still read a database Parley may not write, so chats can be got out."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop.cli.chats import main as chats
from desktop.cli.common import resolve_model
from desktop.core.conversations.store import SCHEMA_VERSION, ChatStore
from desktop.core.paths import DataDirs, DataFolderError


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def seed(data: Path) -> int:
    store, _ = ChatStore.open(DataDirs.under(data).database)
    cid = store.create_conversation("Kept")
    store.add_message(cid, None, "user", "hello")
    store.close()
    return cid


def set_version(data: Path, value: str) -> None:
    raw = sqlite3.connect(DataDirs.under(data).database)
    raw.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (value,))
    raw.commit()
    raw.close()


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("command", [["list"], ["export", "1"], ["import", "x.json"]])
def test_a_database_that_is_a_folder(data: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    DataDirs.under(data).database.mkdir(parents=True)
    assert chats(["--data-dir", str(data), *command]) == 1
    assert "is a folder" in one_error_line(capsys)


def test_a_data_folder_that_is_a_file(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data.write_text("not a folder")
    assert chats(["--data-dir", str(data), "list"]) == 1
    assert str(data) in one_error_line(capsys)


def test_a_foreign_database(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data.mkdir()
    raw = sqlite3.connect(DataDirs.under(data).database)
    raw.execute("CREATE TABLE inventory (item TEXT)")
    raw.commit()
    raw.close()
    assert chats(["--data-dir", str(data), "list"]) == 1
    assert "not a Parley chat database" in one_error_line(capsys)


@pytest.mark.parametrize("version", ["abc", str(SCHEMA_VERSION + 1)])
def test_list_and_export_read_a_database_parley_may_not_write(data: Path, tmp_path: Path, version: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    cid = seed(data)
    set_version(data, version)
    assert chats(["--data-dir", str(data), "list"]) == 0
    assert "Kept" in capsys.readouterr().out
    assert chats(["--data-dir", str(data), "export", str(cid), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["messages"] == [{"role": "user", "content": "hello"}]
    chat = tmp_path / "chat.json"
    chat.write_text(json.dumps({"messages": [{"role": "user", "content": "hi"}]}), encoding="utf-8")
    assert chats(["--data-dir", str(data), "import", str(chat)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("error: ")


def test_data_folders_that_cannot_be_made_are_named(data: Path) -> None:
    data.write_text("not a folder")
    with pytest.raises(DataFolderError, match=f"{data} is a file, not a folder"):
        DataDirs.under(data).create()


def test_score_names_a_damaged_settings_file_it_set_aside(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = data / "models" / "m.gguf"
    model.parent.mkdir(parents=True)
    model.write_bytes(b"GGUF")
    (data / "settings.json").write_text("{cut sho", encoding="utf-8")
    assert resolve_model(None, DataDirs.under(data)).path == model
    err = capsys.readouterr().err
    assert err.startswith("note: ") and "settings.json.damaged-" in err


@pytest.mark.parametrize("command", [["list"], ["files", "someone/repo"]])
def test_models_cli_on_a_data_folder_that_is_a_file(data: Path, command: list[str],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli.models import main as models

    data.write_text("not a folder")
    assert models(["--data-dir", str(data), *command]) == 1
    assert str(data) in one_error_line(capsys).replace("\n", "")
