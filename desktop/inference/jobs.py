"""Work for the one inference thread, as requests and jobs.

A page submits a request (`JobQueue.submit`) and gets a `Job`: a QObject on the GUI thread with its own signals
and `cancel()`. Jobs run one at a time, first in, first out, on the worker's thread; a page listens to its own jobs
only, so nothing filters a shared stream with "is this mine?". The queue says once when it becomes busy with long
work (a load, a reply, an evaluation, a scoring) and once when it is idle again.

Modelled on superqt's worker objects (a QObject per unit of work with started/yielded/returned/errored/finished),
gpt4all-chat's LLModelStore (one model, acquired and released) and llama-cpp-python's server, whose single owner
of the Llama object takes requests in turn.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.inference.backend import GenerationRequest, LoadOptions
from desktop.inference.evaluation import EvalRequest


@dataclass(frozen=True)
class LoadRequest:
    """Load a GGUF file (result: LoadedModel). A failed load keeps, or brings back, the model loaded before."""

    path: Path
    options: LoadOptions = field(default_factory=LoadOptions)


@dataclass(frozen=True)
class UnloadRequest:
    """Free the model (result: None)."""


@dataclass(frozen=True)
class CountRequest:
    """Tokens the text becomes (result: int, -1 when no model is loaded)."""

    text: str


@dataclass(frozen=True)
class TokenizeRequest:
    """The text's tokens (result: list[TokenPiece], empty when no model is loaded)."""

    text: str


@dataclass(frozen=True)
class FitRequest:
    """The prompt a generation request would send, fitted to the context, with its tokens (result: FittedPrompt).
    Cancel the previous one when asking again: a cancelled job that has not started is skipped."""

    request: GenerationRequest


@dataclass(frozen=True)
class DistributionRequest:
    """The logits for the token after prompt + token_ids (result: NextTokenDistribution)."""

    prompt: str
    token_ids: tuple[int, ...] = ()
    context: str = ""
    chosen: int = -1


@dataclass(frozen=True)
class ScoreRequest:
    """Perplexity of a text (progress while it runs; result: TextScore, with the tokens scored so far when
    cancelled)."""

    text: str


Request = (LoadRequest | UnloadRequest | GenerationRequest | EvalRequest | ScoreRequest | DistributionRequest
           | CountRequest | TokenizeRequest | FitRequest)

# Work that holds the model for a while: the other pages wait (the queue is busy) while one of these is queued.
LONG_WORK = (LoadRequest, GenerationRequest, EvalRequest, ScoreRequest)


class Job(QObject):
    """One request's life on the inference thread, told on the GUI thread.

    Signals, in order: started; then text (a reply's streamed text), steps (its token probabilities, just before
    result), progress (done, of all: a scoring), item and calibrated (an evaluation's items, and its content-free
    probabilities first); then result or failed; then finished, exactly once, also for a job cancelled before it
    started (which gets neither result nor failed)."""

    started = Signal()
    text = Signal(str)
    steps = Signal(object)  # tuple[TokenStep, ...]
    progress = Signal(int, int)
    item = Signal(object)  # ItemResult
    calibrated = Signal(object)  # dict label -> content-free probability
    result = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, job_id: int, request: Request) -> None:
        super().__init__()
        self.id = job_id
        self.request = request
        self.long = isinstance(request, LONG_WORK)
        self.running = False
        self.done = False
        self.cancelled = threading.Event()  # read by the worker thread after every token, item or batch

    def cancel(self) -> None:
        """Stop within a token (a reply), an item (an evaluation) or a batch (a scoring); a job not started yet is
        skipped. What was produced so far still arrives (a reply's text, its stats)."""
        self.cancelled.set()

    @property
    def cancelling(self) -> bool:
        return self.cancelled.is_set()


class JobLedger:
    """The GUI thread's record of submitted jobs: ids, which are long, and whether the queue is busy."""

    def __init__(self, on_busy: Callable[[bool], None]) -> None:
        self._ids = itertools.count(1)
        self.jobs: dict[int, Job] = {}
        self._holds = 0
        self._said_busy = False
        self._on_busy = on_busy

    def add(self, request: Request) -> Job:
        job = Job(next(self._ids), request)
        self.jobs[job.id] = job
        self.update()
        return job

    @property
    def busy(self) -> bool:
        return self._holds > 0 or any(job.long for job in self.jobs.values())

    def hold(self) -> Callable[[], None]:
        """Keep the queue busy across several jobs (Compare's run over models); call what it returns to let go
        (once; later calls do nothing)."""
        self._holds += 1
        self.update()
        released = [False]

        def release() -> None:
            if not released[0]:
                released[0] = True
                self._holds -= 1
                self.update()

        return release

    def update(self) -> None:
        """Say busy or idle when that changed (after every handler of an ended job has run, so a follow-up job
        submitted from a result handler keeps the queue busy without a flicker)."""
        busy = self.busy
        if busy != self._said_busy:
            self._said_busy = busy
            self._on_busy(busy)
