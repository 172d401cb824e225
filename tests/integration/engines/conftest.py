"""A real llama-server with the built-in model, shared by the engine tests, and a factory for servers the fault
tests start, kill and restart themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.core.engines.config import EngineConfig, remote_path
from desktop.inference.backend import LoadOptions
from desktop.inference.remote.backend import RemoteBackend
from desktop.inference.remote.client import EngineAccess
from tests.llama_server import LlamaServer, server_binary


def _binary() -> Path:
    binary = server_binary()
    if binary is None or not binary.exists():
        pytest.fail("llama-server is not built: `make test` builds it (packaging/build-llama-server.sh), or set "
                    "PARLEY_LLAMA_SERVER to a llama-server binary.")
    return binary


@pytest.fixture(scope="session")
def llama_server(builtin_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """llama-server on 127.0.0.1 serving the built-in model, for the whole session."""
    server = LlamaServer(_binary(), builtin_model, tmp_path_factory.mktemp("llama-server") / "server.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def start_server(builtin_model: Path, tmp_path: Path) -> Iterator[Callable[..., LlamaServer]]:
    """start_server(*extra_args, port=None): a server of the test's own, stopped at the end."""
    started: list[LlamaServer] = []

    def start(*extra: str, port: int | None = None) -> LlamaServer:
        server = LlamaServer(_binary(), builtin_model, tmp_path / f"server-{len(started)}.log", *extra, port=port)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


_made: list[RemoteBackend] = []


def remote_backend(url: str, name: str = "local-server", key: str | None = None, timeout: float = 60.0,
                   offline: bool = False) -> RemoteBackend:
    """A RemoteBackend reaching `url` as the engine `name`; its connections are closed after the test."""
    access = EngineAccess(EngineConfig(name, url), key, timeout, offline)
    backend = RemoteBackend(lambda engine: access)
    _made.append(backend)
    return backend


@pytest.fixture(autouse=True)
def _close_backends() -> Iterator[None]:
    yield
    while _made:
        _made.pop().unload()


@pytest.fixture
def served(llama_server: LlamaServer) -> Iterator[RemoteBackend]:
    """A RemoteBackend with the session server's model loaded."""
    backend = remote_backend(llama_server.url)
    backend.load(remote_path("local-server", llama_server.alias), LoadOptions())
    yield backend
    backend.unload()
