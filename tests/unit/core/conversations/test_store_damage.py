"""A chat database that cannot be used as it is never stops Parley from starting: a message, and a read-only or an
unsaved (in-memory) store; a damaged file is set aside whole after every readable conversation is copied out."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.core.conversations import opening as store_open
from desktop.core.conversations.store import ChatStore, ReadOnlyError


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "parley.sqlite3"


def tables(path: Path) -> set[str]:
    raw = sqlite3.connect(path)
    try:
        return {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        raw.close()


def assert_unsaved_but_usable(store: ChatStore) -> None:
    assert store.unsaved and not store.read_only
    cid = store.create_conversation("kept in memory")
    store.add_message(cid, None, "user", "hello")
    assert [c.title for c in store.list_conversations()] == ["kept in memory"]


def test_a_folder_where_the_database_should_be(db_path: Path) -> None:
    db_path.mkdir(parents=True)
    (db_path / "inside.txt").write_text("mine")
    store, notice = ChatStore.open(db_path)
    assert notice is not None and str(db_path) in notice and "folder" in notice and "not saved" in notice
    assert_unsaved_but_usable(store)
    store.close()
    assert (db_path / "inside.txt").read_text() == "mine"


def test_a_data_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a folder")
    store, notice = ChatStore.open(tmp_path / "data" / "parley.sqlite3")
    assert notice is not None and str(tmp_path / "data") in notice and "not saved" in notice
    assert_unsaved_but_usable(store)
    store.close()
    assert (tmp_path / "data").read_text() == "not a folder"


def test_a_foreign_database_is_left_as_it_is(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE inventory (item TEXT, count INTEGER)")
    raw.execute("CREATE TABLE conversations (who TEXT)")
    raw.execute("INSERT INTO inventory VALUES ('apples', 3)")
    raw.commit()
    raw.close()
    before = db_path.read_bytes()
    store, notice = ChatStore.open(db_path)
    assert notice is not None and "not a Parley chat database" in notice and str(db_path) in notice
    assert_unsaved_but_usable(store)
    store.close()
    assert db_path.read_bytes() == before and tables(db_path) == {"inventory", "conversations"}


def make_chats(path: Path, count: int, content: str = "hello") -> list[int]:
    store, _ = ChatStore.open(path)
    ids = []
    for i in range(count):
        cid = store.create_conversation(f"chat {i}")
        uid = store.add_message(cid, None, "user", f"{content} {i}")
        store.add_message(cid, uid, "assistant", f"reply {i} " + content)
        ids.append(cid)
    store.close()
    return ids


def set_version(path: Path, value: str) -> None:
    raw = sqlite3.connect(path)
    raw.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (value,))
    raw.commit()
    raw.close()


def test_an_unknown_schema_version_opens_read_only(db_path: Path) -> None:
    [cid] = make_chats(db_path, 1)
    set_version(db_path, "abc")
    store, notice = ChatStore.open(db_path)
    assert store.read_only and not store.unsaved
    assert notice is not None and "'abc'" in notice and "read-only" in notice
    assert [m.content for m in store.path(cid)] == ["hello 0", "reply 0 hello"]
    with pytest.raises(ReadOnlyError, match="abc"):
        store.add_message(cid, None, "user", "more")
    store.close()
    raw = sqlite3.connect(db_path)
    assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("abc",)
    raw.close()


def test_an_unknown_schema_version_with_other_tables_is_not_read(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    raw.execute("INSERT INTO meta VALUES ('schema_version', 'abc')")
    raw.commit()
    raw.close()
    store, notice = ChatStore.open(db_path)
    assert notice is not None and "abc" in notice
    assert_unsaved_but_usable(store)
    store.close()


def test_a_database_that_cannot_be_created_gives_an_unsaved_store(db_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(path: Path) -> store_open.Opened:
        path.touch()  # SQLite made the file, then could not write the schema into it
        raise sqlite3.OperationalError("database or disk is full")

    db_path.parent.mkdir(parents=True)
    monkeypatch.setattr(store_open, "_connect_writable", disk_full)
    store, notice = ChatStore.open(db_path)
    assert notice is not None and "disk is full" in notice and "not saved" in notice
    assert_unsaved_but_usable(store)
    store.close()


def test_a_database_that_cannot_be_written_opens_read_only(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [cid] = make_chats(db_path, 1)

    def read_only_disk(path: Path) -> store_open.Opened:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(store_open, "_connect_writable", read_only_disk)
    store, notice = ChatStore.open(db_path)
    assert store.read_only and notice is not None and "read-only" in notice and "readonly database" in notice
    assert [c.id for c in store.list_conversations()] == [cid]
    assert store.export_json(cid)["parley"]["title"] == "chat 0"
    with pytest.raises(ReadOnlyError, match="readonly database"):
        store.create_conversation("new")
    store.close()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write to a read-only folder")
def test_a_read_only_data_folder(db_path: Path) -> None:
    [cid] = make_chats(db_path, 1)
    db_path.parent.chmod(0o555)
    db_path.chmod(0o444)
    try:
        store, notice = ChatStore.open(db_path)
        assert store.read_only and notice is not None
        assert [c.id for c in store.list_conversations()] == [cid]
        store.close()
    finally:
        db_path.parent.chmod(0o755)


def damage_one_page_of(path: Path, table: str, which: int = 1) -> bytes:
    """Overwrite the `which`-th leaf page of `table` with garbage, as a bad sector or a torn write would."""
    raw = sqlite3.connect(path)
    pages = [r[0] for r in raw.execute(
        "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", (table,))]
    size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    assert len(pages) > which + 1, pages
    data = bytearray(path.read_bytes())
    start = (pages[which] - 1) * size
    data[start:start + size] = b"\xa5\x17" * (size // 2)
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_database_keeps_every_conversation_that_can_be_read(db_path: Path) -> None:
    ids = make_chats(db_path, 40, content="x" * 1500)  # messages span many pages
    damaged = damage_one_page_of(db_path, "messages")
    store, notice = ChatStore.open(db_path)
    copies = [p for p in db_path.parent.glob("parley.sqlite3.damaged-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(copies) == 1 and copies[0].read_bytes() == damaged  # set aside whole, untouched
    assert not store.read_only and not store.unsaved
    assert sorted(c.id for c in store.list_conversations()) == ids  # the conversations table was not hit
    kept = {c.id: store.path(c.id) for c in store.list_conversations()}
    messages = sum(len(m) for m in kept.values())
    assert 0 < messages < 80  # one page of messages is lost, the rest came back
    for cid, path in kept.items():
        i = ids.index(cid)
        for m in path:
            assert m.content in (f"{'x' * 1500} {i}", f"reply {i} {'x' * 1500}")
    assert notice is not None and str(copies[0]) in notice and "40 conversations" in notice
    assert store.search("reply")  # the full-text index was rebuilt for what came back
    cid = store.create_conversation("after")
    store.add_message(cid, None, "user", "saved")
    store.close()
    again, second = ChatStore.open(db_path)
    assert second is None and len(again.list_conversations()) == 41
    again.close()


def test_messages_of_a_lost_conversation_come_back_under_a_new_title(db_path: Path) -> None:
    ids = make_chats(db_path, 120, content="y" * 200)
    damage_one_page_of(db_path, "conversations", which=0)
    store, notice = ChatStore.open(db_path)
    listed = store.list_conversations()
    assert 0 < len([c for c in listed if c.title.startswith("chat ")]) < 120
    recovered = [c for c in listed if c.title.startswith("Recovered conversation")]
    assert recovered and all(c.message_count == 2 for c in recovered)
    assert len(listed) == len(ids)  # every conversation's messages came back
    assert notice is not None and f"{len(ids)} conversations" in notice
    for c in recovered:  # the tree still holds together: the reply follows its question
        assert [m.role for m in store.path(c.id)] == ["user", "assistant"]
    store.close()


def test_a_database_with_nothing_readable_is_set_aside_and_a_new_one_started(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    store, notice = ChatStore.open(db_path)
    assert notice is not None and "new, empty one" in notice
    assert store.list_conversations() == [] and not store.unsaved
    store.close()


@pytest.fixture
def mount_point(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """mount(options) gives a real file system at a fresh folder (root only; skipped where mounting is refused)."""
    mounted: list[Path] = []

    def mount(*options: str) -> Path:
        target = tmp_path / f"mount{len(mounted)}"
        target.mkdir()
        if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("needs root to mount a file system")
        done = subprocess.run(["mount", *options, str(target)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"mount refused: {done.stderr.decode(errors='replace').strip()}")
        mounted.append(target)
        return target

    yield mount
    for target in reversed(mounted):
        subprocess.run(["umount", "-l", str(target)], check=False)


def test_a_data_folder_on_a_read_only_disk(tmp_path: Path, mount_point: Callable[..., Path]) -> None:
    source = tmp_path / "source"
    [cid] = make_chats(source / "parley.sqlite3", 1)
    target = mount_point("--bind", str(source))
    subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=True)
    store, notice = ChatStore.open(target / "parley.sqlite3")
    assert store.read_only and notice is not None and "read-only" in notice
    assert [m.content for m in store.path(cid)] == ["hello 0", "reply 0 hello"]
    with pytest.raises(ReadOnlyError, match="read-only"):
        store.create_conversation("new")
    store.close()
    fresh, notice = ChatStore.open(target / "elsewhere" / "parley.sqlite3")
    assert notice is not None and "the disk is read-only" in notice  # said in words (os_reason), translatable
    assert_unsaved_but_usable(fresh)
    fresh.close()


def test_a_data_folder_on_a_full_disk(mount_point: Callable[..., Path]) -> None:
    target = mount_point("-t", "tmpfs", "-o", "size=64k", "tmpfs")
    with contextlib.suppress(OSError), open(target / "filler", "wb", buffering=0) as filler:
        while True:
            filler.write(b"\0" * 4096)
    store, notice = ChatStore.open(target / "parley.sqlite3")
    assert notice is not None and "full" in notice and "not saved" in notice
    assert_unsaved_but_usable(store)
    store.close()
