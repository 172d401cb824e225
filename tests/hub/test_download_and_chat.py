"""The whole path with the real model: download Gemma 3 270M from the (fake) Hub, then chat with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli.models import main as models_main
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, LoadOptions
from desktop.inference.llama.backend import LlamaBackend
from tests.hub.fake_hub import FakeHub

pytestmark = pytest.mark.integration


def test_download_interrupted_resumed_then_chat(hub: FakeHub, builtin_model: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    hub.add("google/gemma-3-270m-GGUF", {"gemma-3-270m-Q4_K_M.gguf": builtin_model.read_bytes()})
    hub.drop_after = 50_000_000  # the connection breaks part-way; the downloader continues with a Range request
    code = models_main(["--data-dir", str(tmp_path), "download", "google/gemma-3-270m-GGUF",
                        "gemma-3-270m-Q4_K_M.gguf"])
    assert code == 0, capsys.readouterr().err
    assert any("range" in r.headers for r in hub.file_requests())
    model = tmp_path / "models" / "gemma-3-270m-Q4_K_M.gguf"
    assert model.stat().st_size == builtin_model.stat().st_size

    backend = LlamaBackend()
    try:
        backend.load(model, LoadOptions(n_ctx=512))
        prompt = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>").render(
            [{"role": "user", "content": "Say hello."}]).text
        pieces: list[str] = []
        stats = backend.generate(GenerationRequest(prompt, SamplingParams(temperature=0.0, max_tokens=8)),
                                 pieces.append, lambda: False)
        assert stats.generated_tokens > 0 and "".join(pieces)
    finally:
        backend.unload()
