"""What the few-shot workbench shows for names kept in English on disk: scoring rules, render modes and the
results table's column keys. Keys stay English (templates, run records, exports); only the words shown change."""

from __future__ import annotations

from desktop.core.fewshot.scoring import RULES
from desktop.core.fewshot.template import RenderMode
from desktop.core.i18n import translate


def rule_label(key: str) -> str:
    """A scoring rule's name as the person reads it; an unknown key (a newer record) shows as saved."""
    labels = {
        "exact": translate("ScoringRule", "Exact match"),
        "normalized": translate("ScoringRule", "Normalised match (case and spaces)"),
        "contains": translate("ScoringRule", "Output contains the expected text"),
        "regex": translate("ScoringRule", "Regular expression"),
        "choice": translate("ScoringRule", "Choice letter (A, B, C…)"),
        "likelihood": translate("ScoringRule", "Most likely answer"),
    }
    return labels.get(key, RULES.get(key, key))


def modes() -> tuple[tuple[RenderMode, str], ...]:
    return ((RenderMode.COMPLETION, translate("TemplateEditor", "Completion document (base models)")),
            (RenderMode.CHAT, translate("TemplateEditor", "Chat turns (chat template)")))


def column_title(key: str) -> str:
    """A results-table column key ("Line", "Prompt tokens", "{option_a}") as its header."""
    titles = {
        "Line": translate("ResultsModel", "Line"),
        "Input": translate("ResultsModel", "Input"),
        "Expected": translate("ResultsModel", "Expected"),
        "Output": translate("ResultsModel", "Output"),
        "Result": translate("ResultsModel", "Result"),
        "Prompt tokens": translate("ResultsModel", "Prompt tokens"),
        "Generated": translate("ResultsModel", "Generated"),
        "Time": translate("ResultsModel", "Time"),
        "P(label)": translate("ResultsModel", "P(label)"),
        "Margin": translate("ResultsModel", "Margin"),
    }
    return titles.get(key, key)


def data_filter() -> str:
    return translate("FewShotPage", "Data files (*.csv *.tsv *.jsonl)")
