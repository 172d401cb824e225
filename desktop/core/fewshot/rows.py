"""The rows of a test set or example table, and the error that names the file and line when one is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import ParleyError

# Dataset.format -> the name shown to the person.
FORMAT_NAMES: dict[str, str] = {
    "csv": "CSV",
    "tsv": "TSV",
    "jsonl": "JSONL",
    "openai-evals": "OpenAI Evals JSONL",
    "promptfoo": "promptfoo test CSV",
}


class DataError(ParleyError, ValueError):
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
