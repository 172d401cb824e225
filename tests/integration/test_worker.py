"""The job queue with the real llama.cpp: loading, failures that keep the old model, streaming, cancelling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, LoadedModel
from desktop.inference.jobs import LoadRequest
from desktop.inference.llama.backend import LlamaBackend
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
    job = client.submit(LoadRequest(builtin_model))
    with qtbot.waitSignal(job.result, timeout=30000) as loaded:
        pass
    assert isinstance(loaded.args[0], LoadedModel)

    not_gguf = tmp_path / "notes.gguf"
    not_gguf.write_text("hello")
    job = client.submit(LoadRequest(not_gguf))
    with qtbot.waitSignal(job.failed, timeout=30000) as failed:
        pass
    assert "notes.gguf" in failed.args[0] and "not a GGUF" in failed.args[0]

    # Passes Parley's header checks but lacks the tensors llama.cpp needs: llama.cpp refuses it after the old
    # model was freed, and the worker loads the old one again before the job ends.
    broken = write_tiny_gguf(tmp_path / "incomplete.gguf")
    job = client.submit(LoadRequest(broken))
    with qtbot.waitSignal(job.failed, timeout=30000) as failed:
        pass
    assert "could not load incomplete.gguf" in failed.args[0]

    pieces: list[str] = []
    job = client.submit(GenerationRequest("<bos>The sky is", SamplingParams(temperature=0.0, max_tokens=8)))
    job.text.connect(pieces.append)
    with qtbot.waitSignal(job.result, timeout=30000) as done:
        pass
    assert "".join(pieces).strip() and done.args[0].generated_tokens > 0


def test_cancel_from_gui_thread_ends_generation(qtbot: QtBot, client: InferenceClient, builtin_model: Path) -> None:
    client.submit(LoadRequest(builtin_model))
    job = client.submit(GenerationRequest("<bos>Once upon a time", SamplingParams(max_tokens=2000, seed=1)))
    with qtbot.waitSignal(job.text, timeout=30000):
        pass
    with qtbot.waitSignal(job.result, timeout=5000) as done:
        job.cancel()
    assert done.args[0].stopped and done.args[0].generated_tokens < 2000


def test_generation_errors_arrive_on_the_job(qtbot: QtBot, client: InferenceClient) -> None:
    job = client.submit(GenerationRequest("<bos>Hi", SamplingParams()))
    with qtbot.waitSignal(job.failed, timeout=5000) as failed:
        pass
    assert "No model is loaded" in failed.args[0]
