"""Uncertainty for the accuracies Parley shows, and paired comparison of two evaluation runs over the same items.

A few-shot test set often has 20 to 200 items, so an accuracy without an interval, or a difference between two runs
without a test, invites reading noise as progress. Pure stdlib so the numbers can be checked without Qt or numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import comb, exp, floor, fsum, lgamma, log, log1p, log10, sqrt
from statistics import NormalDist, fmean, stdev

from desktop.core.i18n import translate

OTHER_LABEL = "(other)"

# scipy.stats.binomtest counts outcomes "as likely as the observed one" with this relative tolerance, so that
# rounding in the probabilities cannot drop a tied outcome; kept as an exact fraction here: 1 + 1e-7.
_TIE_TOLERANCE = Fraction(10**7 + 1, 10**7)


def _z(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"The confidence level must be between 0 and 1 (exclusive), not {confidence}.")
    return NormalDist().inv_cdf(1.0 - (1.0 - confidence) / 2.0)


def wilson_interval(successes: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (no continuity correction); (0.0, 1.0) when nothing was scored.

    Unlike the textbook p ± z·se it stays inside [0, 1] and keeps sensible coverage at 0/n and n/n.
    """
    z = _z(confidence)
    if successes < 0 or successes > total:
        raise ValueError(f"Successes must be between 0 and the total: got {successes} out of {total}.")
    if total == 0:
        return 0.0, 1.0
    p = successes / total
    z2 = z * z
    denominator = 1.0 + z2 / total
    centre = (p + z2 / (2 * total)) / denominator
    half_width = z * sqrt(p * (1.0 - p) / total + z2 / (4 * total * total)) / denominator
    # The bounds at 0/n and n/n are exactly 0 and 1; rounding would otherwise leave a 1e-17 residue.
    low = 0.0 if successes == 0 else max(0.0, centre - half_width)
    high = 1.0 if successes == total else min(1.0, centre + half_width)
    return low, high


def _percent(confidence: float) -> str:
    return f"{round(confidence * 100, 6):g}%"


def accuracy_text(passed: int, total: int, confidence: float = 0.95) -> str:
    """Like "0.833 (20/24), 95% CI 0.641–0.933"; "no items scored" when the total is 0."""
    low, high = wilson_interval(passed, total, confidence)
    if total == 0:
        return translate("Statistics", "no items scored")
    return translate("Statistics", "{accuracy} ({passed}/{total}), {confidence} CI {low}–{high}").format(
        accuracy=f"{passed / total:.3f}", passed=passed, total=total, confidence=_percent(confidence),
        low=f"{low:.3f}", high=f"{high:.3f}")


def binomial_two_sided(k: int, n: int, p: float = 0.5) -> float:
    """Exact two-sided binomial test: the probability of every outcome no more likely than k (scipy's binomtest).

    Exact integer arithmetic when that is quick (McNemar's p = 0.5 up to n = 10,000, other p up to n of about 1,900);
    otherwise log-gamma, good to about 1e-10 relative, far inside the 1e-7 tie tolerance.
    """
    if n < 0 or not 0 <= k <= n:
        raise ValueError(f"The count must be between 0 and the number of trials: got {k} out of {n}.")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"The probability must be between 0 and 1, not {p}.")
    probability = Fraction(p)
    a, b = probability.numerator, probability.denominator
    if k * b == a * n:  # k is the expected count, the most likely outcome
        return 1.0
    if a in (0, b):  # only the expected count can happen, and k is not it
        return 0.0
    if n * n * b.bit_length() <= _EXACT_WORK_LIMIT:
        return _two_sided_exact(k, n, probability)
    return _two_sided_log_space(k, n, p)


# The exact sum costs about n² · log2(denominator of p) digit operations; this bound keeps it near 0.1 s.
_EXACT_WORK_LIMIT = 2 * 10**8


def _two_sided_exact(k: int, n: int, probability: Fraction) -> float:
    """With p = a/b, weight(i) = C(n, i)·a^i·(b−a)^(n−i) is P(i)·b^n, an integer: no rounding until the end."""
    a, b = probability.numerator, probability.denominator
    c = b - a
    # int ** int is typed as Any (a negative power gives a float), hence the annotations.
    threshold: int = comb(n, k) * a**k * c ** (n - k) * _TIE_TOLERANCE.numerator
    scale = _TIE_TOLERANCE.denominator
    total: int = b**n
    included = 0
    weight: int = c**n
    for i in range(n + 1):
        if weight * scale <= threshold:
            included += weight
        if i < n:
            weight = weight * (n - i) * a // ((i + 1) * c)
    return min(1.0, included / total)  # int / int is correctly rounded, and underflows to 0.0 quietly


def _two_sided_log_space(k: int, n: int, p: float) -> float:
    log_p, log_q, log_n = log(p), log1p(-p), lgamma(n + 1)

    def log_pmf(i: int) -> float:
        return log_n - lgamma(i + 1) - lgamma(n - i + 1) + i * log_p + (n - i) * log_q

    limit = log_pmf(k) + log1p(float(_TIE_TOLERANCE - 1))
    return min(1.0, fsum(exp(value) for value in map(log_pmf, range(n + 1)) if value <= limit))


def mcnemar_exact(fixed: int, broken: int) -> float:
    """McNemar's exact test on the discordant pairs: 1.0 when the two runs never disagree."""
    if fixed < 0 or broken < 0:
        raise ValueError(f"Counts of fixed and broken items cannot be negative: got {fixed} and {broken}.")
    if fixed + broken == 0:
        return 1.0
    return binomial_two_sided(min(fixed, broken), fixed + broken, 0.5)


@dataclass(frozen=True)
class LabelStats:
    """Precision, recall and F1 for one label; None where the ratio is 0/0 (never predicted, never expected)."""

    label: str
    precision: float | None
    recall: float | None
    f1: float | None
    support: int  # how many items expected this label


@dataclass(frozen=True)
class Confusion:
    labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # counts[i][j]: expected labels[i], predicted labels[j]

    def per_label(self) -> list[LabelStats]:
        """One entry per row of the matrix, "(other)" included when present.

        F1 is 2·TP / (2·TP + FP + FN), so a label that is expected but never predicted scores 0.0, not None.
        """
        stats = []
        for i, label in enumerate(self.labels):
            hits = self.counts[i][i]
            support = sum(self.counts[i])
            predicted = sum(row[i] for row in self.counts)
            f1_denominator = support + predicted  # = 2·TP + FP + FN
            stats.append(LabelStats(
                label=label,
                precision=hits / predicted if predicted else None,
                recall=hits / support if support else None,
                f1=2 * hits / f1_denominator if f1_denominator else None,
                support=support,
            ))
        return stats

    def total(self) -> int:
        return sum(sum(row) for row in self.counts)


def confusion_matrix(pairs: Sequence[tuple[str, str]], labels: Sequence[str] | None = None) -> Confusion:
    """Count (expected, predicted) pairs.

    Without labels: expected labels in first-seen order, then labels that were only predicted. With labels: that
    order, and any value outside it is counted under a final "(other)" row and column, added only when needed.
    """
    if labels is None:
        order: list[str] = []
        for expected, _ in pairs:
            if expected not in order:
                order.append(expected)
        for _, predicted in pairs:
            if predicted not in order:
                order.append(predicted)
    else:
        order = list(labels)
        if len(set(order)) != len(order):
            raise ValueError("The label list names a label more than once.")
        if OTHER_LABEL not in order and any(value not in order for pair in pairs for value in pair):
            order.append(OTHER_LABEL)
    index = {label: i for i, label in enumerate(order)}
    counts = [[0] * len(order) for _ in order]
    for expected, predicted in pairs:
        row = index[expected] if expected in index else index[OTHER_LABEL]
        column = index[predicted] if predicted in index else index[OTHER_LABEL]
        counts[row][column] += 1
    return Confusion(labels=tuple(order), counts=tuple(tuple(row) for row in counts))


@dataclass(frozen=True)
class Spread:
    """How much repeated runs vary: std is the sample standard deviation (n − 1), 0.0 for a single value."""

    n: int
    mean: float
    std: float
    low: float
    high: float


def spread(values: Sequence[float]) -> Spread:
    if not values:
        raise ValueError("No values: a spread needs at least one run.")
    return Spread(
        n=len(values),
        mean=fmean(values),
        std=stdev(values) if len(values) >= 2 else 0.0,
        low=min(values),
        high=max(values),
    )


def _items(count: int) -> str:
    if count == 1:  # English's two forms kept apart; Chinese has one
        return translate("Statistics", "%n item", None, count)
    return translate("Statistics", "%n items", None, count)


def format_p_value(p: float) -> str:
    """The "p = 0.07" style: two decimals; below 0.01 two significant digits ("p = 0.0039"); scientific below 0.0001."""
    if p >= 0.01:
        return f"p = {p:.2f}"
    if p >= 1e-4:
        return f"p = {p:.{1 - floor(log10(p))}f}"
    if p > 0.0:
        return f"p = {p:.1e}"
    return "p < 1e-300"  # the exact p-value was too small for a float


@dataclass(frozen=True)
class PairedComparison:
    """Two runs scored on the same items; only the items where they disagree carry evidence."""

    name_a: str
    name_b: str
    fixed: tuple[str, ...]  # keys A got wrong and B got right
    broken: tuple[str, ...]  # keys A got right and B got wrong
    both_right: int
    both_wrong: int
    p_value: float  # McNemar's exact test on len(fixed) and len(broken)

    def verdict(self, alpha: float = 0.05) -> str:
        fixed, broken = len(self.fixed), len(self.broken)
        a, b = self.name_a, self.name_b
        if fixed == broken == 0:
            if self.both_right + self.both_wrong == 0:
                return translate("Statistics", "{a} and {b} have no items to compare").format(a=a, b=b)
            return translate("Statistics", "{a} and {b} agree on every item").format(a=a, b=b)
        counts = translate("Statistics", "{items} fixed, {broken} broken, {p}").format(
            items=_items(fixed), broken=broken, p=format_p_value(self.p_value))
        if fixed == broken:
            return translate("Statistics", "{a} and {b} do equally well on these items: {counts}").format(
                a=a, b=b, counts=counts)
        significant = self.p_value <= alpha
        if fixed > broken and significant:
            text = translate("Statistics", "{b} is better than {a}: {counts}, significant at {alpha}")
        elif fixed > broken:
            text = translate("Statistics", "{b} is better than {a}: {counts}, not significant at {alpha}")
        elif significant:
            text = translate("Statistics", "{b} is worse than {a}: {counts}, significant at {alpha}")
        else:
            text = translate("Statistics", "{b} is worse than {a}: {counts}, not significant at {alpha}")
        return text.format(a=a, b=b, counts=counts, alpha=f"{alpha:g}")


def _examples(keys: list[str]) -> str:
    shown = ", ".join(keys[:3])
    return f"({shown}, …)" if len(keys) > 3 else f"({shown})"


def compare_paired(
    a: Mapping[str, bool], b: Mapping[str, bool], name_a: str = "A", name_b: str = "B"
) -> PairedComparison:
    """Pair two runs item by item (keys map to passed); ValueError naming the mismatch when the items differ."""
    only_a = [key for key in a if key not in b]
    only_b = [key for key in b if key not in a]
    if only_a or only_b:
        parts = []
        if only_a:
            parts.append(translate("Statistics", "{items} only in {name} {examples}").format(
                items=_items(len(only_a)), name=name_a, examples=_examples(only_a)))
        if only_b:
            noun = _items(len(only_b)) if not only_a else str(len(only_b))
            parts.append(translate("Statistics", "{items} only in {name} {examples}").format(
                items=noun, name=name_b, examples=_examples(only_b)))
        raise ValueError(translate(
            "Statistics", "The two runs are not over the same items: {parts}. Compare runs made on the same test set."
        ).format(parts=", ".join(parts)))
    fixed = tuple(key for key in a if not a[key] and b[key])
    broken = tuple(key for key in a if a[key] and not b[key])
    both_right = sum(1 for key in a if a[key] and b[key])
    both_wrong = sum(1 for key in a if not a[key] and not b[key])
    return PairedComparison(
        name_a=name_a,
        name_b=name_b,
        fixed=fixed,
        broken=broken,
        both_right=both_right,
        both_wrong=both_wrong,
        p_value=mcnemar_exact(len(fixed), len(broken)),
    )
