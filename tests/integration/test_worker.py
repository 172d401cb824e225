"""The worker thread with the real llama.cpp: loading, failures that keep the old model, streaming, stop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, LoadedModel
from desktop.inference.llama_backend import LlamaBackend
from desktop.inference.worker import InferenceClient
from tests.tiny_gguf import write_tiny_gguf

pytestmark = pytest.mark.integration


@pytest.fixture
def client(qtbot: QtBot) -> Iterator[InferenceClient]:
    client = InferenceClient(LlamaBackend())
    yield client
    client.shutdown()


def test_failed_loads_keep_the_previous_model(qtbot: QtBot, client: InferenceClient, builtin_model: Path,
                                              tmp_path: Path) -> None:
    with qtbot.waitSignal(client.modelLoaded, timeout=30000) as loaded:
        client.load(builtin_model)
    assert isinstance(loaded.args[0], LoadedModel)

    not_gguf = tmp_path / "notes.gguf"
    not_gguf.write_text("hello")
    with qtbot.waitSignal(client.modelLoadFailed, timeout=30000) as failed:
        client.load(not_gguf)
    assert "notes.gguf" in failed.args[1] and "not a GGUF" in failed.args[1]

    # llama.cpp rejects this one after the old model was freed: the worker loads the old one again.
    # Passes Parley's header checks but lacks the tensors llama.cpp needs: llama.cpp itself refuses it.
    broken = write_tiny_gguf(tmp_path / "incomplete.gguf")
    events: list[tuple[str, object]] = []
    client.modelLoadFailed.connect(lambda _path, message: events.append(("failed", message)))
    client.modelLoaded.connect(lambda model: events.append(("loaded", model.info.path)))
    client.load(broken)
    qtbot.waitUntil(lambda: len(events) == 2, timeout=30000)
    assert events[0][0] == "failed" and "could not load incomplete.gguf" in str(events[0][1])
    assert events[1] == ("loaded", builtin_model)

    pieces: list[str] = []
    client.textReady.connect(pieces.append)
    with qtbot.waitSignal(client.generationFinished, timeout=30000) as done:
        client.generate(GenerationRequest("<bos>The sky is", SamplingParams(temperature=0.0, max_tokens=8)))
    assert "".join(pieces).strip() and done.args[0].generated_tokens > 0


def test_stop_from_gui_thread_ends_generation(qtbot: QtBot, client: InferenceClient, builtin_model: Path) -> None:
    with qtbot.waitSignal(client.modelLoaded, timeout=30000):
        client.load(builtin_model)
    with qtbot.waitSignal(client.textReady, timeout=30000):
        client.generate(GenerationRequest("<bos>Once upon a time", SamplingParams(max_tokens=2000, seed=1)))
    with qtbot.waitSignal(client.generationFinished, timeout=5000) as done:
        client.stop()
    assert done.args[0].stopped and done.args[0].generated_tokens < 2000


def test_generation_errors_arrive_as_a_signal(qtbot: QtBot, client: InferenceClient) -> None:
    with qtbot.waitSignal(client.generationFailed, timeout=5000) as failed:
        client.generate(GenerationRequest("<bos>Hi", SamplingParams()))
    assert "No model is loaded" in failed.args[0]
