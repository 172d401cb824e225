"""Where prompt evaluation splits a prompt into batches, as a function of the tokens before each split.

llama.cpp rounds differently for different batch shapes, so a logit depends on how the positions before it were
batched. Parley evaluates every prompt in the same chunks for the same tokens: a chunk ends after a line break or
a control token (end of a turn, of an example, of a paragraph) once it holds MIN_CHUNK tokens, and after
MAX_CHUNK tokens at the latest. Whether a chunk ends at position p depends only on the tokens before p, so two
prompts that share a prefix share its chunks, and the KV cache can be reused up to any chunk end they share.
Ends at natural boundaries keep that reuse close to where prompts differ: the end of the shared few-shot examples,
the end of the previous chat turn.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

# Smaller chunks cost prompt speed (2 CPU cores, Gemma 3 270M: 16-64 ran at 220-229 tokens/s, 32-128 at
# 251-260, one batch of 512 at 292-316) but leave more of a shared prefix reusable: `make bench` measures both.
MIN_CHUNK = 32
MAX_CHUNK = 128  # text without line breaks still gets a chunk end at least this often


def chunk_ends(tokens: Sequence[int], is_boundary: Callable[[int], bool],
               min_chunk: int = MIN_CHUNK, max_chunk: int = MAX_CHUNK) -> list[int]:
    """Every position p (1 <= p <= len(tokens)) where a chunk ends; the last chunk of a prompt that does not end
    at one of these is a remainder, evaluated again whenever the prompt is."""
    ends = []
    last = 0
    for position in range(1, len(tokens) + 1):
        size = position - last
        if size >= max_chunk or (size >= min_chunk and is_boundary(tokens[position - 1])):
            ends.append(position)
            last = position
    return ends


def reuse_point(ends: Sequence[int], common: int, count: int) -> int:
    """Where evaluation of a `count`-token prompt starts when its first `common` tokens are cached: the last chunk
    end within the shared part, but never the prompt's end (the last chunk is decoded again for fresh logits)."""
    return max((end for end in ends if end <= common and end < count), default=0)


def chunks(ends: Sequence[int], start: int, count: int) -> list[tuple[int, int]]:
    """The [begin, end) batches that evaluate positions start..count-1."""
    bounds = [start, *(end for end in ends if start < end < count), count]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]
