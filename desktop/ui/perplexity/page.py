"""The Perplexity page: how surprised the loaded model is by a text, in one number and token by token.

It follows the session's model, scores through its own job, and waits while the queue is busy with someone
else's work (a reply, an evaluation, a load). It says when its own scoring starts and ends (busyChanged).
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.i18n import number, translate
from desktop.core.instruments.perplexity import TextScore
from desktop.core.os_reason import os_reason
from desktop.inference.backend import LoadedModel
from desktop.inference.jobs import Job, ScoreRequest
from desktop.inference.session import ModelSession
from desktop.ui.perplexity.heatmap import HeatMap, TokenDetail, legend_html
from desktop.ui.theme import bar_style
from desktop.ui.widgets import named_button, plain_label, tab_moves_focus

MAX_BYTES = 5 * 1024 * 1024  # a bigger text takes many minutes to score and is too long to draw


def text_filter() -> str:
    return translate("PerplexityPage", "Text files (*.txt *.md);;All files (*)")


def score_tip() -> str:
    return translate("PerplexityPage", "Measure how surprised the loaded model is by each token of the text")


def waiting_tip() -> str:
    return translate("PerplexityPage", "Waiting for the chat (or another page) to finish with the model")


def format_perplexity(value: float) -> str:
    if value < 10:
        return number(value, 2)
    if value < 1000:
        return number(value, 1)
    return number(value)


def summary_text(score: TextScore) -> str:
    """'Perplexity 12.3 · 3.6 bits per token on average · 1,234 tokens · 3 windows of 4096'."""
    scored, count = len(score.scored), len(score.tokens)
    if scored == 0:
        short = (translate("PerplexityPage", "Too short to score: {count} token, and the first has nothing before "
                           "it to be predicted from.") if count == 1 else
                 translate("PerplexityPage", "Too short to score: {count} tokens, and the first has nothing before "
                           "it to be predicted from."))
        return short.format(count=count)
    windows = (translate("PerplexityPage", "{count} window of {n_ctx}") if score.windows == 1 else
               translate("PerplexityPage", "{count} windows of {n_ctx}")).format(count=score.windows, n_ctx=score.n_ctx)
    tokens = (translate("PerplexityPage", "{count} token") if count == 1 else
              translate("PerplexityPage", "{count} tokens")).format(count=number(count))
    parts = [translate("PerplexityPage", "Perplexity {value}").format(value=format_perplexity(score.perplexity)),
             translate("PerplexityPage", "{bits} bits per token on average").format(
                 bits=f"{score.mean_surprisal:.1f}"),
             tokens, windows]
    if score.stopped:
        parts.append(translate("PerplexityPage", "stopped early: {count} tokens scored").format(count=number(scored)))
    return " · ".join(parts)


def read_text_file(path: Path) -> str:
    """The file's text, or ValueError saying in words why it cannot be scored."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValueError(translate("PerplexityPage", "{file} is {size} MB; Parley scores texts up to {limit} MB. "
                                       "Open a shorter part of it.").format(
                file=path.name, size=f"{size / 1024 / 1024:.1f}", limit=MAX_BYTES // 1024 // 1024))
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(translate("PerplexityPage", "Could not read {file}: {reason}").format(
            file=path.name, reason=os_reason(exc))) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(translate("PerplexityPage", "{file} is not UTF-8 text (byte {offset} is not valid UTF-8). "
                                   "Save it as UTF-8 and open it again.").format(
            file=path.name, offset=number(exc.start))) from exc


def cannot_score(engine: str) -> str:
    """Why Score stays off with an engine that gives no token probabilities (a remote server, say)."""
    return translate("PerplexityPage", "The {engine} engine cannot score a text: perplexity needs each token's "
                     "probability, which it does not give.").format(engine=engine)


class PerplexityPage(QWidget):
    busyChanged = Signal(bool)  # this page's scoring started or ended

    def __init__(self, session: ModelSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("perplexityPage")
        self.session = session
        self.model: LoadedModel | None = None
        self.last_score: TextScore | None = None
        self._job: Job | None = None  # the scoring under way
        self._answered = False  # the scoring gave a result or failed (a job stopped before it began gives neither)

        self.model_label = QLabel()
        self.model_label.setObjectName("perplexityModel")
        self.open_button = named_button(
            "perplexityOpenButton", translate("PerplexityPage", "Open…"),
            translate("PerplexityPage", "Score a .txt or .md file (UTF-8, up to 5 MB)"))
        self.score_button = named_button("perplexityScoreButton", translate("PerplexityPage", "Score"), score_tip())
        self.stop_button = named_button("perplexityStopButton", translate("PerplexityPage", "Stop"),
                                        translate("PerplexityPage", "Stop; the tokens scored so far are shown"))
        self.stop_button.setEnabled(False)
        self.message = plain_label(name="perplexityMessage")  # messages quote file names
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.input = tab_moves_focus(QPlainTextEdit())
        self.input.setObjectName("perplexityInput")
        self.input.setPlaceholderText(translate("PerplexityPage", "Paste a text here, or open a file. Lower "
                                                "perplexity: the text reads as more expected to this model."))
        self.progress = QProgressBar()
        self.progress.setObjectName("perplexityProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(translate("PerplexityPage", "%v / %m tokens"))
        self.progress.setTextVisible(False)  # until a run has counts to show
        self.summary = QLabel("")
        self.summary.setObjectName("perplexitySummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.summary.setFont(font)
        self.heatmap = HeatMap()
        self.heatmap.setPlaceholderText(translate("PerplexityPage",
                                                "Score a text to see each token coloured by how surprising it was."))
        self.legend = QLabel(legend_html())
        self.legend.setObjectName("perplexityLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.detail = TokenDetail(self.heatmap)

        buttons = QHBoxLayout()
        buttons.addWidget(self.model_label, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.score_button)
        buttons.addWidget(self.stop_button)
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.progress)
        results_layout.addWidget(self.summary)
        results_layout.addWidget(self.heatmap, 1)
        results_layout.addWidget(self.legend)
        results_layout.addWidget(self.detail)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.input)
        splitter.addWidget(results)
        splitter.setSizes([200, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self.show_message("")

        self.open_button.clicked.connect(self._ask_open)
        self.score_button.clicked.connect(self.score)
        self.stop_button.clicked.connect(self.stop)
        session.modelChanged.connect(self._follow_session)
        session.loadFailed.connect(self._follow_session)
        session.client.busyChanged.connect(self._queue_busy)
        self.set_model(session.model)

    # --- state from outside -----------------------------------------------------------------

    def set_model(self, model: LoadedModel | None) -> None:
        """The model that scores; without one, Score waits."""
        self.model = model
        if not self.session.capabilities.scores_text:
            self.model_label.setText(html.escape(cannot_score(self.session.capabilities.name)))
        elif model is None:
            self.model_label.setText(translate("PerplexityPage", "No model loaded: load one to score a text."))
        else:
            name = html.escape(model.info.name)
            self.model_label.setText(translate("PerplexityPage", "Scores with <b>{model}</b> · context {n_ctx} tokens")
                                     .format(model=name, n_ctx=number(model.n_ctx)))
        self._update_buttons()

    def _follow_session(self, *_changed: object) -> None:
        """A model loaded, or a load failed (the model before it may be back, or none)."""
        self.set_model(self.session.model)

    def _queue_busy(self, _busy: bool) -> None:
        self._update_buttons()

    def is_busy(self) -> bool:
        return self._job is not None

    @property
    def waiting(self) -> bool:
        """The model is busy with someone else's work (a reply, an evaluation, a load): Score waits."""
        return self.session.busy and self._job is None

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setStyleSheet(bar_style("#perplexityMessage", "error" if error else "info"))
        self.message.setProperty("error", error)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- input ------------------------------------------------------------------------------

    def _ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("PerplexityPage", "Open a text to score"), "",
                                              text_filter())
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> bool:
        try:
            text = read_text_file(Path(path))
        except ValueError as exc:
            self.show_message(str(exc))
            return False
        self.input.setPlainText(text)
        self.show_message(translate("PerplexityPage", "Opened {file} ({count} characters).").format(
            file=Path(path).name, count=number(len(text))), error=False)
        return True

    # --- scoring ----------------------------------------------------------------------------

    def score(self) -> bool:
        text = self.input.toPlainText()
        if not self.session.capabilities.scores_text:
            self.show_message(cannot_score(self.session.capabilities.name))
            return False
        if self.model is None:
            self.show_message(translate("PerplexityPage", "Load a model first."))
            return False
        if self._job is not None or self.waiting:
            self.show_message(translate("PerplexityPage", "The model is busy; wait for it or press Stop."))
            return False
        if not text.strip():
            self.show_message(translate("PerplexityPage", "Paste or open a text to score first."))
            return False
        if len(text.encode("utf-8")) > MAX_BYTES:
            self.show_message(translate("PerplexityPage", "The text is longer than {limit} MB; score a shorter part "
                                        "of it.").format(limit=MAX_BYTES // 1024 // 1024))
            return False
        self.show_message("")
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.summary.setText(translate("PerplexityPage", "Scoring…"))
        self.input.setReadOnly(True)
        self._answered = False
        self._job = self.session.submit(ScoreRequest(text))
        self._job.progress.connect(self._on_progress)
        self._job.result.connect(self._on_finished)
        self._job.failed.connect(self._on_failed)
        self._job.finished.connect(self._end_run)
        self.busyChanged.emit(True)
        self._update_buttons()
        return True

    def stop(self) -> None:
        """Stop within a batch of tokens; the tokens scored so far still arrive as the result."""
        if self._job is not None:
            self._job.cancel()
            self.summary.setText(translate("PerplexityPage", "Stopping…"))
            self._update_buttons()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setTextVisible(True)
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(min(done, total))
        if self._job is not None and not self._job.cancelling:
            self.summary.setText(translate("PerplexityPage", "Scoring… {done} of {total} tokens").format(
                done=number(done), total=number(total)))

    def _on_finished(self, score: TextScore) -> None:
        self._answered = True
        self.last_score = score
        self.progress.setTextVisible(True)
        self.progress.setRange(0, max(1, len(score.tokens)))
        self.progress.setValue(len(score.scored) + (1 if score.tokens else 0))
        self.summary.setText(summary_text(score))
        self.heatmap.show_tokens(score.tokens)

    def _on_failed(self, message: str) -> None:
        self._answered = True
        self._clear_progress()
        self.show_message(message)

    def _clear_progress(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.summary.setText("")

    def _end_run(self) -> None:
        if not self._answered:  # stopped before it began: nothing was scored
            self._clear_progress()
        self._job = None
        self.input.setReadOnly(False)
        self.busyChanged.emit(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        running, can_score = self._job is not None, self.session.capabilities.scores_text
        self.score_button.setEnabled(can_score and not running and not self.waiting and self.model is not None)
        self.open_button.setEnabled(not running)
        self.stop_button.setEnabled(self._job is not None and not self._job.cancelling)
        if not can_score:
            self.score_button.setToolTip(cannot_score(self.session.capabilities.name))
        elif self.model is not None and self.waiting:
            self.score_button.setToolTip(waiting_tip())
        else:
            self.score_button.setToolTip(score_tip())
