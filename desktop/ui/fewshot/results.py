"""What a batch run found: one row per test item, the accuracy line with its interval, and the sweep chart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCharts import QAreaSeries, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QAbstractTableModel, QMargins, QModelIndex, QObject, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from desktop.core.fewshot.runs import order_spread
from desktop.core.fewshot.scoring import LIKELIHOOD, EvalRun, ItemResult
from desktop.core.i18n import number, translate
from desktop.core.instruments.statistics import spread
from desktop.ui.fewshot.labels import column_title
from desktop.ui.theme import is_dark, tint
from desktop.ui.widgets import plain_tip

COLUMNS = ("Line", "Input", "Expected", "Output", "Result", "Prompt tokens", "Generated", "Time")
# "Most likely answer" generates nothing; it has a probability and a lead over the runner-up instead
LIKELIHOOD_COLUMNS = ("Line", "Input", "Expected", "Output", "Result", "P(label)", "Margin", "Prompt tokens", "Time")
PASS_COLOUR = tint("success")  # translucent: readable on light and dark tables
FAIL_COLOUR = tint("error")
LINE_COLOUR = QColor("#1f6fb2")
CI_COLOUR = QColor(31, 111, 178, 45)
RANGE_COLOUR = QColor(230, 126, 34, 90)


def accuracy_text(run: EvalRun | None, total_items: int | None = None) -> str:
    """One line a person can quote: accuracy with its 95% interval, and what the prompts cost in tokens."""
    if run is None or not run.results:
        return translate("ResultsModel", "No results yet")
    done = len(run.results)
    progress = ("" if total_items is None or done >= total_items
                else translate("ResultsModel", " · {done} of {total} done").format(done=done, total=total_items))
    return translate("ResultsModel",
                     "Accuracy {accuracy} · {evaluated} prompt tokens evaluated of {total}{progress}").format(
        accuracy=run.accuracy_text(), evaluated=number(run.evaluated_prompt_tokens), total=number(run.prompt_tokens),
        progress=progress)


def local_time(iso: str) -> str:
    """A record's UTC time stamp as the person's local time, to the minute."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso or translate("ResultsModel", "unknown time")


def orders_text(runs: Sequence[EvalRun]) -> str:
    """How much the accuracy moved when only the examples' choice and order changed."""
    s = order_spread(runs)
    return translate("ResultsModel",
                     "Accuracy over {n} example orders: mean {mean} ± {std} (std), range {low}–{high} · "
                     "last order {last}").format(n=s.n, mean=f"{s.mean:.3f}", std=f"{s.std:.3f}",
                                                  low=f"{s.low:.3f}", high=f"{s.high:.3f}",
                                                  last=runs[-1].accuracy_text())


class ResultsModel(QAbstractTableModel):
    """Rows of ItemResult; rows arrive one by one while the run streams in."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._results: list[ItemResult] = []
        self._columns: tuple[str, ...] = COLUMNS

    def clear(self, rule: str | None = None, variables: Sequence[str] = ()) -> None:
        """Empty, with the columns the rule needs (the same ones when rule is None) and one per template value
        besides the input ({hypothesis}, {option_a}, …), right after it."""
        self.beginResetModel()
        self._results = []
        if rule is not None:
            base = LIKELIHOOD_COLUMNS if rule == LIKELIHOOD else COLUMNS
            self._columns = (*base[:2], *(f"{{{name}}}" for name in variables), *base[2:])
        self.endResetModel()

    def columns(self) -> tuple[str, ...]:
        return self._columns

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
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_title(self._columns[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        r = self._results[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and column == "Result":
            return QBrush(PASS_COLOUR if r.passed else FAIL_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "Prompt tokens":
                return translate("ResultsModel",
                                 "Evaluated / total: the rest came from the cache of the shared few-shot prefix")
            if column in ("P(label)", "Margin") and r.probabilities:
                return plain_tip("\n".join(f"{label}: {p:.3f}" for label, p in r.probabilities.items()))
            return plain_tip(f"{r.input}\n→ {r.output}")  # test-set text and model output
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("P(label)", "Margin", "Time"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return _cell(r, column)


def _cell(r: ItemResult, column: str) -> str:
    if column.startswith("{"):
        return r.variables.get(column[1:-1], "")
    if column == "P(label)":
        p = r.probabilities.get(r.output)
        return "" if p is None else f"{p:.3f}"
    if column == "Margin":
        return "" if r.margin is None else f"{r.margin:.3f}"
    result = translate("ResultsModel", "pass") if r.passed else translate("ResultsModel", "fail")
    values = {"Line": str(r.line), "Input": r.input, "Expected": r.expected, "Output": r.output, "Result": result,
              "Prompt tokens": f"{r.evaluated_tokens}/{r.prompt_tokens}", "Generated": str(r.generated_tokens),
              "Time": f"{r.seconds:.2f} s"}
    return values[column]


def _band(name: str, colour: QColor) -> tuple[QAreaSeries, QLineSeries, QLineSeries]:
    upper, lower = QLineSeries(), QLineSeries()
    area = QAreaSeries(upper, lower)
    # The area does not own its boundary lines; as its children they live exactly as long as it does (owned by
    # Python they could be collected while the chart still draws the area, which crashed the test run once)
    upper.setParent(area)
    lower.setParent(area)
    area.setName(name)
    area.setColor(colour)
    area.setBorderColor(colour)
    area.setPen(QPen(Qt.PenStyle.NoPen))
    return area, upper, lower


class SweepChart(QChartView):
    """Accuracy against the number of examples, each point with its 95% interval and, with several example
    orders, the range the orders spanned: shows where adding examples stops paying for its tokens."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sweepChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._runs: dict[int, list[EvalRun]] = {}
        self.ci_band, self._ci_upper, self._ci_lower = _band(translate("SweepChart", "95% CI (Wilson) of one run"),
                                                             CI_COLOUR)
        self.range_band, self._range_upper, self._range_lower = _band(
            translate("SweepChart", "range over example orders"), RANGE_COLOUR)
        self.series = QLineSeries()
        self.series.setName(translate("SweepChart", "accuracy"))
        self.series.setColor(LINE_COLOUR)
        self.series.setPointsVisible(True)
        self.series.setPointLabelsVisible(True)
        self.series.setPointLabelsFormat("@yPoint")
        self.series.setPointLabelsClipping(False)
        chart = QChart()
        if is_dark(self):  # before the series are added: a theme recolours what is already there
            chart.setTheme(QChart.ChartTheme.ChartThemeDark)
        for series in (self.ci_band, self.range_band, self.series):
            chart.addSeries(series)
        chart.setTitle(translate("SweepChart", "Accuracy by number of examples"))
        chart.setMargins(QMargins(4, 4, 12, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.legend().markers(self.series)[0].setVisible(False)  # the line needs no legend entry
        self.x_axis = QValueAxis()
        self.x_axis.setTitleText(translate("SweepChart", "examples (k)"))
        self.x_axis.setLabelFormat("%d")
        self.x_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        self.x_axis.setTickAnchor(0)
        self.y_axis = QValueAxis()
        self.y_axis.setTitleText(translate("SweepChart", "accuracy"))
        self.y_axis.setLabelFormat("%.1f")
        self.y_axis.setRange(0, 1.05)  # room above 1.0 for a point's label
        self.y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        self.y_axis.setTickAnchor(0)
        self.y_axis.setTickInterval(0.2)
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.ci_band, self.range_band, self.series):
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.setChart(chart)
        self.setMinimumHeight(240)  # room for the axis labels; in a low window the Results tab scrolls instead
        self.clear()

    def clear(self) -> None:
        self._runs = {}
        self._redraw()

    def add_run(self, run: EvalRun) -> None:
        """One completed run of the sweep; several runs at the same k are different example orders."""
        if run.results:
            self._runs.setdefault(run.shots, []).append(run)
            self._redraw()

    def _redraw(self) -> None:
        ks = sorted(self._runs)
        means = [spread([r.accuracy for r in self._runs[k]]) for k in ks]
        # With several orders the band is the interval a single run at k would carry (its bounds averaged)
        lows = [sum(r.interval[0] for r in self._runs[k]) / len(self._runs[k]) for k in ks]
        highs = [sum(r.interval[1] for r in self._runs[k]) / len(self._runs[k]) for k in ks]
        self.series.replace([QPointF(k, round(m.mean, 3)) for k, m in zip(ks, means, strict=True)])
        self._ci_upper.replace([QPointF(k, h) for k, h in zip(ks, highs, strict=True)])
        self._ci_lower.replace([QPointF(k, lo) for k, lo in zip(ks, lows, strict=True)])
        self._range_upper.replace([QPointF(k, m.high) for k, m in zip(ks, means, strict=True)])
        self._range_lower.replace([QPointF(k, m.low) for k, m in zip(ks, means, strict=True)])
        orders = any(m.n > 1 for m in means)
        self.range_band.setVisible(orders)
        self.chart().legend().markers(self.range_band)[0].setVisible(orders)
        top = max(ks, default=8)
        self.x_axis.setRange(-0.4, max(1, top) + 0.4)  # the end points' labels stay inside the plot
        self.x_axis.setTickInterval(max(1, (top + 7) // 8))
        each = translate("SweepChart", " ({n} example orders each)").format(n=max(m.n for m in means)) if orders else ""
        self.chart().setTitle(translate("SweepChart", "Accuracy by number of examples") + each)

    def points(self) -> list[tuple[float, float]]:
        return [(p.x(), p.y()) for p in self.series.points()]

    def intervals(self) -> list[tuple[float, float, float]]:
        """(k, low, high) of the 95% band."""
        return [(u.x(), lo.y(), u.y()) for u, lo in zip(self._ci_upper.points(), self._ci_lower.points(), strict=True)]

    def ranges(self) -> list[tuple[float, float, float]]:
        """(k, lowest, highest) accuracy over the example orders at k."""
        return [(u.x(), lo.y(), u.y())
                for u, lo in zip(self._range_upper.points(), self._range_lower.points(), strict=True)]
