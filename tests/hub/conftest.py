"""Hub fixtures: a fake Hub on a free local port, and a huggingface_hub that can only see it and a temp home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from huggingface_hub import close_session, constants

from desktop.hub import download
from desktop.hub.client import HubClient
from tests.hub.fake_hub import FakeHub, make_gguf


@pytest.fixture(autouse=True)
def hf_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No real token, offline flag or endpoint leaks in: huggingface_hub read those at import, so patch both."""
    home = tmp_path / "hf_home"
    monkeypatch.setenv("HF_HOME", str(home))
    for var in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_ENDPOINT",
                "HF_OIDC_RESOURCE", "HF_HUB_DISABLE_IMPLICIT_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(constants, "HF_HOME", str(home))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(home / "token"))
    monkeypatch.setattr(constants, "HF_STORED_TOKENS_PATH", str(home / "stored_tokens"))
    monkeypatch.setattr(constants, "AGENT_HARNESSES_PATH", str(home / ".agent_harnesses.json"))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_IMPLICIT_TOKEN", False)
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_TELEMETRY", True)
    return home


@pytest.fixture(scope="session")
def gguf_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Small valid GGUF files (about 0.5 MB each), generated once per session."""
    folder = tmp_path_factory.mktemp("gguf")
    return {
        "q4": make_gguf(str(folder / "a.gguf"), "Tiny", file_type=15, seed=1),
        "q8": make_gguf(str(folder / "b.gguf"), "Tiny", rows=128, file_type=7, seed=2),
        "shard1": make_gguf(str(folder / "c.gguf"), "Tiny sharded", rows=64, seed=3),
        "shard2": make_gguf(str(folder / "d.gguf"), "Tiny sharded", rows=64, seed=4),
    }


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, gguf_files: dict[str, bytes]) -> Iterator[FakeHub]:
    """A running fake Hub with a few repositories; HF_ENDPOINT points at it."""
    fake = FakeHub()
    fake.add("tiny/Tiny-GGUF", {
        "README.md": b"# Tiny\n\nA tiny test model.\n",
        "Tiny-Q4_K_M.gguf": gguf_files["q4"],
        "Tiny-q8_0.gguf": gguf_files["q8"],
        "config.json": b"{}",
    }, downloads=500, likes=3, last_modified="2024-01-01T00:00:00.000Z")
    fake.add("tiny/Sharded-GGUF", {
        "Q4_K_M/Sharded-Q4_K_M-00001-of-00002.gguf": gguf_files["shard1"],
        "Q4_K_M/Sharded-Q4_K_M-00002-of-00002.gguf": gguf_files["shard2"],
    }, downloads=100, likes=30, last_modified="2025-06-01T00:00:00.000Z")
    fake.add("tiny/Tiny-safetensors", {"model.safetensors": b"\0" * 64, "README.md": b"# weights"},
             downloads=9000, likes=1)
    fake.add("tiny/Gated-GGUF", {"Gated-BF16.gguf": gguf_files["q8"]}, downloads=10, likes=300)
    fake.gated.add("tiny/Gated-GGUF")
    fake.start()
    monkeypatch.setenv("HF_ENDPOINT", fake.url)
    try:
        yield fake
    finally:
        fake.stop()
        close_session()  # drop pooled keep-alive connections to the stopped server


@pytest.fixture
def client(hub: FakeHub) -> HubClient:
    return HubClient()


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """16 KiB chunks and unthrottled progress, so a 0.5 MB file is many chunks and many callbacks."""
    monkeypatch.setattr(download, "CHUNK_SIZE", 16 * 1024)
    monkeypatch.setattr(download, "PROGRESS_INTERVAL", 0.0)
