"""llama.cpp's own log, routed into Python logging (and so into Parley's log file) instead of stderr."""

from __future__ import annotations

import ctypes
import logging
import threading

import llama_cpp

GGML_LOG_LEVEL_CONT = 5  # ggml's enum: none, debug, info, warn, error, cont (continues the previous message)
_LLAMA_LEVELS = {1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}


class _LlamaLog:
    """llama.cpp's own log (about 1,400 lines per load) into Python logging as `llama.cpp`, levels mapped; Parley's
    log file keeps info and above. Cheap: a level that is not logged is dropped before its text is decoded.
    llama.cpp sends some lines in pieces (the load's progress dots): they are joined up to the newline."""

    def __init__(self) -> None:
        self.logger = logging.getLogger("llama.cpp")
        self._level = logging.INFO  # of the message being continued
        self._pending: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, level: int, text: bytes, _user_data: object) -> None:
        with self._lock:
            if level != GGML_LOG_LEVEL_CONT:
                self._level = _LLAMA_LEVELS.get(level, logging.INFO)
            if not self.logger.isEnabledFor(self._level) or (self._level < logging.ERROR and not logging.root.handlers):
                self._pending.clear()  # with no log set up (a CLI, a test), only errors surface, on stderr
                return
            line = text.decode("utf-8", "replace")
            if not line.endswith("\n"):
                self._pending.append(line)
                return
            if self._pending:
                line = "".join(self._pending) + line
                self._pending.clear()
            level_now = self._level
        if line.strip():
            self.logger.log(level_now, line.rstrip())


_route = _LlamaLog()
_callback = llama_cpp.llama_log_callback(_route)  # kept referenced: llama.cpp holds a pointer to it


def route_llama_log() -> None:
    """From now on llama.cpp (and ggml) log through `llama.cpp`; replaces llama-cpp-python's own callback."""
    llama_cpp.llama_log_set(_callback, ctypes.c_void_p(0))
