"""The conversation on screen: one bubble per message; streaming touches only the last bubble."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desktop.core.conversations.messages import GenerationStats, Role
from desktop.core.i18n import translate
from desktop.core.prompting.probabilities import TokenStep
from desktop.ui.chat.message_bubble import MessageBubble

__all__ = ["ChatView", "MessageBubble"]

CHAT_STYLE = """
#chatColumn { background: palette(base); }
#userMessage { background: rgba(37, 99, 235, 0.10); border: 1px solid rgba(37, 99, 235, 0.30); border-radius: 8px; }
#assistantMessage { background: palette(base); border: 1px solid palette(mid); border-radius: 8px; }
#messageRole { font-weight: 600; color: palette(window-text); }
#messageStats { color: palette(placeholder-text); font-size: 11px; }
#messageBody { background: transparent; color: palette(text); }
#chatPlaceholder { color: palette(placeholder-text); }
#contextMarker { color: palette(window-text); border-top: 1px dashed rgba(201, 162, 39, 0.8); padding: 4px;
                 font-size: 11px; }
"""


RECENT_MESSAGES = 60  # rendered when a conversation opens; earlier ones on request (a widget per message is costly)


class ChatView(QScrollArea):
    """Scrollable column of MessageBubbles; follows the stream while the person is at the bottom.

    Long conversations show their last RECENT_MESSAGES; older messages wait in `_earlier` until asked for.
    Message indices in signals and methods count every message, shown or not.
    """

    branchRequested = Signal(int, int)  # message index, -1/+1
    editRequested = Signal(int)  # message index
    tokenClicked = Signal(int, int)  # message index, step index
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
        self._placeholder = QLabel(translate(
            "ChatView", "Type a message below to start. Enter sends, Shift+Enter adds a new line."))
        self._placeholder.setObjectName("chatPlaceholder")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._placeholder)
        self._earlier: list[tuple[Role, str, GenerationStats | None]] = []
        self._show_earlier = QPushButton()
        self._show_earlier.setObjectName("showEarlierButton")
        self._show_earlier.clicked.connect(self.show_earlier)
        self._show_earlier.hide()
        self._layout.addWidget(self._show_earlier)
        self._marker = QLabel(translate(
            "ChatView", "Earlier messages above this line no longer fit the context: the model skips them."))
        self._marker.setObjectName("contextMarker")
        self._marker.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._marker.setWordWrap(True)
        self._marker.hide()
        self._layout.addWidget(self._marker)
        self._layout.addStretch(1)
        self.setWidget(self._column)
        self.setStyleSheet(CHAT_STYLE)
        self._bubbles: list[MessageBubble] = []
        self._steps: dict[int, tuple[TokenStep, ...]] = {}  # message index -> token probabilities
        self._token_view = False
        self._follow = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(lambda value: setattr(self, "_follow", value >= bar.maximum() - 4))
        bar.rangeChanged.connect(lambda _lo, hi: bar.setValue(hi) if self._follow else None)

    @property
    def hidden_count(self) -> int:
        """Messages at the top that are not rendered yet."""
        return len(self._earlier)

    def show_messages(self, messages: list[tuple[Role, str, GenerationStats | None]],
                      steps: dict[int, tuple[TokenStep, ...]] | None = None) -> None:
        """Replace the view with a saved conversation: the recent messages rendered, the rest on request."""
        self.clear()
        self._steps = dict(steps or {})
        split = max(0, len(messages) - RECENT_MESSAGES)
        self._earlier = list(messages[:split])
        for offset, (role, text, stats) in enumerate(messages[split:]):
            bubble = self.add_message(role, text)
            bubble.set_steps(self._steps.get(split + offset, ()))
            bubble.finish(stats)
        self._update_earlier_button()

    def show_earlier(self) -> None:
        """Render the previous batch of messages above the ones shown."""
        batch, self._earlier = self._earlier[-RECENT_MESSAGES:], self._earlier[:-RECENT_MESSAGES]
        position = self._layout.indexOf(self._show_earlier) + 1
        for offset, (role, text, stats) in enumerate(batch):
            bubble = self._make_bubble(role, text)
            self._layout.insertWidget(position + offset, bubble)
            self._bubbles.insert(offset, bubble)
            bubble.set_steps(self._steps.get(self._index_of(bubble), ()))
            bubble.finish(stats)
        self._follow = False
        self._update_earlier_button()
        self.earlierShown.emit()

    def _update_earlier_button(self) -> None:
        batch, hidden = min(RECENT_MESSAGES, len(self._earlier)), len(self._earlier)  # lupdate wants plain names
        self._show_earlier.setText(translate("ChatView", "Show %n earlier messages", None, batch) + " "
                                   + translate("ChatView", "(%n not shown)", None, hidden))
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
        bubble.tokenClicked.connect(lambda step: self.tokenClicked.emit(self._index_of(bubble), step))
        bubble.set_token_view(self._token_view)
        return bubble

    def set_steps(self, index: int, steps: tuple[TokenStep, ...]) -> None:
        """Token probabilities of message `index` (kept for it while it is not rendered)."""
        self._steps[index] = steps
        bubble = self.bubble_at(index)
        if bubble is not None:
            bubble.set_steps(steps)

    def steps(self, index: int) -> tuple[TokenStep, ...]:
        return self._steps.get(index, ())

    def set_token_view(self, on: bool) -> None:
        """Every reply with recorded probabilities shown token by token (or back to Markdown)."""
        self._token_view = on
        for bubble in self._bubbles:
            bubble.set_token_view(on)

    def token_view(self) -> bool:
        return self._token_view

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
        self._steps.pop(len(self._earlier) + len(self._bubbles) - 1, None)
        if self._bubbles:
            bubble = self._bubbles.pop()
            bubble.setParent(None)
            bubble.deleteLater()
        elif self._earlier:
            self._earlier.pop()
            self._update_earlier_button()
        self._placeholder.setVisible(not self._bubbles and not self._earlier)

    def clear(self) -> None:
        self._steps.clear()
        self._earlier.clear()
        while self._bubbles:
            self.remove_last()
        self._update_earlier_button()
        self._marker.hide()
