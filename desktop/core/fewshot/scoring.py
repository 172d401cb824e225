"""Scoring rules for few-shot evaluation and the record of one evaluation run.

Pure and deterministic so a saved run can be re-scored or compared with another one later.
"""

from __future__ import annotations

import csv
import io
import json
import re
import string
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.errors import ParleyError
from desktop.core.files import spreadsheet_safe, write_text_atomic
from desktop.core.i18n import translate
from desktop.core.instruments.statistics import accuracy_text, wilson_interval
from desktop.core.os_reason import os_reason

RULES: dict[str, str] = {
    "exact": "Exact match",
    "normalized": "Normalised match (case and spaces)",
    "contains": "Output contains the expected text",
    "regex": "Regular expression",
    "choice": "Choice letter (A, B, C…)",
    "likelihood": "Most likely answer",  # the label the model gives the highest probability; no text generated
}
LIKELIHOOD = "likelihood"

EVAL_RUN_SCHEMA_VERSION = 2  # 2: replayable (template, items, prompts, environment)

# Characters ignored at either end by the normalised rules: ASCII punctuation plus typographic quotes.
# ASCII and typographic punctuation, and the full-width punctuation of Chinese and Japanese answers ("正面，").
_EDGE = (string.punctuation + string.whitespace + "\u2018\u2019\u201c\u201d\u00ab\u00bb\u2026\u3002"
         "\uff0c\uff01\uff1f\uff1b\uff1a\u3001\uff08\uff09\u300c\u300d\u300e\u300f\u300a\u300b\u3010\u3011"
         "\u3000\uff0e")

# A letter stands alone unless a Latin letter, digit or apostrophe touches it: "答案是B" is a choice, "BEST" is not.
_UPPER = re.compile(r"(?<![A-Za-z0-9_'])([A-E])(?![A-Za-z0-9_'])")
# Lower-case letters only count when marked ("(b)", "b)", "b.", "b:"), so the article "a" is not read as a choice.
_LOWER = re.compile(r"(?<![A-Za-z0-9_'])[(\uff08]([a-e])[)\uff09]|(?<![A-Za-z0-9_'])([a-e])[.):](?![A-Za-z0-9_'])")


def normalize(text: str) -> str:
    """casefold, collapse whitespace, strip surrounding punctuation and quotes: "  Positive." -> "positive"."""
    return " ".join(text.casefold().split()).strip(_EDGE)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """re.compile with a message a person can act on (ValueError) instead of re.error."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        if exc.pos is None:
            raise ValueError(translate("Scoring", "The regular expression {pattern} is not valid: {error}.").format(
                pattern=repr(pattern), error=exc.msg)) from exc
        raise ValueError(translate(
            "Scoring", "The regular expression {pattern} is not valid: {error} at position {position}.").format(
            pattern=repr(pattern), error=exc.msg, position=exc.pos)) from exc


def extract_choice(output: str) -> str | None:
    """The first standalone A–E letter: "B", "(B)", "B)", "Answer: B", "b." -> "B"; None when there is none."""
    bare = output.strip().strip(_EDGE)
    if len(bare) == 1 and bare.upper() in "ABCDE":
        return bare.upper()
    found: list[tuple[int, str]] = []
    upper = _UPPER.search(output)
    if upper:
        found.append((upper.start(1), upper.group(1)))
    lower = _LOWER.search(output)
    if lower:
        group = 1 if lower.group(1) else 2
        found.append((lower.start(group), lower.group(group).upper()))
    return min(found)[1] if found else None


def score(rule: str, output: str, expected: str, pattern: str | None = None) -> bool:
    """Whether output passes; surrounding whitespace never matters. ValueError for an unknown rule or bad regex."""
    if rule == "exact":
        return output.strip() == expected.strip()
    if rule == "normalized":
        return normalize(output) == normalize(expected)
    if rule == "contains":
        want = normalize(expected)
        # An empty expectation would be "contained" in everything; only an empty output matches it.
        return want in normalize(output) if want else not normalize(output)
    if rule == "regex":
        return compile_pattern(pattern or expected).search(output) is not None
    if rule == "choice":
        want = extract_choice(expected) or expected.strip().upper()[:1]
        return extract_choice(output) == want
    raise ValueError(translate("Scoring", "Unknown scoring rule {rule}; use one of {rules}.").format(
        rule=repr(rule), rules=", ".join(RULES)))


@dataclass(frozen=True)
class ItemResult:
    line: int
    input: str
    expected: str
    output: str  # the generated answer, or the most likely label
    passed: bool
    prompt_tokens: int
    evaluated_tokens: int
    generated_tokens: int
    seconds: float
    prompt: str = ""  # the exact text the model saw (BOS added by the tokenizer in completion mode)
    # "Most likely answer": each label's probability, normalised over the set (calibrated when the run was)
    probabilities: dict[str, float] = field(default_factory=dict)
    margin: float | None = None  # the prediction's lead over the runner-up
    variables: dict[str, str] = field(default_factory=dict)  # the item's other template values ({hypothesis}, …)

    @classmethod
    def from_json(cls, data: Any) -> ItemResult:
        """Known, well-typed fields only: a record from a newer Parley or a hand edit opens, or says why not."""
        if not isinstance(data, dict):
            raise ValueError(translate("RunRecordError", "each result must be an object"))
        kw: dict[str, Any] = {}
        for name, kind, default in _ITEM_FIELDS:
            value = data.get(name, default)
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if value is None and default is None:
                kw[name] = None
                continue
            if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
                raise ValueError(translate(
                    "RunRecordError", "result field \u201c{name}\u201d must be {kind}, not {actual}").format(
                    name=name, kind=kind.__name__, actual=type(value).__name__))
            kw[name] = value
        probabilities = data.get("probabilities") or {}
        if not isinstance(probabilities, dict) or not all(
                isinstance(k, str) and isinstance(v, (int, float)) for k, v in probabilities.items()):
            raise ValueError(translate(
                "RunRecordError", "result field \u201cprobabilities\u201d must map labels to numbers"))
        kw["probabilities"] = {k: float(v) for k, v in probabilities.items()}
        variables = data.get("variables") or {}
        if not isinstance(variables, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in variables.items()):
            raise ValueError(translate("RunRecordError", "result field \u201cvariables\u201d must map names to text"))
        kw["variables"] = dict(variables)
        return cls(**kw)


_ITEM_FIELDS: tuple[tuple[str, type, Any], ...] = (
    ("line", int, 0), ("input", str, ""), ("expected", str, ""), ("output", str, ""), ("passed", bool, False),
    ("prompt_tokens", int, 0), ("evaluated_tokens", int, 0), ("generated_tokens", int, 0), ("seconds", float, 0.0),
    ("prompt", str, ""), ("margin", float, None),
)

_CSV_COLUMNS = [
    "line", "input", "expected", "output", "passed",
    "prompt_tokens", "evaluated_tokens", "generated_tokens", "seconds",
]


def item_key(line: int) -> str:
    """How an item is named when two runs are compared: its line in the data file."""
    return f"line {line}"


@dataclass
class EvalRun:
    template_name: str
    template_version: int
    model_path: str
    model_sha256: str
    sampling: dict[str, Any]
    seed: int
    shots: int
    rule: str
    data_path: str
    results: list[ItemResult] = field(default_factory=list)
    started_at: str = ""  # ISO time
    completed: bool = False
    # Schema 2: everything needed to run it again (`parley runs replay`)
    template: dict[str, Any] = field(default_factory=dict)  # the complete template as run, shots already chosen
    template_sha256: str = ""
    chat_template_sha256: str = ""  # chat mode: the source of the model's chat template
    data_sha256: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)  # every test item in run order (values, expected…)
    labels: list[str] = field(default_factory=list)  # "Most likely answer": the answer set
    calibration: dict[str, float] | None = None  # label -> its content-free probability, when calibrated
    environment: dict[str, Any] = field(default_factory=dict)  # Parley, engine build, backend, threads, context…
    order_seed: int | None = None  # the seed that chose and ordered the shots (None: the first k, in order)
    group: str = ""  # runs made together (an order-sensitivity set, a sweep) share this
    schema_version: int = 2

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def accuracy(self) -> float:
        return self.passed / len(self.results) if self.results else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        """The 95% Wilson score interval of the accuracy."""
        return wilson_interval(self.passed, len(self.results))

    def accuracy_text(self) -> str:
        """E.g. "0.833 (20/24), 95% CI 0.641–0.933"."""
        return accuracy_text(self.passed, len(self.results))

    @property
    def evaluated_prompt_tokens(self) -> int:
        """Prompt tokens actually run through the model (prefix-cache hits excluded)."""
        return sum(r.evaluated_tokens for r in self.results)

    @property
    def prompt_tokens(self) -> int:
        return sum(r.prompt_tokens for r in self.results)

    def outcomes(self) -> dict[str, bool]:
        """Item key -> passed, for comparing two runs item by item."""
        return {item_key(r.line): r.passed for r in self.results}

    def to_json(self) -> dict[str, Any]:
        """Everything needed to reproduce the run, plus the summary numbers for quick comparison."""
        low, high = self.interval
        return {
            "schema_version": EVAL_RUN_SCHEMA_VERSION,
            "template_name": self.template_name,
            "template_version": self.template_version,
            "model_path": self.model_path,
            "model_sha256": self.model_sha256,
            "sampling": dict(self.sampling),
            "seed": self.seed,
            "shots": self.shots,
            "order_seed": self.order_seed,
            "rule": self.rule,
            "labels": list(self.labels),
            "calibration": None if self.calibration is None else dict(self.calibration),
            "data_path": self.data_path,
            "data_sha256": self.data_sha256,
            "template": self.template,
            "template_sha256": self.template_sha256,
            "chat_template_sha256": self.chat_template_sha256,
            "environment": dict(self.environment),
            "group": self.group,
            "started_at": self.started_at,
            "completed": self.completed,
            "total": len(self.results),
            "passed": self.passed,
            "accuracy": self.accuracy,
            "accuracy_ci95": [low, high],
            "prompt_tokens": self.prompt_tokens,
            "evaluated_prompt_tokens": self.evaluated_prompt_tokens,
            "items": list(self.items),
            "results": [asdict(r) for r in self.results],
        }

    @classmethod
    def from_json(cls, data: Any, source: str | None = None) -> EvalRun:
        """Schema 1 (before replayable runs) and 2; a damaged or foreign file raises RunRecordError naming it."""
        source = source if source is not None else translate("RunRecordError", "run record")
        if not isinstance(data, dict) or "schema_version" not in data or "results" not in data:
            raise RunRecordError(translate(
                "RunRecordError", "{source} is not a Parley run record (no \u201cschema_version\u201d and "
                "\u201cresults\u201d fields).").format(source=source))
        schema = data["schema_version"]
        if isinstance(schema, bool) or not isinstance(schema, int) or schema not in (1, 2):
            if isinstance(schema, int) and schema > EVAL_RUN_SCHEMA_VERSION:
                raise RunRecordError(translate(
                    "RunRecordError", "{source} has run schema version {schema}; this Parley reads 1 and 2. It was "
                    "saved by a newer Parley; update Parley to open it.").format(source=source, schema=repr(schema)))
            raise RunRecordError(translate(
                "RunRecordError", "{source} has run schema version {schema}; this Parley reads 1 and 2.").format(
                source=source, schema=repr(schema)))
        try:
            results = [ItemResult.from_json(r) for r in _typed(data, "results", list, [])]
            calibration = data.get("calibration")
            if calibration is not None and not (isinstance(calibration, dict) and all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for v in calibration.values())):
                raise ValueError(translate(
                    "RunRecordError", "field \u201ccalibration\u201d must map labels to numbers"))
            labels = _typed(data, "labels", list, [])
            if not all(isinstance(x, str) for x in labels):
                raise ValueError(translate("RunRecordError", "field \u201clabels\u201d must be a list of text"))
            order_seed = data.get("order_seed")
            if order_seed is not None and (not isinstance(order_seed, int) or isinstance(order_seed, bool)):
                raise ValueError(translate("RunRecordError", "field \u201corder_seed\u201d must be a whole number"))
            return cls(
                template_name=_typed(data, "template_name", str, ""),
                template_version=_typed(data, "template_version", int, 1),
                model_path=_typed(data, "model_path", str, ""),
                model_sha256=_typed(data, "model_sha256", str, ""),
                sampling=_typed(data, "sampling", dict, {}),
                seed=_typed(data, "seed", int, 0),
                shots=_typed(data, "shots", int, 0),
                rule=_typed(data, "rule", str, "normalized"),
                data_path=_typed(data, "data_path", str, ""),
                results=results,
                started_at=_typed(data, "started_at", str, ""),
                completed=_typed(data, "completed", bool, False),
                template=_typed(data, "template", dict, {}),
                template_sha256=_typed(data, "template_sha256", str, ""),
                chat_template_sha256=_typed(data, "chat_template_sha256", str, ""),
                data_sha256=_typed(data, "data_sha256", str, ""),
                items=list(_typed(data, "items", list, [])),  # checked item by item when replayed
                labels=list(labels),
                calibration=None if calibration is None else {str(k): float(v) for k, v in calibration.items()},
                environment=_typed(data, "environment", dict, {}),
                order_seed=order_seed,
                group=_typed(data, "group", str, ""),
                schema_version=schema,
            )
        except ValueError as exc:
            raise RunRecordError(translate("RunRecordError", "{source} is damaged: {error}.").format(
                source=source, error=exc)) from exc

    def write_json(self, path: Path) -> None:
        """Atomic write; OSError when the file cannot be written."""
        write_text_atomic(Path(path), json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n")

    def write_csv(self, path: Path) -> None:
        """One row per item (UTF-8, header first); atomic; OSError when the file cannot be written."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        names = variable_names(self.results)
        writer.writerow([*_CSV_COLUMNS[:2], *names, *_CSV_COLUMNS[2:]])
        for r in self.results:
            row = asdict(r)
            row["passed"] = "true" if r.passed else "false"
            cells = [spreadsheet_safe(v) if isinstance(v := row[c], str) else v for c in _CSV_COLUMNS]
            writer.writerow([*cells[:2], *(spreadsheet_safe(r.variables.get(n, "")) for n in names), *cells[2:]])
        write_text_atomic(Path(path), buf.getvalue())


def variable_names(results: Sequence[ItemResult]) -> list[str]:
    """The template values besides the input that the items carry, in the order they first appear."""
    return list(dict.fromkeys(name for r in results for name in r.variables))


class RunRecordError(ParleyError, ValueError):
    """A run record that cannot be read; str() names the file and what is wrong."""


def _typed(data: dict[str, Any], name: str, kind: type, default: Any) -> Any:
    value = data.get(name, default)
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(translate("RunRecordError", "field \u201c{name}\u201d must be {kind}, not {actual}").format(
            name=name, kind=kind.__name__, actual=type(value).__name__))
    return value


def read_run(path: Path) -> EvalRun:
    """A saved run record; RunRecordError with the file's name for anything that is not one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RunRecordError(translate("RunRecordError", "Could not read the run record {path}: {error}.").format(
            path=path, error=os_reason(exc))) from exc
    except UnicodeDecodeError as exc:
        raise RunRecordError(translate("RunRecordError", "The run record {path} is not UTF-8 text.").format(
            path=path)) from exc
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise RunRecordError(translate("RunRecordError", "The run record {path} is not valid JSON.").format(
            path=path)) from exc
    return EvalRun.from_json(data, source=str(path))


def sweep_shots(max_shots: int) -> list[int]:
    """Shot counts for an accuracy-vs-shots sweep: 0, 1, 2, 4, 8, … up to max_shots, which is always included."""
    shots = [0]
    k = 1
    while k <= max_shots:
        shots.append(k)
        k *= 2
    if max_shots > 0 and shots[-1] != max_shots:
        shots.append(max_shots)
    return shots
