"""Settings are saved soon after they change, not only at quit, so a failure (full or read-only disk) is told while
the person can still act on it, and a later save retries."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from desktop.core.i18n import translate
from desktop.core.os_reason import os_reason
from desktop.core.settings import Settings

SAVE_INTERVAL_MS = 2000


class SettingsSaver(QObject):
    def __init__(self, settings: Settings, path: Path, notify: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.path = path
        self._notify = notify
        self.failing: str | None = None  # why the last save failed; None while saving works
        self._timer = QTimer(self, interval=SAVE_INTERVAL_MS)
        self._timer.timeout.connect(self.save_if_changed)
        self._timer.start()

    def save_if_changed(self) -> bool:
        """True when what is on disk is up to date."""
        if not self.settings.changed():
            return True
        try:
            self.settings.save(self.path)
        except OSError as exc:
            reason = os_reason(exc)
            if self.failing is None:
                self._notify(translate(
                    "SettingsSaver", "Parley cannot save its settings to {path} ({reason}). It keeps them and tries "
                    "again every few seconds; free some space or check the folder's permissions."
                ).format(path=self.path, reason=reason))
            self.failing = reason
            return False
        if self.failing is not None:
            self.failing = None
            self._notify(translate("SettingsSaver", "Parley's settings are saved again."))
        return True

    def close(self) -> None:
        """At quit: one last save; if even that fails, say so on the terminal (the window is going)."""
        self._timer.stop()
        if not self.save_if_changed():
            print(f"Parley could not save its settings to {self.path}: {self.failing}", file=sys.stderr)
