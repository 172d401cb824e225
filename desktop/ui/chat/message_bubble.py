"""One message on screen: Markdown (or, with token probabilities, token by token), copy, branches, stats."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QSizeF, Qt, QUrl, Signal
from PySide6.QtGui import QCursor, QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.core.conversations.messages import GenerationStats, Role
from desktop.core.i18n import number, translate
from desktop.core.prompting.probabilities import TokenStep
from desktop.ui.chat.markdown_view import COPY_SCHEME
from desktop.ui.chat.markdown_view import render as render_markdown
from desktop.ui.chat.token_view import TOKEN_SCHEME, span_tooltip, steps_match, token_html
from desktop.ui.safe_text import SafeTextBrowser, open_outside

# While streaming, new text is appended to the document (cheap); the whole message is re-rendered as
# Markdown only every so often, spending at most ~2% of the time on it, since the GUI thread holds
# Python's GIL while Qt lays out text and would slow the inference thread down.
MIN_MARKDOWN_INTERVAL = 0.5
MARKDOWN_DUTY = 0.02
# A very long message (a 50 MB paste took 21 s and 2 GB to lay out) shows its first COLLAPSED_CHARS characters and
# a "Show all" button; expanded it shows at most EXPANDED_CHARS, as plain text past MARKDOWN_CHARS. The whole text
# is always copied, sent and saved ("Save as file…").
COLLAPSED_CHARS = 20_000
EXPANDED_CHARS = 1_000_000
MARKDOWN_CHARS = 200_000


class _MessageBody(SafeTextBrowser):
    """Read-only rich text that grows to fit its document instead of scrolling."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, handle_links=False)  # MessageBubble handles them: token anchors are its own
        self.setObjectName("messageBody")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setOpenLinks(False)  # links are handled in MessageBubble: web links open, token anchors are ours
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def _fit(self, size: QSizeF) -> None:
        height = math.ceil(size.height()) + 2
        if height != self.height():
            self.setFixedHeight(height)

    def append_plain(self, text: str) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)


class MessageBubble(QFrame):
    """One message: a Markdown body, a copy button and, for replies, the generation stats."""

    branchRequested = Signal(int)  # -1 previous version, +1 next
    editRequested = Signal()
    tokenClicked = Signal(int)  # step index, in the token view

    def __init__(self, role: Role, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self._text = text
        self.setObjectName("userMessage" if role is Role.USER else "assistantMessage")
        self.setProperty("role", role.value)

        header = QLabel(translate("MessageBubble", "You") if role is Role.USER else translate("MessageBubble", "Model"))
        header.setObjectName("messageRole")
        self._copy = QPushButton(translate("MessageBubble", "Copy"))
        self._copy.setObjectName("copyButton")
        self._copy.setFlat(True)
        self._copy.setToolTip(translate("MessageBubble", "Copy this message's text"))
        self._copy.clicked.connect(self.copy_to_clipboard)
        # Branches: earlier versions of this message (regenerated replies, edited questions).
        self._previous = self._small_button("branchPrevButton", "‹", translate(
            "MessageBubble", "Show the previous version"))
        self._branch = QLabel()
        self._branch.setObjectName("branchLabel")
        self._next = self._small_button("branchNextButton", "›", translate("MessageBubble", "Show the next version"))
        self._previous.clicked.connect(lambda: self.branchRequested.emit(-1))
        self._next.clicked.connect(lambda: self.branchRequested.emit(1))
        self._edit = self._small_button("editButton", translate("MessageBubble", "Edit"), translate(
            "MessageBubble", "Edit this message and send it again as a new branch"))
        self._edit.clicked.connect(self.editRequested)
        top = QHBoxLayout()
        top.addWidget(header)
        top.addStretch(1)
        for widget in (self._previous, self._branch, self._next, self._edit, self._copy):
            top.addWidget(widget)

        self._body = _MessageBody()
        self._body.anchorClicked.connect(self._link_clicked)
        self._body.highlighted.connect(self._link_hovered)
        self._rendered = ""
        self._code: list[str] = []  # the shown code blocks' text, for their Copy links
        self._steps: tuple[TokenStep, ...] = ()
        self._token_view = False
        self._next_markdown = 0.0
        self._expanded = False
        self._show_all = self._small_button("showAllButton", "", translate(
            "MessageBubble", "Show the whole message (it may take a moment)"))
        self._show_all.clicked.connect(self.expand)
        self._save = self._small_button("saveMessageButton", translate("MessageBubble", "Save as file…"),
                                        translate("MessageBubble", "Save the whole message to a file"))
        self._save.clicked.connect(self.save_as_file)
        more = QHBoxLayout()
        more.addWidget(self._show_all)
        more.addWidget(self._save)
        more.addStretch(1)
        self._stats = QLabel()
        self._stats.setObjectName("messageStats")
        self._stats.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.addLayout(top)
        layout.addWidget(self._body)
        layout.addLayout(more)
        layout.addWidget(self._stats)
        # Only once parented (by the layout above): showing a parentless widget would open a window.
        self._edit.setVisible(role is Role.USER)
        self.set_branch(1, 1)

        self._render()

    @property
    def text(self) -> str:
        return self._text

    def rendered_text(self) -> str:
        """The Markdown source last rendered as formatted text, for tests and scripts."""
        return self._rendered

    def shown_text(self) -> str:
        """The plain text on screen now."""
        return self._body.toPlainText()

    def document_length(self) -> int:
        """Characters in the shown document (for tests: a long message is never laid out whole)."""
        return int(self._body.document().characterCount())

    def _limit(self) -> int:
        return EXPANDED_CHARS if self._expanded else COLLAPSED_CHARS

    def expand(self) -> None:
        """Show the message whole (up to EXPANDED_CHARS; the rest only in a saved file)."""
        if not self._expanded:
            self._expanded = True
            self._render()

    def save_as_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, translate("MessageBubble", "Save message as"), "message.md",
            translate("MessageBubble", "Markdown (*.md);;Text (*.txt);;All files (*)"))
        if path:
            with open(path, "w", encoding="utf-8") as file:
                file.write(self._text)

    def _update_more(self) -> None:
        longer = len(self._text) > self._limit()
        self._show_all.setText(translate("MessageBubble", "Show all ({count} characters)").format(
            count=number(len(self._text))))
        self._show_all.setVisible(longer and not self._expanded)
        self._save.setVisible(longer)

    def append(self, piece: str) -> None:
        """Streaming: append to this bubble only; format as Markdown at a bounded rate."""
        shown = len(self._text)
        self._text += piece
        if shown >= self._limit():  # collapsed: the document already holds all it shows
            self._update_more()
        elif time.perf_counter() >= self._next_markdown:
            self._render()
        else:
            self._body.append_plain(piece)

    def set_text(self, text: str) -> None:
        self._text = text
        self._render()

    def finish(self, stats: GenerationStats | None) -> None:
        self._render()
        if stats is not None:
            self._stats.setText(stats.summary())
            self._stats.show()

    def stats_text(self) -> str:
        return self._stats.text()

    # --- token probabilities ------------------------------------------------------

    @property
    def steps(self) -> tuple[TokenStep, ...]:
        return self._steps

    def set_steps(self, steps: tuple[TokenStep, ...]) -> None:
        self._steps = steps
        if self._token_view:
            self._render()

    def set_token_view(self, on: bool) -> None:
        """On: the reply token by token, coloured by probability, alternatives on hover (when it has steps)."""
        if on != self._token_view:
            self._token_view = on
            self._render()

    def showing_tokens(self) -> bool:
        return self._token_view and len(self._text) <= self._limit() and steps_match(self._text, self._steps)

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == TOKEN_SCHEME:
            self.tokenClicked.emit(int(url.path()))
        elif url.scheme() == COPY_SCHEME:
            index = int(url.path())
            if 0 <= index < len(self._code):
                QGuiApplication.clipboard().setText(self._code[index])
        else:
            open_outside(url)

    def _link_hovered(self, url: QUrl) -> None:
        if url.scheme() != TOKEN_SCHEME:
            QToolTip.hideText()
            return
        index = int(url.path())
        if 0 <= index < len(self._steps):
            QToolTip.showText(QCursor.pos(), span_tooltip(self._steps, index), self._body)

    def token_tooltip(self, index: int) -> str:
        """The hover text of step `index` (of the whole character it is part of), for tests and scripts."""
        return span_tooltip(self._steps, index)

    @staticmethod
    def _small_button(name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFlat(True)
        button.setToolTip(tip)
        return button

    def set_branch(self, index: int, count: int) -> None:
        """Show "‹ 2/3 ›" when this message has other versions; hidden when it has none."""
        for widget in (self._previous, self._branch, self._next):
            widget.setVisible(count > 1)
        self._branch.setText(f"{index}/{count}")
        self._previous.setEnabled(index > 1)
        self._next.setEnabled(index < count)

    def branch_text(self) -> str:
        return self._branch.text() if self._branch.isVisibleTo(self) else ""

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self._text)

    def _render(self) -> None:
        started = time.perf_counter()
        source = self._text[:self._limit()]
        if self.showing_tokens():
            self._body.document().setHtml(token_html(self._text, self._steps))
        elif len(source) > MARKDOWN_CHARS:
            self._body.document().setPlainText(source)
        else:
            self._code = render_markdown(self._body.document(), source)
        self._update_more()
        self._rendered = source
        cost = time.perf_counter() - started
        self._next_markdown = started + max(MIN_MARKDOWN_INTERVAL, cost / MARKDOWN_DUTY)
