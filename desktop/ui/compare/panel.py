"""The Compare page: one prompt, two to four configurations side by side, saved as experiments.

Every column starts from the chat's sampling settings with one shared seed, so a difference between two
outputs comes from the setting that was changed, not from chance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.i18n import translate
from desktop.core.instruments.experiment import MAX_COLUMNS, MIN_COLUMNS, ColumnResult, Experiment
from desktop.core.prompting.sampling import RANGES, SamplingParams
from desktop.inference.backend import LoadedModel
from desktop.inference.session import ModelSession
from desktop.ui.compare.column import CompareColumn
from desktop.ui.compare.column_row import ColumnRow
from desktop.ui.compare.files import ExperimentFiles, showing_text
from desktop.ui.compare.presets import base_vs_instruct
from desktop.ui.compare.runner import ColumnJob, CompareRunner, model_name
from desktop.ui.fewshot.runner import fixed_seed
from desktop.ui.theme import ERROR_TEXT
from desktop.ui.widgets import named_button, plain_label, tab_moves_focus

DEFAULT_SEED = 42


def reloading_text() -> str:
    return translate("ComparePanel", "Loading the chat's model {name} again…")


def hint() -> str:
    return translate("ComparePanel",
                     "Every column starts from the chat's sampling settings and the same seed, so any difference "
                     "between outputs comes from what you change. Columns run one after another; another model is "
                     "loaded only for its column.")


class ComparePanel(QWidget):
    """Follows the session's model (what "Current model" means) and the job queue (a run waits while another
    page's work runs); its runner borrows other models through the session, so the chat never notices."""

    busyChanged = Signal(bool)  # a run started or ended
    experimentSaved = Signal(object)  # Path of the written file

    def __init__(self, session: ModelSession, params: Callable[[], SamplingParams],
                 library_paths: Callable[[], list[Path]], experiments_dir: Path, hashes_file: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparePanel")
        self.session = session
        self.chat_params = params  # the chat's sampling settings: where untouched columns start
        self.library_paths = library_paths
        self.experiments_dir = Path(experiments_dir)
        self._pristine = True  # nothing edited or run yet: columns follow the chat's settings when shown
        self._run: Experiment | None = None  # the run in progress
        self._last: Experiment | None = None  # what Save writes: the last run, or the experiment opened

        self.runner = CompareRunner(session, self)
        self.files = ExperimentFiles(self.experiments_dir, hashes_file, self)
        self.row = ColumnRow(self._defaults, DEFAULT_SEED, self)  # the columns, added once the layout is built
        self.prompt_edit = tab_moves_focus(QPlainTextEdit())
        self.prompt_edit.setObjectName("comparePrompt")
        self.prompt_edit.setPlaceholderText(translate("ComparePanel", "The prompt every configuration answers"))
        self.prompt_edit.setMaximumHeight(80)
        self.shared_seed = QSpinBox()
        self.shared_seed.setObjectName("compareSharedSeed")
        self.shared_seed.setRange(0, int(RANGES["seed"].high))
        self.shared_seed.setValue(DEFAULT_SEED)
        self.shared_seed.setToolTip(translate("ComparePanel", "The seed every column uses unless you give it its own."))
        self.hint = QLabel(hint())
        self.hint.setObjectName("compareHint")
        self.hint.setWordWrap(True)
        self.add_button = named_button("compareAddButton", translate("ComparePanel", "Add configuration"),
                                       translate("ComparePanel", "Up to {n} columns").format(n=MAX_COLUMNS))
        self.run_button = named_button("compareRunButton", translate("ComparePanel", "Run all"),
                                       translate("ComparePanel", "Run every column, one after another"))
        self.stop_button = named_button("compareStopButton", translate("ComparePanel", "Stop"),
                                        translate("ComparePanel", "Stop the column that is running"))
        self.preset_button = named_button(
            "compareBaseVsInstructButton", translate("ComparePanel", "Base vs instruction-tuned"),
            translate("ComparePanel", "A ready experiment: one prompt to both built-in models, same settings"))
        self.save_button = named_button("compareSaveButton", translate("ComparePanel", "Save experiment…"),
                                        translate("ComparePanel", "Keep the prompt, the settings and the outputs"))
        self.open_combo = self.files.open_combo
        self.message = plain_label(name="compareMessage")  # messages quote file and model names
        self.message.setWordWrap(True)
        self.message.hide()

        top = QHBoxLayout()
        top.addWidget(QLabel(translate("ComparePanel", "Seed for all")))
        top.addWidget(self.shared_seed)
        top.addWidget(self.add_button)
        top.addStretch(1)
        for widget in (self.run_button, self.stop_button, self.save_button, self.open_combo):
            top.addWidget(widget)
        layout = QVBoxLayout(self)
        prompt_row = QHBoxLayout()  # the ready experiment beside the prompt it fills, so the page fits 1024 pixels
        prompt_row.addWidget(QLabel(translate("ComparePanel", "Prompt")), 1)
        prompt_row.addWidget(self.preset_button)
        layout.addLayout(prompt_row)
        layout.addWidget(self.prompt_edit)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addLayout(self.row.box, 1)

        self.shared_seed.valueChanged.connect(self.row.follow_seed)
        self.row.removeRequested.connect(self.remove_configuration)
        self.row.edited.connect(self._edited)
        self.add_button.clicked.connect(self.add_configuration)
        self.preset_button.clicked.connect(self.base_vs_instruct)
        self.run_button.clicked.connect(self.run_all)
        self.stop_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self._ask_save)
        self.files.chosen.connect(self.open_experiment)
        r = self.runner
        r.columnLoading.connect(lambda i, name: self.columns[i].show_status(
            translate("ComparePanel", "Loading {name}…").format(name=name)))
        r.columnStarted.connect(lambda i: self.columns[i].show_status(translate("ComparePanel", "Generating…")))
        r.columnText.connect(lambda i, text: self.columns[i].append(text))
        r.columnFinished.connect(self._column_finished)
        r.reloading.connect(lambda name: self.show_message(reloading_text().format(name=name), error=False))
        r.failed.connect(self.show_message)
        r.finished.connect(self._run_finished)
        session.modelChanged.connect(self._model_changed)
        session.client.busyChanged.connect(self._update_buttons)
        self.files.message.connect(self.show_message)
        self.files.saved.connect(self.experimentSaved)
        for _ in range(MIN_COLUMNS):
            self.row.add()
        self.refresh_models()  # the session may have its model already
        self.refresh_experiments()
        self._update_buttons()

    # --- state from outside ----------------------------------------------------------------------------------

    @property
    def model(self) -> LoadedModel | None:
        """The chat's model: what "Current model" means (its template is the session's)."""
        return self.session.model

    def _model_changed(self, _model: LoadedModel) -> None:
        if not self.runner.running:
            self.refresh_models()
        self._update_buttons()

    def is_busy(self) -> bool:
        return self.runner.running

    def shutdown(self) -> None:
        """Stops background hashing; the app calls it on quitting."""
        self.files.shutdown()

    def last_experiment(self) -> Experiment | None:
        return self._last

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setStyleSheet(f"color: {ERROR_TEXT};" if error else "")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.runner.running:
            self.refresh_models()
            self.refresh_experiments()
            if self._pristine:
                self.row.set_params(self._defaults())

    def refresh_models(self) -> None:
        try:
            paths = [Path(p) for p in self.library_paths()]
        except OSError:
            paths = []
        name = model_name(self.model.info.path) if self.model is not None else ""
        self.row.set_models(name, paths)

    # --- columns (held by self.row) ---------------------------------------------------------------------------

    @property
    def columns(self) -> list[CompareColumn]:
        return self.row.columns

    def _defaults(self) -> SamplingParams:
        return self.chat_params().with_changes(seed=self.shared_seed.value())

    def add_configuration(self) -> bool:
        if len(self.columns) >= MAX_COLUMNS or self.runner.running:
            return False
        self.row.add()
        self.refresh_models()
        self._update_buttons()
        return True

    def base_vs_instruct(self) -> bool:
        """Two columns, one per built-in model, same prompt and settings: what instruction tuning changes."""
        if self.runner.running:
            return False
        try:
            paths = [Path(p) for p in self.library_paths()]
        except OSError:
            paths = []
        preset = base_vs_instruct(paths, self._defaults())
        if isinstance(preset, str):
            self.show_message(preset)
            return False
        self._set_column_count(len(preset.configs))
        self.row.set_configs(preset.configs)
        self.prompt_edit.setPlainText(preset.prompt)
        self._pristine = False
        self._last = None
        self.show_message(preset.explanation, error=False)
        self._update_buttons()
        return True

    def remove_configuration(self, column: CompareColumn) -> bool:
        if len(self.columns) <= MIN_COLUMNS or self.runner.running or column not in self.columns:
            return False
        self.row.remove(column)
        self._last = None  # the outputs no longer match the columns
        self._update_buttons()
        return True

    def _set_column_count(self, count: int) -> None:
        self.row.set_count(count)
        self.refresh_models()

    def _edited(self) -> None:
        self._pristine = False

    # --- running -----------------------------------------------------------------------------------------------

    def run_all(self) -> bool:
        if self.model is None or self.session.template is None:
            self.show_message(translate("ComparePanel", "Load a model first."))
            return False
        if self.runner.running or self.session.busy:
            self.show_message(translate("ComparePanel", "The model is busy; wait for it or press Stop."))
            return False
        prompt = self.prompt_edit.toPlainText()
        if not prompt.strip():
            self.show_message(translate("ComparePanel", "Type a prompt first: every column answers the same one."))
            return False
        configs = [replace(c, params=fixed_seed(c.params)) for c in (col.config() for col in self.columns)]
        chat_path = Path(self.model.info.path)
        jobs = [ColumnJob(i, c, Path(c.model) if c.model else chat_path) for i, c in enumerate(configs)]
        for column in self.columns:
            column.clear_output()
            column.show_status(translate("ComparePanel", "Waiting…"))
        self._pristine = False
        self._run = Experiment(name="", prompt=prompt, configs=configs)
        self.show_message("")
        self.busyChanged.emit(True)  # before the run, which ends at once when no column can start
        self.runner.run(prompt, jobs)
        self._update_buttons()
        return True

    def stop(self) -> None:
        self.runner.stop()

    def _column_finished(self, index: int, result: ColumnResult) -> None:
        self.columns[index].show_result(result)
        if self._run is not None:
            self._run.results[index] = result

    def _run_finished(self) -> None:
        self._last, self._run = self._run, None
        if self._last is not None:
            self.files.saver.prepare(self._last)  # after the run, so hashing never slows a column's tokens/s
        if self.message.text().startswith(reloading_text().split("{name}")[0]):
            self.show_message("")
        self.refresh_models()
        self._update_buttons()
        self.busyChanged.emit(False)

    # --- saving and opening (on disk through self.files) ---------------------------------------------------------

    def _ask_save(self) -> None:
        name = self.files.ask_name(self._last.name) if self._last is not None else None
        if name is not None:
            self.save_experiment(name)

    def save_experiment(self, name: str) -> None:
        """Saves once the model files' SHA-256 are known (hashed in the background); experimentSaved says where."""
        if self._last is None:
            self.show_message(translate("ComparePanel", "Run the columns first: there is nothing to save yet."))
            return
        self.files.save(self._last, name)

    def refresh_experiments(self) -> None:
        self.files.refresh()

    def open_experiment(self, path: Path) -> bool:
        """Shows a saved experiment's prompt, settings and outputs again, without running anything."""
        if self.runner.running:
            return False
        experiment = self.files.load(path)
        if experiment is None:
            return False
        self._set_column_count(len(experiment.configs))
        self.prompt_edit.setPlainText(experiment.prompt)
        self.row.show_saved(experiment.configs, experiment.results)
        self._pristine = False
        self._last = experiment
        self.show_message(showing_text(experiment), error=False)
        self._update_buttons()
        return True

    # --- buttons ------------------------------------------------------------------------------------------------

    def _update_buttons(self, *_busy: bool) -> None:
        """Also on the queue's busy signal: Run waits while another page's work (or a load) is under way."""
        running = self.runner.running
        self.run_button.setEnabled(self.model is not None and not running and not self.session.busy)
        self.stop_button.setEnabled(running)
        self.add_button.setEnabled(not running and len(self.columns) < MAX_COLUMNS)
        self.save_button.setEnabled(not running and self._last is not None)
        self.open_combo.setEnabled(not running)
        self.shared_seed.setEnabled(not running)
        self.row.set_editable(not running)

