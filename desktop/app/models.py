"""The models' builder: the library (Models page), Hugging Face and downloads, File › Open model, dropped files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from desktop.app.parts import Base, ModelParts
from desktop.core.i18n import translate
from desktop.core.models.library import MetadataCache, scan_library
from desktop.core.models.memory import system_ram
from desktop.hub.client import HubClient
from desktop.inference.hardware import free_vram
from desktop.inference.offload import build_info
from desktop.ui.models.download_manager import DownloadManager
from desktop.ui.models.hub_browser import HubBrowser
from desktop.ui.models.library_controller import LibraryController
from desktop.ui.models.library_page import LibraryPage


def build_models(base: Base) -> ModelParts:
    window, settings, session, dirs = base.window, base.settings, base.session, base.dirs
    metadata_cache = MetadataCache(dirs.metadata_cache)
    library_page = LibraryPage(
        lambda: scan_library(library.folders(), metadata_cache), system_ram(), free_vram(),
        context_for=lambda entry: settings.for_model(entry.path).context_length, gpu_backend=build_info().backend,
    )
    window.add_page(library_page, translate("MainWindow", "Models"))

    def load_from_library(path: Path) -> None:
        session.load(path)
        window.show_chat()

    library = LibraryController(library_page, dirs.models, settings, load_from_library,
                                library_page.show_message, window)  # said on the Models page, not the Chat tab

    def add_dropped(paths: list[Path]) -> None:
        window.pages.setCurrentWidget(library_page)  # where the new models, or what went wrong, show
        library.add_files(paths)

    window.filesDropped.connect(add_dropped)
    session.modelChanged.connect(lambda _model: library_page.refresh())

    # Hugging Face: no request is made until the person searches, opens a repository or downloads.
    downloads = DownloadManager(parent=window)
    hub_browser = HubBrowser(lambda: HubClient(offline=settings.offline), downloads, dirs.models, system_ram())
    window.add_page(hub_browser, translate("MainWindow", "Hugging Face"))
    hub_browser.modelDownloaded.connect(lambda _path: library_page.refresh())
    window.offline_action.setChecked(settings.offline)
    window.offline_action.toggled.connect(lambda on: setattr(settings, "offline", on))

    def open_model() -> None:
        path, _ = QFileDialog.getOpenFileName(window, translate("MainWindow", "Open a GGUF model"), str(dirs.models),
                                              translate("MainWindow", "GGUF models (*.gguf)"))
        if path:
            session.load(Path(path))

    window.openModelRequested.connect(open_model)
    base.shutdown.add(downloads.shutdown)  # running downloads pause; they resume from their partial files
    base.shutdown.add(hub_browser.wait_idle)
    base.shutdown.add(library_page.wait_idle)
    return ModelParts(library_page, library, downloads, hub_browser)
