"""`parley --self-test` as `make bundle-test` runs it: a separate process, offscreen, exit status and report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def self_test(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PARLEY_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "desktop", "--self-test", *args],
                          capture_output=True, text=True, env=env, timeout=240)


def test_self_test_loads_the_builtin_model_and_generates(data_dir: Path) -> None:
    out = self_test("--data-dir", str(data_dir))
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert any(line.startswith("self-test: model gemma-3-270m-q4_k_m.gguf loaded after") for line in lines)
    assert any("icon found" in line and " sample few-shot templates" in line for line in lines), out.stdout
    assert any(line.startswith("self-test: backend CPU") or "layers on GPU" in line for line in lines), out.stdout
    assert any(" tokens in " in line and "tokens/s" in line for line in lines), out.stdout
    assert lines[-1].startswith("self-test: passed in"), out.stdout
    assert (data_dir / "settings.json").is_file()  # quit like a person would: settings saved, worker shut down


def test_self_test_reports_a_model_that_cannot_load(data_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a gguf file at all")
    out = self_test("--data-dir", str(data_dir), "--model", str(broken))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "self-test: FAILED: could not load" in out.stdout
    assert "broken.gguf" in out.stdout
