"""Fault tests against the real llama-server: down when added, dying mid-reply, a wrong key, a frozen (slow)
server, a restart; and a server that sends malformed JSON or a broken stream. Each gives a clear message naming the
engine, never a crash."""

from __future__ import annotations

import signal
from collections.abc import Callable

import pytest

from desktop.core.engines.config import EngineConfig, remote_path
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, InferenceError, LoadOptions
from desktop.inference.remote.client import EngineAccess, EngineClient
from tests.bad_server import BadServer
from tests.integration.engines.conftest import remote_backend
from tests.llama_server import LlamaServer, free_port

pytestmark = pytest.mark.integration
ALIAS = "gemma-3-270m"
SHORT = SamplingParams(temperature=0.0, top_k=1, max_tokens=8, seed=3)


def test_a_server_that_is_down_when_added() -> None:
    client = EngineClient(EngineAccess(EngineConfig("gpu-box", f"http://127.0.0.1:{free_port()}"), timeout=5))
    with pytest.raises(InferenceError, match="cannot reach gpu-box") as raised:
        client.probe()
    client.close()
    assert "not running" in str(raised.value)


def test_a_server_that_dies_mid_reply_keeps_the_partial_reply(start_server: Callable[..., LlamaServer]) -> None:
    server = start_server()
    backend = remote_backend(server.url, name="dying")
    backend.load(remote_path("dying", ALIAS), LoadOptions())
    pieces: list[str] = []

    def on_text(text: str) -> None:
        pieces.append(text)
        if len(pieces) == 3:
            server.kill()

    with pytest.raises(InferenceError, match="dying") as raised:
        backend.generate(GenerationRequest("Tell me a long story.", SamplingParams(max_tokens=1000, seed=2)),
                         on_text, lambda: False)
    assert len(pieces) >= 3  # what arrived before the server died was delivered
    assert "cannot reach" in str(raised.value) or "answer" in str(raised.value)


def test_a_wrong_key_is_named(start_server: Callable[..., LlamaServer]) -> None:
    server = start_server("--api-key", "right-key")
    wrong = remote_backend(server.url, name="locked", key="wrong-key")
    with pytest.raises(InferenceError, match="locked refused the API key"):
        wrong.load(remote_path("locked", ALIAS), LoadOptions())
    right = remote_backend(server.url, name="locked", key="right-key")
    right.load(remote_path("locked", ALIAS), LoadOptions())
    text: list[str] = []
    right.generate(GenerationRequest("Hello", SHORT), text.append, lambda: False)
    assert "".join(text)
    right.unload()


def test_a_frozen_server_times_out_with_a_message(start_server: Callable[..., LlamaServer]) -> None:
    server = start_server()
    backend = remote_backend(server.url, name="slow", timeout=2)
    backend.load(remote_path("slow", ALIAS), LoadOptions())
    assert server.process is not None
    server.process.send_signal(signal.SIGSTOP)  # a server too busy to answer
    try:
        with pytest.raises(InferenceError, match="slow did not answer within 2 seconds"):
            backend.generate(GenerationRequest("Hello", SHORT), lambda _t: None, lambda: False)
    finally:
        server.process.send_signal(signal.SIGCONT)
    patient = remote_backend(server.url, name="slow")  # the server first finishes the request that timed out
    patient.load(remote_path("slow", ALIAS), LoadOptions())
    text: list[str] = []
    patient.generate(GenerationRequest("Hello", SHORT), text.append, lambda: False)  # and works again
    assert "".join(text)


def test_after_a_restart_the_next_request_reconnects(start_server: Callable[..., LlamaServer]) -> None:
    server = start_server()
    backend = remote_backend(server.url, name="restarting")
    backend.load(remote_path("restarting", ALIAS), LoadOptions())
    before: list[str] = []
    backend.generate(GenerationRequest("Hello", SHORT), before.append, lambda: False)
    server.stop()
    with pytest.raises(InferenceError, match="cannot reach restarting"):
        backend.generate(GenerationRequest("Hello", SHORT), lambda _t: None, lambda: False)
    server.start()  # the same port
    after: list[str] = []
    backend.generate(GenerationRequest("Hello", SHORT), after.append, lambda: False)
    assert "".join(after) == "".join(before)


@pytest.mark.parametrize("mode", ["garbage", "broken-stream", "liar"])
def test_a_server_sending_malformed_answers_gets_a_message(mode: str) -> None:
    with BadServer(mode) as bad:
        backend = remote_backend(bad.url, name="weird", timeout=5)
        with pytest.raises(InferenceError, match="weird"):
            backend.load(remote_path("weird", "liar"), LoadOptions())
            backend.generate(GenerationRequest("Hello", SHORT), lambda _t: None, lambda: False)
            backend.count_tokens("Hello")
            raise AssertionError("every call succeeded")
