"""Parley's log: a file in the data folder from the start, native crashes beside it, uncaught errors logged with
their traceback, and a log folder that cannot be written never stops Parley."""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.logs import CRASH_NAME, LOG_NAME, configure, install_excepthooks
from desktop.core.paths import DataDirs
from tests.logging_state import kept_logging_state


@pytest.fixture(autouse=True)
def _kept() -> Iterator[None]:
    with kept_logging_state():
        yield


def test_data_dirs_have_a_logs_folder(tmp_path: Path) -> None:
    assert DataDirs.under(tmp_path).logs == tmp_path.resolve() / "logs"
    assert DataDirs.default().logs.name == "logs"


def test_the_log_file_has_a_line_after_start(tmp_path: Path) -> None:
    setup = configure(tmp_path / "logs")
    try:
        logging.getLogger("parley.test").info("hello from a test")
        text = (tmp_path / "logs" / LOG_NAME).read_text(encoding="utf-8")
        assert setup.log_file == tmp_path / "logs" / LOG_NAME
        assert "Parley" in text.splitlines()[0] and "started" in text.splitlines()[0]
        assert "hello from a test" in text
        assert setup.notice == ""
    finally:
        setup.close()


def test_native_crashes_go_to_a_crash_file(tmp_path: Path) -> None:
    setup = configure(tmp_path / "logs")
    try:
        assert setup.crash_file == tmp_path / "logs" / CRASH_NAME
        assert setup.crash_file.is_file()
        assert faulthandler.is_enabled()
        assert setup.crash_stream is not None and not setup.crash_stream.closed
    finally:
        setup.close()


def test_an_unwritable_log_folder_falls_back_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "logs").write_text("a file where the folder should be")
    setup = configure(tmp_path / "logs")
    try:
        assert setup.log_file is None and setup.crash_file is None
        assert "cannot write its log file" in setup.notice and str(tmp_path / "logs") in setup.notice
        logging.getLogger("parley.test").warning("still logged")
        err = capsys.readouterr().err
        assert "cannot write its log file" in err and "still logged" in err
    finally:
        setup.close()


def test_a_thread_exception_is_logged_with_its_traceback_then_reported(tmp_path: Path) -> None:
    setup = configure(tmp_path / "logs")
    reported: list[str] = []
    undo = install_excepthooks(reported.append)
    try:
        def fail() -> None:
            raise RuntimeError("thread went wrong")

        thread = threading.Thread(target=fail, name="doomed-thread")
        thread.start()
        thread.join()
        assert len(reported) == 1 and "RuntimeError: thread went wrong" in reported[0]
        assert "Traceback" in reported[0]
        text = (tmp_path / "logs" / LOG_NAME).read_text(encoding="utf-8")
        assert "in thread doomed-thread" in text and "Traceback" in text and "thread went wrong" in text
    finally:
        undo()
        setup.close()


def test_the_hook_never_raises_when_reporting_fails(tmp_path: Path) -> None:
    setup = configure(tmp_path / "logs")

    def broken_report(_details: str) -> None:
        raise RuntimeError("no dialog today")

    undo = install_excepthooks(broken_report)
    try:
        try:
            raise ValueError("first")
        except ValueError:
            sys.excepthook(*sys.exc_info())
        text = (tmp_path / "logs" / LOG_NAME).read_text(encoding="utf-8")
        assert "ValueError: first" in text and "no dialog today" in text
    finally:
        undo()
        setup.close()


def test_undo_puts_the_previous_hooks_back(tmp_path: Path) -> None:
    before = sys.excepthook, threading.excepthook
    undo = install_excepthooks(lambda _details: None)
    assert sys.excepthook is not before[0] and threading.excepthook is not before[1]
    undo()
    assert (sys.excepthook, threading.excepthook) == before
