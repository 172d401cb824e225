"""Saved few-shot runs: every batch run is a JSON record under <data>/runs/ that holds enough to run it again.

A record carries the complete template as run (shots already chosen), every item's values in run order, the
rendered prompts, the data file's and model's SHA-256, the sampling settings and seed, and the engine build.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from desktop.core.fewshot.dataset import TestItem
from desktop.core.fewshot.scoring import LIKELIHOOD, EvalRun, ItemResult, RunRecordError, item_key, read_run
from desktop.core.fewshot.template import FewShotError, FewShotTemplate, RenderMode
from desktop.core.files import file_sha256
from desktop.core.i18n import translate
from desktop.core.instruments.statistics import PairedComparison, Spread, accuracy_text, compare_paired, spread
from desktop.core.prompting.chat_template import ChatTemplate
from desktop.core.prompting.sampling import SamplingParams


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def template_sha256(template: FewShotTemplate) -> str:
    """The hash of the template's content as run (its JSON with sorted keys)."""
    return text_sha256(json.dumps(template.to_json(), sort_keys=True, ensure_ascii=False))


def item_record(item: TestItem) -> dict[str, Any]:
    record: dict[str, Any] = {"line": item.line, "values": dict(item.values), "expected": item.expected}
    if item.rule:
        record["rule"] = item.rule
        record["pattern"] = item.pattern
    if item.accepted:
        record["accepted"] = list(item.accepted)
    return record


def new_run(
    *,
    template: FewShotTemplate,
    items: Sequence[TestItem],
    params: SamplingParams,
    rule: str,
    data_path: Path | str,
    model_path: Path | str,
    model_sha256: str = "",
    chat_template: ChatTemplate | None = None,
    environment: dict[str, Any] | None = None,
    order_seed: int | None = None,
    group: str = "",
) -> EvalRun:
    """A run record before its first result: `template` is already cut to its shots."""
    data = Path(data_path)
    try:
        data_hash = file_sha256(data) if data.is_file() else ""
    except OSError:
        data_hash = ""
    chat_hash = ""
    if template.mode is RenderMode.CHAT and chat_template is not None:
        chat_hash = text_sha256(chat_template.source)
    return EvalRun(
        template_name=template.name, template_version=template.version, model_path=str(model_path),
        model_sha256=model_sha256, sampling=params.as_dict(), seed=params.seed,
        shots=len(template.enabled_examples()), rule=rule, data_path=str(data_path),
        started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        template=template.to_json(), template_sha256=template_sha256(template), chat_template_sha256=chat_hash,
        data_sha256=data_hash, items=[item_record(i) for i in items],
        labels=list(template.labels) if rule == LIKELIHOOD else [],
        environment=dict(environment or {}), order_seed=order_seed, group=group,
    )


def template_of(run: EvalRun) -> FewShotTemplate:
    """The template exactly as the run used it; RunRecordError when the record has none (schema 1)."""
    if not run.template:
        raise RunRecordError(translate(
            "RunRecordError", "This run record was saved before runs could be replayed (schema 1): it holds no "
            "template. Run the template again to get a replayable record."))
    try:
        return FewShotTemplate.from_json(run.template, source=translate("RunRecordError", "the record's template"))
    except FewShotError as exc:
        raise RunRecordError(str(exc)) from exc


def items_of(run: EvalRun) -> list[TestItem]:
    """The test items exactly as run, in the same order, from the record alone."""
    if not run.items:
        raise RunRecordError(translate(
            "RunRecordError", "This run record holds no test items (it was saved before runs could be replayed)."))
    items = []
    for i, raw in enumerate(run.items):
        damaged = RunRecordError(translate(
            "RunRecordError", "Item {number} of the run record is damaged (it needs line, values and expected)."
        ).format(number=i + 1))
        if not isinstance(raw, dict):
            raise damaged
        values, line, expected = raw.get("values"), raw.get("line"), raw.get("expected")
        if not (isinstance(values, dict) and isinstance(line, int) and not isinstance(line, bool)
                and isinstance(expected, str) and all(isinstance(k, str) and isinstance(v, str)
                                                      for k, v in values.items())):
            raise damaged
        rule, pattern = raw.get("rule"), raw.get("pattern")
        accepted = raw.get("accepted") or []
        if not isinstance(accepted, list):
            raise damaged
        items.append(TestItem(line, dict(values), expected,
                              rule=rule if isinstance(rule, str) else None,
                              pattern=pattern if isinstance(pattern, str) else None,
                              accepted=tuple(a for a in accepted if isinstance(a, str))))
    return items


def params_of(run: EvalRun) -> SamplingParams:
    known = set(SamplingParams.__dataclass_fields__)
    try:
        return SamplingParams(**{k: v for k, v in run.sampling.items() if k in known})
    except (TypeError, ValueError) as exc:
        raise RunRecordError(translate("RunRecordError", "The run record's sampling settings are damaged: {error}."
                                       ).format(error=exc)) from exc


def run_label(run: EvalRun) -> str:
    """How a run is named in lists and comparisons: template, shots, rule, model file."""
    model = run.environment.get("model_file") or Path(run.model_path).name
    rule = run.rule + (" (calibrated)" if run.calibration is not None else "")
    return f"{run.template_name} · {run.shots}-shot · {rule} · {model}"


def compare_runs(a: EvalRun, b: EvalRun) -> PairedComparison:
    """McNemar's exact test over the items both runs scored; ValueError when they are not the same items."""
    for run, name in ((a, "A"), (b, "B")):
        if not run.results:
            raise ValueError(translate("RunComparison", "Run {name} has no scored items to compare.").format(
                name=name))
    if a.items and b.items:
        values_a = {item_key(i.line): i.values for i in items_of(a)}
        values_b = {item_key(i.line): i.values for i in items_of(b)}
        changed = sorted(k for k in values_a.keys() & values_b.keys() if values_a[k] != values_b[k])
        if changed:
            count = len(changed)
            raise ValueError(translate(
                "RunComparison", "The two runs are not over the same items: %n lines hold different text ({lines}). "
                "Compare runs made on the same test set.", None, count).format(lines=", ".join(changed[:3])))
    return compare_paired(a.outcomes(), b.outcomes(), "A", "B")


def order_spread(runs: Sequence[EvalRun]) -> Spread:
    """Mean, standard deviation and range of the accuracy over runs that differ only in their shots' order."""
    return spread([r.accuracy for r in runs])


@dataclass(frozen=True)
class ReplayDifference:
    line: int
    recorded: str
    replayed: str
    what: str = "answer"  # "answer", "verdict", "probabilities" or "prompt": the first thing that differs


@dataclass
class ReplayReport:
    identical: int = 0
    different: list[ReplayDifference] = field(default_factory=list)
    missing: int = 0  # recorded items the replay did not reach

    @property
    def all_identical(self) -> bool:
        return not self.different and not self.missing


def compare_replay(recorded: EvalRun, replayed: EvalRun) -> ReplayReport:
    """Item by item: the same output, verdict and label probabilities (exactly) as in the record."""
    report = ReplayReport()
    again = {r.line: r for r in replayed.results}
    for old in recorded.results:
        new = again.get(old.line)
        if new is None:
            report.missing += 1
        elif new.output != old.output:
            report.different.append(ReplayDifference(old.line, old.output, new.output))
        elif new.passed != old.passed:
            report.different.append(ReplayDifference(old.line, _verdict(old.passed), _verdict(new.passed), "verdict"))
        elif new.probabilities != old.probabilities:
            report.different.append(ReplayDifference(
                old.line, _probability(old), _probability(new), "probabilities"))
        elif old.prompt and new.prompt and old.prompt != new.prompt:
            report.different.append(ReplayDifference(old.line, old.prompt[-40:], new.prompt[-40:], "prompt"))
        else:
            report.identical += 1
    return report


def _verdict(passed: bool) -> str:
    return "pass" if passed else "fail"


def _probability(result: ItemResult) -> str:
    return f"P({result.output}) = {result.probabilities.get(result.output, 0.0):.17g}"


@dataclass(frozen=True)
class RunSummary:
    path: Path
    started_at: str
    template_name: str
    model_file: str
    shots: int
    rule: str
    passed: int
    total: int
    completed: bool
    group: str = ""
    error: str = ""  # the record could not be read

    @property
    def accuracy_text(self) -> str:
        return accuracy_text(self.passed, self.total)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40] or "run"


class RunStore:
    """One file per run; nothing is ever overwritten, and a damaged file is listed, never deleted behind a back."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def save(self, run: EvalRun) -> Path:
        """Write the record atomically under a new name; OSError when the folder cannot be written."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        base = f"{stamp}-{_slug(run.template_name)}-{run.shots}shot-{secrets.token_hex(3)}"
        for attempt in range(1000):
            path = self.folder / (base + (f"-{attempt}" if attempt else "") + ".json")
            try:  # claim the name first, so two saves in the same second never share a file
                with open(path, "x", encoding="utf-8"):
                    pass
            except FileExistsError:
                continue
            try:
                run.write_json(path)
            except BaseException:
                path.unlink(missing_ok=True)
                raise
            return path
        raise OSError(f"could not find a free file name for the run in {self.folder}")

    def paths(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted((p for p in self.folder.glob("*.json") if p.is_file()), reverse=True)

    def list(self) -> list[RunSummary]:
        """Newest first (file names start with the time)."""
        summaries = []
        for path in self.paths():
            try:
                run = read_run(path)
            except RunRecordError as exc:
                summaries.append(RunSummary(path, "", path.name, "", 0, "", 0, 0, False, error=str(exc)))
                continue
            model = str(run.environment.get("model_file") or Path(run.model_path).name)
            summaries.append(RunSummary(path, run.started_at, run.template_name, model, run.shots, run.rule,
                                        run.passed, len(run.results), run.completed, run.group))
        return summaries

    def load(self, path: Path) -> EvalRun:
        return read_run(path)

    def delete(self, path: Path) -> None:
        """Only files inside the runs folder; ValueError for anything else."""
        path = Path(path)
        if path.parent.resolve() != self.folder.resolve() or path.suffix != ".json":
            raise ValueError(f"{path} is not a saved run.")
        path.unlink(missing_ok=True)
