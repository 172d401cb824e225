"""Search finds Chinese and Japanese words, mixed text and emoji inside a run of text (issue 16), English search is
the word search it was, and a database made before the substring index gets it when opened, losing nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.conversations import schema
from desktop.core.conversations.store import SCHEMA_VERSION, ChatStore

CHINESE = "我下周要去北京出差，顺便看看故宫。"
JAPANESE = "来月は東京で開かれる学会に参加します"
MIXED = "我们用GPT模型做了实验，temperature 设为 0.7"
EMOJI = "Party tonight 🎉 bring snacks"
ENGLISH = "The concatenate function joins strings"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "parley.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[ChatStore]:
    s, _ = ChatStore.open(db_path)
    yield s
    s.close()


def found(store: ChatStore, query: str) -> list[str]:
    return [store.message(h.message_id).content for h in store.search(query)]


def fill(store: ChatStore) -> int:
    cid = store.create_conversation("旅行")
    for text in (CHINESE, JAPANESE, MIXED, EMOJI, ENGLISH):
        store.add_message(cid, None, "user", text)
    return cid


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("北京", [CHINESE]),  # two characters: shorter than a trigram
        ("故宫", [CHINESE]),
        ("北京出差", [CHINESE]),  # the trigram index
        ("東京", [JAPANESE]),
        ("学会", [JAPANESE]),
        ("GPT模型", [MIXED]),
        ("gpt模型", [MIXED]),  # ASCII letters fold
        ("模型", [MIXED]),
        ("模型 temperature", [MIXED]),  # terms ANDed
        ("模型 北京", []),
        ("🎉", [EMOJI]),
        ("北京。", [CHINESE]),  # punctuation around a word is not looked for
        ("「東京」", [JAPANESE]),
        ("上海", []),
        ("北%京", []),  # LIKE's wildcards are plain text
        ("t模", [MIXED]),  # two characters, one of them a letter to fold: LIKE
        ('"北京', [CHINESE]),
        ("。", []),  # punctuation alone finds nothing
    ],
)
def test_chinese_japanese_mixed_and_emoji_are_found(store: ChatStore, query: str, expected: list[str]) -> None:
    fill(store)
    assert found(store, query) == expected


def test_english_search_stays_word_search(store: ChatStore) -> None:
    fill(store)
    store.add_message(store.create_conversation("Cats"), None, "user", "A cat’s life — café au lait")
    assert found(store, "cat") == ["A cat’s life — café au lait"]  # a word (prefix), never inside "concatenate"
    assert found(store, "cafe") == ["A cat’s life — café au lait"]  # diacritics still folded
    assert found(store, "concat") == [ENGLISH]
    store.add_message(store.create_conversation("GPT"), None, "user", "GPT模型很强")
    assert found(store, "GPT") == ["GPT模型很强"]  # the start of the run GPT模型很强, as before
    assert found(store, "Party") == [EMOJI]


def test_snippets_mark_matches(store: ChatStore) -> None:
    fill(store)
    [hit] = store.search("北京")
    assert hit.title == "旅行" and "**北京**" in hit.snippet and hit.snippet.replace("**", "") in CHINESE
    [hit] = store.search("gpt模型")
    assert "**GPT模型**" in hit.snippet
    long = "前言" * 60 + "北京" + "后记" * 60
    store.add_message(store.create_conversation("长"), None, "assistant", long)
    hit = store.search("北京")[0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…") and "**北京**" in hit.snippet
    assert len(hit.snippet) < 60


def test_edits_deletes_and_deleted_conversations(store: ChatStore) -> None:
    cid = fill(store)
    [hit] = store.search("北京出差")
    store.update_message(hit.message_id, content="plain ASCII now")
    assert store.search("北京出差") == [] and store.search("北京") == []
    store.update_message(hit.message_id, content="改成了上海出差")
    assert found(store, "上海出差") == ["改成了上海出差"]
    store.delete_conversation(cid)
    assert store.search("上海") == [] and store.search("上海出差") == []
    store.restore_conversation(cid)
    assert len(store.search("上海出差")) == 1
    store.delete_conversation(cid)
    store.purge_deleted()
    assert store._db.execute("SELECT count(*) FROM messages_trigram_docsize").fetchone()[0] == 0


def test_the_index_holds_exactly_the_messages_beyond_ascii(store: ChatStore) -> None:
    cid = fill(store)
    plain = store.add_message(cid, None, "user", "ascii only")
    store.update_message(plain, content="now 中文")
    store.update_message(plain, content="ascii again")
    store.update_message(plain, content="and 日本語 once more")
    indexed = {r[0] for r in store._db.execute("SELECT id FROM messages_trigram_docsize")}
    beyond = {m.id for m in store.messages(cid) if not m.content.isascii()}
    assert indexed == beyond and plain in indexed and len(beyond) == 5
    assert store._db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert found(store, "日本語") == ["and 日本語 once more"]


def version_2(path: Path) -> None:
    """A database as Parley made it before issue 16: schema version 2, the unicode61 index alone, with chats."""
    path.parent.mkdir(parents=True)
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("BEGIN")
    for migrate in schema.MIGRATIONS[:2]:
        migrate(raw)
    raw.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '2')")
    raw.execute("INSERT INTO conversations (id, title, created_at, updated_at) VALUES (1, '旅行', 1, 1)")
    raw.execute("INSERT INTO conversations (id, title, created_at, updated_at, deleted_at) VALUES (2, 'gone', 1, 1, 5)")
    for i, text in enumerate((CHINESE, JAPANESE, MIXED, EMOJI, ENGLISH)):
        raw.execute("INSERT INTO messages (conversation_id, role, content, created_at) VALUES (1, 'user', ?, ?)",
                    (text, 10 + i))
    raw.execute("INSERT INTO messages (conversation_id, role, content, created_at) VALUES (2, 'user', '北京烤鸭', 20)")
    raw.execute("COMMIT")
    raw.close()


def all_messages(path: Path) -> list[tuple[object, ...]]:
    raw = sqlite3.connect(path)
    try:
        return [tuple(r) for r in raw.execute("SELECT * FROM messages ORDER BY id")]
    finally:
        raw.close()


def test_an_older_database_gets_the_index_and_keeps_every_message(db_path: Path) -> None:
    version_2(db_path)
    before = all_messages(db_path)
    store, notice = ChatStore.open(db_path)
    assert notice is None and not store.read_only and SCHEMA_VERSION == 3
    assert found(store, "北京") == [CHINESE]  # not the deleted conversation's 北京烤鸭
    assert found(store, "東京") == [JAPANESE] and found(store, "GPT模型") == [MIXED] and found(store, "🎉") == [EMOJI]
    assert found(store, "concatenate") == [ENGLISH]
    store.restore_conversation(2)
    assert found(store, "北京烤鸭") == ["北京烤鸭"]
    store.close()
    after = all_messages(db_path)
    assert after == before
    raw = sqlite3.connect(db_path)
    assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("3",)
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.close()


def test_a_failed_migration_leaves_the_database_as_it_was(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    version_2(db_path)
    before = all_messages(db_path)
    fail_with_messages = "SELECT CASE WHEN EXISTS (SELECT 1 FROM messages) THEN json('not json') END"  # the last step
    monkeypatch.setattr(schema, "_TRIGRAM", (*schema._TRIGRAM, fail_with_messages))
    store, notice = ChatStore.open(db_path)
    store.close()
    assert notice is not None  # told, and nothing of the file changed
    assert all_messages(db_path) == before
    raw = sqlite3.connect(db_path)
    assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
    assert not raw.execute("SELECT name FROM sqlite_master WHERE name LIKE 'messages_trigram%'").fetchall()
    raw.close()
    monkeypatch.undo()
    again, notice = ChatStore.open(db_path)  # the next start migrates
    assert notice is None and found(again, "北京") == [CHINESE]
    again.close()


def test_without_the_trigram_tokenizer_search_scans(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "TRIGRAM_SUPPORTED", False)
    version_2(db_path)
    store, notice = ChatStore.open(db_path)
    assert notice is None
    assert not store._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'messages_trigram'").fetchall()
    for query, expected in (("北京", CHINESE), ("北京出差", CHINESE), ("gpt模型", MIXED), ("🎉", EMOJI)):
        assert found(store, query) == [expected]
    assert found(store, "G_T模型") == [] and found(store, "北京%") == [CHINESE]  # % stripped as punctuation
    store.add_message(1, None, "user", "新的消息")
    assert found(store, "新的消息") == ["新的消息"]
    store.close()
