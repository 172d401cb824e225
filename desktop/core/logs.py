"""Parley's log: Python logging to a rotating file in the data folder, native crashes (faulthandler) to a crash
file beside it, and uncaught exceptions on any thread logged with their traceback before the person is told.

Nothing here may stop Parley from starting: a log folder that cannot be written means logging to stderr, said so.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import TextIO

from desktop.core.os_reason import os_reason

LOG_NAME = "parley.log"
CRASH_NAME = "crash.log"
MAX_BYTES = 1_000_000  # per file; with BACKUPS old files, at most about 6 MB in all
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger("parley")


@dataclass
class LogSetup:
    """What `configure` set up; `close` undoes it (for tests: a running Parley keeps its log to the end)."""

    folder: Path
    log_file: Path | None  # None: the folder cannot be written, and the log goes to stderr
    crash_file: Path | None  # None: native crashes go to stderr (when there is one)
    notice: str  # "" or what went wrong, fit to show
    handlers: tuple[logging.Handler, ...]
    previous_level: int
    crash_stream: TextIO | None = None

    def close(self) -> None:
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(self.previous_level)
        if self.crash_stream is not None:
            faulthandler.disable()
            self.crash_stream.close()
            self.crash_stream = None


def configure(folder: Path, level: int = logging.INFO) -> LogSetup:
    """Log records at `level` and above to `folder`/parley.log (rotated), warnings also to stderr when there is
    one, and native crashes to `folder`/crash.log (kept open: faulthandler writes to it when the process dies)."""
    log_file: Path | None = folder / LOG_NAME
    notice = ""
    handler: logging.Handler
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(folder / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError as exc:  # read-only, full, a file in the way: Parley starts anyway
        log_file, handler = None, _stderr_handler(level)
        notice = (f"Parley cannot write its log file in {folder} ({os_reason(exc)}), so it logs to the "
                  "terminal instead.")
    handler.setFormatter(logging.Formatter(FORMAT))
    handlers = [handler]
    if log_file is not None and sys.stderr is not None:  # a terminal still shows warnings, as before
        console = _stderr_handler(logging.WARNING)
        console.addFilter(_quiet_llama)
        handlers.append(console)
    root = logging.getLogger()
    previous_level = root.level
    for each in handlers:
        root.addHandler(each)
    root.setLevel(min(level, previous_level) if previous_level != logging.NOTSET else level)
    crash_file, crash_stream = _catch_native_crashes(folder if log_file is not None else None)
    setup = LogSetup(folder, log_file, crash_file, notice, tuple(handlers), previous_level, crash_stream)
    log.info("Parley %s started: Python %s on %s", _version(), platform.python_version(), platform.platform())
    if notice:
        log.warning(notice)
    return setup


def _stderr_handler(level: int) -> logging.Handler:
    handler: logging.Handler = logging.StreamHandler() if sys.stderr is not None else logging.NullHandler()
    handler.setLevel(level)
    return handler


def _quiet_llama(record: logging.LogRecord) -> bool:
    """The terminal shows llama.cpp's errors only (its warnings come with every load), as before logging."""
    return not record.name.startswith("llama.cpp") or record.levelno >= logging.ERROR


def _catch_native_crashes(folder: Path | None) -> tuple[Path | None, TextIO | None]:
    if folder is not None:
        crash_file = folder / CRASH_NAME
        try:
            stream = open(crash_file, "a", encoding="utf-8")  # noqa: SIM115 - open for as long as Parley runs
        except OSError:
            log.warning("Parley cannot write %s; native crashes go to the terminal.", crash_file)
        else:
            faulthandler.enable(file=stream, all_threads=True)
            return crash_file, stream
    # stderr, when there is one; not in a windowed app, or where stderr has no file behind it
    with contextlib.suppress(RuntimeError, ValueError, OSError, AttributeError):
        faulthandler.enable()
    return None, None


def _version() -> str:
    try:
        return version("parley")
    except PackageNotFoundError:
        return "(source checkout)"


def install_excepthooks(report: Callable[[str], None]) -> Callable[[], None]:
    """sys.excepthook (also what PySide6 calls for an exception in a slot) and threading.excepthook log the
    traceback, then call report(traceback text); a failing report is logged, never raised. Returns the undo."""
    previous_sys, previous_thread = sys.excepthook, threading.excepthook

    def handle(kind: type[BaseException], value: BaseException | None, tb: TracebackType | None, where: str) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        log.critical("Unexpected error%s\n%s", where, details.rstrip())
        try:
            report(details)
        except Exception:  # boundary: the hook itself must never raise (or recurse)
            log.exception("Could not tell the person about the error above")

    def on_exception(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in a terminal: not an error to report
            previous_sys(kind, value, tb)
            return
        handle(kind, value, tb, "")

    def on_thread_exception(args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):  # as the default hook: a thread may end itself that way
            return
        name = args.thread.name if args.thread is not None else "?"
        handle(args.exc_type, args.exc_value, args.exc_traceback, f" in thread {name}")

    sys.excepthook, threading.excepthook = on_exception, on_thread_exception

    def undo() -> None:
        if sys.excepthook is on_exception:
            sys.excepthook = previous_sys
        if threading.excepthook is on_thread_exception:
            threading.excepthook = previous_thread

    return undo
