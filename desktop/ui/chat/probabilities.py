"""Token probabilities in the chat: recording them, the alternatives menu, branching from an alternative,
and feeding the sampling view.

A collaborator of ChatController (`controller.probabilities`), like ConversationNavigation: it works on the
controller's conversation and window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QCursor

from desktop.core.conversations.messages import Role
from desktop.core.prompting.characters import added_text, token_bytes
from desktop.core.prompting.chat_template import TemplateError
from desktop.core.prompting.probabilities import Alternative, NextTokenDistribution, TokenStep
from desktop.inference.jobs import DistributionRequest, Job
from desktop.ui.chat.token_view import AlternativesMenu, span_title, step_label

if TYPE_CHECKING:
    from desktop.ui.chat.controller import ChatController


class TokenProbabilities:
    """Token probabilities for one ChatController."""

    def __init__(self, chat: ChatController) -> None:
        self.chat = chat
        self._distribution_job: Job | None = None  # the sampling view's latest question
        self.last_menu: AlternativesMenu | None = None  # for tests and scripts

    def connect(self) -> None:
        w = self.chat.window
        w.chat_view.tokenClicked.connect(self.token_clicked)
        w.token_view_button.toggled.connect(self.set_token_view)
        w.sampling_view.follow(w.sampling)
        w.sampling_view.promptDistributionRequested.connect(self.show_prompt_distribution)

    def set_token_view(self, on: bool) -> None:
        """Show replies token by token; turning it on also records probabilities for the replies to come, and
        turning it off stops recording them (chat at full speed again)."""
        w = self.chat.window
        w.chat_view.set_token_view(on)
        if not on:
            w.sampling.record_probabilities.setChecked(False)
        if on and not w.sampling.record_probabilities.isChecked():
            w.sampling.record_probabilities.setChecked(True)
            reply = self.chat.conversation.last_reply
            if reply is not None and not reply.steps:
                w.notice.show_message(
                    "Token probabilities are recorded from now on (Settings → Probabilities). Replies written "
                    "before have none: Regenerate one to see why the model chose each token.", error=False)

    def record_steps(self, steps: tuple[TokenStep, ...]) -> None:
        """The reply job's token probabilities, just before its end (the controller connects its reply job)."""
        reply = self.chat.conversation.last_reply
        if reply is None:
            return
        reply.steps = self.chat._prefix_steps + steps
        self.chat.window.chat_view.set_steps(len(self.chat.conversation.messages) - 1, reply.steps)

    # --- alternatives -------------------------------------------------------------------

    def token_clicked(self, message_index: int, step_index: int) -> None:
        steps = self.chat.window.chat_view.steps(message_index)
        if not 0 <= step_index < len(steps):
            return
        menu = AlternativesMenu(
            steps[step_index],
            on_continue=lambda alternative: self.continue_with(message_index, step_index, alternative),
            on_inspect=lambda: self.show_step_distribution(message_index, step_index),
            enabled=self.chat.can_generate(),
            parent=self.chat.window,
            heading=span_title(steps, step_index),
        )
        self.last_menu = menu
        menu.popup(QCursor.pos())

    def continue_with(self, message_index: int, step_index: int, alternative: Alternative) -> None:
        """Keep the reply up to this token, take `alternative` instead, and let the model go on from there.

        The result is a new version of the reply (a branch): the original stays, reachable with ‹ ›.
        """
        messages = self.chat.conversation.messages
        if not self.chat.can_generate() or not 0 <= message_index < len(messages):
            return
        if messages[message_index].role is not Role.ASSISTANT:
            return
        steps = self.chat.window.chat_view.steps(message_index)
        if not 0 <= step_index < len(steps):
            return
        step = steps[step_index]
        chosen = TokenStep(alternative.token_id, _alternative_text(steps[:step_index], alternative),
                           alternative.probability, step.entropy, step.alternatives, alternative.raw)
        prefix = (*steps[:step_index], chosen)
        while len(messages) > message_index:  # the reply and whatever followed it leave the screen, not the store
            messages.pop()
            self.chat.window.chat_view.remove_last()
        self.chat.window.chat_view.set_context_marker(None)
        if self.chat.persistence is not None and message_index < len(self.chat._path_ids):
            self.chat.persistence.branch_from(self.chat._path_ids[message_index])
        self.chat._start_reply(prefix=prefix)

    # --- sampling view ------------------------------------------------------------------

    def _prompt_before(self, message_index: int) -> str | None:
        """The prompt the reply at message_index was generated from (all turns before it)."""
        if self.chat.template is None:
            return None
        self.chat.conversation.system_prompt = self.chat.window.system_prompt.text()
        turns = self.chat.conversation.turns()
        offset = len(turns) - len(self.chat.conversation.messages)  # 1 with a system prompt
        try:
            return self.chat.template.render(turns[:offset + message_index]).text
        except TemplateError as exc:
            self.chat.window.sampling_view.set_message(str(exc))
            return None

    def show_step_distribution(self, message_index: int, step_index: int) -> None:
        steps = self.chat.window.chat_view.steps(message_index)
        prompt = self._prompt_before(message_index)
        if prompt is None or not 0 <= step_index < len(steps):
            return
        step = steps[step_index]
        context = f"Token {step_index + 1} of this reply: the model picked {step_label(steps, step_index)}"
        self._request_distribution(prompt, tuple(s.token_id for s in steps[:step_index]), context, step.token_id)

    def show_prompt_distribution(self) -> None:
        """The next token after the current prompt (the conversation plus the message being typed)."""
        if self.chat.template is None or self.chat.model is None:
            self.chat.window.sampling_view.set_message("Load a model first.")
            return
        try:
            prompt = self.chat.template.render(self.chat.raw_feed.next_turns()).text
        except TemplateError as exc:
            self.chat.window.sampling_view.set_message(str(exc))
            return
        self._request_distribution(prompt, (), "The first token of the next reply, after the prompt", -1)

    def _request_distribution(self, prompt: str, token_ids: tuple[int, ...], context: str,
                              chosen: int) -> None:
        """Ask for the distribution; one asked for before and not answered yet is no longer wanted."""
        view = self.chat.window.sampling_view
        self.chat.window.side_tabs.setCurrentWidget(view)
        view.set_busy(True)
        previous = self._distribution_job
        if previous is not None and not previous.done:
            previous.cancel()
            previous.result.disconnect(self._on_distribution)
            previous.failed.disconnect(self._on_distribution_failed)
        job = self.chat.session.submit(DistributionRequest(prompt, token_ids, context, chosen))
        job.result.connect(self._on_distribution)
        job.failed.connect(self._on_distribution_failed)
        self._distribution_job = job

    def _on_distribution(self, distribution: NextTokenDistribution) -> None:
        self.chat.window.sampling_view.set_busy(False)
        self.chat.window.sampling_view.set_distribution(distribution)

    def _on_distribution_failed(self, message: str) -> None:
        self.chat.window.sampling_view.set_busy(False)
        self.chat.window.sampling_view.set_message(message)


def _alternative_text(before: tuple[TokenStep, ...], alternative: Alternative) -> str:
    """What the alternative adds to the reply after the steps before it: "" if it starts a character, the whole
    character if it completes one (its shown text, ‹E6 88›, is not reply text)."""
    if alternative.raw is None:  # saved before Parley kept bytes: the text is all there is
        return alternative.text
    return added_text([token_bytes(step) for step in before], alternative.raw)
