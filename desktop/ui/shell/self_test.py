"""`parley --self-test`: the real window loads a model, answers one short message, reports and exits.

Used by `make bundle-test` to prove a bundle carries everything it needs (Qt plugins, llama.cpp's libraries,
the built-in model); it prints plain lines on stdout and exits 0 on success, 1 on any failure or timeout.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import TextIO

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from desktop.core.conversations.messages import GenerationStats
from desktop.core.fewshot.template import sample_templates_dir
from desktop.core.paths import resource_dir
from desktop.inference.backend import LoadedModel
from desktop.ui.chat.controller import ChatController
from desktop.ui.shell.main_window import MainWindow

PROMPT = "Say hello."
MAX_TOKENS = 16
SEED = 42  # a fixed seed: the same bundle answers the same way every run
TIMEOUT_S = 120.0


class SelfTest(QObject):
    """Follows one window through load → send → reply; `result` is the exit status once it is known."""

    def __init__(self, window: MainWindow, controller: ChatController, started: float, timeout_s: float = TIMEOUT_S,
                 out: TextIO | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.started = started
        self.out = out if out is not None else (sys.stdout or open(os.devnull, "w"))  # noqa: SIM115
        self.result: int | None = None
        self.stage = "loading the model"
        self._sent_at = 0.0
        session = controller.session
        session.modelChanged.connect(self._loaded)
        session.loadFailed.connect(lambda path, message: self._fail(f"could not load {path}: {message}"))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)
        self._timer.start(int(timeout_s * 1000))
        self._say(f"window ready after {self._elapsed():.2f} s")
        self._check_resources()

    def _elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _say(self, line: str) -> None:
        with contextlib.suppress(OSError, ValueError):  # a closed pipe must not keep the test from its verdict
            print(f"self-test: {line}", file=self.out, flush=True)

    def _check_resources(self) -> None:
        """A bundle that lost resources/ still starts; say so here instead of in a person's empty few-shot list."""
        icon = resource_dir() / "icons" / "parley.svg"
        templates = sorted(sample_templates_dir().glob("*.json"))
        self._say(f"resources in {resource_dir()}: icon {'found' if icon.is_file() else 'MISSING'}, "
                  f"{len(templates)} sample few-shot templates")
        if not icon.is_file() or not templates:
            QTimer.singleShot(0, lambda: self._fail(f"resources are missing from {resource_dir()}"))

    def _loaded(self, model: LoadedModel) -> None:
        if self.result is not None or self.stage != "loading the model":
            return
        self._say(f"model {model.info.path.name} loaded after {self._elapsed():.2f} s")
        self._say(f"backend {model.offload_summary} · context {model.n_ctx}")
        sampling = self.window.sampling
        sampling.set_params(sampling.params().with_changes(max_tokens=MAX_TOKENS, seed=SEED))
        self.stage = "generating"
        QTimer.singleShot(0, self._send)

    def _send(self) -> None:
        self._sent_at = time.perf_counter()
        self.controller.send(PROMPT)
        reply = self.controller.reply_job
        if reply is None:
            notice = self.window.notice.label.text()
            self._fail(f"the message was not sent{': ' + notice if notice else ''}")
            return
        # Connected after the controller's own handlers: the reply is complete in the conversation when these run.
        reply.result.connect(self._finished)
        reply.failed.connect(lambda message: self._fail(f"generation failed: {message}"))

    def _finished(self, stats: GenerationStats) -> None:
        if self.result is not None:
            return
        reply = self.controller.conversation.last_reply
        text = reply.content if reply is not None else ""
        self._say(f"reply {text.strip()[:80]!r}")
        self._say(f"{stats.generated_tokens} tokens in {time.perf_counter() - self._sent_at:.2f} s "
                  f"({stats.tokens_per_second:.1f} tokens/s, first token after {stats.time_to_first_token:.2f} s)")
        if stats.generated_tokens < 1:
            self._fail("the model generated no tokens")
            return
        self._say(f"passed in {self._elapsed():.2f} s")
        self._finish(0)

    def _fail(self, message: str) -> None:
        if self.result is not None:
            return
        self._say(f"FAILED: {message}")
        self._finish(1)

    def _timed_out(self) -> None:
        if self.result is not None:
            return
        self._say(f"FAILED: timed out after {self._elapsed():.0f} s while {self.stage}")
        # The worker may be stuck inside llama.cpp, where nothing can interrupt it; leave without waiting for it.
        os._exit(1)

    def _finish(self, code: int) -> None:
        self.result = code
        self._timer.stop()
        self.window.close()  # saves and shuts the worker down like a person quitting
        QTimer.singleShot(0, QApplication.quit)


def run(app: QApplication, window: MainWindow, controller: ChatController, started: float,
        timeout_s: float = TIMEOUT_S) -> int:
    """Drive the event loop until the self-test has a verdict."""
    test = SelfTest(window, controller, started, timeout_s)
    app.exec()
    return 1 if test.result is None else test.result
