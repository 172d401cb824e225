"""`parley score`: a real run with the built-in model (JSON and the human summary), and bad input as exit 2."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.app import main
from desktop.core.builtin_model import BUILTIN_FILENAME
from desktop.core.settings import Settings
from desktop.score_cli import resolve_model

TEXT = ("The library opens at nine in the morning and closes at six in the evening. Visitors may borrow up to "
        "five books at a time, and each loan lasts for three weeks.\n")
ROOT = Path(__file__).resolve().parents[2]


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


def test_the_model_comes_from_the_settings_then_the_library(tmp_path: Path) -> None:
    data = tmp_path / "data"
    models = data / "models"
    models.mkdir(parents=True)
    library = models / "other.gguf"
    library.write_bytes(b"GGUF")
    assert resolve_model(None, str(data)) == library
    remembered = tmp_path / "remembered.gguf"
    remembered.write_bytes(b"GGUF")
    Settings(last_model=str(remembered)).save(data / "settings.json")
    assert resolve_model(None, str(data)) == remembered
    assert resolve_model(str(library), str(data)) == library


@pytest.mark.parametrize(("content", "message"), [
    (None, "does not exist"),
    ("Déjà vu".encode("latin-1"), "is not UTF-8 text"),
    (b"", "is empty"),
    (b" \n\t\n", "is empty"),
])
def test_bad_files_exit_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str,
) -> None:
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    assert main(["score", str(path), "--model", "builtin", "--data-dir", str(tmp_path / "data")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err and captured.err.startswith("error: ")


def test_bad_options_exit_2(tmp_path: Path, text_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(text_file), "--context", "64", "--data-dir", str(tmp_path / "data")]) == 2
    assert "--context must be at least 256" in capsys.readouterr().err
    assert main(["score", str(text_file), "--model", str(tmp_path / "nope.gguf")]) == 2
    assert "model file" in capsys.readouterr().err
    assert main(["score", str(tmp_path)]) == 2
    assert "is not a file" in capsys.readouterr().err


def test_python_m_desktop_score_reports_a_missing_file(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "desktop", "score", str(tmp_path / "missing.txt")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and "missing.txt does not exist" in done.stderr and done.stdout == ""
