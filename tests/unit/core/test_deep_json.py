"""JSON nested 10,000 levels deep (Python's parser gives up at about 1,000): every reader says so, nothing crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli.chats import main as chats_main
from desktop.core.fewshot.dataset import DataError, read_table
from desktop.core.fewshot.template import FewShotError, load_template
from desktop.core.instruments.experiment import Experiment, ExperimentError
from desktop.core.models.library import MetadataCache
from desktop.core.settings import Settings

DEEP = "[" * 10_000 + "]" * 10_000


def test_a_template(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text(DEEP, encoding="utf-8")
    with pytest.raises(FewShotError, match="nested too deeply"):
        load_template(tmp_path / "t.json")


def test_a_test_set(tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_text('{"input": "a", "label": "b"}\n' + DEEP + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 2: nested too deeply"):
        read_table(tmp_path / "d.jsonl")


def test_an_experiment() -> None:
    with pytest.raises(ExperimentError, match="nested too deeply"):
        Experiment.from_json(DEEP)


def test_settings_and_caches_fall_back(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(DEEP, encoding="utf-8")
    assert Settings.load(tmp_path / "settings.json") == Settings()
    (tmp_path / "cache.json").write_text(DEEP, encoding="utf-8")
    MetadataCache(tmp_path / "cache.json")  # an unreadable cache is rebuilt


def test_a_chat_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "chat.json").write_text(DEEP, encoding="utf-8")
    assert chats_main(["--data-dir", str(tmp_path / "data"), "import", str(tmp_path / "chat.json")]) == 1
    assert "nested too deeply" in capsys.readouterr().err
