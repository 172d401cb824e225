"""The Chinese sample few-shot templates (resources/templates/*-zh.*): they load, their test sets import, every
answer is one of the template's labels, and prompts keep the Chinese text intact (pure Python, no Qt)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from desktop.core.fewshot.dataset import guess_mapping, read_table, to_test_items
from desktop.core.fewshot.rows import TestItem
from desktop.core.fewshot.scoring import score
from desktop.core.fewshot.template import (
    FewShotTemplate,
    RenderMode,
    example_values,
    load_template,
    sample_templates_dir,
    save_template,
)

# Chinese template -> its test set; each mirrors the English sample of the same name without "-zh".
CHINESE = {
    "sentiment-zh": "sentiment-zh-test.csv",
    "entailment-zh": "entailment-zh-test.tsv",
    "similarity-zh": "similarity-zh-test.jsonl",
    "multiple-choice-zh": "multiple-choice-zh-test.csv",
}
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _load(name: str) -> tuple[FewShotTemplate, list[TestItem]]:
    folder = sample_templates_dir()
    template = load_template(folder / f"{name}.json")
    data = read_table(folder / CHINESE[name])
    mapping = guess_mapping(data.columns)
    assert mapping.expected is not None
    return template, to_test_items(data, mapping, template)


def test_every_chinese_template_in_the_folder_is_listed_here() -> None:
    found = {p.stem for p in sample_templates_dir().glob("*-zh.json")}
    assert found == set(CHINESE)
    names = {p.name for p in sample_templates_dir().iterdir()}
    assert set(CHINESE.values()) <= names


@pytest.mark.parametrize("name", sorted(CHINESE))
def test_template_loads_with_a_chinese_name_and_labels(name: str) -> None:
    template, _items = _load(name)
    assert _HAN.search(template.name) and _HAN.search(template.description) and _HAN.search(template.instruction)
    assert 6 <= len(template.examples) <= 8 and all(e.enabled for e in template.examples)
    assert {e.output for e in template.examples} == set(template.labels)  # the examples show every answer
    for example in template.examples:
        assert _HAN.search(example.input)
        template.query_text(example_values(example))  # every example fills the query


@pytest.mark.parametrize("name", sorted(CHINESE))
def test_chinese_template_mirrors_the_english_sample(name: str) -> None:
    template, _items = _load(name)
    english = load_template(sample_templates_dir() / f"{name.removesuffix('-zh')}.json")
    assert (template.mode, template.scoring, template.variables()) == (
        english.mode, english.scoring, english.variables())
    assert len(template.labels) == len(english.labels)


@pytest.mark.parametrize("name", sorted(CHINESE))
def test_test_set_answers_are_the_templates_labels(name: str) -> None:
    template, items = _load(name)
    assert 12 <= len(items) <= 20
    answers = [item.expected for item in items]
    assert set(answers) == set(template.labels)  # every label is tested, and nothing else is expected
    counts = [answers.count(label) for label in template.labels]
    assert max(counts) - min(counts) <= 1  # balanced: always answering one label cannot score well
    assert len({tuple(sorted(item.values.items())) for item in items}) == len(items)  # no duplicates
    for item in items:
        assert score(template.scoring, item.expected, item.expected)
        assert all(_HAN.search(value) for value in item.values.values())


@pytest.mark.parametrize("name", sorted(CHINESE))
def test_prompts_keep_the_chinese_text_intact(name: str) -> None:
    template, items = _load(name)
    for item in items:
        prompt = template.render_completion(item.values)
        assert prompt.startswith(template.instruction) and prompt.endswith(template.output_label)
        assert all(value in prompt for value in item.values.values())
        assert "\ufffd" not in prompt and prompt.encode("utf-8").decode("utf-8") == prompt
        assert item.values["input"] in template.chat_turns(item.values)[-1]["content"]
        assert template.item_labels(item.values) == template.labels
        assert template.label_continuation(item.expected) == " " + item.expected


def test_sentiment_document_reads_as_written() -> None:
    template, _items = _load("sentiment-zh")
    shots = template.with_shots(2)
    assert shots.render_completion({"input": "物流很快，东西也好用。"}) == (
        "判断每条评论是正面还是负面。只用一个词回答：正面或负面。\n\n"
        "评论： 这家店的牛肉面汤头浓郁，分量也足，下次还来。\n情感： 正面\n\n"
        "评论： 快递拖了一个星期才到，盒子还被压扁了。\n情感： 负面\n\n"
        "评论： 物流很快，东西也好用。\n情感："
    )
    assert shots.stop_strings() == ("\n评论：", "\n\n")


def test_chinese_answers_score_as_expected() -> None:
    assert score("normalized", " 正面。", "正面")  # a full stop after the word is not held against it
    assert not score("normalized", "不相似", "相似") and not score("normalized", "相似", "不相似")
    assert score("choice", "B", "B") and score("choice", " C。", "C")


@pytest.mark.parametrize("name", sorted(CHINESE))
def test_chinese_survives_a_save_and_reload(name: str, tmp_path: Path) -> None:
    template, _items = _load(name)
    path = tmp_path / f"{name}.json"
    save_template(template, path)
    assert _HAN.search(path.read_text(encoding="utf-8"))  # written as UTF-8 text, not \\u escapes
    assert json.loads(path.read_text(encoding="utf-8"))["name"] == template.name
    reloaded = load_template(path)
    assert reloaded == template
    assert reloaded.mode is RenderMode.COMPLETION
