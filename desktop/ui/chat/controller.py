"""Chat behaviour: sending, streaming, stopping, regenerating, the model status (the raw prompt, saved
conversations and token probabilities are its collaborators: raw_feed, navigation, probabilities)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.core.conversations.messages import Conversation, GenerationStats, Role
from desktop.core.engines.config import is_remote, remote_label
from desktop.core.i18n import translate
from desktop.core.models.builtin import builtin_note, chat_note, is_builtin, is_chat_builtin
from desktop.core.models.template_choice import template_choices
from desktop.core.prompting.chat_template import ChatTemplate, TemplateError
from desktop.core.prompting.probabilities import TokenStep
from desktop.core.prompting.sampling import PRESETS
from desktop.core.settings import Settings
from desktop.inference.backend import GenerationRequest, LoadedModel
from desktop.inference.jobs import Job
from desktop.inference.session import ModelSession
from desktop.ui.chat.history import ConversationNavigation
from desktop.ui.chat.persistence import ChatPersistence
from desktop.ui.chat.probabilities import TokenProbabilities
from desktop.ui.chat.raw_feed import RawPromptFeed
from desktop.ui.chat.view import MessageBubble

if TYPE_CHECKING:  # the window holds the chat's widgets; the shell builds it around the chat, not the reverse
    from desktop.ui.shell.main_window import MainWindow

class ChatController(QObject):
    """Owns the conversation; the window only shows it, the session owns the model and its jobs run it."""

    generationStarted = Signal()
    generationEnded = Signal()

    def __init__(self, window: MainWindow, session: ModelSession, settings: Settings,
                 persistence: ChatPersistence | None = None) -> None:
        super().__init__(window)
        self.persistence = persistence
        self.window = window
        self.session = session
        self.settings = settings
        self.conversation = Conversation(system_prompt=settings.system_prompt)
        self.last_request: GenerationRequest | None = None
        self._reply_job: Job | None = None  # the reply streaming now
        self._reply_bubble: MessageBubble | None = None
        self._context_used = 0
        self._clear_when_done = False
        self._editing: int | None = None  # index of the user message being edited
        self._path_ids: list[int] = []  # stored ids of the messages on screen
        self._prefix_steps: tuple[TokenStep, ...] = ()  # a reply continued from a chosen alternative starts so
        self.navigation = ConversationNavigation(self)  # saved conversations, branches, edits
        self.probabilities = TokenProbabilities(self)  # token probabilities, alternatives, the sampling view
        self.raw_feed = RawPromptFeed(self)  # what the next request would send, fitted, in the Raw prompt tab

        w = window
        w.system_prompt.set_text(settings.system_prompt)
        w.message_input.submitted.connect(self.send)
        w.send_button.clicked.connect(w.message_input.submit)
        w.stop_button.clicked.connect(self.stop)
        w.stop_shortcut.activated.connect(self.stop)
        w.regenerate_button.clicked.connect(self.regenerate)
        w.new_chat_button.clicked.connect(self.new_chat)
        w.template_combo.activated.connect(self._template_chosen)
        w.chat_view.branchRequested.connect(self.navigation.switch_branch)
        w.chat_view.editRequested.connect(self.navigation.edit_message)
        w.chat_view.earlierShown.connect(self.navigation.refresh_branches)

        session.loading.connect(self._on_loading)
        session.modelChanged.connect(self._on_model_changed)
        session.loadFailed.connect(self._on_load_failed)
        session.templateChanged.connect(lambda _template: self.raw_feed.refresh())
        # Another page's work (a load, a few-shot run, a scoring, a comparison) holds the model: nothing is sent.
        session.client.busyChanged.connect(lambda _busy: self._update_buttons())
        self.probabilities.connect()
        self._update_buttons()

    @property
    def model(self) -> LoadedModel | None:
        return self.session.model

    @property
    def template(self) -> ChatTemplate | None:
        return self.session.template

    @property
    def generating(self) -> bool:
        return self._reply_job is not None

    @property
    def reply_job(self) -> Job | None:
        """The reply streaming now (None between replies), for whoever wants to follow it to its end."""
        return self._reply_job

    def can_generate(self) -> bool:
        """A reply may start: a model is loaded, none is streaming, and no other work holds the model (a load, a
        few-shot run, a scoring, a comparison: the queue is busy only with work that is not the chat's)."""
        return self.model is not None and self._reply_job is None and not self.session.busy

    # --- models -------------------------------------------------------------------

    def load_model(self, path: Path, fallback: Callable[[], Path | None] | None = None) -> Job:
        """Load path with its remembered settings; if that fails before any model is loaded, load fallback."""
        return self.session.load(path, fallback)

    def _on_loading(self, path: str) -> None:
        self.window.set_busy(True)
        name = remote_label(path) if is_remote(path) else Path(path).name
        self.window.model_status.setText(translate("ChatController", "Loading {name}…").format(name=name))
        self._update_buttons()

    def _on_model_changed(self, model: LoadedModel) -> None:
        """The person's model is loaded: its templates, its remembered system prompt and preset, its status."""
        self.window.set_busy(False)
        remembered = self.settings.for_model(model.info.path)
        combo = self.window.template_combo
        combo.blockSignals(True)
        combo.clear()
        for key, label in template_choices(model.info):
            combo.addItem(label, key)
        combo.setCurrentIndex(max(0, combo.findData(remembered.template)))
        combo.blockSignals(False)
        if remembered.system_prompt is not None and not self.conversation.messages:
            self.window.system_prompt.set_text(remembered.system_prompt)
        if remembered.sampling_preset in PRESETS:
            self.window.sampling.set_preset(remembered.sampling_preset)
        self._show_model_hint(model)
        if model.notice:  # e.g. fewer layers on the GPU than asked for: it works, but the person should know
            self.window.notice.show_message(model.notice, error=False)
        self._context_used = 0
        self._update_status()
        self._update_buttons()
        self.raw_feed.refresh()

    def _on_load_failed(self, _path: str, message: str) -> None:
        """The session says what failed (and whether it opened the built-in model instead)."""
        self.window.set_busy(False)
        self.window.notice.show_message(message)
        self._update_status()
        self._update_buttons()

    def _template_chosen(self, index: int) -> None:
        self.session.choose_template(self.window.template_combo.itemData(index))

    def _show_model_hint(self, model: LoadedModel) -> None:
        hint = self.window.model_hint
        if is_chat_builtin(model.info.path):
            hint.setText(translate(
                "ChatController", "Built-in model · instruction-tuned. {note}").format(note=chat_note()))
            hint.show()
        elif is_builtin(model.info.path):
            hint.setText(translate("ChatController", "Built-in model · base model. {note}").format(note=builtin_note()))
            hint.show()
        elif not model.info.chat_template:
            hint.setText(translate(
                "ChatController", "This model has no chat template of its own, so it may be a base model: "
                                   "few-shot prompts suit it best."))
            hint.show()
        else:
            hint.hide()

    def show_context_used(self, tokens: int) -> None:
        """The status bar's counter: the tokens of the conversation on screen (0 for a new one)."""
        self._context_used = tokens
        self._update_status()

    def _update_status(self) -> None:
        model = self.model
        if model is None:
            self.window.model_status.setText(translate("ChatController", "No model loaded"))
            return
        info = model.info
        quantization = [] if model.remote else [info.quantization or translate(
            "ChatController", "unknown quantisation")]  # the server knows
        context = translate("ChatController", "context {used}/{size}").format(used=self._context_used, size=model.n_ctx)
        parts = [info.name, *quantization, context, model.offload_summary]
        self.window.model_status.setText(" · ".join(parts))

    # --- chat ---------------------------------------------------------------------

    def send(self, text: str) -> None:
        if not self.can_generate() or not text.strip():
            return
        self.window.message_input.clear()
        if self._editing is not None:
            self.navigation.truncate_for_edit(self._editing)
        self.conversation.add_user(text)
        if self.persistence is not None and self.model is not None:
            self.persistence.user_message(
                text, system_prompt=self.window.system_prompt.text(), model=str(self.model.info.path),
                template=self.settings.for_model(self.model.info.path).template,
                sampling=self.window.sampling.params().as_dict())
        self._start_reply(new_user_message=text)

    def regenerate(self) -> None:
        """Replace the last reply, or answer a last message that has none (e.g. after a template error)."""
        if not self.can_generate() or not self.conversation.messages:
            return
        if self.conversation.drop_last_reply() is not None:
            self.window.chat_view.remove_last()
            if self.persistence is not None:
                self.persistence.reply_dropped()
        self._start_reply()

    def stop(self) -> None:
        """Stop the reply within a token; the text so far stays and its end arrives as usual. A reply still
        queued (behind the raw prompt's fitting) is stopped as soon as it starts, so it ends like any other."""
        job = self._reply_job
        if job is None:
            return
        if job.running:
            job.cancel()
        else:
            job.started.connect(job.cancel)

    def new_chat(self) -> None:
        if self.generating:
            # The reply stops within a token; start afresh once it has ended.
            self._clear_when_done = True
            self.stop()
            return
        self.conversation.clear()
        self.window.chat_view.clear()
        self._editing = None
        self._path_ids = []
        if self.persistence is not None:
            self.persistence.start_new()
        self._context_used = 0
        self._update_status()
        self._update_buttons()
        self.raw_feed.refresh()

    def _start_reply(self, new_user_message: str | None = None, prefix: tuple[TokenStep, ...] = ()) -> None:
        """Send the request first, then build the bubbles while llama.cpp reads the prompt.

        `prefix`: the reply starts with these tokens (continuing from a chosen alternative)."""
        assert self.template is not None
        self.conversation.system_prompt = self.window.system_prompt.text()  # the person's default: ChatDefaults
        try:
            chat, skipped, text = self.raw_feed.render(self.conversation.turns())
        except TemplateError as exc:
            if new_user_message is not None:  # keep what the person typed on screen
                self.window.chat_view.add_message(Role.USER, new_user_message)
            self.window.notice.show_message(str(exc))
            self._update_buttons()
            return
        request = GenerationRequest(text, self.window.sampling.params(), self.template.stop, shorten=chat,
                                    alternatives=self.window.sampling.alternatives_count(),
                                    forced=tuple(step.token_id for step in prefix))
        job = self.session.submit(request)
        job.text.connect(self._on_text)
        job.steps.connect(self.probabilities.record_steps)
        job.result.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        job.finished.connect(lambda: self._on_skipped(job))
        self._reply_job = job
        self._prefix_steps = prefix
        if self.persistence is not None:
            self.persistence.reply_started()
        self.generationStarted.emit()
        self.last_request = request
        reply = self.conversation.start_reply()
        reply.content = "".join(step.text for step in prefix)
        reply.steps = prefix
        if new_user_message is not None:
            self.window.chat_view.add_message(Role.USER, new_user_message)
        self._reply_bubble = self.window.chat_view.add_message(Role.ASSISTANT, reply.content)
        self._update_buttons()
        self.raw_feed.show(chat, skipped, text)

    def _on_text(self, text: str) -> None:
        reply = self.conversation.last_reply
        if reply is not None and self._reply_bubble is not None:
            reply.content += text
            self._reply_bubble.append(text)
            if self.persistence is not None:
                self.persistence.reply_text(reply.content)

    def _on_finished(self, stats: GenerationStats) -> None:
        """The reply's end (also a stopped one: its stats say so)."""
        reply = self.conversation.last_reply
        if reply is not None:
            reply.stats = stats
            if self.persistence is not None:
                self.persistence.reply_finished(reply.content, stats, reply.steps)
        if self._reply_bubble is not None:
            self._reply_bubble.finish(stats)
        # Mark where the model's view now starts: after the dropped exchanges.
        self.window.chat_view.set_context_marker(2 * stats.dropped_turns if stats.dropped_turns else None)
        self._context_used = stats.prompt_tokens + stats.generated_tokens
        self._end_generation()

    def _on_skipped(self, job: Job) -> None:
        """A reply job that ended without a result or a failure never ran (skipped while quitting)."""
        if job is self._reply_job:
            self._on_failed(None)

    def _on_failed(self, message: str | None) -> None:
        """The reply failed (message, shown), or never ran (None); a partial reply stays."""
        if self._reply_bubble is not None:
            self._reply_bubble.finish(None)
        reply = self.conversation.last_reply
        if self.persistence is not None and reply is not None:
            self.persistence.reply_finished(reply.content, None)  # a partial reply is kept, marked incomplete
        if reply is not None and not reply.content:
            self.conversation.drop_last_reply()
            self.window.chat_view.remove_last()
        if message is not None:
            self.window.notice.show_message(message)
        self._end_generation()

    def _end_generation(self) -> None:
        self._reply_job = None
        self._reply_bubble = None
        self.navigation.refresh_branches()
        self._update_status()
        self._update_buttons()
        self.generationEnded.emit()
        if self._clear_when_done:
            self._clear_when_done = False
            self.new_chat()
            return
        self.raw_feed.refresh()

    def _update_buttons(self) -> None:
        w = self.window
        ready = self.can_generate()
        w.send_button.setEnabled(ready)
        w.stop_button.setEnabled(self.generating)
        w.regenerate_button.setEnabled(ready and bool(self.conversation.messages))
