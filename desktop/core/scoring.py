"""Scoring rules for few-shot evaluation and the record of one evaluation run.

Pure and deterministic so a saved run can be re-scored or compared with another one later.
"""

from __future__ import annotations

import csv
import io
import json
import re
import string
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.files import write_text_atomic

RULES: dict[str, str] = {
    "exact": "Exact match",
    "normalized": "Normalised match (case and spaces)",
    "contains": "Output contains the expected text",
    "regex": "Regular expression",
    "choice": "Choice letter (A, B, C…)",
}

EVAL_RUN_SCHEMA_VERSION = 1

# Characters ignored at either end by the normalised rules: ASCII punctuation plus typographic quotes.
_EDGE = string.punctuation + string.whitespace + "\u2018\u2019\u201c\u201d\u00ab\u00bb\u2026\u3002"

_UPPER = re.compile(r"(?<![\w'])([A-E])(?![\w'])")
# Lower-case letters only count when marked ("(b)", "b)", "b.", "b:"), so the article "a" is not read as a choice.
_LOWER = re.compile(r"(?<![\w'])\(([a-e])\)|(?<![\w'])([a-e])[.):](?![\w'])")


def normalize(text: str) -> str:
    """casefold, collapse whitespace, strip surrounding punctuation and quotes: "  Positive." -> "positive"."""
    return " ".join(text.casefold().split()).strip(_EDGE)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """re.compile with a message a person can act on (ValueError) instead of re.error."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        raise ValueError(f"The regular expression {pattern!r} is not valid: {exc.msg}{where}.") from exc


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
    raise ValueError(f"Unknown scoring rule {rule!r}; use one of {', '.join(RULES)}.")


@dataclass(frozen=True)
class ItemResult:
    line: int
    input: str
    expected: str
    output: str
    passed: bool
    prompt_tokens: int
    evaluated_tokens: int
    generated_tokens: int
    seconds: float


_CSV_COLUMNS = [
    "line", "input", "expected", "output", "passed",
    "prompt_tokens", "evaluated_tokens", "generated_tokens", "seconds",
]


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

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def accuracy(self) -> float:
        return self.passed / len(self.results) if self.results else 0.0

    @property
    def evaluated_prompt_tokens(self) -> int:
        """Prompt tokens actually run through the model (prefix-cache hits excluded)."""
        return sum(r.evaluated_tokens for r in self.results)

    @property
    def prompt_tokens(self) -> int:
        return sum(r.prompt_tokens for r in self.results)

    def to_json(self) -> dict[str, Any]:
        """Everything needed to reproduce the run, plus the summary numbers for quick comparison."""
        return {
            "schema_version": EVAL_RUN_SCHEMA_VERSION,
            "template_name": self.template_name,
            "template_version": self.template_version,
            "model_path": self.model_path,
            "model_sha256": self.model_sha256,
            "sampling": dict(self.sampling),
            "seed": self.seed,
            "shots": self.shots,
            "rule": self.rule,
            "data_path": self.data_path,
            "started_at": self.started_at,
            "completed": self.completed,
            "total": len(self.results),
            "passed": self.passed,
            "accuracy": self.accuracy,
            "prompt_tokens": self.prompt_tokens,
            "evaluated_prompt_tokens": self.evaluated_prompt_tokens,
            "results": [asdict(r) for r in self.results],
        }

    def write_json(self, path: Path) -> None:
        """Atomic write; OSError when the file cannot be written."""
        write_text_atomic(Path(path), json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n")

    def write_csv(self, path: Path) -> None:
        """One row per item (UTF-8, header first); atomic; OSError when the file cannot be written."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(_CSV_COLUMNS)
        for r in self.results:
            row = asdict(r)
            row["passed"] = "true" if r.passed else "false"
            writer.writerow([row[c] for c in _CSV_COLUMNS])
        write_text_atomic(Path(path), buf.getvalue())


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
