"""The inference worker: a QObject on its own QThread running one job at a time; everything crosses by queued
signals. `InferenceClient` is the GUI thread's side: `submit(request)` returns a `Job` (desktop.inference.jobs)."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop.core.i18n import translate
from desktop.core.models.gguf_file import GGUFError
from desktop.core.prompting.chat_template import TemplateError
from desktop.core.prompting.probabilities import TokenStep
from desktop.inference.backend import (
    EngineCapabilities,
    FittedPrompt,
    GenerationRequest,
    InferenceBackend,
    InferenceError,
    LoadOptions,
)
from desktop.inference.evaluation import EvalRequest, run_evaluation
from desktop.inference.jobs import (
    CountRequest,
    DistributionRequest,
    FitRequest,
    Job,
    JobLedger,
    LoadRequest,
    Request,
    ScoreRequest,
    TokenizeRequest,
    UnloadRequest,
)

FLUSH_INTERVAL = 0.008  # seconds: batches a few tokens at high speed, passes each one through at low speed
PIECES_CHARS = 1_000_000  # a longer fitted prompt is only counted (the Raw prompt tab shows 20,000 tokens at most)

log = logging.getLogger(__name__)


class _Coalescer:
    """Collects streamed text and emits it at most every FLUSH_INTERVAL, so the GUI is never flooded."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        self._emit = emit
        self._parts: list[str] = []
        self._last = 0.0

    def add(self, text: str) -> None:
        self._parts.append(text)
        now = time.perf_counter()
        if now - self._last >= FLUSH_INTERVAL:
            self.flush()
            self._last = now

    def flush(self) -> None:
        if self._parts:
            self._emit("".join(self._parts))
            self._parts.clear()


class _JobFailedError(Exception):
    """A job's failure with the message the person sees."""


class InferenceWorker(QObject):
    """Runs jobs on the inference thread, in the order they were submitted; tells their progress by job id."""

    jobStarted = Signal(int)
    jobText = Signal(int, str)
    jobSteps = Signal(int, object)
    jobProgress = Signal(int, int, int)
    jobItem = Signal(int, object)
    jobCalibrated = Signal(int, object)
    jobEnded = Signal(int, bool, object)  # id, succeeded, result (or the failure's message); None when skipped

    def __init__(self, backend: InferenceBackend, closing: threading.Event | None = None) -> None:
        super().__init__()
        self._backend = backend
        self._closing = closing or threading.Event()  # quitting: queued work is skipped, long work interrupted
        self._loaded: Path | None = None
        self._loaded_options = LoadOptions()

    def release(self) -> None:
        """Free the model, once the inference thread has ended (shutdown)."""
        if self._backend.is_loaded():
            self._backend.unload()
        self._loaded = None

    @Slot(int, object, object)
    def run(self, job_id: int, request: Request, cancelled: threading.Event) -> None:
        if cancelled.is_set() or (self._closing.is_set() and not isinstance(request, UnloadRequest)):
            self.jobEnded.emit(job_id, False, None)
            return
        self.jobStarted.emit(job_id)

        def stopping() -> bool:
            return cancelled.is_set() or self._closing.is_set()

        try:
            result = self._run(job_id, request, stopping)
        except _JobFailedError as exc:
            self.jobEnded.emit(job_id, False, str(exc))
            return
        except Exception as exc:  # boundary: a bug, logged; the page says its work failed and the app goes on
            log.exception("Unexpected error in %s", type(request).__name__)
            self.jobEnded.emit(job_id, False, translate(
                "InferenceError", "Something went wrong ({kind}: {error}). The details are in Parley's log (Help › "
                "Open log folder).").format(kind=type(exc).__name__, error=exc))
            return
        self.jobEnded.emit(job_id, True, result)

    def _run(self, job_id: int, request: Request, stopping: Callable[[], bool]) -> object:
        if isinstance(request, GenerationRequest):
            return self._generate(job_id, request, stopping)
        if isinstance(request, FitRequest):
            return self._fit(request.request)
        if isinstance(request, CountRequest):
            return self._quietly(lambda: self._backend.count_tokens(request.text), -1)
        if isinstance(request, TokenizeRequest):
            return self._quietly(lambda: self._backend.token_pieces(request.text), [])
        try:
            if isinstance(request, LoadRequest):
                return self._load(request)
            if isinstance(request, UnloadRequest):
                self._backend.unload()
                self._loaded = None
                return None
            if isinstance(request, DistributionRequest):
                return self._backend.next_token_distribution(request.prompt, request.token_ids, request.context,
                                                             request.chosen)
            if isinstance(request, ScoreRequest):
                return self._backend.score_text(request.text, lambda done, total: self.jobProgress.emit(
                    job_id, done, total), stopping)
            if isinstance(request, EvalRequest):
                return run_evaluation(self._backend, request, lambda item: self.jobItem.emit(job_id, item),
                                      stopping, lambda probs: self.jobCalibrated.emit(job_id, probs))
        except (GGUFError, InferenceError, TemplateError) as exc:
            raise _JobFailedError(str(exc)) from exc
        except ValueError as exc:  # an evaluation's FewShotError or a bad regular expression
            if isinstance(request, EvalRequest):
                raise _JobFailedError(str(exc)) from exc
            raise
        raise TypeError(f"not a request: {request!r}")

    @staticmethod
    def _quietly(work: Callable[[], object], otherwise: object) -> object:
        """A count or a tokenization for a display: `otherwise` when there is no model (or on a bug, logged)."""
        try:
            return work()
        except InferenceError:  # no model yet
            return otherwise
        except Exception:  # boundary: a bug, logged; the display shows nothing
            log.exception("Unexpected error while counting or tokenizing")
            return otherwise

    def _load(self, request: LoadRequest) -> object:
        previous, previous_options = self._loaded, self._loaded_options
        try:
            loaded = self._backend.load(request.path, request.options)
        except (GGUFError, InferenceError) as exc:
            self._restore(previous, previous_options)
            raise _JobFailedError(str(exc)) from exc
        except Exception as exc:  # boundary: a bug, logged; the app must keep running
            log.exception("Unexpected error while loading %s", request.path)
            self._restore(previous, previous_options)
            raise _JobFailedError(translate("InferenceError", "Unexpected error while loading {name}: {error}").format(
                name=request.path.name, error=exc)) from exc
        self._loaded, self._loaded_options = request.path, request.options
        return loaded

    def _restore(self, previous: Path | None, options: LoadOptions) -> None:
        """A failed load may have freed the old model; bring it back so the person can go on chatting."""
        if previous is None or self._backend.is_loaded():
            return
        try:
            self._backend.load(previous, options)
        except Exception:  # boundary: whatever broke the new load may break this one; logged, not raised
            log.exception("Could not load %s again after a failed load", previous)
            self._loaded = None

    def _generate(self, job_id: int, request: GenerationRequest, stopping: Callable[[], bool]) -> object:
        coalescer = _Coalescer(lambda text: self.jobText.emit(job_id, text))
        steps: list[TokenStep] = []
        on_step = steps.append if request.alternatives > 0 else None
        try:
            if request.fresh:
                self._backend.reset_cache()
            stats = self._backend.generate(request, coalescer.add, stopping, on_step)
        except InferenceError as exc:
            coalescer.flush()
            raise _JobFailedError(str(exc)) from exc
        except Exception as exc:  # boundary: a bug, logged; the chat says the reply failed
            log.exception("Unexpected error while generating")
            coalescer.flush()
            raise _JobFailedError(translate("InferenceError", "Generation failed: {error}").format(error=exc)) from exc
        coalescer.flush()
        if on_step is not None:
            self.jobSteps.emit(job_id, tuple(steps))
        return stats

    def _fit(self, request: GenerationRequest) -> FittedPrompt:
        """The prompt a request would send, fitted to the context, with its tokens: for the Raw prompt tab."""
        try:
            fitted = self._backend.fitted_prompt(request, self._closing.is_set)
        except InferenceError as exc:  # quitting
            raise _JobFailedError(str(exc)) from exc
        except Exception:  # boundary: a bug, logged; the Raw prompt tab shows the unfitted prompt
            log.exception("Unexpected error while fitting the prompt")
            fitted = FittedPrompt(request.prompt)
        if fitted.at_least:
            return fitted
        text = fitted.text
        pieces = self._quietly(lambda: tuple(self._backend.token_pieces(text)) if len(text) <= PIECES_CHARS
                               else (), ())
        assert isinstance(pieces, tuple)
        count = len(pieces) if pieces else self._quietly(lambda: self._backend.count_tokens(text), -1)
        assert isinstance(count, int)
        return dataclasses.replace(fitted, pieces=pieces, count=count)


class InferenceClient(QObject):
    """The GUI thread's handle on the worker: `submit(request)` returns a Job; jobs run first in, first out.

    `busyChanged(True)` when long work (a load, a reply, an evaluation, a scoring, or a hold) is queued or running,
    `busyChanged(False)` when none is left: every page follows it to wait while another page uses the model."""

    busyChanged = Signal(bool)
    _runRequested = Signal(int, object, object)

    def __init__(self, backend: InferenceBackend, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.capabilities: EngineCapabilities = backend.capabilities
        self._closing = threading.Event()
        self._ledger = JobLedger(self.busyChanged.emit)
        self._thread = QThread()
        self._thread.setObjectName("inferenceThread")
        self._worker = InferenceWorker(backend, self._closing)
        self._worker.moveToThread(self._thread)
        self._runRequested.connect(self._worker.run)
        # Worker signals into this GUI-thread object's slots: delivery is queued onto the GUI thread, in order.
        # (Bound slots, never lambdas: a lambda has no thread, so Qt would run it on the worker's.)
        self._worker.jobStarted.connect(self._started)
        self._worker.jobText.connect(self._text)
        self._worker.jobSteps.connect(self._steps)
        self._worker.jobProgress.connect(self._progress)
        self._worker.jobItem.connect(self._item)
        self._worker.jobCalibrated.connect(self._calibrated)
        self._worker.jobEnded.connect(self._ended)
        self._thread.start()

    def submit(self, request: Request) -> Job:
        """Queue the request behind those submitted before; connect to the returned job's signals at once (they
        arrive from the event loop, never before this returns)."""
        job = self._ledger.add(request)
        self._runRequested.emit(job.id, request, job.cancelled)
        return job

    @property
    def busy(self) -> bool:
        return self._ledger.busy

    def hold(self) -> Callable[[], None]:
        """Keep the queue busy across several jobs, so no other page starts work in between; returns the release."""
        return self._ledger.hold()

    @Slot(int)
    def _started(self, job_id: int) -> None:
        job = self._ledger.jobs.get(job_id)
        if job is not None:
            job.running = True
            job.started.emit()

    @Slot(int, str)
    def _text(self, job_id: int, text: str) -> None:
        if (job := self._ledger.jobs.get(job_id)) is not None:
            job.text.emit(text)

    @Slot(int, object)
    def _steps(self, job_id: int, steps: object) -> None:
        if (job := self._ledger.jobs.get(job_id)) is not None:
            job.steps.emit(steps)

    @Slot(int, int, int)
    def _progress(self, job_id: int, done: int, total: int) -> None:
        if (job := self._ledger.jobs.get(job_id)) is not None:
            job.progress.emit(done, total)

    @Slot(int, object)
    def _item(self, job_id: int, item: object) -> None:
        if (job := self._ledger.jobs.get(job_id)) is not None:
            job.item.emit(item)

    @Slot(int, object)
    def _calibrated(self, job_id: int, probabilities: object) -> None:
        if (job := self._ledger.jobs.get(job_id)) is not None:
            job.calibrated.emit(probabilities)

    @Slot(int, bool, object)
    def _ended(self, job_id: int, succeeded: bool, outcome: object) -> None:
        job = self._ledger.jobs.pop(job_id, None)
        if job is None:
            return
        job.running, job.done = False, True
        if succeeded:
            job.result.emit(outcome)
        elif isinstance(outcome, str):
            job.failed.emit(outcome)
        job.finished.emit()
        self._ledger.update()

    def shutdown(self) -> None:
        """Stop the running job (a reply within a token, a fitting of a long chat), skip queued ones, free the
        model on its own thread, and end the thread."""
        if not self._thread.isRunning():
            return
        self._closing.set()
        for job in list(self._ledger.jobs.values()):
            job.cancel()
        self.submit(UnloadRequest())
        self._thread.quit()
        self._thread.wait()
        # quit() ends the loop as soon as the running job returns, so the queued unload is dropped whenever
        # shutdown comes mid-job; the thread is gone now, so the model is freed here (a server's connections closed).
        self._worker.release()
