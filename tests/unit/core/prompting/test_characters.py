"""Whole characters over byte-level tokens: spans, their text, probability and surprisal, and saved bytes."""

from __future__ import annotations

import math

import pytest

from desktop.core.instruments.perplexity import ScoredToken, TextScore
from desktop.core.prompting.characters import (
    CharacterSpan,
    added_text,
    character_spans,
    hex_bytes,
    incremental_texts,
    keeps_bytes,
    ordinal,
    span_of_token,
    span_probability,
    span_surprisal,
    token_spans,
    visible_text,
)
from desktop.core.prompting.probabilities import Alternative, TokenPiece, TokenStep, steps_from_json, steps_to_json

LLAMA = "🦙".encode()  # F0 9F A6 99: four byte tokens in Gemma's vocabulary


def test_whole_tokens_are_spans_of_their_own() -> None:
    tokens = ["我".encode(), "喜欢".encode(), b" cat", b""]
    assert character_spans(tokens) == [CharacterSpan(0, 0, "我"), CharacterSpan(1, 1, "喜欢"),
                                       CharacterSpan(2, 2, " cat"), CharacterSpan(3, 3, "")]


def test_a_character_split_over_byte_tokens_is_one_span() -> None:
    tokens = [b" ", *(bytes([b]) for b in LLAMA), b" llamas"]
    spans = character_spans(tokens)
    assert spans == [CharacterSpan(0, 0, " "), CharacterSpan(1, 4, "🦙"), CharacterSpan(5, 5, " llamas")]
    assert spans[1].split and spans[1].size == 4 and list(spans[1].indices) == [1, 2, 3, 4]
    assert span_of_token(spans, 6) == [0, 1, 1, 1, 1, 2]


def test_a_token_ending_inside_the_next_character_joins_it() -> None:
    wo, ai = "我".encode(), "爱".encode()
    spans = character_spans([wo[:2], wo[2:] + ai[:1], ai[1:]])
    assert spans == [CharacterSpan(0, 2, "我爱")]


def test_bytes_that_never_make_a_character_are_shown_as_hex_never_as_replacement() -> None:
    cut = character_spans([b"ok", LLAMA[:1], LLAMA[1:2]])  # a reply stopped inside the emoji
    assert cut == [CharacterSpan(0, 0, "ok"), CharacterSpan(1, 2, "\u2039F0 9F\u203a")]
    broken = character_spans([b"\xe6", b"a"])  # not UTF-8: the lead byte is followed by an ASCII letter
    assert broken == [CharacterSpan(0, 1, "\u2039E6\u203aa")]
    assert visible_text(b"\xe6\x88") == "\u2039E6 88\u203a" and visible_text("東京".encode()) == "東京"
    assert all("\ufffd" not in span.text for span in cut + broken)


def test_unknown_bytes_join_the_character_the_next_token_completes() -> None:
    """Replies saved before Parley kept bytes: a "" text is the first part of the next token's character."""
    steps = [TokenStep(1, "", 0.5, 0.0, ()), TokenStep(2, "我", 0.5, 0.0, ()), TokenStep(3, "a", 1.0, 0.0, ())]
    assert token_spans(steps) == [CharacterSpan(0, 1, "我"), CharacterSpan(2, 2, "a")]


def test_probability_is_the_product_and_surprisal_the_sum() -> None:
    span = CharacterSpan(1, 3, "🦙")
    assert span_probability([0.1, 0.5, 0.8, 0.25, 0.9], span) == pytest.approx(0.5 * 0.8 * 0.25)
    assert span_surprisal([math.nan, 1.0, 0.5, 2.0], span) == pytest.approx(3.5)
    assert math.isnan(span_surprisal([math.nan, 1.0], CharacterSpan(0, 1, "x")))
    bits = [1.0, 0.32, 2.0]
    assert 2.0 ** -span_surprisal(bits, CharacterSpan(0, 2, "x")) == pytest.approx(
        span_probability([2.0 ** -b for b in bits], CharacterSpan(0, 2, "x")))


def test_texts_as_a_stream_and_after_earlier_tokens() -> None:
    raws = [b" ", *(bytes([b]) for b in LLAMA)]
    assert incremental_texts(raws) == [" ", "", "", "", "🦙"]
    assert added_text([b"a", LLAMA[:3]], LLAMA[3:]) == "🦙"
    assert added_text([b"a", None], LLAMA[:1]) == ""
    assert hex_bytes("我".encode()) == "E6 88 91"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]


def test_steps_keep_their_bytes_only_where_the_text_does_not_show_them() -> None:
    alternatives = (Alternative(478, "\u2039F0\u203a", 0.7, 3.0, b"\xf0"), Alternative(9, " #", 0.1, 1.0, b" #"))
    steps = (TokenStep(478, "", 0.72, 1.5, alternatives, b"\xf0"), TokenStep(5, "我", 0.5, 0.0, (), "我".encode()))
    saved = steps_to_json(steps)
    assert saved[0][5] == "f0" and len(saved[1]) == 5  # a whole character's bytes are its text's
    assert saved[0][4] == [[478, "\u2039F0\u203a", 0.7, 3.0, "f0"], [9, " #", 0.1, 1.0]]
    loaded = steps_from_json(saved)
    assert loaded[0].raw == b"\xf0" and loaded[0].alternatives[0].raw == b"\xf0"
    assert loaded[1].raw is None and token_spans(loaded) == [CharacterSpan(0, 1, "\u2039F0\u203a我")]
    assert not keeps_bytes("我".encode(), "我") and keeps_bytes(b"\xe6", "") and not keeps_bytes(None, "")


def test_replies_saved_before_bytes_still_load() -> None:
    old = [[237169, "我", 0.2, 1.0, [[237169, "我", 0.2, 1.5], [465, "\ufffd", 0.01, -2.0]]], [5, "", 0.1, 0.0, []]]
    loaded = steps_from_json(old)
    assert [s.text for s in loaded] == ["我", ""] and all(s.raw is None for s in loaded)
    assert loaded[0].alternatives[1] == Alternative(465, "\ufffd", 0.01, -2.0)
    assert steps_from_json([[1, "a", 0.5, 0.0, [], "not hex"]]) == ()  # malformed: no steps, no error


def test_pieces_and_scored_tokens_group_the_same_way() -> None:
    pieces = [TokenPiece(2, "<bos>", True, b"<bos>"), TokenPiece(478, "", False, b"\xf0"),
              TokenPiece(397, "", False, b"\x9f"), TokenPiece(404, "", False, b"\xa6"),
              TokenPiece(391, "🦙", False, b"\x99")]
    assert token_spans(pieces) == [CharacterSpan(0, 0, "<bos>"), CharacterSpan(1, 4, "🦙")]
    scored = tuple(ScoredToken(p.token_id, "" if p.special else p.text, math.nan if p.special else 1.0,
                               b"" if p.special else p.raw) for p in pieces)
    assert token_spans(scored) == [CharacterSpan(0, 0, ""), CharacterSpan(1, 4, "🦙")]
    per_token = TextScore(scored, 1, 2048).to_json()["per_token"]
    assert per_token[1] == {"id": 478, "text": "", "surprisal_bits": 1.0, "bytes": "f0"}  # type: ignore[index]
    assert per_token[4]["bytes"] == "99" and "bytes" not in per_token[0]  # type: ignore[index]
