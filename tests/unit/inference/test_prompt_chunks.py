"""Prompt chunk ends: a function of the tokens before each end, so prompts sharing a prefix share its chunks."""

from __future__ import annotations

import random

from desktop.inference.prompt_chunks import chunk_ends, chunks, reuse_point

NEWLINE = 0  # the one boundary token in these tests


def is_boundary(token: int) -> bool:
    return token == NEWLINE


def test_ends_after_a_boundary_once_big_enough_and_at_the_maximum() -> None:
    tokens = [1] * 5 + [NEWLINE] + [1] * 10 + [NEWLINE] + [1] * 30
    # The first newline comes too early (6 < 8); the second ends a chunk of 17; then 20 at most without a boundary,
    # and the last 10 tokens are a remainder.
    assert chunk_ends(tokens, is_boundary, min_chunk=8, max_chunk=20) == [17, 37]
    assert chunk_ends([], is_boundary, 8, 12) == []


def test_a_shared_prefix_has_the_same_ends_whatever_follows() -> None:
    rng = random.Random(3)
    for _ in range(200):
        prefix = [rng.choice([NEWLINE, 1, 2, 3]) for _ in range(rng.randrange(0, 300))]
        a = prefix + [rng.choice([NEWLINE, 1, 2]) for _ in range(rng.randrange(0, 100))]
        b = prefix + [rng.choice([NEWLINE, 4, 5]) for _ in range(rng.randrange(0, 100))]
        ends_a, ends_b = chunk_ends(a, is_boundary, 16, 64), chunk_ends(b, is_boundary, 16, 64)
        assert [e for e in ends_a if e <= len(prefix)] == [e for e in ends_b if e <= len(prefix)]
        assert all(16 <= y - x <= 64 for x, y in zip([0, *ends_a], ends_a, strict=False))


def test_reuse_stops_at_a_shared_end_and_never_at_the_prompt_end() -> None:
    ends = [32, 64, 100]
    assert reuse_point(ends, common=80, count=120) == 64
    assert reuse_point(ends, common=100, count=100) == 64  # fully cached: the last chunk is decoded again
    assert reuse_point(ends, common=10, count=120) == 0
    assert reuse_point([], common=50, count=60) == 0


def test_chunks_cover_the_rest_of_the_prompt() -> None:
    assert chunks([32, 64, 100], 64, 120) == [(64, 100), (100, 120)]
    assert chunks([32, 64, 100], 0, 100) == [(0, 32), (32, 64), (64, 100)]
    assert chunks([], 0, 5) == [(0, 5)]
