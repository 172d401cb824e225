"""A queue of Hub downloads for the GUI (one or a few at a time on a thread pool, pausable), and its table view.

Download does the transfer, retries and verification on a worker thread; this class only orders the work
and turns the worker's callbacks into signals on the GUI thread, so widgets never see another thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.i18n import translate
from desktop.core.models.memory import human_bytes
from desktop.hub.background import BackgroundThreads
from desktop.hub.client import HubClient
from desktop.hub.download import Download, DownloadProgress, DownloadState, pending_downloads
from desktop.hub.errors import HubError
from desktop.hub.listing import RepoFile, make_repo_file
from desktop.ui.widgets import plain_tip

log = logging.getLogger(__name__)

__all__ = ["SHUTDOWN_WAIT", "DownloadItem", "DownloadManager", "DownloadQueueView", "progress_text"]

SHUTDOWN_WAIT = 3.0  # seconds quitting waits for downloads to pause; one stuck on a silent server is left behind



def state_text(state: DownloadState) -> str:
    """A download's state as the queue shows it."""
    shown = {
        DownloadState.QUEUED: translate("DownloadQueueView", "Queued"),
        DownloadState.RUNNING: translate("DownloadQueueView", "Downloading"),
        DownloadState.PAUSED: translate("DownloadQueueView", "Paused"),
        DownloadState.VERIFYING: translate("DownloadQueueView", "Verifying"),
        DownloadState.DONE: translate("DownloadQueueView", "Done"),
        DownloadState.FAILED: translate("DownloadQueueView", "Failed"),
        DownloadState.CANCELLED: translate("DownloadQueueView", "Cancelled"),
    }
    return shown.get(state, state.value.capitalize())


@dataclass(eq=False)
class DownloadItem:
    """One queued file as the GUI sees it; compared by identity, so two items for one file stay distinct."""

    repo_id: str
    file: RepoFile
    models_dir: Path
    client: HubClient
    state: DownloadState = DownloadState.QUEUED
    progress: DownloadProgress | None = None
    error: str = ""
    path: Path | None = None
    # The Download of the current run, and whether its worker is still on the pool (touched on the GUI thread only).
    download: Download | None = field(default=None, repr=False)
    active: bool = field(default=False, repr=False)
    cancel_requested: bool = field(default=False, repr=False)

    @property
    def name(self) -> str:
        return self.file.path.rsplit("/", 1)[-1]


class _WorkerSignals(QObject):
    """Lives on the GUI thread; emitting from a worker queues the call there."""

    progress = Signal(object, object, object)  # DownloadItem, Download, DownloadProgress
    result = Signal(object, object, object, object)  # DownloadItem, Download, Path | None, error text | None


class DownloadManager(QObject):
    """Runs queued downloads at most `max_parallel` at a time; every signal is emitted on the GUI thread."""

    changed = Signal(object)  # DownloadItem: state or progress changed (CANCELLED items leave items())
    finished = Signal(object)  # DownloadItem in state DONE, with item.path
    failed = Signal(object)  # DownloadItem in state FAILED, with item.error

    def __init__(self, max_parallel: int = 1, retries: int = 4, backoff: float = 1.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.max_parallel = max(1, max_parallel)
        self.retries = retries
        self.backoff = backoff
        self._items: list[DownloadItem] = []
        self._closed = False
        self._signals = _WorkerSignals()
        self._signals.progress.connect(self._on_progress)
        self._signals.result.connect(self._on_result)
        self._threads = BackgroundThreads(self.max_parallel, name="parley-download")

    # -- queue ---------------------------------------------------------------------------------------------------------

    def items(self) -> list[DownloadItem]:
        return list(self._items)

    def enqueue(self, client: HubClient, repo_id: str, file: RepoFile, models_dir: Path) -> DownloadItem:
        """Queue one file (the caller enqueues each shard of a split model); an identical queued item is reused."""
        existing = self._find(repo_id, file.path, Path(models_dir))
        if existing is not None and existing.state is not DownloadState.DONE:
            if existing.state in (DownloadState.PAUSED, DownloadState.FAILED):
                self.resume(existing, client)
            return existing
        item = DownloadItem(repo_id, file, Path(models_dir), client)
        self._items.append(item)
        self.changed.emit(item)
        self._pump()
        return item

    def pause(self, item: DownloadItem) -> None:
        """A running item stops within a chunk and keeps its partial file; a queued one just waits."""
        if item.state not in (DownloadState.RUNNING, DownloadState.QUEUED):
            return
        if item.active and item.download is not None:
            item.download.pause()  # the worker stops within a chunk; a resume() meanwhile waits for it
        item.state = DownloadState.PAUSED
        self.changed.emit(item)

    def resume(self, item: DownloadItem, client: HubClient | None = None) -> None:
        """Queue a paused item again; the new run continues from the partial file on disk."""
        if item.state not in (DownloadState.PAUSED, DownloadState.FAILED) or item not in self._items:
            return
        if client is not None:
            item.client = client  # e.g. one with a newly saved token
        item.state, item.error = DownloadState.QUEUED, ""
        self.changed.emit(item)
        self._pump()

    def retry(self, item: DownloadItem, client: HubClient | None = None) -> None:
        """Run a failed item again (Download already retried transient errors with backoff)."""
        if item.state is DownloadState.FAILED:
            self.resume(item, client)

    def cancel(self, item: DownloadItem) -> None:
        """Stop and delete the partial file; the item leaves the queue (a finished file stays in the library)."""
        if item.state is DownloadState.DONE or item not in self._items:
            return
        item.cancel_requested = True
        if item.active and item.download is not None:
            item.download.cancel()  # the worker deletes the partial; its result removes the item
            return
        self._new_download(item).cancel()  # not running: deletes a partial left by an earlier run or session
        self._drop(item)

    def resume_pending(self, client: HubClient, models_dir: Path) -> list[DownloadItem]:
        """PAUSED items for the partial downloads a previous session left in models_dir (after a restart)."""
        found = []
        for meta in pending_downloads(models_dir):
            try:
                repo_id, path, size = str(meta["repo"]), str(meta["path"]), int(str(meta["size"]))
            except (KeyError, ValueError):
                continue
            if self._find(repo_id, path, Path(models_dir)) is not None:
                continue
            sha = meta.get("sha256")
            item = DownloadItem(repo_id, make_repo_file(path, size, str(sha) if sha else None), Path(models_dir),
                                client, state=DownloadState.PAUSED)
            item.progress = DownloadProgress(done=int(str(meta.get("done", 0))), total=size, bytes_per_second=0.0)
            self._items.append(item)
            found.append(item)
            self.changed.emit(item)
        return found

    def shutdown(self, timeout: float = SHUTDOWN_WAIT) -> bool:
        """Pause everything and wait (at most `timeout` seconds) for the workers, so quitting leaves resumable
        partial files; True when every worker ended. A worker stuck on a silent server is a daemon thread: it
        cannot hold up quitting, and the system lock on its partial file goes with the process."""
        self._closed = True
        running = [i for i in self._items if i.active]
        for item in running:
            if item.download is not None:
                item.download.pause()
        ended = self._threads.wait(timeout)
        for item in running:
            item.active = False
            if item.download is not None:
                state = item.download.state
                winding_down = state in (DownloadState.RUNNING, DownloadState.VERIFYING)  # stops at its timeout
                item.state = DownloadState.PAUSED if winding_down else state  # and resumes next time
                item.path = item.download.target if item.state is DownloadState.DONE else None
        return ended

    # -- internals -----------------------------------------------------------------------------------------------------

    def _find(self, repo_id: str, path: str, models_dir: Path) -> DownloadItem | None:
        return next((i for i in self._items
                     if (i.repo_id, i.file.path, i.models_dir) == (repo_id, path, models_dir)), None)

    def _new_download(self, item: DownloadItem) -> Download:
        download = Download(item.client, item.repo_id, item.file, item.models_dir, retries=self.retries,
                            backoff=self.backoff)
        download.on_progress = lambda p: self._signals.progress.emit(item, download, p)
        return download

    def _pump(self) -> None:
        """Start queued items while there is a free slot (an item whose old worker still winds down waits)."""
        if self._closed:
            return
        busy = sum(1 for i in self._items if i.active)
        for item in self._items:
            if busy >= self.max_parallel:
                break
            if item.state is DownloadState.QUEUED and not item.active:
                self._start(item)
                busy += 1

    def _start(self, item: DownloadItem) -> None:
        download = self._new_download(item)
        item.download, item.active, item.state = download, True, DownloadState.RUNNING
        self.changed.emit(item)
        signals = self._signals

        def work() -> None:
            try:
                path: Path | None = download.run()
                error = None
            except HubError as e:
                path, error = None, str(e)
            except Exception as e:  # boundary: a bug must not kill the worker silently or leave the item RUNNING
                log.exception("Unexpected error downloading %s", item.name)
                path, error = None, translate("DownloadManager", "The download of {name} stopped unexpectedly "
                                                          "({error}). Try again.").format(name=item.name, error=e)
            signals.result.emit(item, download, path, error)

        self._threads.start(work)

    def _on_progress(self, item: DownloadItem, download: Download, progress: DownloadProgress) -> None:
        if self._closed or item.download is not download or item.state is not DownloadState.RUNNING:
            return
        item.progress = progress
        if download.state is DownloadState.VERIFYING:
            item.state = DownloadState.VERIFYING
        self.changed.emit(item)

    def _on_result(self, item: DownloadItem, download: Download, path: Path | None, error: str | None) -> None:
        if self._closed or item.download is not download:
            return
        item.active = False
        state = download.state
        if state is DownloadState.DONE:
            item.state, item.path, item.error = DownloadState.DONE, path, ""
            if item.progress is not None:
                item.progress = DownloadProgress(item.progress.total, item.progress.total, 0.0)
            self.changed.emit(item)
            self.finished.emit(item)
        elif item.cancel_requested or state is DownloadState.CANCELLED:
            download.cancel()  # deletes the partial if the run ended (paused or failed) before seeing the cancel
            self._drop(item)
        elif state is DownloadState.FAILED:
            item.state, item.error = DownloadState.FAILED, error or translate("DownloadManager", "The download failed.")
            self.changed.emit(item)
            self.failed.emit(item)
        elif item.state is not DownloadState.QUEUED:  # paused; a resume() while winding down left it QUEUED
            item.state = DownloadState.PAUSED
            self.changed.emit(item)
        self._pump()

    def _drop(self, item: DownloadItem) -> None:
        item.state = DownloadState.CANCELLED
        if item in self._items:
            self._items.remove(item)
        self.changed.emit(item)
        self._pump()


def progress_text(item: DownloadItem) -> str:
    """ "12 MB of 40 MB · 2.1 MB/s · 13 s left", or the state (and error) when not transferring."""
    p = item.progress
    if item.state is DownloadState.FAILED:
        return item.error
    if p is None or item.state is DownloadState.DONE:
        return f"{human_bytes(item.file.size)}" + (f" → {item.path}" if item.path else "")
    text = translate("DownloadManager", "{done} of {total}").format(done=human_bytes(p.done),
                                                                    total=human_bytes(p.total))
    if item.state is DownloadState.RUNNING:
        left = p.seconds_left
        text += f" · {human_bytes(int(p.bytes_per_second))}/s"
        if left is not None:
            text += translate("DownloadManager", " · {duration} left").format(duration=_duration(left))
    return text


def _duration(seconds: float) -> str:
    s = int(seconds + 0.5)
    if s >= 3600:
        return translate("DownloadManager", "{h} h {min} min").format(h=s // 3600, min=s % 3600 // 60)
    if s >= 60:
        return translate("DownloadManager", "{min} min {s} s").format(min=s // 60, s=s % 60)
    return translate("DownloadManager", "{s} s").format(s=s)


class DownloadQueueView(QWidget):
    """The manager's items as rows (name, state, progress bar, details) with buttons for the selected row."""

    COLUMNS = ("File", "State", "Progress", "Details")

    def __init__(self, manager: DownloadManager, retry_client: Callable[[], HubClient],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self._rows: list[tuple[DownloadItem, QTableWidgetItem, QProgressBar, QTableWidgetItem]] = []
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("downloadQueue")
        self.table.setHorizontalHeaderLabels([
            translate("DownloadQueueView", "File"), translate("DownloadQueueView", "State"),
            translate("DownloadQueueView", "Progress"), translate("DownloadQueueView", "Details")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        actions: tuple[tuple[str, str, Callable[[DownloadItem], None]], ...] = (
            ("pause", translate("DownloadQueueView", "Pause"), manager.pause),
            ("resume", translate("DownloadQueueView", "Resume"), lambda i: manager.resume(i, retry_client())),
            ("cancel", translate("DownloadQueueView", "Cancel"), manager.cancel),
            ("retry", translate("DownloadQueueView", "Retry"), lambda i: manager.retry(i, retry_client())))
        for name, label, action in actions:
            button = QPushButton(label)
            button.setObjectName(f"{name}DownloadButton")
            button.clicked.connect(lambda _=False, act=action: self._act(act))
            buttons.addWidget(button)
            self.buttons[name] = button
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(translate("DownloadQueueView", "Downloads"))
        title.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        manager.changed.connect(self.show_item)
        for item in manager.items():
            self.show_item(item)
        self._update_buttons()

    def selected(self) -> DownloadItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()][0] if rows else None

    def show_item(self, item: DownloadItem) -> None:
        row = next((n for n, r in enumerate(self._rows) if r[0] is item), -1)
        if item.state is DownloadState.CANCELLED:
            if row >= 0:
                self.table.removeRow(row)
                del self._rows[row]
        else:
            if row < 0:
                row = self._add_row(item)
            _, state, bar, details = self._rows[row]
            state.setText(state_text(item.state))
            details.setText(progress_text(item))
            details.setToolTip(plain_tip(details.text()))
            done = item.file.size if item.state is DownloadState.DONE else item.progress.done if item.progress else 0
            bar.setValue(1000 * done // item.file.size if item.file.size else 0)
        self._update_buttons()

    def _add_row(self, item: DownloadItem) -> int:
        row = len(self._rows)
        self.table.insertRow(row)
        cells = [QTableWidgetItem(item.name), QTableWidgetItem(), QTableWidgetItem()]
        cells[0].setToolTip(plain_tip(f"{item.repo_id}/{item.file.path}"))
        for column, cell in zip((0, 1, 3), cells, strict=True):
            self.table.setItem(row, column, cell)
        bar = QProgressBar()
        bar.setRange(0, 1000)  # permille: byte counts overflow a 32-bit int
        self.table.setCellWidget(row, 2, bar)
        self._rows.append((item, cells[1], bar, cells[2]))
        return row

    def _act(self, action: Callable[[DownloadItem], None]) -> None:
        item = self.selected()
        if item is not None:
            action(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.selected()
        state = item.state if item else None
        self.buttons["pause"].setEnabled(state in (DownloadState.QUEUED, DownloadState.RUNNING))
        self.buttons["resume"].setEnabled(state is DownloadState.PAUSED)
        self.buttons["cancel"].setEnabled(state not in (None, DownloadState.DONE, DownloadState.CANCELLED))
        self.buttons["retry"].setEnabled(state is DownloadState.FAILED)
