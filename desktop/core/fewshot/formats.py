"""Test sets made for other tools, read as Parley's tables.

An OpenAI Evals JSONL file is flattened to text columns; a promptfoo CSV's ``__expected`` checks become per-row
scoring rules (DataRow.rule/pattern/accepted).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from desktop.core.fewshot.rows import DataError, DataRow, Dataset
from desktop.core.fewshot.scoring import compile_pattern
from desktop.core.i18n import translate


def filled(value: object) -> bool:
    """Whether a JSON value holds anything; a line of only empty values is skipped like an empty line."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(filled(v) for v in value.values())
    if isinstance(value, list):
        return bool(value)
    return value is not None


def _kind(value: object) -> str:
    """A JSON value's type in the words of a message."""
    if value is None:
        return translate("DataError", "null")
    if isinstance(value, bool):
        return translate("DataError", "true/false")
    if isinstance(value, (int, float)):
        return translate("DataError", "a number")
    if isinstance(value, str):
        return translate("DataError", "text")
    return translate("DataError", "a list") if isinstance(value, list) else translate("DataError", "an object")


def _line(path: Path, number: int) -> str:
    return translate("DataError", "{file}, line {line}").format(file=path.name, line=number)


# --- OpenAI Evals JSONL ----------------------------------------------------------------
# {"input": [{"role": "system", "content": ...}, {"role": "user", "content": ...}], "ideal": "..." or [...]}

_EVALS_MESSAGE = '{"role": "user", "content": "..."}'
_EVALS_COLUMNS = ("input", "system", "context", "ideal")


def is_evals_row(obj: Mapping[str, object]) -> bool:
    messages = obj.get("input")
    is_chat = isinstance(messages, list) and bool(messages) and all(isinstance(m, dict) for m in messages)
    return "ideal" in obj or is_chat


def read_evals(path: Path, objects: Sequence[tuple[int, Mapping[str, object]]]) -> Dataset:
    """Each line flattened to text: input (the last user message), system, context (earlier turns), ideal.

    System messages named example_user / example_assistant are the eval's own few-shot turns (the OpenAI
    Evals convention), so they go to context with the user and assistant turns before the question.
    """
    flat: list[tuple[int, dict[str, str], tuple[str, ...]]] = []
    skipped = 0
    for number, obj in objects:
        if not filled(obj):
            skipped += 1
            continue
        where = _line(path, number)
        if "input" not in obj:
            raise DataError(translate(
                "DataError", '{where}: no \u201cinput\u201d. Each line of an OpenAI Evals file needs "input" (the '
                'question, or a list of messages such as {example}) and "ideal" (the answer).').format(
                where=where, example=_EVALS_MESSAGE))
        question, system, context = _evals_input(where, obj["input"])
        ideal, accepted = _evals_ideal(where, obj)
        values = {"input": question, "system": system, "context": context, "ideal": ideal}
        for key, value in obj.items():
            if key in ("input", "ideal"):
                continue
            if key in ("system", "context") and isinstance(obj["input"], list):
                raise DataError(translate(
                    "DataError", "{where}: the field \u201c{key}\u201d clashes with the {key} Parley takes from the "
                    "messages in \u201cinput\u201d. Rename the field.").format(where=where, key=key))
            values[key] = cell_text(path, number, key, value)
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
        raise DataError(translate(
            "DataError", "{where}: \u201cinput\u201d is {kind}. Write the question as text, or as a list of messages "
            "such as {example}.").format(where=where, kind=_kind(value), example=_EVALS_MESSAGE))
    system: list[str] = []
    turns: list[tuple[int, str, str]] = []  # (message number, role, content)
    for i, message in enumerate(value, 1):
        what = translate("DataError", "message {number} of \u201cinput\u201d").format(number=i)
        if not isinstance(message, dict):
            raise DataError(translate(
                "DataError", "{where}: {what} is {kind}, not a message such as {example}.").format(
                where=where, what=what, kind=_kind(message), example=_EVALS_MESSAGE))
        role, content, name = message.get("role"), message.get("content"), message.get("name")
        if not isinstance(role, str) or not role.strip():
            raise DataError(translate(
                "DataError", '{where}: {what} has no role. Give it "role": "system", "user" or "assistant".').format(
                where=where, what=what))
        if not isinstance(content, str):
            raise DataError(translate(
                "DataError", '{where}: {what} has no content text. Give it "content" with the message as text.'
            ).format(where=where, what=what))
        role = role.strip().lower()
        if role == "system" and name in ("example_user", "example_assistant"):
            role = str(name).removeprefix("example_")
        if role in ("system", "developer"):
            system.append(content)
        elif role in ("user", "assistant"):
            turns.append((i, role, content))
        else:
            raise DataError(translate(
                "DataError", "{where}: {what} has the role \u201c{role}\u201d. Parley reads system, user and "
                "assistant messages; change its role or remove it.").format(where=where, what=what, role=role))
    last = max((n for n, (_, role, _) in enumerate(turns) if role == "user"), default=None)
    if last is None:
        raise DataError(translate(
            "DataError", "{where}: \u201cinput\u201d has no user message. Add {example} with the question.").format(
            where=where, example=_EVALS_MESSAGE))
    if last < len(turns) - 1:
        raise DataError(translate(
            "DataError", "{where}: message {number} of \u201cinput\u201d comes after the last user message. Parley "
            "asks the model the last user message, so end \u201cinput\u201d with it.").format(
            where=where, number=turns[last + 1][0]))
    context = "\n".join(f"{role.capitalize()}: {content}" for _, role, content in turns[:last])
    return turns[last][2], "\n\n".join(system), context


def _evals_ideal(where: str, obj: Mapping[str, object]) -> tuple[str, tuple[str, ...]]:
    """The first ideal answer and the further acceptable ones; numbers count as text, as in any other field."""
    if "ideal" not in obj:
        raise DataError(translate(
            "DataError", '{where}: no \u201cideal\u201d answer. Add "ideal": "..." with the expected answer (or a '
            "list of acceptable answers).").format(where=where))
    value = obj["ideal"]
    answers = value if isinstance(value, list) else [value]
    if not answers:
        raise DataError(translate(
            "DataError", "{where}: \u201cideal\u201d is an empty list. Put at least one acceptable answer in it."
        ).format(where=where))
    texts: list[str] = []
    for i, answer in enumerate(answers, 1):
        what = (translate("DataError", "answer {number} of \u201cideal\u201d").format(number=i)
                if isinstance(value, list) else "\u201cideal\u201d")
        if isinstance(answer, bool) or not isinstance(answer, (str, int, float)):
            raise DataError(translate(
                "DataError", '{where}: {what} is {kind}, not text. Write the expected answer as text, e.g. "ideal": '
                '"Paris", or a list of texts.').format(where=where, what=what, kind=_kind(answer)))
        text = answer if isinstance(answer, str) else str(answer)
        if not text.strip():
            raise DataError(translate(
                "DataError", "{where}: {what} is empty. Write the expected answer there, or remove the line."
            ).format(where=where, what=what))
        texts.append(text)
    first, *rest = texts
    return first, tuple(dict.fromkeys(t for t in rest if t != first))


def cell_text(path: Path, line: int, key: str, value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        raise DataError(translate(
            "DataError", "{file}, line {line}, field \u201c{key}\u201d: expected text or a number, not a list."
        ).format(file=path.name, line=line, key=key))
    raise DataError(translate(
        "DataError", "{file}, line {line}, field \u201c{key}\u201d: expected text or a number, not a nested object."
    ).format(file=path.name, line=line, key=key))


# --- promptfoo CSV --------------------------------------------------------------------
# A table of prompt variables plus promptfoo's special columns; "__expected" holds a check such as "contains:Paris".

PROMPTFOO_EXPECTED = re.compile(r"__expected\d*")
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


def read_promptfoo(path: Path, data: Dataset) -> Dataset:
    """The variables and the expected answers of a promptfoo test CSV, with each row's check as its rule.

    "__expected" (or, without it, the first "__expectedN") is the expected column; further "__expectedN"
    columns become accepted alternatives of it (promptfoo itself requires all of them to pass) and leave the
    table, as do the run options (__prefix, __suffix, __metric, __threshold, __config, __providerOutput).
    A cell without a check prefix sets no rule, so the run's own rule applies; promptfoo would compare it
    exactly, but a Parley run chooses its rule for the whole test set.
    """
    expected_columns = [c for c in data.columns if PROMPTFOO_EXPECTED.fullmatch(c)]
    first = "__expected" if "__expected" in expected_columns else expected_columns[0]
    alternatives = [c for c in expected_columns if c != first]
    columns = [c for c in data.columns if c not in alternatives and c not in _PROMPTFOO_OPTIONS]
    rows: list[DataRow] = []
    for row in data.rows:
        where = _line(path, row.line)
        rule, expected, prefix = _promptfoo_check(where, first, row.values[first])
        accepted: list[str] = []
        for column in alternatives:
            cell = row.values[column]
            if not cell.strip():
                continue
            if not row.values[first].strip():
                raise DataError(translate(
                    "DataError", "{where}: \u201c{column}\u201d has an answer but \u201c{first}\u201d is empty. Put "
                    "the first answer in \u201c{first}\u201d.").format(where=where, column=column, first=first))
            other_rule, other, other_prefix = _promptfoo_check(where, column, cell)
            if other_rule != rule:
                none = translate("DataError", "no prefix")
                raise DataError(translate(
                    "DataError", "{where}: \u201c{column}\u201d ({other}) is checked differently from "
                    "\u201c{first}\u201d ({prefix}). Parley reads every __expected column as another acceptable "
                    "answer, so give them the same prefix.").format(
                    where=where, column=column, other=other_prefix or none, first=first, prefix=prefix or none))
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
        raise DataError(translate(
            "DataError", "{where}, column \u201c{column}\u201d: the promptfoo check \u201c{prefix}\u201d is not "
            "one Parley can score. Parley reads {supported} or a plain answer (scored by the run's rule); change the "
            "cell or remove the row.").format(
            where=where, column=column, prefix=prefix, supported=_PROMPTFOO_SUPPORTED))
    text = cell[found.end():]
    if not text.strip():
        raise DataError(translate(
            "DataError", "{where}, column \u201c{column}\u201d: nothing after \u201c{prefix}\u201d. Write the "
            "expected text after it, or leave the cell empty.").format(where=where, column=column, prefix=prefix))
    if rule == "regex":
        try:
            compile_pattern(text)
        except ValueError as exc:
            raise DataError(translate(
                "DataError", "{where}, column \u201c{column}\u201d: {error} Fix the pattern after "
                "\u201cregex:\u201d.").format(where=where, column=column, error=exc)) from exc
    return rule, text, prefix
