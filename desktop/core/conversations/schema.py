"""The chat database: schema, migrations, row mapping, and how a damaged file is recognised and set aside.

Opening (and what happens when the file cannot be used) is store_open's; copying out of a damaged file is
store_recovery's."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from desktop.core.conversations.export import StoredMessage
from desktop.core.conversations.messages import GenerationStats
from desktop.core.files import set_aside as _set_aside_file

T = TypeVar("T")

_SCHEMA_1 = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE conversations (
        id INTEGER PRIMARY KEY, title TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0, deleted_at REAL, model TEXT, system_prompt TEXT NOT NULL DEFAULT '',
        template TEXT NOT NULL DEFAULT 'auto', sampling_json TEXT NOT NULL DEFAULT '{}', current_leaf_id INTEGER)""",
    """CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
        role TEXT NOT NULL, content TEXT NOT NULL, created_at REAL NOT NULL, stats_json TEXT,
        complete INTEGER NOT NULL DEFAULT 1)""",
    "CREATE INDEX messages_by_conversation ON messages(conversation_id)",
    "CREATE INDEX messages_by_parent ON messages(parent_id)",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value_json TEXT NOT NULL)",
    """CREATE VIRTUAL TABLE messages_fts USING fts5(
        content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content); END""",
    """CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content); END""",
    """CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
        INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content); END""",
)


def _migrate_to_1(db: sqlite3.Connection) -> None:
    # One execute per statement: executescript() would commit the migration's transaction half-way.
    for statement in _SCHEMA_1:
        db.execute(statement)


def _migrate_to_2(db: sqlite3.Connection) -> None:
    """Token probabilities of generated replies (issue 6): one JSON list per message, deleted with it."""
    db.execute("""CREATE TABLE token_steps (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE, steps_json TEXT NOT NULL)""")


# FTS5's `trigram` tokenizer came with SQLite 3.34 (Python's own builds have had it since 3.10 on Windows and macOS;
# Linux distributions since Debian 11 / Ubuntu 22.04). Without it no messages_trigram table is made and search finds
# such text by scanning the messages instead (search.py): slower on a big history, never missing a hit. A database
# made with the table cannot be written by an SQLite without the tokenizer (its triggers fail), as with any newer file.
TRIGRAM_SUPPORTED = sqlite3.sqlite_version_info >= (3, 34, 0)

# Only messages with a character beyond ASCII are indexed by substring: the words that unicode61 cannot find inside a
# run of text (Chinese, Japanese, Thai, emoji) are never ASCII, and the test is cheap (length in bytes against length
# in characters) where a GLOB over character ranges would cost milliseconds on every streaming save of a long reply.
# The same test guards the insert and the delete of a row, so the index never holds what its 'delete' does not undo.
# Its shadow table messages_trigram_docsize lists the messages it holds (search.py scans those for short words).
_NOT_ASCII = "length(CAST({0}.content AS BLOB)) > length({0}.content)"

_TRIGRAM = (
    """CREATE VIRTUAL TABLE messages_trigram USING fts5(
        content, content='messages', content_rowid='id', tokenize='trigram')""",
    f"""CREATE TRIGGER messages_trigram_insert AFTER INSERT ON messages WHEN {_NOT_ASCII.format("new")} BEGIN
        INSERT INTO messages_trigram(rowid, content) VALUES (new.id, new.content); END""",
    f"""CREATE TRIGGER messages_trigram_delete AFTER DELETE ON messages WHEN {_NOT_ASCII.format("old")} BEGIN
        INSERT INTO messages_trigram(messages_trigram, rowid, content) VALUES ('delete', old.id, old.content); END""",
    f"""CREATE TRIGGER messages_trigram_update AFTER UPDATE OF content ON messages
        WHEN {_NOT_ASCII.format("old")} OR {_NOT_ASCII.format("new")} BEGIN
        INSERT INTO messages_trigram(messages_trigram, rowid, content)
            SELECT 'delete', old.id, old.content WHERE {_NOT_ASCII.format("old")};
        INSERT INTO messages_trigram(rowid, content)
            SELECT new.id, new.content WHERE {_NOT_ASCII.format("new")}; END""",
    f"INSERT INTO messages_trigram(rowid, content) SELECT id, content FROM messages m WHERE {_NOT_ASCII.format('m')}",
)


def _migrate_to_3(db: sqlite3.Connection) -> None:
    """Search finds Chinese and Japanese words and emoji (issue 16): unicode61 takes a run of CJK text for one word,
    so a substring index of the messages that can hold such text, filled from the messages already there. Runs inside
    _migrate's one transaction: a failure leaves the database as it was."""
    if not TRIGRAM_SUPPORTED:
        return
    try:
        db.execute(_TRIGRAM[0])
    except sqlite3.OperationalError as exc:  # an SQLite built without it: only this statement is undone
        if "tokenize" in str(exc):
            return
        raise
    for statement in _TRIGRAM[1:]:
        db.execute(statement)


def has_trigram(db: sqlite3.Connection) -> bool:
    """Whether this database has the substring index (not made where SQLite lacks the tokenizer, or dropped by a
    newer Parley whose file is read here), and this SQLite can read it."""
    return TRIGRAM_SUPPORTED and db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'messages_trigram'").fetchone() is not None


# MIGRATIONS[i] takes a database from schema version i to i + 1; a new version is one more function here.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_to_1, _migrate_to_2, _migrate_to_3]
SCHEMA_VERSION = len(MIGRATIONS)

MESSAGE_COLUMNS = "id, conversation_id, parent_id, role, content, created_at, stats_json, complete"


def message_from_row(row: sqlite3.Row) -> StoredMessage:
    """A messages row (selected as MESSAGE_COLUMNS) as the StoredMessage callers see."""
    return StoredMessage(
        id=row["id"], conversation_id=row["conversation_id"], parent_id=row["parent_id"], role=row["role"],
        content=row["content"], created_at=row["created_at"],
        stats=_stats(row["stats_json"]), complete=bool(row["complete"]),
    )


def _stats(text: str | None) -> dict[str, Any] | None:
    """Stored stats with known, well-typed fields only: what an older import or a newer Parley wrote never stops a
    conversation from opening."""
    if text is None:
        return None
    try:
        return GenerationStats.clean_json(json.loads(text))
    except (ValueError, RecursionError):
        return None


def insert_message(db: sqlite3.Connection, conversation_id: int, parent_id: int | None, role: str, content: str,
                    created_at: float, stats: Mapping[str, Any] | None, complete: bool) -> int:
    cursor = db.execute(
        "INSERT INTO messages (conversation_id, parent_id, role, content, created_at, stats_json, complete) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", (conversation_id, parent_id, role, content, created_at,
                                         None if stats is None else json.dumps(dict(stats)), int(complete)))
    return int(cursor.lastrowid or 0)


def retry_while_locked(connect: Callable[[], T], patience: float = 10.0) -> T:
    """connect(), retried while another process holds the file: switching a new file to WAL can report
    "database is locked" at once, without waiting in SQLite's busy handler (seen with four first opens)."""
    deadline = time.monotonic() + patience
    delay = 0.01
    while True:
        try:
            return connect()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Corruption, not a locked or unreachable file: only a damaged file may be set aside."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return not isinstance(exc, sqlite3.OperationalError)


def set_aside(path: Path) -> Path:
    """Move the damaged database and its -wal/-shm to parley.sqlite3.damaged-<time> so support can still look at it."""
    return _set_aside_file(path, ("-wal", "-shm"))
