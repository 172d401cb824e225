"""settings.json after a crash, a hand edit or a newer Parley: kept beside the new one, said, never overwritten
when newer; two windows on one data folder each save only what they changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.settings import SCHEMA_VERSION, ModelSettings, Settings


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "settings.json"


def good(**values: object) -> str:
    return json.dumps({"schema_version": SCHEMA_VERSION, "last_model": "/m.gguf", "offline": True, **values})


DAMAGED = {
    "truncated": good()[:25].encode(),
    "garbage": b"\x00\xff\xfe garbage \x81" * 20,
    "utf-16": good().encode("utf-16"),
    "not-an-object": b"[1, 2, 3]",
    "no-schema": b'{"offline": true}',
    "schema-text": b'{"schema_version": "abc", "offline": true}',
    "empty": b"",
}


@pytest.mark.parametrize("name", list(DAMAGED))
def test_a_damaged_file_is_kept_beside_the_new_one_and_said(path: Path, name: str) -> None:
    path.write_bytes(DAMAGED[name])
    settings = Settings.load(path)
    assert settings == Settings()
    copies = list(path.parent.glob("settings.json.damaged-*"))
    assert len(copies) == 1 and copies[0].read_bytes() == DAMAGED[name]
    assert settings.notice is not None and str(copies[0]) in settings.notice and "default" in settings.notice
    settings.offline = True
    settings.save(path)
    assert Settings.load(path).offline and Settings.load(path).notice is None
    assert copies[0].read_bytes() == DAMAGED[name]  # the copy survives the save


def test_wrongly_typed_values_are_reset_one_by_one_kept_aside_and_named(path: Path) -> None:
    original = good(offline="yes", system_prompt="Be brief", extra_model_folders="/models",
                    models={"/m.gguf": {"context_length": "big", "template": "chatml"}, "/n.gguf": [1]})
    path.write_text(original, encoding="utf-8")
    settings = Settings.load(path)
    assert settings.system_prompt == "Be brief" and settings.last_model == "/m.gguf"  # the good ones stay
    assert not settings.offline and settings.extra_model_folders == []
    assert settings.for_model("/m.gguf") == ModelSettings(template="chatml")
    copies = list(path.parent.glob("settings.json.damaged-*"))
    assert len(copies) == 1 and copies[0].read_text(encoding="utf-8") == original
    assert settings.notice is not None
    for named in ("offline", "extra_model_folders", "models", str(copies[0])):
        assert named in settings.notice
    settings.save(path)
    again = Settings.load(path)
    assert again.notice is None and again.system_prompt == "Be brief"
    assert again.for_model("/m.gguf").template == "chatml"


def test_a_newer_file_is_never_overwritten(path: Path) -> None:
    newer = json.dumps({"schema_version": SCHEMA_VERSION + 1, "offline": True, "theme": "dark"})
    path.write_text(newer, encoding="utf-8")
    settings = Settings.load(path)
    assert settings == Settings()
    assert settings.notice is not None and "newer version of Parley" in settings.notice
    settings.offline = False
    settings.system_prompt = "changed in this session"
    settings.save(path)  # at quit
    assert path.read_text(encoding="utf-8") == newer
    assert not list(path.parent.glob("settings.json.damaged-*"))  # not damaged: nothing to set aside


def test_a_file_that_became_newer_while_running_is_not_overwritten(path: Path) -> None:
    Settings(offline=True).save(path)
    settings = Settings.load(path)
    newer = json.dumps({"schema_version": SCHEMA_VERSION + 1, "offline": False})
    path.write_text(newer, encoding="utf-8")  # a newer Parley ran meanwhile
    settings.system_prompt = "mine"
    settings.save(path)
    assert path.read_text(encoding="utf-8") == newer


def test_a_missing_or_good_file_gives_no_notice(path: Path) -> None:
    assert Settings.load(path).notice is None
    Settings(offline=True).save(path)
    assert Settings.load(path).notice is None


def test_an_unreadable_file_gives_a_notice(path: Path) -> None:
    path.mkdir()  # a folder where the file should be
    settings = Settings.load(path)
    assert settings == Settings() and settings.notice is not None and str(path) in settings.notice


def test_a_huge_file_is_refused_with_a_notice(path: Path) -> None:
    path.write_text(good(system_prompt="x" * (20 * 1024 * 1024)), encoding="utf-8")
    settings = Settings.load(path)
    assert settings == Settings() and settings.notice is not None and "large" in settings.notice


def test_two_windows_each_save_only_what_they_changed(path: Path) -> None:
    Settings(system_prompt="shared", models={"/m.gguf": ModelSettings(template="chatml")}).save(path)
    a = Settings.load(path)
    b = Settings.load(path)
    a.offline = True  # window A turns offline mode on and quits first
    a.for_model("/m.gguf").context_length = 2048
    a.save(path)
    b.for_model("/m.gguf").gpu_layers = 0  # window B changed another setting of the same model
    b.for_model("/n.gguf").template = "gemma"
    b.save(path)  # B's quit
    merged = Settings.load(path)
    assert merged.offline  # not turned off by B, which never touched it
    assert merged.system_prompt == "shared"
    assert merged.for_model("/m.gguf") == ModelSettings(context_length=2048, gpu_layers=0, template="chatml")
    assert merged.for_model("/n.gguf").template == "gemma"


def test_a_window_that_changes_a_key_back_wins(path: Path) -> None:
    Settings().save(path)
    a = Settings.load(path)
    b = Settings.load(path)
    a.offline = True
    a.save(path)
    b.offline = True
    b.save(path)
    b.offline = False  # saved twice in one session: the second save compares with the first
    b.save(path)
    assert not Settings.load(path).offline


def test_keys_a_newer_parley_added_at_the_same_schema_survive(path: Path) -> None:
    path.write_text(good(future_key={"kept": True}), encoding="utf-8")
    settings = Settings.load(path)
    settings.system_prompt = "new"
    settings.save(path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["future_key"] == {"kept": True} and saved["system_prompt"] == "new"


def test_a_failed_save_raises_os_error(path: Path) -> None:
    path.parent.joinpath("blocker").write_text("a file")
    with pytest.raises(OSError):
        Settings(offline=True).save(path.parent / "blocker" / "settings.json")


def test_settings_made_in_code_save_all_they_set_over_an_existing_file(path: Path) -> None:
    Settings(system_prompt="old", offline=False).save(path)
    Settings(system_prompt="new", offline=True).save(path)
    again = Settings.load(path)
    assert again.system_prompt == "new" and again.offline
