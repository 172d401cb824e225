"""The remote engine against a real llama-server serving the built-in model: probe, streaming, Stop (the server
really stops), token probabilities, tokens, and reproducible output for identical input."""

from __future__ import annotations

import threading
import time

import httpx2 as httpx
import pytest

from desktop.core.engines.config import EngineConfig, remote_path
from desktop.core.prompting.probabilities import TokenStep
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, InferenceError, LoadOptions
from desktop.inference.remote.backend import RemoteBackend
from desktop.inference.remote.client import LLAMA_SERVER, EngineAccess, EngineClient
from tests.integration.engines.conftest import remote_backend
from tests.llama_server import LlamaServer

pytestmark = pytest.mark.integration
PROMPT = "The capital of France is"
GREEDY = SamplingParams(temperature=0.0, top_k=1, max_tokens=12, seed=7)


def test_the_probe_names_the_engine_its_model_and_what_it_can_do(llama_server: LlamaServer) -> None:
    client = EngineClient(EngineAccess(EngineConfig("box", llama_server.url)))
    try:
        probe = client.probe()
    finally:
        client.close()
    assert probe.kind == LLAMA_SERVER and probe.version.startswith("b")
    assert [m.id for m in probe.models] == [llama_server.alias]
    assert probe.models[0].context_length == 2048  # the server's context, not the trained one
    lines = dict(probe.capability_lines())
    assert lines["Token probabilities with top alternatives"] and lines["Probabilities after the sampler chain"]
    assert not lines["Prompt log-probabilities (perplexity, likelihood scoring)"]
    assert lines["Identical output for identical input"]  # --parallel 1
    info = probe.model_info(probe.models[0])
    # The base model's GGUF has no template: the server's ChatML stand-in is not taken for the model's own, and the
    # name picks the built-in Gemma template, as for the same file on this computer.
    assert info.chat_template is None and info.architecture == "gemma" and info.bos_token == "<bos>"
    assert [e.path for e in probe.entries()] == [remote_path("box", llama_server.alias)]


def test_a_reply_streams_and_the_same_request_gives_the_same_reply(served: RemoteBackend) -> None:
    pieces: list[str] = []
    stats = served.generate(GenerationRequest(PROMPT, GREEDY), pieces.append, lambda: False)
    again: list[str] = []
    served.generate(GenerationRequest(PROMPT, GREEDY), again.append, lambda: False)
    assert len(pieces) > 1 and "".join(pieces).strip()
    assert "".join(again) == "".join(pieces)
    assert stats.generated_tokens == 12 and stats.tokens_per_second > 0 and stats.prompt_tokens > 3


def test_the_remote_reply_matches_the_in_process_engine(served: RemoteBackend, backend: object) -> None:
    """Same llama.cpp, same model, greedy: the same first tokens (without a repeat penalty, whose window of past
    tokens the two fill differently). Later tokens may part: the two evaluate the prompt in different batches and
    threads, which changes the logits' last bits."""
    from desktop.inference.llama.backend import LlamaBackend

    assert isinstance(backend, LlamaBackend)
    greedy = GREEDY.with_changes(repeat_penalty=1.0, max_tokens=4)  # longer replies may part in the last bits
    remote: list[str] = []
    served.generate(GenerationRequest(PROMPT, greedy), remote.append, lambda: False)
    local: list[str] = []
    backend.generate(GenerationRequest(PROMPT, greedy), local.append, lambda: False)
    assert "".join(remote) == "".join(local)


def test_stop_closes_the_stream_and_the_server_stops_generating(served: RemoteBackend,
                                                              llama_server: LlamaServer) -> None:
    pieces: list[str] = []
    stats = served.generate(GenerationRequest("Write a very long story about a dragon.",
                                              SamplingParams(max_tokens=1500, seed=1)),
                            pieces.append, lambda: len(pieces) >= 3)
    assert stats.stopped and len(pieces) == 3
    deadline = time.monotonic() + 20
    while True:  # the server notices the closed connection at its next token
        slots = httpx.get(llama_server.url + "/slots", timeout=5, trust_env=False).json()
        if not any(slot["is_processing"] for slot in slots):
            break
        assert time.monotonic() < deadline, "the server kept generating after Stop"
        time.sleep(0.1)


def test_token_probabilities_come_with_each_generated_token(served: RemoteBackend) -> None:
    steps: list[TokenStep] = []
    text: list[str] = []
    served.generate(GenerationRequest(PROMPT, GREEDY, alternatives=5), text.append, lambda: False, steps.append)
    assert len(steps) == 12
    first = steps[0]
    assert 0 < first.probability <= 1 and len(first.alternatives) == 5
    assert first.alternatives[0].probability >= first.alternatives[-1].probability
    assert first.token_id == first.alternatives[0].token_id  # greedy: the likeliest was chosen
    assert "".join(s.text for s in steps) == "".join(text)


def test_next_token_distribution_has_the_servers_top_candidates(served: RemoteBackend) -> None:
    distribution = served.next_token_distribution(PROMPT, context="after the prompt")
    best = int(distribution.logits.argmax())
    assert distribution.text(best).strip() and "top 100" in distribution.context


def test_tokens_are_counted_by_the_server(served: RemoteBackend, backend: object) -> None:
    from desktop.inference.llama.backend import LlamaBackend

    assert isinstance(backend, LlamaBackend)
    text = "<bos><start_of_turn>user\nHello there<end_of_turn>\n"
    assert served.count_tokens(text) == backend.count_tokens(text)
    assert [p.token_id for p in served.token_pieces(text)] == [p.token_id for p in backend.token_pieces(text)]


def test_scoring_text_says_why_it_is_unavailable(served: RemoteBackend) -> None:
    assert not served.capabilities.scores_text
    with pytest.raises(InferenceError, match="log-probabilities"):
        served.score_text("Some text.", lambda done, total: None, lambda: False)


def test_a_model_the_server_does_not_serve_is_named(llama_server: LlamaServer) -> None:
    backend = remote_backend(llama_server.url)
    with pytest.raises(InferenceError, match="does not serve"):
        backend.load(remote_path("local-server", "no-such-model"), LoadOptions())


def test_offline_mode_refuses_a_server_on_another_machine() -> None:
    backend = remote_backend("http://192.0.2.1:8080", name="far", offline=True)  # never contacted
    with pytest.raises(InferenceError, match="Offline mode"):
        backend.load(remote_path("far", "m"), LoadOptions())


def test_offline_mode_allows_a_server_on_this_computer(llama_server: LlamaServer) -> None:
    backend = remote_backend(llama_server.url, offline=True)
    assert backend.load(remote_path("local-server", llama_server.alias), LoadOptions()).engine == "local-server"
    backend.unload()


def test_generation_runs_beside_a_probe_on_another_thread(served: RemoteBackend, llama_server: LlamaServer) -> None:
    """The dialog's probe makes its own connections: it never shares the worker's."""
    errors: list[BaseException] = []

    def probe() -> None:
        client = EngineClient(EngineAccess(EngineConfig("box", llama_server.url)))
        try:
            client.list_models()
        except BaseException as exc:
            errors.append(exc)
        finally:
            client.close()

    thread = threading.Thread(target=probe)
    thread.start()
    served.generate(GenerationRequest(PROMPT, GREEDY), lambda _t: None, lambda: False)
    thread.join()
    assert not errors
