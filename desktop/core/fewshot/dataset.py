"""Read and write the small tables (CSV, TSV, JSONL) that hold few-shot examples and test sets.

Test sets made for other tools come in as the same tables: an OpenAI Evals JSONL file is flattened to text
columns, and a promptfoo CSV's ``__expected`` checks become per-row scoring rules (DataRow.rule/pattern/accepted).

Every problem a person can cause is a DataError naming the file and line, because these files are often
hand-made in a spreadsheet or editor and the fix is always in the file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.fewshot.formats import PROMPTFOO_EXPECTED, cell_text, filled, is_evals_row, read_evals, read_promptfoo
from desktop.core.fewshot.rows import FORMAT_NAMES, DataError, DataRow, Dataset, TestItem
from desktop.core.fewshot.template import Example, FewShotTemplate
from desktop.core.files import from_spreadsheet_safe, spreadsheet_safe, write_text_atomic
from desktop.core.i18n import translate
from desktop.core.os_reason import os_reason

__all__ = [
    "FORMAT_NAMES", "SUFFIXES", "ColumnMapping", "DataError", "DataRow", "Dataset", "TestItem", "guess_mapping",
    "read_table", "to_examples", "to_test_items", "write_table",
]

SUFFIXES = (".csv", ".tsv", ".jsonl")

_INPUT_NAMES = ("input", "text", "review", "sentence", "question", "premise", "prompt")
# The format columns come first: in a file that has them they are the answers, whatever else it holds.
_EXPECTED_NAMES = ("ideal", "__expected", "__expected1",
                   "label", "output", "expected", "answer", "target", "sentiment")
_NOT_INPUT_NAMES = ("ideal", "__expected", "__expected1", "__description")


def _name(path: Path | None) -> str:
    return path.name if path is not None else translate("DataError", "The data")


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        shown = f"\u201c{path.suffix}\u201d" if path.suffix else translate("DataError", "no extension")
        raise DataError(translate("DataError", "{file}: unsupported file type ({suffix}). Use a .csv, .tsv or .jsonl "
                                  "file.").format(file=path.name, suffix=shown))
    return suffix


def read_table(path: Path) -> Dataset:
    """Columns and non-empty rows of a .csv / .tsv / .jsonl file (UTF-8, with or without BOM).

    OpenAI Evals JSONL and promptfoo CSV/TSV files are recognised by their content and flattened to the same
    text columns; Dataset.format says which reading was used.
    """
    path = Path(path)
    suffix = _suffix(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(translate("DataError", "Could not read {path}: {error}.").format(
            path=path, error=os_reason(exc))) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(translate(
            "DataError", "{file}, line {line}: the file is not UTF-8 text. Save it as UTF-8 "
            "(in Excel: \u201cCSV UTF-8\u201d; in an editor: encoding UTF-8) and open it again."
        ).format(file=path.name, line=line)) from exc
    if not text.strip():
        raise DataError(translate("DataError", "{file} is empty. Add a header line and at least one row.").format(
            file=path.name))
    if suffix == ".jsonl":
        data = _read_jsonl(path, text)
    else:
        data = _read_delimited(path, text, "\t" if suffix == ".tsv" else ",")
        if any(PROMPTFOO_EXPECTED.fullmatch(column) for column in data.columns):
            data = read_promptfoo(path, data)
    if not data.rows:
        raise DataError(translate("DataError", "{file} has no data rows (only a header or empty lines). Add at least "
                                  "one row.").format(file=path.name))
    return data


def _read_delimited(path: Path, text: str, delimiter: str) -> Dataset:
    kind = translate("DataError", "tab") if delimiter == "\t" else translate("DataError", "comma")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    columns: list[str] | None = None
    rows: list[DataRow] = []
    skipped = 0
    line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataError(translate(
                "DataError", "{file}, line {line}: cannot read this row ({error}). Check its quotes: text containing "
                "quotes or a {kind} must be wrapped in double quotes, with inner quotes doubled (\"\")."
            ).format(file=path.name, line=line, error=exc, kind=kind)) from exc
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            if columns is not None:
                skipped += 1
            continue
        if columns is None:
            columns = [cell.strip() for cell in record]
            _check_header(path, columns, start)
            continue
        if len(record) > len(columns) and not any(c.strip() for c in record[len(columns):]):
            record = record[: len(columns)]  # trailing empty cells, as spreadsheets often add
        if len(record) != len(columns):
            raise DataError(translate(
                "DataError", "{file}, line {line}: {values} values but the header has {columns} columns. "
                "Check for a missing or extra {kind}, or put text containing one in double quotes."
            ).format(file=path.name, line=start, values=len(record), columns=len(columns), kind=kind))
        rows.append(DataRow(start, {c: from_spreadsheet_safe(v) for c, v in zip(columns, record, strict=True)}))
    return Dataset(path, columns or [], rows, skipped, "tsv" if delimiter == "\t" else "csv")


def _check_header(path: Path, columns: list[str], line: int) -> None:
    for i, column in enumerate(columns, 1):
        if not column:
            raise DataError(translate("DataError", "{file}, line {line}: column {index} of the header has no name. "
                                      "Name every column.").format(file=path.name, line=line, index=i))
        if columns.index(column) != i - 1:
            raise DataError(translate("DataError", "{file}, line {line}: the column name \u201c{column}\u201d appears "
                                      "twice. Give every column a different name.").format(
                file=path.name, line=line, column=column))


def _read_jsonl(path: Path, text: str) -> Dataset:
    objects: list[tuple[int, dict[str, object]]] = []
    # split("\n"), not splitlines(): JSON strings may contain U+2028 and friends, which are not line ends here.
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if not stripped:
            continue
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise DataError(translate("DataError", "{file}, line {line}: not valid JSON ({error}, column {column}). "
                                      "Each line must be one JSON object.").format(
                file=path.name, line=number, error=exc.msg, column=exc.colno)) from exc
        except RecursionError as exc:
            raise DataError(translate("DataError", "{file}, line {line}: nested too deeply. Each line must be one "
                                      "flat JSON object of text values.").format(file=path.name, line=number)) from exc
        if not isinstance(obj, dict):
            raise DataError(translate("DataError", "{file}, line {line}: expected a JSON object such as {example}, "
                                      "not {kind}.").format(file=path.name, line=number,
                                                            example='{"input": "...", "label": "..."}',
                                                            kind=type(obj).__name__))
        objects.append((number, {str(k): v for k, v in obj.items()}))
    first = next((obj for _, obj in objects if filled(obj)), None)
    if first is not None and is_evals_row(first):
        return read_evals(path, objects)
    columns: list[str] = []
    rows: list[DataRow] = []
    skipped = 0
    for number, obj in objects:
        values = {k: cell_text(path, number, k, v) for k, v in obj.items()}
        if not any(v.strip() for v in values.values()):
            skipped += 1
            continue
        for key in values:
            if key not in columns:
                columns.append(key)
        rows.append(DataRow(number, values))
    return Dataset(path, columns, rows, skipped, "jsonl")


def write_table(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> None:
    """Write rows in the format given by the suffix (UTF-8, atomic); missing values are written empty."""
    path = Path(path)
    suffix = _suffix(path)
    if suffix == ".jsonl":
        lines = [json.dumps({c: _json_value(row.get(c)) for c in columns}, ensure_ascii=False) for row in rows]
        text = "".join(line + "\n" for line in lines)
    else:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="\t" if suffix == ".tsv" else ",", lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else spreadsheet_safe(str(row.get(c))) for c in columns])
        text = buf.getvalue()
    try:
        write_text_atomic(path, text, newline="")
    except OSError as exc:
        raise DataError(translate("DataError", "Could not write {path}: {error}.").format(
            path=path, error=os_reason(exc))) from exc


def _json_value(value: object) -> object:
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


@dataclass(frozen=True)
class ColumnMapping:
    input: str
    expected: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # template variable -> column


def _find(columns: Sequence[str], names: Sequence[str], exclude: str | None = None) -> str | None:
    folded = {c.strip().casefold(): c for c in reversed(columns) if c != exclude}
    for name in names:
        if name in folded:
            return folded[name]
    return None


def guess_mapping(columns: Sequence[str]) -> ColumnMapping:
    """Best guess from common column names; the person can change it before importing."""
    if not columns:
        raise DataError(translate("DataError", "The data has no columns. Add a header line naming them."))
    fallback = next((c for c in columns if c.strip().casefold() not in _NOT_INPUT_NAMES), columns[0])
    chosen = _find(columns, _INPUT_NAMES) or fallback
    expected = _find(columns, _EXPECTED_NAMES, exclude=chosen)
    if expected is None:  # `country,capital`: the answer is the last other column, never the input itself
        others = [c for c in columns if c != chosen and c.strip().casefold() != "__description"]
        expected = others[-1] if others else None
    return ColumnMapping(input=chosen, expected=expected)


def _require_column(dataset: Dataset, column: str, role: str) -> None:
    if column not in dataset.columns:
        raise DataError(translate(
            "DataError", "{file} has no column \u201c{column}\u201d (chosen as the {role}). "
            "Its columns are: {columns}. Choose one of those."
        ).format(file=_name(dataset.path), column=column, role=role,
                 columns=", ".join(dataset.columns) or translate("DataError", "none")))


def _value(dataset: Dataset, row: DataRow, column: str) -> str:
    try:
        return row.values[column]
    except KeyError:
        raise DataError(translate("DataError", "{file}, line {line}: no value for \u201c{column}\u201d. "
                                  "Add it to this row or remove the row.").format(
            file=_name(dataset.path), line=row.line, column=column)) from None


def to_examples(dataset: Dataset, mapping: ColumnMapping) -> list[Example]:
    """Rows as enabled examples: input and output from the mapped columns, extra columns as variables."""
    _require_column(dataset, mapping.input, translate("DataError", "input"))
    if mapping.expected is None:
        raise DataError(translate("DataError", "{file}: choose the column that holds the answers (output) "
                                  "to import rows as examples.").format(file=_name(dataset.path)))
    _require_column(dataset, mapping.expected, translate("DataError", "expected answer"))
    for var, column in mapping.extra.items():
        _require_column(dataset, column, _value_of(var))
    return [
        Example(
            input=_value(dataset, row, mapping.input),
            output=_value(dataset, row, mapping.expected),
            variables={var: _value(dataset, row, col) for var, col in mapping.extra.items()},
        )
        for row in dataset.rows
    ]


def _value_of(var: str) -> str:
    return translate("DataError", "value of {variable}").format(variable="{" + var + "}")


def _variable_columns(dataset: Dataset, mapping: ColumnMapping, template: FewShotTemplate) -> dict[str, str]:
    columns: dict[str, str] = {}
    for var, column in mapping.extra.items():
        _require_column(dataset, column, _value_of(var))
        columns[var] = column
    for var in template.variables():
        if var == "input" or var in columns:
            continue
        found = var if var in dataset.columns else _find(dataset.columns, [var.casefold()])
        if found is None:
            raise DataError(translate(
                "DataError", "The template uses {variable} but {file} has no \u201c{name}\u201d column. "
                "Rename a column to \u201c{name}\u201d or map one to {variable}."
            ).format(variable="{" + var + "}", file=_name(dataset.path), name=var))
        columns[var] = found
    return columns


def to_test_items(dataset: Dataset, mapping: ColumnMapping, template: FewShotTemplate) -> list[TestItem]:
    """Rows as test items whose values fill every variable of the template's query.

    A row's own rule, pattern and accepted answers come along only when the expected answers are taken from the
    column they were written for; they mean nothing next to another column.
    """
    _require_column(dataset, mapping.input, translate("DataError", "input"))
    if mapping.expected is not None:
        _require_column(dataset, mapping.expected, translate("DataError", "expected answer"))
    columns = _variable_columns(dataset, mapping, template)
    items = []
    for row in dataset.rows:
        values = {"input": _value(dataset, row, mapping.input)}
        values.update({var: _value(dataset, row, col) for var, col in columns.items()})
        expected = _value(dataset, row, mapping.expected) if mapping.expected is not None else ""
        if mapping.expected is not None and mapping.expected == dataset.expected_column:
            items.append(TestItem(row.line, values, expected, row.rule, row.pattern, row.accepted))
        else:
            items.append(TestItem(row.line, values, expected))
    return items
