"""Runs the Compare page's columns one after another as jobs, borrowing other models through the session.

There is one worker and one loaded model, so a column on another model borrows it (`session.borrow`) and the
person's model is given back once every column is done. The session's model never changes on the way, so the chat
does not react: it finds things as it left them. The run holds the job queue for its whole length, so no other
page starts work between its jobs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.core.conversations.messages import GenerationStats
from desktop.core.engines.config import is_remote, remote_label
from desktop.core.i18n import translate
from desktop.core.instruments.experiment import ColumnResult, CompareConfig, build_prompt
from desktop.core.prompting.chat_template import ChatTemplate, TemplateError
from desktop.inference.backend import GenerationRequest, LoadedModel
from desktop.inference.jobs import Job
from desktop.inference.session import ModelSession

STOPPED = "Not run: stopped"  # recorded in saved experiments; CompareColumn shows it translated


def model_name(path: Path | str) -> str:
    """How a column's model is named: a file by its name, a server's model as “model on engine”."""
    return remote_label(path) if is_remote(path) else Path(path).name


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


def run_order(jobs: list[ColumnJob], chat_path: Path) -> list[ColumnJob]:
    """The chat's model first, then each other model's columns together: as few loads as possible."""
    models: list[Path] = [chat_path]
    for job in jobs:
        if not any(same_file(job.model, m) for m in models):
            models.append(job.model)
    return [job for m in models for job in jobs if same_file(job.model, m)]


class CompareRunner(QObject):
    """Turns a run's jobs into per-column signals: each column's reply, or why it has none."""

    columnLoading = Signal(int, str)  # column index, model file name
    columnStarted = Signal(int)
    columnText = Signal(int, str)
    columnFinished = Signal(int, object)  # column index, ColumnResult
    reloading = Signal(str)  # the chat's model file name
    failed = Signal(str)  # not one column's problem: the chat's model could not be loaded again
    finished = Signal()

    def __init__(self, session: ModelSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._release: Callable[[], None] | None = None  # the hold on the queue while a run lasts
        self._queue: deque[ColumnJob] = deque()
        self._prompt = ""
        self._chat_path = Path()
        self._loaded: Path | None = None  # None: unknown, after a failed load
        self._template: ChatTemplate | None = None
        self._job: Job | None = None  # the column's load or reply that Stop cancels
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._release is not None

    def run(self, prompt: str, jobs: list[ColumnJob]) -> bool:
        """Run every column on the session's model and template, or on the model it names."""
        model, template = self.session.model, self.session.template
        if self.running or not jobs or model is None or template is None:
            return False
        self._release = self.session.client.hold()
        self._prompt = prompt
        self._chat_path = Path(model.info.path)
        self._loaded, self._template = self._chat_path, template
        self._queue = deque(run_order(jobs, self._chat_path))
        self._stopping = False
        self._next()
        return True

    def stop(self) -> None:
        """Ends the current column within a token; the others are not run. A borrowed model is still given back."""
        if not self.running:
            return
        self._stopping = True
        if self._job is not None:
            self._job.cancel()

    # --- the sequence ----------------------------------------------------------------------------------------

    def _next(self) -> None:
        self._job = None
        if self._stopping:
            while self._queue:
                column = self._queue.popleft()
                self.columnFinished.emit(column.index, ColumnResult(model=str(column.model), error=STOPPED))
        if not self._queue:
            self._give_back()
        elif same_file(self._queue[0].model, self._loaded):
            self._generate(self._queue[0])
        else:
            self._borrow(self._queue[0].model)

    def _borrow(self, path: Path) -> None:
        self.columnLoading.emit(self._queue[0].index, model_name(path))
        job = self._job = self.session.borrow(path)
        ended = [False]

        def loaded(model: LoadedModel) -> None:
            ended[0] = True
            self._loaded, self._template = path, self.session.template_of(model)

        def failed(message: str) -> None:
            ended[0] = True
            self._loaded = None  # the failed load may have freed the model before it
            self._drop_columns_on(path, translate("CompareRunner", "Could not load {model}: {error}").format(
                model=model_name(path), error=message))

        def finished() -> None:
            if not ended[0]:  # skipped: stopped before it started
                self._stopping = True
            self._next()

        job.result.connect(loaded)
        job.failed.connect(failed)
        job.finished.connect(finished)

    def _drop_columns_on(self, path: Path, error: str) -> None:
        for column in [c for c in self._queue if same_file(c.model, path)]:
            self._queue.remove(column)
            self.columnFinished.emit(column.index, ColumnResult(model=str(column.model), error=error))

    def _generate(self, column: ColumnJob) -> None:
        assert self._template is not None
        try:
            rendered = build_prompt(self._template, column.config.system_prompt, self._prompt)
        except TemplateError as exc:
            self._end_column(ColumnResult(model=str(column.model), error=str(exc)))
            return
        text: list[str] = []
        outcome: list[ColumnResult] = []
        self.columnStarted.emit(column.index)
        # From an empty cache: otherwise a column's output (and time to first token) would depend on the
        # column before it, and two columns with the same settings could differ.
        job = self._job = self.session.submit(
            GenerationRequest(rendered.text, column.config.params, self._template.stop, fresh=True))

        def arrived(piece: str) -> None:
            text.append(piece)
            self.columnText.emit(column.index, piece)

        def replied(stats: GenerationStats) -> None:
            outcome.append(ColumnResult.from_stats("".join(text), str(column.model), stats))

        def failed(message: str) -> None:
            outcome.append(ColumnResult("".join(text), str(column.model), error=message))

        def finished() -> None:
            if not outcome:  # skipped: stopped before it started
                self._stopping = True
            self._end_column(outcome[0] if outcome else ColumnResult(model=str(column.model), error=STOPPED))

        job.text.connect(arrived)
        job.result.connect(replied)
        job.failed.connect(failed)
        job.finished.connect(finished)

    def _end_column(self, result: ColumnResult) -> None:
        column = self._queue.popleft()
        self.columnFinished.emit(column.index, result)
        self._next()

    def _give_back(self) -> None:
        """Load the person's model again if a column borrowed another; Stop never cancels this."""
        job = self.session.give_back()
        if job is None:
            self._finish()
            return
        name = model_name(self._chat_path)
        self.reloading.emit(name)
        job.failed.connect(lambda message: self.failed.emit(
            translate("CompareRunner", "Could not load the chat's model {name} again: {error}").format(name=name,
                                                                                                       error=message)))
        job.finished.connect(self._finish)

    def _finish(self) -> None:
        self._queue.clear()
        self._job = None
        release, self._release = self._release, None
        if release is not None:
            release()
        self.finished.emit()
