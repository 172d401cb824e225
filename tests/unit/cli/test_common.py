"""desktop.cli.common: the one model resolution every command that loads a model uses, and what it loads it with."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from desktop.cli.common import UsageError, resolve_model
from desktop.cli.eval import main as eval_main
from desktop.core.fewshot.template import sample_templates_dir
from desktop.core.models.builtin import BUILTIN_FILENAME, CHAT_FILENAME
from desktop.core.paths import DataDirs
from desktop.core.settings import ModelSettings, Settings
from desktop.inference.backend import InferenceError, LoadOptions


@pytest.fixture
def dirs(tmp_path: Path) -> DataDirs:
    dirs = DataDirs.under(tmp_path / "data")
    dirs.models.mkdir(parents=True)
    return dirs


def test_the_model_comes_from_the_settings_then_the_library(tmp_path: Path, dirs: DataDirs) -> None:
    library = dirs.models / "other.gguf"
    library.write_bytes(b"GGUF")
    assert resolve_model(None, dirs).path == library
    remembered = tmp_path / "remembered.gguf"
    remembered.write_bytes(b"GGUF")
    Settings(last_model=str(remembered)).save(dirs.settings_file)
    assert resolve_model(None, dirs).path == remembered
    assert resolve_model(str(library), dirs).path == library


def test_the_library_offers_the_chat_builtin_first(dirs: DataDirs) -> None:
    for name in ("a-model.gguf", BUILTIN_FILENAME, CHAT_FILENAME):
        (dirs.models / name).write_bytes(b"GGUF")
    assert resolve_model(None, dirs).path == dirs.models / CHAT_FILENAME


def test_a_missing_model_file_is_a_usage_error(tmp_path: Path, dirs: DataDirs) -> None:
    with pytest.raises(UsageError, match=r"model file .*absent\.gguf does not exist"):
        resolve_model(str(tmp_path / "absent.gguf"), dirs)
    with pytest.raises(UsageError, match="is not a file"):
        resolve_model(str(tmp_path), dirs)


def test_load_options_are_the_remembered_context_and_gpu_layers(tmp_path: Path, dirs: DataDirs) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    Settings(last_model=str(model), models={str(model): ModelSettings(context_length=512, gpu_layers=0)}
             ).save(dirs.settings_file)
    assert resolve_model(None, dirs).options == LoadOptions(n_ctx=512, n_gpu_layers=0)
    assert resolve_model(str(model), dirs, context=1024).options == LoadOptions(n_ctx=1024, n_gpu_layers=0)
    assert resolve_model(str(tmp_path / ".." / tmp_path.name / "m.gguf"), dirs).options.n_ctx == 512  # same file
    other = tmp_path / "other.gguf"
    other.write_bytes(b"GGUF")
    assert resolve_model(str(other), dirs).options == LoadOptions()  # nothing remembered: Parley's defaults


class Loads:
    """Stands in for LlamaBackend: records what eval asks it to load, then stops the run."""

    calls: ClassVar[list[tuple[Path, LoadOptions]]] = []

    def load(self, path: Path, options: LoadOptions) -> None:
        Loads.calls.append((path, options))
        raise InferenceError("stopped by the test")


def test_eval_loads_the_remembered_model_with_its_remembered_settings(
    tmp_path: Path, dirs: DataDirs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """It used the built-in base model at the default context and all GPU layers, whatever the app remembered."""
    model = tmp_path / "chosen.gguf"
    model.write_bytes(b"GGUF")
    Settings(last_model=str(model), models={str(model): ModelSettings(context_length=768, gpu_layers=0)}
             ).save(dirs.settings_file)
    monkeypatch.setattr("desktop.inference.llama.backend.LlamaBackend", Loads)
    monkeypatch.setattr(Loads, "calls", [])
    template, data = sample_templates_dir() / "sentiment.json", sample_templates_dir() / "sentiment-test.csv"
    data_dir = str(dirs.models.parent)
    assert eval_main([str(template), str(data), "--data-dir", data_dir]) == 1
    assert "stopped by the test" in capsys.readouterr().err
    assert eval_main([str(template), str(data), "--data-dir", data_dir, "--context", "1024"]) == 1
    assert Loads.calls == [(model, LoadOptions(n_ctx=768, n_gpu_layers=0)),
                           (model, LoadOptions(n_ctx=1024, n_gpu_layers=0))]
    assert not (dirs.models / BUILTIN_FILENAME).exists()
