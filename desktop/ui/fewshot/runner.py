"""Batch runs and sweeps as evaluation jobs on the one inference queue, each recorded as an EvalRun that can be
replayed.

Every run that scored at least one item is saved to the run store as soon as it ends, so closing Parley (or a
crash) never loses a finished evaluation; the model's SHA-256 is written into the saved record when it is known.
"""

from __future__ import annotations

import contextlib
import random
import secrets
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.core.fewshot.dataset import ColumnMapping, DataError, Dataset, TestItem, to_test_items
from desktop.core.fewshot.runs import RunStore, new_run
from desktop.core.fewshot.scoring import LIKELIHOOD, EvalRun, ItemResult
from desktop.core.fewshot.template import FewShotError, FewShotTemplate, final_prompt
from desktop.core.i18n import translate
from desktop.core.os_reason import os_reason
from desktop.core.prompting.chat_template import ChatTemplate
from desktop.core.prompting.sampling import RANDOM_SEED, RANGES, SamplingParams
from desktop.inference.backend import LoadedModel
from desktop.inference.environment import engine_environment
from desktop.inference.evaluation import EvalRequest
from desktop.inference.jobs import Job
from desktop.inference.session import ModelSession
from desktop.ui.models.model_hashes import ModelHashes


def fixed_seed(params: SamplingParams) -> SamplingParams:
    """A run must be repeatable, so "Random" becomes one drawn seed that the EvalRun records."""
    if params.seed != RANDOM_SEED:
        return params
    return params.with_changes(seed=random.randint(0, int(RANGES["seed"].high)))


def recorded_environment(model: LoadedModel) -> dict[str, Any]:
    """What a record says about the engine; a library that cannot be read leaves only the model file."""
    try:
        return engine_environment(model)
    except OSError:
        return {"model_file": model.info.path.name}


def check_calibration(template: FewShotTemplate) -> None:
    """Calibration scores the labels after content-free inputs, so they must not need an item's values."""
    try:
        template.item_labels({})
    except FewShotError as exc:
        raise FewShotError(translate("EvalRunner",
            "Calibration runs the prompt with content-free inputs, where the labels' {column} fields have no "
            "value. Write the labels out in full, or untick Calibrate.")) from exc


@dataclass(frozen=True)
class BatchPlan:
    """Everything one batch run needs; the template is already cut to its shots."""

    template: FewShotTemplate
    items: tuple[TestItem, ...]
    params: SamplingParams
    chat_template: ChatTemplate | None
    model_path: str
    data_path: str
    sweep: bool = False
    calibrate: bool = False
    order_seed: int | None = None  # the seed that chose and ordered the shots
    group: str = ""  # shared by the runs of one order-sensitivity set or sweep
    environment: dict[str, Any] = field(default_factory=dict)


def plan_runs(template: FewShotTemplate, items: tuple[TestItem, ...], params: SamplingParams,
              chat_template: ChatTemplate | None, model_path: str, data_path: str, *, shots: list[int],
              seed: int | None, orders: int = 1, sweep: bool = False, calibrate: bool = False,
              environment: dict[str, Any] | None = None) -> list[BatchPlan]:
    """One plan per shot count; with orders > 1, `orders` plans per count whose examples are picked and ordered
    at random by seed, seed + 1, … (zero shots has no order to vary: one plan). Runs made together share a group."""
    group = secrets.token_hex(6) if orders > 1 or len(shots) > 1 else ""
    common: dict[str, Any] = {
        "items": items, "params": params, "chat_template": chat_template, "model_path": model_path,
        "data_path": data_path, "sweep": sweep, "calibrate": calibrate, "group": group,
        "environment": dict(environment or {}),
    }
    plans = []
    for k in shots:
        if orders > 1 and k > 0:
            first = seed or 0
            plans += [BatchPlan(template.with_shots(k, first + i, shuffle=True), order_seed=first + i, **common)
                      for i in range(orders)]
        else:
            plans.append(BatchPlan(template.with_shots(k, seed), order_seed=seed, **common))
    return plans


def plan_batch(template: FewShotTemplate, test_set: tuple[Dataset, ColumnMapping], params: SamplingParams,
               chat_template: ChatTemplate | None, model: LoadedModel, *, shots: list[int], seed: int | None,
               orders: int, sweep: bool, calibrate: bool) -> list[BatchPlan]:
    """The plans for running the test set, all with the same drawn sampling seed so only the examples differ.
    Checked here rather than on the worker: DataError or FewShotError says in words what stops the run."""
    dataset, mapping = test_set
    if mapping.expected is None:
        name = Path(dataset.path).name if dataset.path else translate("EvalRunner", "The test set")
        raise DataError(translate("EvalRunner", "{name} has no expected answers, so there is nothing to score "
                                  "the outputs against. Import it again and choose the column that holds the answers "
                                  "(Try works without).").format(name=name))
    items = tuple(to_test_items(dataset, mapping, template))
    plans = plan_runs(template, items, fixed_seed(params), chat_template, str(model.info.path),
                      str(dataset.path or ""), shots=shots, seed=seed, orders=orders, sweep=sweep,
                      calibrate=calibrate, environment=recorded_environment(model))
    if items:
        final_prompt(template, items[0].values, chat_template)
        if template.scoring == LIKELIHOOD:
            template.item_labels(items[0].values)
    if calibrate:
        check_calibration(template)
    return plans


class EvalRunner(QObject):
    """Queues batch runs one after another, one evaluation job each, and turns them into saved EvalRuns."""

    resultAdded = Signal(object)  # ItemResult of the current run
    runStarted = Signal(object)  # EvalRun
    runFinished = Signal(object)  # EvalRun, complete or stopped
    sweepRun = Signal(object)  # EvalRun: a completed run of a sweep, one point of the chart
    batchFinished = Signal(object)  # list[EvalRun]: every run started by one run() call
    runSaved = Signal(object)  # Path of the record just written
    failed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, session: ModelSession, store: RunStore | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.store = store
        self.hasher = ModelHashes(parent=self)
        self.hasher.hashed.connect(self._fill_sha)
        self.runs: list[EvalRun] = []
        self.saved: list[tuple[EvalRun, Path]] = []  # records written this session, to add the model hash later
        self._queue: deque[BatchPlan] = deque()
        self._current: tuple[BatchPlan, EvalRun, Job] | None = None
        self._batch: list[EvalRun] = []

    @property
    def busy(self) -> bool:
        return self._current is not None

    @property
    def total_items(self) -> int:
        return len(self._current[0].items) if self._current else 0

    def variable_names(self) -> list[str]:
        """The current run's template values besides the input, as its items carry them."""
        items = self._current[0].items if self._current else ()
        return list(dict.fromkeys(name for item in items for name in item.values if name != "input"))

    def batch_position(self) -> tuple[int, int]:
        """(which run of the batch is current, how many runs the batch has), counting from 1."""
        return len(self._batch), len(self._batch) + len(self._queue)

    def last_run(self) -> EvalRun | None:
        return self.runs[-1] if self.runs else None

    def run(self, plans: list[BatchPlan]) -> None:
        if self.busy or not plans:
            return
        self._queue = deque(plans)
        self._batch = []
        self._start_next()
        self.busyChanged.emit(True)

    def stop(self) -> None:
        """Drops the queued runs and ends the current one within a token; its finished items are kept."""
        if self._current is not None:
            self._queue.clear()
            self._current[2].cancel()

    def _start_next(self) -> None:
        plan = self._queue.popleft()
        self.hasher.request(plan.model_path)
        template = plan.template
        run = new_run(template=template, items=plan.items, params=plan.params, rule=template.scoring,
                      data_path=plan.data_path, model_path=plan.model_path,
                      model_sha256=self.hasher.get(plan.model_path) or "", chat_template=plan.chat_template,
                      environment=plan.environment, order_seed=plan.order_seed, group=plan.group)
        job = self.session.submit(EvalRequest(template, plan.items, plan.params, plan.chat_template,
                                              template.scoring, template.pattern, calibrate=plan.calibrate))
        # Bound slots, not lambdas: Qt drops them with the runner, so a job ending after the page closed is harmless.
        job.item.connect(self._add)
        job.calibrated.connect(self._calibrated)
        job.result.connect(self._complete)
        job.failed.connect(self._fail)
        job.finished.connect(self._end_run)
        self._current = (plan, run, job)
        self.runs.append(run)
        self._batch.append(run)
        self.runStarted.emit(run)

    def _running(self) -> tuple[BatchPlan, EvalRun, Job]:
        """The current run: its job is the only one connected, and tells its signals only while it is current."""
        assert self._current is not None
        return self._current

    def _add(self, result: ItemResult) -> None:
        self._running()[1].results.append(result)
        self.resultAdded.emit(result)

    def _calibrated(self, bias: dict[str, float]) -> None:
        self._running()[1].calibration = dict(bias)

    def _complete(self, results: list[ItemResult]) -> None:
        plan, run, job = self._running()
        run.results = list(results)
        run.completed = not job.cancelling and len(results) == len(plan.items)

    def _fail(self, message: str) -> None:
        self._queue.clear()
        self.failed.emit(message)

    def _end_run(self) -> None:
        """The job ended: finished, stopped, failed, or stopped before it started (then with no result at all)."""
        plan, run, _job = self._running()
        self._current = None
        self._save(run)
        self.runFinished.emit(run)
        if plan.sweep and run.completed:
            self.sweepRun.emit(run)
        if self._queue:
            self._start_next()
        else:
            self.batchFinished.emit(list(self._batch))
            self.busyChanged.emit(False)

    def _save(self, run: EvalRun) -> None:
        """A run with no scored item is not worth a record; a folder that cannot be written costs only the file."""
        if self.store is None or not run.results:
            return
        try:
            path = self.store.save(run)
        except OSError as exc:
            self.failed.emit(translate("EvalRunner", "Could not save the run to {folder}: {error}. Its results stay "
                                       "here; use Export results… to keep them.").format(folder=self.store.folder,
                                                                                         error=os_reason(exc)))
            return
        self.saved.append((run, path))
        self.runSaved.emit(path)

    def _fill_sha(self, path: str, sha: str) -> None:
        filled = [run for run in self.runs if run.model_path == path and not run.model_sha256]
        for run in filled:
            run.model_sha256 = sha
        for run, saved in self.saved:
            if sha and any(run is f for f in filled) and saved.exists():
                with contextlib.suppress(OSError):  # else the record stays as saved, without the hash
                    run.write_json(saved)  # the same record, now naming the exact model

    def settle(self) -> None:
        """Before exporting: wait for a pending hash so the file names the exact model."""
        self.hasher.wait()
        for run in self.runs:
            if not run.model_sha256:
                run.model_sha256 = self.hasher.get(run.model_path) or ""
