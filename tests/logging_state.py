"""Tests that set up Parley's log put everything back: hooks, root handlers and level, faulthandler."""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from logging.handlers import RotatingFileHandler


@contextmanager
def kept_logging_state() -> Iterator[None]:
    hooks = sys.excepthook, threading.excepthook
    root = logging.getLogger()
    level = root.level
    faults = faulthandler.is_enabled()
    try:
        yield
    finally:
        sys.excepthook, threading.excepthook = hooks
        for handler in list(root.handlers):  # Parley's own handlers only: pytest's capturing ones stay
            if isinstance(handler, RotatingFileHandler) or type(handler) in (logging.StreamHandler,
                                                                              logging.NullHandler):
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
        if faults and sys.__stderr__ is not None:
            faulthandler.enable(file=sys.__stderr__, all_threads=True)
        else:
            faulthandler.disable()
