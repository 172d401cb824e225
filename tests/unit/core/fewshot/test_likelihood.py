"""Unit tests for desktop.core.fewshot.likelihood: softmax over labels, contextual calibration, the decision."""

from __future__ import annotations

import math

import pytest

from desktop.core.fewshot.likelihood import (
    CONTENT_FREE_INPUTS,
    ContinuationScore,
    ContinuationScores,
    LabelDecision,
    calibrate,
    decide,
    mean_bias,
    normalise,
)

# --- normalise -------------------------------------------------------------------------


def test_normalise_shares_the_probability_of_the_label_set() -> None:
    # .2 and .6 of the model's mass: .2 / .8 and .6 / .8 of the label set's
    assert normalise([math.log(0.2), math.log(0.6)]) == pytest.approx([0.25, 0.75], abs=1e-12)


def test_normalise_is_shift_invariant_and_sums_to_one() -> None:
    values = [-1.5, -0.25, -7.0]
    shifted = [v - 1000.0 for v in values]  # far below exp's range: only the differences matter
    assert normalise(shifted) == pytest.approx(normalise(values), abs=1e-12)
    assert math.fsum(normalise(values)) == pytest.approx(1.0, abs=1e-15)


def test_normalise_equal_logprobs_are_uniform() -> None:
    assert normalise([-3.0, -3.0, -3.0, -3.0]) == [0.25, 0.25, 0.25, 0.25]


def test_normalise_all_minus_infinity_is_uniform() -> None:
    assert normalise([-math.inf, -math.inf]) == [0.5, 0.5]
    assert normalise([-math.inf] * 3) == pytest.approx([1 / 3] * 3)


def test_normalise_an_impossible_label_gets_zero() -> None:
    assert normalise([-math.inf, math.log(0.5)]) == [0.0, 1.0]


def test_normalise_single_label_is_certain() -> None:
    assert normalise([-42.0]) == [1.0]


def test_normalise_rejects_an_empty_label_set() -> None:
    with pytest.raises(ValueError, match="no labels"):
        normalise([])


# --- mean_bias ---------------------------------------------------------------------------


def test_mean_bias_averages_each_label() -> None:
    bias = mean_bias([[0.5, 0.5], [0.7, 0.3], [0.9, 0.1]])
    assert bias == pytest.approx([0.7, 0.3], abs=1e-15)


def test_mean_bias_of_one_distribution_is_itself() -> None:
    assert mean_bias([[0.2, 0.3, 0.5]]) == [0.2, 0.3, 0.5]


def test_mean_bias_rejects_no_distributions() -> None:
    with pytest.raises(ValueError, match="at least one content-free input"):
        mean_bias([])


@pytest.mark.parametrize("ragged", [[[0.5, 0.5], [1.0]], [[0.5, 0.5], [0.2, 0.3, 0.5]], [[1.0], []]])
def test_mean_bias_rejects_ragged_distributions(ragged: list[list[float]]) -> None:
    with pytest.raises(ValueError, match="same labels"):
        mean_bias(ragged)


# --- calibrate ----------------------------------------------------------------------------


def test_calibrate_probabilities_equal_to_the_bias_become_uniform() -> None:
    bias = [0.7, 0.2, 0.1]
    assert calibrate(bias, bias) == pytest.approx([1 / 3, 1 / 3, 1 / 3], abs=1e-15)


def test_calibrate_divides_out_the_bias_and_renormalises() -> None:
    # .6/.8 = .75 and .4/.2 = 2: shares 3/11 and 8/11
    assert calibrate([0.6, 0.4], [0.8, 0.2]) == pytest.approx([3 / 11, 8 / 11], abs=1e-15)


def test_calibrate_with_a_uniform_bias_changes_nothing() -> None:
    assert calibrate([0.1, 0.6, 0.3], [1 / 3, 1 / 3, 1 / 3]) == pytest.approx([0.1, 0.6, 0.3], abs=1e-15)


def test_calibrate_zero_bias_entry_does_not_divide_by_zero() -> None:
    out = calibrate([0.5, 0.5], [0.0, 1.0])
    assert all(math.isfinite(p) for p in out)
    assert math.fsum(out) == pytest.approx(1.0)
    assert out[0] == pytest.approx(1.0, abs=1e-9)  # a label the blank prompts never chose is strongly favoured
    assert calibrate([0.0, 1.0], [0.0, 1.0]) == [0.0, 1.0]  # 0 / floor is still 0


def test_calibrate_all_zero_probabilities_fall_back_to_uniform() -> None:
    assert calibrate([0.0, 0.0], [0.5, 0.5]) == [0.5, 0.5]


def test_calibrate_rejects_a_different_number_of_labels() -> None:
    with pytest.raises(ValueError, match="different number of labels"):
        calibrate([0.5, 0.5], [1.0])


# --- decide --------------------------------------------------------------------------------


def test_decide_picks_the_most_likely_label() -> None:
    d = decide(["positive", "negative", "neutral"], [math.log(0.1), math.log(0.6), math.log(0.3)])
    assert isinstance(d, LabelDecision)
    assert d.predicted == 1 and d.label == "negative"
    assert d.labels == ("positive", "negative", "neutral")
    assert d.probabilities == pytest.approx((0.1, 0.6, 0.3), abs=1e-12)
    assert d.margin == pytest.approx(0.6 - 0.3, abs=1e-12)


def test_decide_keeps_the_raw_logprobs() -> None:
    d = decide(["a", "b"], [-2.5, -0.5])
    assert d.logprobs == (-2.5, -0.5)


def test_decide_margin_is_top_minus_runner_up() -> None:
    d = decide(["a", "b"], [math.log(0.2), math.log(0.6)])
    assert d.label == "b"
    assert d.margin == pytest.approx(0.5, abs=1e-12)  # .75 - .25


def test_decide_tie_goes_to_the_first_label() -> None:
    d = decide(["yes", "no"], [-1.0, -1.0])
    assert d.predicted == 0 and d.label == "yes"
    assert d.margin == 0.0


def test_decide_tie_between_later_labels_goes_to_the_earlier_one() -> None:
    d = decide(["a", "b", "c"], [-5.0, -1.0, -1.0])
    assert d.label == "b"
    assert d.margin == 0.0


def test_decide_all_impossible_labels_goes_to_the_first() -> None:
    d = decide(["a", "b", "c"], [-math.inf, -math.inf, -math.inf])
    assert d.label == "a" and d.margin == 0.0


def test_decide_single_label_margin_is_one() -> None:
    d = decide(["only"], [-3.0])
    assert d.label == "only" and d.margin == 1.0


def test_decide_with_bias_can_flip_the_prediction() -> None:
    labels, logprobs = ["positive", "negative"], [math.log(0.6), math.log(0.4)]
    assert decide(labels, logprobs).label == "positive"
    calibrated = decide(labels, logprobs, bias=[0.8, 0.2])
    assert calibrated.label == "negative"
    assert calibrated.probabilities == pytest.approx((3 / 11, 8 / 11), abs=1e-12)
    assert calibrated.margin == pytest.approx(5 / 11, abs=1e-12)
    assert calibrated.logprobs == tuple(logprobs)  # the raw scores stay uncalibrated


def test_decide_probabilities_equal_to_the_bias_tie_and_go_to_the_first() -> None:
    bias = [0.25, 0.75]
    d = decide(["a", "b"], [math.log(0.25), math.log(0.75)], bias=bias)
    assert d.probabilities == pytest.approx((0.5, 0.5), abs=1e-12)
    assert d.label == "a"


def test_decide_rejects_one_logprob_too_few() -> None:
    with pytest.raises(ValueError, match="exactly one log-probability"):
        decide(["a", "b"], [-1.0])


def test_decide_rejects_no_labels() -> None:
    with pytest.raises(ValueError):
        decide([], [])


def test_decide_rejects_a_bias_of_another_width() -> None:
    with pytest.raises(ValueError, match="different number of labels"):
        decide(["a", "b"], [-1.0, -2.0], bias=[0.2, 0.3, 0.5])


# --- data ----------------------------------------------------------------------------------


def test_content_free_inputs_are_those_of_zhao_et_al() -> None:
    assert CONTENT_FREE_INPUTS == ("N/A", "", "[MASK]")


def test_continuation_scores_are_plain_frozen_records() -> None:
    score = ContinuationScore(logprob=-1.25, tokens=2)
    scores = ContinuationScores(scores=(score, ContinuationScore(-3.0, 1)), prompt_tokens=10, evaluated_tokens=4)
    assert scores.scores[0] == ContinuationScore(-1.25, 2)
    assert (scores.prompt_tokens, scores.evaluated_tokens) == (10, 4)
    with pytest.raises(AttributeError):
        score.logprob = 0.0  # type: ignore[misc]
