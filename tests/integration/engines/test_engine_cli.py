"""`parley eval`, `parley runs replay` and `parley score` with `--engine`, against the real llama-server: a run on
the server is recorded with the engine's identity (never a key) and replays identically; scoring says why not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli.eval import main as eval_main
from desktop.cli.runs import main as runs_main
from desktop.cli.score import main as score_main
from desktop.core.fewshot.template import Example, FewShotTemplate, save_template
from tests.llama_server import LlamaServer

pytestmark = pytest.mark.integration
DATA = "review,gold\nI loved every minute of it.,positive\nBoring. I fell asleep twice.,negative\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    template = FewShotTemplate(
        name="Sentiment", instruction="Classify the sentiment of each movie review as positive or negative.",
        examples=[Example("An absolute delight.", "positive"), Example("Dull and far too long.", "negative")],
        input_label="Review:", output_label="Sentiment:",
    )
    save_template(template, tmp_path / "sentiment.json")
    (tmp_path / "reviews.csv").write_text(DATA, encoding="utf-8")
    return tmp_path / "sentiment.json", tmp_path / "reviews.csv"


def test_eval_on_a_server_records_the_engine_and_replays_identically(
        tmp_path: Path, files: tuple[Path, Path], llama_server: LlamaServer, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARLEY_ENGINE_KEY", "sk-never-recorded")  # the server has no key: it is sent and ignored
    template, data = files
    out = tmp_path / "run.json"
    data_dir = ["--data-dir", str(tmp_path / "data")]
    code = eval_main([str(template), str(data), "--engine", llama_server.url, "--expected", "gold", "--seed", "5",
                      "--out", str(out), *data_dir])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "accuracy:" in printed
    record_text = out.read_text(encoding="utf-8")
    assert "sk-never-recorded" not in record_text
    run = json.loads(record_text)
    assert run["model_path"].startswith("engine:127.0.0.1:") and run["model_path"].endswith("/gemma-3-270m")
    environment = run["environment"]
    assert environment["engine"] == "llama-server" and environment["engine_version"].startswith("b")
    assert environment["engine_url"] == llama_server.url and environment["reproducible"] is True

    code = runs_main(["replay", str(out), "--engine", llama_server.url, *data_dir])
    replayed = capsys.readouterr()
    assert code == 0, replayed.out + replayed.err
    assert "identical" in replayed.out.lower()


def test_score_on_a_server_without_prompt_log_probabilities_says_why(
        tmp_path: Path, llama_server: LlamaServer, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "essay.txt"
    text.write_text("The cat sat on the mat.", encoding="utf-8")
    code = score_main([str(text), "--engine", llama_server.url, "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2
    assert "log-probabilities" in err and "127.0.0.1" in err
