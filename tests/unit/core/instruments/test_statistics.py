"""Unit tests for core.instruments.statistics, against published tables, scipy's documented outputs and hand sums."""

from __future__ import annotations

import time
from fractions import Fraction
from math import comb

import pytest

from desktop.core.instruments import statistics as stats
from desktop.core.instruments.statistics import (
    Confusion,
    LabelStats,
    Spread,
    accuracy_text,
    binomial_two_sided,
    compare_paired,
    confusion_matrix,
    format_p_value,
    mcnemar_exact,
    spread,
    wilson_interval,
)

# --- Wilson interval -------------------------------------------------------------------------------------------


def test_wilson_20_of_24() -> None:
    # By hand with z = 1.959964: centre (20/24 + z²/48) / (1 + z²/24) = 0.78734,
    # half-width z·sqrt(20·4/24³ + z²/(4·24²)) / (1 + z²/24) = 0.14587.
    low, high = wilson_interval(20, 24)
    assert (round(low, 3), round(high, 3)) == (0.641, 0.933)
    assert low == pytest.approx(0.6415, abs=5e-5)
    assert high == pytest.approx(0.9332, abs=5e-5)


@pytest.mark.parametrize(
    ("successes", "total", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (score interval without correction).
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_matches_newcombe_table(successes: int, total: int, low: float, high: float) -> None:
    assert wilson_interval(successes, total) == pytest.approx((low, high), abs=5e-5)


def test_wilson_ends_are_exact() -> None:
    assert wilson_interval(0, 20)[0] == 0.0
    assert wilson_interval(20, 20)[1] == 1.0
    assert wilson_interval(20, 20)[0] == pytest.approx(1 - 0.1611, abs=5e-5)


@pytest.mark.parametrize("total", [1, 2, 7, 24, 100, 263])
def test_wilson_is_symmetric_and_contains_the_estimate(total: int) -> None:
    for successes in range(total + 1):
        low, high = wilson_interval(successes, total)
        mirror_low, mirror_high = wilson_interval(total - successes, total)
        assert low == pytest.approx(1 - mirror_high, abs=1e-12)
        assert high == pytest.approx(1 - mirror_low, abs=1e-12)
        assert 0.0 <= low <= successes / total <= high <= 1.0


def test_wilson_higher_confidence_is_wider() -> None:
    low95, high95 = wilson_interval(20, 24)
    low99, high99 = wilson_interval(20, 24, confidence=0.99)
    low90, high90 = wilson_interval(20, 24, confidence=0.90)
    assert low99 < low95 < low90
    assert high90 < high95 < high99


def test_wilson_nothing_scored() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("successes", "total", "confidence"),
    [(-1, 10, 0.95), (11, 10, 0.95), (1, 0, 0.95), (5, 10, 0.0), (5, 10, 1.0), (5, 10, 95.0)],
)
def test_wilson_rejects_bad_input(successes: int, total: int, confidence: float) -> None:
    with pytest.raises(ValueError):
        wilson_interval(successes, total, confidence)


# --- accuracy text ---------------------------------------------------------------------------------------------


def test_accuracy_text() -> None:
    assert accuracy_text(20, 24) == "0.833 (20/24), 95% CI 0.641\u20130.933"
    assert accuracy_text(20, 24, confidence=0.99).startswith("0.833 (20/24), 99% CI ")
    assert accuracy_text(0, 20) == "0.000 (0/20), 95% CI 0.000\u20130.161"
    assert accuracy_text(0, 0) == "no items scored"


# --- exact binomial test ---------------------------------------------------------------------------------------


def test_binomial_hand_values() -> None:
    # Outcomes 0, 1, 7, 8 of 8 fair trials are as unlikely as 1: (1 + 8 + 8 + 1) / 256 = 2 * 9 / 256.
    assert binomial_two_sided(1, 8) == 0.0703125
    assert binomial_two_sided(0, 5) == 0.0625  # 2 / 32
    assert binomial_two_sided(4, 8) == 1.0
    assert binomial_two_sided(0, 0) == 1.0


def test_binomial_asymmetric_hand_value() -> None:
    # n = 10, p = 1/5: P(3) = 0.2013; only outcomes 1 (0.2684) and 2 (0.3020) are more likely, so the p-value is
    # 1 - P(1) - P(2) = 1 - 0.268435456 - 0.301989888 = 0.429574656.
    p = Fraction(1, 5)
    pmf = [comb(10, i) * p**i * (1 - p) ** (10 - i) for i in range(11)]
    expected = sum(value for value in pmf if value <= pmf[3])
    assert expected == Fraction(429574656, 10**9)
    assert binomial_two_sided(3, 10, 0.2) == pytest.approx(float(expected), rel=1e-15)


def test_binomial_matches_scipy_documented_example() -> None:
    # scipy.stats.binomtest docs: binomtest(3, n=15, p=0.1, alternative='greater').pvalue == 0.18406106910639114.
    # Outcomes 0, 1 and 2 are each more likely than 3, so the two-sided p-value is that same upper tail.
    assert binomial_two_sided(3, 15, 0.1) == pytest.approx(0.18406106910639114, rel=1e-12)


def test_binomial_tie_tolerance_counts_equally_likely_outcomes() -> None:
    # p = 1/3, n = 2: P(0) = P(1) = 4/9 in exact arithmetic; the float 1/3 splits them by 1e-16, the tolerance
    # keeps both, so observing 0 is "as extreme as" everything: p-value 1.
    assert binomial_two_sided(0, 2, 1 / 3) == 1.0
    assert binomial_two_sided(2, 2, 1 / 3) == pytest.approx(1 / 9, rel=1e-12)


@pytest.mark.parametrize("n", [1, 2, 9, 10, 31, 100])
def test_binomial_fair_coin_is_symmetric(n: int) -> None:
    for k in range(n + 1):
        assert binomial_two_sided(k, n) == binomial_two_sided(n - k, n)
        assert 0.0 < binomial_two_sided(k, n) <= 1.0


def test_binomial_degenerate_probabilities() -> None:
    assert binomial_two_sided(0, 5, 0.0) == 1.0
    assert binomial_two_sided(1, 5, 0.0) == 0.0
    assert binomial_two_sided(5, 5, 1.0) == 1.0
    assert binomial_two_sided(4, 5, 1.0) == 0.0


@pytest.mark.parametrize(("k", "n", "p"), [(-1, 5, 0.5), (6, 5, 0.5), (0, -1, 0.5), (1, 5, -0.1), (1, 5, 1.5)])
def test_binomial_rejects_bad_input(k: int, n: int, p: float) -> None:
    with pytest.raises(ValueError):
        binomial_two_sided(k, n, p)


@pytest.mark.parametrize(("k", "n", "p"), [(950, 2000, 0.5), (2910, 10_000, 0.3), (4800, 10_000, 0.5)])
def test_binomial_large_n_is_fast_and_a_probability(k: int, n: int, p: float) -> None:
    start = time.perf_counter()
    value = binomial_two_sided(k, n, p)
    assert time.perf_counter() - start < 2.0
    assert 0.0 < value < 1.0


def test_binomial_large_n_extreme_count_underflows_to_zero() -> None:
    assert binomial_two_sided(0, 10_000) == 0.0
    assert binomial_two_sided(0, 10_000, 0.3) == 0.0


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [(480, 1000, 0.5), (500, 1800, 0.3), (3, 1500, 0.01), (1400, 1500, 0.9), (200, 700, 1 / 3), (0, 500, 0.5)],
)
def test_binomial_log_space_agrees_with_exact(k: int, n: int, p: float) -> None:
    """Large n leaves exact arithmetic for log-gamma; both paths must give the same answer where both are cheap."""
    exact = stats._two_sided_exact(k, n, Fraction(p))
    assert stats._two_sided_log_space(k, n, p) == pytest.approx(exact, rel=1e-9)


# --- McNemar ---------------------------------------------------------------------------------------------------


def test_mcnemar() -> None:
    assert mcnemar_exact(7, 1) == pytest.approx(0.0703, abs=5e-5)
    assert mcnemar_exact(7, 1) == mcnemar_exact(1, 7) == 0.0703125
    assert mcnemar_exact(9, 0) == 0.00390625  # 2 / 512
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(3, 3) == 1.0
    with pytest.raises(ValueError):
        mcnemar_exact(-1, 2)


# --- confusion matrix ------------------------------------------------------------------------------------------

_PAIRS = [
    ("pos", "pos"), ("pos", "pos"), ("pos", "neg"),
    ("neg", "neg"), ("neg", "pos"),
    ("neutral", "neg"), ("neutral", "maybe"),
]


def test_confusion_with_labels_adds_other() -> None:
    confusion = confusion_matrix(_PAIRS, labels=["pos", "neg", "neutral"])
    assert confusion.labels == ("pos", "neg", "neutral", "(other)")
    assert confusion.counts == (
        (2, 1, 0, 0),
        (1, 1, 0, 0),
        (0, 1, 0, 1),
        (0, 0, 0, 0),
    )
    assert confusion.total() == 7


def test_confusion_per_label_by_hand() -> None:
    per_label = confusion_matrix(_PAIRS, labels=["pos", "neg", "neutral"]).per_label()
    assert per_label == [
        # pos: 2 right of 3 expected, 2 right of 3 predicted.
        LabelStats("pos", precision=2 / 3, recall=2 / 3, f1=2 / 3, support=3),
        # neg: 1 right of 3 predicted, 1 of 2 expected; F1 = 2·1 / (2·1 + 2 + 1) = 0.4.
        LabelStats("neg", precision=1 / 3, recall=0.5, f1=0.4, support=2),
        # neutral is never predicted: precision 0/0 is undefined, recall and F1 are 0.
        LabelStats("neutral", precision=None, recall=0.0, f1=0.0, support=2),
        # "(other)" is predicted once and never expected.
        LabelStats("(other)", precision=0.0, recall=None, f1=0.0, support=0),
    ]


def test_confusion_infers_labels_in_first_seen_order() -> None:
    confusion = confusion_matrix(_PAIRS)
    assert confusion.labels == ("pos", "neg", "neutral", "maybe")
    assert confusion.counts[2] == (0, 1, 0, 1)
    assert confusion.counts[3] == (0, 0, 0, 0)
    assert [s.support for s in confusion.per_label()] == [3, 2, 2, 0]


def test_confusion_without_other_and_with_an_unused_label() -> None:
    confusion = confusion_matrix([("a", "a"), ("a", "b")], labels=["a", "b", "c"])
    assert confusion.labels == ("a", "b", "c")
    assert confusion.counts == ((1, 1, 0), (0, 0, 0), (0, 0, 0))
    assert confusion.per_label()[2] == LabelStats("c", precision=None, recall=None, f1=None, support=0)


def test_confusion_edge_cases() -> None:
    assert confusion_matrix([]) == Confusion(labels=(), counts=())
    assert confusion_matrix([]).per_label() == []
    with pytest.raises(ValueError):
        confusion_matrix([("a", "a")], labels=["a", "a"])


# --- spread ----------------------------------------------------------------------------------------------------


def test_spread() -> None:
    result = spread([0.5, 0.75, 1.0])
    assert result == Spread(n=3, mean=0.75, std=0.25, low=0.5, high=1.0)  # all exact in binary
    assert spread([0.6]) == Spread(n=1, mean=0.6, std=0.0, low=0.6, high=0.6)
    with pytest.raises(ValueError):
        spread([])


# --- paired comparison -----------------------------------------------------------------------------------------


def _runs(fixed: int, broken: int, both_right: int = 5, both_wrong: int = 2) -> tuple[dict[str, bool], dict[str, bool]]:
    """Two runs over the same items with the given counts of each kind of pair."""
    kinds = [(False, True)] * fixed + [(True, False)] * broken + [(True, True)] * both_right
    kinds += [(False, False)] * both_wrong
    a = {f"line {i + 1}": first for i, (first, _) in enumerate(kinds)}
    b = {f"line {i + 1}": second for i, (_, second) in enumerate(kinds)}
    return a, b


def test_compare_paired_counts() -> None:
    a = {"q1": False, "q2": True, "q3": True, "q4": False, "q5": False}
    b = {"q1": True, "q2": False, "q3": True, "q4": False, "q5": True}
    comparison = compare_paired(a, b, "3 shots", "8 shots")
    assert comparison.fixed == ("q1", "q5")
    assert comparison.broken == ("q2",)
    assert (comparison.both_right, comparison.both_wrong) == (1, 1)
    assert comparison.p_value == 1.0  # 2 against 1 of 3 fair trials: every outcome is as likely or less


def test_verdict_better_not_significant() -> None:
    comparison = compare_paired(*_runs(fixed=7, broken=1))
    assert comparison.p_value == 0.0703125
    assert comparison.verdict() == "B is better than A: 7 items fixed, 1 broken, p = 0.07, not significant at 0.05"
    assert comparison.verdict(alpha=0.1) == "B is better than A: 7 items fixed, 1 broken, p = 0.07, significant at 0.1"


def test_verdict_significant() -> None:
    comparison = compare_paired(*_runs(fixed=9, broken=0))
    assert comparison.verdict() == "B is better than A: 9 items fixed, 0 broken, p = 0.0039, significant at 0.05"
    assert comparison.verdict(alpha=0.001).endswith("p = 0.0039, not significant at 0.001")


def test_verdict_worse_uses_singular_and_names() -> None:
    comparison = compare_paired(*_runs(fixed=1, broken=7), name_a="baseline", name_b="new prompt")
    assert comparison.verdict() == (
        "new prompt is worse than baseline: 1 item fixed, 7 broken, p = 0.07, not significant at 0.05"
    )


def test_verdict_tie_and_agreement() -> None:
    assert compare_paired(*_runs(fixed=2, broken=2)).verdict() == (
        "A and B do equally well on these items: 2 items fixed, 2 broken, p = 1.00"
    )
    assert compare_paired(*_runs(fixed=0, broken=0)).verdict() == "A and B agree on every item"
    assert compare_paired({}, {}).verdict() == "A and B have no items to compare"


def test_compare_paired_rejects_different_items() -> None:
    a = {"line 1": True, "line 2": False, "line 3": True, "line 7": True}
    b = {"line 1": True, "line 2": True, "line 9": False}
    with pytest.raises(ValueError) as error:
        compare_paired(a, b)
    assert str(error.value) == (
        "The two runs are not over the same items: 2 items only in A (line 3, line 7), 1 only in B (line 9). "
        "Compare runs made on the same test set."
    )


def test_compare_paired_mismatch_message_shortens_and_names_runs() -> None:
    a = {f"line {i}": True for i in range(1, 11)}
    b = {f"line {i}": True for i in range(1, 6)}
    with pytest.raises(ValueError, match=r"^The two runs are not over the same items: 5 items only in old "
                       r"\(line 6, line 7, line 8, …\)\. Compare runs made on the same test set\.$"):
        compare_paired(a, b, name_a="old", name_b="new")
    with pytest.raises(ValueError, match=r": 1 item only in new \(line 11\)\."):
        compare_paired(a, {**a, "line 11": False}, name_a="old", name_b="new")


@pytest.mark.parametrize(
    ("p", "text"),
    [(1.0, "p = 1.00"), (0.0703125, "p = 0.07"), (0.012, "p = 0.01"), (0.00390625, "p = 0.0039"),
     (0.000123, "p = 0.00012"), (3.9e-05, "p = 3.9e-05"), (0.0, "p < 1e-300")],
)
def test_format_p_value(p: float, text: str) -> None:
    assert format_p_value(p) == text
