"""Unit tests for the test-set formats of other tools (core.fewshot): OpenAI Evals JSONL, promptfoo CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.fewshot.dataset import (
    FORMAT_NAMES,
    ColumnMapping,
    DataError,
    DataRow,
    Dataset,
    TestItem,
    guess_mapping,
    read_table,
    to_test_items,
)
from desktop.core.fewshot.scoring import RULES
from desktop.core.fewshot.template import FewShotTemplate


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _jsonl(tmp_path: Path, *rows: object, name: str = "eval.jsonl") -> Path:
    return _write(tmp_path, name, "".join(json.dumps(row) + "\n" for row in rows))


def _message(role: str, content: str, **extra: str) -> dict[str, str]:
    return {"role": role, "content": content, **extra}


# --- OpenAI Evals JSONL ------------------------------------------------------------------

CAPITALS = [
    {
        "input": [
            _message("system", "Answer with the city name only."),
            _message("user", "Capital of Italy?"),
            _message("assistant", "Rome"),
            _message("user", "Capital of Spain?"),
            _message("assistant", "Madrid"),
            _message("user", "Capital of France?"),
        ],
        "ideal": ["Paris", "Paris, France", "Paris"],
        "id": 7,
    },
    {
        "input": [
            _message("system", "Answer with the city name only."),
            _message("system", "Capital of Peru?", name="example_user"),
            _message("system", "Lima", name="example_assistant"),
            _message("user", "Capital of Japan?"),
        ],
        "ideal": "Tokyo",
        "id": 8,
    },
    {},
    {"input": [_message("user", "Capital of Kenya?")], "ideal": ["Nairobi"], "id": 9},
    {"input": "Capital of Chile?", "ideal": 42, "difficulty": "easy"},
]


def test_evals_rows_are_flattened_to_text_columns(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, *CAPITALS)
    data = read_table(path)
    assert (data.format, data.format_name, data.expected_column) == ("openai-evals", "OpenAI Evals JSONL", "ideal")
    assert data.columns == ["input", "system", "context", "ideal", "id", "difficulty"]
    assert data.skipped_empty == 1
    system = "Answer with the city name only."
    assert data.rows == [
        DataRow(1, {"input": "Capital of France?", "system": system,
                    "context": "User: Capital of Italy?\nAssistant: Rome\nUser: Capital of Spain?\nAssistant: Madrid",
                    "ideal": "Paris", "id": "7"}, accepted=("Paris, France",)),
        DataRow(2, {"input": "Capital of Japan?", "system": system,
                    "context": "User: Capital of Peru?\nAssistant: Lima", "ideal": "Tokyo", "id": "8"}),
        DataRow(4, {"input": "Capital of Kenya?", "system": "", "context": "", "ideal": "Nairobi", "id": "9"}),
        DataRow(5, {"input": "Capital of Chile?", "system": "", "context": "", "ideal": "42",
                    "difficulty": "easy"}),
    ]
    assert all(row.rule is None and row.pattern is None for row in data.rows)


def test_evals_mapping_and_test_items(tmp_path: Path) -> None:
    data = read_table(_jsonl(tmp_path, *CAPITALS))
    mapping = guess_mapping(data.columns)
    assert mapping == ColumnMapping("input", "ideal")
    # {system} and {context} find their columns by name, like any other template variable.
    items = to_test_items(data, mapping, FewShotTemplate(query_template="{system}\n{context}\nQ: {input}"))
    assert [item.expected for item in items] == ["Paris", "Tokyo", "Nairobi", "42"]
    assert items[0] == TestItem(1, {"input": "Capital of France?", "system": "Answer with the city name only.",
                                    "context": data.rows[0].values["context"]},
                                "Paris", accepted=("Paris, France",))
    assert [item.accepted for item in items[1:]] == [(), (), ()]
    assert all(item.rule is None for item in items)


def test_evals_without_system_or_earlier_turns_adds_no_such_columns(tmp_path: Path) -> None:
    data = read_table(_jsonl(tmp_path, {"input": [_message("user", "2+2?")], "ideal": "4"},
                             {"input": "3+3?", "ideal": ["6", "six"]}))
    assert data.columns == ["input", "ideal"]
    assert data.rows == [DataRow(1, {"input": "2+2?", "ideal": "4"}),
                         DataRow(2, {"input": "3+3?", "ideal": "6"}, accepted=("six",))]


def test_evals_developer_role_and_string_input_rows_without_ideal_key_first(tmp_path: Path) -> None:
    # Detected from the message list alone; "developer" is OpenAI's newer name for the system role.
    data = read_table(_jsonl(tmp_path, {"input": [_message("developer", "Be brief."), _message("User", "Hi")],
                                        "ideal": "Hello"}))
    assert data.format == "openai-evals"
    assert data.rows[0].values == {"input": "Hi", "system": "Be brief.", "ideal": "Hello"}


_USER = _message("user", "Q?")


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        ({"input": [_message("system", "s")], "ideal": "x"}, r"no user message"),
        ({"input": [_message("system", "s"), _message("assistant", "a")], "ideal": "x"}, r"no user message"),
        ({"input": [{"content": "Q?"}], "ideal": "x"}, r"message 1 of \u201cinput\u201d has no role"),
        ({"input": [_USER, {"role": "user"}], "ideal": "x"}, r"message 2 of \u201cinput\u201d has no content text"),
        ({"input": [_USER, {"role": "user", "content": ["Q?"]}], "ideal": "x"}, r"message 2 .* no content text"),
        ({"input": [_USER, "Q?"], "ideal": "x"}, r"message 2 of \u201cinput\u201d is text, not a message"),
        ({"input": [_message("tool", "t"), _USER], "ideal": "x"}, r"message 1 .* role \u201ctool\u201d"),
        ({"input": [_USER, _message("assistant", "A")], "ideal": "x"}, r"message 2 .* after the last user message"),
        ({"input": [_USER]}, r"no \u201cideal\u201d answer"),
        ({"input": [_USER], "ideal": ""}, r"\u201cideal\u201d is empty"),
        ({"input": [_USER], "ideal": "  "}, r"\u201cideal\u201d is empty"),
        ({"input": [_USER], "ideal": []}, r"\u201cideal\u201d is an empty list"),
        ({"input": [_USER], "ideal": None}, r"\u201cideal\u201d is null, not text"),
        ({"input": [_USER], "ideal": {"a": 1}}, r"\u201cideal\u201d is an object, not text"),
        ({"input": [_USER], "ideal": ["ok", ["x"]]}, r"answer 2 of \u201cideal\u201d is a list, not text"),
        ({"input": [_USER], "ideal": ["ok", ""]}, r"answer 2 of \u201cideal\u201d is empty"),
        ({"input": [_USER], "ideal": True}, r"\u201cideal\u201d is true/false, not text"),
        ({"ideal": "x", "question": "Q?"}, r"no \u201cinput\u201d"),
        ({"input": {"role": "user"}, "ideal": "x"}, r"\u201cinput\u201d is an object.*list of messages"),
        ({"input": [_USER], "ideal": "x", "context": "c"}, r"field \u201ccontext\u201d clashes"),
        ({"input": [_USER], "ideal": "x", "meta": {"a": 1}}, r"field \u201cmeta\u201d: expected text or a number"),
    ],
)
def test_evals_errors_name_the_file_line_and_fix(tmp_path: Path, row: dict[str, object], needle: str) -> None:
    good = {"input": [_message("user", "Fine?")], "ideal": "yes"}
    with pytest.raises(DataError, match=r"^eval\.jsonl, line 3[,:] .*" + needle):
        read_table(_jsonl(tmp_path, good, {}, row))


def test_evals_error_messages_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DataError) as missing:
        read_table(_jsonl(tmp_path, {"input": [_USER]}))
    assert 'Add "ideal"' in str(missing.value)
    with pytest.raises(DataError) as no_user:
        read_table(_jsonl(tmp_path, {"input": [_message("system", "s")], "ideal": "x"}))
    assert '{"role": "user", "content": "..."}' in str(no_user.value)


# --- promptfoo CSV ----------------------------------------------------------------------

PROMPTFOO = (
    "question,__expected,__expected2,__description,__prefix,__metric,__threshold,__config\n"
    "Capital of France?,equals:Paris,equals:Paris.,exact city,You are a geographer.,geo,0.5,{}\n"
    "Largest planet?,contains:Jupiter,,mentions it,,geo,,\n"
    "Boiling point of water?,icontains:100,icontains:212,either scale,,,,\n"
    '"Year the Berlin Wall fell, as digits?",regex:\\b1989\\b,regex:^89$,a regex,,,,\n'
    "Colour of the sky?,blue,sky blue,plain answers,,,,\n"
    "Say nothing,,,no check,,,,\n"
    "Answer with a letter: A or B?,Answer: B,,prefix-like plain text,,,,\n"
)


def test_promptfoo_checks_become_rules(tmp_path: Path) -> None:
    data = read_table(_write(tmp_path, "tests.csv", PROMPTFOO))
    assert (data.format, data.format_name, data.expected_column) == ("promptfoo", "promptfoo test CSV", "__expected")
    assert data.columns == ["question", "__expected", "__description"]
    assert [(r.values["__expected"], r.rule, r.pattern, r.accepted) for r in data.rows] == [
        ("Paris", "exact", None, ("Paris.",)),
        ("Jupiter", "contains", None, ()),
        ("100", "contains", None, ("212",)),
        ("\\b1989\\b", "regex", "\\b1989\\b", ("^89$",)),
        ("blue", None, None, ("sky blue",)),
        ("", None, None, ()),
        ("Answer: B", None, None, ()),
    ]
    assert data.rows[0].values == {"question": "Capital of France?", "__expected": "Paris",
                                   "__description": "exact city"}
    assert {r.rule for r in data.rows} - {None} <= set(RULES)


def test_promptfoo_mapping_and_test_items(tmp_path: Path) -> None:
    data = read_table(_write(tmp_path, "tests.csv", PROMPTFOO))
    mapping = guess_mapping(data.columns)
    assert mapping == ColumnMapping("question", "__expected")
    items = to_test_items(data, mapping, FewShotTemplate())
    assert items[0] == TestItem(2, {"input": "Capital of France?"}, "Paris", "exact", None, ("Paris.",))
    assert items[3] == TestItem(5, {"input": "Year the Berlin Wall fell, as digits?"}, "\\b1989\\b",
                                "regex", "\\b1989\\b", ("^89$",))
    assert (items[4].rule, items[4].accepted) == (None, ("sky blue",))
    assert [item.rule for item in items] == ["exact", "contains", "contains", "regex", None, None, None]


def test_row_scoring_data_is_ignored_for_another_expected_column(tmp_path: Path) -> None:
    data = read_table(_write(tmp_path, "tests.csv", PROMPTFOO))
    items = to_test_items(data, ColumnMapping("question", "__description"), FewShotTemplate())
    assert items[0] == TestItem(2, {"input": "Capital of France?"}, "exact city")
    assert all(item.rule is None and item.pattern is None and item.accepted == () for item in items)
    unscored = to_test_items(data, ColumnMapping("question"), FewShotTemplate())
    assert all(item.rule is None and item.accepted == () and item.expected == "" for item in unscored)


def test_promptfoo_tsv_and_numbered_expected_columns_only(tmp_path: Path) -> None:
    text = "__description\ttopic\t__expected1\t__expected2\t__suffix\nx\tcats\tcontains:cat\tcontains:kitten\t!\n"
    data = read_table(_write(tmp_path, "tests.tsv", text))
    assert (data.format, data.expected_column, data.columns) == ("promptfoo", "__expected1",
                                                                 ["__description", "topic", "__expected1"])
    assert data.rows == [DataRow(2, {"__description": "x", "topic": "cats", "__expected1": "cat"},
                                 "contains", None, ("kitten",))]
    assert guess_mapping(data.columns) == ColumnMapping("topic", "__expected1")


@pytest.mark.parametrize(
    "cell",
    ["Answer: B", "http://example.com", "human", "cost", "12:30", "Note: none", "contains", "Contains:x", "pi"],
)
def test_promptfoo_plain_answers_that_look_like_checks(tmp_path: Path, cell: str) -> None:
    data = read_table(_write(tmp_path, "t.csv", f'q,__expected\nquestion,"{cell}"\n'))
    assert (data.rows[0].values["__expected"], data.rows[0].rule) == (cell, None)


@pytest.mark.parametrize(
    ("cell", "prefix"),
    [
        ("javascript:output.length < 10", "javascript:"),
        ("python:file://check.py", "python:"),
        ("similar(0.8):greetings", "similar(0.8):"),
        ("similar:greetings", "similar:"),
        ("llm-rubric:is polite", "llm-rubric:"),
        ("grade:is polite", "grade:"),
        ("fn:output.includes('a')", "fn:"),
        ("file://assert.js", "file:"),
        ("not-contains:sorry", "not-contains:"),
        ("starts-with:Yes", "starts-with:"),
        ("contains-any:a,b", "contains-any:"),
        ("not-equals:x", "not-equals:"),
        ("contains(0.5):x", "contains(0.5):"),
        ("is-json", "is-json"),
    ],
)
def test_promptfoo_unsupported_check_is_an_error(tmp_path: Path, cell: str, prefix: str) -> None:
    path = _write(tmp_path, "tests.csv", f'q,__expected\nfine,equals:ok\n\nquestion,"{cell}"\n')
    with pytest.raises(DataError) as caught:
        read_table(path)
    message = str(caught.value)
    assert message.startswith("tests.csv, line 4, column \u201c__expected\u201d: ")
    assert f"\u201c{prefix}\u201d" in message
    assert "equals:, contains:, icontains:, regex:" in message


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        ("q,equals:,", r"column \u201c__expected\u201d: nothing after \u201cequals:\u201d"),
        ("q,contains:  ,", r"nothing after \u201ccontains:\u201d"),
        ('q,"regex:(unclosed",', r"column \u201c__expected\u201d: The regular expression .* not valid"),
        ("q,regex:a,regex:(", r"column \u201c__expected2\u201d: The regular expression"),
        ("q,equals:a,contains:a", r"\u201c__expected2\u201d \(contains:\) is checked differently .*\(equals:\)"),
        ("q,a,regex:a", r"\(regex:\) is checked differently .*\(no prefix\)"),
        ("q,,b", r"\u201c__expected2\u201d has an answer but \u201c__expected\u201d is empty"),
        ("q,b,python:x", r"column \u201c__expected2\u201d: the promptfoo check \u201cpython:\u201d"),
    ],
)
def test_promptfoo_cell_errors(tmp_path: Path, row: str, needle: str) -> None:
    with pytest.raises(DataError, match=r"^tests\.csv, line 2[,:] .*" + needle):
        read_table(_write(tmp_path, "tests.csv", f"q,__expected,__expected2\n{row}\n"))


def test_promptfoo_contains_and_icontains_are_alternatives_of_each_other(tmp_path: Path) -> None:
    data = read_table(_write(tmp_path, "t.csv", "q,__expected,__expected2\nx,contains:cat,icontains:Cat\n"))
    assert (data.rows[0].rule, data.rows[0].accepted) == ("contains", ("Cat",))


def test_promptfoo_header_only_has_no_rows(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"t\.csv has no data rows"):
        read_table(_write(tmp_path, "t.csv", "q,__expected\n"))


# --- the plain formats are unchanged ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("d.csv", "text,label,__description\nhi,greet,x\n", "csv"),
        ("d.tsv", "text\tlabel\nhi\tgreet\n", "tsv"),
        ("d.jsonl", '{"text": "hi", "label": "greet"}\n', "jsonl"),
        ("d.jsonl", '{}\n{"input": "hi", "label": "greet", "ideal_ish": "x"}\n', "jsonl"),
    ],
)
def test_plain_tables_have_no_scoring_data(tmp_path: Path, name: str, text: str, fmt: str) -> None:
    data = read_table(_write(tmp_path, name, text))
    assert (data.format, data.format_name, data.expected_column) == (fmt, FORMAT_NAMES[fmt], None)
    assert all(r.rule is None and r.pattern is None and r.accepted == () for r in data.rows)
    items = to_test_items(data, guess_mapping(data.columns), FewShotTemplate())
    assert items == [TestItem(data.rows[0].line, {"input": "hi"}, "greet")]


def test_plain_jsonl_with_a_list_field_still_fails_as_before(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"line 2, field \u201ctags\u201d: expected text or a number, not a list"):
        read_table(_write(tmp_path, "d.jsonl", '{"input": "a", "label": "x"}\n{"input": "b", "tags": ["x"]}\n'))
    with pytest.raises(DataError, match=r"line 1, field \u201cinput\u201d: .* not a list"):
        read_table(_write(tmp_path, "d.jsonl", '{"input": ["a", "b"], "label": "x"}\n'))


def test_hand_made_dataset_defaults() -> None:
    data = Dataset(None, ["input"], [DataRow(1, {"input": "a"})])
    assert (data.format, data.format_name, data.expected_column) == ("", "", None)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["input", "system", "context", "ideal"], ColumnMapping("input", "ideal")),
        (["input", "ideal", "answer"], ColumnMapping("input", "ideal")),
        (["question", "answer", "__expected", "__description"], ColumnMapping("question", "__expected")),
        (["__expected", "__description", "topic"], ColumnMapping("topic", "__expected")),
        (["ideal", "prompt_text"], ColumnMapping("prompt_text", "ideal")),
        (["__expected"], ColumnMapping("__expected", None)),
    ],
)
def test_guess_mapping_for_format_columns(columns: list[str], expected: ColumnMapping) -> None:
    assert guess_mapping(columns) == expected
