"""The inference worker: a QObject on its own QThread; everything crosses by queued signals."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, SignalInstance, Slot

from desktop.core.instruments.probabilities import TokenStep
from desktop.core.models.gguf_file import GGUFError
from desktop.core.prompting.chat_template import TemplateError
from desktop.inference.backend import FittedPrompt, GenerationRequest, InferenceBackend, InferenceError, LoadOptions
from desktop.inference.evaluation import EvalRequest, run_evaluation

FLUSH_INTERVAL = 0.008  # seconds: batches a few tokens at high speed, passes each one through at low speed
PIECES_CHARS = 1_000_000  # a longer fitted prompt is only counted (the Raw prompt tab shows 20,000 tokens at most)

log = logging.getLogger(__name__)


class _Coalescer:
    """Collects streamed text and emits it at most every FLUSH_INTERVAL, so the GUI is never flooded."""

    def __init__(self, emit: SignalInstance) -> None:
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
            self._emit.emit("".join(self._parts))
            self._parts.clear()


class InferenceWorker(QObject):
    modelLoading = Signal(str)
    modelLoaded = Signal(object)  # LoadedModel
    modelLoadFailed = Signal(str, str)  # path, message
    textReady = Signal(str)
    generationFinished = Signal(object)  # GenerationStats
    generationFailed = Signal(str)
    tokensCounted = Signal(int, int)  # request id, count
    evalResult = Signal(object)  # ItemResult, one per scored item
    evalFinished = Signal(object)  # list[ItemResult]: all items, or fewer when stopped
    evalFailed = Signal(str)
    evalCalibrated = Signal(object)  # dict label -> content-free probability, before the first evalResult
    stepsReady = Signal(object)  # tuple[TokenStep, ...]: a reply's token probabilities, before generationFinished
    distributionReady = Signal(int, object)  # request id, NextTokenDistribution
    distributionFailed = Signal(int, str)  # request id, message
    scoreProgress = Signal(int, int)  # tokens scored, tokens in all
    scoreFinished = Signal(object)  # TextScore
    scoreFailed = Signal(str)
    tokenized = Signal(int, object)  # request id, list[TokenPiece] (empty when it failed)
    promptFitted = Signal(int, object)  # request id, FittedPrompt with its pieces (or only a count)

    def __init__(self, backend: InferenceBackend, stop_flag: threading.Event,
                 closing: threading.Event | None = None) -> None:
        super().__init__()
        self._backend = backend
        self._stop_flag = stop_flag
        self._closing = closing or threading.Event()  # quitting: queued work is skipped, long work interrupted
        self.latest_fit = 0  # the newest fit request's id (set by the client): older ones are skipped
        self._loaded: Path | None = None
        self._loaded_options = LoadOptions()

    @Slot(str, object)
    def load(self, path: str, options: LoadOptions) -> None:
        self.modelLoading.emit(path)
        previous, previous_options = self._loaded, self._loaded_options
        try:
            loaded = self._backend.load(Path(path), options)
        except (GGUFError, InferenceError) as exc:
            self.modelLoadFailed.emit(path, str(exc))
            self._restore(previous, previous_options)
            return
        except Exception as exc:  # boundary: a bug, logged; the app must keep running
            log.exception("Unexpected error while loading %s", path)
            self.modelLoadFailed.emit(path, f"Unexpected error while loading {Path(path).name}: {exc}")
            self._restore(previous, previous_options)
            return
        self._loaded, self._loaded_options = Path(path), options
        self.modelLoaded.emit(loaded)

    def _restore(self, previous: Path | None, options: LoadOptions) -> None:
        """A failed load may have freed the old model; bring it back so the person can go on chatting."""
        if previous is None or self._backend.is_loaded():
            return
        try:
            loaded = self._backend.load(previous, options)
        except Exception:  # boundary: whatever broke the new load may break this one; logged, not raised
            log.exception("Could not load %s again after a failed load", previous)
            self._loaded = None
            return
        self.modelLoaded.emit(loaded)

    @Slot(object)
    def generate(self, request: GenerationRequest) -> None:
        coalescer = _Coalescer(self.textReady)
        steps: list[TokenStep] = []
        on_step = steps.append if request.alternatives > 0 else None
        try:
            if request.fresh:
                self._backend.reset_cache()
            stats = self._backend.generate(request, coalescer.add, self._stopping, on_step)
        except InferenceError as exc:
            coalescer.flush()
            self.generationFailed.emit(str(exc))
            return
        except Exception as exc:  # boundary: a bug, logged; the chat says the reply failed
            log.exception("Unexpected error while generating")
            coalescer.flush()
            self.generationFailed.emit(f"Generation failed: {exc}")
            return
        coalescer.flush()
        if on_step is not None:
            self.stepsReady.emit(tuple(steps))
        self.generationFinished.emit(stats)

    @Slot(int, str, object, str, int)
    def distribution(self, request_id: int, prompt: str, token_ids: tuple[int, ...], context: str,
                     chosen: int) -> None:
        try:
            result = self._backend.next_token_distribution(prompt, token_ids, context, chosen)
        except InferenceError as exc:
            self.distributionFailed.emit(request_id, str(exc))
            return
        except Exception as exc:  # boundary: a bug, logged
            log.exception("Unexpected error while computing a next-token distribution")
            self.distributionFailed.emit(request_id, f"Could not compute the distribution: {exc}")
            return
        self.distributionReady.emit(request_id, result)

    @Slot(str)
    def score(self, text: str) -> None:
        try:
            result = self._backend.score_text(text, self.scoreProgress.emit, self._stopping)
        except InferenceError as exc:
            self.scoreFailed.emit(str(exc))
            return
        except Exception as exc:  # boundary: a bug, logged
            log.exception("Unexpected error while scoring a text")
            self.scoreFailed.emit(f"Scoring failed: {exc}")
            return
        self.scoreFinished.emit(result)

    @Slot(object)
    def evaluate(self, request: EvalRequest) -> None:
        try:
            results = run_evaluation(self._backend, request, self.evalResult.emit, self._stopping,
                                     self.evalCalibrated.emit)
        except (InferenceError, TemplateError, ValueError) as exc:  # ValueError: FewShotError, bad regex
            self.evalFailed.emit(str(exc))
            return
        except Exception as exc:  # boundary: a bug, logged
            log.exception("Unexpected error while evaluating")
            self.evalFailed.emit(f"Evaluation failed: {exc}")
            return
        self.evalFinished.emit(results)

    def _stopping(self) -> bool:
        return self._stop_flag.is_set() or self._closing.is_set()

    @Slot(int, object)
    def fit(self, request_id: int, request: GenerationRequest) -> None:
        """The prompt a request would send, fitted to the context, with its tokens: for the Raw prompt tab."""
        if self._closing.is_set() or request_id < self.latest_fit:
            return
        try:
            fitted = self._backend.fitted_prompt(request, self._closing.is_set)
        except InferenceError:
            return  # quitting
        except Exception:  # boundary: a bug, logged; the Raw prompt tab shows the unfitted prompt
            log.exception("Unexpected error while fitting the prompt")
            fitted = FittedPrompt(request.prompt)
        if not fitted.at_least:
            try:
                pieces = tuple(self._backend.token_pieces(fitted.text)) if len(fitted.text) <= PIECES_CHARS else ()
            except InferenceError:  # no model, or quitting
                pieces = ()
            except Exception:  # boundary: a bug, logged
                log.exception("Unexpected error while tokenizing the prompt")
                pieces = ()
            try:
                count = len(pieces) if pieces else self._backend.count_tokens(fitted.text)
            except InferenceError:
                count = -1
            except Exception:  # boundary: a bug, logged
                log.exception("Unexpected error while counting the prompt's tokens")
                count = -1
            fitted = dataclasses.replace(fitted, pieces=pieces, count=count)
        self.promptFitted.emit(request_id, fitted)

    @Slot(int, str)
    def count_tokens(self, request_id: int, text: str) -> None:
        if self._closing.is_set():
            return
        try:
            count = self._backend.count_tokens(text)
        except InferenceError:  # no model yet
            count = -1
        except Exception:  # boundary: a bug, logged
            log.exception("Unexpected error while counting tokens")
            count = -1
        self.tokensCounted.emit(request_id, count)

    @Slot(int, str)
    def tokenize(self, request_id: int, text: str) -> None:
        if self._closing.is_set():
            return
        try:
            pieces = self._backend.token_pieces(text)
        except InferenceError:  # no model yet
            pieces = []
        except Exception:  # boundary: a bug, logged
            log.exception("Unexpected error while tokenizing")
            pieces = []
        self.tokenized.emit(request_id, pieces)

    @Slot()
    def unload(self) -> None:
        self._backend.unload()
        self._loaded = None


class InferenceClient(QObject):
    """The GUI thread's handle on the worker: requests go out as queued signals, results come back the same way."""

    _loadRequested = Signal(str, object)
    _generateRequested = Signal(object)
    _countRequested = Signal(int, str)
    _evaluateRequested = Signal(object)
    _unloadRequested = Signal()
    _distributionRequested = Signal(int, str, object, str, int)
    _scoreRequested = Signal(str)
    _tokenizeRequested = Signal(int, str)
    _fitRequested = Signal(int, object)

    modelLoading = Signal(str)
    modelLoaded = Signal(object)
    modelLoadFailed = Signal(str, str)
    textReady = Signal(str)
    generationFinished = Signal(object)
    generationFailed = Signal(str)
    tokensCounted = Signal(int, int)
    evalResult = Signal(object)
    evalFinished = Signal(object)
    evalFailed = Signal(str)
    evalCalibrated = Signal(object)
    stepsReady = Signal(object)
    distributionReady = Signal(int, object)
    distributionFailed = Signal(int, str)
    scoreProgress = Signal(int, int)
    scoreFinished = Signal(object)
    scoreFailed = Signal(str)
    tokenized = Signal(int, object)
    promptFitted = Signal(int, object)

    def __init__(self, backend: InferenceBackend, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop_flag = threading.Event()
        self._closing = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("inferenceThread")
        self._worker = InferenceWorker(backend, self._stop_flag, self._closing)
        self._worker.moveToThread(self._thread)
        self._loadRequested.connect(self._worker.load)
        self._generateRequested.connect(self._worker.generate)
        self._countRequested.connect(self._worker.count_tokens)
        self._evaluateRequested.connect(self._worker.evaluate)
        self._unloadRequested.connect(self._worker.unload)
        self._distributionRequested.connect(self._worker.distribution)
        self._scoreRequested.connect(self._worker.score)
        self._tokenizeRequested.connect(self._worker.tokenize)
        self._fitRequested.connect(self._worker.fit)
        # Signal-to-signal into this GUI-thread object: delivery is queued onto the GUI thread.
        for name in ("modelLoading", "modelLoaded", "modelLoadFailed", "textReady",
                     "generationFinished", "generationFailed", "tokensCounted",
                     "evalResult", "evalFinished", "evalFailed", "evalCalibrated", "stepsReady", "distributionReady",
                     "distributionFailed", "scoreProgress", "scoreFinished", "scoreFailed", "tokenized",
                     "promptFitted"):
            getattr(self._worker, name).connect(getattr(self, name))
        self._thread.start()
        self._next_count_id = 0
        self._next_distribution_id = 0

    def load(self, path: Path, options: LoadOptions | None = None) -> None:
        self._loadRequested.emit(str(path), options or LoadOptions())

    def generate(self, request: GenerationRequest) -> None:
        self._stop_flag.clear()
        self._generateRequested.emit(request)

    def evaluate(self, request: EvalRequest) -> None:
        """Results arrive one by one as evalResult, then evalFinished (or evalFailed)."""
        self._stop_flag.clear()
        self._evaluateRequested.emit(request)

    def stop(self) -> None:
        """Takes effect within one token, for a reply or an evaluation: the worker checks the flag after each."""
        self._stop_flag.set()

    def count_tokens(self, text: str) -> int:
        """Asks for a count; the answer arrives as tokensCounted with the returned id."""
        self._next_count_id += 1
        self._countRequested.emit(self._next_count_id, text)
        return self._next_count_id

    def next_token_distribution(self, prompt: str, token_ids: tuple[int, ...] = (), context: str = "",
                                chosen: int = -1) -> int:
        """Asks for the logits after prompt + token_ids; the answer arrives as distributionReady (or
        distributionFailed) with the returned id."""
        self._next_distribution_id += 1
        self._distributionRequested.emit(self._next_distribution_id, prompt, tuple(token_ids), context, chosen)
        return self._next_distribution_id

    def tokenize(self, text: str) -> int:
        """Asks for the prompt's tokens (TokenPiece list); the answer arrives as tokenized with the returned id
        (shares the id counter with count_tokens)."""
        self._next_count_id += 1
        self._tokenizeRequested.emit(self._next_count_id, text)
        return self._next_count_id

    def fit_prompt(self, request: GenerationRequest) -> int:
        """Asks for the prompt the request would send, fitted to the context, with its tokens; the answer arrives
        as promptFitted with the returned id (shares the id counter with count_tokens). A newer request makes
        the worker skip older ones it has not started."""
        self._next_count_id += 1
        self._worker.latest_fit = self._next_count_id
        self._fitRequested.emit(self._next_count_id, request)
        return self._next_count_id

    def score_text(self, text: str) -> None:
        """Perplexity of text: scoreProgress while it runs, then scoreFinished (or scoreFailed); stop() ends it
        early with the tokens scored so far."""
        self._stop_flag.clear()
        self._scoreRequested.emit(text)

    def shutdown(self) -> None:
        """Stop any generation (or fitting of a long chat), skip queued requests, free the model on its own
        thread, and end the thread."""
        if not self._thread.isRunning():
            return
        self._closing.set()
        self._stop_flag.set()
        self._unloadRequested.emit()
        self._thread.quit()
        self._thread.wait()
