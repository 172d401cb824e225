"""Holding back streamed text that might be the start of a stop string (e.g. "<end_of_turn>")."""

from __future__ import annotations


class StopTextFilter:
    """Feed decoded pieces; get back what is safe to show. `stopped` turns True at a stop string."""

    def __init__(self, stops: tuple[str, ...]) -> None:
        self._stops = tuple(s for s in stops if s)
        self._pending = ""
        self.stopped = False

    def feed(self, piece: str) -> str:
        if self.stopped:
            return ""
        if not self._stops:
            return piece
        self._pending += piece
        cut = min((i for i in (self._pending.find(s) for s in self._stops) if i >= 0), default=-1)
        if cut >= 0:
            self.stopped = True
            safe, self._pending = self._pending[:cut], ""
            return safe
        hold = self._longest_stop_prefix_suffix()
        safe = self._pending[: len(self._pending) - hold]
        self._pending = self._pending[len(self._pending) - hold :]
        return safe

    def flush(self) -> str:
        rest, self._pending = self._pending, ""
        return "" if self.stopped else rest

    def _longest_stop_prefix_suffix(self) -> int:
        best = 0
        for stop in self._stops:
            for n in range(min(len(stop) - 1, len(self._pending)), best, -1):
                if self._pending.endswith(stop[:n]):
                    best = n
                    break
        return best
