"""Compare experiments: JSON round trip, damaged files, the experiments folder and the model-hash cache."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.conversations.messages import GenerationStats
from desktop.core.instruments import experiment as exp_module
from desktop.core.instruments.experiment import (
    ColumnResult,
    CompareConfig,
    Experiment,
    ExperimentError,
    build_prompt,
    list_experiments,
    load_experiment,
    model_sha256,
    save_experiment,
    slugify,
)
from desktop.core.paths import DataDirs
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.sampling import SamplingParams

GEMMA = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>")


def sample(name: str = "Temperature sweep", created: str = "2025-03-04T05:06:07+00:00") -> Experiment:
    configs = [
        CompareConfig("A", None, "Be brief.", SamplingParams(temperature=0.2, seed=42)),
        CompareConfig("B", "/models/other.gguf", "", SamplingParams(temperature=1.5, top_k=0, seed=7)),
    ]
    results: list[ColumnResult | None] = [
        ColumnResult("Paris.", "/models/a.gguf", 12, 3, 0.08, 34.1),
        ColumnResult("", "/models/other.gguf", error="Could not load other.gguf: broken"),
    ]
    return Experiment(name, "Capital of France?", configs, results, created=created,
                      model_hashes={"/models/a.gguf": "ab" * 32})


def test_round_trip_keeps_everything() -> None:
    original = sample()
    again = Experiment.from_json(original.to_json())
    assert again == original
    raw = json.loads(original.to_json())
    assert raw["format"] == "parley-experiment" and raw["version"] == 1
    assert raw["columns"][1]["sampling"]["temperature"] == 1.5 and raw["columns"][0]["model"] is None
    assert again.parley_version == original.parley_version != ""


def test_results_are_padded_to_the_configs() -> None:
    experiment = Experiment("x", "p", sample().configs)
    assert experiment.results == [None, None]
    assert Experiment.from_json(experiment.to_json()).results == [None, None]


def test_missing_fields_get_defaults() -> None:
    text = json.dumps({"columns": [{"label": "A"}, {"sampling": {"temperature": 0.1}, "result": {"text": "hi"}}]})
    experiment = Experiment.from_json(text)
    assert experiment.name == "Untitled experiment" and experiment.prompt == ""
    assert experiment.configs[0].params == SamplingParams()
    assert experiment.configs[1].params.temperature == 0.1
    assert experiment.results == [None, ColumnResult(text="hi")]
    assert experiment.model_hashes == {} and experiment.parley_version == "unknown"


@pytest.mark.parametrize("text, words", [
    ("not json", "not valid JSON"),
    ("[1, 2]", "not a Parley experiment"),
    ('{"format": "something-else", "columns": []}', "not a Parley experiment"),
    ('{"columns": []}', "1 to 4 columns"),
    ('{"columns": [1, 2]}', "not an object"),
    ('{"columns": [{"label": 5}]}', "label that is not text"),
    ('{"columns": [{"sampling": {"temperature": 9}}]}', "temperature must be between"),
    ('{"columns": [{"result": {"generated_tokens": "many"}}]}', "not a number"),
    ('{"version": 99, "columns": [{}]}', "newer version of Parley"),
])
def test_garbage_gives_a_clear_error(text: str, words: str) -> None:
    with pytest.raises(ExperimentError, match=words):
        Experiment.from_json(text)


def test_column_result_summary() -> None:
    stats = GenerationStats(prompt_tokens=10, cached_tokens=0, generated_tokens=120, time_to_first_token=0.08,
                            tokens_per_second=34.12, stopped=False)
    result = ColumnResult.from_stats("text", "m.gguf", stats)
    assert result.summary() == "34.1 tokens/s · first token 80 ms · 120 tokens"
    assert ColumnResult.from_stats("", "m", GenerationStats(1, 0, 2, 0.1, 5.0, stopped=True)).summary().endswith(
        "· stopped")
    assert ColumnResult(error="Could not load x").summary() == "Could not load x"


def test_build_prompt_renders_like_a_new_chat() -> None:
    rendered = build_prompt(GEMMA, "Be brief.", "Hello")
    turns = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}]
    assert rendered.text == GEMMA.render(turns).text
    assert rendered.text.endswith("<start_of_turn>model\n")
    assert build_prompt(GEMMA, "  ", "Hello").text == GEMMA.render([{"role": "user", "content": "Hello"}]).text


def test_save_names_the_file_by_time_and_slug(tmp_path: Path) -> None:
    folder = tmp_path / "experiments"
    first = save_experiment(sample(), folder)
    assert first.parent == folder and first.name.endswith("-temperature-sweep.json")
    assert first.name[:15].replace("-", "").isdigit()
    second = save_experiment(sample(), folder)  # same second, same name: a new file, never an overwrite
    assert second != first and second.name.endswith("-temperature-sweep-2.json")
    assert load_experiment(first) == sample()
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_slugify() -> None:
    assert slugify("Temp 0.2 vs 1.5!") == "temp-0-2-vs-1-5"
    assert slugify("???") == "experiment"
    assert len(slugify("x" * 200)) == 40


def test_list_is_newest_first_and_names_damaged_files(tmp_path: Path) -> None:
    folder = tmp_path / "experiments"
    assert list_experiments(folder) == []
    save_experiment(sample("Older", "2024-01-01T10:00:00+00:00"), folder)
    save_experiment(sample("Newer", "2025-01-01T10:00:00+00:00"), folder)
    (folder / "20990101-000000-broken.json").write_text("{", encoding="utf-8")
    (folder / ".model-hashes.json").write_text("{}", encoding="utf-8")
    listed = list_experiments(folder)
    assert [e.name for e in listed] == ["20990101-000000-broken", "Newer", "Older"]
    assert listed[0].error is not None and "not valid JSON" in listed[0].error
    assert listed[1].error is None and listed[1].created.startswith("2025")


def test_load_reports_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match="Could not read missing.json"):
        load_experiment(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ExperimentError, match="bad.json"):
        load_experiment(bad)


def test_save_reports_an_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExperimentError, match="Could not save"):
        save_experiment(sample(), blocker / "experiments")


def test_model_hash_is_cached_by_path_size_and_mtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 1000)
    cache = tmp_path / "cache" / "model-hashes.json"
    calls: list[Path] = []
    real = exp_module.file_sha256

    def counting(path: Path, should_stop: Callable[[], bool]) -> str:
        calls.append(path)
        return real(path, should_stop)

    monkeypatch.setattr(exp_module, "file_sha256", counting)
    expected = hashlib.sha256(model.read_bytes()).hexdigest()
    assert model_sha256(model, cache) == expected
    assert model_sha256(model, cache) == expected
    assert len(calls) == 1  # the second answer came from the cache file
    assert json.loads(cache.read_text())["files"][str(model.resolve())]["sha256"] == expected

    model.write_bytes(b"GGUF" + b"\1" * 1000)  # same size, new content and mtime
    stat = model.stat()
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert model_sha256(model, cache) == hashlib.sha256(model.read_bytes()).hexdigest()
    assert len(calls) == 2


def test_model_hash_ignores_a_damaged_cache(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"abc")
    cache = tmp_path / "hashes.json"
    cache.write_text("][", encoding="utf-8")
    assert model_sha256(model, cache) == hashlib.sha256(b"abc").hexdigest()
    with pytest.raises(OSError):
        model_sha256(tmp_path / "gone.gguf", cache)


def test_model_hash_can_be_cancelled(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"x" * (3 << 20))
    cache = tmp_path / "hashes.json"
    with pytest.raises(InterruptedError):
        model_sha256(model, cache, should_stop=lambda: True)
    assert not cache.exists()  # nothing half-known is remembered


def test_data_dirs_have_an_experiments_folder(tmp_path: Path) -> None:
    assert DataDirs.under(tmp_path).experiments == tmp_path.resolve() / "experiments"
    assert DataDirs.default().experiments.name == "experiments"
