"""`parley eval` saves every run; `parley runs` lists, compares and replays them. The built-in model, in-process,
except one replay in a separate process (same machine and build: identical results across processes)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.eval import main as eval_main
from desktop.cli.runs import main as runs_main
from desktop.core.fewshot.scoring import read_run
from desktop.core.fewshot.template import sample_templates_dir

pytestmark = pytest.mark.integration

SENTIMENT = sample_templates_dir() / "sentiment.json"
SENTIMENT_DATA = sample_templates_dir() / "sentiment-test.csv"


def evaluate(data_dir: Path, model: Path, *extra: str, template: Path = SENTIMENT,
             data: Path = SENTIMENT_DATA) -> int:
    return eval_main([str(template), str(data), "--model", str(model), "--seed", "3", "--data-dir", str(data_dir),
                      *extra])


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory, builtin_model: Path) -> tuple[Path, Path, Path]:
    """The sentiment sample scored zero-shot and 4-shot with "Most likely answer"."""
    data_dir = tmp_path_factory.mktemp("runs-data")
    assert evaluate(data_dir, builtin_model, "--rule", "likelihood", "--shots", "0") == 0
    assert evaluate(data_dir, builtin_model, "--rule", "likelihood", "--shots", "4") == 0
    zero, four = sorted((data_dir / "runs").glob("*.json"), key=lambda p: "4shot" in p.name)
    return data_dir, zero, four


def test_every_run_is_saved_with_what_replays_it(two_runs: tuple[Path, Path, Path], builtin_model: Path) -> None:
    _data_dir, zero, four = two_runs
    run = read_run(four)
    assert run.schema_version == 2 and run.rule == "likelihood" and run.shots == 4 and run.completed
    assert run.labels == ["positive", "negative"] and len(run.items) == len(run.results) == 20
    assert run.template["labels"] == ["positive", "negative"] and len(run.template["examples"]) == 4
    assert run.template_sha256 and len(run.data_sha256) == 64 and len(run.model_sha256) == 64
    environment = run.environment
    assert environment["engine"] == "llama.cpp" and environment["llama_cpp_python"]
    assert len(environment["llama_cpp_library_sha256"]) == 64 and environment["backend"] == "CPU"
    assert environment["model_file"] == builtin_model.name and environment["quantization"]
    assert environment["threads"] >= 1 and environment["n_ctx"] >= 256 and environment["prompt_chunks"]["min"] > 0
    assert all(r.prompt.startswith("Decide whether") and r.probabilities for r in run.results)
    assert read_run(zero).shots == 0


def test_eval_prints_the_interval_and_the_confusion_matrix(tmp_path: Path, builtin_model: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert evaluate(tmp_path, builtin_model, "--rule", "likelihood", "--shots", "0", "--calibrate") == 0
    out = capsys.readouterr().out
    assert "calibration (content-free probability): positive " in out
    accuracy = next(line for line in out.splitlines() if line.startswith("accuracy: "))
    assert "(calibrated)" in out and ", 95% CI " in accuracy and "/20)" in accuracy
    assert "confusion (rows expected, columns predicted):" in out and "precision" in out and "recall" in out
    assert read_run(next((tmp_path / "runs").glob("*.json"))).calibration is not None


def test_runs_list_and_compare(two_runs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, zero, four = two_runs
    assert runs_main(["list", "--data-dir", str(data_dir)]) == 0
    listing = capsys.readouterr().out
    assert listing.count("Sentiment (reviews)") == 2 and "95% CI" in listing
    assert runs_main(["compare", str(zero), str(four)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("A: Sentiment (reviews) · 0-shot")
    assert lines[1].startswith("B: Sentiment (reviews) · 4-shot")
    assert lines[2].startswith(("B is better than A", "A and B", "B is worse than A")) and "p = " in lines[2]
    assert runs_main(["compare", str(zero), str(four), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["a"]["total"] == data["b"]["total"] == 20 and 0.0 <= data["p_value"] <= 1.0
    assert len(data["changed"]) == len(data["fixed"]) + len(data["broken"])


def test_replay_gives_identical_items_in_another_process(two_runs: tuple[Path, Path, Path]) -> None:
    data_dir, _zero, four = two_runs
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    done = subprocess.run([sys.executable, "-m", "desktop", "runs", "--data-dir", str(data_dir), "replay", str(four)],
                          capture_output=True, text=True, timeout=240, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "20 of 20 items identical" in done.stdout


def test_replay_says_what_changed(two_runs: tuple[Path, Path, Path], tmp_path: Path, builtin_model: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, zero, _four = two_runs
    record = json.loads(zero.read_text(encoding="utf-8"))
    moved = dict(record, data_path=str(tmp_path / "gone.csv"), model_path=str(tmp_path / "gone.gguf"))
    moved["environment"] = dict(record["environment"], model_file="gone.gguf")
    path = tmp_path / "moved.json"
    path.write_text(json.dumps(moved), encoding="utf-8")
    assert runs_main(["--data-dir", str(tmp_path / "empty"), "replay", str(path)]) == 1
    err = capsys.readouterr().err
    assert "model file" in err and "is missing" in err and "--model PATH" in err

    copy = tmp_path / "copy.gguf"
    shutil.copyfile(builtin_model, copy)
    with open(copy, "r+b") as f:  # a byte past the tensors' data: same model, another SHA-256
        f.seek(0, 2)
        f.write(b"\0")
    assert runs_main(["--data-dir", str(data_dir), "replay", str(path), "--model", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "differs from the record" in out and "is missing; the items come from the record" in out
    assert "20 of 20 items identical" in out


def test_replay_reports_different_items(two_runs: tuple[Path, Path, Path], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, zero, _four = two_runs
    record = json.loads(zero.read_text(encoding="utf-8"))
    record["results"][0]["output"] = "neutral"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    assert runs_main(["--data-dir", str(data_dir), "replay", str(path)]) == 1
    out = capsys.readouterr().out
    assert "DIFFERENT line 2 (answer): recorded 'neutral'" in out and "19 of 20 items identical" in out


def test_bad_input_is_a_message_and_touches_nothing(two_runs: tuple[Path, Path, Path], tmp_path: Path,
                                                    builtin_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, zero, four = two_runs
    saved = sorted(p.read_bytes() for p in (data_dir / "runs").glob("*.json"))
    # Runs over different items
    other = json.loads(four.read_text(encoding="utf-8"))
    other["items"][0]["values"]["input"] = "Something else entirely."
    other_path = tmp_path / "other.json"
    other_path.write_text(json.dumps(other), encoding="utf-8")
    assert runs_main(["compare", str(zero), str(other_path)]) == 1
    assert "not over the same items" in capsys.readouterr().err
    # A record that is not one, and a schema-1 record (opens, but cannot be replayed)
    junk = tmp_path / "junk.json"
    junk.write_text("[" * 10_000, encoding="utf-8")
    assert runs_main(["compare", str(junk), str(four)]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    old = {k: v for k, v in json.loads(zero.read_text(encoding="utf-8")).items()
           if k in ("template_name", "template_version", "model_path", "model_sha256", "sampling", "seed", "shots",
                    "rule", "data_path", "started_at", "completed", "total", "passed", "accuracy", "results")}
    old["schema_version"] = 1
    old_path = tmp_path / "old.json"
    old_path.write_text(json.dumps(old), encoding="utf-8")
    assert runs_main(["compare", str(old_path), str(zero)]) == 0
    capsys.readouterr()
    assert runs_main(["--data-dir", str(data_dir), "replay", str(old_path)]) == 1
    assert "schema 1" in capsys.readouterr().err
    # Labels: duplicated, or likelihood without any; calibration without likelihood
    assert evaluate(tmp_path, builtin_model, "--rule", "likelihood", "--labels", "yes,Yes") == 1
    assert "appears twice" in capsys.readouterr().err
    assert evaluate(tmp_path, builtin_model, "--rule", "likelihood", "--labels", "positive,") == 1
    assert "is empty" in capsys.readouterr().err
    assert evaluate(tmp_path, builtin_model, "--calibrate") == 1
    assert "--calibrate works with --rule likelihood only" in capsys.readouterr().err
    assert sorted(p.read_bytes() for p in (data_dir / "runs").glob("*.json")) == saved


def test_orders_report_the_spread(tmp_path: Path, builtin_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert evaluate(tmp_path, builtin_model, "--rule", "likelihood", "--shots", "2", "--orders", "3") == 0
    out = capsys.readouterr().out
    assert "over 3 orders: mean " in out and " std " in out and " min " in out
    runs = [read_run(p) for p in (tmp_path / "runs").glob("*.json")]
    assert len(runs) == 3 and len({r.group for r in runs}) == 1 and runs[0].group
    assert sorted(r.order_seed or 0 for r in runs) == [3, 4, 5]
    assert len({json.dumps(r.template["examples"]) for r in runs}) > 1  # different shots or orders


def test_test_sets_from_other_tools(tmp_path: Path, builtin_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evals = tmp_path / "sentiment.jsonl"
    evals.write_text(
        '{"input": [{"role": "system", "content": "Classify."}, {"role": "user", "content": '
        '"I loved every minute of it."}], "ideal": ["positive", "pos"]}\n'
        '{"input": [{"role": "user", "content": "Boring. I fell asleep twice."}], "ideal": "negative"}\n',
        encoding="utf-8")
    assert evaluate(tmp_path, builtin_model, "--rule", "likelihood", "--shots", "4", data=evals) == 0
    assert "accuracy: 1.000 (2/2)" in capsys.readouterr().out
    promptfoo = tmp_path / "tests.csv"
    promptfoo.write_text("review,__expected\n\"I loved every minute of it.\",icontains:POSITIVE\n"
                         "Boring. I fell asleep twice.,regex:^neg\n", encoding="utf-8")
    assert evaluate(tmp_path, builtin_model, "--shots", "4", data=promptfoo) == 0
    assert "accuracy: 1.000 (2/2)" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("review,__expected\nFine.,javascript:output.length > 3\n", encoding="utf-8")
    assert evaluate(tmp_path, builtin_model, data=bad) == 1
    assert "javascript" in capsys.readouterr().err
