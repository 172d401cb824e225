"""Which part of the conversation each character (and so each token) of a rendered prompt belongs to.

The raw prompt view counts tokens per section (system prompt, few-shot examples, earlier history, the new
message) so people can see what fills the context. Templates only give us text, so the boundaries are
recovered by rendering the turns up to each change of section; templates whose earlier text changes as turns are added
fall back to finding each turn's content in order.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.core.prompting.chat_template import ChatTemplate, TemplateError
from desktop.core.prompting.probabilities import TokenPiece

SYSTEM = "system"
EXAMPLES = "examples"
HISTORY = "history"
NEW_MESSAGE = "new message"
TEMPLATE = "template"  # text outside every turn: a BOS token, or the generation prompt when nothing is new
SECTION_ORDER = (SYSTEM, EXAMPLES, HISTORY, NEW_MESSAGE, TEMPLATE)


@dataclass(frozen=True)
class Span:
    section: str
    start: int
    end: int


@dataclass(frozen=True)
class SectionedPrompt:
    """The rendered prompt (with generation prompt) and spans covering all of it, in order, without gaps."""

    text: str
    spans: tuple[Span, ...]
    prefix_stable: bool  # False when the boundaries came from the str.find fallback

    def section_at(self, offset: int) -> str:
        return section_at(self.spans, offset)


def turn_sections(turns: Sequence[Mapping[str, Any]], new_index: int, examples: int = 0) -> list[str]:
    """The section of every turn: a leading system turn, then `examples` example turns, then history, and
    everything from new_index on is the new message."""
    names = []
    first = 1 if turns and str(turns[0].get("role", "")) == "system" else 0
    for i in range(len(turns)):
        if i == 0 and first:
            names.append(SYSTEM)
        elif i >= new_index:
            names.append(NEW_MESSAGE)
        elif i < first + examples:
            names.append(EXAMPLES)
        else:
            names.append(HISTORY)
    return names


def prompt_sections(turns: Sequence[Mapping[str, Any]], template: ChatTemplate, new_index: int,
                    examples: int = 0) -> SectionedPrompt:
    """Spans of template.render(turns) per section; raises TemplateError like render does."""
    text = template.render(turns).text
    names = turn_sections(turns, new_index, examples)
    kept = [(dict(role=str(t.get("role", "")), content=str(t.get("content", "") or "")), name)
            for t, name in zip(turns, names, strict=True)]
    # render() drops blank system turns; so do we, so that prefixes line up with what it renders.
    kept = [(t, name) for t, name in kept if t["role"] != "system" or t["content"].strip()]
    system = kept[0][0]["content"] if kept and kept[0][1] == SYSTEM else None
    tail = NEW_MESSAGE if NEW_MESSAGE in names else TEMPLATE
    found = _prefix_spans(template, text, kept, tail)
    spans, stable = found if found is not None else (_find_spans(text, kept, tail), False)
    if system is not None:
        spans = _carve_system(spans, text, system)
    if template.bos_token and text.startswith(template.bos_token):  # e.g. Llama 3 writes BOS in its first turn
        spans = _override(spans, Span(TEMPLATE, 0, len(template.bos_token)))
    return SectionedPrompt(text, tuple(_tidy(spans, len(text))), stable)


def _prefix_spans(template: ChatTemplate, text: str, kept: list[tuple[dict[str, str], str]],
                  tail: str) -> tuple[list[Span], bool] | None:
    """Boundaries from renders of turns[:k] (where each parts from the full text), and whether every render was
    an exact prefix; None when the boundaries make no sense (a template that rewrites earlier turns)."""
    turns = [t for t, _ in kept]
    names = [name for _, name in kept]
    # A template that rejects the system role gets the system text merged into the first user turn; render
    # the prefixes the same way, or the first prefix (system alone) would become a user turn of its own.
    if turns and turns[0]["role"] == "system" and _merged(template, turns):
        has_user = any(t["role"] == "user" for t in turns[1:])
        turns = _merge_system(turns)
        names = names[1:] if has_user else [SYSTEM, *names[1:]]
    # Only where the section changes: a boundary between two history turns does not matter, and rendering
    # every prefix would cost O(turns²) for a long conversation (2,000 messages took 11 s).
    cuts = sorted({0, len(turns), *(k for k in range(1, len(turns)) if names[k] != names[k - 1])})
    bounds: list[int] = []
    exact = True
    for k in cuts:
        try:
            prefix = template.render(turns[:k], add_generation_prompt=False).text
        except TemplateError:
            if k == 0:  # a template that cannot render no messages at all: nothing precedes the first turn
                prefix = ""
            else:
                return None
        if text.startswith(prefix):
            bound = len(prefix)
        else:
            # E.g. Mistral closes a pending system-only [INST] that the next turn continues instead: the
            # texts part where turn k ends, which is good enough if turn k's content lies before that.
            exact = False
            bound = _common_length(prefix, text)
            content = turns[k - 1]["content"].strip() if k else ""
            if content and content not in text[bounds[-1]:bound]:
                return None
        if bounds and bound < bounds[-1]:
            return None
        bounds.append(bound)
    spans = [Span(TEMPLATE, 0, bounds[0])]
    spans += [Span(names[cuts[i]], bounds[i], bounds[i + 1]) for i in range(len(cuts) - 1)]
    spans.append(Span(tail, bounds[-1], len(text)))
    return spans, exact


def _common_length(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _merged(template: ChatTemplate, turns: list[dict[str, str]]) -> bool:
    try:
        return template.render(turns, add_generation_prompt=False).system_merged
    except TemplateError:
        return False


def _merge_system(turns: list[dict[str, str]]) -> list[dict[str, str]]:
    """What ChatTemplate.render does when the template refuses a system turn."""
    system, rest = turns[0]["content"], [dict(t) for t in turns[1:]]
    for t in rest:
        if t["role"] == "user":
            t["content"] = f"{system}\n\n{t['content']}"
            break
    else:
        rest.insert(0, {"role": "user", "content": system})
    return rest


def _find_spans(text: str, kept: list[tuple[dict[str, str], str]], tail: str) -> list[Span]:
    """Fallback: each turn runs from the end of the previous turn's content to the end of its own."""
    spans = []
    position = 0
    for turn, name in kept:
        content = turn["content"].strip()
        found = text.find(content, position) if content else -1
        if found < 0:
            continue  # its text falls into the next turn found
        end = found + len(content)
        spans.append(Span(name, position, end))
        position = end
    spans.append(Span(tail, position, len(text)))
    return spans


def _carve_system(spans: list[Span], text: str, system: str) -> list[Span]:
    """When the template merged the system text into a user turn, count that text as system where it lies."""
    content = system.strip()
    if not content:
        return spans
    for span in spans:
        if span.section == SYSTEM and content in text[span.start:span.end]:
            return spans
    start = min((s.start for s in spans if s.section == SYSTEM), default=0)
    found = text.find(content, start)
    if found < 0:
        return spans
    return _override(spans, Span(SYSTEM, found, found + len(content)))


def _override(spans: list[Span], new: Span) -> list[Span]:
    """Spans with new.start..new.end given to new.section."""
    result = []
    for span in spans:
        if span.end <= new.start or span.start >= new.end:
            result.append(span)
            continue
        result.append(Span(span.section, span.start, new.start))
        result.append(Span(new.section, max(new.start, span.start), min(new.end, span.end)))
        result.append(Span(span.section, new.end, span.end))
    return result


def _tidy(spans: list[Span], length: int) -> list[Span]:
    """Drop empty spans, join neighbours of one section, and make sure [0, length) is covered."""
    tidy: list[Span] = []
    position = 0
    for span in sorted((s for s in spans if s.end > s.start), key=lambda s: s.start):
        start, end = max(span.start, position), min(span.end, length)
        if end <= start:
            continue
        if start > position:
            tidy.append(Span(TEMPLATE, position, start))
        if tidy and tidy[-1].section == span.section and tidy[-1].end == start:
            tidy[-1] = Span(span.section, tidy[-1].start, end)
        else:
            tidy.append(Span(span.section, start, end))
        position = end
    if position < length:
        tidy.append(Span(TEMPLATE, position, length))
    return tidy


def section_at(spans: Sequence[Span], offset: int) -> str:
    """The section of the character at offset; before the text (a BOS the tokenizer added) is template."""
    if offset < 0 or not spans:
        return TEMPLATE
    index = bisect.bisect_right([s.start for s in spans], offset) - 1
    return spans[max(index, 0)].section


def token_offsets(pieces: Sequence[TokenPiece], text_length: int) -> list[int]:
    """Where each token starts in the prompt text. Tokens the tokenizer added in front (a BOS not written by the
    template) make the pieces longer than the text; they get negative offsets."""
    added = max(0, sum(len(p.text) for p in pieces) - text_length)
    offsets = []
    position = -added
    for piece in pieces:
        offsets.append(position)
        position += len(piece.text)
    return offsets


def token_sections(spans: Sequence[Span], pieces: Sequence[TokenPiece]) -> list[str]:
    """The section of every token, by where its text starts."""
    length = spans[-1].end if spans else 0
    return [section_at(spans, offset) for offset in token_offsets(pieces, length)]


def count_per_section(spans: Sequence[Span], pieces: Sequence[TokenPiece]) -> dict[str, int]:
    """Tokens per section, in SECTION_ORDER, sections without tokens left out; the counts sum to len(pieces)."""
    counts = dict.fromkeys(SECTION_ORDER, 0)
    for name in token_sections(spans, pieces):
        counts[name] = counts.get(name, 0) + 1
    return {name: count for name, count in counts.items() if count}
