"""Unit tests for the answer set of the "Most likely answer" rule (core.fewshot.template), and shuffled shots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.core.fewshot.template import (
    Example,
    FewShotError,
    FewShotTemplate,
    RenderMode,
    check_labels,
    fill_fields,
    load_template,
    save_template,
)


def _sentiment(**changes: Any) -> FewShotTemplate:
    base = FewShotTemplate(
        name="Sentiment",
        instruction="Classify the review.",
        examples=[Example("great film", "positive"), Example("dull and long", "negative")],
        input_label="Review:",
        output_label="Sentiment:",
        scoring="likelihood",
        labels=["positive", "negative"],
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def _json(**changes: Any) -> dict[str, Any]:
    data = _sentiment().to_json()
    data.update(changes)
    return data


# --- check_labels ----------------------------------------------------------------------


def test_check_labels_accepts_two_or_more_different_labels() -> None:
    check_labels(["positive", "negative"], "here")
    check_labels(["A", "B", "C", "D"], "here")
    check_labels(["not good", "not bad"], "here")


@pytest.mark.parametrize("labels", [[], ["positive"]])
def test_check_labels_needs_two(labels: list[str]) -> None:
    with pytest.raises(FewShotError, match=f"at least two labels.*it has {len(labels)}") as err:
        check_labels(labels, "The template")
    assert str(err.value).startswith("The template: ")


@pytest.mark.parametrize("labels", [["positive", ""], ["", "negative"], ["positive", "  \t"]])
def test_check_labels_rejects_an_empty_label(labels: list[str]) -> None:
    with pytest.raises(FewShotError, match="is empty"):
        check_labels(labels, "here")


@pytest.mark.parametrize(
    "labels",
    [["yes", "yes"], ["Yes", "yes"], ["yes", " yes "], ["not good", "Not  Good"], ["a", "b", "A"], ["x y", "x\ty"]],
)
def test_check_labels_rejects_duplicates_ignoring_case_and_spaces(labels: list[str]) -> None:
    with pytest.raises(FewShotError, match="appears twice"):
        check_labels(labels, "here")


def test_check_labels_names_which_label_and_its_twin() -> None:
    with pytest.raises(FewShotError) as err:
        check_labels(["Positive", "negative", "positive"], "labels")
    assert "\u201cpositive\u201d appears twice (as \u201cPositive\u201d too)" in str(err.value)


def test_check_labels_keeps_spaces_inside_a_label_meaningful() -> None:
    check_labels(["notgood", "not good"], "here")  # collapsing, not removing, whitespace


# --- fill_fields -------------------------------------------------------------------------


def test_fill_fields_fills_plain_names() -> None:
    assert fill_fields("{a} or {b}", {"a": "cat", "b": "dog"}, "label") == "cat or dog"
    assert fill_fields("no fields", {}, "label") == "no fields"
    assert fill_fields("{{literal}} {a}", {"a": "x"}, "label") == "{literal} x"
    assert fill_fields("{a}{a}", {"a": "x"}, "label") == "xx"


def test_fill_fields_does_not_refill_a_filled_value() -> None:
    assert fill_fields("{a}", {"a": "{b}", "b": "no"}, "label") == "{b}"


def test_fill_fields_missing_value_names_it() -> None:
    with pytest.raises(FewShotError, match="uses \\{choice\\} but no value named \u201cchoice\u201d"):
        fill_fields("{choice}", {"input": "x"}, "label")


@pytest.mark.parametrize("text", ["{a.upper}", "{a[0]}", "{a!r}", "{a:>5}", "{}", "{0}"])
def test_fill_fields_rejects_anything_but_plain_names(text: str) -> None:
    with pytest.raises(FewShotError, match="not supported"):
        fill_fields(text, {"a": "x", "0": "y"}, "label")


@pytest.mark.parametrize("text", ["{a", "a}", "{a}}"])
def test_fill_fields_rejects_unbalanced_braces(text: str) -> None:
    with pytest.raises(FewShotError, match="is not valid"):
        fill_fields(text, {"a": "x"}, "label")


# --- item_labels -------------------------------------------------------------------------


def test_item_labels_without_fields_are_the_labels() -> None:
    assert _sentiment().item_labels({"input": "whatever"}) == ["positive", "negative"]


def test_item_labels_fill_fields_from_the_item() -> None:
    t = _sentiment(labels=["{choice_a}", "{choice_b}", "neither"])
    assert t.item_labels({"choice_a": "Paris", "choice_b": "Rome", "input": "q"}) == ["Paris", "Rome", "neither"]


def test_item_labels_fail_when_two_filled_labels_collide() -> None:
    t = _sentiment(labels=["{choice_a}", "{choice_b}"])
    with pytest.raises(FewShotError, match="appears twice") as err:
        t.item_labels({"choice_a": "Paris", "choice_b": " paris"})
    assert str(err.value).startswith("The labels for this item: ")


def test_item_labels_fail_when_a_field_fills_empty() -> None:
    t = _sentiment(labels=["{choice_a}", "{choice_b}"])
    with pytest.raises(FewShotError, match="is empty"):
        t.item_labels({"choice_a": "Paris", "choice_b": ""})


def test_item_labels_fail_when_a_value_is_missing() -> None:
    t = _sentiment(labels=["{choice_a}", "{choice_b}"])
    with pytest.raises(FewShotError, match="choice_b"):
        t.item_labels({"choice_a": "Paris"})


def test_item_labels_fail_for_too_few_labels() -> None:
    with pytest.raises(FewShotError, match="at least two labels"):
        _sentiment(labels=["positive"]).item_labels({})


# --- label_continuation ------------------------------------------------------------------


def test_label_continuation_completion_with_an_output_label_adds_a_space() -> None:
    assert _sentiment().label_continuation("positive") == " positive"


def test_label_continuation_completion_without_an_output_label_is_the_label() -> None:
    assert _sentiment(output_label="").label_continuation("positive") == "positive"


def test_label_continuation_chat_is_the_label() -> None:
    assert _sentiment(mode=RenderMode.CHAT).label_continuation("positive") == "positive"
    assert _sentiment(mode=RenderMode.CHAT, output_label="").label_continuation("positive") == "positive"


@pytest.mark.parametrize("output_label", ["Sentiment:", "", "Sentiment: "])
def test_label_continuation_writes_the_answer_as_the_examples_do(output_label: str) -> None:
    """Prompt + continuation for an example's own input reproduces that example's block exactly."""
    t = _sentiment(output_label=output_label, instruction="")
    example_block = t.render_completion({"input": "x"}).split(t.example_separator)[0]
    prompt = t.render_completion({"input": "great film"})
    assert (prompt + t.label_continuation("positive")).split(t.example_separator)[-1] == example_block


# --- JSON ------------------------------------------------------------------------------------


def test_labels_default_to_none() -> None:
    assert FewShotTemplate().labels == []
    assert FewShotTemplate().to_json()["labels"] == []


def test_labels_round_trip_through_json() -> None:
    t = _sentiment(labels=["positive", "negative", "neutral \u00e9t\u00e9", "{choice}"])
    data = json.loads(json.dumps(t.to_json()))
    assert data["labels"] == ["positive", "negative", "neutral \u00e9t\u00e9", "{choice}"]
    back = FewShotTemplate.from_json(data)
    assert back.labels == t.labels
    assert back == t


def test_to_json_copies_the_labels() -> None:
    t = _sentiment()
    t.to_json()["labels"].append("mutated")
    assert t.labels == ["positive", "negative"]


def test_from_json_copies_the_labels() -> None:
    data = _json()
    t = FewShotTemplate.from_json(data)
    data["labels"].append("mutated")
    assert t.labels == ["positive", "negative"]


def test_labels_round_trip_through_a_file(tmp_path: Path) -> None:
    path = tmp_path / "sentiment.json"
    t = _sentiment(labels=["bon", "mauvais", "\u4e2d\u7acb"])
    saved = save_template(t, path)
    assert load_template(path).labels == ["bon", "mauvais", "\u4e2d\u7acb"]
    assert load_template(path) == saved
    assert "\u4e2d\u7acb" in path.read_text(encoding="utf-8")  # written as text, not escaped


def test_changing_only_the_labels_bumps_the_saved_version(tmp_path: Path) -> None:
    path = tmp_path / "sentiment.json"
    first = save_template(_sentiment(), path)
    again = save_template(_sentiment(), path)
    changed = save_template(_sentiment(labels=["positive", "negative", "mixed"]), path)
    assert (first.version, again.version, changed.version) == (1, 1, 2)


@pytest.mark.parametrize("raw", [{"labels": None}, {}])
def test_from_json_without_labels_is_an_empty_set(raw: dict[str, Any]) -> None:
    data = _json(scoring="normalized")
    del data["labels"]
    data.update(raw)
    assert FewShotTemplate.from_json(data).labels == []


def test_from_json_labels_must_be_a_list() -> None:
    with pytest.raises(FewShotError, match="field \u201clabels\u201d must be a list, not str"):
        FewShotTemplate.from_json(_json(labels="positive,negative"), source="t.json")


@pytest.mark.parametrize(("labels", "bad"), [([1, "a"], "labels\\[0\\] must be text, not int"),
                                             (["a", None], "labels\\[1\\] must be text, not NoneType"),
                                             (["a", ["b"]], "labels\\[1\\] must be text, not list")])
def test_from_json_labels_must_be_text(labels: list[Any], bad: str) -> None:
    with pytest.raises(FewShotError, match=bad) as err:
        FewShotTemplate.from_json(_json(labels=labels), source="t.json")
    assert str(err.value).startswith("t.json: ")


@pytest.mark.parametrize("labels", [[], ["positive"]])
def test_from_json_likelihood_needs_two_labels(labels: list[str]) -> None:
    with pytest.raises(FewShotError, match="at least two labels") as err:
        FewShotTemplate.from_json(_json(labels=labels), source="t.json")
    assert str(err.value).startswith("t.json: field \u201clabels\u201d: ")


def test_from_json_other_rules_need_no_labels() -> None:
    assert FewShotTemplate.from_json(_json(scoring="normalized", labels=[])).labels == []


@pytest.mark.parametrize("scoring", ["likelihood", "normalized"])
def test_from_json_rejects_an_empty_label(scoring: str) -> None:
    with pytest.raises(FewShotError, match="label 2 is empty"):
        FewShotTemplate.from_json(_json(scoring=scoring, labels=["positive", " "]), source="t.json")


@pytest.mark.parametrize("scoring", ["likelihood", "normalized"])
@pytest.mark.parametrize("labels", [["Positive", "positive"], ["not good", " not   GOOD "]])
def test_from_json_rejects_duplicate_labels(scoring: str, labels: list[str]) -> None:
    with pytest.raises(FewShotError, match="appears twice"):
        FewShotTemplate.from_json(_json(scoring=scoring, labels=labels), source="t.json")


def test_load_template_with_bad_labels_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_json(labels=["yes", "YES"])), encoding="utf-8")
    with pytest.raises(FewShotError, match="appears twice") as err:
        load_template(path)
    assert str(path) in str(err.value)


# --- with_shots(shuffle) ------------------------------------------------------------------


def _numbered(n: int, disabled: int | None = None) -> FewShotTemplate:
    return FewShotTemplate(examples=[Example(str(i), str(i), enabled=i != disabled) for i in range(n)])


def _order(t: FewShotTemplate) -> list[int]:
    return [int(e.input) for e in t.examples]


@pytest.mark.parametrize("k", [3, 7, 10])
def test_shuffled_shots_are_reproducible_for_a_seed(k: int) -> None:
    t = _numbered(10)
    assert _order(t.with_shots(k, seed=5, shuffle=True)) == _order(t.with_shots(k, seed=5, shuffle=True))


@pytest.mark.parametrize("k", [3, 10])
def test_shuffled_shots_differ_across_seeds(k: int) -> None:
    t = _numbered(10)
    orders = {tuple(_order(t.with_shots(k, seed=s, shuffle=True))) for s in range(8)}
    assert len(orders) >= 2


@pytest.mark.parametrize(("n", "k"), [(10, 0), (10, 1), (10, 4), (10, 10), (4, 9)])
def test_shuffled_shots_keep_k_distinct_enabled_examples(n: int, k: int) -> None:
    t = _numbered(n)
    for seed in range(5):
        order = _order(t.with_shots(k, seed=seed, shuffle=True))
        assert len(order) == min(k, n)
        assert len(set(order)) == len(order)


def test_shuffled_shots_skip_disabled_examples() -> None:
    t = _numbered(8, disabled=3)
    for seed in range(10):
        order = _order(t.with_shots(7, seed=seed, shuffle=True))
        assert sorted(order) == [0, 1, 2, 4, 5, 6, 7]


def test_shuffled_shots_of_all_examples_reorder_them() -> None:
    t = _numbered(8)
    orders = {tuple(_order(t.with_shots(8, seed=s, shuffle=True))) for s in range(6)}
    assert all(sorted(order) == list(range(8)) for order in orders)
    assert orders != {tuple(range(8))}  # k = all: only the order can change, and it does


def test_shuffled_shots_are_the_unshuffled_pick_in_another_order() -> None:
    t = _numbered(10)
    for seed in range(5):
        assert sorted(_order(t.with_shots(4, seed=seed, shuffle=True))) == _order(t.with_shots(4, seed=seed))


def test_shuffle_without_a_seed_is_the_first_k() -> None:
    assert _order(_numbered(6).with_shots(3, shuffle=True)) == [0, 1, 2]


def test_shuffled_shots_copy_examples_and_reject_negative() -> None:
    t = _numbered(4)
    t.with_shots(2, seed=1, shuffle=True).examples[0].input = "changed"
    assert _order(t) == [0, 1, 2, 3]
    with pytest.raises(FewShotError, match="0 or more"):
        t.with_shots(-1, seed=1, shuffle=True)


def test_unshuffled_shots_are_unchanged() -> None:
    """shuffle=False keeps the old behaviour: the first k, or a seeded pick kept in file order."""
    t = _numbered(8, disabled=3)  # enabled: 0 1 2 4 5 6 7
    assert _order(t.with_shots(3)) == [0, 1, 2]
    assert _order(t.with_shots(3, shuffle=False)) == [0, 1, 2]
    # sorted(random.Random(seed).sample(range(7), 3)) picks positions [1, 2, 3] for seed 7 and [3, 4, 6] for 11
    assert _order(t.with_shots(3, seed=7)) == [1, 2, 4]
    assert _order(t.with_shots(3, seed=11)) == [4, 5, 7]
    assert _order(t.with_shots(3, seed=7, shuffle=False)) == [1, 2, 4]
    assert _order(t.with_shots(7, seed=7)) == [0, 1, 2, 4, 5, 6, 7]  # k = all: every one, in order
    assert _order(t.with_shots(50, seed=7)) == [0, 1, 2, 4, 5, 6, 7]


def test_shuffled_shots_pinned_for_a_seed() -> None:
    """random.Random(7).sample(range(7), 3) is [2, 1, 3]: positions 2, 1, 3 of the enabled examples."""
    t = _numbered(8, disabled=3)
    assert _order(t.with_shots(3, seed=7, shuffle=True)) == [2, 1, 4]


def test_with_shots_keeps_the_labels() -> None:
    t = _sentiment()
    assert t.with_shots(1, seed=3, shuffle=True).labels == ["positive", "negative"]
