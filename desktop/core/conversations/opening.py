"""Opening the chat database whatever state the file and its folder are in: never a traceback at start.

A database Parley can write is opened as usual (and migrated). One it cannot write (read-only disk, full disk,
unknown schema version, newer schema) is opened read-only when it can still be read; a damaged one is set aside
after every readable conversation is copied into a new one; anything else (a folder or someone else's database at
the database's path, a data folder that is a file) gives an in-memory store whose chats are not saved. Each but the
plain and the newer-schema case comes with a notice saying what is wrong and what to do.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.core.conversations.recovery import CONVERSATION_COLUMNS, restore, salvage
from desktop.core.conversations.schema import (
    MESSAGE_COLUMNS,
    MIGRATIONS,
    SCHEMA_VERSION,
    is_damage,
    retry_while_locked,
    set_aside,
)
from desktop.core.i18n import translate
from desktop.core.os_reason import os_reason


def not_saved() -> str:
    return translate("ChatDatabase", "Chats in this session are kept in memory only: they are not saved.")


def restart() -> str:
    return translate("ChatDatabase", "then restart Parley (or start it with --data-dir on another folder)")


@dataclass
class Opened:
    db: sqlite3.Connection
    read_only: bool = False
    newer_version: int | None = None
    reason: str | None = None  # why a read-only database cannot be written, for the refusal of a write
    unsaved: bool = False  # in memory: nothing is kept after quitting
    notice: str | None = None


class _UnusableError(Exception):
    """A database, but not one Parley may use; str() says why."""


class _UnknownVersionError(Exception):
    """meta's schema_version is not a number (args[0]: what it is)."""


def open_database(path: Path) -> Opened:
    """Never raises: see the module's docstring."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _unsaved(translate(
            "ChatDatabase", "Parley cannot use {folder} as its data folder ({why}). {not_saved} Make it a writable "
            "folder, {restart}.").format(folder=path.parent, why=_why(exc), not_saved=not_saved(), restart=restart()))
    if path.is_dir():
        return _unsaved(translate(
            "ChatDatabase", "Parley's chat database {path} is a folder, not a file. {not_saved} Move that folder "
            "away (Parley then starts a new database), {restart}.").format(path=path, not_saved=not_saved(),
                                                                            restart=restart()))
    try:
        return retry_while_locked(lambda: _connect_writable(path))
    except _UnusableError as exc:
        return _unsaved(translate(
            "ChatDatabase", "{path} is not a Parley chat database ({why}), so Parley leaves it as it is. {not_saved} "
            "Move that file away, {restart}.").format(path=path, why=exc, not_saved=not_saved(), restart=restart()))
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return _recover(path)
        return _read_only(path, exc)
    except OSError as exc:
        return _read_only(path, exc)


def _why(exc: BaseException, folder: Path | None = None) -> str:
    """What went wrong, in words; for SQLite's vague "unable to open database file", what the folder shows."""
    why = os_reason(exc) if isinstance(exc, OSError) else str(exc)
    if folder is None:
        return why
    try:
        disk = os.statvfs(folder)
        if disk.f_flag & os.ST_RDONLY:
            return translate("ChatDatabase", "{why}: the disk is read-only").format(why=why)
        if disk.f_bavail == 0:
            return translate("ChatDatabase", "{why}: the disk is full").format(why=why)
    except (OSError, AttributeError):  # no statvfs on Windows
        pass
    if not os.access(folder, os.W_OK):
        return translate("ChatDatabase", "{why}: no permission to write there").format(why=why)
    return why


def _setup(db: sqlite3.Connection) -> None:
    """For writing: only once the file is known to be Parley's (WAL mode changes the file's header)."""
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")


def _connect_writable(path: Path) -> Opened:
    db = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    try:
        db.row_factory = sqlite3.Row
        try:
            version = _checked_version(db)
        except _UnknownVersionError as unknown:
            shown = repr(unknown.args[0])
            _require_parley_tables(db, translate(
                "ChatDatabase", "its schema version {version} is not one Parley knows").format(version=shown))
            db.execute("PRAGMA query_only = ON")
            return Opened(db, read_only=True,
                          reason=translate("ChatDatabase", "This chat database's schema version ({version}) is not "
                                           "one Parley knows, so it is open read-only.").format(version=shown),
                          notice=translate("ChatDatabase", "Parley's chat database {path} has a schema version "
                                           "Parley does not know ({version}), so your conversations are shown "
                                           "read-only and new chats are not saved. To save again, move that file "
                                           "away (Parley then starts a new database) and restart Parley."
                                           ).format(path=path, version=shown))
        if version > SCHEMA_VERSION:
            _require_parley_tables(db, translate(
                "ChatDatabase", "its schema version {version} is newer than Parley's").format(version=version))
            db.execute("PRAGMA query_only = ON")
            return Opened(db, read_only=True, newer_version=version)
        _setup(db)
        if version < SCHEMA_VERSION:
            _migrate(db)
    except BaseException:
        db.close()
        raise
    return Opened(db)


def _migrate(db: sqlite3.Connection) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        # Another process (a second Parley, `parley chats`) may have migrated while we waited.
        version = _checked_version(db)
        for migrate in MIGRATIONS[version:]:
            migrate(db)
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                   (str(max(version, SCHEMA_VERSION)),))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _checked_version(db: sqlite3.Connection) -> int:
    """The schema version after a quick integrity check; sqlite3.DatabaseError when damaged, _UnusableError for
    someone else's database, _UnknownVersionError when meta holds something that is not a version."""
    check = db.execute("PRAGMA quick_check").fetchall()
    if [tuple(r) for r in check] != [("ok",)]:
        raise sqlite3.DatabaseError(f"integrity check failed: {check[0][0]}")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if "meta" in tables else None
    if row is None:
        others = sorted(t for t in tables if t != "meta" and not t.startswith("sqlite_"))
        if others:
            raise _UnusableError(translate("ChatDatabase", "it holds other tables: {tables}").format(
                tables=", ".join(others[:5])))
        return 0
    try:
        version = int(row[0])
    except (TypeError, ValueError):
        raise _UnknownVersionError(row[0]) from None
    if version < 0:
        raise _UnknownVersionError(row[0])
    return version


def _require_parley_tables(db: sqlite3.Connection, why: str) -> None:
    """Reading a database whose schema Parley did not write: the columns the chat list and view read are there."""
    try:
        db.execute(f"SELECT {CONVERSATION_COLUMNS} FROM conversations LIMIT 0")
        db.execute(f"SELECT {MESSAGE_COLUMNS} FROM messages LIMIT 0")
        db.execute("SELECT message_id, steps_json FROM token_steps LIMIT 0")
        db.execute("SELECT key, value_json FROM settings LIMIT 0")
    except sqlite3.DatabaseError:
        raise _UnusableError(why) from None


def _memory() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.row_factory = sqlite3.Row
    _setup(db)
    _migrate(db)
    return db


def _unsaved(notice: str) -> Opened:
    return Opened(_memory(), unsaved=True, notice=notice)


def _read_only(path: Path, failure: BaseException) -> Opened:
    """The file cannot be opened for writing (read-only or full disk, no permission, locked for too long)."""
    why = _why(failure, path.parent)
    try:
        empty = not path.is_file() or path.stat().st_size == 0
    except OSError:
        empty = True
    if empty:
        return _unsaved(translate(
            "ChatDatabase", "Parley cannot create its chat database {path} ({why}). {not_saved} Free some disk "
            "space or make {folder} writable, {restart}.").format(path=path, why=why, not_saved=not_saved(),
                                                                  folder=path.parent, restart=restart()))
    uri = path.absolute().as_uri()
    for mode in ("mode=ro", "immutable=1"):  # immutable: a read-only disk where SQLite cannot make its -shm file
        try:
            db = sqlite3.connect(f"{uri}?{mode}", uri=True, isolation_level=None)
        except sqlite3.Error:
            continue
        try:
            db.row_factory = sqlite3.Row
            try:
                version = _checked_version(db)
            except _UnknownVersionError:
                version = SCHEMA_VERSION + 1  # read as it is
            if version < SCHEMA_VERSION:  # an older schema: migrate a copy in memory, so every query works
                memory = sqlite3.connect(":memory:", isolation_level=None)
                db.backup(memory)
                db.close()
                db = memory
                db.row_factory = sqlite3.Row
                _setup(db)
                _migrate(db)
            else:
                _require_parley_tables(db, "")
            db.execute("PRAGMA query_only = ON")
        except (sqlite3.Error, _UnusableError):
            db.close()
            continue
        return Opened(db, read_only=True,
                      reason=translate("ChatDatabase", "Parley cannot write to its chat database ({why}), so it is "
                                       "open read-only.").format(why=why),
                      notice=translate("ChatDatabase", "Parley cannot write to its chat database {path} ({why}), "
                                       "so your conversations are shown read-only and new chats are not saved. Free "
                                       "some disk space or make {folder} writable, then restart Parley."
                                       ).format(path=path, why=why, folder=path.parent))
    return _unsaved(translate(
        "ChatDatabase", "Parley cannot open its chat database {path} ({why}). {not_saved} Free some disk space or "
        "make {folder} writable, {restart}.").format(path=path, why=why, not_saved=not_saved(), folder=path.parent,
                                                     restart=restart()))


def _recover(path: Path) -> Opened:
    """Copy out what can be read, set the damaged file aside whole, start a new one with what came back."""
    found = salvage(path)
    try:
        copy = set_aside(path)
    except OSError as exc:
        opened = _unsaved("")
        conversations, _messages = restore(opened.db, found)
        opened.notice = translate(
            "ChatDatabase", "Parley's chat database {path} is damaged and could not be set aside ({why}). {count} "
            "could still be read and are shown. {not_saved} Move the damaged file away, {restart}."
        ).format(path=path, why=_why(exc), count=_count(conversations), not_saved=not_saved(), restart=restart())
        return opened
    try:
        opened = _connect_writable(path)
    except (sqlite3.Error, OSError, _UnusableError) as exc:
        opened = _unsaved("")
        conversations, _messages = restore(opened.db, found)
        opened.notice = translate(
            "ChatDatabase", "Parley's chat database was damaged; it was set aside as {copy}, and a new one could not "
            "be created at {path} ({why}). {count} could still be read and are shown. {not_saved}"
        ).format(copy=copy, path=path, why=_why(exc), count=_count(conversations), not_saved=not_saved())
        return opened
    try:
        conversations, messages = restore(opened.db, found)
    except sqlite3.Error as exc:  # a full disk while writing what came back
        opened.notice = translate(
            "ChatDatabase", "Parley's chat database was damaged and was set aside as {copy}; the conversations that "
            "could still be read could not be copied into the new one ({why}).").format(copy=copy, why=_why(exc))
        return opened
    if conversations:
        opened.notice = translate(
            "ChatDatabase", "Parley's chat database was damaged. {count} ({messages} messages) could still be read "
            "and were copied into a new database; the damaged file was set aside as {copy}."
        ).format(count=_count(conversations), messages=messages, copy=copy)
    else:
        opened.notice = translate(
            "ChatDatabase", "Parley's chat database was damaged and could not be read. It was set aside as {copy} "
            "and a new, empty one was started.").format(copy=copy)
    return opened


def _count(conversations: int) -> str:
    if conversations == 1:  # English's two forms kept apart; Chinese has one
        return translate("ChatDatabase", "%n conversation", None, conversations)
    return translate("ChatDatabase", "%n conversations", None, conversations)
