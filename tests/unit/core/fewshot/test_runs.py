"""Unit tests for desktop.core.fewshot.runs and the run record of desktop.core.fewshot.scoring (schemas 1 and 2)."""

from __future__ import annotations

import hashlib
import json
import math
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ClassVar

import pytest

from desktop.core.fewshot import runs
from desktop.core.fewshot.dataset import TestItem
from desktop.core.fewshot.runs import (
    ReplayDifference,
    RunStore,
    compare_replay,
    compare_runs,
    item_record,
    items_of,
    new_run,
    order_spread,
    params_of,
    run_label,
    template_of,
    template_sha256,
)
from desktop.core.fewshot.scoring import EVAL_RUN_SCHEMA_VERSION, EvalRun, ItemResult, RunRecordError, read_run
from desktop.core.fewshot.template import Example, FewShotTemplate, RenderMode
from desktop.core.instruments.statistics import accuracy_text, wilson_interval
from desktop.core.prompting.chat_template import ChatTemplate
from desktop.core.prompting.sampling import SamplingParams

# --- helpers -------------------------------------------------------------------------------


def _template(**changes: Any) -> FewShotTemplate:
    t = FewShotTemplate(
        name="Sentiment / reviews",
        version=3,
        instruction="Classify the review.",
        examples=[Example("great film", "positive"), Example("meh", "negative", enabled=False),
                  Example("dull and long", "negative", variables={"topic": "film"})],
        input_label="Review:",
        output_label="Sentiment:",
        scoring="likelihood",
        labels=["positive", "negative"],
    )
    for key, value in changes.items():
        setattr(t, key, value)
    return t


def _items() -> list[TestItem]:
    return [
        TestItem(4, {"input": "loved it"}, "positive"),
        TestItem(2, {"input": "awful"}, "negative", accepted=("bad", "negative.")),
        TestItem(9, {"input": "so-so", "topic": "book"}, "^neg", rule="regex", pattern="^neg"),
    ]


def _params() -> SamplingParams:
    return SamplingParams(temperature=0.0, top_k=1, max_tokens=8, seed=42)


def _result(line: int, passed: bool, output: str = "positive", **kw: Any) -> ItemResult:
    return ItemResult(line=line, input=f"text {line}", expected="positive", output=output, passed=passed,
                      prompt_tokens=kw.pop("prompt_tokens", 30), evaluated_tokens=kw.pop("evaluated_tokens", 10),
                      generated_tokens=kw.pop("generated_tokens", 1), seconds=kw.pop("seconds", 0.5), **kw)


def _run(results: list[ItemResult], items: list[dict[str, Any]] | None = None, **kw: Any) -> EvalRun:
    return EvalRun(template_name=kw.pop("template_name", "Sentiment"), template_version=1,
                   model_path=kw.pop("model_path", "/models/tiny.gguf"), model_sha256="",
                   sampling=kw.pop("sampling", {}), seed=1,
                   shots=kw.pop("shots", 2), rule=kw.pop("rule", "normalized"), data_path="/data/x.csv",
                   results=results, items=items or [], **kw)


def _new_run(tmp_path: Path, **kw: Any) -> EvalRun:
    args: dict[str, Any] = {"template": _template(), "items": _items(), "params": _params(), "rule": "likelihood",
                            "data_path": tmp_path / "missing.csv", "model_path": tmp_path / "model.gguf"}
    args.update(kw)
    return new_run(**args)


def _schema1_record() -> dict[str, Any]:
    """A record as Parley wrote it before runs were replayable."""
    old_item = ("line", "input", "expected", "output", "passed", "prompt_tokens", "evaluated_tokens",
                "generated_tokens", "seconds")
    rows = [(1, "great", "positive", "positive", True, 40, 40, 2, 0.25),
            (2, "awful", "negative", "positive", False, 41, 6, 2, 0.5),
            (3, "fine", "positive", "Positive.", True, 39, 5, 3, 1)]
    return {
        "schema_version": 1, "template_name": "Old sentiment", "template_version": 2,
        "model_path": "/models/old-model.Q4_K_M.gguf", "model_sha256": "ab" * 32,
        "sampling": {**SamplingParams().as_dict(), "seed": 7}, "seed": 7, "shots": 2, "rule": "normalized",
        "data_path": "/data/reviews.csv", "started_at": "2025-01-02T03:04:05+00:00", "completed": True,
        "total": 3, "passed": 2, "accuracy": 2 / 3, "prompt_tokens": 120, "evaluated_prompt_tokens": 51,
        "results": [dict(zip(old_item, row, strict=True)) for row in rows],
    }


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


class _Clock(datetime):
    """datetime with a settable now(), for file names that start with the time."""

    moment: ClassVar[datetime] = datetime(2025, 1, 1, 10, 0, 0, tzinfo=timezone.utc)

    @classmethod
    def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
        return cls.moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> type[_Clock]:
    monkeypatch.setattr(runs, "datetime", _Clock)
    monkeypatch.setattr(_Clock, "moment", datetime(2025, 1, 1, 10, 0, 0, tzinfo=timezone.utc))
    return _Clock


# --- new_run ---------------------------------------------------------------------------------


def test_new_run_records_the_template_as_run(tmp_path: Path) -> None:
    template = _template()
    run = _new_run(tmp_path, template=template)
    assert run.template == template.to_json()
    expected_hash = hashlib.sha256(
        json.dumps(template.to_json(), sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    assert run.template_sha256 == expected_hash == template_sha256(template)
    assert (run.template_name, run.template_version) == ("Sentiment / reviews", 3)
    assert run.shots == 2  # the enabled examples; the disabled one is not a shot
    assert run.schema_version == EVAL_RUN_SCHEMA_VERSION == 2
    assert run.results == [] and run.completed is False


def test_template_hash_follows_the_content() -> None:
    assert template_sha256(_template()) == template_sha256(_template())
    assert template_sha256(_template()) != template_sha256(_template(labels=["positive", "negative", "mixed"]))
    assert template_sha256(_template()) != template_sha256(_template().with_shots(1))


def test_new_run_records_the_items_in_order(tmp_path: Path) -> None:
    run = _new_run(tmp_path)
    assert run.items == [
        {"line": 4, "values": {"input": "loved it"}, "expected": "positive"},
        {"line": 2, "values": {"input": "awful"}, "expected": "negative", "accepted": ["bad", "negative."]},
        {"line": 9, "values": {"input": "so-so", "topic": "book"}, "expected": "^neg", "rule": "regex",
         "pattern": "^neg"},
    ]


def test_item_record_copies_the_values() -> None:
    item = TestItem(1, {"input": "x"}, "y")
    record = item_record(item)
    record["values"]["input"] = "changed"
    assert item.values == {"input": "x"}


def test_new_run_records_settings_paths_and_time(tmp_path: Path) -> None:
    run = _new_run(tmp_path, model_sha256="cd" * 32, environment={"model_file": "m.gguf", "threads": 4},
                   order_seed=17, group="g1")
    assert run.sampling == _params().as_dict()
    assert run.seed == 42
    assert run.rule == "likelihood"
    assert run.model_path == str(tmp_path / "model.gguf") and run.model_sha256 == "cd" * 32
    assert run.data_path == str(tmp_path / "missing.csv")
    assert run.environment == {"model_file": "m.gguf", "threads": 4}
    assert (run.order_seed, run.group) == (17, "g1")
    started = datetime.fromisoformat(run.started_at)
    assert started.tzinfo is not None
    assert abs((datetime.now(timezone.utc) - started).total_seconds()) < 60


def test_new_run_copies_the_environment(tmp_path: Path) -> None:
    environment = {"threads": 4}
    run = _new_run(tmp_path, environment=environment)
    environment["threads"] = 8
    assert run.environment == {"threads": 4}


def test_new_run_hashes_the_data_file(tmp_path: Path) -> None:
    data = tmp_path / "reviews.csv"
    data.write_bytes(b"input,expected\nloved it,positive\n")
    run = _new_run(tmp_path, data_path=data)
    assert run.data_sha256 == hashlib.sha256(b"input,expected\nloved it,positive\n").hexdigest()


def test_new_run_without_a_data_file_has_no_hash(tmp_path: Path) -> None:
    assert _new_run(tmp_path, data_path=tmp_path / "missing.csv").data_sha256 == ""
    assert _new_run(tmp_path, data_path=tmp_path).data_sha256 == ""  # a folder is not a data file


def test_new_run_hashes_the_chat_template_only_in_chat_mode(tmp_path: Path) -> None:
    chat = ChatTemplate(source="{% for m in messages %}{{ m.content }}{% endfor %}", label="test")
    chat_run = _new_run(tmp_path, template=_template(mode=RenderMode.CHAT), chat_template=chat)
    assert chat_run.chat_template_sha256 == hashlib.sha256(chat.source.encode("utf-8")).hexdigest()
    assert _new_run(tmp_path, template=_template(), chat_template=chat).chat_template_sha256 == ""
    assert _new_run(tmp_path, template=_template(mode=RenderMode.CHAT)).chat_template_sha256 == ""


def test_new_run_records_labels_only_for_the_likelihood_rule(tmp_path: Path) -> None:
    assert _new_run(tmp_path, rule="likelihood").labels == ["positive", "negative"]
    assert _new_run(tmp_path, rule="normalized").labels == []


# --- template_of, items_of, params_of ---------------------------------------------------------------


def test_template_and_items_come_back_from_the_record(tmp_path: Path) -> None:
    template = _template().with_shots(2, seed=3, shuffle=True)
    run = _new_run(tmp_path, template=template)
    assert template_of(run) == template
    assert template_sha256(template_of(run)) == run.template_sha256
    assert items_of(run) == _items()


def test_items_of_drops_only_what_is_not_text(tmp_path: Path) -> None:
    run = _run([], items=[{"line": 1, "values": {"input": "x"}, "expected": "y", "rule": 5, "pattern": None,
                           "accepted": ["a", 3, "b"]}])
    assert items_of(run) == [TestItem(1, {"input": "x"}, "y", accepted=("a", "b"))]


@pytest.mark.parametrize("damaged", [
    {"values": {"input": "x"}, "expected": "y"},
    {"line": "1", "values": {"input": "x"}, "expected": "y"},
    {"line": 1, "values": ["x"], "expected": "y"},
    {"line": 1, "values": {"input": 3}, "expected": "y"},
    {"line": 1, "values": {"input": "x"}, "expected": None},
])
def test_items_of_a_damaged_item_names_it(damaged: dict[str, Any]) -> None:
    run = _run([], items=[{"line": 1, "values": {"input": "ok"}, "expected": "y"}, damaged])
    with pytest.raises(RunRecordError, match="Item 2 of the run record is damaged"):
        items_of(run)


def test_a_non_object_item_in_a_saved_record_is_reported(tmp_path: Path) -> None:
    data = _new_run(tmp_path).to_json()
    data["items"].insert(1, 42)
    run = read_run(_write(tmp_path / "run.json", data))
    with pytest.raises(RunRecordError, match="Item 2"):
        items_of(run)


def test_template_of_a_damaged_template_is_a_record_error() -> None:
    run = _run([], template={"schema_version": 1, "scoring": "no-such-rule"})
    with pytest.raises(RunRecordError, match="no-such-rule"):
        template_of(run)


def test_params_of_rebuilds_the_sampling_settings(tmp_path: Path) -> None:
    assert params_of(_new_run(tmp_path)) == _params()


def test_params_of_ignores_unknown_settings() -> None:
    run = _run([], sampling={"temperature": 0.2, "mirostat": 2, "typical_p": 0.5, "seed": 9})
    assert params_of(run) == SamplingParams(temperature=0.2, seed=9)


@pytest.mark.parametrize("sampling", [{"temperature": 5.0}, {"top_p": -0.1}, {"max_tokens": 0},
                                      {"top_k": 2.5}, {"temperature": "hot"}, {"seed": True}])
def test_params_of_damaged_settings_are_a_record_error(sampling: dict[str, Any]) -> None:
    with pytest.raises(RunRecordError, match="sampling settings are damaged"):
        params_of(_run([], sampling=sampling))


# --- run_label and order_spread ------------------------------------------------------------------


def test_run_label_names_template_shots_rule_and_model() -> None:
    run = _run([], template_name="Sentiment", shots=4, rule="likelihood", model_path="/m/gemma-3-270m.gguf")
    assert run_label(run) == "Sentiment · 4-shot · likelihood · gemma-3-270m.gguf"


def test_run_label_marks_calibration_and_prefers_the_recorded_model_file() -> None:
    run = _run([], template_name="T", shots=0, rule="likelihood", model_path="/elsewhere/renamed.gguf",
               calibration={"a": 0.5, "b": 0.5}, environment={"model_file": "original.gguf"})
    assert run_label(run) == "T · 0-shot · likelihood (calibrated) · original.gguf"


def test_order_spread_of_three_runs() -> None:
    accuracies = ([True, True, False, False], [True, True, True, False], [True, True, True, True])
    group = [_run([_result(i, p) for i, p in enumerate(passes)]) for passes in accuracies]
    s = order_spread(group)
    assert (s.n, s.low, s.high) == (3, 0.5, 1.0)
    assert s.mean == pytest.approx(0.75, abs=1e-15)
    assert s.std == pytest.approx(0.25, abs=1e-15)  # sample deviation: sqrt((.0625 + 0 + .0625) / 2)


def test_order_spread_needs_a_run() -> None:
    with pytest.raises(ValueError):
        order_spread([])


# --- compare_runs ----------------------------------------------------------------------------------


def _pair(fixed: int, broken: int, both_right: int = 2, both_wrong: int = 1) -> tuple[EvalRun, EvalRun]:
    a_passes = [False] * fixed + [True] * broken + [True] * both_right + [False] * both_wrong
    b_passes = [True] * fixed + [False] * broken + [True] * both_right + [False] * both_wrong
    items = [{"line": i + 1, "values": {"input": f"text {i + 1}"}, "expected": "positive"}
             for i in range(len(a_passes))]
    a = _run([_result(i + 1, p) for i, p in enumerate(a_passes)], items=items)
    b = _run([_result(i + 1, p) for i, p in enumerate(b_passes)], items=[dict(i) for i in items])
    return a, b


def test_compare_runs_verdict() -> None:
    a, b = _pair(fixed=7, broken=1)
    comparison = compare_runs(a, b)
    assert len(comparison.fixed) == 7 and len(comparison.broken) == 1
    assert (comparison.both_right, comparison.both_wrong) == (2, 1)
    assert comparison.p_value == pytest.approx(18 / 256, abs=1e-12)  # 2 · (C(8,0) + C(8,1)) / 2^8
    assert comparison.verdict() == "B is better than A: 7 items fixed, 1 broken, p = 0.07, not significant at 0.05"
    assert compare_runs(b, a).verdict() == \
        "B is worse than A: 1 item fixed, 7 broken, p = 0.07, not significant at 0.05"


def test_compare_runs_identical_outcomes_agree() -> None:
    a, b = _pair(fixed=0, broken=0)
    assert compare_runs(a, b).verdict() == "A and B agree on every item"


def test_compare_runs_refuses_different_text_on_the_same_line() -> None:
    a, b = _pair(fixed=2, broken=1)
    b.items[1]["values"] = {"input": "another review"}
    with pytest.raises(ValueError, match="not over the same items: 1 lines hold different text \\(line 2\\)"):
        compare_runs(a, b)


def test_compare_runs_refuses_different_lines() -> None:
    a, b = _pair(fixed=2, broken=1)
    b.results.append(_result(99, True))
    with pytest.raises(ValueError, match="not over the same items"):
        compare_runs(a, b)


@pytest.mark.parametrize("empty", ["A", "B"])
def test_compare_runs_refuses_a_run_without_results(empty: str) -> None:
    a, b = _pair(fixed=1, broken=1)
    (a if empty == "A" else b).results.clear()
    with pytest.raises(ValueError, match=f"Run {empty} has no scored items"):
        compare_runs(a, b)


def test_compare_runs_without_items_compares_outcomes_only() -> None:
    a, b = _pair(fixed=3, broken=0)
    a.items.clear()
    assert compare_runs(a, b).verdict().startswith("B is better than A: 3 items fixed, 0 broken")


# --- compare_replay -------------------------------------------------------------------------------


def _replayable() -> EvalRun:
    return _run([_result(1, True, "positive", prompt="P1", probabilities={"positive": 0.75, "negative": 0.25},
                         margin=0.5),
                 _result(2, False, "negative", prompt="P2", probabilities={"positive": 0.4, "negative": 0.6},
                         margin=0.2),
                 _result(3, True, "positive", prompt="P3", probabilities={"positive": 0.9, "negative": 0.1},
                         margin=0.8)])


def _again(run: EvalRun) -> EvalRun:
    """A replay: the same outputs, but its own timings and cache use."""
    results = [ItemResult(**{**r.__dict__, "seconds": r.seconds + 1, "evaluated_tokens": 0}) for r in run.results]
    return _run(results)


def test_compare_replay_identical() -> None:
    recorded = _replayable()
    report = compare_replay(recorded, _again(recorded))
    assert (report.identical, report.different, report.missing) == (3, [], 0)
    assert report.all_identical


def test_compare_replay_a_different_output() -> None:
    recorded = _replayable()
    again = _again(recorded)
    again.results[1] = ItemResult(**{**again.results[1].__dict__, "output": "positive", "passed": True})
    report = compare_replay(recorded, again)
    assert report.identical == 2 and report.missing == 0
    assert report.different == [ReplayDifference(2, "negative", "positive")]
    assert not report.all_identical


def test_compare_replay_a_different_probability() -> None:
    recorded = _replayable()
    again = _again(recorded)
    changed = {"positive": 0.9000000000000001, "negative": 0.1}  # exactly, not approximately
    again.results[2] = ItemResult(**{**again.results[2].__dict__, "probabilities": changed})
    report = compare_replay(recorded, again)
    assert report.identical == 2
    assert report.different == [ReplayDifference(
        3, "P(positive) = 0.90000000000000002", "P(positive) = 0.90000000000000013", "probabilities")]


def test_compare_replay_a_different_prompt() -> None:
    recorded = _replayable()
    again = _again(recorded)
    again.results[0] = ItemResult(**{**again.results[0].__dict__, "prompt": "P1 with another shot"})
    assert compare_replay(recorded, again).different == [ReplayDifference(1, "P1", "P1 with another shot", "prompt")]


def test_compare_replay_a_missing_item() -> None:
    recorded = _replayable()
    again = _again(recorded)
    del again.results[0]
    report = compare_replay(recorded, again)
    assert (report.identical, report.different, report.missing) == (2, [], 1)
    assert not report.all_identical


def test_compare_replay_of_a_record_without_prompts() -> None:
    """A record with no prompts (schema 1) still compares on outputs, verdicts and probabilities."""
    recorded = _run([_result(1, True), _result(2, False, "negative")])
    replayed = _run([_result(1, True, prompt="P1"), _result(2, False, "negative", prompt="P2")])
    assert compare_replay(recorded, replayed).all_identical


# --- EvalRun records --------------------------------------------------------------------------------


def _full_run(tmp_path: Path) -> EvalRun:
    data = tmp_path / "reviews.csv"
    data.write_text("input,expected\n", encoding="utf-8")
    run = _new_run(tmp_path, data_path=data, model_sha256="ef" * 32,
                   environment={"parley": "0.4", "engine": {"build": 1234, "backend": "CPU"}, "threads": 8},
                   order_seed=11, group="abc123")
    run.results = [
        _result(4, True, "positive", prompt="Review: loved it\nSentiment:", seconds=0.125,
                probabilities={"positive": 0.8, "negative": 0.2}, margin=0.6000000000000001),
        _result(2, False, "positive", prompt="Review: awful\nSentiment:", seconds=2.0,
                probabilities={"positive": 0.55, "negative": 0.45}, margin=0.1),
        _result(9, True, "negative", prompt="Review: so-so\nSentiment:", generated_tokens=0,
                probabilities={"positive": 1 / 3, "negative": 2 / 3}, margin=1 / 3),
    ]
    run.calibration = {"positive": 0.7, "negative": 0.3}
    run.completed = True
    return run


def test_schema2_record_round_trips(tmp_path: Path) -> None:
    run = _full_run(tmp_path)
    path = tmp_path / "run.json"
    run.write_json(path)
    back = read_run(path)
    assert back == run
    assert back.to_json() == run.to_json()
    assert template_of(back) == _template()
    assert items_of(back) == _items()
    assert params_of(back) == _params()
    assert back.calibration == {"positive": 0.7, "negative": 0.3}
    assert back.environment["engine"] == {"build": 1234, "backend": "CPU"}
    assert (back.order_seed, back.group) == (11, "abc123")
    assert back.results[2].probabilities["positive"] == 1 / 3  # floats survive exactly


def test_schema2_record_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "run.json"
    _full_run(tmp_path).write_json(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == 2
    assert (data["total"], data["passed"], data["accuracy"]) == (3, 2, 2 / 3)
    assert data["accuracy_ci95"] == list(wilson_interval(2, 3))
    assert data["prompt_tokens"] == 90 and data["evaluated_prompt_tokens"] == 30
    assert [r["line"] for r in data["results"]] == [4, 2, 9]
    assert set(data["results"][0]) == {"line", "input", "expected", "output", "passed", "prompt_tokens",
                                       "evaluated_tokens", "generated_tokens", "seconds", "prompt",
                                       "probabilities", "margin", "variables"}


def test_uncalibrated_run_round_trips_with_no_calibration(tmp_path: Path) -> None:
    run = _run([_result(1, True)], order_seed=None)
    path = tmp_path / "run.json"
    run.write_json(path)
    back = read_run(path)
    assert back.calibration is None and back.order_seed is None
    assert back.results[0].margin is None and back.results[0].probabilities == {}


def test_eval_run_summary_numbers() -> None:
    run = _run([_result(1, True), _result(2, False), _result(3, True)])
    assert run.passed == 2 and run.accuracy == 2 / 3
    assert run.interval == wilson_interval(2, 3)
    assert run.accuracy_text() == accuracy_text(2, 3)
    assert run.accuracy_text().startswith("0.667 (2/3), 95% CI ")
    assert run.outcomes() == {"line 1": True, "line 2": False, "line 3": True}


def test_empty_eval_run_summary_numbers() -> None:
    run = _run([])
    assert run.accuracy == 0.0 and run.passed == 0
    assert run.accuracy_text() == "no items scored"
    assert run.outcomes() == {}


# --- schema 1 ---------------------------------------------------------------------------------------


def test_schema1_record_opens(tmp_path: Path) -> None:
    run = read_run(_write(tmp_path / "old.json", _schema1_record()))
    assert run.schema_version == 1
    assert (run.template_name, run.template_version, run.shots, run.seed) == ("Old sentiment", 2, 2, 7)
    assert run.passed == 2 and len(run.results) == 3 and run.completed
    assert run.results[2].seconds == 1.0 and isinstance(run.results[2].seconds, float)
    assert run.results[0].prompt == "" and run.results[0].probabilities == {} and run.results[0].margin is None
    assert run.template == {} and run.items == [] and run.labels == [] and run.calibration is None
    assert params_of(run) == SamplingParams(seed=7)
    assert run_label(run) == "Old sentiment · 2-shot · normalized · old-model.Q4_K_M.gguf"


def test_schema1_record_cannot_be_replayed(tmp_path: Path) -> None:
    run = read_run(_write(tmp_path / "old.json", _schema1_record()))
    with pytest.raises(RunRecordError, match="before runs could be replayed \\(schema 1\\)"):
        template_of(run)
    with pytest.raises(RunRecordError, match="before runs could be replayed"):
        items_of(run)


def test_schema1_record_compares_with_a_new_one(tmp_path: Path) -> None:
    old = read_run(_write(tmp_path / "old.json", _schema1_record()))
    new = _run([_result(1, True), _result(2, True), _result(3, True)],
               items=[{"line": n, "values": {"input": "other"}, "expected": "x"} for n in (1, 2, 3)])
    comparison = compare_runs(old, new)  # no items in the old record: nothing to check the text against
    assert (len(comparison.fixed), len(comparison.broken)) == (1, 0)
    assert comparison.verdict() == "B is better than A: 1 item fixed, 0 broken, p = 1.00, not significant at 0.05"


def test_schema1_record_is_listed(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    store.folder.mkdir()
    path = _write(store.folder / "20250102-030405-old-sentiment-2shot-aaaaaa.json", _schema1_record())
    [summary] = store.list()
    assert summary.path == path and summary.error == ""
    assert (summary.template_name, summary.model_file, summary.shots, summary.rule) == \
        ("Old sentiment", "old-model.Q4_K_M.gguf", 2, "normalized")
    assert (summary.passed, summary.total, summary.completed) == (2, 3, True)
    assert summary.started_at == "2025-01-02T03:04:05+00:00"
    assert summary.accuracy_text == accuracy_text(2, 3)


# --- damaged records ------------------------------------------------------------------------------------


def _damaged(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _valid() -> dict[str, Any]:
    return _run([_result(1, True)]).to_json()


def _with(**changes: Any) -> str:
    return json.dumps({**_valid(), **changes})


DAMAGED: dict[str, tuple[str | bytes, str]] = {
    "truncated": ('{"schema_version": 2, "results": [', "is not valid JSON"),
    "not-json": ("this is not json", "is not valid JSON"),
    "deep": ("[" * 10_000 + "]" * 10_000, "is not valid JSON"),
    "deep-inside": ('{"schema_version": 2, "results": [], "environment": ' + '{"a": ' * 10_000 + "1"
                    + "}" * 10_000 + "}", "is not valid JSON"),
    "latin1": ('{"schema_version": 2, "results": [], "template_name": "caf\u00e9"}'.encode("latin-1"),
               "is not UTF-8 text"),
    "list": ("[1, 2, 3]", "is not a Parley run record"),
    "foreign": ('{"name": "a template"}', "is not a Parley run record"),
    "schema-99": (_with(schema_version=99), "run schema version 99; this Parley reads 1 and 2. It was saved by a "
                                            "newer Parley"),
    "schema-0": (_with(schema_version=0), "run schema version 0; this Parley reads 1 and 2.$"),
    "schema-text": (_with(schema_version="2"), "run schema version '2'"),
    "shots-text": (_with(shots="three"), "is damaged: field \u201cshots\u201d must be int, not str"),
    "shots-bool": (_with(shots=True), "field \u201cshots\u201d must be int, not bool"),
    "results-object": (_with(results={"a": 1}), "field \u201cresults\u201d must be list, not dict"),
    "sampling-list": (_with(sampling=[0.7]), "field \u201csampling\u201d must be dict"),
    "completed-text": (_with(completed="yes"), "field \u201ccompleted\u201d must be bool"),
    "calibration-text": (_with(calibration={"a": "0.5"}), "field \u201ccalibration\u201d must map labels"),
    "calibration-list": (_with(calibration=[0.5, 0.5]), "field \u201ccalibration\u201d must map labels"),
    "order-seed-float": (_with(order_seed=1.5), "field \u201corder_seed\u201d must be a whole number"),
    "result-not-object": (_with(results=[1]), "each result must be an object"),
    "result-wrong-type": (_with(results=[{**_valid()["results"][0], "passed": "yes"}]),
                          "result field \u201cpassed\u201d must be bool, not str"),
    "result-unknown-and-wrong": (_with(results=[{**_valid()["results"][0], "future_field": 1, "line": "7"}]),
                                 "result field \u201cline\u201d must be int, not str"),
    "result-bool-line": (_with(results=[{**_valid()["results"][0], "line": False}]),
                         "result field \u201cline\u201d must be int, not bool"),
    "result-probabilities": (_with(results=[{**_valid()["results"][0], "probabilities": {"a": "high"}}]),
                             "result field \u201cprobabilities\u201d must map labels to numbers"),
    "result-margin": (_with(results=[{**_valid()["results"][0], "margin": "wide"}]),
                      "result field \u201cmargin\u201d must be float, not str"),
}


@pytest.mark.parametrize("name", list(DAMAGED))
def test_damaged_record_is_a_record_error_naming_the_file(tmp_path: Path, name: str) -> None:
    content, message = DAMAGED[name]
    path = _damaged(tmp_path, f"{name}.json", content)
    with pytest.raises(RunRecordError, match=message) as err:
        read_run(path)
    assert str(path) in str(err.value)


def test_a_missing_record_is_a_record_error(tmp_path: Path) -> None:
    path = tmp_path / "gone.json"
    with pytest.raises(RunRecordError, match="Could not read the run record") as err:
        read_run(path)
    assert str(path) in str(err.value)


def test_a_result_with_an_unknown_field_still_opens(tmp_path: Path) -> None:
    """A record from a newer Parley: fields this one does not know are ignored."""
    result = {**_valid()["results"][0], "future_field": {"nested": [1, 2]}, "confidence": 0.9}
    run = read_run(_write(tmp_path / "newer.json", {**_valid(), "results": [result], "future_top": 1}))
    assert run.results == [_result(1, True)]


def test_item_result_from_json_reads_known_typed_fields() -> None:
    data = {"line": 3, "input": "x", "expected": "y", "output": "y", "passed": True, "prompt_tokens": 5,
            "evaluated_tokens": 2, "generated_tokens": 1, "seconds": 2, "margin": 1, "probabilities": {"y": 1},
            "unknown": "ignored"}
    result = ItemResult.from_json(data)
    assert result == ItemResult(3, "x", "y", "y", True, 5, 2, 1, 2.0, "", {"y": 1.0}, 1.0)
    assert isinstance(result.seconds, float) and isinstance(result.margin, float)
    assert isinstance(result.probabilities["y"], float)


def test_item_result_from_json_defaults_missing_fields() -> None:
    assert ItemResult.from_json({}) == ItemResult(0, "", "", "", False, 0, 0, 0, 0.0)


@pytest.mark.parametrize("bad", [None, [], "result", 3])
def test_item_result_from_json_needs_an_object(bad: Any) -> None:
    with pytest.raises(ValueError, match="must be an object"):
        ItemResult.from_json(bad)


def test_store_lists_damaged_files_with_their_error(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    good = store.save(_full_run(tmp_path))
    broken = _damaged(store.folder, "20000101-000000-broken.json", "{not json")
    deep = _damaged(store.folder, "20000101-000001-deep.json", "[" * 10_000 + "]" * 10_000)
    newer = _damaged(store.folder, "20000101-000002-newer.json", _with(schema_version=99))
    summaries = {s.path: s for s in store.list()}
    assert set(summaries) == {good, broken, deep, newer}
    assert summaries[good].error == ""
    for path in (broken, deep, newer):
        s = summaries[path]
        assert s.error and str(path) in s.error
        assert s.template_name == path.name
        assert (s.passed, s.total, s.completed) == (0, 0, False)
        assert s.accuracy_text == "no items scored"
    assert broken.exists() and deep.exists() and newer.exists()  # listed, never deleted


# --- RunStore ---------------------------------------------------------------------------------------------


def test_store_save_and_load(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "data" / "runs")  # the folder is made on the first save
    run = _full_run(tmp_path)
    path = store.save(run)
    assert path.parent == store.folder and path.suffix == ".json"
    assert "sentiment-reviews-2shot-" in path.name
    assert store.load(path) == run
    assert store.paths() == [path]
    assert not [p for p in store.folder.iterdir() if p.name.endswith(".tmp")]  # no temporary file left behind


def test_store_save_never_overwrites(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    run = _full_run(tmp_path)
    first, second = store.save(run), store.save(run)
    assert first != second
    assert sorted(store.paths()) == sorted([first, second])
    assert read_run(first) == read_run(second) == run


def test_store_save_names_a_run_with_an_odd_name(tmp_path: Path, clock: type[_Clock]) -> None:
    store = RunStore(tmp_path / "runs")
    path = store.save(_run([], template_name="../../ étrange / *?", shots=0))
    assert path.parent == store.folder
    assert path.name.startswith("20250101-100000-trange-0shot-")
    assert RunStore(tmp_path / "runs").save(_run([], template_name="", shots=1)).name.startswith(
        "20250101-100000-run-1shot-")


def test_store_save_never_overwrites_even_when_the_name_repeats(
        tmp_path: Path, clock: type[_Clock], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs.secrets, "token_hex", lambda n: "abcdef")
    store = RunStore(tmp_path / "runs")
    first = store.save(_run([_result(1, True)]))
    store.save(_run([_result(1, False)]))
    assert len(store.paths()) == 2
    assert read_run(first).passed == 1


def test_store_lists_newest_first(tmp_path: Path, clock: type[_Clock]) -> None:
    store = RunStore(tmp_path / "runs")
    saved = []
    for moment, name in [(datetime(2025, 1, 1, 10, 0, 0, tzinfo=timezone.utc), "first"),
                         (datetime(2025, 1, 1, 10, 0, 1, tzinfo=timezone.utc), "second"),
                         (datetime(2024, 12, 31, 23, 59, 59, tzinfo=timezone.utc), "oldest"),
                         (datetime(2025, 3, 1, 0, 0, 0, tzinfo=timezone.utc), "newest")]:
        clock.moment = moment
        saved.append((name, store.save(_run([_result(1, True)], template_name=name))))
    assert [s.template_name for s in store.list()] == ["newest", "second", "first", "oldest"]
    assert [p.name[:15] for p in store.paths()] == ["20250301-000000", "20250101-100001", "20250101-100000",
                                                    "20241231-235959"]


def test_store_list_skips_what_is_not_a_record_file(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    path = store.save(_run([_result(1, True)]))
    (store.folder / "notes.txt").write_text("hello", encoding="utf-8")
    (store.folder / "folder.json").mkdir()
    assert [s.path for s in store.list()] == [path]


def test_store_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "nothing here")
    assert store.paths() == [] and store.list() == []
    assert not store.folder.exists()  # listing does not create it


def test_store_delete_removes_a_saved_run(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    keep, drop = store.save(_run([_result(1, True)])), store.save(_run([_result(1, False)]))
    store.delete(drop)
    assert store.paths() == [keep]
    store.delete(drop)  # already gone: nothing to do


def test_store_delete_accepts_a_relative_path_to_a_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = RunStore(tmp_path / "runs")
    path = store.save(_run([_result(1, True)]))
    monkeypatch.chdir(tmp_path)
    store.delete(Path("runs") / path.name)
    assert not path.exists()


@pytest.mark.parametrize("where", ["outside.json", "runs/../outside.json", "runs/sub/inside-a-subfolder.json"])
def test_store_delete_refuses_a_path_outside_the_folder(tmp_path: Path, where: str) -> None:
    store = RunStore(tmp_path / "runs")
    store.save(_run([_result(1, True)]))
    (store.folder / "sub").mkdir()
    target = tmp_path / where
    target.write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="is not a saved run"):
        store.delete(target)
    assert target.exists()


def test_store_delete_refuses_the_folder_itself(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    store.save(_run([_result(1, True)]))
    with pytest.raises(ValueError, match="is not a saved run"):
        store.delete(store.folder)
    assert store.folder.is_dir()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_store_delete_refuses_a_link_outside_that_points_in(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    run_path = store.save(_run([_result(1, True)]))
    link = tmp_path / "shortcut.json"
    link.symlink_to(run_path)
    with pytest.raises(ValueError, match="is not a saved run"):
        store.delete(link)
    assert link.is_symlink()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_store_delete_removes_a_listed_link(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    elsewhere = tmp_path / "kept" / "run.json"
    elsewhere.parent.mkdir()
    _run([_result(1, True)]).write_json(elsewhere)
    link = store.folder / "20250101-000000-linked.json"
    store.folder.mkdir()
    link.symlink_to(elsewhere)
    assert [s.path for s in store.list()] == [link]
    store.delete(link)
    assert not link.is_symlink() and elsewhere.exists()


def test_new_run_round_trips_through_the_store(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs")
    run = _new_run(tmp_path)
    back = store.load(store.save(run))
    assert back == run
    assert math.isclose(back.accuracy, 0.0)
    assert template_of(back).labels == ["positive", "negative"]
