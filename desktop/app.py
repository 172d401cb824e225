"""Composition root: builds the objects, wires the signals, parses the command line."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog

from desktop.core.conversations.store import ChatStore
from desktop.core.fewshot.template import sample_templates_dir
from desktop.core.models.builtin import (
    BUILTIN_SEARCH,
    BuiltinMissingError,
    builtin_available,
    default_model,
    ensure_builtin,
    library_models,
)
from desktop.core.models.library import MetadataCache, scan_library
from desktop.core.models.memory import system_ram
from desktop.core.paths import DATA_DIR_ENV, DataDirs, resource_dir
from desktop.core.prompting.sampling import SamplingParams
from desktop.core.settings import Settings
from desktop.hub.client import HubClient
from desktop.inference.backend import InferenceBackend, LoadOptions
from desktop.inference.hardware import free_vram
from desktop.inference.offload import build_info
from desktop.inference.worker import InferenceClient
from desktop.ui.chat.controller import ChatController
from desktop.ui.chat.conversation_list import ConversationList
from desktop.ui.chat.defaults import ChatDefaults
from desktop.ui.chat.files import ChatFiles
from desktop.ui.chat.persistence import ChatPersistence
from desktop.ui.compare.panel import ComparePanel
from desktop.ui.fewshot.page import FewShotPage
from desktop.ui.models.download_manager import DownloadManager
from desktop.ui.models.hub_browser import HubBrowser
from desktop.ui.models.library_controller import LibraryController
from desktop.ui.models.library_page import LibraryPage
from desktop.ui.perplexity.page import PerplexityPage
from desktop.ui.shell.about_dialog import AboutDialog
from desktop.ui.shell.error_dialog import open_log_folder, start_error_reporting
from desktop.ui.shell.first_run import install_first_run
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.quit_signals import quit_on_signals
from desktop.ui.shell.settings_saver import SettingsSaver
from desktop.ui.shell.shortcuts import install_chat_shortcuts
from desktop.ui.shell.theme import follow_color_scheme

ICON = resource_dir() / "icons" / "parley.svg"


def startup_model(dirs: DataDirs, settings: Settings, requested: str | Path | None) -> Path:
    """--model first, then the last model used, then the library (the chat built-in first); on an empty library
    both built-in models are set up and the chat one is loaded (BuiltinMissingError when this copy of Parley came
    with neither)."""
    if requested:
        return Path(requested).expanduser()
    if settings.last_model and Path(settings.last_model).is_file():
        return Path(settings.last_model)
    return default_model(dirs.models)


def create_window(
    data_dir: str | Path | None = None,
    model_path: str | Path | None = None,
    backend: InferenceBackend | None = None,
) -> MainWindow:
    """The complete, wired main window, exactly what `parley` shows, without entering the event loop."""
    dirs = DataDirs.resolve(data_dir)
    notices: list[str] = []  # what is wrong with the data folder, shown once the window exists
    try:
        dirs.create()
    except OSError as exc:  # a data folder that is a file, a read-only or full disk: start anyway, and say so
        notices.append(f"{exc} Parley starts anyway but cannot save there: move what is in the way (or start "
                       "Parley with --data-dir on another folder) and restart Parley.")
    folder_failed = bool(notices)
    settings = Settings.load(dirs.settings_file)  # never raises; settings.notice says what was wrong
    if backend is None:
        from desktop.inference.llama_backend import LlamaBackend

        backend = LlamaBackend()
    store, store_notice = ChatStore.open(dirs.database)
    window = MainWindow()
    if ICON.is_file():
        window.setWindowIcon(QIcon(str(ICON)))
    client = InferenceClient(backend, parent=window)
    persistence = ChatPersistence(store, window.notice.show_message)
    controller = ChatController(window, client, settings, persistence)
    if store_notice and not (folder_failed and store.unsaved):  # else the folder's notice says it already
        notices.append(store_notice)
    elif store.read_only and not store_notice:
        notices.append("Your conversations were saved by a newer version of Parley, so this version shows them "
                       "read-only and does not save new chats. Update Parley to continue.")
    if settings.notice and not folder_failed:
        notices.append(settings.notice)
    if notices:
        window.notice.show_message("\n".join(notices))
    chat_files = ChatFiles(persistence, lambda cid: open_chat(cid), window.notice.show_message, window)
    window.chat_files = chat_files  # type: ignore[attr-defined]
    window.export_markdown_action.triggered.connect(lambda: chat_files.ask_export("md"))
    window.export_json_action.triggered.connect(lambda: chat_files.ask_export("json"))
    window.import_chat_action.triggered.connect(chat_files.ask_import)
    conversations = ConversationList(store)
    window.set_conversation_list(conversations)

    # A new chat starts from the person's own system prompt and sampling, never from the last chat opened.
    defaults = ChatDefaults(settings, window.system_prompt, window.sampling,
                            lambda: controller.model.info.path if controller.model is not None else None, window)

    def follow_conversation(*_args: object) -> None:
        conversations.refresh(select=persistence.conversation_id)

    def open_chat(conversation_id: int) -> None:  # an imported chat, or the open chat back from Undo
        controller.navigation.open_conversation(conversation_id)
        follow_conversation()

    def chat_started_afresh() -> None:  # New chat (button, Ctrl+N, sidebar) or the open chat deleted
        if controller.generating:  # the chat clears once the reply has stopped
            controller.generationEnded.connect(lambda: QTimer.singleShot(0, chat_started_afresh),
                                               Qt.ConnectionType.SingleShotConnection)
            return
        defaults.apply()
        conversations.start_new()

    reopen: list[int | None] = [None]  # the chat that was open when deleted: Undo puts it back on screen

    def deleted(conversation_id: int) -> None:
        if conversation_id == persistence.conversation_id:
            controller.new_chat()
            chat_started_afresh()
            reopen[0] = conversation_id

    def restored(conversation_id: int) -> None:
        if reopen[0] == conversation_id and persistence.conversation_id is None \
                and not controller.conversation.messages:
            open_chat(conversation_id)
        reopen[0] = None

    conversations.conversationActivated.connect(controller.navigation.open_conversation)
    conversations.conversationActivated.connect(follow_conversation)
    conversations.newRequested.connect(controller.new_chat)
    conversations.newRequested.connect(chat_started_afresh)
    window.new_chat_button.clicked.connect(chat_started_afresh)  # after the controller's own handler
    conversations.conversationDeleted.connect(deleted)
    conversations.conversationRestored.connect(restored)
    controller.generationStarted.connect(follow_conversation)  # a first message creates the conversation
    controller.generationEnded.connect(follow_conversation)
    saved = persistence.latest()
    if saved is not None:
        controller.navigation.show_conversation(saved[0].system_prompt, saved[1])
    follow_conversation()
    window.restore_layout(settings.window_layout)
    window.controller = controller  # type: ignore[attr-defined]  # handle for tests and scripts

    build = build_info()  # the llama.cpp backend this build has: the inference layer's answer, shown by the UI
    metadata_cache = MetadataCache(dirs.metadata_cache)
    library_page = LibraryPage(
        lambda: scan_library(library.folders(), metadata_cache), system_ram(), free_vram(),
        context_for=lambda entry: settings.for_model(entry.path).context_length, gpu_backend=build.backend,
    )
    window.add_page(library_page, "Models")

    def load_from_library(path: Path) -> None:
        controller.load_model(path)
        window.show_chat()

    library = LibraryController(library_page, dirs.models, settings, load_from_library,
                                library_page.show_message, window)  # said on the Models page, not the Chat tab
    window.library = library  # type: ignore[attr-defined]

    def add_dropped(paths: list[Path]) -> None:
        window.pages.setCurrentWidget(library_page)  # where the new models, or what went wrong, show
        library.add_files(paths)

    window.filesDropped.connect(add_dropped)
    client.modelLoaded.connect(lambda _model: library_page.refresh())

    # Hugging Face: no request is made until the person searches, opens a repository or downloads.
    downloads = DownloadManager(parent=window)
    hub_browser = HubBrowser(lambda: HubClient(offline=settings.offline), downloads, dirs.models, system_ram())
    window.add_page(hub_browser, "Hugging Face")
    hub_browser.modelDownloaded.connect(lambda _path: library_page.refresh())

    def open_hub() -> None:
        window.pages.setCurrentWidget(hub_browser)
        if controller.model is None and not builtin_available() and not hub_browser.search_edit.text():
            hub_browser.search_edit.setText(BUILTIN_SEARCH)  # offered, not fetched: the person presses Enter
        hub_browser.search_edit.setFocus()  # nothing is requested until the person searches

    # The welcome, once: not when Parley has run before (the flag) or a saved conversation is there to show.
    window.first_run = None  # type: ignore[attr-defined]  # handle for tests
    if not settings.first_run_done and saved is None:
        welcome = install_first_run(window, controller, settings, open_hub)
        conversations.conversationActivated.connect(lambda *_args: welcome.dismiss())
        window.first_run = welcome  # type: ignore[attr-defined]

    def show_about() -> None:
        dialog = AboutDialog(build, controller.model, dirs, window)
        window.about_dialog = dialog  # type: ignore[attr-defined]  # handle for tests
        dialog.open()

    window.about_action.triggered.connect(show_about)
    window.open_log_folder_action.triggered.connect(lambda: open_log_folder(dirs.logs))

    fewshot = FewShotPage(client, sample_templates_dir(), dirs.templates, dirs.runs)
    window.add_page(fewshot, "Few-shot")
    window.fewshot = fewshot  # type: ignore[attr-defined]

    def load_base_model() -> None:
        try:
            controller.load_model(ensure_builtin(dirs.models))
        except (BuiltinMissingError, OSError) as exc:
            fewshot.show_message(str(exc))

    fewshot.baseModelRequested.connect(load_base_model)

    def fewshot_follow_model(*_args: object) -> None:
        fewshot.set_model(controller.model, controller.template)

    # Connected after ChatController's own handlers, so controller.model and .template are already updated.
    client.modelLoaded.connect(fewshot_follow_model)
    window.template_combo.activated.connect(fewshot_follow_model)

    perplexity = PerplexityPage(client)
    window.add_page(perplexity, "Perplexity")
    window.perplexity = perplexity  # type: ignore[attr-defined]
    client.modelLoaded.connect(lambda _model: perplexity.set_model(controller.model))
    client.modelLoadFailed.connect(lambda *_args: perplexity.set_model(controller.model))

    def library_paths() -> list[Path]:
        return [e.path for e in library_page.model.entries() if e.error is None and e.info is not None]

    def load_options(path: Path) -> LoadOptions:
        remembered = settings.for_model(path)
        return LoadOptions(n_ctx=remembered.context_length, n_gpu_layers=remembered.gpu_layers)

    compare = ComparePanel(client, window.sampling.params, library_paths, dirs.experiments,
                           dirs.metadata_cache.with_name("model-hashes.json"), load_options,
                           lambda path: settings.for_model(path).template)
    window.add_page(compare, "Compare")
    window.compare = compare  # type: ignore[attr-defined]

    def compare_follow_model(*_args: object) -> None:
        compare.set_model(controller.model, controller.template)

    client.modelLoaded.connect(compare_follow_model)
    window.template_combo.activated.connect(compare_follow_model)
    # A column on another model goes through the chat's own load handling, which applies that model's remembered
    # system prompt and preset; put back what the person had, so the chat is as they left it.
    chat_setup: list[tuple[str, SamplingParams, str]] = []

    def remember_chat_setup(busy: bool) -> None:
        if busy:
            chat_setup[:] = [(window.system_prompt.text(), window.sampling.params(),
                              window.sampling.preset.currentText())]

    def restore_chat_setup() -> None:
        if chat_setup:
            system_prompt, params, preset = chat_setup[0]
            window.system_prompt.set_text(system_prompt)
            window.sampling.set_params(params)
            window.sampling.preset.blockSignals(True)
            window.sampling.preset.setCurrentText(preset)
            window.sampling.preset.blockSignals(False)

    compare.busyChanged.connect(remember_chat_setup)
    compare.chatModelRestored.connect(restore_chat_setup)

    # One inference worker: while one of the chat, a few-shot run or a scoring uses it, the others wait.
    chat_generating = [False]

    def share_worker(*_args: object) -> None:
        fewshot_busy, scoring, comparing = fewshot.is_busy(), perplexity.is_busy(), compare.is_busy()
        controller.set_worker_busy(fewshot_busy or scoring or comparing)
        fewshot.set_chat_busy(chat_generating[0] or scoring or comparing)
        perplexity.set_chat_busy(chat_generating[0] or fewshot_busy or comparing)
        compare.set_chat_busy(chat_generating[0] or fewshot_busy or scoring)

    def chat_busy(busy: bool) -> None:
        chat_generating[0] = busy
        share_worker()

    fewshot.busyChanged.connect(share_worker)
    perplexity.busyChanged.connect(share_worker)
    compare.busyChanged.connect(share_worker)
    controller.generationStarted.connect(lambda: chat_busy(True))
    controller.generationEnded.connect(lambda: chat_busy(False))
    window.offline_action.setChecked(settings.offline)
    window.offline_action.toggled.connect(lambda on: setattr(settings, "offline", on))

    settings_saver = SettingsSaver(settings, dirs.settings_file, window.notice.show_message, window)

    def close_down() -> None:
        settings.window_layout = window.layout_state()
        client.shutdown()
        # The stopped reply's last text and its end, still queued from the worker: handled before the store closes.
        QCoreApplication.sendPostedEvents(client, QEvent.Type.MetaCall)
        persistence.close()
        downloads.shutdown()  # running downloads pause; they resume from their partial files next time
        hub_browser.wait_idle()
        library_page.wait_idle()
        compare.shutdown()  # a model hash in progress stops within a chunk
        settings_saver.close()  # a read-only or full disk must not turn quitting into a crash

    def open_model() -> None:
        path, _ = QFileDialog.getOpenFileName(window, "Open a GGUF model", str(dirs.models), "GGUF models (*.gguf)")
        if path:
            controller.load_model(Path(path))

    window.closing.connect(close_down)

    install_chat_shortcuts(window, controller, conversations)
    window.openModelRequested.connect(open_model)
    def builtin_fallback() -> Path | None:
        try:
            return ensure_builtin(dirs.models)
        except (BuiltinMissingError, OSError):  # OSError: a models folder that cannot be written
            return None

    try:
        controller.load_model(startup_model(dirs, settings, model_path), fallback=builtin_fallback)
    except BuiltinMissingError as exc:  # a bundle without the built-in model, and nothing in the library yet
        window.notice.show_message(str(exc))
        if window.first_run is not None:  # type: ignore[attr-defined]
            window.first_run.set_model(None)  # type: ignore[attr-defined]
            window.first_run.find_button.setText("Download a model…")  # type: ignore[attr-defined]
    except OSError as exc:  # the built-in model cannot be set up in a data folder that cannot be written
        window.notice.show_message("\n".join([*notices, f"The built-in model could not be set up ({exc}); open a "
                                                         "model file with File › Open model."]))
    return window


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="parley",
        description="Private, offline chat with local GGUF models. `parley models --help` manages the library.",
    )
    parser.add_argument("--model", metavar="PATH", help="open this GGUF model file")
    parser.add_argument("file", nargs="?", metavar="MODEL.gguf",
                        help="open this GGUF model file, like --model (what a file manager passes)")
    parser.add_argument(
        "--data-dir", metavar="DIR", help=f"keep all user data under DIR (also ${DATA_DIR_ENV})"
    )
    parser.add_argument(
        "--self-test", action="store_true",
        help="load the model (the built-in one unless --model), answer one short message, print timings and exit "
             "0 on success; uses a temporary data folder unless --data-dir is given",
    )
    return parser.parse_args(argv)


def run_self_test(app: QApplication, args: argparse.Namespace, started: float) -> int:
    """--self-test: the full window on a throwaway data folder, so a bundle can be checked without touching data."""
    from desktop.ui.shell import self_test

    with tempfile.TemporaryDirectory(prefix="parley-self-test-", ignore_cleanup_errors=True) as scratch:
        data_dir = args.data_dir or os.environ.get(DATA_DIR_ENV) or scratch
        try:
            dirs = DataDirs.resolve(data_dir)
            dirs.create()
            model = args.model or args.file
            if not model and not library_models(dirs.models):
                model = startup_model(dirs, Settings(), None)  # the chat built-in; BuiltinMissingError without both
            window = create_window(data_dir, model)
        except Exception as exc:  # a missing model package or an unwritable folder: report it, do not crash
            print(f"self-test: FAILED: {type(exc).__name__}: {exc}", flush=True)
            return 1
        window.show()
        return self_test.run(app, window, started)


def main(argv: Sequence[str] | None = None) -> int:
    """The window (`parley-gui`); `parley` runs the terminal commands first, without Qt (desktop/__main__.py)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    started = time.perf_counter()
    args = parse_args(argv)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Parley")
    app.setOrganizationName("Parley")
    app.setDesktopFileName("io.github.parley.Parley")  # Wayland matches the window to the launcher and its icon
    follow_color_scheme(app)  # the system's light or dark scheme, now and when it changes
    if args.self_test:
        return run_self_test(app, args, started)
    start_error_reporting(DataDirs.resolve(args.data_dir).logs, app)  # parley.log, crash.log, the error dialog
    shown: list[MainWindow] = []

    def close_like_the_window() -> None:  # Ctrl+C or SIGTERM: the reply so far and the settings are saved
        for window in shown:
            window.close()
        app.quit()

    with quit_on_signals(close_like_the_window):
        shown.append(create_window(args.data_dir, args.model or args.file))
        shown[0].show()
        return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
