"""create_window: the whole app, built feature by feature. Each builder makes its parts, connects its own signals
and registers its own shutdown step; this function reads as the table of contents."""

from __future__ import annotations

from pathlib import Path

from desktop.app.chat import build_chat
from desktop.app.engines import build_engines
from desktop.app.experiments import build_compare, build_fewshot, build_perplexity
from desktop.app.models import build_models
from desktop.app.parts import Parley
from desktop.app.shell import (
    build_base,
    build_first_run,
    hub_opener,
    load_start_model,
    save_settings_on_change,
    show_notices,
)
from desktop.core.conversations.store import ChatStore
from desktop.inference.backend import InferenceBackend
from desktop.inference.offload import build_info
from desktop.ui.shell.about_dialog import AboutDialog
from desktop.ui.shell.error_dialog import open_log_folder


def create_window(
    data_dir: str | Path | None = None,
    model_path: str | Path | None = None,
    backend: InferenceBackend | None = None,
) -> Parley:
    """The complete, wired window, exactly what `parley` shows (`.window`), without entering the event loop."""
    base = build_base(data_dir, backend)  # data folder, settings, window, the model session and its job queue
    store, store_notice = ChatStore.open(base.dirs.database)
    show_notices(base, store_notice, store.unsaved, store.read_only)
    chat = build_chat(base, store)
    base.window.restore_layout(base.settings.window_layout)
    models = build_models(base)
    engines = build_engines(base, models.library_page)  # servers' models join the Models page; Settings › Engines
    first_run = build_first_run(base, chat, hub_opener(base, models.hub_browser))
    parts = Parley(
        window=base.window, dirs=base.dirs, settings=base.settings, client=base.client, session=base.session,
        persistence=chat.persistence, controller=chat.controller, conversations=chat.conversations,
        chat_files=chat.chat_files, library_page=models.library_page, library=models.library,
        downloads=models.downloads, hub_browser=models.hub_browser, fewshot=build_fewshot(base),
        perplexity=build_perplexity(base), compare=build_compare(base, models.library_page), first_run=first_run,
        engines=engines,
    )
    build_help(parts)
    save_settings_on_change(base)
    load_start_model(base, model_path, first_run)
    return parts


def build_help(parts: Parley) -> None:
    """Help › About (the build, the model, the folders) and Help › Open log folder."""
    build = build_info()

    def show_about() -> None:
        dialog = AboutDialog(build, parts.session.model, parts.dirs, parts.window)
        parts.about_dialog = dialog
        dialog.open()

    parts.window.about_action.triggered.connect(show_about)
    parts.window.open_log_folder_action.triggered.connect(lambda: open_log_folder(parts.dirs.logs))
