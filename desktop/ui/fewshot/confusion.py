"""The confusion matrix of a classification run, with each label's precision, recall and F1.

Accuracy alone hides a model that answers "positive" to everything on a test set that is mostly positive; the
matrix shows it at a glance. A run counts as classification when it chose between labels ("Most likely answer")
or when its expected answers take only a few distinct values.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.core.fewshot.scoring import LIKELIHOOD, EvalRun, ItemResult, normalize, score
from desktop.core.i18n import translate
from desktop.core.instruments.statistics import OTHER_LABEL, Confusion, LabelStats, confusion_matrix
from desktop.ui.widgets import plain_tip

MAX_CLASSES = 10  # more distinct expected answers than this is free text, not a label set
STATS = ("Precision", "Recall", "F1", "Support")


def _classes(run: EvalRun) -> dict[str, str]:
    """Normalised answer -> how it is shown: the run's labels first, then expected answers as first seen."""
    classes: dict[str, str] = {}
    if run.rule == LIKELIHOOD and not any("{" in label for label in run.labels):
        for label in run.labels:
            classes.setdefault(normalize(label), label)
    for result in run.results:
        classes.setdefault(normalize(result.expected), result.expected)
    return classes


def _predicted(run: EvalRun, result: ItemResult, classes: dict[str, str]) -> str:
    """The class the output stands for: the expected one when it passed, else the class the output matches."""
    if result.passed:
        return classes[normalize(result.expected)]
    key = normalize(result.output)
    if key in classes:
        return classes[key]
    if result.output in result.probabilities:  # labels filled from the item: the chosen one's letter
        letter = chr(ord("A") + list(result.probabilities).index(result.output))
        if normalize(letter) in classes:
            return classes[normalize(letter)]
    if run.rule not in (LIKELIHOOD, "regex"):
        for shown in classes.values():
            try:
                if score(run.rule, result.output, shown):
                    return shown
            except ValueError:
                break
    return OTHER_LABEL


def run_confusion(run: EvalRun | None) -> Confusion | None:
    """None for a run with no results or with free-text answers."""
    if run is None or not run.results:
        return None
    classes = _classes(run)
    if run.rule != LIKELIHOOD and len(classes) > MAX_CLASSES:
        return None
    pairs = [(classes[normalize(r.expected)], _predicted(run, r, classes)) for r in run.results]
    return confusion_matrix(pairs, list(classes.values()))


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


class ConfusionModel(QAbstractTableModel):
    """Rows: expected label; columns: predicted label, then the row label's precision, recall, F1 and support."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.confusion: Confusion | None = None
        self._stats: list[LabelStats] = []

    def set_confusion(self, confusion: Confusion | None) -> None:
        self.beginResetModel()
        self.confusion = confusion
        self._stats = confusion.per_label() if confusion is not None else []
        self.endResetModel()

    def _labels(self) -> tuple[str, ...]:
        return self.confusion.labels if self.confusion is not None else ()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._labels())

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.confusion is None else len(self._labels()) + len(STATS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        labels = self._labels()
        if role == Qt.ItemDataRole.ToolTipRole:
            if orientation == Qt.Orientation.Vertical:
                expected = translate("ConfusionModel", "Items whose expected answer is {label}")
                return plain_tip(expected.format(label=labels[section]))  # labels come from files
            if section < len(labels):
                return plain_tip(translate("ConfusionModel",
                                           "Items the model answered {label}").format(label=labels[section]))
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return labels[section]
        if section < len(labels):
            return f"→ {labels[section]}"
        return (translate("ConfusionModel", "Precision"), translate("ConfusionModel", "Recall"), "F1",
                translate("ConfusionModel", "Support"))[section - len(labels)]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self.confusion is None:
            return None
        row, column = index.row(), index.column()
        size = len(self._labels())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and column < size:
            count = self.confusion.counts[row][column]
            support = sum(self.confusion.counts[row]) or 1
            if count == 0:
                return None
            shade = 40 + int(150 * count / support)
            return QBrush(QColor(40, 167, 69, shade) if row == column else QColor(220, 53, 69, shade))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column < size:
            return str(self.confusion.counts[row][column])
        stats = self._stats[row]
        values = (_number(stats.precision), _number(stats.recall), _number(stats.f1), str(stats.support))
        return values[column - size]

    def cell(self, expected: str, predicted: str) -> int:
        """The count in one cell, by label (for tests and scripts)."""
        assert self.confusion is not None
        labels = self._labels()
        return self.confusion.counts[labels.index(expected)][labels.index(predicted)]


class ConfusionPanel(QWidget):
    """Hidden for free-text runs, where a matrix over every distinct answer would say nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ConfusionModel(self)
        self.title = QLabel(translate("ConfusionPanel",
                                      "Confusion matrix: rows are the expected answers, columns what the model "
                                             "answered"))
        self.title.setObjectName("confusionTitle")
        self.table = QTableView()
        self.table.setObjectName("confusionTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        self.setVisible(False)

    def show_run(self, run: EvalRun | None) -> None:
        confusion = run_confusion(run)
        self.model.set_confusion(confusion)
        self.setVisible(confusion is not None)
        if confusion is not None:  # as tall as its rows (up to about ten), no empty grid below them
            self.table.resizeRowsToContents()
            rows = sum(self.table.rowHeight(r) for r in range(min(self.model.rowCount(), 11)))
            height = self.table.horizontalHeader().sizeHint().height() + rows + 2 * self.table.frameWidth() + 2
            self.table.setMaximumHeight(height)
            self.setMaximumHeight(height + self.title.sizeHint().height() + 6)
