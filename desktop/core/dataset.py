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
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.fewshot import Example, FewShotTemplate
from desktop.core.files import write_text_atomic
from desktop.core.scoring import compile_pattern

SUFFIXES = (".csv", ".tsv", ".jsonl")

# Dataset.format -> the name shown to the person.
FORMAT_NAMES: dict[str, str] = {
    "csv": "CSV",
    "tsv": "TSV",
    "jsonl": "JSONL",
    "openai-evals": "OpenAI Evals JSONL",
    "promptfoo": "promptfoo test CSV",
}

_INPUT_NAMES = ("input", "text", "review", "sentence", "question", "premise", "prompt")
# The format columns come first: in a file that has them they are the answers, whatever else it holds.
_EXPECTED_NAMES = ("ideal", "__expected", "__expected1",
                   "label", "output", "expected", "answer", "target", "sentiment")
_NOT_INPUT_NAMES = ("ideal", "__expected", "__expected1", "__description")


class DataError(ValueError):
    """str() names the file, the line (1-based, as in a text editor) and the column when known."""


@dataclass(frozen=True)
class DataRow:
    line: int
    values: dict[str, str]
    # How the file itself says to score this row; they belong to Dataset.expected_column.
    rule: str | None = None  # a key of scoring.RULES; None: the run's own rule applies
    pattern: str | None = None  # for rule "regex"
    accepted: tuple[str, ...] = ()  # further answers that also pass, under the same rule (regex: further patterns)


@dataclass
class Dataset:
    path: Path | None
    columns: list[str]
    rows: list[DataRow]
    skipped_empty: int = 0
    format: str = ""  # a key of FORMAT_NAMES; empty for a table that was not read from a file
    expected_column: str | None = None  # the column whose answers rows' rule, pattern and accepted refine

    @property
    def format_name(self) -> str:
        return FORMAT_NAMES.get(self.format, self.format)


@dataclass(frozen=True)
class TestItem:
    __test__ = False  # not a pytest test class despite the name

    line: int
    values: dict[str, str]
    expected: str
    rule: str | None = None  # overrides the run's rule for this item when set
    pattern: str | None = None
    accepted: tuple[str, ...] = ()  # further expected answers that also pass


def _name(path: Path | None) -> str:
    return path.name if path is not None else "The data"


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        shown = f"\u201c{path.suffix}\u201d" if path.suffix else "no extension"
        raise DataError(f"{path.name}: unsupported file type ({shown}). Use a .csv, .tsv or .jsonl file.")
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
        raise DataError(f"Could not read {path}: {exc.strerror or exc}.") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path.name}, line {line}: the file is not UTF-8 text. Save it as UTF-8 "
            "(in Excel: \u201cCSV UTF-8\u201d; in an editor: encoding UTF-8) and open it again."
        ) from exc
    if not text.strip():
        raise DataError(f"{path.name} is empty. Add a header line and at least one row.")
    if suffix == ".jsonl":
        data = _read_jsonl(path, text)
    else:
        data = _read_delimited(path, text, "\t" if suffix == ".tsv" else ",")
        if any(_PROMPTFOO_EXPECTED.fullmatch(column) for column in data.columns):
            data = _read_promptfoo(path, data)
    if not data.rows:
        raise DataError(f"{path.name} has no data rows (only a header or empty lines). Add at least one row.")
    return data


def _read_delimited(path: Path, text: str, delimiter: str) -> Dataset:
    kind = "tab" if delimiter == "\t" else "comma"
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
            raise DataError(
                f"{path.name}, line {line}: cannot read this row ({exc}). Check its quotes: text containing "
                f"quotes or a {kind} must be wrapped in double quotes, with inner quotes doubled (\"\")."
            ) from exc
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
            raise DataError(
                f"{path.name}, line {start}: {len(record)} values but the header has {len(columns)} columns. "
                f"Check for a missing or extra {kind}, or put text containing one in double quotes."
            )
        rows.append(DataRow(start, dict(zip(columns, record, strict=True))))
    return Dataset(path, columns or [], rows, skipped, "tsv" if delimiter == "\t" else "csv")


def _check_header(path: Path, columns: list[str], line: int) -> None:
    for i, column in enumerate(columns, 1):
        if not column:
            raise DataError(f"{path.name}, line {line}: column {i} of the header has no name. Name every column.")
        if columns.index(column) != i - 1:
            raise DataError(f"{path.name}, line {line}: the column name \u201c{column}\u201d appears twice. "
                            "Give every column a different name.")


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
            raise DataError(f"{path.name}, line {number}: not valid JSON ({exc.msg}, column {exc.colno}). "
                            "Each line must be one JSON object.") from exc
        if not isinstance(obj, dict):
            raise DataError(f"{path.name}, line {number}: expected a JSON object such as "
                            '{"input": "...", "label": "..."}, not ' + type(obj).__name__ + ".")
        objects.append((number, {str(k): v for k, v in obj.items()}))
    first = next((obj for _, obj in objects if _filled(obj)), None)
    if first is not None and _is_evals_row(first):
        return _read_evals(path, objects)
    columns: list[str] = []
    rows: list[DataRow] = []
    skipped = 0
    for number, obj in objects:
        values = {k: _cell(path, number, k, v) for k, v in obj.items()}
        if not any(v.strip() for v in values.values()):
            skipped += 1
            continue
        for key in values:
            if key not in columns:
                columns.append(key)
        rows.append(DataRow(number, values))
    return Dataset(path, columns, rows, skipped, "jsonl")


def _filled(value: object) -> bool:
    """Whether a JSON value holds anything; a line of only empty values is skipped like an empty line."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(_filled(v) for v in value.values())
    if isinstance(value, list):
        return bool(value)
    return value is not None


def _kind(value: object) -> str:
    """A JSON value's type in the words of a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


# --- OpenAI Evals JSONL ----------------------------------------------------------------
# {"input": [{"role": "system", "content": ...}, {"role": "user", "content": ...}], "ideal": "..." or [...]}

_EVALS_MESSAGE = '{"role": "user", "content": "..."}'
_EVALS_COLUMNS = ("input", "system", "context", "ideal")


def _is_evals_row(obj: Mapping[str, object]) -> bool:
    messages = obj.get("input")
    is_chat = isinstance(messages, list) and bool(messages) and all(isinstance(m, dict) for m in messages)
    return "ideal" in obj or is_chat


def _read_evals(path: Path, objects: Sequence[tuple[int, Mapping[str, object]]]) -> Dataset:
    """Each line flattened to text: input (the last user message), system, context (earlier turns), ideal.

    System messages named example_user / example_assistant are the eval's own few-shot turns (the OpenAI
    Evals convention), so they go to context with the user and assistant turns before the question.
    """
    flat: list[tuple[int, dict[str, str], tuple[str, ...]]] = []
    skipped = 0
    for number, obj in objects:
        if not _filled(obj):
            skipped += 1
            continue
        where = f"{path.name}, line {number}"
        if "input" not in obj:
            raise DataError(f'{where}: no \u201cinput\u201d. Each line of an OpenAI Evals file needs "input" '
                            f'(the question, or a list of messages such as {_EVALS_MESSAGE}) and "ideal" (the answer).')
        question, system, context = _evals_input(where, obj["input"])
        ideal, accepted = _evals_ideal(where, obj)
        values = {"input": question, "system": system, "context": context, "ideal": ideal}
        for key, value in obj.items():
            if key in ("input", "ideal"):
                continue
            if key in ("system", "context") and isinstance(obj["input"], list):
                raise DataError(f"{where}: the field \u201c{key}\u201d clashes with the {key} Parley takes from the "
                                "messages in \u201cinput\u201d. Rename the field.")
            values[key] = _cell(path, number, key, value)
        flat.append((number, values, accepted))
    # system and context appear only when some line has one; other fields keep the order they first appear in.
    columns = [c for c in _EVALS_COLUMNS if c in ("input", "ideal") or any(v[c].strip() for _, v, _ in flat)]
    for _, values, _ in flat:
        columns.extend(key for key in values if key not in columns and key not in _EVALS_COLUMNS)
    rows = [
        DataRow(number, {k: v for k, v in values.items() if k in columns}, accepted=accepted)
        for number, values, accepted in flat
    ]
    return Dataset(path, columns, rows, skipped, "openai-evals", "ideal")


def _evals_input(where: str, value: object) -> tuple[str, str, str]:
    """(question, system, context) from an eval's "input": plain text, or a list of chat messages."""
    if isinstance(value, str):
        return value, "", ""
    if not isinstance(value, list):
        raise DataError(f"{where}: \u201cinput\u201d is {_kind(value)}. Write the question as text, or as a list "
                        f"of messages such as {_EVALS_MESSAGE}.")
    system: list[str] = []
    turns: list[tuple[int, str, str]] = []  # (message number, role, content)
    for i, message in enumerate(value, 1):
        what = f"message {i} of \u201cinput\u201d"
        if not isinstance(message, dict):
            raise DataError(f"{where}: {what} is {_kind(message)}, not a message such as {_EVALS_MESSAGE}.")
        role, content, name = message.get("role"), message.get("content"), message.get("name")
        if not isinstance(role, str) or not role.strip():
            raise DataError(f'{where}: {what} has no role. Give it "role": "system", "user" or "assistant".')
        if not isinstance(content, str):
            raise DataError(f'{where}: {what} has no content text. Give it "content" with the message as text.')
        role = role.strip().lower()
        if role == "system" and name in ("example_user", "example_assistant"):
            role = str(name).removeprefix("example_")
        if role in ("system", "developer"):
            system.append(content)
        elif role in ("user", "assistant"):
            turns.append((i, role, content))
        else:
            raise DataError(f"{where}: {what} has the role \u201c{role}\u201d. Parley reads system, user and "
                            "assistant messages; change its role or remove it.")
    last = max((n for n, (_, role, _) in enumerate(turns) if role == "user"), default=None)
    if last is None:
        raise DataError(f"{where}: \u201cinput\u201d has no user message. Add {_EVALS_MESSAGE} with the question.")
    if last < len(turns) - 1:
        raise DataError(f"{where}: message {turns[last + 1][0]} of \u201cinput\u201d comes after the last user "
                        "message. Parley asks the model the last user message, so end \u201cinput\u201d with it.")
    context = "\n".join(f"{role.capitalize()}: {content}" for _, role, content in turns[:last])
    return turns[last][2], "\n\n".join(system), context


def _evals_ideal(where: str, obj: Mapping[str, object]) -> tuple[str, tuple[str, ...]]:
    """The first ideal answer and the further acceptable ones; numbers count as text, as in any other field."""
    if "ideal" not in obj:
        raise DataError(f'{where}: no \u201cideal\u201d answer. Add "ideal": "..." with the expected answer '
                        "(or a list of acceptable answers).")
    value = obj["ideal"]
    answers = value if isinstance(value, list) else [value]
    if not answers:
        raise DataError(f"{where}: \u201cideal\u201d is an empty list. Put at least one acceptable answer in it.")
    texts: list[str] = []
    for i, answer in enumerate(answers, 1):
        what = f"answer {i} of \u201cideal\u201d" if isinstance(value, list) else "\u201cideal\u201d"
        if isinstance(answer, bool) or not isinstance(answer, (str, int, float)):
            raise DataError(f'{where}: {what} is {_kind(answer)}, not text. Write the expected answer as text, '
                            'e.g. "ideal": "Paris", or a list of texts.')
        text = answer if isinstance(answer, str) else str(answer)
        if not text.strip():
            raise DataError(f"{where}: {what} is empty. Write the expected answer there, or remove the line.")
        texts.append(text)
    first, *rest = texts
    return first, tuple(dict.fromkeys(t for t in rest if t != first))


def _cell(path: Path, line: int, key: str, value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise DataError(f"{path.name}, line {line}, field \u201c{key}\u201d: expected text or a number, "
                    f"not a {'list' if isinstance(value, list) else 'nested object'}.")


# --- promptfoo CSV --------------------------------------------------------------------
# A table of prompt variables plus promptfoo's special columns; "__expected" holds a check such as "contains:Paris".

_PROMPTFOO_EXPECTED = re.compile(r"__expected\d*")
_PROMPTFOO_OPTIONS = ("__prefix", "__suffix", "__metric", "__threshold", "__config", "__providerOutput")
_PROMPTFOO_RULES = {"equals": "exact", "contains": "contains", "icontains": "contains", "regex": "regex"}
# promptfoo's assertion types (src/types.ts, 2025) and its legacy spellings fn:, eval:, grade:, file://. A cell that
# starts with one of them is a check; any other text, "Answer: B" or "http://..." included, is a plain answer.
_PROMPTFOO_CHECKS = frozenset({
    "answer-relevance", "bleu", "classifier", "contains", "contains-all", "contains-any", "contains-html",
    "contains-json", "contains-sql", "contains-xml", "context-faithfulness", "context-recall", "context-relevance",
    "conversation-relevance", "cost", "equals", "factuality", "finish-reason", "g-eval", "gleu", "guardrails",
    "human", "icontains", "icontains-all", "icontains-any", "is-html", "is-json", "is-refusal", "is-sql",
    "is-valid-function-call", "is-valid-openai-function-call", "is-valid-openai-tools-call", "is-xml", "javascript",
    "latency", "levenshtein", "llm-rubric", "meteor", "model-graded-closedqa", "model-graded-factuality",
    "moderation", "perplexity", "perplexity-score", "pi", "python", "regex", "rouge-l", "rouge-n", "rouge-s",
    "ruby", "select-best", "similar", "starts-with", "tool-call-f1", "trace-error-spans", "trace-span-count",
    "trace-span-duration", "webhook", "fn", "eval", "grade", "file"
})
_PROMPTFOO_PREFIX = re.compile(r"(?P<name>(?:not-)?[a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?P<threshold>\(\d+(?:\.\d+)?\))?"
                               r"(?P<colon>:)?")
_PROMPTFOO_SUPPORTED = ", ".join(f"{name}:" for name in _PROMPTFOO_RULES)


def _read_promptfoo(path: Path, data: Dataset) -> Dataset:
    """The variables and the expected answers of a promptfoo test CSV, with each row's check as its rule.

    "__expected" (or, without it, the first "__expectedN") is the expected column; further "__expectedN"
    columns become accepted alternatives of it (promptfoo itself requires all of them to pass) and leave the
    table, as do the run options (__prefix, __suffix, __metric, __threshold, __config, __providerOutput).
    A cell without a check prefix sets no rule, so the run's own rule applies; promptfoo would compare it
    exactly, but a Parley run chooses its rule for the whole test set.
    """
    expected_columns = [c for c in data.columns if _PROMPTFOO_EXPECTED.fullmatch(c)]
    first = "__expected" if "__expected" in expected_columns else expected_columns[0]
    alternatives = [c for c in expected_columns if c != first]
    columns = [c for c in data.columns if c not in alternatives and c not in _PROMPTFOO_OPTIONS]
    rows: list[DataRow] = []
    for row in data.rows:
        where = f"{path.name}, line {row.line}"
        rule, expected, prefix = _promptfoo_check(where, first, row.values[first])
        accepted: list[str] = []
        for column in alternatives:
            cell = row.values[column]
            if not cell.strip():
                continue
            if not row.values[first].strip():
                raise DataError(f"{where}: \u201c{column}\u201d has an answer but \u201c{first}\u201d is empty. "
                                f"Put the first answer in \u201c{first}\u201d.")
            other_rule, other, other_prefix = _promptfoo_check(where, column, cell)
            if other_rule != rule:
                raise DataError(
                    f"{where}: \u201c{column}\u201d ({other_prefix or 'no prefix'}) is checked differently from "
                    f"\u201c{first}\u201d ({prefix or 'no prefix'}). Parley reads every __expected column as "
                    "another acceptable answer, so give them the same prefix."
                )
            if other != expected and other not in accepted:
                accepted.append(other)
        values = {c: expected if c == first else row.values[c] for c in columns}
        pattern = expected if rule == "regex" else None
        rows.append(DataRow(row.line, values, rule, pattern, tuple(accepted)))
    return Dataset(path, columns, rows, data.skipped_empty, "promptfoo", first)


def _promptfoo_check(where: str, column: str, cell: str) -> tuple[str | None, str, str]:
    """(Parley rule or None, the text after the prefix, the prefix as written) for one __expected cell."""
    found = _PROMPTFOO_PREFIX.match(cell)
    if found is None:
        return None, cell, ""
    name = found["name"]
    base = name.removeprefix("not-")
    whole = found.end() == len(cell.rstrip())
    # Bare words such as "human" or "cost" are answers; only hyphenated checks ("is-json") stand without a colon.
    if base not in _PROMPTFOO_CHECKS or not (found["colon"] or (whole and "-" in name)):
        return None, cell, ""
    prefix = found.group(0)
    rule = _PROMPTFOO_RULES.get(name)
    if rule is None or found["threshold"] or not found["colon"]:
        raise DataError(
            f"{where}, column \u201c{column}\u201d: the promptfoo check \u201c{prefix}\u201d is not one Parley "
            f"can score. Parley reads {_PROMPTFOO_SUPPORTED} or a plain answer (scored by the run's rule); "
            "change the cell or remove the row."
        )
    text = cell[found.end():]
    if not text.strip():
        raise DataError(f"{where}, column \u201c{column}\u201d: nothing after \u201c{prefix}\u201d. Write the "
                        "expected text after it, or leave the cell empty.")
    if rule == "regex":
        try:
            compile_pattern(text)
        except ValueError as exc:
            raise DataError(f"{where}, column \u201c{column}\u201d: {exc} Fix the pattern after "
                            "\u201cregex:\u201d.") from exc
    return rule, text, prefix


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
            writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in columns])
        text = buf.getvalue()
    try:
        write_text_atomic(path, text, newline="")
    except OSError as exc:
        raise DataError(f"Could not write {path}: {exc.strerror or exc}.") from exc


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
        raise DataError("The data has no columns. Add a header line naming them.")
    fallback = next((c for c in columns if c.strip().casefold() not in _NOT_INPUT_NAMES), columns[0])
    chosen = _find(columns, _INPUT_NAMES) or fallback
    return ColumnMapping(input=chosen, expected=_find(columns, _EXPECTED_NAMES, exclude=chosen))


def _require_column(dataset: Dataset, column: str, role: str) -> None:
    if column not in dataset.columns:
        raise DataError(
            f"{_name(dataset.path)} has no column \u201c{column}\u201d (chosen as the {role}). "
            f"Its columns are: {', '.join(dataset.columns) or 'none'}. Choose one of those."
        )


def _value(dataset: Dataset, row: DataRow, column: str) -> str:
    try:
        return row.values[column]
    except KeyError:
        raise DataError(f"{_name(dataset.path)}, line {row.line}: no value for \u201c{column}\u201d. "
                        "Add it to this row or remove the row.") from None


def to_examples(dataset: Dataset, mapping: ColumnMapping) -> list[Example]:
    """Rows as enabled examples: input and output from the mapped columns, extra columns as variables."""
    _require_column(dataset, mapping.input, "input")
    if mapping.expected is None:
        raise DataError(f"{_name(dataset.path)}: choose the column that holds the answers (output) "
                        "to import rows as examples.")
    _require_column(dataset, mapping.expected, "expected answer")
    for var, column in mapping.extra.items():
        _require_column(dataset, column, f"value of {{{var}}}")
    return [
        Example(
            input=_value(dataset, row, mapping.input),
            output=_value(dataset, row, mapping.expected),
            variables={var: _value(dataset, row, col) for var, col in mapping.extra.items()},
        )
        for row in dataset.rows
    ]


def _variable_columns(dataset: Dataset, mapping: ColumnMapping, template: FewShotTemplate) -> dict[str, str]:
    columns: dict[str, str] = {}
    for var, column in mapping.extra.items():
        _require_column(dataset, column, f"value of {{{var}}}")
        columns[var] = column
    for var in template.variables():
        if var == "input" or var in columns:
            continue
        found = var if var in dataset.columns else _find(dataset.columns, [var.casefold()])
        if found is None:
            raise DataError(
                f"The template uses {{{var}}} but {_name(dataset.path)} has no \u201c{var}\u201d column. "
                f"Rename a column to \u201c{var}\u201d or map one to {{{var}}}."
            )
        columns[var] = found
    return columns


def to_test_items(dataset: Dataset, mapping: ColumnMapping, template: FewShotTemplate) -> list[TestItem]:
    """Rows as test items whose values fill every variable of the template's query.

    A row's own rule, pattern and accepted answers come along only when the expected answers are taken from the
    column they were written for; they mean nothing next to another column.
    """
    _require_column(dataset, mapping.input, "input")
    if mapping.expected is not None:
        _require_column(dataset, mapping.expected, "expected answer")
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
