"""Messages from desktop/inference and desktop/hub under the Chinese interface: where the layers went (status bar,
About, the out-of-memory fallback), model loading and generation errors, a server's errors and Hugging Face's
(offline, not found, gated, disk full, a download already running) come through Qt's translator with no English
but names, paths and URLs."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import httpx2
import pytest
from huggingface_hub import constants
from huggingface_hub.errors import HfHubHTTPError

from desktop.core.engines.config import EngineConfig, remote_path
from desktop.core.i18n import translate
from desktop.hub.client import HubClient
from desktop.hub.download import Download
from desktop.hub.download_files import fmt
from desktop.hub.errors import HubError, OfflineError, auth_required, translate_error
from desktop.hub.listing import make_repo_file
from desktop.hub.names import refusal, unsafe_name_reason
from desktop.hub.partial_lock import PartialLock
from desktop.inference.backend import EngineCapabilities, InferenceBackend, InferenceError, LoadedModel, LoadOptions
from desktop.inference.context_fit import PromptTooLongError, StoppedError
from desktop.inference.model_file import check_unchanged, stamp_files
from desktop.inference.offload import BuildInfo, load_with_fallback
from desktop.inference.remote.backend import RemoteBackend
from desktop.inference.remote.client import EngineAccess, EngineClient
from tests.fakes import FakeBackend, fake_info
from tests.ui.language.visible_text import english

ENGINE = "box1"  # a server's name, as the person typed it
REPO = "owner/tiny-GGUF"
NAMES = (REPO, ENGINE, "owner/model-name", "Qwen/Qwen2.5-0.5B-Instruct-GGUF", "huggingface_hub", "Windows")
ENV_VAR = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")  # HF_HUB_OFFLINE
OS_ERROR = re.compile(r"\[Errno \d+\][^）]*")  # the system's own words for a refused connection
FILE = re.compile(r"[\w./\-]+\.(?:gguf|md)\b")  # a model file's or a document's name


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> None:
    """No offline flag leaks in from the environment (huggingface_hub read it at import)."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)


def no_english(text: str, *paths: Path) -> list[str]:
    """English words left once paths, names and environment variables are out."""
    for path in paths:
        text = re.sub(re.escape(str(path)) + r"[^\s（），。：“”]*", " ", text)
    for name in NAMES:
        text = text.replace(name, " ")
    return english(ENV_VAR.sub(" ", FILE.sub(" ", OS_ERROR.sub(" ", text))))


def assert_chinese(shown: list[str], *paths: Path) -> None:
    assert len(shown) == len(set(shown))
    for text in shown:
        assert re.search(r"[\u4e00-\u9fff]", text), text
        assert not no_english(text, *paths), text


def caught(call: Callable[[], object], kind: type[Exception] = Exception) -> str:
    with pytest.raises(kind) as error:
        call()
    return str(error.value)


def test_offload_sentences_are_chinese(chinese: None, tmp_path: Path) -> None:
    info = fake_info(tmp_path / "m.gguf")
    cpu, cpu_only = LoadedModel(info, 4096, 2, "CPU", 0, 4), LoadedModel(info, 4096, 2, "CUDA", 0, 4)
    gpu, remote = LoadedModel(info, 4096, 2, "CUDA", 3, 4), LoadedModel(info, 4096, 0, "vLLM", 0, 0, engine=ENGINE)
    shown = [m.offload_summary for m in (cpu, cpu_only, gpu, remote)]
    shown += [m.offload_sentence for m in (cpu, cpu_only, gpu, remote)]
    shown += [BuildInfo("CPU", False, "0.3", "").description, BuildInfo("CUDA", True, "0.3", "").description]
    assert shown[0] == "CPU 版本 · 2 个线程"

    def load(layers: int) -> int:
        if layers > 1:
            raise ValueError("显存不够")
        return layers

    shown += [load_with_fallback(load, 8, 8, lambda _e: True).message,
              load_with_fallback(load, 4, 8, lambda _e: True).message]
    shown += [EngineCapabilities(name="llama.cpp", sampling=frozenset()).unsupported_note("top_k"),
              replace(RemoteBackend.capabilities, sampling=frozenset()).unsupported_note("top_k")]
    assert_chinese(shown)


def test_model_errors_are_chinese(chinese: None, tmp_path: Path) -> None:
    backend = FakeBackend()
    shown = [caught(lambda: InferenceBackend.token_pieces(backend, "x"), InferenceError),
             caught(lambda: InferenceBackend.next_token_distribution(backend, "x"), InferenceError),
             caught(lambda: InferenceBackend.continuation_logprobs(backend, "x", ["a"]), InferenceError),
             caught(lambda: InferenceBackend.score_text(backend, "x", lambda _a, _b: None, lambda: False),
                    InferenceError),
             str(StoppedError()), str(PromptTooLongError(5000, 4096, 0)),
             str(PromptTooLongError(5000, 4096, 2, message_alone=True))]
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF" + bytes(60))
    stamps = stamp_files(model)
    model.write_bytes(b"GGUF" + bytes(90))
    os.utime(model, ns=(0, stamps[0].mtime_ns + 10**9))
    shown.append(caught(lambda: check_unchanged(stamps), InferenceError))
    model.unlink()
    shown.append(caught(lambda: check_unchanged(stamps), InferenceError))
    assert_chinese(shown, model)


def test_server_errors_are_chinese(chinese: None) -> None:
    url = "http://127.0.0.1:9"  # nothing listens there: the connection is refused at once
    access = EngineAccess(EngineConfig(ENGINE, url), timeout=2)
    backend = RemoteBackend(lambda _name: access)
    shown = [caught(lambda: backend.load(remote_path(ENGINE, "tiny"), LoadOptions()), InferenceError),
             caught(lambda: backend.count_tokens("x"), InferenceError)]
    client = EngineClient(access)
    try:
        request = httpx2.Request("GET", url + "/v1/models")
        for status in (401, 404, 500):
            response = httpx2.Response(status, request=request, json={"error": {"message": "行不通"}})
            shown.append(str(client.error(httpx2.HTTPStatusError("x", request=request, response=response),
                                          translate("EngineClient", "counting tokens"))))
        shown.append(str(client.error(httpx2.ReadTimeout("x", request=request))))
    finally:
        client.close()
    assert "HTTP 500" in shown[-2]
    assert_chinese(shown)


def hub_error(status: int, code: str | None = None) -> HfHubHTTPError:
    headers = {"X-Error-Code": code} if code else {}
    response = httpx2.Response(status, headers=headers, request=httpx2.Request("GET", "https://huggingface.co/x"))
    return HfHubHTTPError("x", response=response)


def test_hub_errors_are_chinese(chinese: None, online: None, tmp_path: Path) -> None:
    endpoint = "https://huggingface.co"
    with pytest.raises(OfflineError) as offline:
        HubClient(offline=True).check_online()
    assert offline.value.offline_mode  # what the page tells apart from a failed connection, in any language
    shown = [str(offline.value),
             caught(lambda: HubClient().list_gguf("???"), HubError)]
    for error in (hub_error(404, "RepoNotFound"), hub_error(404, "EntryNotFound"), hub_error(429), hub_error(503),
                  hub_error(403, "GatedRepo"), httpx2.ConnectTimeout("x"), httpx2.ReadTimeout("x"), ValueError("x")):
        shown.append(str(translate_error(error, translate("HubError", "search Hugging Face"), endpoint, REPO)))
    download = translate("HubError", "download {name}").format(name="tiny.gguf")
    shown.append(str(auth_required(download, endpoint + "/" + REPO, REPO)))
    shown.append(caught(lambda: HubClient(endpoint="http://127.0.0.1:9").search("tiny"), OfflineError))
    reason = unsafe_name_reason("../model.gguf")
    assert reason is not None
    shown += [reason, refusal("../model.gguf", REPO, reason), fmt(512)]
    assert_chinese(shown)


def test_download_errors_are_chinese(chinese: None, online: None, tmp_path: Path) -> None:
    client = HubClient(endpoint="http://127.0.0.1:9")
    huge = Download(client, REPO, make_repo_file("tiny-Q4_K_M.gguf", 10**18, None), tmp_path)
    shown = [caught(huge.run, HubError)]
    refused = Download(client, REPO, make_repo_file("..\\tiny.gguf", 10, None), tmp_path)
    shown.append(caught(refused.run, HubError))
    cancelled = Download(client, REPO, make_repo_file("tiny-Q8_0.gguf", 10, None), tmp_path)
    cancelled.cancel()
    shown.append(caught(cancelled.run, HubError))
    busy = Download(client, REPO, make_repo_file("tiny-F16.gguf", 10, None), tmp_path)
    busy.partial.parent.mkdir(parents=True, exist_ok=True)
    other = PartialLock(busy.partial)
    other.acquire()
    try:
        shown.append(caught(busy.run, HubError))
    finally:
        other.release()
    assert "磁盘空间不足" in shown[0]
    assert_chinese([text.replace("`parley models download`", " ") for text in shown], tmp_path)
