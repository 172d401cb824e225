"""The typed record of a built Parley window: every part a test, a script or another builder may need."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.core.engines.keys import KeyStore
from desktop.core.paths import DataDirs
from desktop.core.settings import Settings
from desktop.inference.session import ModelSession
from desktop.inference.worker import InferenceClient
from desktop.ui.chat.controller import ChatController
from desktop.ui.chat.conversation_list import ConversationList
from desktop.ui.chat.files import ChatFiles
from desktop.ui.chat.persistence import ChatPersistence
from desktop.ui.compare.panel import ComparePanel
from desktop.ui.engines.dialog import EnginesDialog
from desktop.ui.engines.directory import EngineDirectory
from desktop.ui.fewshot.page import FewShotPage
from desktop.ui.models.download_manager import DownloadManager
from desktop.ui.models.hub_browser import HubBrowser
from desktop.ui.models.library_controller import LibraryController
from desktop.ui.models.library_page import LibraryPage
from desktop.ui.perplexity.page import PerplexityPage
from desktop.ui.shell.about_dialog import AboutDialog
from desktop.ui.shell.first_run import FirstRunPanel
from desktop.ui.shell.main_window import MainWindow


class Shutdown:
    """What closing the window does, step by step, in the order the builders registered them (the model's worker
    first, so a stopped reply is saved before the store closes; the settings last)."""

    def __init__(self) -> None:
        self._steps: list[Callable[[], object]] = []

    def add(self, step: Callable[[], object]) -> None:
        self._steps.append(step)

    def run(self) -> None:
        for step in self._steps:
            step()


@dataclass
class Base:
    """What every feature builds on: the window, the data folder, the settings and the one model session."""

    window: MainWindow
    dirs: DataDirs
    settings: Settings
    client: InferenceClient
    session: ModelSession
    shutdown: Shutdown
    notices: list[str]  # what is wrong with the data folder or the settings, shown once the window is built
    keys: KeyStore  # engines' API keys


@dataclass
class ChatParts:
    persistence: ChatPersistence
    controller: ChatController
    conversations: ConversationList
    chat_files: ChatFiles
    saved_chat: bool  # a saved conversation was opened at start (so no welcome)


@dataclass
class ModelParts:
    library_page: LibraryPage
    library: LibraryController
    downloads: DownloadManager
    hub_browser: HubBrowser


@dataclass
class EngineParts:
    directory: EngineDirectory  # the servers the person added, and what each said when last probed
    keys: KeyStore
    dialog: EnginesDialog | None = field(default=None)  # made the first time Settings › Engines is opened


@dataclass(repr=False)  # the parts print as objects, not as a page of fields
class Parley:
    """The built window and its parts: `create_window(...)` returns it; `.window` is what `parley` shows."""

    window: MainWindow
    dirs: DataDirs
    settings: Settings
    client: InferenceClient
    session: ModelSession
    persistence: ChatPersistence
    controller: ChatController
    conversations: ConversationList
    chat_files: ChatFiles
    library_page: LibraryPage
    library: LibraryController
    downloads: DownloadManager
    hub_browser: HubBrowser
    fewshot: FewShotPage
    perplexity: PerplexityPage
    compare: ComparePanel
    first_run: FirstRunPanel | None
    engines: EngineParts
    about_dialog: AboutDialog | None = field(default=None)  # the last About dialog opened
