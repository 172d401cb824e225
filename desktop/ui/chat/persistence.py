"""Writes the chat into the conversation store as it happens, so a crash loses at most a second of a reply.

When writing fails for a while (another program holds the database, the disk is full), what could not be written
waits in memory, in order, and is written as soon as writing works again: with the next save, on a timer, at quit.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from PySide6.QtCore import QTimer

from desktop.core.conversations.messages import GenerationStats
from desktop.core.conversations.store import ChatStore, ConversationInfo, ReadOnlyError, StoredMessage, StoreError
from desktop.core.i18n import translate
from desktop.core.prompting.probabilities import TokenStep, steps_from_json, steps_to_json

SAVE_INTERVAL = 1.0  # seconds between saves of a streaming reply
LOCK_WAIT = 1.0  # seconds a save waits for another program's transaction while saving works
PAUSED_LOCK_WAIT = 0.05  # the same while saving is paused: retries must never freeze the window
CLOSE_LOCK_WAIT = 2.0  # the last try, at quit
RETRY_INTERVAL = 2.0  # seconds between tries while saving is paused
PART_TRIES = 12  # disk full mid-reply: halvings towards the longest part of the reply that still fits


class _Row:
    """A conversation or message as stored: its id once written (its write may still be waiting); a message we
    wrote also knows its parent and how much of its text is stored."""

    def __init__(self, row_id: int | None = None, parent: _Row | None = None, ours: bool = False) -> None:
        self.id = row_id
        self.parent = parent
        self.ours = ours
        self.stored_length = 0


@dataclass
class _NewConversation:
    row: _Row
    title: str
    fields: dict[str, Any]

    def run(self, store: ChatStore) -> None:
        self.row.id = store.create_conversation(self.title, **self.fields)


@dataclass
class _ConversationUpdate:
    row: _Row
    fields: dict[str, Any]

    def run(self, store: ChatStore) -> None:
        if self.row.id is not None:  # None: its creation failed for good, and that was reported
            store.update_conversation(self.row.id, **self.fields)


@dataclass
class _MessageWrite:
    """Adds the message, or updates it once it exists; a streaming reply's later text replaces `content` here."""

    row: _Row
    conversation: _Row
    role: str
    content: str
    stats: dict[str, Any] | None
    complete: bool

    def run(self, store: ChatStore, part: int | None = None) -> None:
        """`part`: store only that many characters, as an incomplete message (a disk that is nearly full)."""
        content = self.content if part is None else self.content[:part]
        stats, complete = (self.stats, self.complete) if part is None else (None, False)
        parent = self.row.parent
        if self.conversation.id is None or (parent is not None and parent.id is None):
            return  # what it continues could not be saved, and that was reported
        if self.row.id is None:
            self.row.id = store.add_message(self.conversation.id, None if parent is None else parent.id, self.role,
                                            content, stats=stats, complete=complete)
        else:
            store.update_message(self.row.id, content=content, stats=stats, complete=complete)
        self.row.stored_length = len(content)


@dataclass
class _StepsWrite:
    row: _Row
    steps: list[Any]

    def run(self, store: ChatStore) -> None:
        if self.row.id is not None:
            store.set_token_steps(self.row.id, self.steps)


_Write = _NewConversation | _ConversationUpdate | _MessageWrite | _StepsWrite


def _sqlite_cause(exc: StoreError) -> sqlite3.Error | None:
    """The SQLite failure behind a store error: those pass (a lock, a full disk); others are about the data."""
    cause = exc.__cause__
    return cause if isinstance(cause, sqlite3.Error) else None


def _is_full(error: sqlite3.Error) -> bool:
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "full" in str(error)


def _reason(error: sqlite3.Error) -> str:
    if getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) \
            or "locked" in str(error):
        return translate(
            "ChatPersistence", "the chat database is locked by another program (for example `parley chats import`)")
    if _is_full(error):
        return translate("ChatPersistence", "the disk is full")
    return translate("ChatPersistence", "the chat database cannot be written ({error})").format(error=error)


class ChatPersistence:
    """The conversation being shown, mirrored in the store: messages at once, a streaming reply once a second.

    A read-only database (from a newer Parley) is reported by the window and nothing is saved. Other failures pause
    saving: the person is told once, chatting goes on, and everything is saved when writing works again.
    """

    def __init__(self, store: ChatStore, notify: Callable[[str, bool], None]) -> None:
        self.store = store
        self._notify = notify  # (text, is_error)
        self._read_only = store.read_only
        self._pending: list[_Write] = []
        self._paused_because: str | None = None
        self._conversation: _Row | None = None
        self._leaf: _Row | None = None  # last message of the visible branch
        self._reply_parent: _Row | None = None
        self._reply: _Row | None = None
        self._reply_text: str | None = None  # the streaming reply as last shown, saved or not
        self._last_save = 0.0
        self.closed = False
        self._retry = QTimer()
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(lambda: self._flush(PAUSED_LOCK_WAIT))
        if not self._read_only:
            store.set_lock_wait(LOCK_WAIT)

    @property
    def conversation_id(self) -> int | None:
        """The stored conversation being shown; None for a new chat, or while its creation waits to be saved."""
        return None if self._conversation is None else self._conversation.id

    def close(self) -> None:
        """At quit: one last try to save what waits (the reply as far as it got included); later (queued) events
        must not touch the closed database."""
        if self.closed:
            return
        self._retry.stop()
        if self._reply_text is not None:  # a reply still streaming: as far as it got
            self._write_reply(self._reply_text, None, complete=False)
        if self._pending:
            self._flush(CLOSE_LOCK_WAIT, retry=False)
        if self._pending:
            messages = sum(isinstance(write, _MessageWrite) for write in self._pending)
            what = f"the last {messages} message(s)" if messages else "a conversation's settings or token details"
            print(f"Parley could not save {what}, because {self._paused_because}.", file=sys.stderr)
        self.closed = self._read_only = True
        self.store.close()

    def start_new(self) -> None:
        """The next message starts a new conversation (created lazily, so empty chats are never stored)."""
        self._conversation = self._leaf = self._reply = self._reply_parent = None

    def latest(self) -> tuple[ConversationInfo, list[StoredMessage]] | None:
        """The most recent conversation and its visible messages, to reopen at start."""
        conversations = self.store.list_conversations()
        if not conversations:
            return None
        newest = max(conversations, key=lambda c: c.updated_at)
        return newest, self.open(newest.id)

    def open(self, conversation_id: int) -> list[StoredMessage]:
        messages = self.store.path(conversation_id)
        self._conversation = _Row(conversation_id)
        self._leaf = _Row(messages[-1].id) if messages else None
        self._reply = self._reply_parent = None
        return messages

    def user_message(self, text: str, *, system_prompt: str, model: str | None, template: str,
                     sampling: Mapping[str, Any]) -> None:
        fields = {"system_prompt": system_prompt, "model": model, "template": template, "sampling": dict(sampling)}
        if self._conversation is None:
            self._conversation = _Row(ours=True)
            title = " ".join(text.split())[:60] or translate("ChatPersistence", "New chat")  # stored: the chat's title
            self._submit(_NewConversation(self._conversation, title, fields))
        else:
            self._submit(_ConversationUpdate(self._conversation, fields))
        self._leaf = _Row(parent=self._leaf, ours=True)
        self._submit(_MessageWrite(self._leaf, self._conversation, "user", text, None, True))

    def branch_from(self, message_id: int) -> None:
        """The next message continues from `message_id` (an edited question starts a new branch there)."""
        try:
            parent_id = self.store.message(message_id).parent_id
        except StoreError:
            parent_id = None
        self._leaf = None if parent_id is None else _Row(parent_id)

    def reply_started(self) -> None:
        self._reply_parent, self._reply, self._reply_text = self._leaf, None, None
        self._last_save = time.monotonic()

    def reply_text(self, content: str) -> None:
        """Called per streamed batch; saves only when a second has passed since the last save."""
        self._reply_text = content
        now = time.monotonic()
        if now - self._last_save >= SAVE_INTERVAL:
            self._last_save = now
            self._write_reply(content, None, complete=False)

    def reply_finished(self, content: str, stats: GenerationStats | None, steps: Sequence[TokenStep] = ()) -> None:
        if content or stats is not None:
            self._write_reply(content, stats, complete=stats is not None)
        if steps and self._reply is not None:
            self._submit(_StepsWrite(self._reply, steps_to_json(steps)))
        self._reply = self._reply_text = None

    def token_steps(self, messages: Sequence[StoredMessage]) -> dict[int, tuple[TokenStep, ...]]:
        """Saved token probabilities by position in `messages`."""
        try:
            saved = self.store.token_steps([m.id for m in messages])
        except (StoreError, sqlite3.Error):
            return {}
        return {i: steps for i, m in enumerate(messages) if m.id in saved and (steps := steps_from_json(saved[m.id]))}

    def reply_dropped(self) -> None:
        """Regenerate: the next reply becomes a sibling of the old one, which stays as a branch."""
        leaf = self._leaf
        if leaf is not None and leaf.ours:
            self._leaf = leaf.parent
        elif leaf is not None and leaf.id is not None:
            self.branch_from(leaf.id)

    def _write_reply(self, content: str, stats: GenerationStats | None, complete: bool) -> None:
        if self._conversation is None:
            return
        if self._reply is None:
            self._reply = self._leaf = _Row(parent=self._reply_parent, ours=True)
        stats_dict = asdict(stats) if stats is not None else None
        waiting = next((w for w in self._pending if isinstance(w, _MessageWrite) and w.row is self._reply), None)
        if waiting is None:
            self._submit(_MessageWrite(self._reply, self._conversation, "assistant", content, stats_dict, complete))
            return
        waiting.content, waiting.complete = content, complete  # the newest text replaces what waited
        waiting.stats = stats_dict if stats_dict is not None else waiting.stats
        self._flush(PAUSED_LOCK_WAIT)

    def _submit(self, write: _Write) -> None:
        if self._read_only:
            return
        self._pending.append(write)
        self._flush(PAUSED_LOCK_WAIT if self._paused_because else LOCK_WAIT)

    def _flush(self, lock_wait: float, retry: bool = True) -> None:
        """Write what waits, oldest first; stop at the first write that cannot be done yet."""
        if self._read_only or not self._pending:
            return
        self.store.set_lock_wait(lock_wait)
        try:
            while self._pending:
                write = self._pending[0]
                try:
                    write.run(self.store)
                except ReadOnlyError as exc:
                    self._pending.clear()
                    self._read_only = True
                    self._notify(translate(
                        "ChatPersistence", "Parley cannot save this conversation: {error}").format(error=exc), True)
                    return
                except StoreError as exc:
                    error = _sqlite_cause(exc)
                    if error is None:  # about this write's data (its conversation is gone): only it is lost
                        self._pending.pop(0)
                        self._notify(translate("ChatPersistence", "Parley could not save part of this "
                                               "conversation: {error}").format(error=exc), True)
                        continue
                    if isinstance(write, _MessageWrite) and write.role == "assistant" and _is_full(error):
                        self._save_longest_part(write)
                    self._pause(_reason(error), retry)
                    return
                self._pending.pop(0)
        finally:
            self.store.set_lock_wait(LOCK_WAIT)
        if self._paused_because is not None:
            self._paused_because = None
            self._retry.stop()
            self._notify(translate(
                "ChatPersistence", "Saving again: everything written while saving was paused is now saved."), False)

    def _save_longest_part(self, write: _MessageWrite) -> None:
        """The disk is too full for the whole reply: store as much of it as still fits; all of it still waits."""
        fits, too_long = write.row.stored_length, len(write.content)
        for _ in range(PART_TRIES):
            if too_long - fits <= 1:
                break
            middle = (fits + too_long) // 2
            try:
                write.run(self.store, part=middle)
            except StoreError:
                too_long = middle
            else:
                fits = middle

    def _pause(self, reason: str, retry: bool) -> None:
        if self._paused_because is None:
            self._notify(translate(
                "ChatPersistence", "Saving is paused: {reason}. Nothing is lost: the chat goes on, and what is not "
                                   "yet saved is kept in memory and saved as soon as the database can be written "
                                   "again.").format(reason=reason), True)
        self._paused_because = reason
        if retry:
            self._retry.start(round(RETRY_INTERVAL * 1000))
