"""Sampling validation, conversation bookkeeping, stop-string filtering, settings and data folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.conversations.messages import Conversation, GenerationStats, Role
from desktop.core.models.template_choice import AUTOMATIC, template_choices, template_for
from desktop.core.paths import DataDirs
from desktop.core.prompting.sampling import PRESETS, SamplingError, SamplingParams
from desktop.core.prompting.stop_text import StopTextFilter
from desktop.core.settings import ModelSettings, Settings
from tests.fakes import fake_info


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"temperature": -0.1}, "temperature must be between 0 and 2"),
        ({"temperature": 2.5}, "temperature"),
        ({"top_p": 1.5}, "top_p"),
        ({"top_k": -1}, "top_k"),
        ({"min_p": 2}, "min_p"),
        ({"repeat_penalty": 0.5}, "repeat_penalty"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"seed": -2}, "seed"),
        ({"top_k": 2.5}, "whole number"),
        ({"temperature": "hot"}, "must be a number"),
    ],
)
def test_sampling_rejects_out_of_range(change: dict[str, object], message: str) -> None:
    with pytest.raises(SamplingError, match=message):
        SamplingParams(**change)  # type: ignore[arg-type]


def test_presets_are_valid_and_ordered_by_temperature() -> None:
    assert list(PRESETS) == ["Precise", "Balanced", "Creative"]
    temps = [p.temperature for p in PRESETS.values()]
    assert temps == sorted(temps)


def test_conversation_turns_and_regenerate() -> None:
    conversation = Conversation(system_prompt="Be kind.")
    conversation.add_user("Hi")
    conversation.start_reply().content = "Hello"
    assert conversation.turns() == [
        {"role": "system", "content": "Be kind."},
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello"},
    ]
    dropped = conversation.drop_last_reply()
    assert dropped is not None and dropped.content == "Hello"
    assert conversation.last_reply is None and conversation.messages[-1].role is Role.USER
    assert Conversation(system_prompt="  ").turns() == []


def test_stats_summary() -> None:
    stats = GenerationStats(100, 80, 20, 0.05, 42.0, stopped=True)
    assert stats.evaluated_prompt_tokens == 20
    assert stats.summary() == (
        "100 prompt tokens (80 cached) · 20 generated · first token 50 ms · 42.0 tokens/s · stopped"
    )


def test_stop_filter_holds_back_partial_stop_strings() -> None:
    stops = StopTextFilter(("<end_of_turn>",))
    assert stops.feed("Hello <end") == "Hello "
    assert stops.feed("ing") == "<ending"
    assert stops.feed(" bye<end_of") == " bye"
    assert stops.feed("_turn> more") == ""
    assert stops.stopped and stops.flush() == ""


def test_stop_filter_without_stops_passes_through() -> None:
    stops = StopTextFilter(())
    assert stops.feed("<end_of_turn>") == "<end_of_turn>"
    tail = StopTextFilter(("</s>",))
    assert tail.feed("ab</") == "ab" and tail.flush() == "</"


def test_settings_round_trip_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(last_model="/m.gguf", system_prompt="S", offline=True)
    settings.for_model("/m.gguf").template = "chatml"
    settings.for_model("/m.gguf").context_length = 2048
    settings.save(path)
    loaded = Settings.load(path)
    assert loaded.last_model == "/m.gguf" and loaded.for_model("/m.gguf").template == "chatml"
    assert loaded.for_model("/m.gguf").context_length == 2048 and loaded.offline
    path.write_text("{not json")
    assert Settings.load(path) == Settings()
    path.write_text('{"schema_version": 99}')
    assert Settings.load(path) == Settings()
    path.write_text('{"schema_version": 2, "models": {"/m.gguf": {"context_length": "big", "template": 3}}}')
    assert Settings.load(path).for_model("/m.gguf") == ModelSettings()


def test_settings_migrate_from_schema_1(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": 1, "last_model": "/m.gguf",
                                "template_overrides": {"/m.gguf": "chatml"}, "system_prompt": "S"}))
    loaded = Settings.load(path)
    assert loaded.for_model("/m.gguf").template == "chatml" and loaded.system_prompt == "S"


def test_data_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path / "env"))
    assert DataDirs.resolve(None).models == tmp_path / "env" / "models"
    assert DataDirs.resolve(tmp_path / "flag").settings_file == tmp_path / "flag" / "settings.json"
    monkeypatch.delenv("PARLEY_DATA_DIR")
    assert DataDirs.resolve(None).models.name == "models"


def test_template_choice_for_model_without_template() -> None:
    info = fake_info(Path("gemma.gguf"))
    assert template_choices(info)[0] == (AUTOMATIC, "Automatic: Gemma")
    assert "Gemma" in template_for(info).label
    assert template_for(info, "chatml").render([{"role": "user", "content": "x"}]).text.startswith("<|im_start|>")
    own = fake_info(Path("m.gguf"), chat_template="{% for m in messages %}[{{ m.content }}]{% endfor %}")
    assert template_choices(own)[0][1] == "Model's own template"
    assert template_for(own).render([{"role": "user", "content": "x"}]).text == "[x]"
