"""--engine NAME|URL on `parley eval`, `score` and `runs replay`, without a server: which engine and key a name or
URL resolves to, the mistakes that exit 2 before anything is sent, and what a run on a server records.

A scripted stand-in for RemoteBackend (FakeRemote) replaces the server; tests against a real llama-server live
with the integration tests."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.cli.common import (
    ENGINE_KEY_ENV,
    EngineChoiceError,
    choose_served,
    public_url,
    resolve_engine,
    wants_engine,
)
from desktop.cli.eval import main as eval_main
from desktop.cli.runs import engine_notes
from desktop.cli.runs import main as runs_main
from desktop.cli.score import main as score_main
from desktop.core.engines.config import LOCAL_ENGINE, EngineConfig, remote_label, remote_path, split_remote
from desktop.core.engines.keys import KeyStore
from desktop.core.fewshot.dataset import guess_mapping, read_table, to_test_items
from desktop.core.fewshot.runs import items_of, new_run
from desktop.core.fewshot.scoring import read_run
from desktop.core.fewshot.template import load_template, sample_templates_dir
from desktop.core.paths import DataDirs
from desktop.core.prompting.sampling import eval_params
from desktop.core.settings import Settings
from desktop.inference.backend import EngineCapabilities, InferenceBackend, LoadedModel, LoadOptions
from desktop.inference.evaluation import EvalRequest, record_run
from desktop.inference.remote.client import EngineAccess
from tests.fakes import FakeBackend, fake_info

KEY = "sk-test-secret-123"
LLAMA_SERVER = EngineCapabilities(name="gpu-box (llama-server)", tokenizes=True, token_probabilities=True,
                                  scores_text=False, scores_continuations=False, reproducible=True,
                                  version="b6000-abc123")


@pytest.fixture(autouse=True)
def no_key_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENGINE_KEY_ENV, raising=False)


@pytest.fixture
def dirs(tmp_path: Path) -> DataDirs:
    dirs = DataDirs.under(tmp_path / "data")
    dirs.create()
    Settings(engines={"gpu-box": "http://gpu-box:8080", "local": "http://127.0.0.1:8081/v1"},
             engine_timeout=45.0).save(dirs.settings_file)
    return dirs


class FakeRemote(FakeBackend):
    """Stands in for RemoteBackend: `capabilities` are what the server's probe would have said."""

    served_capabilities = LLAMA_SERVER

    served_url = "http://gpu-box:8080"  # what the probe's model info says, as given in the settings or --engine

    def load(self, path: Path, options: LoadOptions) -> LoadedModel:
        engine, _model = split_remote(path)
        self.loaded = path
        self.capabilities = self.served_capabilities
        info = replace(fake_info(path), name=remote_label(path), metadata={
            "engine": engine, "engine.kind": "llama-server", "engine.url": self.served_url})
        return LoadedModel(info, 8192, 0, "llama-server", 0, 0, capabilities=self.capabilities, engine=engine)


@pytest.fixture
def on_server(monkeypatch: pytest.MonkeyPatch) -> list[EngineAccess]:
    """--engine goes to FakeRemote; the server serves one model, "qwen"; returns the engines connected to."""
    connected: list[EngineAccess] = []

    def remote_model(access: EngineAccess, requested: str | None) -> Path:
        return remote_path(access.config.name, choose_served(access.config.name, ["qwen"], requested))

    def remote_backend(access: EngineAccess) -> InferenceBackend:
        connected.append(access)
        return FakeRemote()

    for module in ("desktop.cli.common", "desktop.cli.runs"):
        monkeypatch.setattr(f"{module}.remote_model", remote_model)
    monkeypatch.setattr("desktop.cli.common.remote_backend", remote_backend)
    return connected


def sentiment() -> list[str]:
    return [str(sample_templates_dir() / "sentiment.json"), str(sample_templates_dir() / "sentiment-test.csv")]


# --- which engine and key ------------------------------------------------------------------------


def test_a_name_is_an_engine_from_the_settings_with_its_kept_key(dirs: DataDirs) -> None:
    KeyStore(dirs.engine_keys, use_keychain=False).set("gpu-box", KEY)
    access = resolve_engine("gpu-box", dirs)
    assert access.config == EngineConfig("gpu-box", "http://gpu-box:8080")
    assert access.api_key == KEY and access.timeout == 45.0 and not access.offline
    assert KEY not in repr(access)
    assert resolve_engine("local", dirs).api_key is None  # no key kept: none sent


def test_the_key_from_the_environment_wins(dirs: DataDirs, monkeypatch: pytest.MonkeyPatch) -> None:
    KeyStore(dirs.engine_keys, use_keychain=False).set("gpu-box", "kept")
    monkeypatch.setenv(ENGINE_KEY_ENV, KEY)
    assert resolve_engine("gpu-box", dirs).api_key == KEY
    assert resolve_engine("http://10.0.0.5:8000", dirs).api_key == KEY


def test_a_url_is_an_ad_hoc_engine_named_by_host_and_port(dirs: DataDirs) -> None:
    access = resolve_engine("http://10.0.0.5:8000/v1", dirs)
    assert access.config.name == "10.0.0.5:8000" and access.config.api_base == "http://10.0.0.5:8000/v1"
    assert resolve_engine("https://llm.example.org", dirs).config.name == "llm.example.org"
    assert resolve_engine("http://[::1]:8080", dirs).config.name == "[::1]:8080"
    with_password = resolve_engine("http://me:pw@10.0.0.5:8000", dirs).config
    assert with_password.name == "10.0.0.5:8000" and public_url(with_password) == "http://10.0.0.5:8000"


def test_the_url_of_an_added_engine_is_that_engine(dirs: DataDirs) -> None:
    KeyStore(dirs.engine_keys, use_keychain=False).set("gpu-box", KEY)
    access = resolve_engine("http://gpu-box:8080/", dirs)
    assert access.config.name == "gpu-box" and access.api_key == KEY
    assert resolve_engine("http://127.0.0.1:8081", dirs).config.name == "local"


def test_this_computer_is_no_server() -> None:
    assert not wants_engine(None) and not wants_engine("") and not wants_engine(LOCAL_ENGINE)
    assert wants_engine("gpu-box") and wants_engine("http://127.0.0.1:8080")


def test_an_unknown_name_names_the_engines_there_are(dirs: DataDirs, tmp_path: Path) -> None:
    with pytest.raises(EngineChoiceError,
                       match=r"no engine called 'gpu'; .* are gpu-box, local\. Give --engine one of those names or a"):
        resolve_engine("gpu", dirs)
    empty = DataDirs.under(tmp_path / "empty")
    with pytest.raises(EngineChoiceError, match=r"no engines have been added .*\. Add one there, or give --engine a"):
        resolve_engine("gpu-box", empty)


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://gpu-box:8080", "must start with http:// or https://"),
    ("http://gpu-box:port", "port is not a number"),
    ("http://gpu-box:8080/?x=1", r"without \?query"),
])
def test_a_bad_url_says_what_is_wrong(dirs: DataDirs, url: str, message: str) -> None:
    with pytest.raises(EngineChoiceError, match=message):
        resolve_engine(url, dirs)


def test_offline_mode_allows_only_engines_on_this_computer(dirs: DataDirs) -> None:
    settings = Settings.load(dirs.settings_file)
    settings.offline = True
    settings.save(dirs.settings_file)
    with pytest.raises(EngineChoiceError, match="Offline mode is on.*gpu-box"):
        resolve_engine("gpu-box", dirs)
    with pytest.raises(EngineChoiceError, match="Offline mode is on"):
        resolve_engine("http://10.0.0.5:8000", dirs)
    access = resolve_engine("local", dirs)
    assert access.offline and access.config.loopback
    assert resolve_engine("http://localhost:8080", dirs).config.name == "localhost:8080"


def test_model_is_the_servers_first_unless_named() -> None:
    assert choose_served("gpu-box", ["a", "b"], None) == "a"
    assert choose_served("gpu-box", ["a", "b"], "b") == "b"
    with pytest.raises(EngineChoiceError, match=r"gpu-box does not serve a model called 'c'; it serves a, b"):
        choose_served("gpu-box", ["a", "b"], "c")


# --- the commands ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["eval", "score", "replay"])
def test_every_command_exits_2_for_an_unknown_engine(
    dirs: DataDirs, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str,
) -> None:
    data_dir = str(dirs.settings_file.parent)
    text = tmp_path / "text.txt"
    text.write_text("Some text to score.", encoding="utf-8")
    if command == "eval":
        code = eval_main([*sentiment(), "--engine", "nowhere", "--data-dir", data_dir])
    elif command == "score":
        code = score_main([str(text), "--engine", "nowhere", "--data-dir", data_dir])
    else:
        record = tmp_path / "run.json"
        record.write_text(json.dumps(_any_record()), encoding="utf-8")
        code = runs_main(["--data-dir", data_dir, "replay", str(record), "--engine", "nowhere"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: there is no engine called 'nowhere'") and "gpu-box" in err


def test_context_is_the_servers_to_set(dirs: DataDirs, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "text.txt"
    text.write_text("Some text to score.", encoding="utf-8")
    assert score_main([str(text), "--engine", "gpu-box", "--context", "1024",
                       "--data-dir", str(dirs.settings_file.parent)]) == 2
    assert "llama-server -c N" in capsys.readouterr().err


def test_score_on_an_engine_without_prompt_logprobs_exits_2_naming_it(
    dirs: DataDirs, tmp_path: Path, on_server: list[EngineAccess], capsys: pytest.CaptureFixture[str],
) -> None:
    text = tmp_path / "text.txt"
    text.write_text("Some text to score.", encoding="utf-8")
    assert score_main([str(text), "--engine", "gpu-box", "--data-dir", str(dirs.settings_file.parent)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "gpu-box (llama-server) cannot score text" in captured.err and "log-probabilities" in captured.err
    assert [a.config.name for a in on_server] == ["gpu-box"]


def test_score_on_an_engine_that_scores_text(
    dirs: DataDirs, tmp_path: Path, on_server: list[EngineAccess], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(FakeRemote, "served_capabilities", EngineCapabilities(name="gpu-box (vLLM)",
                                                                              scores_text=True))
    text = tmp_path / "text.txt"
    text.write_text("Some text to score.", encoding="utf-8")
    assert score_main([str(text), "--engine", "gpu-box", "--data-dir", str(dirs.settings_file.parent)]) == 0
    captured = capsys.readouterr()
    assert "perplexity:" in captured.out and "with qwen on gpu-box (llama-server on gpu-box" in captured.err


def test_likelihood_needs_continuation_scores(
    dirs: DataDirs, on_server: list[EngineAccess], capsys: pytest.CaptureFixture[str],
) -> None:
    assert eval_main([*sentiment(), "--engine", "gpu-box", "--rule", "likelihood", "--labels", "positive,negative",
                      "--data-dir", str(dirs.settings_file.parent)]) == 2
    assert "cannot score answers by likelihood" in capsys.readouterr().err


def test_a_model_the_server_does_not_serve(
    dirs: DataDirs, on_server: list[EngineAccess], capsys: pytest.CaptureFixture[str],
) -> None:
    assert eval_main([*sentiment(), "--engine", "gpu-box", "--model", "llama-70b",
                      "--data-dir", str(dirs.settings_file.parent)]) == 2
    assert "gpu-box does not serve a model called 'llama-70b'; it serves qwen" in capsys.readouterr().err


def test_a_run_on_a_server_records_the_engine_and_never_the_key(
    dirs: DataDirs, on_server: list[EngineAccess], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENGINE_KEY_ENV, KEY)
    monkeypatch.setattr(FakeRemote, "served_url", "http://me:pw@10.0.0.7:8080")
    assert eval_main([*sentiment(), "--engine", "http://me:pw@10.0.0.7:8080", "--seed", "3", "--shots", "2",
                      "--data-dir", str(dirs.settings_file.parent)]) == 0
    printed = capsys.readouterr().out
    assert "qwen on 10.0.0.7:8080 (llama-server on 10.0.0.7:8080)" in printed.splitlines()[0]
    (saved,) = dirs.runs.glob("*.json")
    text = saved.read_text(encoding="utf-8")
    assert KEY not in text and "pw@" not in text
    run = read_run(saved)
    assert run.model_path == "engine:10.0.0.7:8080/qwen" and run.model_sha256 == ""
    environment = run.environment
    assert environment["engine"] == "llama-server" and environment["engine_name"] == "10.0.0.7:8080"
    assert environment["engine_version"] == "b6000-abc123" and environment["engine_url"] == "http://10.0.0.7:8080"
    assert environment["server_model"] == "qwen"
    assert environment["reproducible"] is True and on_server[0].api_key == KEY


def test_a_run_on_an_added_engine_replays_there(
    dirs: DataDirs, on_server: list[EngineAccess], capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = str(dirs.settings_file.parent)
    assert eval_main([*sentiment(), "--engine", "gpu-box", "--seed", "3", "--shots", "2",
                      "--data-dir", data_dir]) == 0
    capsys.readouterr()
    (saved,) = dirs.runs.glob("*.json")
    assert read_run(saved).model_path == "engine:gpu-box/qwen"
    assert runs_main(["--data-dir", data_dir, "replay", str(saved)]) == 0  # found by the recorded engine's name
    out = capsys.readouterr().out
    assert "on qwen on gpu-box" in out and "20 of 20 items identical" in out and "note:" not in out
    assert [a.config.name for a in on_server] == ["gpu-box", "gpu-box"]


def test_replay_of_a_run_on_an_engine_no_longer_added(
    dirs: DataDirs, tmp_path: Path, on_server: list[EngineAccess], capsys: pytest.CaptureFixture[str],
) -> None:
    record = tmp_path / "run.json"
    record.write_text(json.dumps(_any_record("engine:old-box/qwen", {
        "engine": "vLLM", "engine_name": "old-box", "engine_url": "http://old-box:8000"})), encoding="utf-8")
    data_dir = str(dirs.settings_file.parent)
    assert runs_main(["--data-dir", data_dir, "replay", str(record)]) == 2
    err = capsys.readouterr().err
    assert "'old-box', which is not in Settings" in err and "http://old-box:8000" in err
    assert runs_main(["--data-dir", data_dir, "replay", str(record), "--engine", "gpu-box"]) == 0
    out = capsys.readouterr().out
    assert "note: engine was 'vLLM' in the record, now 'llama-server'" in out


def test_engine_notes_compare_like_with_like() -> None:
    local = {"engine": "llama.cpp", "backend": "CPU", "n_ctx": 4096}
    server = {"engine": "llama-server", "engine_name": "gpu-box", "engine_version": "b1", "server_model": "qwen",
              "n_ctx": 8192}
    assert engine_notes(local, server) == [
        "note: the run was on this computer (llama.cpp); this replay runs on gpu-box (llama-server), so outputs "
        "may differ"]
    assert engine_notes(server, {**server, "engine_version": "b2"}) == [
        "note: engine_version was 'b1' in the record, now 'b2'"]
    assert engine_notes(server, server) == []


def _any_record(model_path: str = "/models/gone.gguf", environment: dict[str, object] | None = None,
                ) -> dict[str, object]:
    """A small replayable record, made by a real run through FakeBackend."""
    template = load_template(sample_templates_dir() / "sentiment.json").with_shots(2, 1)
    table = read_table(sample_templates_dir() / "sentiment-test.csv")
    items = to_test_items(table, guess_mapping(table.columns), template)[:3]
    params = eval_params(0.0, 8, 1)
    run = new_run(template=template, items=items, params=params, rule="normalized", data_path="/gone.csv",
                  model_path=model_path, environment=environment or {})
    request = EvalRequest(template, tuple(items_of(run)), params, None, "normalized", template.pattern)
    done = record_run(FakeBackend(), request, run)
    return done.to_json()
