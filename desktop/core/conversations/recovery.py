"""Copying what can still be read out of a damaged chat database, and into a new one.

Each table is read in rowid order; where a damaged page stops the scan, the scan starts again just past it, so one
bad page costs the rows on that page and no more. Messages whose conversation was lost come back under a new title.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.conversations.messages import Role
from desktop.core.conversations.schema import MESSAGE_COLUMNS

CONVERSATION_COLUMNS = ("id, title, created_at, updated_at, pinned, deleted_at, model, system_prompt, template, "
                        "sampling_json, current_leaf_id")
MAX_SKIPS = 100_000  # unreadable rowids in a row before a table is given up (a damaged page holds far fewer)
ROLES = frozenset(r.value for r in Role)

Row = dict[str, Any]


@dataclass
class Salvage:
    """The rows that could be read, each a dict by column name."""

    conversations: list[Row] = field(default_factory=list)
    messages: list[Row] = field(default_factory=list)
    token_steps: list[Row] = field(default_factory=list)
    settings: list[Row] = field(default_factory=list)


def salvage(path: Path) -> Salvage:
    """Every row of Parley's tables that can still be read from the file at path, opened read-only; never raises."""
    try:
        db = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error:
        return Salvage()
    try:
        db.row_factory = sqlite3.Row
        return Salvage(
            conversations=_rows(db, "conversations", CONVERSATION_COLUMNS),
            messages=_rows(db, "messages", MESSAGE_COLUMNS),
            token_steps=_rows(db, "token_steps", "message_id, steps_json"),
            settings=_rows(db, "settings", "key, value_json"),
        )
    finally:
        db.close()


def _rows(db: sqlite3.Connection, table: str, columns: str) -> list[Row]:
    try:
        db.execute(f"SELECT {columns} FROM {table} LIMIT 0")  # the table and its columns are there at all
    except sqlite3.DatabaseError:
        return []
    try:
        top: int | None = db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
    except sqlite3.DatabaseError:
        top = None
    found: dict[int, Row] = {}
    after = 0  # Parley's ids start at 1
    skips = 0
    query = f"SELECT rowid AS rowid_, {columns} FROM {table} WHERE rowid > ? ORDER BY rowid"
    while skips < MAX_SKIPS and (top is None or after < top):
        try:
            cursor = db.execute(query, (after,))
            names = [d[0] for d in cursor.description]
            for row in cursor:
                found[row[0]] = dict(zip(names[1:], tuple(row)[1:], strict=True))
                after = row[0]
                skips = 0
            break  # the end of the table
        except sqlite3.DatabaseError:
            after += 1  # the row after `after` is on a damaged page: step past it and scan again
            skips += 1
    return list(found.values())


def restore(db: sqlite3.Connection, found: Salvage) -> tuple[int, int]:
    """Write the salvaged rows into a new, empty database (ids kept, so branches hold together) in one transaction;
    returns how many conversations and messages came back."""
    now = time.time()
    db.execute("BEGIN IMMEDIATE")
    try:
        leaves: dict[int, int | None] = {}  # conversation: its visible leaf as it was saved
        for row in found.conversations:
            cid = _integer(row.get("id"))
            if cid is not None and _insert_conversation(db, cid, row, now):
                leaves[cid] = _integer(row.get("current_leaf_id"))
        owner: dict[int, int] = {}  # message: its conversation
        for row in sorted(found.messages, key=lambda r: _integer(r.get("id")) or 0):
            mid, cid, role = _integer(row.get("id")), _integer(row.get("conversation_id")), row.get("role")
            if mid is None or cid is None or role not in ROLES:
                continue
            if cid not in leaves:  # the conversation's row was lost: its messages still come back
                if not _insert_conversation(db, cid, {"title": f"Recovered conversation {cid}"}, now):
                    continue
                leaves[cid] = None
            parent = _integer(row.get("parent_id"))
            if parent is not None and owner.get(parent) != cid:  # lost, or not of this conversation: a new root
                parent = None
            try:
                db.execute(
                    "INSERT INTO messages (id, conversation_id, parent_id, role, content, created_at, stats_json, "
                    "complete) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (mid, cid, parent, role,
                     _text(row.get("content"), ""), _number(row.get("created_at"), now),
                     row["stats_json"] if isinstance(row.get("stats_json"), str) else None,
                     0 if row.get("complete") == 0 else 1))
            except sqlite3.Error:
                continue
            owner[mid] = cid
        for row in found.token_steps:
            mid = _integer(row.get("message_id"))
            if mid in owner and isinstance(row.get("steps_json"), str):
                db.execute("INSERT OR REPLACE INTO token_steps (message_id, steps_json) VALUES (?, ?)",
                           (mid, row["steps_json"]))
        for row in found.settings:
            if isinstance(row.get("key"), str) and isinstance(row.get("value_json"), str):
                db.execute("INSERT OR REPLACE INTO settings (key, value_json) VALUES (?, ?)",
                           (row["key"], row["value_json"]))
        for cid, leaf in leaves.items():
            if leaf is None or owner.get(leaf) != cid:  # the saved leaf was lost: show the newest message left
                leaf = max((m for m, c in owner.items() if c == cid), default=None)
            db.execute("UPDATE conversations SET current_leaf_id = ? WHERE id = ?", (leaf, cid))
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return len(leaves), len(owner)


def _insert_conversation(db: sqlite3.Connection, cid: int, row: Row, now: float) -> bool:
    sampling = row.get("sampling_json")
    try:
        valid_sampling = isinstance(sampling, str) and isinstance(json.loads(sampling), dict)
    except (ValueError, RecursionError):
        valid_sampling = False
    created = _number(row.get("created_at"), now)
    try:
        db.execute(
            "INSERT INTO conversations (id, title, created_at, updated_at, pinned, deleted_at, model, system_prompt, "
            "template, sampling_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (cid, _text(row.get("title"), f"Recovered conversation {cid}"), created,
             _number(row.get("updated_at"), created), 1 if row.get("pinned") == 1 else 0,
             _number(row.get("deleted_at"), None), _text(row.get("model"), None),
             _text(row.get("system_prompt"), ""), _text(row.get("template"), "auto"),
             sampling if valid_sampling else "{}"))
    except sqlite3.Error:
        return False
    return True


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: object, default: Any) -> Any:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def _text(value: object, default: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return default
