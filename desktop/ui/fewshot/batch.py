"""The Results tab: test-set controls, progress, accuracy, the per-item table, the confusion matrix and the
sweep chart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.fewshot.scoring import EvalRun, ItemResult, variable_names
from desktop.core.i18n import translate
from desktop.ui.fewshot.confusion import ConfusionPanel
from desktop.ui.fewshot.results import ResultsModel, SweepChart, accuracy_text, orders_text
from desktop.ui.fewshot.runner import EvalRunner
from desktop.ui.widgets import named_button, plain_label


def _finished_text(run: EvalRun) -> str:
    text = accuracy_text(run)
    if not run.completed:
        text += translate("BatchPanel", " · stopped early") if run.results else translate("BatchPanel", " · stopped")
    return text


INPUT_MIN_WIDTH = 220  # pixels: enough for a few words of each input; below it the table scrolls sideways


class ResultsTable(QTableView):
    """The per-item table: the Input column takes the spare width, but in a small window it keeps INPUT_MIN_WIDTH
    and the table scrolls sideways instead of squeezing the inputs to a few letters."""

    def __init__(self) -> None:
        super().__init__()
        self.input_column = -1

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.keep_input_readable()

    def keep_input_readable(self) -> None:
        header, column = self.horizontalHeader(), self.input_column
        if not 0 <= column < header.count():
            return
        others = sum(header.sectionSize(c) for c in range(header.count())
                     if c != column and not header.isSectionHidden(c))
        if self.viewport().width() - others >= INPUT_MIN_WIDTH:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, INPUT_MIN_WIDTH)


class BatchPanel(QWidget):
    """Shows the runner's progress; the page decides what to run."""

    def __init__(self, runner: EvalRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.import_button = named_button("importTestSetButton", translate("BatchPanel", "Import test set…"),
                                          translate("BatchPanel",
                                                    "Items with an expected answer, from a CSV, TSV or JSONL file"))
        self.test_set_label = plain_label(translate("BatchPanel", "No test set"),
                                          "testSetLabel")  # quotes the file's name
        self.shots_spin = QSpinBox()
        self.shots_spin.setObjectName("shotsSpin")
        self.shots_spin.setToolTip(translate("BatchPanel", "How many of the enabled examples each prompt carries"))
        self.shots_spin.setRange(0, 0)
        self._shots_follow_max = True
        self.shots_spin.valueChanged.connect(self._shots_edited)
        self.random_check = QCheckBox(translate("BatchPanel", "Random pick, seed"))
        self.random_check.setObjectName("shotsRandomCheck")
        self.random_check.setToolTip(
            translate("BatchPanel", "Pick the examples at random (with this seed) instead of the first ones"))
        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("shotsSeedSpin")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip(
            translate("BatchPanel", "The seed that picks the examples; with several orders, order i uses seed + i"))
        self.seed_spin.setEnabled(False)
        self.random_check.toggled.connect(self._update_seed_enabled)
        self.orders_spin = QSpinBox()
        self.orders_spin.setObjectName("ordersSpin")
        self.orders_spin.setRange(1, 20)
        self.orders_spin.setValue(1)
        self.orders_spin.setToolTip(translate("BatchPanel",
            "Run the same number of examples this many times, each time with examples picked and ordered at random\n"
            "(seeds seed, seed + 1, …), to see how much the accuracy depends on which examples come in which order"))
        self.orders_spin.valueChanged.connect(self._update_seed_enabled)
        self.run_button = named_button("runBatchButton", translate("BatchPanel", "Run test set"),
                                       translate("BatchPanel", "Score the template on every test item"))
        self.stop_button = named_button(
            "stopBatchButton", translate("BatchPanel", "Stop"),
            translate("BatchPanel", "Stop after the current token; results so far stay"))
        self.stop_button.setEnabled(False)
        self.sweep_button = named_button("sweepButton", translate("BatchPanel", "Sweep shots"),
                                         translate("BatchPanel", "Run the test set with 0, 1, 2, 4… examples and "
                                                   "chart the accuracy; with Orders above 1, each count in that many "
                                                   "example orders"))
        self.export_button = named_button("exportResultsButton", translate("BatchPanel", "Export results…"),
                                          translate("BatchPanel",
                                                    "Write the last run with its settings to CSV or JSON"))
        self.export_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setObjectName("batchProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.accuracy_label = plain_label(translate("BatchPanel", "No results yet"))
        self.accuracy_label.setObjectName("accuracyLabel")
        self.accuracy_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.accuracy_label.setWordWrap(True)

        self.results = ResultsModel(self)
        self.table = ResultsTable()
        self.table.setObjectName("evalResults")
        self.table.setModel(self.results)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.confusion = ConfusionPanel()
        self.chart = SweepChart()
        self.chart.setVisible(False)  # until a sweep has a point to show
        self.shown: EvalRun | None = None  # the run in the table: the current or last one, or one opened from history

        # Short rows that wrap their text, so the page fits a 1024-pixel-wide window with every label whole.
        for label in (self.test_set_label, self.accuracy_label):
            label.setWordWrap(True)
        data_row = QHBoxLayout()
        data_row.addWidget(self.import_button)
        data_row.addWidget(self.test_set_label, 1)
        data_row.addWidget(self.export_button)
        shots_row = QHBoxLayout()
        shots_row.addWidget(QLabel(translate("BatchPanel", "Examples per prompt")))
        shots_row.addWidget(self.shots_spin)
        shots_row.addSpacing(12)
        shots_row.addWidget(QLabel(translate("BatchPanel", "Orders")))
        shots_row.addWidget(self.orders_spin)
        shots_row.addStretch(1)
        pick_row = QHBoxLayout()
        pick_row.addWidget(self.random_check)
        pick_row.addWidget(self.seed_spin)
        pick_row.addStretch(1)
        run_row = QHBoxLayout()
        for widget in (self.run_button, self.stop_button, self.sweep_button):
            run_row.addWidget(widget)
        run_row.addWidget(self.progress, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.confusion)
        splitter.addWidget(self.chart)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([320, 110, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(data_row)
        layout.addLayout(shots_row)
        layout.addLayout(pick_row)
        layout.addLayout(run_row)
        layout.addWidget(self.accuracy_label)
        layout.addWidget(splitter, 1)

        runner.runStarted.connect(self._run_started)
        runner.resultAdded.connect(self._result_added)
        runner.runFinished.connect(self._run_finished)
        runner.sweepRun.connect(self._sweep_run)
        runner.batchFinished.connect(self._batch_finished)

    def set_available_shots(self, enabled: int) -> None:
        """Follows the number of enabled examples; stays at "all" unless the person chose fewer."""
        follow = self._shots_follow_max
        self.shots_spin.blockSignals(True)
        self.shots_spin.setMaximum(enabled)
        if follow:
            self.shots_spin.setValue(enabled)
        self.shots_spin.blockSignals(False)

    def _shots_edited(self, value: int) -> None:
        self._shots_follow_max = value == self.shots_spin.maximum()

    def shots_seed(self) -> int | None:
        return self.seed_spin.value() if self.random_check.isChecked() else None

    def orders(self) -> int:
        return self.orders_spin.value()

    def _update_seed_enabled(self) -> None:
        self.seed_spin.setEnabled(self.random_check.isChecked() or self.orders_spin.value() > 1)

    def clear_chart(self) -> None:
        self.chart.clear()
        self.chart.setVisible(False)

    def show_run(self, run: EvalRun, note: str = "") -> None:
        """A run's results in the table, its accuracy and its confusion matrix (a saved one, from History)."""
        self.shown = run
        self.results.clear(run.rule, variable_names(run.results))
        for result in run.results:
            self.results.add(result)
        self._fit_columns(finished=True)
        self.confusion.show_run(run)
        self.accuracy_label.setText(_finished_text(run) + note)
        self.export_button.setEnabled(not self.runner.busy)

    def set_running(self, running: bool, ready: bool) -> None:
        self.run_button.setEnabled(ready and not running)
        self.sweep_button.setEnabled(ready and not running)
        self.import_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.export_button.setEnabled(not running and self.shown is not None)

    def _fit_columns(self, finished: bool = False) -> None:
        """The input takes the spare width and numbers fit their contents; answers start narrow and, once the run
        is over, fit their contents up to a limit (a generated answer can be a paragraph)."""
        header = self.table.horizontalHeader()
        for column, name in enumerate(self.results.columns()):
            if name == "Input":
                self.table.input_column = column
            elif name in ("Expected", "Output") or name.startswith("{"):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                wanted = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column)) if finished else 0
                header.resizeSection(column, min(max(wanted, 80), 160))
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.keep_input_readable()

    def _run_started(self, run: EvalRun) -> None:
        self.shown = run
        self.results.clear(run.rule, self.runner.variable_names())
        self._fit_columns()
        self.confusion.show_run(None)
        self.progress.setRange(0, max(1, self.runner.total_items))
        self.progress.setValue(0)
        position, count = self.runner.batch_position()
        of = translate("BatchPanel", " · run {position} of {count}") if count > 1 else ""
        shots = translate("BatchPanel", "{shots} examples{of} · {done}")
        self.progress.setFormat(shots.format(shots=run.shots, of=of.format(position=position, count=count),
                                             done="%v/%m"))
        self.accuracy_label.setText(translate("BatchPanel", "Running with {shots} examples…").format(shots=run.shots))

    def _result_added(self, result: ItemResult) -> None:
        self.results.add(result)
        self.progress.setValue(self.results.rowCount())
        run = self.runner.last_run()
        self.accuracy_label.setText(accuracy_text(run, self.runner.total_items))

    def _run_finished(self, run: EvalRun) -> None:
        if len(run.results) != self.results.rowCount():  # the final list is the authority
            self.show_run(run)
            return
        self.confusion.show_run(run)
        self._fit_columns(finished=True)
        self.accuracy_label.setText(_finished_text(run))

    def _sweep_run(self, run: EvalRun) -> None:
        self.chart.add_run(run)
        self.chart.setVisible(True)

    def _batch_finished(self, runs: list[EvalRun]) -> None:
        """Several runs of one k differ only in their examples' order: say how far apart they came out."""
        done = [run for run in runs if run.completed]
        if len(done) >= 2 and len({run.shots for run in runs}) == 1:
            stopped = translate("BatchPanel", " · stopped early") if len(done) < len(runs) else ""
            self.accuracy_label.setText(orders_text(done) + stopped)
