"""Scoring reads answers written in Chinese: full-width punctuation around a label, and a choice letter right after
a Chinese character ("答案是B")."""

from __future__ import annotations

import pytest

from desktop.core.fewshot.scoring import extract_choice, normalize


@pytest.mark.parametrize("output", ["正面，", "正面！", "「正面」", "《正面》", "（正面）", "正面；", "“正面”。"])
def test_full_width_punctuation_around_a_label_is_stripped(output: str) -> None:
    assert normalize(output) == "正面"


@pytest.mark.parametrize(("output", "choice"), [("答案是B", "B"), ("选C。", "C"), ("正确答案：D", "D"),
                                               ("A", "A"), ("我选（B）", "B")])
def test_a_letter_after_chinese_text_is_the_choice(output: str, choice: str) -> None:
    assert extract_choice(output) == choice


def test_letters_inside_english_words_still_do_not_count() -> None:
    assert extract_choice("BEST answer") is None
