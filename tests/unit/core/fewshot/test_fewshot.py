"""Unit tests for desktop.core.fewshot.template (pure Python, no Qt)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.fewshot.dataset import guess_mapping, read_table, to_test_items
from desktop.core.fewshot.template import (
    TEMPLATE_SCHEMA_VERSION,
    Example,
    FewShotError,
    FewShotTemplate,
    RenderMode,
    example_values,
    final_prompt,
    load_template,
    sample_templates_dir,
    save_template,
)
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES, ChatTemplate


def _sentiment(**kw: object) -> FewShotTemplate:
    base: dict[str, object] = {
        "name": "Sentiment",
        "instruction": "Classify the review.",
        "examples": [
            Example("Loved it.", "positive"),
            Example("Broke at once.", "negative", enabled=False),
            Example("Awful.", "negative"),
        ],
        "input_label": "Review:",
        "output_label": "Sentiment:",
    }
    base.update(kw)
    return FewShotTemplate(**base)  # type: ignore[arg-type]


# --- rendering -----------------------------------------------------------------------


def test_render_completion_with_labels_and_instruction() -> None:
    text = _sentiment().render_completion({"input": "Great fun."})
    assert text == (
        "Classify the review.\n\n"
        "Review: Loved it.\nSentiment: positive\n\n"
        "Review: Awful.\nSentiment: negative\n\n"
        "Review: Great fun.\nSentiment:"
    )


def test_render_completion_without_instruction_custom_separator() -> None:
    text = _sentiment(instruction="  ", example_separator="\n###\n").render_completion({"input": "Great fun."})
    assert text == (
        "Review: Loved it.\nSentiment: positive\n###\n"
        "Review: Awful.\nSentiment: negative\n###\n"
        "Review: Great fun.\nSentiment:"
    )


def test_render_completion_empty_labels_omit_their_space() -> None:
    text = _sentiment(input_label="", output_label="", instruction="").render_completion({"input": "Great fun."})
    assert text == "Loved it.\npositive\n\nAwful.\nnegative\n\nGreat fun.\n"


def test_render_completion_zero_shot() -> None:
    text = _sentiment(examples=[]).render_completion({"input": "Great fun."})
    assert text == "Classify the review.\n\nReview: Great fun.\nSentiment:"


def test_render_with_extra_variables() -> None:
    t = FewShotTemplate(
        query_template="{input}\nHypothesis: {hypothesis}",
        input_label="Premise:",
        output_label="Answer:",
        examples=[Example("A dog runs.", "entailment", variables={"hypothesis": "An animal moves."})],
    )
    assert t.variables() == ["input", "hypothesis"]
    assert t.render_completion({"input": "A cat sleeps.", "hypothesis": "A cat runs."}) == (
        "Premise: A dog runs.\nHypothesis: An animal moves.\nAnswer: entailment\n\n"
        "Premise: A cat sleeps.\nHypothesis: A cat runs.\nAnswer:"
    )


def test_chat_turns() -> None:
    turns = _sentiment().chat_turns({"input": "Great fun."})
    assert turns == [
        {"role": "system", "content": "Classify the review."},
        {"role": "user", "content": "Loved it."},
        {"role": "assistant", "content": "positive"},
        {"role": "user", "content": "Awful."},
        {"role": "assistant", "content": "negative"},
        {"role": "user", "content": "Great fun."},
    ]
    assert _sentiment(instruction="", examples=[]).chat_turns({"input": "x"}) == [{"role": "user", "content": "x"}]


def test_final_prompt_chat_gemma_merges_system() -> None:
    chat = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>")
    t = _sentiment(mode=RenderMode.CHAT)
    assert final_prompt(t, {"input": "Great fun."}, chat) == (
        "<bos><start_of_turn>user\nClassify the review.\n\nLoved it.<end_of_turn>\n"
        "<start_of_turn>model\npositive<end_of_turn>\n"
        "<start_of_turn>user\nAwful.<end_of_turn>\n"
        "<start_of_turn>model\nnegative<end_of_turn>\n"
        "<start_of_turn>user\nGreat fun.<end_of_turn>\n"
        "<start_of_turn>model\n"
    )


def test_final_prompt_completion_and_errors() -> None:
    t = _sentiment()
    assert final_prompt(t, {"input": "x"}, None) == t.render_completion({"input": "x"})
    with pytest.raises(FewShotError, match="chat mode"):
        final_prompt(_sentiment(mode=RenderMode.CHAT), {"input": "x"}, None)
    broken = ChatTemplate("{% if %}", "Broken")
    with pytest.raises(FewShotError, match="Broken"):
        final_prompt(_sentiment(mode=RenderMode.CHAT), {"input": "x"}, broken)


def test_missing_variable_message_names_it() -> None:
    t = FewShotTemplate(query_template="{input} vs {other}")
    with pytest.raises(FewShotError) as err:
        t.query_text({"input": "a"})
    assert "{other}" in str(err.value) and "column" in str(err.value)


@pytest.mark.parametrize("query", ["{input", "{}", "{0}", "{input.__class__}", "{input!r}", "{input:>9}"])
def test_unsupported_query_fields(query: str) -> None:
    with pytest.raises(FewShotError, match="query template"):
        FewShotTemplate(query_template=query).query_text({"input": "a"})


def test_variables_unique_and_lenient() -> None:
    assert FewShotTemplate(query_template="{a} {b} {a} {{literal}}").variables() == ["a", "b"]
    assert FewShotTemplate(query_template="{a} {b").variables() == ["a"]


def test_example_values() -> None:
    assert example_values(Example("i", "o", variables={"x": "1"})) == {"input": "i", "x": "1"}


def test_stop_strings() -> None:
    assert _sentiment().stop_strings() == ("\nReview:", "\n\n")
    assert _sentiment(input_label="").stop_strings() == ("\n\n",)
    assert _sentiment(example_separator="\n").stop_strings() == ("\nReview:",)
    assert _sentiment(example_separator="\n---\n").stop_strings() == ("\nReview:", "\n---\n")
    assert _sentiment(mode=RenderMode.CHAT).stop_strings() == ()


# --- shots ---------------------------------------------------------------------------


def _numbered(n: int) -> FewShotTemplate:
    return FewShotTemplate(examples=[Example(str(i), str(i), enabled=i != 3) for i in range(n)])


def test_with_shots_first_k() -> None:
    t = _numbered(8)
    assert [e.input for e in t.with_shots(3).examples] == ["0", "1", "2"]
    assert [e.input for e in t.with_shots(4).examples] == ["0", "1", "2", "4"]  # disabled one skipped
    assert t.with_shots(0).examples == []
    assert len(t.with_shots(50).examples) == 7
    assert len(t.examples) == 8  # original untouched


def test_with_shots_seeded_is_reproducible_and_ordered() -> None:
    t = _numbered(20)
    a = [int(e.input) for e in t.with_shots(5, seed=7).examples]
    b = [int(e.input) for e in t.with_shots(5, seed=7).examples]
    assert a == b and a == sorted(a) and len(set(a)) == 5 and 3 not in a
    others = {tuple(int(e.input) for e in t.with_shots(5, seed=s).examples) for s in range(10)}
    assert len(others) > 1
    assert len(t.with_shots(100, seed=1).examples) == 19


def test_with_shots_copies_examples_and_rejects_negative() -> None:
    t = _numbered(3)
    t.with_shots(2).examples[0].input = "changed"
    assert t.examples[0].input == "0"
    with pytest.raises(FewShotError):
        t.with_shots(-1)


# --- JSON ----------------------------------------------------------------------------


def test_json_round_trip() -> None:
    t = _sentiment(
        query_template="{input} / {x}",
        examples=[Example("a", "b", enabled=False, variables={"x": "y"}), Example("c", "d")],
        mode=RenderMode.CHAT,
        scoring="regex",
        pattern="^pos",
        description="about",
        version=3,
    )
    data = json.loads(json.dumps(t.to_json()))
    assert data["schema_version"] == TEMPLATE_SCHEMA_VERSION
    assert FewShotTemplate.from_json(data) == t


def test_from_json_defaults_for_missing_optional_fields() -> None:
    t = FewShotTemplate.from_json({"schema_version": 1, "examples": [{"input": "a", "output": "b"}]})
    assert t.name == "Untitled" and t.mode is RenderMode.COMPLETION and t.examples == [Example("a", "b")]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"name": "x"}, "schema_version"),
        ({"schema_version": 2}, "version 2"),
        ({"schema_version": "1"}, "schema_version"),
        ({"schema_version": 1, "name": 5}, "\u201cname\u201d must be text"),
        ({"schema_version": 1, "version": True}, "\u201cversion\u201d"),
        ({"schema_version": 1, "version": 0}, "\u201cversion\u201d"),
        ({"schema_version": 1, "mode": "poem"}, "\u201cmode\u201d"),
        ({"schema_version": 1, "scoring": "vibes"}, "\u201cscoring\u201d"),
        ({"schema_version": 1, "pattern": 3}, "\u201cpattern\u201d"),
        ({"schema_version": 1, "examples": {}}, "\u201cexamples\u201d"),
        ({"schema_version": 1, "examples": ["x"]}, "examples[0]"),
        ({"schema_version": 1, "examples": [{"input": "a"}]}, "examples[0] has no \u201coutput\u201d"),
        ({"schema_version": 1, "examples": [{"input": "a", "output": 1}]}, "examples[0]: field \u201coutput\u201d"),
        ({"schema_version": 1, "examples": [{"input": "a", "output": "b", "enabled": "yes"}]}, "enabled"),
        ({"schema_version": 1, "examples": [{"input": "a", "output": "b", "variables": {"v": 1}}]}, "variables.v"),
    ],
)
def test_from_json_errors_name_the_field(data: dict[str, object], needle: str) -> None:
    with pytest.raises(FewShotError) as err:
        FewShotTemplate.from_json(data, source="t.json")
    assert needle in str(err.value) and "t.json" in str(err.value)


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(FewShotError, match="Could not read"):
        load_template(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "schema_version": 1,\n  "name": oops\n}\n', encoding="utf-8")
    with pytest.raises(FewShotError, match=r"bad\.json is not valid JSON \(line 3"):
        load_template(bad)
    old = tmp_path / "new.json"
    old.write_text(json.dumps({"schema_version": 9}), encoding="utf-8")
    with pytest.raises(FewShotError, match="schema version 9.*update Parley"):
        load_template(old)
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"schema_version": 1, "name": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(FewShotError, match="UTF-8"):
        load_template(latin)
    array = tmp_path / "array.json"
    array.write_text("[]", encoding="utf-8")
    with pytest.raises(FewShotError, match="JSON object"):
        load_template(array)


def test_save_bumps_version_only_when_changed(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    first = save_template(_sentiment(), path)
    assert first.version == 1 and load_template(path) == first
    assert (path.stat().st_mode & 0o777) == 0o644
    same = save_template(load_template(path), path)
    assert same.version == 1
    changed = load_template(path)
    changed.instruction = "Something else."
    saved = save_template(changed, path)
    assert saved.version == 2 and changed.version == 1
    assert load_template(path).version == 2
    assert save_template(saved, path).version == 2
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]  # no temporary files left behind


def test_save_over_unreadable_file_and_unwritable_dir(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text("not json", encoding="utf-8")
    assert save_template(_sentiment(version=4), path).version == 4
    with pytest.raises(FewShotError, match="Could not save"):
        save_template(_sentiment(), tmp_path / "no-such-dir" / "t.json")


# --- samples -------------------------------------------------------------------------

_SAMPLES = {
    "sentiment": "sentiment-test.csv",
    "entailment": "entailment-test.tsv",
    "similarity": "similarity-test.jsonl",
    "multiple-choice": "multiple-choice-test.csv",
}


@pytest.mark.parametrize("name", sorted(_SAMPLES))
def test_sample_templates_load_and_their_test_sets_import(name: str) -> None:
    folder = sample_templates_dir()
    template = load_template(folder / f"{name}.json")
    assert template.examples and all(e.enabled for e in template.examples)
    data = read_table(folder / _SAMPLES[name])
    mapping = guess_mapping(data.columns)
    assert mapping.expected is not None
    items = to_test_items(data, mapping, template)
    assert len(items) >= 12 and all(item.expected for item in items)
    for item in items:
        prompt = template.render_completion(item.values)
        assert prompt.endswith(template.output_label) and item.values["input"] in prompt
    for example in template.examples:
        template.query_text(example_values(example))  # every example fills the query


def test_sample_folder_lists_every_sample() -> None:
    names = {p.name for p in sample_templates_dir().iterdir()}
    assert {f"{n}.json" for n in _SAMPLES} | set(_SAMPLES.values()) | {"README.md"} <= names
