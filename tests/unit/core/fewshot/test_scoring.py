"""Unit tests for desktop.core.fewshot.scoring (pure Python, no Qt)."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from desktop.core.fewshot.scoring import (
    RULES,
    EvalRun,
    ItemResult,
    extract_choice,
    normalize,
    score,
    sweep_shots,
)
from desktop.core.files import file_sha256


def test_rules_keys_and_labels() -> None:
    assert list(RULES) == ["exact", "normalized", "contains", "regex", "choice", "likelihood"]
    assert RULES["normalized"] == "Normalised match (case and spaces)"
    assert RULES["likelihood"] == "Most likely answer"


@pytest.mark.parametrize(
    ("output", "expected", "passed"),
    [("positive", "positive", True), (" positive\n", "positive ", True), ("Positive", "positive", False),
     ("positive.", "positive", False), ("", "", True)],
)
def test_exact(output: str, expected: str, passed: bool) -> None:
    assert score("exact", output, expected) is passed


@pytest.mark.parametrize(
    ("output", "expected", "passed"),
    [
        ("Positive.", "positive", True),
        ('  "POSITIVE"  ', "positive", True),
        ("\u201cyes\u201d", "Yes", True),
        ("New   York\n", "new york", True),
        ("(B)", "b", True),
        ("positive review", "positive", False),
        ("", "", True),
        ("...", "", True),
        ("negative", "positive", False),
    ],
)
def test_normalized(output: str, expected: str, passed: bool) -> None:
    assert score("normalized", output, expected) is passed


def test_normalize() -> None:
    assert normalize("  Hello,\n  World!  ") == "hello, world"
    assert normalize("Stra\u00dfe") == "strasse"


@pytest.mark.parametrize(
    ("output", "expected", "passed"),
    [
        ("I think it is Positive overall.", "positive", True),
        ("The answer:  new\nyork", "New York!", True),
        ("negative", "positive", False),
        ("", "positive", False),
        ("anything", "", False),
        ("", "", True),
    ],
)
def test_contains(output: str, expected: str, passed: bool) -> None:
    assert score("contains", output, expected) is passed


def test_regex() -> None:
    assert score("regex", "Answer: 42", "", pattern=r"\b42\b")
    assert not score("regex", "Answer: 420", "", pattern=r"\b42\b")
    assert score("regex", "yes, definitely", "^yes")  # expected used as the pattern when none is given
    assert not score("regex", "Yes", "^yes")
    with pytest.raises(ValueError, match=r"regular expression '\(unclosed' is not valid.*position"):
        score("regex", "x", "", pattern="(unclosed")


@pytest.mark.parametrize(
    ("output", "letter"),
    [
        ("B", "B"),
        ("(B)", "B"),
        ("B)", "B"),
        ("Answer: B", "B"),
        ("b.", "B"),
        ("b", "B"),
        (" c \n", "C"),
        ("The answer is (d) because", "D"),
        ("a) first", "A"),
        ("I think it's C, not D", "C"),
        ("E", "E"),
        ("F", None),
        ("a good question", None),
        ("e.g. nothing", None),
        ("Absolutely", None),
        ("", None),
    ],
)
def test_extract_choice(output: str, letter: str | None) -> None:
    assert extract_choice(output) == letter


@pytest.mark.parametrize(
    ("output", "expected", "passed"),
    [("B", "B", True), ("(b)", "B", True), ("Answer: C", "c", True), ("A", "(A)", True), ("A", "B", False),
     ("no idea", "B", False), ("no idea", "", False), ("D) Seven", "D) Seven", True)],
)
def test_choice(output: str, expected: str, passed: bool) -> None:
    assert score("choice", output, expected) is passed


def test_unknown_rule() -> None:
    with pytest.raises(ValueError, match="Unknown scoring rule 'fuzzy'"):
        score("fuzzy", "a", "a")


def _result(line: int, passed: bool, prompt: int = 100, evaluated: int = 10) -> ItemResult:
    return ItemResult(line, f"in {line}", "positive", "positive" if passed else "negative", passed,
                      prompt, evaluated, 2, 0.25)


def _run(results: list[ItemResult]) -> EvalRun:
    return EvalRun(
        template_name="Sentiment", template_version=3, model_path="/m/model.gguf", model_sha256="ab" * 32,
        sampling={"temperature": 0.0, "top_p": 1.0}, seed=42, shots=4, rule="normalized", data_path="/d/test.csv",
        results=results, started_at="2025-01-01T12:00:00", completed=True,
    )


def test_eval_run_totals() -> None:
    run = _run([_result(2, True, 100, 100), _result(3, False, 104, 4), _result(4, True, 98, 2)])
    assert run.accuracy == pytest.approx(2 / 3)
    assert run.passed == 2
    assert run.prompt_tokens == 302 and run.evaluated_prompt_tokens == 106
    empty = _run([])
    assert empty.accuracy == 0.0 and empty.prompt_tokens == 0 and empty.evaluated_prompt_tokens == 0


def test_eval_run_to_json_and_write_json(tmp_path: Path) -> None:
    run = _run([_result(2, True), _result(3, False)])
    data = run.to_json()
    assert data["accuracy"] == 0.5 and data["total"] == 2 and data["passed"] == 1
    assert data["template_version"] == 3 and data["seed"] == 42 and data["sampling"]["temperature"] == 0.0
    assert data["results"][1] == {
        "line": 3, "input": "in 3", "expected": "positive", "output": "negative", "passed": False,
        "prompt_tokens": 100, "evaluated_tokens": 10, "generated_tokens": 2, "seconds": 0.25,
        "prompt": "", "probabilities": {}, "margin": None, "variables": {},
    }
    assert data["schema_version"] == 2 and data["accuracy_ci95"] == pytest.approx([0.0945, 0.9055], abs=1e-4)
    path = tmp_path / "run.json"
    run.write_json(path)
    assert json.loads(path.read_text(encoding="utf-8")) == data
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]


def test_eval_run_write_csv(tmp_path: Path) -> None:
    run = _run([ItemResult(2, 'He said "hi",\nthen caf\u00e9', "yes", "no", False, 5, 5, 1, 0.5)])
    path = tmp_path / "run.csv"
    run.write_csv(path)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["line", "input", "expected", "output", "passed", "prompt_tokens", "evaluated_tokens",
                       "generated_tokens", "seconds"]
    assert rows[1] == ["2", 'He said "hi",\nthen caf\u00e9', "yes", "no", "false", "5", "5", "1", "0.5"]
    with pytest.raises(OSError):
        run.write_csv(tmp_path / "missing" / "run.csv")


def test_file_sha256(tmp_path: Path) -> None:
    data = bytes(range(256)) * 9000  # > 1 MiB so several chunks are read
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert file_sha256(empty) == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(
    ("max_shots", "shots"),
    [(8, [0, 1, 2, 4, 8]), (6, [0, 1, 2, 4, 6]), (0, [0]), (-3, [0]), (1, [0, 1]), (2, [0, 1, 2]),
     (3, [0, 1, 2, 3]), (20, [0, 1, 2, 4, 8, 16, 20])],
)
def test_sweep_shots(max_shots: int, shots: list[int]) -> None:
    assert sweep_shots(max_shots) == shots


def test_csv_export_cannot_carry_a_spreadsheet_formula(tmp_path: Path) -> None:
    """A model's answer or a test input like =HYPERLINK(…) must open in a spreadsheet as text, not run."""
    run = _run([ItemResult(2, "@SUM(A1:A9)", "+1", '=HYPERLINK("http://x","click")', False, 5, 5, 1, 0.5),
                ItemResult(3, "-2 degrees", "\tcmd", "fine", True, 5, 5, 1, 0.5)])
    path = tmp_path / "run.csv"
    run.write_csv(path)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1][1:4] == ["'@SUM(A1:A9)", "'+1", "'=HYPERLINK(\"http://x\",\"click\")"]
    assert rows[2][1:4] == ["'-2 degrees", "'\tcmd", "fine"]
