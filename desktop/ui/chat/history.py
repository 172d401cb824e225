"""Saved conversations on screen: opening one, its branches ("‹ 2/3 ›"), and editing an earlier question.

A collaborator of ChatController (`controller.navigation`): it works on the controller's conversation, window and
persistence.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.conversations.messages import ChatMessage, GenerationStats, Role
from desktop.core.conversations.store import StoredMessage
from desktop.core.i18n import translate
from desktop.core.prompting.sampling import SamplingParams

if TYPE_CHECKING:
    from desktop.ui.chat.controller import ChatController


class ConversationNavigation:
    """Opening saved conversations, their branches and edits, for one ChatController."""

    def __init__(self, chat: ChatController) -> None:
        self.chat = chat

    def edit_message(self, index: int) -> None:
        """Put an earlier question back in the input; sending it makes a new branch from there."""
        messages = self.chat.conversation.messages
        if self.chat.generating or index >= len(messages) or messages[index].role is not Role.USER:
            return
        self.chat._editing = index
        self.chat.window.message_input.setPlainText(messages[index].content)
        self.chat.window.message_input.setFocus()
        self.chat.window.notice.show_message(translate(
            "ConversationNavigation", "Editing an earlier message: Send makes a new branch from it and the old "
            "version stays (the ‹ › arrows switch between them). New chat cancels."), error=False)

    def truncate_for_edit(self, index: int) -> None:
        self.chat._editing = None
        while len(self.chat.conversation.messages) > index:
            self.chat.conversation.messages.pop()
            self.chat.window.chat_view.remove_last()
        self.chat.window.chat_view.set_context_marker(None)
        if self.chat.persistence is not None and index < len(self.chat._path_ids):
            self.chat.persistence.branch_from(self.chat._path_ids[index])
        self.chat.window.notice.hide()

    def switch_branch(self, index: int, delta: int) -> None:
        """Show another version of message `index` (and the conversation that continues from it)."""
        persistence = self.chat.persistence
        if persistence is None or persistence.closed or self.chat.generating or persistence.conversation_id is None:
            return
        if index >= len(self.chat._path_ids):
            return
        siblings = [m.id for m in persistence.store.siblings(self.chat._path_ids[index])]
        position = siblings.index(self.chat._path_ids[index]) + delta
        if 0 <= position < len(siblings):
            persistence.store.switch_branch(siblings[position])
            conversation_id = persistence.conversation_id
            self.show_conversation(self.chat.window.system_prompt.text(), persistence.open(conversation_id))

    def refresh_branches(self) -> None:
        """Number the versions of each message on screen ("‹ 2/3 ›")."""
        persistence = self.chat.persistence
        bubbles = self.chat.window.chat_view.bubbles()
        if persistence is None or persistence.closed or persistence.conversation_id is None:
            self.chat._path_ids = []
            return
        path = persistence.store.path(persistence.conversation_id)
        self.chat._path_ids = [m.id for m in path]
        hidden = self.chat.window.chat_view.hidden_count
        if len(path) != hidden + len(bubbles):
            return
        children: dict[int | None, list[int]] = {}
        for message in persistence.store.messages(persistence.conversation_id):
            children.setdefault(message.parent_id, []).append(message.id)
        for bubble, message in zip(bubbles, path[hidden:], strict=True):
            versions = children.get(message.parent_id, [message.id])
            bubble.set_branch(versions.index(message.id) + 1, len(versions))

    def open_conversation(self, conversation_id: int) -> None:
        """Show a saved conversation with its own system prompt, sampling settings and model."""
        if self.chat.persistence is None or self.chat.persistence.closed or self.chat.generating:
            return
        info = self.chat.persistence.store.conversation(conversation_id)
        self.show_conversation(info.system_prompt, self.chat.persistence.open(conversation_id))
        with contextlib.suppress(TypeError, ValueError):  # an older or damaged record keeps the current settings
            self.chat.window.sampling.set_params(SamplingParams(**info.sampling))
        current = str(self.chat.model.info.path) if self.chat.model is not None else None
        if info.model and info.model != current and Path(info.model).is_file():
            self.chat.settings.for_model(info.model).template = info.template
            self.chat.load_model(Path(info.model))

    def show_conversation(self, system_prompt: str, messages: Sequence[StoredMessage]) -> None:
        """Put a saved conversation back on screen, stats included, ready to continue."""
        self.chat.conversation.clear()
        self.chat.window.chat_view.clear()
        self.chat.window.system_prompt.set_text(system_prompt)
        shown: list[tuple[Role, str, GenerationStats | None]] = []
        steps = self.chat.persistence.token_steps(messages) if self.chat.persistence is not None else {}
        for index, stored in enumerate(messages):
            stats = GenerationStats.from_json(stored.stats)
            role = Role(stored.role)
            self.chat.conversation.messages.append(ChatMessage(role, stored.content, stats, steps.get(index, ())))
            shown.append((role, stored.content, stats))
        self.chat.window.chat_view.show_messages(shown, steps)
        self.refresh_branches()
        self.chat._update_buttons()
        self.chat.raw_feed.refresh()
