"""Daemon threads for blocking Hub work (requests, downloads), with waits that are always bounded.

A Qt thread pool waits for every task when it is destroyed, so a request stuck on a silent server held up
quitting. Here at most `limit` tasks run at once (the rest queue), wait() takes a timeout, and a task still
stuck on the network when Parley exits is a daemon thread that ends with the process.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

__all__ = ["BackgroundThreads"]


class BackgroundThreads:
    def __init__(self, limit: int = 2, name: str = "parley-hub") -> None:
        self.limit = max(1, limit)
        self.name = name
        self._queue: deque[Callable[[], None]] = deque()
        self._running = 0
        self._changed = threading.Condition()

    def start(self, task: Callable[[], None]) -> None:
        """Run `task` on a daemon thread as soon as fewer than `limit` are running."""
        with self._changed:
            self._queue.append(task)
            self._spawn()

    def idle(self) -> bool:
        with self._changed:
            return not self._running and not self._queue

    def wait(self, timeout: float) -> bool:
        """Wait at most `timeout` seconds for every task to end; True when they all did."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._running and not self._queue, max(0.0, timeout))

    def _spawn(self) -> None:
        while self._queue and self._running < self.limit:
            task = self._queue.popleft()
            self._running += 1
            threading.Thread(target=self._run, args=(task,), name=self.name, daemon=True).start()

    def _run(self, task: Callable[[], None]) -> None:
        try:
            task()
        finally:
            with self._changed:
                self._running -= 1
                self._spawn()
                self._changed.notify_all()
