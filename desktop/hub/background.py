"""Daemon threads for blocking Hub work (requests, downloads), with waits that are always bounded.

A Qt thread pool waits for every task when it is destroyed, so a request stuck on a silent server held up
quitting. Here at most `limit` tasks run at once (the rest queue), wait() takes a timeout, and a task still
stuck on the network when Parley exits is a daemon thread that ends with the process. A task the person gave up
on (a cancelled search) is abandoned: it stops counting at once, so it neither holds a place from the next
request nor makes wait() wait for it; whatever it still reports is the caller's to ignore.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

__all__ = ["BackgroundThreads", "Ticket"]


class Ticket:
    """One started task: pass it to abandon()."""

    __slots__ = ("counted", "work")

    def __init__(self, work: Callable[[], None]) -> None:
        self.work = work
        self.counted = False  # running and counted against the limit


class BackgroundThreads:
    def __init__(self, limit: int = 2, name: str = "parley-hub") -> None:
        self.limit = max(1, limit)
        self.name = name
        self._queue: deque[Ticket] = deque()
        self._running = 0
        self._changed = threading.Condition()

    def start(self, task: Callable[[], None]) -> Ticket:
        """Run `task` on a daemon thread as soon as fewer than `limit` are running."""
        ticket = Ticket(task)
        with self._changed:
            self._queue.append(ticket)
            self._spawn()
        return ticket

    def abandon(self, ticket: Ticket) -> None:
        """Stop waiting for a task: one still queued never runs, one running no longer counts."""
        with self._changed:
            if ticket in self._queue:
                self._queue.remove(ticket)
            elif ticket.counted:
                ticket.counted = False
                self._running -= 1
                self._spawn()
            self._changed.notify_all()

    def idle(self) -> bool:
        with self._changed:
            return not self._running and not self._queue

    def wait(self, timeout: float) -> bool:
        """Wait at most `timeout` seconds for every task to end; True when they all did."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._running and not self._queue, max(0.0, timeout))

    def _spawn(self) -> None:
        while self._queue and self._running < self.limit:
            ticket = self._queue.popleft()
            ticket.counted = True
            self._running += 1
            threading.Thread(target=self._run, args=(ticket,), name=self.name, daemon=True).start()

    def _run(self, ticket: Ticket) -> None:
        try:
            ticket.work()
        finally:
            with self._changed:
                if ticket.counted:
                    ticket.counted = False
                    self._running -= 1
                    self._spawn()
                self._changed.notify_all()
