"""The raw prompt token by token: boundaries, ids on hover, special tokens marked, and the section each is in.

A character split over several byte-level tokens is shown once, underlined, spanning its tokens; hovering it
lists each token's id and bytes.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFontDatabase, QHelpEvent, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from desktop.core.prompting.characters import CharacterSpan, hex_bytes, span_of_token, token_bytes, token_spans
from desktop.core.prompting.chat_template import ChatTemplate, TemplateError
from desktop.core.prompting.probabilities import TokenPiece
from desktop.core.prompting.sections import SectionedPrompt, count_per_section, prompt_sections, token_sections

MAX_TOKEN_VIEW = 20_000  # longer prompts are shown as plain text: a format per token gets slow
NEWLINE_MARK = "\u21b5"  # ↵ before each newline, so a token that is only a newline can be seen and hovered


def sections_for(turns: Sequence[Mapping[str, Any]], template: ChatTemplate) -> SectionedPrompt | None:
    """Sections of the prompt rendered from turns; the new message is the last turn when it is the user's
    (the draft, or the message being answered), else nothing is new."""
    new_index = len(turns) - 1 if turns and str(turns[-1].get("role", "")) == "user" else len(turns)
    try:
        return prompt_sections(turns, template, new_index)
    except TemplateError:
        return None


def section_counts(sections: SectionedPrompt | None, pieces: Sequence[TokenPiece]) -> tuple[dict[str, int], list[str]]:
    """Tokens per section and each token's section (none when the sections are unknown)."""
    if sections is None:
        return {}, []
    return count_per_section(sections.spans, pieces), token_sections(sections.spans, pieces)


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def _formats(palette: QPalette) -> tuple[QTextCharFormat, QTextCharFormat, QTextCharFormat]:
    """Two alternating backgrounds for ordinary tokens and one look for special tokens, for light or dark themes."""
    colours = (("#2b3440", "#39424f", "#e4c8f5", "#4b2d63") if _is_dark(palette)
               else ("#edf1f7", "#d3dff0", "#6a1b9a", "#ede1f8"))
    even, odd, special = QTextCharFormat(), QTextCharFormat(), QTextCharFormat()
    even.setBackground(QColor(colours[0]))
    odd.setBackground(QColor(colours[1]))
    special.setForeground(QColor(colours[2]))
    special.setBackground(QColor(colours[3]))
    return even, odd, special


def _split_format(base: QTextCharFormat, palette: QPalette) -> QTextCharFormat:
    """A character over several tokens: the shade it would have, underlined."""
    fmt = QTextCharFormat(base)
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
    fmt.setUnderlineColor(QColor("#f0b45a" if _is_dark(palette) else "#b36b00"))
    return fmt


def token_list(pieces: Sequence[TokenPiece], span: CharacterSpan) -> str:
    """'id 478 F0 + id 397 9F + id 404 A6 + id 391 99': each token of a split character with its bytes."""
    return " + ".join(f"id {pieces[i].token_id} {hex_bytes(token_bytes(pieces[i]) or b'')}".rstrip()
                      for i in span.indices)


class TokenTextView(QTextEdit):
    """Read-only text built token by token with QTextCursor (never HTML: the text comes from the model)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rawPromptTokenView")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.pieces: list[TokenPiece] = []
        self.sections: list[str] = []
        self.spans: list[CharacterSpan] = []  # whole characters: one per token, except for split characters
        self._span_of: list[int] = []  # token index -> index in spans
        self._starts: list[int] = []  # document position where each token's text begins (its character's)
        self._ends: list[int] = []

    def show_tokens(self, pieces: Sequence[TokenPiece], sections: Sequence[str] = ()) -> None:
        self.pieces = list(pieces)
        self.sections = list(sections)
        self.spans = token_spans(self.pieces)
        self._span_of = span_of_token(self.spans, len(self.pieces))
        self._starts, self._ends = [], []
        document = self.document()
        document.clear()
        even, odd, special = _formats(self.palette())
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        for number, span in enumerate(self.spans):
            start = cursor.position()
            text = span.text.replace("\n", NEWLINE_MARK + "\n")
            fmt = special if self.pieces[span.first].special else odd if number % 2 else even
            cursor.insertText(text, _split_format(fmt, self.palette()) if span.split else fmt)
            self._starts.extend([start] * span.size)
            self._ends.extend([cursor.position()] * span.size)
        cursor.endEditBlock()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def token_at_position(self, position: int) -> int:
        """Index of the token whose text holds the document position, or -1."""
        index = bisect.bisect_right(self._starts, position) - 1
        if index < 0 or position >= self._ends[index]:
            return -1
        return index

    def token_at(self, point: QPoint) -> int:
        """Index of the token under a point of the viewport, or -1 (blank space, past a line's end)."""
        layout = self.document().documentLayout()
        where = QPointF(point.x() + self.horizontalScrollBar().value(), point.y() + self.verticalScrollBar().value())
        position = layout.hitTest(where, Qt.HitTestAccuracy.ExactHit)
        return -1 if position < 0 else self.token_at_position(position)

    def span_at(self, index: int) -> CharacterSpan:
        """The whole characters that token `index` is (part of)."""
        return self.spans[self._span_of[index]]

    def hover_text(self, index: int) -> str:
        """'token 5 · id 1234 · 'text' · section …'; for a character split over tokens 5 to 8, each one's id
        and bytes: 'tokens 5–8 · one character '🦙' · id 478 F0 + id 397 9F + … · section …'."""
        piece = self.pieces[index]
        span = self.span_at(index)
        if span.split:
            count = len(span.text)
            what = "one character" if count == 1 else f"{count} characters"
            parts = [f"tokens {span.first + 1}–{span.last + 1}", f"{what} {span.text!r}",
                     token_list(self.pieces, span)]
        else:
            parts = [f"token {index + 1}", f"id {piece.token_id}", repr(span.text)]
        if piece.special:
            parts.append("special")
        if index < len(self.sections):
            parts.append(f"section {self.sections[index]}")
        return " · ".join(parts)

    def viewportEvent(self, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.token_at(event.pos())
            if index >= 0:
                QToolTip.showText(event.globalPos(), self.hover_text(index), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def token_format(self, index: int) -> QTextCharFormat:
        """The character format a token is shown with (for tests and checks)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._starts[index] + 1)
        return cursor.charFormat()
