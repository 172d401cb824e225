"""llama.cpp's own log lands in Parley's log file (as `llama.cpp`, levels mapped), and nowhere else."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.logs import LOG_NAME, configure
from desktop.inference.backend import LoadOptions
from desktop.inference.llama.backend import LlamaBackend
from desktop.inference.llama.log import _LlamaLog
from tests.logging_state import kept_logging_state

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _kept() -> Iterator[None]:
    with kept_logging_state():
        yield


def test_loading_a_model_writes_llama_cpp_lines_to_the_log_file(
        builtin_model: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    setup = configure(tmp_path / "logs")
    llama = LlamaBackend()
    try:
        llama.load(builtin_model, LoadOptions(n_ctx=512))
    finally:
        llama.unload()
        setup.close()
    lines = (tmp_path / "logs" / LOG_NAME).read_text(encoding="utf-8").splitlines()
    from_llama = [line for line in lines if " llama.cpp [" in line]
    assert len(from_llama) > 10, lines[:20]
    assert any(" INFO llama.cpp " in line and "llama_model_loader" in line for line in from_llama)
    assert not any(line.rstrip().endswith("]") for line in from_llama)  # no empty records
    assert "llama_model_loader" not in capfd.readouterr().err  # the file, not the terminal


def test_pieces_of_a_line_are_joined_and_levels_mapped(caplog: pytest.LogCaptureFixture) -> None:
    route = _LlamaLog()
    with caplog.at_level(logging.DEBUG, logger="llama.cpp"):
        route(2, b"loading", None)
        route(5, b" .", None)
        route(5, b".\n", None)
        route(3, b"a warning\n", None)
        route(4, b"an error\n", None)
        route(1, b"a detail\n", None)
        route(2, b"\n", None)
    assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "llama.cpp"] == [
        (logging.INFO, "loading .."), (logging.WARNING, "a warning"), (logging.ERROR, "an error"),
        (logging.DEBUG, "a detail"),
    ]


def test_without_a_log_only_errors_surface(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging.root, "handlers", [])  # a CLI: nobody set up logging
    route = _LlamaLog()
    seen: list[logging.LogRecord] = []
    monkeypatch.setattr(route.logger, "handle", seen.append)
    route(3, b"a warning\n", None)
    route(4, b"an error\n", None)
    assert [r.getMessage() for r in seen] == ["an error"]
