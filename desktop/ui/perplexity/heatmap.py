"""The surprisal heat map: the scored text token by token, each on a background as strong as its surprise.

The document is built with QTextCursor and plain text, so a token's text is never read as HTML; each
token's character format carries its index, which hovering maps back to the token. A character split over
several byte-level tokens is drawn once, coloured by its surprisal (the sum of its tokens': the product of
their probabilities), and its tooltip lists each token's id, bytes and surprisal.
"""

from __future__ import annotations

import html
import itertools
import math

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QLabel, QTextBrowser, QToolTip, QWidget

from desktop.core.i18n import number, translate
from desktop.core.instruments.perplexity import ScoredToken
from desktop.core.prompting.characters import (
    CharacterSpan,
    hex_bytes,
    span_of_token,
    span_surprisal,
    token_bytes,
    token_spans,
)

MAX_BITS = 15.0  # surprisal at which the colour is strongest; rarer tokens look the same
MAX_SHOWN = 20_000  # tokens drawn; beyond this the document gets slow, and the summary covers the rest
TOKEN_PROPERTY = QTextFormat.Property.UserProperty + 1
# From light (expected) through orange to red (surprising): (position 0..1, r, g, b).
STOPS = ((0.0, 255, 253, 245), (0.3, 254, 224, 160), (0.65, 252, 141, 89), (1.0, 215, 48, 31))
UNSCORED = QColor(232, 232, 232)  # the first token: nothing before it to predict it from


def surprisal_colour(bits: float) -> QColor:
    """Background for a token: linear in bits (already a log scale) from 0 to MAX_BITS."""
    if math.isnan(bits):
        return QColor(UNSCORED)
    t = min(1.0, max(0.0, bits / MAX_BITS))
    for (t0, *low), (t1, *high) in itertools.pairwise(STOPS):
        if t <= t1:
            f = (t - t0) / (t1 - t0)
            return QColor(*(round(a + (b - a) * f) for a, b in zip(low, high, strict=True)))
    return QColor(*STOPS[-1][1:])


def visible_text(text: str) -> str:
    """How a token's text reads in a tooltip: spaces, tabs and newlines shown, not swallowed."""
    return text.replace(" ", "·").replace("\t", "⇥").replace("\n", "↵")


def token_tooltip(index: int, token: ScoredToken) -> str:
    """Rich text (the tooltip renders tags), so the token's own text is escaped."""
    shown = html.escape(visible_text(token.text)) or html.escape(translate("HeatMap", "(empty)"))
    head = f"<b>{shown}</b> &nbsp; " + translate("HeatMap", "token {number} · id {id}").format(
        number=index + 1, id=token.token_id)
    if math.isnan(token.surprisal):
        return f"{head}<br>" + translate("HeatMap", "The first token: nothing comes before it, so it is not scored.")
    return f"{head}<br>" + translate("HeatMap", "{bits} bits of surprisal · probability {probability}").format(
        bits=f"{token.surprisal:.2f}", probability=percent(token.probability))


def span_tooltip(tokens: tuple[ScoredToken, ...], span: CharacterSpan) -> str:
    """A token's tooltip; for a character split over several tokens, the character's surprisal and probability
    and each token's id, bytes and surprisal."""
    if not span.split:
        return token_tooltip(span.first, tokens[span.first])
    count = len(span.text)
    what = (translate("HeatMap", "one character") if count == 1 else
            translate("HeatMap", "{count} characters").format(count=count))
    head = f"<b>{html.escape(visible_text(span.text))}</b> &nbsp; " + translate(
        "HeatMap", "tokens {first}–{last}: {what} in {size} tokens").format(
        first=span.first + 1, last=span.last + 1, what=what, size=span.size)
    rows = "".join(
        "<br>" + translate("HeatMap", "id {id} · bytes {bytes}").format(
            id=tokens[i].token_id, bytes=hex_bytes(token_bytes(tokens[i]) or b"")) + " · "
        + (translate("HeatMap", "not scored") if math.isnan(tokens[i].surprisal) else
           translate("HeatMap", "{bits} bits").format(bits=f"{tokens[i].surprisal:.2f}"))
        for i in span.indices
    )
    bits = span_surprisal([t.surprisal for t in tokens], span)
    if math.isnan(bits):
        return f"{head}{rows}<br>" + translate("HeatMap", "Its first token is the text's first: not scored.")
    return f"{head}{rows}<br>" + translate(
        "HeatMap", "{bits} bits of surprisal · probability {probability} (the product over its tokens)").format(
        bits=f"{bits:.2f}", probability=percent(2.0 ** -bits))


def percent(probability: float) -> str:
    value = probability * 100
    return f"{value:.1f}%" if value >= 1 else f"{value:.2g}%"


def utf16_length(text: str) -> int:
    """Qt counts positions in UTF-16 code units: an emoji is two."""
    return len(text.encode("utf-16-le")) // 2


def legend_html() -> str:
    cells = []
    for bits in (0, 3, 6, 9, 12, 15):
        colour = surprisal_colour(bits).name()
        label = f"{bits}+" if bits == MAX_BITS else str(bits)
        cells.append(f'<span style="background:{colour}; color:{text_colour(bits).name()}">&nbsp;{label}&nbsp;</span>')
    return (html.escape(translate("HeatMap", "Surprisal in bits:")) + " " + "".join(cells) + " &nbsp; "
            + html.escape(translate("HeatMap", "(grey: first token, not scored)")))


def text_colour(bits: float) -> QColor:
    return QColor("white") if not math.isnan(bits) and bits >= 0.8 * MAX_BITS else QColor(34, 34, 34)


class HeatMap(QTextBrowser):
    """Read-only; hovering a token shows its tooltip and emits tokenHovered(index) (-1 off any token)."""

    tokenHovered = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("perplexityHeatmap")
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setUndoRedoEnabled(False)
        self.viewport().setMouseTracking(True)
        self.viewport().installEventFilter(self)
        self.tokens: tuple[ScoredToken, ...] = ()
        self.spans: list[CharacterSpan] = []  # whole characters: one per token, except for split characters
        self._span_of: list[int] = []  # token index -> index in spans
        self.shown = 0
        self._hovered = -1

    def show_tokens(self, tokens: tuple[ScoredToken, ...]) -> None:
        self.clear()
        self.tokens = tokens
        spans = token_spans(tokens)
        self.spans = [span for span in spans if span.last < MAX_SHOWN] if len(tokens) > MAX_SHOWN else spans
        self._span_of = span_of_token(spans, len(tokens))
        self.shown = self.spans[-1].last + 1 if self.spans else 0
        surprisals = [token.surprisal for token in tokens]
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for span in self.spans:
            bits = span_surprisal(surprisals, span)
            fmt = QTextCharFormat()
            fmt.setBackground(surprisal_colour(bits))
            fmt.setForeground(text_colour(bits))
            fmt.setProperty(TOKEN_PROPERTY, span.first)
            if span.split:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            cursor.insertText(span.text, fmt)  # plain text: "\n" starts a new line, "<" stays "<"
        if self.shown < len(tokens):
            note = QTextCharFormat()
            note.setForeground(QColor(110, 110, 110))
            more = translate("HeatMap", "… {count} more tokens, counted in the summary but not drawn.").format(
                count=number(len(tokens) - self.shown))
            cursor.insertText("\n\n" + more, note)
        cursor.endEditBlock()
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self._set_hovered(-1)

    def token_at(self, point: QPoint) -> int:
        """The index of the token under a viewport point, or -1."""
        position = self.document().documentLayout().hitTest(self._document_point(point), Qt.HitTestAccuracy.ExactHit)
        if position < 0:
            return -1
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
        value = cursor.charFormat().property(TOKEN_PROPERTY)  # the format of the character right of `position`
        return value if isinstance(value, int) and 0 <= value < self.shown else -1

    def span_at(self, index: int) -> CharacterSpan:
        """The whole characters that token `index` is (part of)."""
        return self.spans[self._span_of[index]]

    def tooltip_for(self, index: int) -> str:
        """The tooltip of token `index` (of the character it is part of)."""
        return span_tooltip(self.tokens, self.span_at(index))

    def tooltip_at(self, point: QPoint) -> str:
        index = self.token_at(point)
        return self.tooltip_for(index) if index >= 0 else ""

    def token_rect_centre(self, index: int) -> QPoint:
        """Where token `index` (the character it is part of) is drawn in viewport coordinates (for tests and
        scripts)."""
        number = self._span_of[index]
        start = sum(utf16_length(span.text) for span in self.spans[:number])
        length = utf16_length(self.spans[number].text)
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        left = self.cursorRect(cursor)
        cursor.setPosition(start + length)
        right = self.cursorRect(cursor)
        if right.center().y() == left.center().y() and right.x() > left.x() + 2:  # on one line: its middle
            return QPoint((left.x() + right.x()) // 2, left.center().y())
        return QPoint(left.x() + 2, left.center().y())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport():
            if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
                text = self.tooltip_at(event.pos())
                if text:
                    QToolTip.showText(event.globalPos(), text, self.viewport())
                else:
                    QToolTip.hideText()
                    event.ignore()
                return True
            if event.type() == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
                self._set_hovered(self.token_at(event.position().toPoint()))
            elif event.type() == QEvent.Type.Leave:
                self._set_hovered(-1)
        return super().eventFilter(watched, event)

    def _set_hovered(self, index: int) -> None:
        if index != self._hovered:
            self._hovered = index
            self.tokenHovered.emit(index)

    def _document_point(self, point: QPoint) -> QPoint:
        return QPoint(point.x() + self.horizontalScrollBar().value(), point.y() + self.verticalScrollBar().value())


class TokenDetail(QLabel):
    """One line under the heat map with the hovered token, for people who do not wait for tooltips."""

    def __init__(self, heatmap: HeatMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("perplexityTokenDetail")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.heatmap = heatmap
        heatmap.tokenHovered.connect(self._show)
        self._show(-1)

    def _show(self, index: int) -> None:
        if index < 0:
            self.setText("<i>" + html.escape(translate("TokenDetail", "Hover over a token to see its id, surprisal and "
                                                        "probability.")) + "</i>")
        else:
            self.setText(self.heatmap.tooltip_for(index).replace("<br>", " &nbsp;·&nbsp; "))
