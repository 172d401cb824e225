"""The engines the person added and what each said when last probed: the source of the Models page's remote
entries and of the Engines dialog's capability lists.

Probing talks to a server (seconds, or a time-out on one that is down), so it runs on a thread pool; the result
comes back to the GUI thread through a queued signal, and a result for an engine that was removed or changed
meanwhile is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.core.engines.config import EngineConfig, offline_message
from desktop.core.engines.keys import KeyStore
from desktop.core.i18n import translate
from desktop.core.models.library import ModelEntry
from desktop.core.settings import Settings
from desktop.inference.backend import InferenceError
from desktop.inference.remote.client import EngineProbe

Probe = Callable[[EngineConfig, str | None], EngineProbe]  # may raise InferenceError
PROBE_THREADS = 4  # engines probed at once (at start-up, every saved one)


class _ProbeSignals(QObject):
    landed = Signal(str, int, object)  # engine name, generation, EngineProbe or the failure as a sentence


class _ProbeTask(QRunnable):
    """One probe on a pool thread: touches no widget, only emits the result."""

    def __init__(self, probe: Probe, config: EngineConfig, key: str | None, generation: int,
                 signals: _ProbeSignals) -> None:
        super().__init__()
        self._probe, self._config, self._key = probe, config, key
        self._generation, self._signals = generation, signals

    def run(self) -> None:
        result: EngineProbe | str
        try:
            result = self._probe(self._config, self._key)
        except InferenceError as exc:
            result = str(exc)
        except Exception as exc:  # a probe must end in a message, never in a dead thread
            result = translate("EngineDirectory", "Probing {name} failed: {error}").format(
                name=self._config.name, error=f"{type(exc).__name__}: {exc}")
        self._signals.landed.emit(self._config.name, self._generation, result)


class EngineDirectory(QObject):
    """Settings.engines (name → URL) with the keys in a KeyStore, and each engine's last probe or failure."""

    probed = Signal(object)  # EngineProbe: an engine answered
    failed = Signal(str, str)  # engine name, why it could not be probed (down, 401, offline mode)
    probing = Signal(str)  # engine name: a probe started
    changed = Signal()  # the engines or their models changed: the Models page asks entries() again

    def __init__(self, settings: Settings, keys: KeyStore, probe: Probe, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings, self.keys = settings, keys
        self._probe = probe
        self._probes: dict[str, EngineProbe] = {}
        self._errors: dict[str, str] = {}
        self._generation: dict[str, int] = {}  # bumped by every probe, change and removal
        self._running: set[str] = set()
        self._signals = _ProbeSignals(self)
        self._signals.landed.connect(self._landed)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(PROBE_THREADS)

    # --- what is known --------------------------------------------------------------------------

    def names(self) -> list[str]:
        return list(self.settings.engines)

    def config(self, name: str) -> EngineConfig | None:
        url = self.settings.engines.get(name)
        return EngineConfig(name, url) if url is not None else None

    def result(self, name: str) -> EngineProbe | None:
        return self._probes.get(name)

    def error(self, name: str) -> str:
        return self._errors.get(name, "")

    def is_probing(self, name: str) -> bool:
        return name in self._running

    def entries(self) -> list[ModelEntry]:
        """The models every engine served when last probed, engine by engine in the order they were added."""
        return [entry for name in self.settings.engines if (found := self._probes.get(name)) is not None
                for entry in found.entries()]

    # --- changes --------------------------------------------------------------------------------

    def save(self, name: str, url: str, key: str | None) -> None:
        """Add the engine, or change its URL and key; what an earlier probe found no longer holds."""
        self.settings.engines[name] = url.strip()
        self.keys.set(name, key or None)
        self._forget_results(name)
        self.changed.emit()

    def remove(self, name: str) -> None:
        self.settings.engines.pop(name, None)
        self.keys.delete(name)
        self._forget_results(name)
        self.changed.emit()

    def probe(self, name: str) -> bool:
        """Start probing the engine in the background; False (and `failed`) when offline mode forbids it."""
        config = self.config(name)
        if config is None:
            return False
        if self.settings.offline and not config.loopback:
            self._errors[name] = offline_message(name)
            self.failed.emit(name, self._errors[name])
            return False
        generation = self._generation.get(name, 0) + 1
        self._generation[name] = generation
        self._running.add(name)
        self.probing.emit(name)
        self._pool.start(_ProbeTask(self._probe, config, self.keys.get(name), generation, self._signals))
        return True

    def probe_all(self, only_unprobed: bool = False) -> None:
        """Every saved engine (at start-up; after offline mode is turned off, those not yet answered)."""
        for name in self.names():
            if only_unprobed and (name in self._probes or name in self._running):
                continue
            if self.settings.offline and (config := self.config(name)) is not None and not config.loopback:
                self._errors[name] = offline_message(name)  # said in the dialog; nothing to interrupt here
                continue
            self.probe(name)

    def wait_idle(self) -> None:
        self._pool.waitForDone()

    def _forget_results(self, name: str) -> None:
        self._generation[name] = self._generation.get(name, 0) + 1  # a probe still running reports to no one
        self._running.discard(name)
        self._probes.pop(name, None)
        self._errors.pop(name, None)

    def _landed(self, name: str, generation: int, result: object) -> None:
        if generation != self._generation.get(name):
            return  # the engine was removed or changed while this probe ran
        self._running.discard(name)
        if isinstance(result, EngineProbe):
            self._probes[name] = result
            self._errors.pop(name, None)
            self.probed.emit(result)
            self.changed.emit()
            return
        self._errors[name] = str(result)
        self.failed.emit(name, str(result))
        if self._probes.pop(name, None) is not None:  # its models are not there now
            self.changed.emit()
