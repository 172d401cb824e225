"""The conversation on screen: one bubble per message; streaming touches only the last bubble."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QSizeF, Qt, Signal
from PySide6.QtGui import QGuiApplication, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.messages import GenerationStats, Role

# While streaming, new text is appended to the document (cheap); the whole message is re-rendered as
# Markdown only every so often, spending at most ~2% of the time on it, since the GUI thread holds
# Python's GIL while Qt lays out text and would slow the inference thread down.
MIN_MARKDOWN_INTERVAL = 0.5
MARKDOWN_DUTY = 0.02
# GitHub-flavoured Markdown; HTML in a reply is shown as text, never interpreted.
MARKDOWN = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | QTextDocument.MarkdownFeature.MarkdownNoHTML


class _MessageBody(QTextBrowser):
    """Read-only rich text that grows to fit its document instead of scrolling."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBody")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setOpenExternalLinks(True)
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

    def __init__(self, role: Role, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self._text = text
        self.setObjectName("userMessage" if role is Role.USER else "assistantMessage")
        self.setProperty("role", role.value)

        header = QLabel("You" if role is Role.USER else "Model")
        header.setObjectName("messageRole")
        self._copy = QPushButton("Copy")
        self._copy.setObjectName("copyButton")
        self._copy.setFlat(True)
        self._copy.setToolTip("Copy this message's text")
        self._copy.clicked.connect(self.copy_to_clipboard)
        # Branches: earlier versions of this message (regenerated replies, edited questions).
        self._previous = self._small_button("branchPrevButton", "‹", "Show the previous version")
        self._branch = QLabel()
        self._branch.setObjectName("branchLabel")
        self._next = self._small_button("branchNextButton", "›", "Show the next version")
        self._previous.clicked.connect(lambda: self.branchRequested.emit(-1))
        self._next.clicked.connect(lambda: self.branchRequested.emit(1))
        self._edit = self._small_button("editButton", "Edit", "Edit this message and send it again as a new branch")
        self._edit.clicked.connect(self.editRequested)
        top = QHBoxLayout()
        top.addWidget(header)
        top.addStretch(1)
        for widget in (self._previous, self._branch, self._next, self._edit, self._copy):
            top.addWidget(widget)

        self._body = _MessageBody()
        self._rendered = ""
        self._next_markdown = 0.0
        self._stats = QLabel()
        self._stats.setObjectName("messageStats")
        self._stats.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.addLayout(top)
        layout.addWidget(self._body)
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

    def append(self, piece: str) -> None:
        """Streaming: append to this bubble only; format as Markdown at a bounded rate."""
        self._text += piece
        if time.perf_counter() >= self._next_markdown:
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
        self._body.document().setMarkdown(self._text if self._text else "…", MARKDOWN)
        self._rendered = self._text
        cost = time.perf_counter() - started
        self._next_markdown = started + max(MIN_MARKDOWN_INTERVAL, cost / MARKDOWN_DUTY)


CHAT_STYLE = """
#chatColumn { background: palette(base); }
#userMessage { background: #eef3fb; border: 1px solid #d3dcea; border-radius: 8px; }
#assistantMessage { background: palette(base); border: 1px solid #e0e0e0; border-radius: 8px; }
#messageRole { font-weight: 600; color: #445; }
#messageStats { color: #667; font-size: 11px; }
#messageBody { background: transparent; }
#chatPlaceholder { color: #778; }
#contextMarker { color: #8a6d00; border-top: 1px dashed #c9a227; padding: 4px; font-size: 11px; }
"""


RECENT_MESSAGES = 60  # rendered when a conversation opens; earlier ones on request (a widget per message is costly)


class ChatView(QScrollArea):
    """Scrollable column of MessageBubbles; follows the stream while the person is at the bottom.

    Long conversations show their last RECENT_MESSAGES; older messages wait in `_earlier` until asked for.
    Message indices in signals and methods count every message, shown or not.
    """

    branchRequested = Signal(int, int)  # message index, -1/+1
    editRequested = Signal(int)  # message index
    earlierShown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._column = QWidget()
        self._column.setObjectName("chatColumn")
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(12, 12, 12, 12)
        self._layout.setSpacing(8)
        self._placeholder = QLabel("Type a message below to start. Enter sends, Shift+Enter adds a new line.")
        self._placeholder.setObjectName("chatPlaceholder")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._placeholder)
        self._earlier: list[tuple[Role, str, GenerationStats | None]] = []
        self._show_earlier = QPushButton()
        self._show_earlier.setObjectName("showEarlierButton")
        self._show_earlier.clicked.connect(self.show_earlier)
        self._show_earlier.hide()
        self._layout.addWidget(self._show_earlier)
        self._marker = QLabel("Earlier messages above this line no longer fit the context: the model skips them.")
        self._marker.setObjectName("contextMarker")
        self._marker.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._marker.setWordWrap(True)
        self._marker.hide()
        self._layout.addWidget(self._marker)
        self._layout.addStretch(1)
        self.setWidget(self._column)
        self.setStyleSheet(CHAT_STYLE)
        self._bubbles: list[MessageBubble] = []
        self._follow = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(lambda value: setattr(self, "_follow", value >= bar.maximum() - 4))
        bar.rangeChanged.connect(lambda _lo, hi: bar.setValue(hi) if self._follow else None)

    @property
    def hidden_count(self) -> int:
        """Messages at the top that are not rendered yet."""
        return len(self._earlier)

    def show_messages(self, messages: list[tuple[Role, str, GenerationStats | None]]) -> None:
        """Replace the view with a saved conversation: the recent messages rendered, the rest on request."""
        self.clear()
        split = max(0, len(messages) - RECENT_MESSAGES)
        self._earlier = list(messages[:split])
        for role, text, stats in messages[split:]:
            self.add_message(role, text).finish(stats)
        self._update_earlier_button()

    def show_earlier(self) -> None:
        """Render the previous batch of messages above the ones shown."""
        batch, self._earlier = self._earlier[-RECENT_MESSAGES:], self._earlier[:-RECENT_MESSAGES]
        position = self._layout.indexOf(self._show_earlier) + 1
        for offset, (role, text, stats) in enumerate(batch):
            bubble = self._make_bubble(role, text)
            self._layout.insertWidget(position + offset, bubble)
            self._bubbles.insert(offset, bubble)
            bubble.finish(stats)
        self._follow = False
        self._update_earlier_button()
        self.earlierShown.emit()

    def _update_earlier_button(self) -> None:
        self._show_earlier.setText(f"Show {min(RECENT_MESSAGES, len(self._earlier))} earlier messages "
                                   f"({len(self._earlier)} not shown)")
        self._show_earlier.setVisible(bool(self._earlier))

    def bubble_at(self, index: int) -> MessageBubble | None:
        """The bubble of message `index`, or None while it is not rendered."""
        local = index - len(self._earlier)
        return self._bubbles[local] if 0 <= local < len(self._bubbles) else None

    def set_context_marker(self, first_visible: int | None) -> None:
        """Show where the model's context starts: messages above the marker were left out of the prompt."""
        bubble = self.bubble_at(first_visible) if first_visible is not None else None
        if bubble is None:
            self._marker.hide()
            return
        self._layout.removeWidget(self._marker)
        self._layout.insertWidget(self._layout.indexOf(bubble), self._marker)
        self._marker.show()

    def context_marker_index(self) -> int | None:
        """Index of the first message the model still sees, or None when everything fits."""
        if self._marker.isHidden():
            return None
        position = self._layout.indexOf(self._marker)
        local = next(i for i, b in enumerate(self._bubbles) if self._layout.indexOf(b) > position)
        return local + len(self._earlier)

    def bubbles(self) -> list[MessageBubble]:
        return list(self._bubbles)

    def message_texts(self) -> list[str]:
        """Every message's text, rendered or not."""
        return [text for _role, text, _stats in self._earlier] + [b.text for b in self._bubbles]

    def _make_bubble(self, role: Role, text: str) -> MessageBubble:
        bubble = MessageBubble(role, text)
        bubble.branchRequested.connect(lambda delta: self.branchRequested.emit(self._index_of(bubble), delta))
        bubble.editRequested.connect(lambda: self.editRequested.emit(self._index_of(bubble)))
        return bubble

    def _index_of(self, bubble: MessageBubble) -> int:
        return len(self._earlier) + self._bubbles.index(bubble)

    def add_message(self, role: Role, text: str = "") -> MessageBubble:
        bubble = self._make_bubble(role, text)
        self._layout.insertWidget(self._layout.count() - 1, bubble)
        self._bubbles.append(bubble)
        self._placeholder.hide()
        self._follow = True
        return bubble

    def last_bubble(self) -> MessageBubble | None:
        return self._bubbles[-1] if self._bubbles else None

    def remove_last(self) -> None:
        if self._bubbles:
            bubble = self._bubbles.pop()
            bubble.setParent(None)
            bubble.deleteLater()
        elif self._earlier:
            self._earlier.pop()
            self._update_earlier_button()
        self._placeholder.setVisible(not self._bubbles and not self._earlier)

    def clear(self) -> None:
        self._earlier.clear()
        while self._bubbles:
            self.remove_last()
        self._update_earlier_button()
        self._marker.hide()
