"""The Raw prompt tab's feed: what the next request would send, rendered at once, then fitted to the context by the
worker (a FitRequest job) with its tokens counted per section.

A collaborator of ChatController (`controller.raw_feed`), like ConversationNavigation and TokenProbabilities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from desktop.core.conversations.messages import Role
from desktop.core.i18n import translate
from desktop.core.prompting.chat_template import TemplateError
from desktop.core.prompting.context_window import MAX_CHARS_PER_TOKEN, ChatShortener
from desktop.core.prompting.sections import SectionedPrompt
from desktop.inference.backend import FittedPrompt, GenerationRequest
from desktop.inference.jobs import FitRequest, Job
from desktop.ui.chat.raw_prompt_tokens import section_counts, sections_for

if TYPE_CHECKING:
    from desktop.ui.chat.controller import ChatController

RAW_PROMPT_DELAY_MS = 250  # typing pauses this long before the prompt is rendered again


class RawPromptFeed:
    """Keeps one ChatController's Raw prompt tab in step with the conversation and the message being typed."""

    def __init__(self, chat: ChatController) -> None:
        self.chat = chat
        self._fit_job: Job | None = None  # the latest fitting
        self._text = ""
        self._sections: SectionedPrompt | None = None  # of _text, to count its tokens per section
        self._chat: ChatShortener | None = None  # what _text was rendered from
        window = chat.window
        self._timer = QTimer(chat)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RAW_PROMPT_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        window.system_prompt.edit.textChanged.connect(self._timer.start)
        window.message_input.textChanged.connect(self._timer.start)

    def next_turns(self) -> list[dict[str, str]]:
        """What the next request would send: the conversation plus the message being typed (while a reply
        streams: the request it came from)."""
        chat = self.chat
        chat.conversation.system_prompt = chat.window.system_prompt.text()
        turns = chat.conversation.turns()
        draft = chat.window.message_input.toPlainText()
        if chat.generating:
            turns = turns[:-1]
        elif draft.strip():
            turns.append({"role": Role.USER.value, "content": draft})
        return turns

    def render(self, turns: list[dict[str, str]]) -> tuple[ChatShortener, int, str]:
        """The chat to fit (the worker leaves out what does not fit the context), the oldest exchanges too long to
        fit by their characters alone, and the render of the rest (raises TemplateError)."""
        template, model = self.chat.template, self.chat.model
        assert template is not None
        chat = ChatShortener(template, turns)
        skipped = chat.char_cap_drop(MAX_CHARS_PER_TOKEN * (model.n_ctx if model else 0))
        return chat, skipped, template.render(chat.turns(skipped)).text

    def refresh(self) -> None:
        """Render what the next request would send: the conversation plus the message being typed."""
        if self.chat.template is None:
            return
        try:
            chat, skipped, text = self.render(self.next_turns())
        except TemplateError as exc:
            self.chat.window.raw_prompt.show_error(str(exc))
            return
        self.show(chat, skipped, text)

    def show(self, chat: ChatShortener, skipped: int, text: str) -> None:
        """Show text (chat without its `skipped` oldest exchanges) and ask the worker to fit it to the context;
        a fitting asked for earlier is no longer wanted (skipped if it has not started, its answer ignored)."""
        template, raw = self.chat.template, self.chat.window.raw_prompt
        assert template is not None
        raw.show_prompt(text, self._label())
        raw.show_left_out(2 * skipped)
        self._text, self._chat = text, chat
        self._sections = sections_for(chat.turns(skipped), template)
        previous = self._fit_job
        if previous is not None and not previous.done:
            previous.cancel()
            previous.result.disconnect(self._on_fitted)
        params = self.chat.window.sampling.params()
        self._fit_job = self.chat.session.submit(FitRequest(GenerationRequest(text, params, shorten=chat)))
        self._fit_job.result.connect(self._on_fitted)

    def _label(self) -> str:
        """Which template rendered the prompt, and for a model on a server, that Parley rendered it (the server's
        own template text when it reports one) and sends it as a completion."""
        template, model = self.chat.template, self.chat.model
        label = template.label if template is not None else ""
        if model is not None and model.remote:
            return translate("RawPromptFeed", "{template}, by Parley (completion mode) for {engine}").format(
                template=label, engine=model.engine)
        return label

    def _on_fitted(self, fitted: FittedPrompt) -> None:
        """The prompt as the model will read it: the chat without what does not fit, and its tokens."""
        model, template, raw = self.chat.model, self.chat.template, self.chat.window.raw_prompt
        if model is None or template is None or self._chat is None:
            return
        if fitted.text != self._text:
            raw.show_prompt(fitted.text, self._label())
            self._text = fitted.text
            self._sections = sections_for(self._chat.turns(fitted.dropped), template)
        raw.show_left_out(2 * fitted.dropped)
        if not self.chat.generating:  # the status bar's counter follows the conversation on screen
            on_screen = bool(self.chat.conversation.messages)
            self.chat.show_context_used((fitted.at_least or max(fitted.count, 0)) if on_screen else 0)
        counts, sections = section_counts(self._sections, fitted.pieces)
        raw.show_pieces(fitted.pieces, counts, model.n_ctx, sections)
        if not fitted.pieces:
            raw.show_token_count(fitted.at_least or fitted.count, model.n_ctx, exact=not fitted.at_least)
