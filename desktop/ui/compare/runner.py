"""Runs the Compare page's columns one after another on the shared worker, loading other models when asked.

There is one worker and one loaded model, so a column on another model loads it, and the chat's model is
loaded again once every column is done: the chat must find things as it left them.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.core.conversations.messages import GenerationStats
from desktop.core.instruments.experiment import ColumnResult, CompareConfig, build_prompt
from desktop.core.prompting.chat_template import ChatTemplate, TemplateError
from desktop.inference.backend import GenerationRequest, LoadedModel, LoadOptions
from desktop.inference.worker import InferenceClient


def same_file(a: Path | str | None, b: Path | str | None) -> bool:
    if a is None or b is None:
        return False
    a, b = Path(a), Path(b)
    return a == b or a.resolve() == b.resolve()


@dataclass(frozen=True)
class ColumnJob:
    index: int
    config: CompareConfig  # with the seed already fixed
    model: Path  # the file to run it on


@dataclass(frozen=True)
class ChatModel:
    """The chat's model when a run starts; loaded again at the end if a column swapped it out."""

    path: Path
    template: ChatTemplate
    options: LoadOptions


class _State(enum.Enum):
    IDLE = "idle"
    BETWEEN = "between"
    LOADING = "loading"
    GENERATING = "generating"
    RELOADING = "reloading"


def run_order(jobs: list[ColumnJob], chat_path: Path) -> list[ColumnJob]:
    """The chat's model first, then each other model's columns together: as few loads as possible."""
    models: list[Path] = [chat_path]
    for job in jobs:
        if not any(same_file(job.model, m) for m in models):
            models.append(job.model)
    return [job for m in models for job in jobs if same_file(job.model, m)]


class CompareRunner(QObject):
    """Turns the client's signals into per-column ones; ignores every signal while it is not running."""

    columnLoading = Signal(int, str)  # column index, model file name
    columnStarted = Signal(int)
    columnText = Signal(int, str)
    columnFinished = Signal(int, object)  # column index, ColumnResult
    reloading = Signal(str)  # the chat's model file name
    failed = Signal(str)  # not one column's problem: the chat's model could not be loaded again
    finished = Signal()

    def __init__(self, client: InferenceClient, template_for: Callable[[LoadedModel], ChatTemplate],
                 options_for: Callable[[Path], LoadOptions], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self._template_for = template_for
        self._options_for = options_for
        self._state = _State.IDLE
        self._queue: deque[ColumnJob] = deque()
        self._chat: ChatModel | None = None
        self._prompt = ""
        self._loaded: Path | None = None  # None: unknown, after a failed load
        self._template: ChatTemplate | None = None
        self._wanted: Path | None = None
        self._text: list[str] = []
        self._stopping = False
        self.swapped = False  # the last run loaded another model (and then the chat's again)
        client.modelLoaded.connect(self._on_loaded)
        client.modelLoadFailed.connect(self._on_load_failed)
        client.textReady.connect(self._on_text)
        client.generationFinished.connect(self._on_finished)
        client.generationFailed.connect(self._on_failed)

    @property
    def running(self) -> bool:
        return self._state is not _State.IDLE

    def run(self, prompt: str, jobs: list[ColumnJob], chat: ChatModel) -> None:
        if self.running or not jobs:
            return
        self._prompt, self._chat = prompt, chat
        self._queue = deque(run_order(jobs, chat.path))
        self._loaded, self._template = chat.path, chat.template
        self._stopping = False
        self.swapped = False
        self._state = _State.BETWEEN
        self._next()

    def stop(self) -> None:
        """Ends the current column within a token; the others are not run. A swapped model is still swapped back."""
        if not self.running:
            return
        self._stopping = True
        if self._state is _State.GENERATING:
            self.client.stop()

    # --- the sequence ----------------------------------------------------------------------------------------

    def _next(self) -> None:
        assert self._chat is not None
        if self._stopping:
            while self._queue:
                job = self._queue.popleft()
                self.columnFinished.emit(job.index, ColumnResult(model=str(job.model), error="Not run: stopped"))
        if not self._queue:
            if same_file(self._loaded, self._chat.path):
                self._finish()
            else:
                self._state = _State.RELOADING
                self.reloading.emit(self._chat.path.name)
                self.client.load(self._chat.path, self._chat.options)
            return
        job = self._queue[0]
        if same_file(job.model, self._loaded):
            self._generate(job)
            return
        self._state = _State.LOADING
        self._wanted = job.model
        self.swapped = True
        self.columnLoading.emit(job.index, job.model.name)
        self.client.load(job.model, self._options_for(job.model))

    def _generate(self, job: ColumnJob) -> None:
        assert self._template is not None
        try:
            rendered = build_prompt(self._template, job.config.system_prompt, self._prompt)
        except TemplateError as exc:
            self._end_job(ColumnResult(model=str(job.model), error=str(exc)))
            return
        self._text = []
        self._state = _State.GENERATING
        self.columnStarted.emit(job.index)
        # From an empty cache: otherwise a column's output (and time to first token) would depend on the
        # column before it, and two columns with the same settings could differ.
        self.client.generate(GenerationRequest(rendered.text, job.config.params, self._template.stop, fresh=True))

    def _end_job(self, result: ColumnResult) -> None:
        job = self._queue.popleft()
        self._state = _State.BETWEEN
        self.columnFinished.emit(job.index, result)
        self._next()

    def _finish(self) -> None:
        self._state = _State.IDLE
        self._queue.clear()
        self.finished.emit()

    # --- client signals ---------------------------------------------------------------------------------------

    def _on_loaded(self, model: LoadedModel) -> None:
        if not self.running:
            return
        assert self._chat is not None
        path = Path(model.info.path)
        self._loaded = path  # also a model the worker brought back after a failed load
        if self._state is _State.LOADING and same_file(path, self._wanted):
            self._template = self._chat.template if same_file(path, self._chat.path) else self._template_for(model)
            self._state = _State.BETWEEN
            self._next()
        elif self._state is _State.RELOADING and same_file(path, self._chat.path):
            self._finish()

    def _on_load_failed(self, path: str, message: str) -> None:
        if not self.running:
            return
        assert self._chat is not None
        if self._state is _State.LOADING and same_file(path, self._wanted):
            self._loaded = None  # the failed load may have freed the previous model
            error = f"Could not load {Path(path).name}: {message}"
            for job in [j for j in self._queue if same_file(j.model, path)]:
                self._queue.remove(job)
                self.columnFinished.emit(job.index, ColumnResult(model=str(job.model), error=error))
            self._state = _State.BETWEEN
            self._next()
        elif self._state is _State.RELOADING and same_file(path, self._chat.path):
            self.failed.emit(f"Could not load the chat's model {Path(path).name} again: {message}")
            self._finish()

    def _on_text(self, text: str) -> None:
        if self._state is _State.GENERATING:
            self._text.append(text)
            self.columnText.emit(self._queue[0].index, text)

    def _on_finished(self, stats: GenerationStats) -> None:
        if self._state is _State.GENERATING:
            self._end_job(ColumnResult.from_stats("".join(self._text), str(self._queue[0].model), stats))

    def _on_failed(self, message: str) -> None:
        if self._state is _State.GENERATING:
            self._end_job(ColumnResult("".join(self._text), str(self._queue[0].model), error=message))
