"""The next-token maths: softmax at a temperature, the three cut-offs, the sampler's order, and saved steps."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from desktop.core.prompting.probabilities import (
    Alternative,
    NextTokenDistribution,
    TokenStep,
    entropy_bits,
    min_p_mask,
    sampling_stages,
    softmax,
    step_offsets,
    steps_from_json,
    steps_to_json,
    top_alternatives,
    top_k_mask,
    top_p_mask,
)
from desktop.core.prompting.sampling import SamplingParams


def kept(mask: np.ndarray) -> list[int]:
    return [int(i) for i in np.flatnonzero(mask)]


# --- softmax -----------------------------------------------------------------------------------------

def test_softmax_by_hand_at_temperature_one_and_a_half() -> None:
    e = math.e
    z = e**2 + e + 1
    assert softmax([2, 1, 0]) == pytest.approx([e**2 / z, e / z, 1 / z])
    # T = 0.5 doubles the logits: [4, 2, 0]
    z_half = e**4 + e**2 + 1
    assert softmax([2, 1, 0], 0.5) == pytest.approx([e**4 / z_half, e**2 / z_half, 1 / z_half])


def test_softmax_temperature_zero_is_greedy_and_large_flattens() -> None:
    assert list(softmax([1.0, 3.0, 2.0], 0.0)) == [0.0, 1.0, 0.0]
    flat = softmax([2, 1, 0], 1000.0)
    assert flat == pytest.approx([1 / 3] * 3, abs=1e-3)


def test_softmax_is_stable_for_huge_logits_and_handles_minus_infinity() -> None:
    assert softmax([1000.0, 0.0]) == pytest.approx([1.0, 0.0])
    assert softmax([0.0, -np.inf, 0.0]) == pytest.approx([0.5, 0.0, 0.5])
    assert softmax([]).size == 0


def test_entropy_bits() -> None:
    assert entropy_bits(np.array([1.0, 0.0])) == 0.0
    assert entropy_bits(np.full(8, 1 / 8)) == pytest.approx(3.0)
    assert entropy_bits(np.array([0.5, 0.25, 0.25])) == pytest.approx(1.5)


# --- cut-offs ----------------------------------------------------------------------------------------

def test_top_k_keeps_the_k_likeliest_with_ties_by_lowest_id() -> None:
    probs = np.array([0.1, 0.4, 0.2, 0.3])
    assert kept(top_k_mask(probs, 2)) == [1, 3]
    assert kept(top_k_mask(np.full(4, 0.25), 2)) == [0, 1]
    assert kept(top_k_mask(np.array([0.1, 0.3, 0.3, 0.3]), 2)) == [1, 2]
    assert kept(top_k_mask(probs, 0)) == [0, 1, 2, 3]  # 0 = off
    assert kept(top_k_mask(probs, 10)) == [0, 1, 2, 3]


def test_top_k_matches_a_full_stable_sort() -> None:
    rng = np.random.default_rng(1)
    for _ in range(50):
        probs = np.round(rng.random(200), 2)  # many ties
        k = int(rng.integers(1, 200))
        reference = np.zeros(200, dtype=bool)
        reference[np.argsort(-probs, kind="stable")[:k]] = True
        assert (top_k_mask(probs, k) == reference).all()


def test_top_p_smallest_set_reaching_p_exact_boundary() -> None:
    probs = np.array([0.5, 0.3, 0.2])
    assert kept(top_p_mask(probs, 0.8)) == [0, 1]  # 0.5 + 0.3 reaches 0.8 exactly
    assert kept(top_p_mask(probs, 0.81)) == [0, 1, 2]
    assert kept(top_p_mask(probs, 0.5)) == [0]
    assert kept(top_p_mask(probs, 0.0)) == [0]  # always at least one
    assert kept(top_p_mask(probs, 1.0)) == [0, 1, 2]
    assert kept(top_p_mask(np.array([0.2, 0.5, 0.3]), 0.8)) == [1, 2]  # by probability, not position


def test_top_p_renormalises_over_what_is_left_and_ignores_cut_tokens() -> None:
    # after top-k cut token 2, the rest sum to 0.5: renormalised [0.5, 0.3, 0, 0.2]
    probs = np.array([0.25, 0.15, 0.0, 0.1])
    assert kept(top_p_mask(probs, 0.8)) == [0, 1]
    assert kept(top_p_mask(probs, 0.99)) == [0, 1, 3]
    assert kept(top_p_mask(probs, 0.5, min_keep=3)) == [0, 1, 3]


def test_top_p_matches_a_full_stable_sort() -> None:
    rng = np.random.default_rng(2)
    for _ in range(50):
        probs = np.round(rng.random(100), 2) * (rng.random(100) > 0.3)
        probs /= probs.sum()
        p = float(rng.random())
        order = np.argsort(-probs, kind="stable")
        count = int(np.searchsorted(np.cumsum(probs[order]), p, side="left")) + 1
        assert set(kept(top_p_mask(probs, p))) == {int(i) for i in order[:count]}


def test_min_p_is_relative_to_the_most_likely_token() -> None:
    probs = np.array([0.5, 0.3, 0.04, 0.16])
    assert kept(min_p_mask(probs, 0.1)) == [0, 1, 3]  # threshold 0.05
    assert kept(min_p_mask(probs * 0.5, 0.1)) == [0, 1, 3]  # same ratios, same tokens
    assert kept(min_p_mask(probs, 0.6)) == [0, 1]  # threshold 0.3 keeps 0.3 itself
    assert kept(min_p_mask(probs, 1.0)) == [0]
    assert kept(min_p_mask(probs, 0.0)) == [0, 1, 2, 3]


# --- the sampler chain -------------------------------------------------------------------------------

def test_sampling_stages_cut_offs_on_raw_then_temperature_over_kept() -> None:
    logits = np.log(np.array([0.5, 0.3, 0.15, 0.05]))
    stages = sampling_stages(logits, SamplingParams(temperature=0.5, top_k=3, top_p=0.8, min_p=0.0))
    # top-k keeps 0,1,2; renormalised [0.526, 0.316, 0.158]: 0.842 >= 0.8 after two tokens
    assert (stages.after_top_k, stages.after_top_p, stages.after_min_p) == (3, 2, 2)
    assert kept(stages.kept) == [0, 1]
    assert stages.raw == pytest.approx([0.5, 0.3, 0.15, 0.05])
    assert stages.tempered == pytest.approx(np.array([0.25, 0.09, 0.0225, 0.0025]) / 0.365)
    assert stages.final == pytest.approx([0.25 / 0.34, 0.09 / 0.34, 0.0, 0.0])
    assert list(stages.token_ids) == [0, 1, 2, 3]


def test_high_temperature_does_not_widen_the_cut_offs() -> None:
    """Top-p looks at the model's own odds: at T=2 the tempered list would need three tokens for 0.75."""
    logits = np.log(np.array([0.5, 0.3, 0.15, 0.05]))
    stages = sampling_stages(logits, SamplingParams(temperature=2.0, top_k=0, top_p=0.75, min_p=0.0))
    assert kept(top_p_mask(stages.tempered, 0.75)) == [0, 1, 2]
    assert kept(stages.kept) == [0, 1]
    assert stages.after_top_k == 4
    # temperature flattens the kept pair: 0.5:0.3 becomes sqrt(0.5):sqrt(0.3)
    ratio = math.sqrt(0.5 / 0.3)
    assert stages.final[0] / stages.final[1] == pytest.approx(ratio)


def test_min_p_in_the_chain_and_final_sums_to_one() -> None:
    rng = np.random.default_rng(3)
    logits = rng.standard_normal(5000).astype(np.float32) * 3
    stages = sampling_stages(logits, SamplingParams(temperature=0.7, top_k=40, top_p=0.95, min_p=0.05))
    assert stages.after_top_k == 40
    assert stages.after_top_k >= stages.after_top_p >= stages.after_min_p == stages.kept_count >= 1
    assert stages.final.sum() == pytest.approx(1.0)
    assert (stages.final[~stages.kept] == 0).all()
    assert (stages.final[stages.kept] > 0).all()
    assert stages.raw[stages.kept].min() >= 0.05 * stages.raw.max()
    assert stages.tempered.sum() == pytest.approx(1.0)


def test_temperature_zero_is_greedy_and_skips_the_cut_offs() -> None:
    stages = sampling_stages([0.5, 2.0, 1.0], SamplingParams(temperature=0.0, top_k=1, top_p=0.1, min_p=0.9))
    assert kept(stages.kept) == [1]
    assert list(stages.final) == [0.0, 1.0, 0.0]
    assert (stages.after_top_k, stages.after_top_p, stages.after_min_p) == (1, 1, 1)


def test_no_cut_offs_keeps_everything() -> None:
    stages = sampling_stages([2.0, 1.0, 0.0], SamplingParams(temperature=1.0, top_k=0, top_p=1.0, min_p=0.0))
    assert stages.kept_count == 3
    assert stages.final == pytest.approx(softmax([2.0, 1.0, 0.0]))


# --- top alternatives --------------------------------------------------------------------------------

def test_top_alternatives_sorted_with_softmax_probabilities_and_entropy() -> None:
    rng = np.random.default_rng(4)
    logits = (rng.standard_normal(1000) * 2).astype(np.float32)
    ids, probs, entropy = top_alternatives(logits, 10)
    assert list(ids) == [int(i) for i in np.argsort(-logits, kind="stable")[:10]]
    reference = softmax(logits)
    assert probs == pytest.approx(reference[ids], rel=1e-5)
    assert entropy == pytest.approx(-(reference * np.log2(reference)).sum(), rel=1e-5)


def test_top_alternatives_uniform_and_peaked() -> None:
    _, probs, entropy = top_alternatives(np.zeros(1024, dtype=np.float32), 5)
    assert entropy == pytest.approx(10.0, rel=1e-6)
    assert probs == pytest.approx([1 / 1024] * 5)
    peaked = np.zeros(50, dtype=np.float32)
    peaked[7] = 100.0  # every other token is far below the e^-20 window
    ids, probs, entropy = top_alternatives(peaked, 5)
    assert len(ids) == 5 and ids[0] == 7
    assert probs[0] == pytest.approx(1.0)
    assert entropy == pytest.approx(0.0, abs=1e-6)


def test_top_alternatives_more_than_the_vocabulary_and_banned_tokens() -> None:
    ids, probs, entropy = top_alternatives(np.array([1.0, 2.0, -np.inf], dtype=np.float32), 10)
    assert list(ids) == [1, 0, 2]
    assert probs == pytest.approx([*softmax([2.0, 1.0]), 0.0])
    assert entropy == pytest.approx(entropy_bits(softmax([2.0, 1.0])))  # the -inf token adds nothing, not nan


# --- saved steps -------------------------------------------------------------------------------------

def test_token_step_json_round_trip() -> None:
    steps = (
        TokenStep(5, " cat", 0.25, 1.5, (Alternative(5, " cat", 0.25, 3.0), Alternative(9, "\n", 0.125, 2.5))),
        TokenStep(7, "", 0.9, 0.1, ()),
    )
    data = json.loads(json.dumps(steps_to_json(steps)))
    assert steps_from_json(data) == steps
    assert step_offsets(steps) == [(0, 4), (4, 4)]


@pytest.mark.parametrize("garbage", [
    None, "text", 3, {"a": 1}, [1], [[1, 2]], [None], [[1, "a", 0.5, 0.1, None]],
    [[1, "a", 0.5, 0.1, [[1]]]], [["x", "a", 0.5, 0.1, []]], [[1, "a", 0.5, 0.1, [{"x": 1}]]],
    [[float("inf"), "a", 0.5, 0.1, []]], [{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}],
])
def test_steps_from_garbage_give_no_steps(garbage: object) -> None:
    assert steps_from_json(garbage) == ()


def test_distribution_text_falls_back_to_the_id() -> None:
    distribution = NextTokenDistribution(np.zeros(3, dtype=np.float32), {0: "a"})
    assert distribution.text(0) == "a"
    assert distribution.text(2) == "#2"
    assert distribution.chosen == -1
