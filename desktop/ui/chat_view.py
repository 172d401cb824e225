"""The conversation on screen: one bubble per message; streaming touches only the last bubble."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desktop.core.messages import GenerationStats, Role

RENDER_INTERVAL_MS = 33  # re-render a streaming message at most ~30 times a second


class MessageBubble(QFrame):
    """One message: a Markdown body, a copy button and, for replies, the generation stats."""

    def __init__(self, role: Role, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self._text = text
        self.setObjectName("userMessage" if role is Role.USER else "assistantMessage")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setProperty("role", role.value)

        header = QLabel("You" if role is Role.USER else "Model")
        header.setObjectName("messageRole")
        header.setStyleSheet("font-weight: 600; color: palette(mid);")
        self._copy = QPushButton("Copy")
        self._copy.setObjectName("copyButton")
        self._copy.setFlat(True)
        self._copy.setToolTip("Copy this message's text")
        self._copy.clicked.connect(self.copy_to_clipboard)
        top = QHBoxLayout()
        top.addWidget(header)
        top.addStretch(1)
        top.addWidget(self._copy)

        self._body = QLabel()
        self._body.setObjectName("messageBody")
        self._body.setTextFormat(Qt.TextFormat.MarkdownText)
        self._body.setWordWrap(True)
        self._body.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self._body.setOpenExternalLinks(False)
        self._stats = QLabel()
        self._stats.setObjectName("messageStats")
        self._stats.setStyleSheet("color: palette(mid); font-size: 11px;")
        self._stats.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.addLayout(top)
        layout.addWidget(self._body)
        layout.addWidget(self._stats)

        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_INTERVAL_MS)
        self._render_timer.timeout.connect(self._render)
        self._render()

    @property
    def text(self) -> str:
        return self._text

    def rendered_text(self) -> str:
        """What the body shows now (Markdown source), for tests and scripts."""
        return self._body.text()

    def append(self, piece: str) -> None:
        """Streaming: collect text and re-render this bubble only, at a bounded rate."""
        self._text += piece
        if not self._render_timer.isActive():
            self._render_timer.start()

    def set_text(self, text: str) -> None:
        self._text = text
        self._render()

    def finish(self, stats: GenerationStats | None) -> None:
        self._render_timer.stop()
        self._render()
        if stats is not None:
            self._stats.setText(stats.summary())
            self._stats.show()

    def stats_text(self) -> str:
        return self._stats.text() if self._stats.isVisible() or self._stats.text() else ""

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self._text)

    def _render(self) -> None:
        self._body.setText(self._text if self._text else "…")


class ChatView(QScrollArea):
    """Scrollable column of MessageBubbles; follows the stream while the person is at the bottom."""

    contentChanged = Signal()

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
        self._placeholder.setStyleSheet("color: palette(mid);")
        self._layout.addWidget(self._placeholder)
        self._layout.addStretch(1)
        self.setWidget(self._column)
        self._bubbles: list[MessageBubble] = []
        self._follow = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(lambda value: setattr(self, "_follow", value >= bar.maximum() - 4))
        bar.rangeChanged.connect(lambda _lo, hi: bar.setValue(hi) if self._follow else None)

    def bubbles(self) -> list[MessageBubble]:
        return list(self._bubbles)

    def message_texts(self) -> list[str]:
        return [b.text for b in self._bubbles]

    def add_message(self, role: Role, text: str = "") -> MessageBubble:
        bubble = MessageBubble(role, text)
        self._layout.insertWidget(self._layout.count() - 1, bubble)
        self._bubbles.append(bubble)
        self._placeholder.hide()
        self._follow = True
        self.contentChanged.emit()
        return bubble

    def last_bubble(self) -> MessageBubble | None:
        return self._bubbles[-1] if self._bubbles else None

    def remove_last(self) -> None:
        if self._bubbles:
            bubble = self._bubbles.pop()
            bubble.setParent(None)
            bubble.deleteLater()
        self._placeholder.setVisible(not self._bubbles)
        self.contentChanged.emit()

    def clear(self) -> None:
        while self._bubbles:
            self.remove_last()
