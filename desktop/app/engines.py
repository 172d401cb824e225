"""The engines' builder: Settings › Engines, the servers probed once at start (their models join the Models page and
Compare's choices), and the chat's sampling settings greyed out where the loaded model's engine ignores them."""

from __future__ import annotations

from desktop.app.parts import Base, EngineParts
from desktop.core.engines.config import EngineConfig
from desktop.core.engines.keys import KeyStore
from desktop.core.settings import Settings
from desktop.inference.remote.client import EngineAccess, EngineClient, EngineProbe
from desktop.ui.engines.dialog import EnginesDialog
from desktop.ui.engines.directory import EngineDirectory, Probe
from desktop.ui.models.library_page import LibraryPage


def probe_with(settings: Settings) -> Probe:
    """The real probe: the engine's own API, with the time-out and offline mode as they are when it runs."""
    def probe(config: EngineConfig, key: str | None) -> EngineProbe:
        client = EngineClient(EngineAccess(config, key, settings.engine_timeout, settings.offline))
        try:
            return client.probe()
        finally:
            client.close()

    return probe


def build_engines(base: Base, library_page: LibraryPage, keys: KeyStore | None = None,
                  probe: Probe | None = None) -> EngineParts:
    """After build_models (the Models page lists the engines' models; offline mode is already followed)."""
    window, settings, session = base.window, base.settings, base.session
    keys = base.keys if keys is None else keys
    directory = EngineDirectory(settings, keys, probe or probe_with(settings), parent=window)
    parts = EngineParts(directory, keys)

    def show_remote_models() -> None:
        library_page.set_remote_entries(directory.entries())

    def open_dialog() -> None:
        if parts.dialog is None:
            parts.dialog = EnginesDialog(directory, window)
        parts.dialog.show()
        parts.dialog.raise_()
        parts.dialog.activateWindow()

    def follow_model(model: object) -> None:
        window.sampling.set_capabilities(getattr(model, "capabilities", None))  # None: this computer's, all

    def offline_changed(on: bool) -> None:
        if not on:  # the servers skipped while offline are asked now
            directory.probe_all(only_unprobed=True)

    directory.changed.connect(show_remote_models)
    window.engines_action.triggered.connect(open_dialog)
    session.modelChanged.connect(follow_model)
    window.offline_action.toggled.connect(offline_changed)
    base.shutdown.add(directory.wait_idle)
    directory.probe_all()  # in the background: the window shows at once, each server's models as it answers
    return parts
