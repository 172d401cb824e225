"""The conversation store: schema and recovery, immediate commits, branches, deletion, search, export and import."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.conversations import export as store_export
from desktop.core.conversations.messages import GenerationStats
from desktop.core.conversations.store import SCHEMA_VERSION, ChatStore, ReadOnlyError, StoreError

REPO = Path(__file__).resolve().parents[3]
STATS = {"prompt_tokens": 12, "cached_tokens": 4, "generated_tokens": 30, "time_to_first_token": 0.25,
         "tokens_per_second": 42.0, "stopped": False}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "parley.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[ChatStore]:
    opened, notice = ChatStore.open(db_path)
    assert notice is None
    yield opened
    opened.close()


def contents(store: ChatStore, cid: int) -> list[str]:
    return [m.content for m in store.path(cid)]


def test_new_database_is_migrated_to_the_current_schema(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.touch()  # an empty file is a version-0 database
    store, notice = ChatStore.open(db_path)
    store.close()
    assert notice is None and not store.read_only
    raw = sqlite3.connect(db_path)
    assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"meta", "conversations", "messages", "settings", "messages_fts"} <= tables
    raw.close()
    again, _ = ChatStore.open(db_path)  # reopening migrates nothing and keeps the data
    assert again.list_conversations() == []
    again.close()


def test_database_from_a_newer_parley_opens_read_only(db_path: Path) -> None:
    store, _ = ChatStore.open(db_path)
    cid = store.create_conversation("From the future")
    store.add_message(cid, None, "user", "hello")
    store.close()
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    raw.commit()
    raw.close()
    store, notice = ChatStore.open(db_path)
    assert store.read_only and notice is None
    assert contents(store, cid) == ["hello"]  # still readable
    with pytest.raises(ReadOnlyError, match="newer version of Parley"):
        store.add_message(cid, None, "user", "more")
    with pytest.raises(ReadOnlyError):
        store.set_setting("theme", "dark")
    with pytest.raises(ReadOnlyError):
        store.import_json({"messages": []})
    store.close()
    raw = sqlite3.connect(db_path)
    assert raw.execute("SELECT value FROM meta").fetchone() == (str(SCHEMA_VERSION + 1),)  # not downgraded
    raw.close()


def test_damaged_database_is_set_aside_and_a_fresh_one_started(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not a database at all\x00\xff" * 200)
    store, notice = ChatStore.open(db_path)
    copies = list(db_path.parent.glob("parley.sqlite3.damaged-*"))
    assert len(copies) == 1 and copies[0].read_bytes().startswith(b"this is not a database")
    assert notice is not None and str(copies[0]) in notice
    assert store.list_conversations() == [] and not store.read_only
    store.create_conversation("fresh start")
    store.close()


def test_messages_are_committed_immediately(store: ChatStore, db_path: Path) -> None:
    cid = store.create_conversation("Durable")
    uid = store.add_message(cid, None, "user", "first")
    other, _ = ChatStore.open(db_path)  # a second connection sees it without close()
    assert contents(other, cid) == ["first"]
    rid = store.add_message(cid, uid, "assistant", "", complete=False)
    store.update_message(rid, content="partial rep")
    assert [(m.content, m.complete) for m in other.path(cid)] == [("first", True), ("partial rep", False)]
    store.update_message(rid, content="partial reply, done", stats=STATS, complete=True)
    final = other.path(cid)[-1]
    assert (final.content, final.stats, final.complete) == ("partial reply, done", STATS, True)
    other.close()


def test_adding_a_message_makes_it_the_leaf_and_bumps_the_conversation(store: ChatStore) -> None:
    older = store.create_conversation("older")
    newer = store.create_conversation("newer")
    assert [c.id for c in store.list_conversations()] == [newer, older]
    time.sleep(0.01)
    store.add_message(older, None, "user", "bump")
    assert [c.id for c in store.list_conversations()] == [older, newer]
    assert store.conversation(older).message_count == 1
    with pytest.raises(StoreError, match="no conversation 999"):
        store.add_message(999, None, "user", "x")
    with pytest.raises(StoreError, match="role"):
        store.add_message(older, None, "tool", "x")
    with pytest.raises(StoreError, match="not part of conversation"):
        store.add_message(newer, store.path(older)[0].id, "assistant", "x")


def test_regenerating_and_editing_add_siblings(store: ChatStore) -> None:
    cid = store.create_conversation()
    u1 = store.add_message(cid, None, "user", "What is 2+2?")
    a1 = store.add_message(cid, u1, "assistant", "4")
    u2 = store.add_message(cid, a1, "user", "And 3+3?")
    a2 = store.add_message(cid, u2, "assistant", "6")
    a2b = store.add_message(cid, u2, "assistant", "six")  # regenerate
    assert contents(store, cid) == ["What is 2+2?", "4", "And 3+3?", "six"]
    assert [m.id for m in store.siblings(a2)] == [a2, a2b]
    u2b = store.add_message(cid, a1, "user", "And 5+5?")  # edit the second question and resend
    a3 = store.add_message(cid, u2b, "assistant", "10")
    assert contents(store, cid) == ["What is 2+2?", "4", "And 5+5?", "10"]
    assert [m.content for m in store.siblings(u2)] == ["And 3+3?", "And 5+5?"]
    store.switch_branch(u2)  # back to the first edit: its newest reply is shown
    assert contents(store, cid) == ["What is 2+2?", "4", "And 3+3?", "six"]
    store.switch_branch(a2)
    assert contents(store, cid) == ["What is 2+2?", "4", "And 3+3?", "6"]
    store.switch_branch(u1)  # from the root: down the newest children
    assert contents(store, cid) == ["What is 2+2?", "4", "And 5+5?", "10"]
    u1b = store.add_message(cid, None, "user", "Hello")  # editing the first message adds a second root
    assert [m.id for m in store.siblings(u1)] == [u1, u1b]
    assert contents(store, cid) == ["Hello"]
    store.switch_branch(a3)
    assert store.path(cid)[-1].id == a3
    assert store.conversation(cid).message_count == 8
    with pytest.raises(StoreError):
        store.switch_branch(12345)


def test_soft_delete_restore_and_purge(store: ChatStore) -> None:
    keep = store.create_conversation("keep")
    gone = store.create_conversation("gone")
    store.add_message(gone, None, "user", "searchable zebra")
    store.delete_conversation(gone)
    assert [c.id for c in store.list_conversations()] == [keep]
    assert store.conversation(gone).deleted_at is not None
    assert store.search("zebra") == []
    store.restore_conversation(gone)
    assert {c.id for c in store.list_conversations()} == {keep, gone}
    assert len(store.search("zebra")) == 1
    store.delete_conversation(gone)
    assert store.purge_deleted(older_than=time.time() - 3600) == 0  # deleted just now: kept for undo
    assert store.purge_deleted() == 1
    with pytest.raises(StoreError):
        store.conversation(gone)
    assert store.search("zebra") == [] and store.messages(gone) == []
    assert store._db.execute("SELECT count(*) FROM messages_fts").fetchone()[0] == 0


def test_list_order_pinned_first_then_recent(store: ChatStore) -> None:
    a = store.create_conversation("a")
    b = store.create_conversation("b")
    c = store.create_conversation("c")
    store.update_conversation(a, pinned=True)
    assert [x.id for x in store.list_conversations()] == [a, c, b]
    assert store.conversation(a).pinned


def test_conversation_settings_round_trip(store: ChatStore, db_path: Path) -> None:
    sampling = {"temperature": 0.3, "top_p": 0.9, "seed": 7}
    cid = store.create_conversation("Tuned", system_prompt="Be brief.", model="/m/a.gguf", template="chatml",
                                    sampling=sampling)
    store.update_conversation(cid, title="Renamed", template="gemma", sampling={"temperature": 1.0})
    store.close()
    again, _ = ChatStore.open(db_path)
    info = again.conversation(cid)
    assert (info.title, info.system_prompt, info.model, info.template, info.sampling) == (
        "Renamed", "Be brief.", "/m/a.gguf", "gemma", {"temperature": 1.0})
    with pytest.raises(StoreError, match="no field colour"):
        again.update_conversation(cid, colour="red")
    again.set_setting("window", {"width": 800, "dark": True})
    assert again.get_setting("window") == {"width": 800, "dark": True}
    assert again.get_setting("missing", 5) == 5
    with pytest.raises(StoreError):
        again.set_setting("bad", object())
    again.close()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('said "hello', True),
        ("cats AND", False),  # AND is a word here, not an operator
        ("cats OR dogs", False),
        ("dog*", True),
        ("(cats", True),
        ("NEAR(", False),
        ("-cats", True),
        ("Crème brûlée", True),
        ("creme brulee", True),  # diacritics folded
        ("日本語", True),
        ("", False),
        ('" * ( ) :', False),
        ("col:cats", False),
    ],
)
def test_search_takes_any_text(store: ChatStore, query: str, found: bool) -> None:
    cid = store.create_conversation("Pets")
    store.add_message(cid, None, "user", 'I said "hello" to the cats; dogs too')
    store.add_message(cid, None, "user", "Crème brûlée recipe, 日本語 too")
    assert bool(store.search(query)) is found


def test_search_is_newest_first_with_snippets(store: ChatStore) -> None:
    first = store.create_conversation("First")
    second = store.create_conversation("Second")
    old = store.add_message(first, None, "user", "llamas are woolly")
    new = store.add_message(second, None, "assistant", "alpacas and llamas differ in size")
    hits = store.search("llamas")
    assert [h.message_id for h in hits] == [new, old]
    assert hits[0].title == "Second" and "**llamas**" in hits[0].snippet
    store.update_message(old, content="changed entirely")
    assert [h.message_id for h in store.search("llamas")] == [new]
    assert len(store.search("llamas", limit=0)) == 0


def build_branched(store: ChatStore) -> int:
    cid = store.create_conversation("Branchy", system_prompt="You are terse.", model="m.gguf", template="chatml",
                                    sampling={"temperature": 0.5})
    u = store.add_message(cid, None, "user", "Name a colour")
    red = store.add_message(cid, u, "assistant", "Red", stats=STATS)
    store.add_message(cid, u, "assistant", "Blue", stats=STATS)
    store.add_message(cid, u, "assistant", "Gre", complete=False)
    store.switch_branch(red)
    return cid


def test_parley_export_round_trip_keeps_branches(store: ChatStore) -> None:
    cid = build_branched(store)
    data = json.loads(json.dumps(store.export_json(cid)))  # survives a real file
    assert data["messages"] == [{"role": "system", "content": "You are terse."},
                                {"role": "user", "content": "Name a colour"}, {"role": "assistant", "content": "Red"}]
    assert data["parley"]["stats"] == [None, None, STATS] and len(data["parley"]["branches"]) == 4
    new = store.import_json(data)
    info = store.conversation(new)
    assert (info.title, info.system_prompt, info.model, info.template, info.sampling) == (
        "Branchy", "You are terse.", "m.gguf", "chatml", {"temperature": 0.5})
    assert contents(store, new) == ["Name a colour", "Red"]
    replies = store.siblings(store.path(new)[-1].id)
    assert [(m.content, m.complete, m.stats) for m in replies] == [
        ("Red", True, STATS), ("Blue", True, STATS), ("Gre", False, None)]


def test_openai_style_import(store: ChatStore) -> None:
    cid = store.import_json({"messages": [
        {"role": "system", "content": "Be kind."},
        {"role": "user", "content": [{"type": "text", "text": "Hi "}, {"type": "text", "text": "there"}]},
        {"role": "assistant", "content": "Hello!"},
    ]})
    info = store.conversation(cid)
    assert (info.title, info.system_prompt, info.template) == ("Hi there", "Be kind.", "auto")
    path = store.path(cid)
    assert [(m.role, m.content) for m in path] == [("user", "Hi there"), ("assistant", "Hello!")]
    assert path[0].parent_id is None and path[1].parent_id == path[0].id


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([1, 2], '"messages" list'),
        ({"messages": "hi"}, '"messages" list'),
        ({"messages": [{"role": "tool", "content": "x"}]}, "message 1 has role 'tool'"),
        ({"messages": [{"role": "user", "content": 5}]}, "must be text"),
        ({"messages": ["hi"]}, "message 1 is not an object"),
        ({"messages": [], "parley": {"branches": [{"id": 1, "parent_id": 2, "role": "user", "content": ""}]}},
         "parent 2"),
        ({"messages": [], "parley": {"branches": [{"id": 1, "parent_id": 2, "role": "user", "content": ""},
                                                  {"id": 2, "parent_id": 1, "role": "user", "content": ""}]}},
         "own ancestor"),
    ],
)
def test_bad_imports_are_refused_by_name(store: ChatStore, data: object, problem: str) -> None:
    with pytest.raises(StoreError, match="Cannot import") as caught:
        store.import_json(data)  # type: ignore[arg-type]
    assert problem in str(caught.value)
    assert store.list_conversations() == []  # nothing half-imported


def test_import_orders_a_shuffled_tree_parents_first() -> None:
    parsed = store_export.parse({"messages": [], "parley": {"branches": [
        {"id": 9, "parent_id": 5, "role": "assistant", "content": "b"},
        {"id": 5, "parent_id": None, "role": "user", "content": "a"},
    ]}})
    assert [m.key for m in parsed.messages] == [5, 9] and parsed.leaf_key == 9


def test_markdown_export(store: ChatStore) -> None:
    cid = build_branched(store)
    store.switch_branch(store.siblings(store.path(cid)[-1].id)[-1].id)
    text = store.export_markdown(cid)
    assert text.startswith("# Branchy\n")
    assert "## System\n\nYou are terse." in text and "## User\n\nName a colour" in text
    assert "## Assistant\n\nGre" in text and "incomplete" in text
    assert "Red" not in text and "Blue" not in text  # only the visible branch
    assert "model m.gguf" in text and "temperature 0.5" in text


CRASHING_CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from desktop.core.conversations.store import ChatStore
    store, _ = ChatStore.open(Path({db!r}))
    cid = store.create_conversation("Crash test")
    u = store.add_message(cid, None, "user", "Tell me a story")
    r = store.add_message(cid, u, "assistant", "", complete=False)
    for text in ("Once", "Once upon", "Once upon a time"):
        store.update_message(r, content=text)
    os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_process_loses_nothing(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    child = subprocess.run([sys.executable, "-c", CRASHING_CHILD.format(repo=str(REPO), db=str(db_path))],
                           capture_output=True, text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert os.path.exists(f"{db_path}-wal")  # the commits are in the WAL, never checkpointed
    store, notice = ChatStore.open(db_path)
    assert notice is None
    [info] = store.list_conversations()
    assert info.title == "Crash test"
    assert [(m.content, m.complete) for m in store.path(info.id)] == [
        ("Tell me a story", True), ("Once upon a time", False)]
    store.close()


def test_concurrent_first_opens_migrate_once(tmp_path: Path) -> None:
    """Two processes opening a new database at the same moment must not both create the tables."""
    import threading

    path = tmp_path / "race.sqlite3"
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_it() -> None:
        start.wait()
        try:
            store, _notice = ChatStore.open(path)
            store.close()
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_stats_from_a_newer_parley_or_a_hand_edit_never_stop_a_chat_from_opening(store: ChatStore,
                                                                                db_path: Path) -> None:
    """An imported reply whose stats had an unknown key made every later start abort (GenerationStats(**stats))."""
    newer = dict(STATS, speculative_tokens=12)
    wrong = dict(STATS, generated_tokens="many")
    cid = store.import_json({"messages": [], "parley": {"branches": [
        {"id": 1, "parent_id": None, "role": "user", "content": "Hi"},
        {"id": 2, "parent_id": 1, "role": "assistant", "content": "Hello", "stats": newer},
        {"id": 3, "parent_id": 1, "role": "assistant", "content": "Hey", "stats": wrong},
    ]}})
    replies = store.siblings(store.path(cid)[-1].id)
    assert [m.stats for m in replies] == [STATS, None]  # known, well-typed fields only
    for reply in replies:
        assert reply.stats is None or GenerationStats(**reply.stats).generated_tokens == STATS["generated_tokens"]
    # A database an older Parley already wrote them into opens too.
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE messages SET stats_json = ? WHERE id = ?", (json.dumps(newer), replies[1].id))
    assert [m.stats for m in store.siblings(replies[0].id)] == [STATS, STATS]
    assert GenerationStats.from_json({"prompt_tokens": 1}) is None and GenerationStats.from_json("x") is None
