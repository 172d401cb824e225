"""What a batch run found: one row per test item, the accuracy line, and the accuracy-versus-shots chart."""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import QWidget

from desktop.core.scoring import EvalRun, ItemResult

COLUMNS = ("Line", "Input", "Expected", "Output", "Result", "Prompt tokens", "Generated", "Time")
PASS_COLOUR = QColor("#d4edda")
FAIL_COLOUR = QColor("#f8d7da")


def accuracy_text(run: EvalRun | None, total_items: int | None = None) -> str:
    """One line a person can quote: accuracy, how many passed, and what the prompts cost in evaluated tokens."""
    if run is None or not run.results:
        return "No results yet"
    passed = sum(1 for r in run.results if r.passed)
    done = len(run.results)
    progress = "" if total_items is None or done >= total_items else f" · {done} of {total_items} done"
    return (f"Accuracy {run.accuracy * 100:.1f} % ({passed}/{done}) · "
            f"{run.evaluated_prompt_tokens:,} prompt tokens evaluated of {run.prompt_tokens:,}{progress}")


class ResultsModel(QAbstractTableModel):
    """Rows of ItemResult; rows arrive one by one while the run streams in."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._results: list[ItemResult] = []

    def clear(self) -> None:
        self.beginResetModel()
        self._results = []
        self.endResetModel()

    def add(self, result: ItemResult) -> None:
        row = len(self._results)
        self.beginInsertRows(QModelIndex(), row, row)
        self._results.append(result)
        self.endInsertRows()

    def results(self) -> list[ItemResult]:
        return list(self._results)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._results)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        r = self._results[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole and COLUMNS[index.column()] == "Result":
            return QBrush(PASS_COLOUR if r.passed else FAIL_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            if COLUMNS[index.column()] == "Prompt tokens":
                return "Evaluated / total: the rest came from the cache of the shared few-shot prefix"
            return f"{r.input}\n→ {r.output}"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (str(r.line), r.input, r.expected, r.output, "pass" if r.passed else "fail",
                  f"{r.evaluated_tokens}/{r.prompt_tokens}", str(r.generated_tokens), f"{r.seconds:.2f} s")
        return values[index.column()]


class SweepChart(QChartView):
    """Accuracy against the number of examples: shows where adding examples stops paying for its tokens."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sweepChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.series = QLineSeries()
        self.series.setName("accuracy")
        self.series.setPointsVisible(True)
        self.series.setPointLabelsVisible(True)
        self.series.setPointLabelsFormat("@yPoint")
        chart = QChart()
        chart.addSeries(self.series)
        chart.legend().hide()
        chart.setTitle("Accuracy by number of examples")
        self.x_axis = QValueAxis()
        self.x_axis.setTitleText("examples (k)")
        self.x_axis.setLabelFormat("%d")
        self.x_axis.setRange(0, 8)
        self.x_axis.setTickCount(9)
        self.y_axis = QValueAxis()
        self.y_axis.setTitleText("accuracy")
        self.y_axis.setRange(0, 1)
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.x_axis)
        self.series.attachAxis(self.y_axis)
        self.setChart(chart)
        self.setMinimumHeight(220)

    def clear(self) -> None:
        self.series.clear()
        self.x_axis.setRange(0, 8)
        self.x_axis.setTickCount(9)

    def add_point(self, shots: int, accuracy: float) -> None:
        self.series.append(QPointF(shots, round(accuracy, 3)))
        self.x_axis.setRange(0, max(1, shots))
        self.x_axis.setTickCount(min(max(2, shots + 1), 9))

    def points(self) -> list[tuple[float, float]]:
        return [(p.x(), p.y()) for p in self.series.points()]
