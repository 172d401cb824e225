"""`parley models …` against the fake Hub: list, search, files, download (verified, resumable), remove."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.models import main
from tests.hub.fake_hub import FakeHub
from tests.tiny_gguf import write_tiny_gguf


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    models = tmp_path / "data" / "models"
    models.mkdir(parents=True)
    write_tiny_gguf(models / "tiny-q8_0.gguf", name="Tiny")
    (models / "broken.gguf").write_bytes(b"nope")
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "data"), "list", "--json")
    rows = {Path(r["path"]).name: r for r in json.loads(out)}
    assert code == 0
    assert rows["tiny-q8_0.gguf"]["quantization"] == "Q8_0" and rows["tiny-q8_0.gguf"]["fit"] == "fits in RAM"
    assert "not a GGUF" in rows["broken.gguf"]["error"]


def test_search_and_files(hub: FakeHub, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "search", "Tiny", "--json", "--data-dir", str(tmp_path))
    assert code == 0 and "tiny/Tiny-GGUF" in [r["repo_id"] for r in json.loads(out)]
    code, out, _ = run(capsys, "files", "tiny/Tiny-GGUF", "--data-dir", str(tmp_path))
    assert code == 0 and "Tiny-Q4_K_M.gguf · Q4_K_M" in out
    code, _, err = run(capsys, "files", "tiny/Tiny-safetensors", "--data-dir", str(tmp_path))
    assert code == 1 and "no GGUF files" in err


def test_download_verifies_and_lands_in_library(hub: FakeHub, capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path, gguf_files: dict[str, bytes]) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "download", "tiny/Tiny-GGUF", "Tiny-Q4_K_M.gguf")
    assert code == 0, err
    assert (tmp_path / "models" / "Tiny-Q4_K_M.gguf").read_bytes() == gguf_files["q4"]
    assert "verified and added to the library" in err and "100.0%" in err
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "list")
    assert "Q4_K_M" in out


def test_sharded_download_fetches_every_shard(hub: FakeHub, capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "download", "tiny/Sharded-GGUF",
                       "Sharded-Q4_K_M-00002-of-00002.gguf")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "models").glob("*.gguf")) == [
        "Sharded-Q4_K_M-00001-of-00002.gguf", "Sharded-Q4_K_M-00002-of-00002.gguf"]


def test_corrupt_download_fails_and_leaves_nothing(hub: FakeHub, capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    hub.corrupt = True
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "download", "tiny/Tiny-GGUF", "Tiny-Q4_K_M.gguf")
    assert code == 1 and "checksum" in err.lower()
    assert list((tmp_path / "models").glob("*.gguf")) == []


def test_unknown_file_and_gated_repo(hub: FakeHub, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "download", "tiny/Tiny-GGUF", "nope.gguf")
    assert code == 1 and "Tiny-Q4_K_M.gguf" in err
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "files", "tiny/Gated-GGUF")
    assert code == 1 and "token" in err.lower()


def test_remove_needs_confirmation(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "models"
    models.mkdir()
    write_tiny_gguf(models / "tiny.gguf", name="Tiny")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "remove", "tiny.gguf")
    assert code == 1 and "--yes" in err and (models / "tiny.gguf").exists()
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "remove", "Tiny", "--yes")
    assert code == 0 and "deleted tiny.gguf" in out and not (models / "tiny.gguf").exists()


def test_parley_models_entry_point(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "desktop", "models", "--data-dir", str(tmp_path), "list", "--json"],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_names_from_files_cannot_drive_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A model's own name is text from a file: ESC]0;…BEL retitles and ESC[2J clears a terminal if printed raw."""
    models = tmp_path / "data" / "models"
    models.mkdir(parents=True)
    write_tiny_gguf(models / "tiny-q8_0.gguf", name="Evil\x1b]0;pwned\x07\x1b[2J")
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "data"), "list")
    assert code == 0 and "Evil\\x1b]0;pwned\\x07\\x1b[2J" in out
    assert "\x1b" not in out and "\x07" not in out
