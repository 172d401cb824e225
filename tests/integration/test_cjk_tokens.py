"""Chinese, Japanese and emoji on the built-in model: every instrument shows whole characters, never '\ufffd'.

Gemma's vocabulary has most CJK characters as tokens, but rare ones (𠀀, 龘, 𩸽) and many emoji (🦙) are
split into byte tokens. Each view shows such a character once, spanning its tokens, with each token's bytes
on hover and the product of their probabilities as the character's.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from desktop.core.prompting.characters import CharacterSpan, hex_bytes, span_probability, token_spans
from desktop.core.prompting.probabilities import TokenStep, softmax
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest
from desktop.inference.llama.backend import LlamaBackend
from desktop.ui.chat.probabilities import _alternative_text
from desktop.ui.chat.raw_prompt_tokens import TokenTextView
from desktop.ui.chat.token_view import span_tooltip, step_label, token_html
from desktop.ui.perplexity.heatmap import HeatMap
from desktop.ui.sampling.view import SamplingView

pytestmark = pytest.mark.integration

REPLACEMENT = "\ufffd"
CHINESE = "我喜欢学习机器学习。罕见字：𠀀𪚥 龘 饕餮"
JAPANESE = "東京は日本の首都です。𩸽を食べた。"
EMOJI = "I ❤️ 🦙 llamas 👍🏽"
TEXTS = (CHINESE, JAPANESE, EMOJI)
EMOJI_PROMPT = "Emoji: 🦙🦙🦙 🦙"  # greedy, Gemma 3 270M goes on with llamas: four byte tokens each


def split_spans(spans: list[CharacterSpan]) -> list[CharacterSpan]:
    return [span for span in spans if span.split]


def generate(backend: LlamaBackend, prompt: str, max_tokens: int = 12,
             forced: tuple[int, ...] = ()) -> tuple[str, list[TokenStep]]:
    pieces: list[str] = []
    steps: list[TokenStep] = []
    request = GenerationRequest(prompt, SamplingParams(temperature=0, max_tokens=max_tokens), alternatives=5,
                                forced=forced)
    backend.generate(request, pieces.append, lambda: False, steps.append)
    return "".join(pieces), steps


@pytest.mark.parametrize("text", TEXTS)
def test_raw_prompt_tokens_show_whole_characters(qtbot: QtBot, backend: LlamaBackend, text: str) -> None:
    pieces = backend.token_pieces(text)
    assert all(piece.raw is not None for piece in pieces)
    view = TokenTextView()
    qtbot.addWidget(view)
    view.show_tokens(pieces)
    assert view.toPlainText() == "<bos>" + text and REPLACEMENT not in view.toPlainText()
    split = split_spans(view.spans)
    assert split, "the text has characters Gemma splits into bytes"
    for span in split:
        hover = view.hover_text(span.first)
        assert hover == view.hover_text(span.last) and REPLACEMENT not in hover
        assert f"tokens {span.first + 1}–{span.last + 1}" in hover and repr(span.text) in hover
        for i in span.indices:
            assert f"id {pieces[i].token_id} {hex_bytes(pieces[i].raw or b'')}" in hover
        assert view.token_format(span.first).underlineStyle() != view.token_format(0).underlineStyle()


@pytest.mark.parametrize("text", TEXTS)
def test_the_heat_map_shows_whole_characters_with_their_probability(qtbot: QtBot, backend: LlamaBackend,
                                                                  text: str) -> None:
    score = backend.score_text(text, lambda _done, _total: None, lambda: False)
    assert "".join(t.text for t in score.tokens) == text
    heatmap = HeatMap()
    qtbot.addWidget(heatmap)
    heatmap.resize(600, 300)
    heatmap.show()
    heatmap.show_tokens(score.tokens)
    assert heatmap.toPlainText() == text
    split = split_spans(heatmap.spans)
    assert split
    for span in split:
        assert heatmap.token_at(heatmap.token_rect_centre(span.last)) == span.first
        tip = heatmap.tooltip_for(span.last)
        assert REPLACEMENT not in tip and span.text in tip
        for i in span.indices:
            assert f"id {score.tokens[i].token_id} · bytes {hex_bytes(score.tokens[i].raw or b'')}" in tip
        bits = math.fsum(score.tokens[i].surprisal for i in span.indices)
        product = span_probability([t.probability for t in score.tokens], span)
        assert 2.0 ** -bits == pytest.approx(product, rel=1e-9)
        assert f"{bits:.2f} bits of surprisal" in tip


def test_a_reply_shows_split_characters_once_with_the_product_of_probabilities(backend: LlamaBackend) -> None:
    text, steps = generate(backend, EMOJI_PROMPT)
    assert "🦙" in text and REPLACEMENT not in text
    spans = token_spans(steps)
    llamas = [span for span in spans if span.text == "🦙"]
    assert llamas and all(span.size == 4 for span in llamas)
    document = QTextDocument()
    document.setHtml(token_html(text, steps))
    assert document.toPlainText() == text
    html = token_html(text, steps)
    assert html.count("text-underline-style: dashed") == len(llamas)  # only split characters are underlined
    for span in llamas:
        assert f"tok:{span.first}\"" in html and all(f"tok:{i}\"" not in html for i in span.indices[1:])
        tip = span_tooltip(steps, span.last)
        assert tip == span_tooltip(steps, span.first) and REPLACEMENT not in tip
        assert "one character in 4 tokens" in tip
        for i in span.indices:
            assert f"\u2039{hex_bytes(steps[i].raw or b'')}\u203a" in tip and f"id {steps[i].token_id}" in tip
        product = math.prod(steps[i].probability for i in span.indices)
        assert span_probability([s.probability for s in steps], span) == pytest.approx(product)
        assert "of 4 tokens of “🦙”" in step_label(steps, span.first)
    for step in steps:
        assert all(REPLACEMENT not in a.text for a in step.alternatives)
        assert all(a.raw is not None for a in step.alternatives)


def test_the_sampling_view_shows_bytes_not_replacement_characters(qtbot: QtBot, backend: LlamaBackend) -> None:
    _text, steps = generate(backend, EMOJI_PROMPT, max_tokens=4)
    distribution = backend.next_token_distribution(EMOJI_PROMPT, [s.token_id for s in steps[:1]],
                                                   chosen=steps[1].token_id)
    for token_id, text in distribution.texts.items():  # only the vocabulary's own "�" tokens show one
        assert REPLACEMENT not in text or REPLACEMENT in backend._token_bytes(backend._model(), token_id).decode()
    assert distribution.texts[steps[1].token_id] == "\u2039" + hex_bytes(steps[1].raw or b"") + "\u203a"
    assert float(softmax(distribution.logits)[steps[1].token_id]) == pytest.approx(steps[1].probability, abs=1e-4)
    view = SamplingView()
    qtbot.addWidget(view)
    view.show()
    view.set_distribution(distribution)
    rows = view.rows()
    assert [row["text"] for row in rows if row["chosen"]] == ["\u20399F\u203a"]  # after F0 came 9F: its byte
    assert all(REPLACEMENT not in str(row["text"]) or REPLACEMENT in distribution.texts[int(str(row["token_id"]))]
               for row in rows)
    assert np.isfinite(distribution.logits).any()


def test_continuing_from_part_of_a_character_completes_it(backend: LlamaBackend) -> None:
    """Branching from an alternative that is a character's first byte: the reply goes on with the whole character."""
    _text, steps = generate(backend, EMOJI_PROMPT, max_tokens=4)
    assert steps[0].raw == b"\xf0" and steps[0].text == ""
    first_byte = next(a for a in steps[0].alternatives if a.token_id == steps[0].token_id)
    assert first_byte.text == "\u2039F0\u203a" and _alternative_text((), first_byte) == ""  # shown, not reply text
    last_byte = next(a for a in steps[3].alternatives if a.token_id == steps[3].token_id)
    assert _alternative_text(tuple(steps[:3]), last_byte) == "🦙"
    text, more = generate(backend, EMOJI_PROMPT, max_tokens=6, forced=(steps[0].token_id,))
    assert REPLACEMENT not in text and text.startswith("🦙")
    assert [s.raw for s in more[:3]] == [b"\x9f", b"\xa6", b"\x99"]


def test_chinese_and_japanese_replies_have_no_replacement_characters(backend: LlamaBackend) -> None:
    for prompt in ("中文：我喜欢", "日本語の文：東京は"):
        text, steps = generate(backend, prompt)
        assert text and REPLACEMENT not in text
        assert "".join(span.text for span in token_spans(steps)) == "".join(s.text for s in steps)
        document = QTextDocument()
        document.setHtml(token_html(text, steps))
        assert document.toPlainText() == text
        for index in range(len(steps)):
            assert REPLACEMENT not in span_tooltip(steps, index)
