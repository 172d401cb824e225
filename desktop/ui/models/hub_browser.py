"""The Hugging Face page: find a GGUF model, see which file fits this computer, and download it.

Every Hub request runs on a background thread and answers by queued signal, so a slow network never freezes the
window, and every request has a timeout; a fresh client per request means a saved token or a change of offline mode
counts at once. Text from the server shows as plain text (labels) or escaped (tooltips).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.i18n import number, translate
from desktop.hub.background import BackgroundThreads, Ticket
from desktop.hub.client import RECOMMENDED, HubClient, save_token
from desktop.hub.errors import AuthRequired, HubError, OfflineError
from desktop.hub.listing import RepoFile, RepoSummary, model_files
from desktop.hub.names import shown_name
from desktop.ui.models.download_manager import DownloadItem, DownloadManager, DownloadQueueView
from desktop.ui.models.repo_files_pane import RepoFilesPane
from desktop.ui.models.searching_indicator import SearchingIndicator
from desktop.ui.widgets import plain_tip

log = logging.getLogger(__name__)

SORTS = (("Most downloaded", "downloads"), ("Most liked", "likes"), ("Recently updated", "updated"))


def sort_text(key: str) -> str:
    return {"downloads": translate("HubBrowser", "Most downloaded"), "likes": translate("HubBrowser", "Most liked"),
            "updated": translate("HubBrowser", "Recently updated")}[key]


def offline_text() -> str:
    return translate("HubBrowser", "Offline: Parley makes no network requests while offline mode is on, so it cannot "
                     "search or download models. Turn off offline mode (and unset HF_HUB_OFFLINE) to use Hugging Face.")


def recommended_description(repo_id: str, description: str) -> str:
    """The hub's description of a recommended model (desktop.hub.client.RECOMMENDED, marked for translation
    there) in the person's language."""
    return translate("HubBrowser", description)


_REPO = Qt.ItemDataRole.UserRole
QUIT_WAIT = 2.0  # seconds wait_idle() waits by default; a request still running then is left to its timeout


class _Results(QObject):
    """Lives on the GUI thread; workers emit here, and the slots run on the GUI thread."""

    searched = Signal(object)  # list[RepoSummary]
    files = Signal(str, object, str, object)  # repo id, list[RepoFile], model card, refused [(path, reason)]
    error = Signal(object, object, int)  # HubError, retry callable, search id (0: not a search)


class HubBrowser(QWidget):
    """Search, file list with memory fit, model card, and the download queue."""

    modelDownloaded = Signal(object)  # Path of a file that arrived in the models folder

    def __init__(self, client_factory: Callable[[], HubClient], manager: DownloadManager, models_dir: Path,
                 ram_bytes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hubBrowser")
        self.client_factory = client_factory
        self.manager = manager
        self.models_dir = Path(models_dir)
        self._files: list[RepoFile] = []
        self._repo: str | None = None  # the repository whose files are shown (or loading)
        self._search_id = 0
        self._search_ticket: Ticket | None = None  # the search running now, if any
        self._retry: Callable[[], None] | None = None
        self._threads = BackgroundThreads(2)
        self._results = _Results()
        self._results.searched.connect(self._show_results)
        self._results.files.connect(self._show_files)
        self._results.error.connect(self._show_error)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("hubSearchEdit")
        self.search_edit.setPlaceholderText(translate("HubBrowser",
                                                      "Search GGUF models on Hugging Face, e.g. qwen, llama, gemma"))
        self.search_edit.returnPressed.connect(self.search)
        self.sort_combo = QComboBox()
        self.sort_combo.setObjectName("hubSortCombo")
        for _text, key in SORTS:
            self.sort_combo.addItem(sort_text(key), key)
        self.search_button = QPushButton(translate("HubBrowser", "Search"))
        self.search_button.setObjectName("hubSearchButton")
        self.search_button.clicked.connect(self.search)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.sort_combo)
        search_row.addWidget(self.search_button)
        self.searching = SearchingIndicator()  # shown while a search runs, with the way to give up on it
        self.searching.cancel_button.clicked.connect(self.cancel_search)

        self.message = QLabel()
        self.message.setObjectName("hubMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # errors quote names the server chose
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.token_edit = QLineEdit()
        self.token_edit.setObjectName("hubTokenEdit")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(translate("HubBrowser", "Hugging Face access token (hf_…)"))
        self.token_edit.returnPressed.connect(self._save_token)
        save = QPushButton(translate("HubBrowser", "Save token"))
        save.setObjectName("hubSaveTokenButton")
        save.clicked.connect(self._save_token)
        self.token_row = QWidget()
        self.token_row.setObjectName("hubTokenRow")
        token_layout = QHBoxLayout(self.token_row)
        token_layout.setContentsMargins(0, 0, 0, 0)
        token_layout.addWidget(self.token_edit, 1)
        token_layout.addWidget(save)
        self.token_row.hide()

        self.results_label = QLabel()
        self.results_label.setObjectName("hubResultsLabel")
        self.results_label.setTextFormat(Qt.TextFormat.PlainText)
        self.results = QListWidget()
        self.results.setObjectName("hubResults")
        self.results.setWordWrap(True)
        self.results.currentItemChanged.connect(lambda item, _prev: self.open_repo(item.data(_REPO)) if item else None)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.results_label)
        left_layout.addWidget(self.results, 1)

        self.files_pane = RepoFilesPane(ram_bytes)
        self.files_pane.downloadRequested.connect(self.download_selected)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.files_pane)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([400, 600])

        self.queue = DownloadQueueView(manager, client_factory)
        manager.finished.connect(self._downloaded)
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addWidget(self.searching)
        layout.addWidget(self.message)
        layout.addWidget(self.token_row)
        layout.addWidget(split, 3)
        layout.addWidget(self.queue, 1)
        self._show_recommended()
        manager.resume_pending(client_factory(), self.models_dir)  # partials from an earlier session, PAUSED

    # -- actions -------------------------------------------------------------------------------------------------------

    def search(self) -> None:
        """Search GGUF repositories for the text in the search box, sorted as the combo box says; ignored while a
        search runs (the person can cancel it first)."""
        if self._search_ticket is not None:
            return
        query, sort = self.search_edit.text(), str(self.sort_combo.currentData())
        self._search_id += 1
        ident = self._search_id
        self._search_ticket = self._run(lambda c: self._results.searched.emit((ident, c.search(query, sort))),
                                        self.search, ident)
        self.searching.set_query(query)
        self._set_searching(self._search_ticket is not None)

    def cancel_search(self) -> None:
        """Give up on the running search: the page is ready at once, and its answer, if it still comes, is ignored."""
        ticket, self._search_ticket = self._search_ticket, None
        if ticket is not None:
            self._threads.abandon(ticket)
        self._search_id += 1
        self._set_searching(False)

    def open_repo(self, repo_id: str) -> None:
        """Load a repository's GGUF files and model card in the background."""
        self._repo, self._files = repo_id, []
        self.files_pane.clear()

        def work(client: HubClient) -> None:
            files, refused = client.list_gguf(repo_id)
            try:
                card = client.model_card(repo_id)
            except HubError:
                card = ""  # the files matter more than the description
            self._results.files.emit(repo_id, files, card, refused)

        self._run(work, lambda: self.open_repo(repo_id))

    def download_selected(self) -> None:
        """Queue the selected file; for one shard of a split model, all of its shards."""
        file = self.files_pane.selected_file()
        if file is None or self._repo is None:
            return
        client = self._client()
        if client is None:
            return
        for part in model_files(self._files, file):
            self.manager.enqueue(client, self._repo, part, self.models_dir)

    def wait_idle(self, timeout: float = QUIT_WAIT) -> bool:
        """Wait at most `timeout` seconds for background requests, then deliver the results that came (tests,
        shutdown); True when none is still running. A request stuck on a silent server ends at its timeout, on a
        daemon thread that never holds up quitting."""
        idle = self._threads.wait(timeout)
        QCoreApplication.sendPostedEvents()
        return idle

    # -- internals -----------------------------------------------------------------------------------------------------

    def _client(self) -> HubClient | None:
        """A fresh client, or None (with the offline message shown) when offline mode forbids any request."""
        client = self.client_factory()
        try:
            client.check_online()
        except OfflineError:
            self._set_message(offline_text())
            return None
        return client

    def _run(self, work: Callable[[HubClient], None], retry: Callable[[], None], ident: int = 0) -> Ticket | None:
        client = self._client()
        if client is None:
            return None
        self._set_message("")
        results = self._results

        def task() -> None:
            try:
                work(client)
            except HubError as e:
                results.error.emit(e, retry, ident)
            except Exception as e:  # boundary: never let a bug kill the worker silently
                log.exception("Unexpected error talking to Hugging Face")
                results.error.emit(HubError(translate("HubBrowser", "Something went wrong talking to Hugging Face "
                                                                "({error}).").format(error=e)), retry, ident)

        return self._threads.start(task)

    def _set_searching(self, running: bool) -> None:
        self.searching.setVisible(running)
        self.search_button.setEnabled(not running)

    def _search_ended(self, ident: int) -> bool:
        """True when `ident` is the search the page is waiting for (which has now ended); False for a cancelled or
        superseded one, whose answer is ignored."""
        if ident != self._search_id or self._search_ticket is None:
            return False
        self._search_ticket = None
        self._set_searching(False)
        return True

    def _set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _show_error(self, error: HubError, retry: Callable[[], None], ident: int = 0) -> None:
        if ident and not self._search_ended(ident):
            return
        self._set_message(offline_text() if isinstance(error, OfflineError) and error.offline_mode else str(error))
        if isinstance(error, AuthRequired):
            self._retry = retry
            self.token_row.show()
            self.token_edit.setFocus()

    def _save_token(self) -> None:
        try:
            save_token(self.token_edit.text())
        except HubError as e:
            self._set_message(str(e))
            return
        self.token_edit.clear()
        self.token_row.hide()
        self._set_message(translate("HubBrowser", "Access token saved."))
        retry, self._retry = self._retry, None
        if retry is not None:
            retry()

    def _show_recommended(self) -> None:
        self.results_label.setText(translate("HubBrowser", "Recommended chat models for a start"))
        for repo_id, english in RECOMMENDED:
            description = recommended_description(repo_id, english)
            item = QListWidgetItem(f"{repo_id}\n    {description}")
            item.setData(_REPO, repo_id)
            item.setToolTip(plain_tip(description))
            self.results.addItem(item)

    def _show_results(self, answer: tuple[int, list[RepoSummary]]) -> None:
        ident, repos = answer
        if not self._search_ended(ident):
            return  # a cancelled search answered late
        self.results.blockSignals(True)
        self.results.clear()
        self.results.blockSignals(False)
        found = len(repos)  # a plain name: lupdate skips a call whose count is an expression
        self.results_label.setText(translate("HubBrowser", "%n GGUF repositories", None, found) if repos
                                   else translate("HubBrowser", "No GGUF repositories found"))
        for repo in repos:
            gated = translate("HubBrowser", " · 🔒 gated") if repo.gated else ""
            item = QListWidgetItem(f"{repo.repo_id}    ⬇ {number(repo.downloads)} · ♥ {number(repo.likes)}{gated}")
            item.setData(_REPO, repo.repo_id)
            self.results.addItem(item)

    def _show_files(self, repo_id: str, files: list[RepoFile], card: str, refused: list[tuple[str, str]]) -> None:
        if repo_id != self._repo:
            return
        if refused:
            path, reason = refused[0]
            more = len(refused) - 1
            others = translate("HubBrowser", " and %n more", None, more) if more else ""
            self._set_message(translate("HubBrowser", 'Not listed: "{name}"{others}, because Parley refuses file names '
                                        "that could escape or hide in the models folder ({reason}).").format(
                name=shown_name(path), others=others, reason=reason))
        self._files = files
        self.files_pane.show_files(files, card)

    def _downloaded(self, item: DownloadItem) -> None:
        if item.path is not None:
            self.modelDownloaded.emit(item.path)
