"""`parley score` on bad input: one line on stderr and exit 2, before any model is loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import main

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "library.txt"
    path.write_text("The library opens at nine in the morning.\n", encoding="utf-8")
    return path


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
