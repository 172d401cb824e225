"""Engines by name and URL: validation, loopback detection, remote model references, and where keys are kept."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from desktop.core.engines.config import (
    LOCAL_ENGINE,
    EngineConfig,
    engine_problem,
    is_remote,
    remote_label,
    remote_path,
    split_remote,
)
from desktop.core.engines.keys import KeyStore
from desktop.core.settings import Settings


def test_root_and_api_base_ignore_a_trailing_v1() -> None:
    engine = EngineConfig("box", "http://gpu-box:8080/v1/")
    assert engine.root == "http://gpu-box:8080"
    assert engine.api_base == "http://gpu-box:8080/v1"


@pytest.mark.parametrize(("url", "loopback"), [
    ("http://127.0.0.1:8080", True), ("http://127.3.4.5", True), ("http://localhost:8000", True),
    ("http://[::1]:8080", True), ("http://10.0.0.5:8080", False), ("https://gpu-box.example:443", False),
])
def test_loopback(url: str, loopback: bool) -> None:
    assert EngineConfig("e", url).loopback is loopback


def test_plain_http_to_another_machine_is_unencrypted() -> None:
    assert EngineConfig("e", "http://gpu-box:8080").unencrypted
    assert not EngineConfig("e", "https://gpu-box:8080").unencrypted
    assert not EngineConfig("e", "http://127.0.0.1:8080").unencrypted


@pytest.mark.parametrize(("name", "url", "says"), [
    ("", "http://a:1", "name"), ("a/b", "http://a:1", "/"), (LOCAL_ENGINE, "http://a:1", "already"),
    ("taken", "http://a:1", "already"), ("ok", "ftp://a", "http://"), ("ok", "gpu-box:8080", "http://"),
    ("ok", "http://a:port", "port"), ("ok", "http://a:1/?x=1", "query"),
])
def test_engine_problems_are_sentences(name: str, url: str, says: str) -> None:
    problem = engine_problem(name, url, {"taken"})
    assert problem is not None and says in problem


def test_a_good_engine_has_no_problem() -> None:
    assert engine_problem("gpu-box", "http://gpu-box:8080", {"other"}) is None


def test_remote_references_round_trip_with_slashes_in_the_model() -> None:
    path = remote_path("gpu-box", "Qwen/Qwen3-32B")
    assert is_remote(path) and is_remote(str(path))
    assert split_remote(path) == ("gpu-box", "Qwen/Qwen3-32B")
    assert remote_label(path) == "Qwen3-32B on gpu-box"
    assert not is_remote(Path("/models/a.gguf"))
    with pytest.raises(ValueError):
        split_remote(Path("/models/a.gguf"))


def test_keys_without_a_keychain_live_in_an_owner_only_file(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys.json", use_keychain=False)
    assert "only your user account" in keys.where
    keys.set("box", "sk-secret")
    assert keys.get("box") == "sk-secret"
    assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600
    assert KeyStore(tmp_path / "keys.json", use_keychain=False).get("box") == "sk-secret"
    keys.set("box", "")
    assert keys.get("box") is None


def test_a_damaged_key_file_means_no_keys(tmp_path: Path) -> None:
    (tmp_path / "keys.json").write_text("{not json")
    assert KeyStore(tmp_path / "keys.json", use_keychain=False).get("box") is None


def test_settings_keep_engines_by_url_and_never_a_key(tmp_path: Path) -> None:
    settings = Settings()
    settings.engines["box"] = "http://gpu-box:8080"
    settings.save(tmp_path / "settings.json")
    raw = json.loads((tmp_path / "settings.json").read_text())
    assert raw["engines"] == {"box": "http://gpu-box:8080"}
    assert Settings.load(tmp_path / "settings.json").engines == {"box": "http://gpu-box:8080"}


def test_wrongly_typed_engines_are_reset_with_a_notice(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(json.dumps({"schema_version": 3, "engines": {"box": 5},
                                                        "engine_timeout": -1}))
    settings = Settings.load(tmp_path / "settings.json")
    assert settings.engines == {} and settings.engine_timeout == 120.0
    assert settings.notice is not None and "engines" in settings.notice
