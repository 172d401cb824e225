"""The History tab: every saved few-shot run, newest first, to reopen, delete or compare two of them."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QItemSelection, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.fewshot.runs import RunStore, RunSummary, compare_runs
from desktop.core.fewshot.scoring import EvalRun, RunRecordError
from desktop.core.i18n import translate
from desktop.ui.fewshot.compare import RunComparisonDialog
from desktop.ui.fewshot.labels import rule_label
from desktop.ui.fewshot.results import local_time
from desktop.ui.widgets import named_button, plain_label, plain_tip

# Accuracy next to the date: the pane is narrow and the rest is context (all of it in the tooltip too)
HISTORY_COLUMNS = ("Date", "Accuracy (95% CI)", "Shots", "Rule", "Template", "Model")  # keys; headers below
DAMAGED_COLOUR = QColor("#c0392b")


def _newest_first(summary: RunSummary) -> tuple[str, int]:
    """File names carry the time only to the second; the modification time orders runs saved in one second."""
    try:
        modified = summary.path.stat().st_mtime_ns
    except OSError:
        modified = 0
    return summary.started_at, modified


class RunHistoryModel(QAbstractTableModel):
    """One row per record in the run store; a damaged record is a row that says what is wrong with it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RunSummary] = []

    def set_summaries(self, summaries: list[RunSummary]) -> None:
        self.beginResetModel()
        self._rows = list(summaries)
        self.endResetModel()

    def summary(self, row: int) -> RunSummary:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HISTORY_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (translate("RunHistoryModel", "Date"), translate("RunHistoryModel", "Accuracy (95% CI)"),
                    translate("RunHistoryModel", "Shots"), translate("RunHistoryModel", "Rule"),
                    translate("RunHistoryModel", "Template"), translate("RunHistoryModel", "Model"))[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        s = self._rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if s.error:
                return plain_tip(f"{s.error}\n{s.path}")
            shot = translate("RunHistoryModel", "{shots}-shot").format(shots=s.shots)
            return plain_tip(f"{s.template_name} · {shot} · {rule_label(s.rule)} · {s.model_file}\n"
                             f"{s.accuracy_text}\n{s.path}")  # names from saved run files
        if role == Qt.ItemDataRole.ForegroundRole and s.error:
            return QBrush(DAMAGED_COLOUR)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if s.error:
            values = ("", translate("RunHistoryModel", "damaged: {error}").format(error=s.error), "", "", s.path.name,
                      "")
        else:
            stopped = "" if s.completed else translate("RunHistoryModel", " · stopped")
            values = (local_time(s.started_at), s.accuracy_text + stopped, str(s.shots), rule_label(s.rule),
                      s.template_name, s.model_file)
        return values[index.column()]


class HistoryPanel(QWidget):
    """Reads the store only when shown after a change, so saving a run costs the GUI nothing."""

    runOpened = Signal(object, str)  # EvalRun, a note for the accuracy line
    failed = Signal(str)

    def __init__(self, store: RunStore | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.comparison_dialog: RunComparisonDialog | None = None
        self._stale = True
        self.model = RunHistoryModel(self)
        self.table = QTableView()
        self.table.setObjectName("runHistory")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.open_button = named_button("openRunButton", translate("HistoryPanel", "Open"),
            translate("HistoryPanel", "Show this run's results on the Results tab"))
        self.delete_button = named_button("deleteRunButton", translate("HistoryPanel", "Delete…"),
                                          translate("HistoryPanel", "Delete the selected run records from disk"))
        self.compare_button = named_button(
            "compareRunsButton", translate("HistoryPanel", "Compare…"),
            translate("HistoryPanel",
                      "Select exactly two runs on the same test set: which items each got right, and whether the "
                      "difference is more than chance"))
        self.refresh_button = named_button("refreshHistoryButton", translate("HistoryPanel", "Refresh"),
                                           translate("HistoryPanel", "Read the runs folder again"))
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.compare_button.clicked.connect(self.compare_selected)
        self.refresh_button.clicked.connect(self.refresh)
        where = str(store.folder) if store is not None else translate("HistoryPanel", "nowhere (no runs folder)")
        self.folder_label = plain_label(translate("HistoryPanel",
                                                  "Every run is saved automatically to {folder}").format(folder=where),
                                        "historyFolderLabel")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for button in (self.open_button, self.compare_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._selection_changed()

    # --- the list ----------------------------------------------------------------------------

    def mark_stale(self) -> None:
        self._stale = True

    def refresh_if_stale(self) -> None:
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        summaries = self.store.list() if self.store is not None else []
        self.model.set_summaries(sorted(summaries, key=_newest_first, reverse=True))
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(header.count() - 1):  # long texts elide; the tooltip has them whole
            header.resizeSection(column, min(header.sectionSize(column), 320))
        self._selection_changed()

    def summaries(self) -> list[RunSummary]:
        return [self.model.summary(row) for row in range(self.model.rowCount())]

    def select_rows(self, rows: list[int]) -> None:
        selection = QItemSelection()
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, self.model.columnCount() - 1))
        self.table.selectionModel().select(selection, self.table.selectionModel().SelectionFlag.ClearAndSelect)

    def selected(self) -> list[RunSummary]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.summary(row) for row in rows]

    def _selection_changed(self, *_args: object) -> None:
        chosen = self.selected()
        readable = [s for s in chosen if not s.error]
        self.open_button.setEnabled(len(chosen) == 1 and len(readable) == 1)
        self.delete_button.setEnabled(bool(chosen) and self.store is not None)
        self.compare_button.setEnabled(len(chosen) == 2 and len(readable) == 2)

    # --- actions -------------------------------------------------------------------------------

    def _load(self, summary: RunSummary) -> EvalRun | None:
        assert self.store is not None
        try:
            return self.store.load(summary.path)
        except RunRecordError as exc:
            self.failed.emit(str(exc))
            return None

    def open_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or chosen[0].error:
            return
        run = self._load(chosen[0])
        if run is not None:
            self.runOpened.emit(run, translate("HistoryPanel",
                                               " · saved run of {time}").format(time=local_time(run.started_at)))

    def delete_selected(self) -> None:
        chosen = self.selected()
        if not chosen or self.store is None:
            return
        question = translate("HistoryPanel",
                             "Delete this saved run from disk? This cannot be undone.") if len(chosen) == 1 else \
            translate("HistoryPanel",
                      "Delete these {n} saved runs from disk? This cannot be undone.").format(n=len(chosen))
        answer = QMessageBox.question(self, translate("HistoryPanel", "Delete runs"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        for summary in chosen:
            try:
                self.store.delete(summary.path)
            except (OSError, ValueError) as exc:
                self.failed.emit(translate("HistoryPanel",
                                           "Could not delete {file}: {error}").format(file=summary.path.name,
                                                                                      error=exc))
                break
        self.refresh()

    def compare_selected(self) -> None:
        """A is the older run, B the newer: "B is better than A" reads as progress."""
        chosen = self.selected()
        if len(chosen) != 2:
            return
        newer, older = chosen  # rows are newest first
        a, b = self._load(older), self._load(newer)
        if a is None or b is None:
            return
        try:
            comparison = compare_runs(a, b)
        except ValueError as exc:
            self.failed.emit(str(exc))
            return
        if self.comparison_dialog is not None:
            self.comparison_dialog.close()
        self.comparison_dialog = RunComparisonDialog(a, b, comparison, self)
        self.comparison_dialog.show()
