"""The shell's builders: the data folder, settings, window and model session everything builds on, the notices
about them, the welcome, saving settings as they change, closing down, and the model loaded at start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QAction, QIcon

from desktop.app.parts import Base, ChatParts, Shutdown
from desktop.core.engines.config import EngineConfig, is_remote, split_remote
from desktop.core.engines.keys import KeyStore
from desktop.core.i18n import translate
from desktop.core.models.builtin import (
    BUILTIN_SEARCH,
    BuiltinMissingError,
    builtin_available,
    default_model,
    ensure_builtin,
)
from desktop.core.paths import DataDirs, resource_dir
from desktop.core.settings import Settings
from desktop.inference.backend import InferenceBackend, InferenceError
from desktop.inference.remote.backend import RemoteBackend
from desktop.inference.remote.client import EngineAccess
from desktop.inference.router import EngineRouter
from desktop.inference.session import ModelSession
from desktop.inference.worker import InferenceClient
from desktop.ui.language import LANGUAGES, chosen_language, install_language
from desktop.ui.models.hub_browser import HubBrowser
from desktop.ui.shell.first_run import FirstRunPanel, install_first_run
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.settings_saver import SettingsSaver

ICON = resource_dir() / "icons" / "parley.svg"


def startup_model(dirs: DataDirs, settings: Settings, requested: str | Path | None) -> Path:
    """--model first, then the last model used, then the library (the chat built-in first); on an empty library
    both built-in models are set up and the chat one is loaded (BuiltinMissingError when this copy of Parley came
    with neither)."""
    if requested:
        return Path(requested).expanduser()
    if settings.last_model and Path(settings.last_model).is_file():
        return Path(settings.last_model)
    if settings.last_model and is_remote(settings.last_model) and split_remote(settings.last_model)[0] in \
            settings.engines:  # a server's model: if the server is down, the load falls back to the built-in
        return Path(settings.last_model)
    return default_model(dirs.models)


def build_base(data_dir: str | Path | None, backend: InferenceBackend | None) -> Base:
    """The data folder (created, or a notice saying why not), the settings, the window and the model session."""
    dirs = DataDirs.resolve(data_dir)
    notices: list[str] = []
    try:
        dirs.create()
        failed: OSError | None = None
    except OSError as exc:  # a data folder that is a file, a read-only or full disk: start anyway, and say so
        failed = exc
    settings = Settings.load(dirs.settings_file)  # never raises; settings.notice says what was wrong
    app = QCoreApplication.instance()
    if app is not None:  # before any text is made or widget built: every page builds its texts once
        install_language(app, chosen_language(settings.language))
    if failed is not None:
        notices.append(translate(
            "Startup", "{error} Parley starts anyway but cannot save there: move what is in the way (or start "
            "Parley with --data-dir on another folder) and restart Parley.").format(error=failed))
    keys = KeyStore(dirs.engine_keys)
    if backend is None:
        from desktop.inference.llama.backend import LlamaBackend

        backend = LlamaBackend()
    backend = EngineRouter(backend, RemoteBackend(engine_access(settings, keys)))
    window = MainWindow()
    follow_language_choice(window, settings)
    if ICON.is_file():
        window.setWindowIcon(QIcon(str(ICON)))
    client = InferenceClient(backend, parent=window)
    session = ModelSession(client, settings, parent=window)
    shutdown = Shutdown()

    def stop_the_model() -> None:
        settings.window_layout = window.layout_state()
        client.shutdown()
        # The stopped reply's last text and its end, still queued from the worker: handled before the store closes.
        QCoreApplication.sendPostedEvents(client, QEvent.Type.MetaCall)

    shutdown.add(stop_the_model)
    window.closing.connect(shutdown.run)
    return Base(window, dirs, settings, client, session, shutdown, notices, keys)


def follow_language_choice(window: MainWindow, settings: Settings) -> None:
    """View › Language: the choice is remembered and used the next time Parley starts (the notice says so)."""
    for action in window.language_actions.actions():
        action.setChecked(action.data() == settings.language)

    def chosen(action: QAction) -> None:
        code = str(action.data() or "")
        if code == settings.language:
            return
        settings.language = code
        name = LANGUAGES.get(code, translate("Language", "the system language"))
        window.notice.show_message(translate(
            "Language", "Parley will use {language} the next time it starts.").format(language=name), error=False)

    window.language_actions.triggered.connect(chosen)


def engine_access(settings: Settings, keys: KeyStore) -> Callable[[str], EngineAccess]:
    """How to reach an engine by name, read at each load (on the worker thread): its URL from the settings, its key
    from the key store, the timeout and offline mode as they are now."""

    def resolve(name: str) -> EngineAccess:
        url = settings.engines.get(name)
        if url is None:
            raise InferenceError(translate(
                "Startup", "There is no engine called “{name}” any more. Add it again in Settings › Engines, or "
                "choose another model.").format(name=name))
        return EngineAccess(EngineConfig(name, url), keys.get(name), settings.engine_timeout, settings.offline)

    return resolve


def show_notices(base: Base, store_notice: str | None, unsaved: bool, read_only: bool) -> None:
    """What is wrong with the data folder, the chat database or the settings, in one banner."""
    notices, folder_failed = base.notices, bool(base.notices)
    if store_notice and not (folder_failed and unsaved):  # else the folder's notice says it already
        notices.append(store_notice)
    elif read_only and not store_notice:
        notices.append(translate(
            "Startup", "Your conversations were saved by a newer version of Parley, so this version shows them "
            "read-only and does not save new chats. Update Parley to continue."))
    if base.settings.notice and not folder_failed:
        notices.append(base.settings.notice)
    if notices:
        base.window.notice.show_message("\n".join(notices))


def hub_opener(base: Base, hub_browser: HubBrowser) -> Callable[[], None]:
    """The welcome's "Find a chat model": the Hugging Face page, with the built-in model's search offered."""
    def open_hub() -> None:
        base.window.pages.setCurrentWidget(hub_browser)
        if base.session.model is None and not builtin_available() and not hub_browser.search_edit.text():
            hub_browser.search_edit.setText(BUILTIN_SEARCH)  # offered, not fetched: the person presses Enter
        hub_browser.search_edit.setFocus()  # nothing is requested until the person searches

    return open_hub


def build_first_run(base: Base, chat: ChatParts, open_hub: Callable[[], None]) -> FirstRunPanel | None:
    """The welcome, once: not when Parley has run before (the flag) or a saved conversation is there to show."""
    if base.settings.first_run_done or chat.saved_chat:
        return None
    welcome = install_first_run(base.window, chat.controller, base.settings, open_hub)
    chat.conversations.conversationActivated.connect(lambda *_args: welcome.dismiss())
    return welcome


def save_settings_on_change(base: Base) -> None:
    saver = SettingsSaver(base.settings, base.dirs.settings_file, base.window.notice.show_message, base.window)
    base.shutdown.add(saver.close)  # last: a read-only or full disk must not turn quitting into a crash


def load_start_model(base: Base, model_path: str | Path | None, first_run: FirstRunPanel | None) -> None:
    """The model to chat with at start; the built-in one when that fails and nothing else is loaded."""
    dirs = base.dirs

    def builtin_fallback() -> Path | None:
        try:
            return ensure_builtin(dirs.models)
        except (BuiltinMissingError, OSError):  # OSError: a models folder that cannot be written
            return None

    try:
        base.session.load(startup_model(dirs, base.settings, model_path), fallback=builtin_fallback)
    except BuiltinMissingError as exc:  # a bundle without the built-in model, and nothing in the library yet
        base.window.notice.show_message(str(exc))
        if first_run is not None:
            first_run.set_model(None)
            first_run.find_button.setText(translate("Startup", "Download a model…"))
    except OSError as exc:  # the built-in model cannot be set up in a data folder that cannot be written
        base.window.notice.show_message("\n".join([*base.notices, translate(
            "Startup", "The built-in model could not be set up ({error}); open a model file with File › Open model."
        ).format(error=exc)]))
