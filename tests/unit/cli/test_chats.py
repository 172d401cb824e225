"""`parley chats …` in-process: list, export to stdout and a file, import, and the error paths."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.cli.chats import main
from desktop.core.conversations.store import SCHEMA_VERSION, ChatStore, StoreError
from desktop.core.paths import DataDirs

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def seed(data: Path) -> int:
    store, _ = ChatStore.open(DataDirs.under(data).database)
    cid = store.create_conversation("Greetings", system_prompt="Be kind.", model="m.gguf")
    u = store.add_message(cid, None, "user", "Hello")
    store.add_message(cid, u, "assistant", "Hi there")
    pinned = store.create_conversation("Pinned one")
    store.update_conversation(pinned, pinned=True)
    store.close()
    return cid


def test_list_text_and_json(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data), "list"]) == 0
    assert "No conversations yet." in capsys.readouterr().out
    cid = seed(data)
    assert main(["list", "--data-dir", str(data)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[1].startswith("Pinned one [pinned]")
    assert lines[1].startswith(f"{cid}\tGreetings") and "2 messages" in lines[1]
    assert main(["--data-dir", str(data), "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["title"] for r in rows] == ["Pinned one", "Greetings"] and rows[1]["model"] == "m.gguf"


def test_export_markdown_and_json(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cid = seed(data)
    assert main(["--data-dir", str(data), "export", str(cid), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Greetings") and "## Assistant\n\nHi there" in out
    target = tmp_path / "chat.json"
    assert main(["--data-dir", str(data), "export", str(cid), "--format", "json", "--out", str(target)]) == 0
    assert capsys.readouterr().out == ""
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["messages"][0] == {"role": "system", "content": "Be kind."}


def test_import_prints_the_new_id(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cid = seed(data)
    target = tmp_path / "chat.json"
    assert main(["--data-dir", str(data), "export", str(cid), "--format", "json", "--out", str(target)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "import", str(target)]) == 0
    new = int(capsys.readouterr().out.strip())
    store, _ = ChatStore.open(DataDirs.under(data).database)
    assert new != cid and [m.content for m in store.path(new)] == ["Hello", "Hi there"]
    store.close()


def test_errors_exit_1_with_a_message(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(data)
    assert main(["--data-dir", str(data), "export", "999"]) == 1
    assert "no conversation 999" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["--data-dir", str(data), "import", str(bad)]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"messages": [{"role": "wizard", "content": "x"}]}', encoding="utf-8")
    assert main(["--data-dir", str(data), "import", str(wrong)]) == 1
    assert "role 'wizard'" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "import", str(tmp_path / "missing.json")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_import_into_a_newer_database_is_refused(data: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    seed(data)
    raw = sqlite3.connect(DataDirs.under(data).database)
    raw.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    raw.commit()
    raw.close()
    chat = tmp_path / "chat.json"
    chat.write_text('{"messages": [{"role": "user", "content": "hi"}]}', encoding="utf-8")
    assert main(["--data-dir", str(data), "import", str(chat)]) == 1
    assert "newer version of Parley" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "list"]) == 0  # reading still works


def test_a_large_import_lets_a_running_parley_save_meanwhile(data: Path, tmp_path: Path) -> None:
    """`parley chats import` of a big file works in short transactions: the app's saves wait at most briefly, and
    the conversation appears only once it is complete."""
    count = 100_000
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"messages": [{"role": ("user", "assistant")[i % 2], "content": f"m{i}"}
                                            for i in range(count)]}), encoding="utf-8")
    app, _ = ChatStore.open(DataDirs.under(data).database)
    mine = app.create_conversation("Mine")
    leaf = None
    child = subprocess.Popen([sys.executable, "-m", "desktop", "chats", "--data-dir", str(data), "import", str(big)],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    waits: list[float] = []
    try:
        while child.poll() is None:
            started = time.monotonic()
            leaf = app.add_message(mine, leaf, "user", f"saved while importing {len(waits)}")
            waits.append(time.monotonic() - started)
            counts = {c.title: c.message_count for c in app.list_conversations()}
            assert counts.keys() <= {"Mine", "m0"} and counts.get("m0", count) == count, counts
            time.sleep(0.01)
    finally:
        out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert max(waits) < 1.0, f"a save waited {max(waits):.2f} s ({len(waits)} saves)"
    imported = app.conversation(int(out.strip()))
    assert imported.message_count == count and app.path(imported.id)[-1].content == f"m{count - 1}"
    assert len(app.path(mine)) == len(waits)
    app.close()


def test_an_import_that_fails_half_way_leaves_nothing_behind(data: Path) -> None:
    """Atomic per conversation although written in several transactions: a full disk half-way removes the part."""
    store, _ = ChatStore.open(DataDirs.under(data).database)
    store.create_conversation("Already here")
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages + 40}")
    with pytest.raises(StoreError, match="full"):
        store.import_json({"messages": [{"role": "user", "content": f"message {i} " + "x" * 200}
                                        for i in range(5000)]})
    store._db.execute("PRAGMA max_page_count = 1073741823")
    assert [c.title for c in store.list_conversations()] == ["Already here"]
    assert store._db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    assert store._db.execute("SELECT count(*) FROM conversations").fetchone()[0] == 1
    store.close()
