"""Writes the chat into the conversation store as it happens, so a crash loses at most a second of a reply."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from desktop.core.messages import GenerationStats
from desktop.core.probabilities import TokenStep, steps_from_json, steps_to_json
from desktop.core.store import ChatStore, ConversationInfo, StoredMessage, StoreError

SAVE_INTERVAL = 1.0  # seconds between saves of a streaming reply


class ChatPersistence:
    """The conversation being shown, mirrored in the store: messages at once, a streaming reply once a second.

    Store failures (read-only database from a newer Parley, full disk) are reported once and chatting goes on.
    """

    def __init__(self, store: ChatStore, notify: Callable[[str], None]) -> None:
        self.store = store
        self._notify = notify
        self._failed = store.read_only
        self.conversation_id: int | None = None
        self._leaf: int | None = None  # last saved message of the visible branch
        self._reply_parent: int | None = None
        self._reply_id: int | None = None
        self._last_save = 0.0
        self.closed = False

    def close(self) -> None:
        """At quit: later (queued) events must not touch the closed database."""
        self.closed = self._failed = True
        self.store.close()

    def start_new(self) -> None:
        """The next message starts a new conversation (created lazily, so empty chats are never stored)."""
        self.conversation_id = self._leaf = self._reply_id = self._reply_parent = None

    def latest(self) -> tuple[ConversationInfo, list[StoredMessage]] | None:
        """The most recent conversation and its visible messages, to reopen at start."""
        conversations = self.store.list_conversations()
        if not conversations:
            return None
        newest = max(conversations, key=lambda c: c.updated_at)
        return newest, self.open(newest.id)

    def open(self, conversation_id: int) -> list[StoredMessage]:
        messages = self.store.path(conversation_id)
        self.conversation_id = conversation_id
        self._leaf = messages[-1].id if messages else None
        self._reply_id = self._reply_parent = None
        return messages

    def user_message(self, text: str, *, system_prompt: str, model: str | None, template: str,
                     sampling: Mapping[str, Any]) -> None:
        def write() -> None:
            if self.conversation_id is None:
                title = " ".join(text.split())[:60] or "New chat"
                self.conversation_id = self.store.create_conversation(
                    title, system_prompt=system_prompt, model=model, template=template, sampling=sampling)
            else:
                self.store.update_conversation(self.conversation_id, system_prompt=system_prompt, model=model,
                                               template=template, sampling=dict(sampling))
            self._leaf = self.store.add_message(self.conversation_id, self._leaf, "user", text)

        self._guard(write)

    def branch_from(self, message_id: int) -> None:
        """The next message continues from `message_id` (an edited question starts a new branch there)."""
        try:
            self._leaf = self.store.message(message_id).parent_id
        except StoreError:
            self._leaf = None

    def reply_started(self) -> None:
        self._reply_parent, self._reply_id, self._last_save = self._leaf, None, time.monotonic()

    def reply_text(self, content: str) -> None:
        """Called per streamed batch; saves only when a second has passed since the last save."""
        now = time.monotonic()
        if now - self._last_save >= SAVE_INTERVAL:
            self._last_save = now
            self._save(content, None, complete=False)

    def reply_finished(self, content: str, stats: GenerationStats | None, steps: Sequence[TokenStep] = ()) -> None:
        if content or stats is not None:
            self._save(content, stats, complete=stats is not None)
        reply_id = self._reply_id
        if steps and reply_id is not None:
            self._guard(lambda: self.store.set_token_steps(reply_id, steps_to_json(steps)))
        self._reply_id = None

    def token_steps(self, messages: Sequence[StoredMessage]) -> dict[int, tuple[TokenStep, ...]]:
        """Saved token probabilities by position in `messages`."""
        try:
            saved = self.store.token_steps([m.id for m in messages])
        except (StoreError, sqlite3.Error):
            return {}
        return {i: steps for i, m in enumerate(messages) if m.id in saved and (steps := steps_from_json(saved[m.id]))}

    def reply_dropped(self) -> None:
        """Regenerate: the next reply becomes a sibling of the old one, which stays as a branch."""
        if self._leaf is not None:
            self.branch_from(self._leaf)

    def _save(self, content: str, stats: GenerationStats | None, complete: bool) -> None:
        if self.conversation_id is None:
            return
        conversation_id = self.conversation_id
        stats_dict = asdict(stats) if stats is not None else None

        def write() -> None:
            if self._reply_id is None:
                self._reply_id = self.store.add_message(conversation_id, self._reply_parent, "assistant", content,
                                                        stats=stats_dict, complete=complete)
                self._leaf = self._reply_id
            else:
                self.store.update_message(self._reply_id, content=content, stats=stats_dict, complete=complete)

        self._guard(write)

    def _guard(self, write: Callable[[], None]) -> None:
        if self._failed:
            return
        try:
            write()
        except StoreError as exc:
            self._failed = True
            self._notify(f"Parley cannot save this conversation: {exc} The chat goes on, but it is not being saved.")
