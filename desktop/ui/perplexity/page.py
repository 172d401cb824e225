"""The Perplexity page: how surprised the loaded model is by a text, in one number and token by token.

It shares the one inference worker with the chat, so it says when it is busy (busyChanged), waits while
the chat generates (set_chat_busy), and reacts to the client's score signals only for a run it started.
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

from desktop.core.instruments.perplexity import TextScore
from desktop.inference.backend import LoadedModel
from desktop.inference.worker import InferenceClient
from desktop.ui.perplexity.heatmap import HeatMap, TokenDetail, legend_html
from desktop.ui.shell.theme import bar_style
from desktop.ui.widgets import named_button, plain_label, tab_moves_focus

MAX_BYTES = 5 * 1024 * 1024  # a bigger text takes many minutes to score and is too long to draw
TEXT_FILTER = "Text files (*.txt *.md);;All files (*)"


def format_perplexity(value: float) -> str:
    if value < 10:
        return f"{value:.2f}"
    if value < 1000:
        return f"{value:.1f}"
    return f"{value:,.0f}"


def summary_text(score: TextScore) -> str:
    """'Perplexity 12.3 · 3.6 bits per token on average · 1,234 tokens · 3 windows of 4096'."""
    scored = len(score.scored)
    if scored == 0:
        return (f"Too short to score: {len(score.tokens)} token{'s' if len(score.tokens) != 1 else ''}, "
                "and the first has nothing before it to be predicted from.")
    windows = f"{score.windows} window{'s' if score.windows != 1 else ''} of {score.n_ctx}"
    text = (f"Perplexity {format_perplexity(score.perplexity)} · {score.mean_surprisal:.1f} bits per token on average"
            f" · {len(score.tokens):,} tokens · {windows}")
    if score.stopped:
        text += f" · stopped early: {scored:,} tokens scored"
    return text


def read_text_file(path: Path) -> str:
    """The file's text, or ValueError saying in words why it cannot be scored."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValueError(f"{path.name} is {size / 1024 / 1024:.1f} MB; Parley scores texts up to "
                             f"{MAX_BYTES // 1024 // 1024} MB. Open a shorter part of it.")
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"Could not read {path.name}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path.name} is not UTF-8 text (byte {exc.start:,} is not valid UTF-8). "
                         "Save it as UTF-8 and open it again.") from exc


class PerplexityPage(QWidget):
    busyChanged = Signal(bool)

    def __init__(self, client: InferenceClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("perplexityPage")
        self.client = client
        self.model: LoadedModel | None = None
        self.last_score: TextScore | None = None
        self._running = False  # this page asked for the score now under way
        self._stopping = False
        self._chat_busy = False

        self.model_label = QLabel()
        self.model_label.setObjectName("perplexityModel")
        self.open_button = named_button("perplexityOpenButton", "Open…", "Score a .txt or .md file (UTF-8, up to 5 MB)")
        self.score_button = named_button("perplexityScoreButton", "Score",
                                         "Measure how surprised the loaded model is by each token of the text")
        self.stop_button = named_button("perplexityStopButton", "Stop", "Stop; the tokens scored so far are shown")
        self.stop_button.setEnabled(False)
        self.message = plain_label(name="perplexityMessage")  # messages quote file names
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.input = tab_moves_focus(QPlainTextEdit())
        self.input.setObjectName("perplexityInput")
        self.input.setPlaceholderText("Paste a text here, or open a file. Lower perplexity: the text reads as "
                                      "more expected to this model.")
        self.progress = QProgressBar()
        self.progress.setObjectName("perplexityProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m tokens")
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
        self.heatmap.setPlaceholderText("Score a text to see each token coloured by how surprising it was.")
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
        client.scoreProgress.connect(self._on_progress)
        client.scoreFinished.connect(self._on_finished)
        client.scoreFailed.connect(self._on_failed)
        self.set_model(None)

    # --- state from outside -----------------------------------------------------------------

    def set_model(self, model: LoadedModel | None) -> None:
        """The model that scores; without one, Score waits."""
        self.model = model
        if model is None:
            self.model_label.setText("No model loaded: load one to score a text.")
        else:
            name = html.escape(model.info.name)
            self.model_label.setText(f"Scores with <b>{name}</b> · context {model.n_ctx:,} tokens")
        self._update_buttons()

    def set_chat_busy(self, busy: bool) -> None:
        """The chat (or another page) is using the worker: Score waits until it is done."""
        self._chat_busy = busy
        self._update_buttons()

    def is_busy(self) -> bool:
        return self._running

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setStyleSheet(bar_style("#perplexityMessage", "error" if error else "info"))
        self.message.setProperty("error", error)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- input ------------------------------------------------------------------------------

    def _ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a text to score", "", TEXT_FILTER)
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> bool:
        try:
            text = read_text_file(Path(path))
        except ValueError as exc:
            self.show_message(str(exc))
            return False
        self.input.setPlainText(text)
        self.show_message(f"Opened {Path(path).name} ({len(text):,} characters).", error=False)
        return True

    # --- scoring ----------------------------------------------------------------------------

    def score(self) -> bool:
        text = self.input.toPlainText()
        if self.model is None:
            self.show_message("Load a model first.")
            return False
        if self._running or self._chat_busy:
            self.show_message("The model is busy; wait for it or press Stop.")
            return False
        if not text.strip():
            self.show_message("Paste or open a text to score first.")
            return False
        if len(text.encode("utf-8")) > MAX_BYTES:
            self.show_message(f"The text is longer than {MAX_BYTES // 1024 // 1024} MB; score a shorter part of it.")
            return False
        self.show_message("")
        self._running, self._stopping = True, False
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.summary.setText("Scoring…")
        self.input.setReadOnly(True)
        self.busyChanged.emit(True)
        self._update_buttons()
        self.client.score_text(text)
        return True

    def stop(self) -> None:
        if self._running:
            self._stopping = True
            self.client.stop()
            self.summary.setText("Stopping…")
            self._update_buttons()

    def _on_progress(self, done: int, total: int) -> None:
        if not self._running:
            return
        self.progress.setTextVisible(True)
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(min(done, total))
        if not self._stopping:
            self.summary.setText(f"Scoring… {done:,} of {total:,} tokens")

    def _on_finished(self, score: object) -> None:
        if not self._running or not isinstance(score, TextScore):
            return
        self.last_score = score
        self._end_run()
        self.progress.setTextVisible(True)
        self.progress.setRange(0, max(1, len(score.tokens)))
        self.progress.setValue(len(score.scored) + (1 if score.tokens else 0))
        self.summary.setText(summary_text(score))
        self.heatmap.show_tokens(score.tokens)

    def _on_failed(self, message: str) -> None:
        if not self._running:
            return
        self._end_run()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.summary.setText("")
        self.show_message(message)

    def _end_run(self) -> None:
        self._running = self._stopping = False
        self.input.setReadOnly(False)
        self.busyChanged.emit(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = not self._running and not self._chat_busy
        self.score_button.setEnabled(idle and self.model is not None)
        self.open_button.setEnabled(not self._running)
        self.stop_button.setEnabled(self._running and not self._stopping)
        if self.model is not None and self._chat_busy and not self._running:
            self.score_button.setToolTip("Waiting for the chat (or another page) to finish with the model")
        else:
            self.score_button.setToolTip("Measure how surprised the loaded model is by each token of the text")
