"""Saved conversations on screen: opening one, its branches ("‹ 2/3 ›"), and editing an earlier question.

A mixin of ChatController: it works on the controller's conversation, window and persistence.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.messages import ChatMessage, GenerationStats, Role
from desktop.core.sampling import SamplingParams
from desktop.core.store import StoredMessage

if TYPE_CHECKING:
    from desktop.ui.chat.controller import ChatController


class ConversationNavigation:
    """Mixed into ChatController (first base QObject): one responsibility per module, one controller object."""

    def edit_message(self: ChatController, index: int) -> None:
        """Put an earlier question back in the input; sending it makes a new branch from there."""
        messages = self.conversation.messages
        if self.generating or index >= len(messages) or messages[index].role is not Role.USER:
            return
        self._editing = index
        self.window.message_input.setPlainText(messages[index].content)
        self.window.message_input.setFocus()
        self.window.notice.show_message(
            "Editing an earlier message: Send makes a new branch from it and the old version stays "
            "(the ‹ › arrows switch between them). New chat cancels.", error=False)

    def _truncate_for_edit(self: ChatController, index: int) -> None:
        self._editing = None
        while len(self.conversation.messages) > index:
            self.conversation.messages.pop()
            self.window.chat_view.remove_last()
        self.window.chat_view.set_context_marker(None)
        if self.persistence is not None and index < len(self._path_ids):
            self.persistence.branch_from(self._path_ids[index])
        self.window.notice.hide()

    def switch_branch(self: ChatController, index: int, delta: int) -> None:
        """Show another version of message `index` (and the conversation that continues from it)."""
        persistence = self.persistence
        if persistence is None or persistence.closed or self.generating or persistence.conversation_id is None:
            return
        if index >= len(self._path_ids):
            return
        siblings = [m.id for m in persistence.store.siblings(self._path_ids[index])]
        position = siblings.index(self._path_ids[index]) + delta
        if 0 <= position < len(siblings):
            persistence.store.switch_branch(siblings[position])
            conversation_id = persistence.conversation_id
            self.show_conversation(self.window.system_prompt.text(), persistence.open(conversation_id))

    def _refresh_branches(self: ChatController) -> None:
        """Number the versions of each message on screen ("‹ 2/3 ›")."""
        persistence = self.persistence
        bubbles = self.window.chat_view.bubbles()
        if persistence is None or persistence.closed or persistence.conversation_id is None:
            self._path_ids = []
            return
        path = persistence.store.path(persistence.conversation_id)
        self._path_ids = [m.id for m in path]
        hidden = self.window.chat_view.hidden_count
        if len(path) != hidden + len(bubbles):
            return
        children: dict[int | None, list[int]] = {}
        for message in persistence.store.messages(persistence.conversation_id):
            children.setdefault(message.parent_id, []).append(message.id)
        for bubble, message in zip(bubbles, path[hidden:], strict=True):
            versions = children.get(message.parent_id, [message.id])
            bubble.set_branch(versions.index(message.id) + 1, len(versions))

    def open_conversation(self: ChatController, conversation_id: int) -> None:
        """Show a saved conversation with its own system prompt, sampling settings and model."""
        if self.persistence is None or self.persistence.closed or self.generating:
            return
        info = self.persistence.store.conversation(conversation_id)
        self.show_conversation(info.system_prompt, self.persistence.open(conversation_id))
        with contextlib.suppress(TypeError, ValueError):  # an older or damaged record keeps the current settings
            self.window.sampling.set_params(SamplingParams(**info.sampling))
        current = str(self.model.info.path) if self.model is not None else None
        if info.model and info.model != current and Path(info.model).is_file():
            self.settings.for_model(info.model).template = info.template
            self.load_model(Path(info.model))

    def show_conversation(self: ChatController, system_prompt: str, messages: Sequence[StoredMessage]) -> None:
        """Put a saved conversation back on screen, stats included, ready to continue."""
        self.conversation.clear()
        self.window.chat_view.clear()
        self.window.system_prompt.set_text(system_prompt)
        shown: list[tuple[Role, str, GenerationStats | None]] = []
        steps = self.persistence.token_steps(messages) if self.persistence is not None else {}
        for index, stored in enumerate(messages):
            stats = GenerationStats.from_json(stored.stats)
            role = Role(stored.role)
            self.conversation.messages.append(ChatMessage(role, stored.content, stats, steps.get(index, ())))
            shown.append((role, stored.content, stats))
        self.window.chat_view.show_messages(shown, steps)
        self._refresh_branches()
        self._update_buttons()
        self.refresh_raw_prompt()
