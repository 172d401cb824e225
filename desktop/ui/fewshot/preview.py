"""The Preview and Try tabs (the exact prompt with its token count, one streamed answer) and the message bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.core.conversations.messages import GenerationStats
from desktop.core.i18n import number, translate
from desktop.inference.jobs import Job
from desktop.ui.theme import ERROR_TEXT, bar_style
from desktop.ui.widgets import named_button


def _mono_view(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setReadOnly(True)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return view


class PreviewPanel(QWidget):
    """Shows the prompt byte for byte, so what the model reads is never a guess."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = _mono_view("fewShotPreview")
        self.tokens = QLabel("")
        self.tokens.setObjectName("previewTokensLabel")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(translate("PreviewPanel",
                                          "Exactly what the model reads for the query values on the left:")))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.tokens)

    def show_prompt(self, text: str) -> None:
        if text != self.view.toPlainText():  # keeps the scroll position while typing
            self.view.setPlainText(text)
        self.tokens.setText(translate("PreviewPanel", "Counting tokens…"))
        self.tokens.setStyleSheet("")

    def show_error(self, message: str) -> None:
        self.view.setPlainText(f"⚠ {message}")
        self.tokens.setText("")

    def show_token_count(self, count: int, n_ctx: int | None) -> None:
        """Red when the prompt would not fit: llama.cpp would refuse it or the answer would have no room."""
        if count < 0:
            self.tokens.setText(translate("PreviewPanel", "Token count unavailable"))
            return
        over = bool(n_ctx) and count > (n_ctx or 0)
        shown = translate("PreviewPanel", "{count} tokens of {n_ctx}")
        shown = shown if n_ctx else translate("PreviewPanel", "{count} tokens")
        text = shown.format(count=number(count), n_ctx=number(n_ctx or 0))
        if over:
            text = translate("PreviewPanel",
                             "⚠ {count}: longer than the context. Turn off examples or load the model with more "
                             "context.").format(count=text)
        self.tokens.setText(text)
        self.tokens.setProperty("over", over)
        self.tokens.setStyleSheet(f"color: {ERROR_TEXT}; font-weight: bold;" if over else "")


class TryPanel(QWidget):
    """One answer with the page's run settings: a quick check before scoring a whole test set. It streams the
    answer's job and keeps it while it runs, so Stop can end it."""

    failed = Signal(str)
    ended = Signal()  # the answer's job ended: answered, stopped or failed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_button = named_button("runOnceButton", translate("TryPanel", "Run once"), translate(
            "TryPanel", "Generate an answer for the query values, with the run settings above"))
        self.output = _mono_view("tryOutput")
        self.stats = QLabel("")
        self.stats.setObjectName("tryStatsLabel")
        self.job: Job | None = None  # the answer being generated
        self._answered = False
        layout = QVBoxLayout(self)
        layout.addWidget(self.run_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.output, 1)
        layout.addWidget(self.stats)

    def show_job(self, job: Job) -> None:
        self.output.clear()
        self.stats.setText(translate("TryPanel", "Generating…"))
        self.job, self._answered = job, False
        job.text.connect(self._append)
        job.result.connect(self._answer)
        job.failed.connect(self.failed)
        job.finished.connect(self._ended)

    def _append(self, text: str) -> None:
        self.output.moveCursor(self.output.textCursor().MoveOperation.End)
        self.output.insertPlainText(text)

    def _answer(self, stats: GenerationStats) -> None:
        self.stats.setText(stats.summary())
        self._answered = True

    def _ended(self) -> None:
        if not self._answered:  # it failed, or was stopped before it began: "Generating…" goes
            self.stats.setText("")
        self.job = None
        self.ended.emit()


class MessageBar(QLabel):
    """Problems with files, variables or runs, in words; the editor keeps everything typed meanwhile."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fewShotMessage")
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages quote file names and template text
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str, error: bool = True) -> None:
        self.setStyleSheet(bar_style("#fewShotMessage", "error" if error else "info"))
        self.setProperty("error", error)
        self.setText(text)
        self.setVisible(bool(text))
