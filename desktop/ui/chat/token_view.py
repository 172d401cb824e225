"""A reply shown token by token: coloured by how likely the model found each token, alternatives on hover.

The text is built as HTML from escaped token texts only (never from the model's own markup); each token is
an anchor "tok:<index>" so hovering and clicking can tell which token is meant. A character split over several
byte-level tokens is one anchor (the index of its first token), coloured by the product of their probabilities.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QMenu, QWidget

from desktop.core.prompting.characters import (
    CharacterSpan,
    hex_bytes,
    ordinal,
    span_probability,
    token_bytes,
    token_spans,
)
from desktop.core.prompting.probabilities import Alternative, TokenStep

TOKEN_SCHEME = "tok"
# Full colour at 1/64 (6 bits of surprise); a token the model was sure of stays uncoloured.
FULL_COLOUR_BITS = 6.0
_LOW = (255, 255, 255)
_HIGH = (244, 143, 97)  # warm orange: readable under dark text, and not the red of an error


def probability_colour(probability: float) -> QColor:
    """White for a certain token, deepening orange as the probability falls."""
    bits = -math.log2(probability) if probability > 0 else FULL_COLOUR_BITS
    t = max(0.0, min(1.0, bits / FULL_COLOUR_BITS))
    return QColor(*(round(lo + (hi - lo) * t) for lo, hi in zip(_LOW, _HIGH, strict=True)))


def shown(text: str) -> str:
    """A token's text made visible: spaces as '·', newlines as '⏎', empty as '∅'."""
    if not text:
        return "∅"
    return text.replace(" ", "·").replace("\n", "⏎").replace("\t", "→")


def steps_match(text: str, steps: Sequence[TokenStep]) -> bool:
    """Whether the reply text starts with the steps' texts (a stop string may have cut the last ones)."""
    joined = "".join(step.text for step in steps)
    return bool(steps) and (joined.startswith(text) or text.startswith(joined))


def span_at(steps: Sequence[TokenStep], index: int) -> CharacterSpan:
    """The whole characters that step `index` is (part of)."""
    return next(span for span in token_spans(steps) if span.first <= index <= span.last)


def token_html(text: str, steps: Sequence[TokenStep], colour: bool = True) -> str:
    """The reply as coloured token anchors; the part of `text` past the steps (if any) is plain."""
    parts = ['<div style="white-space: pre-wrap;">']
    position = 0
    probabilities = [step.probability for step in steps]
    for span in token_spans(steps):
        if position >= len(text):
            break
        length = sum(len(steps[i].text) for i in span.indices)
        piece = text[position:position + length]
        position += length
        if not piece:
            continue
        probability = span_probability(probabilities, span)
        background = probability_colour(probability).name() if colour else "transparent"
        border = "#d8d8d8" if not colour else background
        underline = " text-underline-style: dashed;" if span.split else ""
        parts.append(
            f'<a href="{TOKEN_SCHEME}:{span.first}" style="color: #1d1d1f; text-decoration: none;">'
            f'<span style="background-color: {background}; border-right: 1px solid {border};{underline}">'
            f"{_escape(piece)}</span></a>"
        )
    if position < len(text):
        parts.append(_escape(text[position:]))
    parts.append("</div>")
    return "".join(parts)


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br/>")


def _percent(p: float) -> str:
    return f"{p * 100:.1f}%" if p >= 0.001 else f"{p * 100:.2g}%"


CLICK_NOTE = "<span style='color: #667;'>Click to continue from another token.</span>"


def alternatives_tooltip(step: TokenStep) -> str:
    """A small table: the chosen token, its probability, the entropy, and the alternatives."""
    chosen = html.escape(shown(step.text))
    return (
        f"<b>{chosen}</b> · {_percent(step.probability)} · entropy {step.entropy:.2f} bits"
        f"{_alternatives_table(step)}{CLICK_NOTE}"
    )


def _alternatives_table(step: TokenStep) -> str:
    rows = []
    for alternative in step.alternatives:
        mark = "▶ " if alternative.token_id == step.token_id else ""
        weight = "font-weight: 600;" if mark else ""
        rows.append(
            f'<tr><td style="{weight}">{mark}{html.escape(shown(alternative.text))}</td>'
            f'<td align="right" style="{weight}">{_percent(alternative.probability)}</td>'
            f'<td><div style="background: #5b8def; width: {max(1, round(alternative.probability * 80))}px;">'
            "&nbsp;</div></td></tr>"
        )
    return f"<table cellspacing='2'>{''.join(rows)}</table>"


def characters_in(span: CharacterSpan) -> str:
    """'one character in 4 tokens' (a token may end inside the next character: then 'two characters')."""
    count = len(span.text)
    return f"{'one character' if count == 1 else f'{count} characters'} in {span.size} tokens"


def _token_label(step: TokenStep) -> str:
    """A token of a split character: its bytes, ‹F0 9F›."""
    data = token_bytes(step)
    return "?" if data is None else f"\u2039{hex_bytes(data)}\u203a" if data else "∅"


def step_label(steps: Sequence[TokenStep], index: int) -> str:
    """“cat”, or for part of a split character: ‹F0›, the 1st of 4 tokens of “🦙”."""
    span = span_at(steps, index)
    if not span.split:
        return f"“{shown(steps[index].text)}”"
    return f"{_token_label(steps[index])}, the {ordinal(index - span.first + 1)} of {span.size} tokens of “{span.text}”"


def span_title(steps: Sequence[TokenStep], index: int) -> str:
    """The menu's heading for a click on token `index`: its character, probability and entropy."""
    span = span_at(steps, index)
    step = steps[index]
    if not span.split:
        return f"“{shown(step.text)}” · {_percent(step.probability)} · entropy {step.entropy:.2f} bits"
    probability = span_probability([s.probability for s in steps], span)
    return (f"“{shown(span.text)}” · {_percent(probability)} over {span.size} tokens · its first token "
            f"{_token_label(steps[span.first])} · entropy {steps[span.first].entropy:.2f} bits")


def span_tooltip(steps: Sequence[TokenStep], index: int) -> str:
    """The hover text of the token at `index`; for a character split over several tokens: the character, the
    product of their probabilities, each token's id, bytes and probability, then the first token's alternatives."""
    span = span_at(steps, index)
    if not span.split:
        return alternatives_tooltip(steps[index])
    probability = span_probability([s.probability for s in steps], span)
    rows = "".join(
        f"<tr><td>{html.escape(_token_label(steps[i]))}</td><td>id {steps[i].token_id}</td>"
        f'<td align="right">{_percent(steps[i].probability)}</td></tr>'
        for i in span.indices
    )
    first = steps[span.first]
    return (
        f"<b>{html.escape(shown(span.text))}</b> · {_percent(probability)} · {characters_in(span)}"
        f" (the product of their probabilities)<table cellspacing='2'>{rows}</table>"
        f"At its first token, {html.escape(_token_label(first))}, entropy {first.entropy:.2f} bits:"
        f"{_alternatives_table(first)}{CLICK_NOTE}"
    )


class AlternativesMenu(QMenu):
    """Click on a token: continue the reply from any alternative (a new branch), or inspect the step."""

    def __init__(self, step: TokenStep, on_continue: Callable[[Alternative], None],
                 on_inspect: Callable[[], None], enabled: bool, parent: QWidget | None = None,
                 heading: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("alternativesMenu")
        heading = heading or f"“{shown(step.text)}” · {_percent(step.probability)} · entropy {step.entropy:.2f} bits"
        title = QAction(heading, self)
        title.setEnabled(False)
        self.addAction(title)
        self.addSeparator()
        for alternative in step.alternatives:
            chosen = alternative.token_id == step.token_id
            mark = "▶ " if chosen else ""
            label = f"{mark}Continue with “{shown(alternative.text)}”  {_percent(alternative.probability)}"
            action = QAction(label, self)
            action.setObjectName(f"alternative{alternative.token_id}")
            action.setEnabled(enabled and not chosen)
            action.triggered.connect(lambda _=False, a=alternative: on_continue(a))
            self.addAction(action)
        self.addSeparator()
        inspect = QAction("Show this step in the sampling view", self)
        inspect.setObjectName("inspectStepAction")
        inspect.triggered.connect(on_inspect)
        self.addAction(inspect)
