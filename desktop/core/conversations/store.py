"""Conversations in one SQLite file in the data folder: every message is committed the moment it exists.

Messages form a tree (edits and regenerations add siblings, never overwrite), so nothing the person saw is lost.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from desktop.core.conversations import export as store_export
from desktop.core.conversations.export import ConversationInfo, SearchHit, StoredMessage
from desktop.core.conversations.messages import Role
from desktop.core.conversations.opening import open_database
from desktop.core.conversations.schema import (
    MESSAGE_COLUMNS,
    SCHEMA_VERSION,
    has_trigram,
    insert_message,
    message_from_row,
)
from desktop.core.conversations.search import search as search_messages
from desktop.core.errors import ParleyError
from desktop.core.i18n import translate

ROLES = frozenset(r.value for r in Role)


class StoreError(ParleyError):
    """The store cannot do what was asked; str() is fit to show the person."""


class ReadOnlyError(StoreError):
    """A write to a database that a newer Parley made, which this version must not change."""


__all__ = [
    "SCHEMA_VERSION", "ChatStore", "ConversationInfo", "ReadOnlyError", "SearchHit", "StoreError", "StoredMessage",
]


_CONVERSATION_FIELDS = {"title", "pinned", "system_prompt", "model", "template", "sampling"}


class ChatStore:
    """The person's conversations; one instance per database file, used from one thread."""

    def __init__(self, db: sqlite3.Connection, path: Path, read_only: bool, newer_version: int | None = None,
                 reason: str | None = None, unsaved: bool = False) -> None:
        self._db = db
        self.file = path
        self.read_only = read_only
        self.unsaved = unsaved  # an in-memory stand-in: the file could not be used, nothing is kept after quitting
        self._newer_version = newer_version
        self._reason = reason
        self._trigram: bool | None = None  # whether the file has the substring index: looked up on first search

    @classmethod
    def open(cls, path: Path) -> tuple[ChatStore, str | None]:
        """The store and a notice for the person, or None when all was well (or the file is from a newer Parley:
        `read_only` says so). Never raises: an unusable file or folder gives a read-only or an `unsaved` store and a
        notice saying why and what to do; a damaged file is set aside after what can be read is copied out."""
        path = Path(path)
        opened = open_database(path)
        return cls(opened.db, path, opened.read_only, opened.newer_version, opened.reason, opened.unsaved), \
            opened.notice

    def close(self) -> None:
        self._db.close()

    def set_lock_wait(self, seconds: float) -> None:
        """How long a write waits for another program's transaction before failing with "database is locked"."""
        self._db.execute(f"PRAGMA busy_timeout = {max(0, round(seconds * 1000))}")

    def __enter__(self) -> ChatStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction; SQLite failures (disk full, locked) surface as StoreError."""
        if self.read_only and self._reason:
            raise ReadOnlyError(self._reason)
        if self.read_only:
            raise ReadOnlyError(translate(
                "ChatStore", "This chat database was made by a newer version of Parley (schema {version}; this "
                "version knows {known}), so it is open read-only. Update Parley to change it."
            ).format(version=self._newer_version, known=SCHEMA_VERSION))
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(translate("ChatStore", "Cannot write to the chat database: {error}").format(
                    error=exc)) from exc
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(translate("ChatStore", "Cannot write to the chat database: {error}").format(
                    error=exc)) from exc
            raise

    # Conversations

    def create_conversation(self, title: str = "New chat", *, system_prompt: str = "", model: str | None = None,
                            template: str = "auto", sampling: Mapping[str, Any] | None = None) -> int:
        now = time.time()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO conversations (title, created_at, updated_at, model, system_prompt, template, "
                "sampling_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (title, now, now, model, system_prompt, template, json.dumps(dict(sampling or {}))))
            return int(cursor.lastrowid or 0)

    def _conversations(self, where: str, args: tuple[Any, ...]) -> list[ConversationInfo]:
        rows = self._db.execute(
            "SELECT c.*, (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count "
            f"FROM conversations c WHERE {where} ORDER BY c.pinned DESC, c.updated_at DESC, c.id DESC", args)
        return [ConversationInfo(
            id=r["id"], title=r["title"], created_at=r["created_at"], updated_at=r["updated_at"],
            pinned=bool(r["pinned"]), model=r["model"], system_prompt=r["system_prompt"], template=r["template"],
            sampling=json.loads(r["sampling_json"]), message_count=r["message_count"], deleted_at=r["deleted_at"],
        ) for r in rows]

    def conversation(self, conversation_id: int) -> ConversationInfo:
        """Also answers for a soft-deleted conversation, so an undo can show what it restores."""
        found = self._conversations("c.id = ?", (conversation_id,))
        if not found:
            raise StoreError(translate("ChatStore", "There is no conversation {id}.").format(id=conversation_id))
        return found[0]

    def list_conversations(self) -> list[ConversationInfo]:
        """Not deleted; pinned first, then the most recently active."""
        return self._conversations("c.deleted_at IS NULL", ())

    def update_conversation(self, conversation_id: int, **fields: Any) -> None:
        unknown = set(fields) - _CONVERSATION_FIELDS
        if unknown:
            raise StoreError(f"Conversations have no field {', '.join(sorted(unknown))}.")
        columns = {("sampling_json" if k == "sampling" else k): v for k, v in fields.items()}
        if "sampling_json" in columns:
            columns["sampling_json"] = json.dumps(dict(columns["sampling_json"] or {}))
        if "pinned" in columns:
            columns["pinned"] = int(bool(columns["pinned"]))
        if not columns:
            return
        with self._write() as db:
            self._require_conversation(conversation_id)
            db.execute(f"UPDATE conversations SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                       (*columns.values(), conversation_id))

    def _require_conversation(self, conversation_id: int) -> None:
        if self._db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone() is None:
            raise StoreError(translate("ChatStore", "There is no conversation {id}.").format(id=conversation_id))

    def delete_conversation(self, conversation_id: int) -> None:
        """Soft delete: hidden from the list and search until restored or purged."""
        with self._write() as db:
            self._require_conversation(conversation_id)
            db.execute("UPDATE conversations SET deleted_at = ? WHERE id = ?", (time.time(), conversation_id))

    def restore_conversation(self, conversation_id: int) -> None:
        with self._write() as db:
            self._require_conversation(conversation_id)
            db.execute("UPDATE conversations SET deleted_at = NULL WHERE id = ?", (conversation_id,))

    def purge_deleted(self, older_than: float | None = None) -> int:
        """Delete for good what was deleted before `older_than` (epoch seconds; None: all); returns how many."""
        cutoff = float("inf") if older_than is None else older_than
        with self._write() as db:
            where = "deleted_at IS NOT NULL AND deleted_at < ?"
            db.execute(f"DELETE FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE {where})",
                       (cutoff,))
            return db.execute(f"DELETE FROM conversations WHERE {where}", (cutoff,)).rowcount

    # Messages

    def add_message(self, conversation_id: int, parent_id: int | None, role: str, content: str, *,
                    stats: Mapping[str, Any] | None = None, complete: bool = True) -> int:
        """Committed before returning; becomes the visible branch's leaf."""
        if role not in ROLES:
            raise StoreError(f"Unknown message role {role!r}; expected one of {', '.join(sorted(ROLES))}.")
        now = time.time()
        with self._write() as db:
            self._require_conversation(conversation_id)
            if parent_id is not None:
                parent = db.execute("SELECT conversation_id FROM messages WHERE id = ?", (parent_id,)).fetchone()
                if parent is None or parent[0] != conversation_id:
                    raise StoreError(translate(
                        "ChatStore", "Message {message} is not part of conversation {id}.").format(
                        message=parent_id, id=conversation_id))
            message_id = insert_message(db, conversation_id, parent_id, role, content, now, stats, complete)
            db.execute("UPDATE conversations SET current_leaf_id = ?, updated_at = ? WHERE id = ?",
                       (message_id, now, conversation_id))
        return message_id

    def update_message(self, message_id: int, *, content: str | None = None, stats: Mapping[str, Any] | None = None,
                       complete: bool | None = None) -> None:
        """A streaming save: call as often as once a second; each call is its own commit."""
        columns: dict[str, Any] = {}
        if content is not None:
            columns["content"] = content
        if stats is not None:
            columns["stats_json"] = json.dumps(dict(stats))
        if complete is not None:
            columns["complete"] = int(complete)
        with self._write() as db:
            row = db.execute("SELECT conversation_id FROM messages WHERE id = ?", (message_id,)).fetchone()
            if row is None:
                raise StoreError(translate("ChatStore", "There is no message {id}.").format(id=message_id))
            if columns:
                db.execute(f"UPDATE messages SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                           (*columns.values(), message_id))
                db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (time.time(), row[0]))

    def set_token_steps(self, message_id: int, steps: list[Any]) -> None:
        """Save a reply's token probabilities (JSON-able list), replacing any saved before."""
        with self._write() as db:
            if db.execute("SELECT 1 FROM messages WHERE id = ?", (message_id,)).fetchone() is None:
                raise StoreError(translate("ChatStore", "There is no message {id}.").format(id=message_id))
            db.execute("INSERT OR REPLACE INTO token_steps (message_id, steps_json) VALUES (?, ?)",
                       (message_id, json.dumps(steps, ensure_ascii=False, separators=(",", ":"))))

    def token_steps(self, message_ids: list[int]) -> dict[int, Any]:
        """Saved token probabilities of these messages (those that have any)."""
        found: dict[int, Any] = {}
        for start in range(0, len(message_ids), 500):  # SQLite caps the number of parameters
            chunk = message_ids[start:start + 500]
            rows = self._db.execute(
                f"SELECT message_id, steps_json FROM token_steps WHERE message_id IN ({','.join('?' * len(chunk))})",
                chunk)
            for message_id, data in rows:
                try:
                    found[int(message_id)] = json.loads(data)
                except ValueError:
                    continue
        return found

    def message(self, message_id: int) -> StoredMessage:
        row = self._db.execute(f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            raise StoreError(translate("ChatStore", "There is no message {id}.").format(id=message_id))
        return message_from_row(row)

    def messages(self, conversation_id: int) -> list[StoredMessage]:
        """Every message of every branch, oldest first."""
        rows = self._db.execute(
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,))
        return [message_from_row(r) for r in rows]

    def path(self, conversation_id: int) -> list[StoredMessage]:
        """The visible conversation: root to current leaf, one recursive query up the parent links."""
        self._require_conversation(conversation_id)
        rows = self._db.execute(f"""
            WITH RECURSIVE chain(id, depth) AS (
                SELECT current_leaf_id, 0 FROM conversations WHERE id = ? AND current_leaf_id IS NOT NULL
                UNION ALL
                SELECT m.parent_id, chain.depth + 1 FROM messages m JOIN chain ON m.id = chain.id
                WHERE m.parent_id IS NOT NULL)
            SELECT {', '.join(f'm.{c}' for c in MESSAGE_COLUMNS.split(', '))}
            FROM chain JOIN messages m ON m.id = chain.id ORDER BY chain.depth DESC""", (conversation_id,))
        return [message_from_row(r) for r in rows]

    def siblings(self, message_id: int) -> list[StoredMessage]:
        """The alternatives at this point of the tree (itself included), oldest first."""
        me = self.message(message_id)
        rows = self._db.execute(
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY id",
            (me.conversation_id, me.parent_id))
        return [message_from_row(r) for r in rows]

    def switch_branch(self, message_id: int) -> None:
        """Show message_id's branch, continuing down its most recently created replies to a leaf."""
        me = self.message(message_id)
        leaf = self._db.execute("""
            WITH RECURSIVE down(id, depth) AS (
                SELECT ?, 0
                UNION ALL
                SELECT (SELECT max(c.id) FROM messages c WHERE c.parent_id = down.id), depth + 1 FROM down
                WHERE EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = down.id))
            SELECT id FROM down ORDER BY depth DESC LIMIT 1""", (message_id,)).fetchone()[0]
        with self._write() as db:
            db.execute("UPDATE conversations SET current_leaf_id = ? WHERE id = ?", (leaf, me.conversation_id))

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text over every message of every conversation not deleted, newest first; any text is safe. Chinese,
        Japanese, Korean, Thai and emoji are found inside a run of text (conversations.search)."""
        if self._trigram is None:
            self._trigram = has_trigram(self._db)
        return search_messages(self._db, query, limit, self._trigram)

    # Settings

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self._db.execute("SELECT value_json FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        try:
            encoded = json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise StoreError(translate("ChatStore", "Setting {key} cannot be saved: {error}").format(
                key=repr(key), error=exc)) from exc
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO settings (key, value_json) VALUES (?, ?)", (key, encoded))

    # Export and import (formats live in store_export)

    def export_json(self, conversation_id: int) -> dict[str, Any]:
        info = self.conversation(conversation_id)
        return store_export.to_json(info, self.path(conversation_id), self.messages(conversation_id), SCHEMA_VERSION)

    def export_markdown(self, conversation_id: int) -> str:
        return store_export.to_markdown(self.conversation(conversation_id), self.path(conversation_id))

    def import_json(self, data: Mapping[str, Any]) -> int:
        """Parley's own export (with its branches) or plain OpenAI-style {"messages": [...]}, in short transactions
        (a running Parley's saves get in between); hidden until complete and removed again if it fails."""
        try:
            parsed = store_export.parse(data)
        except ValueError as exc:
            raise StoreError(translate("ChatStore", "Cannot import this conversation: {error}").format(
                error=exc)) from exc
        now = time.time()
        with self._write() as db:
            cid = int(db.execute(
                "INSERT INTO conversations (title, created_at, updated_at, model, system_prompt, template, "
                "sampling_json, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (parsed.title, parsed.created_at or now, now, parsed.model, parsed.system_prompt, parsed.template,
                 json.dumps(parsed.sampling), store_export.IMPORTING)).lastrowid or 0)
        ids: dict[int, int] = {}
        try:
            for batch in store_export.import_batches(parsed.messages):
                time.sleep(store_export.IMPORT_PAUSE)
                with self._write() as db:
                    for m in batch:
                        parent = None if m.parent_key is None else ids[m.parent_key]
                        ids[m.key] = insert_message(db, cid, parent, m.role, m.content, m.created_at or now, m.stats,
                                                    m.complete)
            leaf = ids.get(parsed.leaf_key) if parsed.leaf_key is not None else None
            with self._write() as db:
                db.execute("UPDATE conversations SET current_leaf_id = ?, deleted_at = NULL WHERE id = ?", (leaf, cid))
        except BaseException:
            with suppress(StoreError), self._write() as db:  # if this fails too, the part stays hidden
                db.execute("DELETE FROM conversations WHERE id = ?", (cid,))
            raise
        return cid
