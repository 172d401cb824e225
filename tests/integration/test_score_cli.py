"""`parley score` with the built-in model: the JSON and the human summary (bad input: tests/unit/cli/test_score.py)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from desktop.cli.main import main
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.settings import Settings

TEXT = ("The library opens at nine in the morning and closes at six in the evening. Visitors may borrow up to "
        "five books at a time, and each loan lasts for three weeks.\n")


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "library.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.mark.integration
def test_json_has_the_perplexity_and_every_token(
    data_dir: Path, text_file: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["score", str(text_file), "--model", "builtin", "--json", "--data-dir", str(data_dir)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result["model"] and result["windows"] == 1 and result["n_ctx"] == 4096 and result["stopped"] is False
    assert result["tokens"] == len(result["per_token"]) == result["scored_tokens"] + 1
    assert 1.0 < result["perplexity"] < 200.0
    assert math.isclose(2 ** result["mean_surprisal_bits"], result["perplexity"], rel_tol=1e-9)
    assert result["per_token"][0]["surprisal_bits"] is None
    assert all(t["surprisal_bits"] >= 0 for t in result["per_token"][1:])
    assert "".join(t["text"] for t in result["per_token"]) == TEXT
    assert "scoring library.txt with " + BUILTIN_FILENAME in captured.err  # progress goes to stderr
    assert f"{result['scored_tokens']}/{result['scored_tokens']} tokens (100%)" in captured.err


@pytest.mark.integration
def test_summary_lists_the_most_surprising_tokens_and_windows(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    long_text = tmp_path / "long.md"
    long_text.write_text(" ".join([TEXT.strip()] * 9), encoding="utf-8")  # ~330 tokens: two 256-token windows
    Settings(last_model=str(data_dir / "models" / BUILTIN_FILENAME)).save(data_dir / "settings.json")
    code = main(["score", str(long_text), "--context", "256", "--data-dir", str(data_dir)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0, lines
    assert lines[0].startswith("perplexity: ") and float(lines[0].split()[1]) > 1.0
    assert lines[1].startswith("mean surprisal: ") and lines[1].endswith(" bits per token")
    assert lines[2].startswith("tokens: ") and "windows of 256" in lines[2]
    assert lines[3] == "most surprising tokens (top 10):"
    surprisals = [float(line.split()[0]) for line in lines[4:]]
    assert len(surprisals) == 10 and surprisals == sorted(surprisals, reverse=True)
