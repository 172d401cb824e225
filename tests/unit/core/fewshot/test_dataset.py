"""Unit tests for desktop.core.fewshot.dataset (pure Python, no Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.fewshot.dataset import (
    ColumnMapping,
    DataError,
    DataRow,
    Dataset,
    TestItem,
    guess_mapping,
    read_table,
    to_examples,
    to_test_items,
    write_table,
)
from desktop.core.fewshot.template import Example, FewShotTemplate


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


# --- reading -------------------------------------------------------------------------


def test_read_csv_with_quotes_and_line_numbers(tmp_path: Path) -> None:
    path = _write(tmp_path, "d.csv", 'text,label\r\n"Hello, world",greet\r\n"two\nlines",multi\r\nbye,farewell\r\n')
    data = read_table(path)
    assert data.columns == ["text", "label"] and data.path == path and data.skipped_empty == 0
    assert data.rows == [
        DataRow(2, {"text": "Hello, world", "label": "greet"}),
        DataRow(3, {"text": "two\nlines", "label": "multi"}),
        DataRow(5, {"text": "bye", "label": "farewell"}),
    ]


def test_read_tsv_and_uppercase_suffix(tmp_path: Path) -> None:
    data = read_table(_write(tmp_path, "D.TSV", "premise\thypothesis\tlabel\na, b\tc\tneutral\n"))
    assert data.columns == ["premise", "hypothesis", "label"]
    assert data.rows[0].values == {"premise": "a, b", "hypothesis": "c", "label": "neutral"}


def test_read_jsonl(tmp_path: Path) -> None:
    text = '{"input": "a\u2028b", "n": 3, "ok": true}\n\n{"input": "c", "none": null, "x": 1.5}\n'
    data = read_table(_write(tmp_path, "d.jsonl", text))
    assert data.columns == ["input", "n", "ok", "none", "x"]
    assert data.rows == [
        DataRow(1, {"input": "a\u2028b", "n": "3", "ok": "true"}),
        DataRow(3, {"input": "c", "none": "", "x": "1.5"}),
    ]


def test_utf8_bom_is_ignored(tmp_path: Path) -> None:
    data = read_table(_write(tmp_path, "d.csv", "\ufeffreview,sentiment\ncaf\u00e9,positive\n".encode()))
    assert data.columns == ["review", "sentiment"] and data.rows[0].values["review"] == "caf\u00e9"
    jsonl = read_table(_write(tmp_path, "d.jsonl", '\ufeff{"input": "x"}\n'.encode()))
    assert jsonl.rows[0].values == {"input": "x"}


def test_latin1_file_suggests_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path, "d.csv", "text,label\nok,1\ncaf\u00e9,2\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"d\.csv, line 3: .*UTF-8"):
        read_table(path)


def test_empty_rows_skipped_and_counted(tmp_path: Path) -> None:
    data = read_table(_write(tmp_path, "d.csv", "\na,b\n1,2\n\n , \n,\n3,4\n"))
    assert [r.line for r in data.rows] == [3, 7] and data.skipped_empty == 3
    jsonl = read_table(_write(tmp_path, "d.jsonl", '{"a": "1"}\n{}\n{"a": " "}\n  \n{"a": "2"}\n'))
    assert [r.line for r in jsonl.rows] == [1, 5] and jsonl.skipped_empty == 2


def test_trailing_empty_cells_are_tolerated(tmp_path: Path) -> None:
    data = read_table(_write(tmp_path, "d.csv", "a,b\n1,2,,\n"))
    assert data.rows[0].values == {"a": "1", "b": "2"}


@pytest.mark.parametrize(
    ("name", "text", "needle"),
    [
        ("d.jsonl", '{"a": 1}\n{"a": 2,}\n', r"d\.jsonl, line 2: not valid JSON"),
        ("d.jsonl", '{"a": 1}\n[1, 2]\n', r"line 2: expected a JSON object"),
        ("d.jsonl", '{"a": [1]}\n', r"line 1, field \u201ca\u201d"),
        ("d.csv", "a,b\n1,2\n3\n", r"d\.csv, line 3: 1 values but the header has 2 columns"),
        ("d.csv", "a,b\n1,2,3\n", r"line 2: 3 values"),
        ("d.tsv", "a\tb\nx\n", r"missing or extra tab"),
        ("d.csv", 'a,b\n1,2\n"open,3\n4,5\n', r"line 3: cannot read this row.*quotes"),
        ("d.csv", "a,,c\n1,2,3\n", r"column 2 of the header has no name"),
        ("d.csv", "a,b,a\n1,2,3\n", r"\u201ca\u201d appears twice"),
        ("d.csv", "", r"d\.csv is empty"),
        ("d.jsonl", "\n  \n", r"is empty"),
        ("d.csv", "a,b\n\n", r"no data rows"),
        ("d.xlsx", "a,b\n1,2\n", r"unsupported file type.*\.csv, \.tsv or \.jsonl"),
        ("data", "a,b\n1,2\n", r"no extension"),
    ],
)
def test_read_errors(tmp_path: Path, name: str, text: str, needle: str) -> None:
    with pytest.raises(DataError, match=needle):
        read_table(_write(tmp_path, name, text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="Could not read"):
        read_table(tmp_path / "nope.csv")


# --- writing -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl"])
def test_write_table_round_trip(tmp_path: Path, suffix: str) -> None:
    rows: list[dict[str, object]] = [
        {"input": 'She said "hi", then\tleft\nquickly', "label": "x"},
        {"input": "caf\u00e9 \u2028 ok", "label": 3},
        {"input": "no label"},
    ]
    path = tmp_path / f"out{suffix}"
    write_table(path, ["input", "label"], rows)
    data = read_table(path)
    assert data.columns == ["input", "label"]
    assert [r.values for r in data.rows] == [
        {"input": 'She said "hi", then\tleft\nquickly', "label": "x"},
        {"input": "caf\u00e9 \u2028 ok", "label": "3"},
        {"input": "no label", "label": ""},
    ]


def test_write_table_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="unsupported"):
        write_table(tmp_path / "x.txt", ["a"], [])
    with pytest.raises(DataError, match="Could not write"):
        write_table(tmp_path / "missing" / "x.csv", ["a"], [])


# --- mapping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["review", "sentiment"], ColumnMapping("review", "sentiment")),
        (["premise", "hypothesis", "label"], ColumnMapping("premise", "label")),
        (["id", "Question", "Answer"], ColumnMapping("Question", "Answer")),
        (["prompt", "text", "target"], ColumnMapping("text", "target")),
        (["a", "b"], ColumnMapping("a", "b")),  # two plain columns: input, then answer
        (["output", "input"], ColumnMapping("input", "output")),
        (["label"], ColumnMapping("label", None)),
    ],
)
def test_guess_mapping(columns: list[str], expected: ColumnMapping) -> None:
    assert guess_mapping(columns) == expected


def test_guess_mapping_no_columns() -> None:
    with pytest.raises(DataError):
        guess_mapping([])


def _dataset(*rows: dict[str, str], columns: list[str] | None = None) -> Dataset:
    cols = columns or list(rows[0])
    return Dataset(Path("pairs.csv"), cols, [DataRow(i + 2, r) for i, r in enumerate(rows)])


def test_to_examples() -> None:
    data = _dataset({"q": "a", "a": "b", "h": "c"}, {"q": "d", "a": "e", "h": "f"})
    assert to_examples(data, ColumnMapping("q", "a", {"hyp": "h"})) == [
        Example("a", "b", variables={"hyp": "c"}),
        Example("d", "e", variables={"hyp": "f"}),
    ]
    with pytest.raises(DataError, match="answers"):
        to_examples(data, ColumnMapping("q"))
    with pytest.raises(DataError, match=r"no column \u201czz\u201d.*q, a, h"):
        to_examples(data, ColumnMapping("q", "zz"))
    with pytest.raises(DataError, match=r"no column \u201czz\u201d"):
        to_examples(data, ColumnMapping("zz", "a"))


def test_to_test_items_matches_variables_by_column_name() -> None:
    template = FewShotTemplate(query_template="{input} / {hypothesis} / {Other}")
    data = _dataset({"premise": "p", "hypothesis": "h", "other": "o", "label": "yes"})
    items = to_test_items(data, guess_mapping(data.columns), template)
    assert items == [TestItem(2, {"input": "p", "hypothesis": "h", "Other": "o"}, "yes")]
    mapped = to_test_items(data, ColumnMapping("premise", None, {"hypothesis": "other", "Other": "label"}), template)
    assert mapped == [TestItem(2, {"input": "p", "hypothesis": "o", "Other": "yes"}, "")]


def test_to_test_items_errors() -> None:
    data = _dataset({"input": "p", "label": "yes"})
    with pytest.raises(DataError, match=r"uses \{hypothesis\} but pairs\.csv has no \u201chypothesis\u201d column"):
        to_test_items(data, ColumnMapping("input", "label"), FewShotTemplate(query_template="{input} {hypothesis}"))
    with pytest.raises(DataError, match=r"no column \u201cmissing\u201d"):
        to_test_items(data, ColumnMapping("missing", "label"), FewShotTemplate())
    with pytest.raises(DataError, match=r"no column \u201cmissing\u201d"):
        to_test_items(data, ColumnMapping("input", "missing"), FewShotTemplate())
    with pytest.raises(DataError, match=r"no column \u201cmissing\u201d"):
        to_test_items(data, ColumnMapping("input", "label", {"x": "missing"}), FewShotTemplate())


def test_to_test_items_jsonl_row_without_a_key(tmp_path: Path) -> None:
    data = read_table(_write(tmp_path, "d.jsonl", '{"input": "a", "label": "x"}\n{"input": "b"}\n'))
    with pytest.raises(DataError, match=r"d\.jsonl, line 2: no value for \u201clabel\u201d"):
        to_test_items(data, guess_mapping(data.columns), FewShotTemplate())


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_exported_examples_cannot_carry_a_formula_and_still_round_trip(tmp_path: Path, suffix: str) -> None:
    rows = [{"input": "=1+1", "label": "@positive"}, {"input": "-3 is cold", "label": "+"},
            {"input": "ok", "label": "x"}]
    path = tmp_path / f"examples{suffix}"
    write_table(path, ["input", "label"], rows)
    text = path.read_text(encoding="utf-8")
    assert "'=1+1" in text and "'@positive" in text and "'-3 is cold" in text
    assert [r.values for r in read_table(path).rows] == rows  # Parley reads its own guard back off
