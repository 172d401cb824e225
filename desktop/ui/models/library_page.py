"""The Models page: every GGUF in the library with what a person needs to choose one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.engines.config import is_remote, split_remote
from desktop.core.i18n import translate
from desktop.core.models.library import ModelEntry
from desktop.core.models.memory import classify_fit, estimate_memory, human_bytes
from desktop.core.settings import DEFAULT_CONTEXT
from desktop.ui.models.model_settings_panel import ModelSettingsPanel
from desktop.ui.theme import bar_style
from desktop.ui.widgets import named_button, plain_label, plain_tip

COLUMNS = ("Name", "Architecture", "Size", "Quantisation", "File size", "Context", "Chat template", "License",
           "Shards", "Memory")  # in English, for code; the headers show column_titles()


def column_titles() -> tuple[str, ...]:
    return (translate("LibraryModel", "Name"), translate("LibraryModel", "Architecture"),
            translate("LibraryModel", "Size"), translate("LibraryModel", "Quantisation"),
            translate("LibraryModel", "File size"), translate("LibraryModel", "Context"),
            translate("LibraryModel", "Chat template"), translate("LibraryModel", "License"),
            translate("LibraryModel", "Shards"), translate("LibraryModel", "Memory"))


class LibraryModel(QAbstractTableModel):
    """Rows of ModelEntry; the view only displays them."""

    def __init__(self, ram_bytes: int, vram_bytes: int | None = None,
                 context_for: Callable[[ModelEntry], int | None] = lambda _e: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ModelEntry] = []
        self._ram = ram_bytes
        self._vram = vram_bytes
        self._context_for = context_for

    def refresh_estimates(self) -> None:
        if self._entries:
            last = self.index(len(self._entries) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, len(COLUMNS) - 1), last)

    def set_entries(self, entries: list[ModelEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> ModelEntry:
        return self._entries[row]

    def entries(self) -> list[ModelEntry]:
        return list(self._entries)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_titles()[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(entry.error or _where(entry))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if is_remote(entry.path) and entry.info is not None:  # on a server: its name says which
            values = [entry.name, entry.architecture, entry.size_label or "", entry.quantization or "",
                      translate("LibraryModel", "remote"), str(entry.context_length or ""),
                      translate("LibraryModel", "on the server"), entry.license or "", "",
                      translate("LibraryModel", "on the server")]
        elif entry.info is None or entry.error:
            values = [entry.path.name, translate("LibraryModel", "unusable"), "", "", human_bytes(entry.file_size),
                      "", "", "", str(entry.shard_count), entry.error or ""]
        else:
            name = translate("LibraryModel", "{name} (built-in)").format(name=entry.name) if entry.builtin \
                else entry.name
            values = [name, entry.architecture, entry.size_label or "", entry.quantization or "",
                      human_bytes(entry.file_size), str(entry.context_length or ""),
                      translate("LibraryModel", "yes") if entry.has_chat_template
                      else translate("LibraryModel", "no (base model?)"), entry.license or "",
                      str(entry.shard_count), self._fit(entry)]
        return values[index.column()]

    def _fit(self, entry: ModelEntry) -> str:
        assert entry.info is not None
        n_ctx = min(self._context_for(entry) or DEFAULT_CONTEXT, entry.context_length or DEFAULT_CONTEXT)
        estimate = estimate_memory(entry.info, n_ctx, entry.file_size)
        fit = classify_fit(estimate, self._ram, self._vram)
        return translate("LibraryModel", "{fit} ({size} at {context} ctx)").format(
            fit=fit.label, size=human_bytes(estimate.total), context=n_ctx)


def _where(entry: ModelEntry) -> str:
    if is_remote(entry.path):
        engine, model = split_remote(entry.path)
        return translate("LibraryModel", "{model}, served by the engine {engine} (Settings › Engines)").format(
            model=model, engine=engine)
    return str(entry.path)


class _ScanSignals(QObject):
    done = Signal(object)  # list[ModelEntry]


class LibraryPage(QWidget):
    """Lists the library; scanning runs on the thread pool so a big folder never freezes the window."""

    loadRequested = Signal(object)  # Path
    addRequested = Signal()
    removeRequested = Signal(object)  # ModelEntry
    revealRequested = Signal(object)  # ModelEntry

    selectionChanged = Signal(object)  # ModelEntry | None

    def __init__(self, scan: Callable[[], list[ModelEntry]], ram_bytes: int, vram_bytes: int | None = None,
                 context_for: Callable[[ModelEntry], int | None] = lambda _e: None,
                 parent: QWidget | None = None, gpu_backend: str = "CPU") -> None:
        super().__init__(parent)
        self.setObjectName("modelLibrary")
        self._scan = scan
        self._local: list[ModelEntry] = []  # the last scan's
        self._remote: list[ModelEntry] = []  # the models the engines serve (set_remote_entries)
        self._signals = _ScanSignals()
        self._signals.done.connect(self._show)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.model = LibraryModel(ram_bytes, vram_bytes, context_for, parent=self)
        self.table = QTableView()
        self.table.setObjectName("libraryTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda index: self._load(index.row()))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.settings_panel = ModelSettingsPanel()
        self.settings_panel.set_build(gpu_backend, vram_bytes)
        self.settings_panel.changed.connect(self.model.refresh_estimates)
        self.message = plain_label(name="libraryMessage")  # what adding or removing a model ran into
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.summary = QLabel(translate("LibraryPage", "Scanning…"))
        self.summary.setObjectName("librarySummary")

        buttons = QHBoxLayout()
        self.add_button = named_button("addModelButton", translate("LibraryPage", "Add…"),
                                       translate("LibraryPage", "Add GGUF files (or drop them on the window)"))
        self.load_button = named_button("loadModelButton", translate("LibraryPage", "Load"),
                                        translate("LibraryPage", "Chat with the selected model"))
        self.reveal_button = named_button("revealModelButton", translate("LibraryPage", "Show in folder"),
                                          translate("LibraryPage", "Open the file's folder"))
        self.remove_button = named_button("removeModelButton", translate("LibraryPage", "Remove…"),
                                          translate("LibraryPage", "Delete the selected model from disk"))
        self.refresh_button = named_button("refreshLibraryButton", translate("LibraryPage", "Refresh"),
                                           translate("LibraryPage", "Scan the folders again"))
        for b in (self.add_button, self.load_button, self.reveal_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        self.add_button.clicked.connect(self.addRequested)
        self.load_button.clicked.connect(lambda: self._load(self._selected_row()))
        self.reveal_button.clicked.connect(lambda: self._emit_selected(self.revealRequested))
        self.remove_button.clicked.connect(lambda: self._emit_selected(self.removeRequested))
        self.refresh_button.clicked.connect(self.refresh)

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.settings_panel)
        layout.addWidget(self.summary)

    def show_message(self, text: str, error: bool = True) -> None:
        """Say something on this page (an error, or a plain note); "" hides the bar."""
        self.message.setStyleSheet(bar_style("#libraryMessage", "error" if error else "info"))
        self.message.setProperty("error", error)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refresh(self) -> None:
        self.summary.setText(translate("LibraryPage", "Scanning…"))
        self._pool.start(lambda: self._signals.done.emit(self._scan()))

    def wait_idle(self) -> None:
        self._pool.waitForDone()

    def set_remote_entries(self, entries: list[ModelEntry]) -> None:
        """The models servers offer (Settings › Engines), listed after this computer's."""
        chosen = self.selected_entry()
        self._remote = list(entries)
        self._show(self._local)
        if chosen is not None:  # a probe landing keeps the person's selection where that model is still listed
            rows = [e.path for e in self.model.entries()]
            if chosen.path in rows:
                self.table.selectRow(rows.index(chosen.path))

    def _show(self, entries: list[ModelEntry]) -> None:
        self._local = list(entries)
        self.model.set_entries([*self._local, *self._remote])
        usable = sum(1 for e in entries if e.error is None and e.info is not None)
        total = sum(e.file_size for e in entries)
        unusable = len(entries) - usable
        summary = translate("LibraryPage", "%n usable model(s)", None, usable)
        summary += translate("LibraryPage", ", {unusable} unusable, {size} on disk").format(
            unusable=unusable, size=human_bytes(total))
        if self._remote:
            served = len(self._remote)  # a plain name: lupdate skips a call whose count is an expression
            summary += translate("LibraryPage", ", %n on engines", None, served)
        self.summary.setText(summary)

    def selected_entry(self) -> ModelEntry | None:
        row = self._selected_row()
        return self.model.entry(row) if row >= 0 else None

    def _selection_changed(self) -> None:
        entry = self.selected_entry()
        local = entry is None or not is_remote(entry.path)  # a server's model has no file here to show or delete
        self.reveal_button.setEnabled(local)
        self.remove_button.setEnabled(local)
        self.settings_panel.setVisible(local)
        self.settings_panel.set_entry(entry)  # before the controller hands the panel this model's settings
        self.selectionChanged.emit(entry)

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _emit_selected(self, signal: object) -> None:
        row = self._selected_row()
        if row >= 0:
            signal.emit(self.model.entry(row))  # type: ignore[attr-defined]

    def _load(self, row: int) -> None:
        if row < 0:
            return
        entry = self.model.entry(row)
        if entry.error is None and entry.info is not None:
            self.loadRequested.emit(entry.path)
