"""The Few-shot page: edit a template on the left; preview, try and score it on the right, and look back at
every saved run on the History tab.

The page follows the session's model and chat template, and its own jobs (token counts, the Try answer, one
evaluation per run). While the queue is busy with someone else's work (a reply, a scoring, a load) it waits.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.fewshot.dataset import ColumnMapping, DataError
from desktop.core.fewshot.runs import RunStore
from desktop.core.fewshot.scoring import EvalRun, sweep_shots
from desktop.core.fewshot.template import FewShotError, FewShotTemplate, final_prompt
from desktop.core.i18n import translate
from desktop.core.models.builtin import is_base_builtin
from desktop.core.prompting.chat_template import ChatTemplate
from desktop.inference.backend import GenerationRequest, LoadedModel
from desktop.inference.evaluation import stop_strings
from desktop.inference.session import ModelSession
from desktop.ui.fewshot.batch import BatchPanel
from desktop.ui.fewshot.counting import TokenCounter
from desktop.ui.fewshot.data_files import DataFiles
from desktop.ui.fewshot.editor import TemplateEditor, labels_problem
from desktop.ui.fewshot.examples import ExamplesModel
from desktop.ui.fewshot.files import TemplateFiles
from desktop.ui.fewshot.history import HistoryPanel
from desktop.ui.fewshot.preview import MessageBar, PreviewPanel, TryPanel
from desktop.ui.fewshot.runner import EvalRunner, plan_batch
from desktop.ui.fewshot.settings import BaseModelSuggestion, RunSettings
from desktop.ui.theme import bar_style
from desktop.ui.widgets import plain_label, scrolls_down

PREVIEW_DELAY_MS = 250


class FewShotPage(QWidget):
    busyChanged = Signal(bool)  # the page's own work (a Try answer, a batch of runs) started or ended
    baseModelRequested = Signal()  # the person accepted the suggestion to load the built-in base model

    def __init__(self, session: ModelSession, templates_dir: Path,
                 user_templates_dir: Path | None = None, runs_dir: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fewShotWorkbench")
        self.session = session
        self.settings = RunSettings()  # the page's own: temperature 0, short answers, a shown seed
        self.store = RunStore(runs_dir) if runs_dir is not None else None  # every finished run is saved here
        self.model: LoadedModel | None = None
        self.chat_template: ChatTemplate | None = None
        self._busy = False
        self._preview_error = ""

        self.counter = TokenCounter(session, self)
        self.examples = ExamplesModel(self.counter.count_example, self)
        self.counter.exampleCounted.connect(self.examples.tokens_counted)
        self.counter.promptCounted.connect(self._on_counted)
        self.editor = TemplateEditor(self.examples)
        self.runner = EvalRunner(session, self.store, self)
        self.batch = BatchPanel(self.runner)
        self.history = HistoryPanel(self.store)
        self.message = MessageBar()

        self.preview = PreviewPanel()
        self.trial = TryPanel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("fewShotTabs")
        self.tabs.addTab(self.preview, translate("FewShotPage", "Preview"))
        self.tabs.addTab(self.trial, translate("FewShotPage", "Try"))
        self.results_tab = scrolls_down(self.batch)  # with the sweep chart shown it is taller than a 640-pixel window
        self.tabs.addTab(self.results_tab, translate("FewShotPage", "Results"))
        self.tabs.addTab(self.history, translate("FewShotPage", "History"))
        scroll = scrolls_down(self.editor)
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(self.tabs)
        splitter.setSizes([560, 620])
        self.suggestion = BaseModelSuggestion()
        self.suggestion.use_button.clicked.connect(self.baseModelRequested)
        self.engine_note = plain_label(name="engineReproducibilityNote")  # a server that cannot promise it
        self.engine_note.setWordWrap(True)
        self.engine_note.setStyleSheet(bar_style("#engineReproducibilityNote", "warning"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.suggestion)
        layout.addWidget(self.message)
        layout.addWidget(self.engine_note)
        layout.addWidget(self.settings)
        layout.addWidget(splitter, 1)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.editor.changed.connect(self._preview_timer.start)

        self.data = DataFiles(self.editor, self.batch, self.runner, self)
        self.data.message.connect(self.show_message)
        self.data.testSetLoaded.connect(self._test_set_loaded)
        self.trial.run_button.clicked.connect(self.run_once)
        self.trial.failed.connect(self.show_message)
        self.trial.ended.connect(self._update_busy)
        b = self.batch
        b.run_button.clicked.connect(self.run_batch)
        b.stop_button.clicked.connect(self.stop)
        b.sweep_button.clicked.connect(lambda: self.run_sweep(self.examples.enabled_count(), b.shots_seed()))

        session.modelChanged.connect(self._follow_session)
        session.templateChanged.connect(self._follow_session)
        session.client.busyChanged.connect(self._queue_busy)
        self.runner.busyChanged.connect(lambda _busy: self._update_busy())
        self.runner.failed.connect(self.show_message)
        self.runner.runSaved.connect(self._run_saved)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.history.runOpened.connect(self._open_saved_run)
        self.history.failed.connect(self.show_message)
        self.files = TemplateFiles(self.editor, templates_dir, user_templates_dir, self)
        self.files.message.connect(self.show_message)
        self.files.loaded.connect(self.refresh_preview)
        self.set_model(session.model, session.template)

    # --- state from outside -----------------------------------------------------------------

    def set_model(self, model: LoadedModel | None, chat_template: ChatTemplate | None) -> None:
        """The model and chat template the prompts are for: the preview and token costs depend on both."""
        if model is None or self.model is None or model.info.path != self.model.info.path:
            self.examples.clear_token_cache()
        self.model, self.chat_template = model, chat_template
        self.suggestion.setVisible(model is not None and not is_base_builtin(model.info.path))
        engine = model.capabilities if model is not None else None
        self.engine_note.setText(engine.reproducible_note if engine and not engine.reproducible else "")
        self.engine_note.setVisible(bool(self.engine_note.text()))
        self.refresh_preview()

    def _follow_session(self, _changed: object) -> None:
        """A model loaded, or the person chose another chat template for it."""
        self.set_model(self.session.model, self.session.template)

    def _queue_busy(self, _busy: bool) -> None:
        self._update_buttons()

    def is_busy(self) -> bool:
        return self._busy

    @property
    def waiting(self) -> bool:
        """The model is busy with someone else's work (a reply, a scoring, a load): runs wait until it is done."""
        return self.session.busy and not self._busy

    def template(self) -> FewShotTemplate:
        return self.editor.template()

    def last_run(self) -> EvalRun | None:
        return self.runner.last_run()

    def shown_run(self) -> EvalRun | None:
        """The run on the Results tab: the last one made, or one reopened from History."""
        return self.batch.shown

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.show_message(text, error)

    # --- templates ------------------------------------------------------------------------------

    def load_template_file(self, path: Path) -> bool:
        return self.files.load(path)

    def save_template_file(self, path: Path) -> bool:
        return self.files.save(path)

    # --- data files (read and written by self.data) --------------------------------------------

    def import_examples(self, path: Path, mapping: ColumnMapping | None = None) -> bool:
        return self.data.import_examples(path, mapping)

    def import_test_set(self, path: Path, mapping: ColumnMapping | None = None) -> bool:
        return self.data.import_test_set(path, mapping)

    def _test_set_loaded(self) -> None:
        self._show_problem(self._labels_problem())  # still blocks the run: say so again
        self._update_buttons()

    def export_results(self, path: Path) -> bool:
        return self.data.export_results(path)

    # --- preview ------------------------------------------------------------------------------------

    def refresh_preview(self) -> None:
        self._preview_timer.stop()
        self.editor.refresh_token_costs()
        self.batch.set_available_shots(self.examples.enabled_count())
        self._update_buttons()
        try:
            text = final_prompt(self.template(), self.editor.variable_values(), self.chat_template)
        except FewShotError as exc:
            self.preview.show_error(str(exc))
            self._show_problem(str(exc))
            return
        self.preview.show_prompt(text)
        self.counter.count_prompt(text)
        self._show_problem(self._labels_problem())

    def _on_counted(self, count: int) -> None:
        self.preview.show_token_count(count, self.model.n_ctx if self.model else None)

    def _labels_problem(self) -> str:
        """What blocks a "Most likely answer" run (its labels, or an engine without log-probabilities), or ""."""
        if not self.editor.is_likelihood():
            return ""
        if not self.session.capabilities.scores_continuations:
            return translate("FewShotPage", "{engine} does not return log-probabilities, so it cannot score "
                             "by \u201cMost likely answer\u201d. Choose a rule that reads the generated text.").format(
                engine=self.session.capabilities.name)
        return labels_problem(self.template())

    def _show_problem(self, problem: str) -> None:
        """A problem with the template as typed; cleared once the person fixes it."""
        if problem:
            self.show_message(problem)
        elif self._preview_error and self.message.text() == self._preview_error:
            self.show_message("")
        self._preview_error = problem

    # --- running ----------------------------------------------------------------------------------------

    def run_once(self) -> None:
        if not self._can_run():
            return
        template = self.template()
        try:
            prompt = final_prompt(template, self.editor.variable_values(), self.chat_template)
        except FewShotError as exc:
            self.show_message(str(exc))
            return
        self.tabs.setCurrentWidget(self.trial)
        stop = stop_strings(template, self.chat_template)
        self.trial.show_job(self.session.submit(GenerationRequest(prompt, self.settings.params(), stop)))
        self._update_busy()

    def run_batch(self) -> None:
        seed = self.batch.shots_seed()
        self._start_runs([self.batch.shots_spin.value()], seed, sweep=False)

    def run_sweep(self, max_shots: int, seed: int | None = None) -> None:
        self.batch.clear_chart()
        self._start_runs(sweep_shots(max_shots), seed, sweep=True)

    def _start_runs(self, shots: list[int], seed: int | None, sweep: bool) -> None:
        """One plan per shot count (and example order), all with the same drawn sampling seed so only the
        examples differ."""
        if not self._can_run():
            return
        test_set = self.data.test_set
        if test_set is None:
            self.show_message(translate("FewShotPage", "Import a test set first: a file with inputs and expected "
                                                     "answers."))
            return
        template = self.template()
        problem = self._labels_problem()
        if problem:
            self.show_message(problem)
            return
        orders = self.batch.orders()
        if orders > 1 and seed is None:
            seed = self.batch.seed_spin.value()
        assert self.model is not None
        try:
            plans = plan_batch(template, test_set, self.settings.params(), self.chat_template, self.model,
                               shots=shots, seed=seed, orders=orders, sweep=sweep, calibrate=self.editor.calibrate())
        except (DataError, FewShotError) as exc:
            self.show_message(str(exc))
            return
        self.show_message("")
        if orders > 1 and shots == [0]:
            self.show_message(translate("FewShotPage", "Zero examples have no order to vary, so the test set runs "
                                                     "once."), error=False)
        self.tabs.setCurrentWidget(self.results_tab)
        self.runner.run(plans)

    def stop(self) -> None:
        if self.runner.busy:
            self.runner.stop()
        elif self.trial.job is not None:
            self.trial.job.cancel()

    # --- saved runs ------------------------------------------------------------------------------------

    def _run_saved(self, _path: Path) -> None:
        self.history.mark_stale()
        if self.tabs.currentWidget() is self.history:
            self.history.refresh()

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.history:
            self.history.refresh_if_stale()

    def _open_saved_run(self, run: EvalRun, note: str) -> None:
        if self.runner.busy:
            self.show_message(translate("FewShotPage", "A run is in progress; open saved runs when it has finished."))
            return
        self.batch.show_run(run, note)
        self.tabs.setCurrentWidget(self.results_tab)

    # --- buttons and busy state -------------------------------------------------------------------------

    def _can_run(self) -> bool:
        if self.model is None:
            self.show_message(translate("FewShotPage", "Load a model first."))
            return False
        if self._busy or self.waiting:
            self.show_message(translate("FewShotPage", "The model is busy; wait for it or press Stop."))
            return False
        return True

    def _update_busy(self) -> None:
        busy = self.trial.job is not None or self.runner.busy
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = self.model is not None and not self._busy and not self.waiting
        self.trial.run_button.setEnabled(idle)
        ready = idle and self.data.test_set is not None and not self._labels_problem()
        self.batch.set_running(self.runner.busy, ready)
        self.batch.stop_button.setEnabled(self._busy)

