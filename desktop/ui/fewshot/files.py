"""Where the template in the editor lives on disk: Open, Save (to the same file), Save as, and the samples."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.core.fewshot.scoring import LIKELIHOOD
from desktop.core.fewshot.template import FewShotError, load_template, save_template
from desktop.core.i18n import translate
from desktop.ui.fewshot.editor import TemplateEditor, labels_problem


class TemplateFiles(QObject):
    loaded = Signal()  # a template from a file is now in the editor
    message = Signal(str, bool)  # text ("" clears), error

    def __init__(self, editor: TemplateEditor, samples_dir: Path, user_dir: Path | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.editor = editor
        self.samples_dir = Path(samples_dir)  # the shipped samples (read-only)
        self.user_dir = user_dir  # where the person's own templates are saved
        self.path: Path | None = None  # where Save writes; None for new or sample templates
        self._window = parent
        editor.open_button.clicked.connect(self.open_dialog)
        editor.new_button.clicked.connect(self._new)
        editor.save_button.clicked.connect(self.save_or_ask)
        editor.save_as_button.clicked.connect(self.save_as_dialog)
        editor.sample_combo.activated.connect(self._sample_chosen)
        editor.fill_samples(self.samples_dir)

    def _new(self) -> None:
        """The editor is already empty (its own handler ran first): Save must ask where, and the preview follow."""
        self.path = None
        self.message.emit("", True)
        self.loaded.emit()

    def _sample_chosen(self, index: int) -> None:
        path = self.editor.sample_combo.itemData(index)
        self.editor.sample_combo.setCurrentIndex(0)
        if path and self.load(Path(path)):
            self.path = None  # Save asks where: never overwrite a bundled sample

    def load(self, path: Path) -> bool:
        try:
            template = load_template(Path(path))
        except FewShotError as exc:
            self.message.emit(str(exc), True)
            return False
        self.editor.set_template(template)
        self.path = Path(path)
        self.message.emit("", True)
        self.loaded.emit()
        return True

    def save(self, path: Path) -> bool:
        template = self.editor.template()
        problem = labels_problem(template)
        if problem and template.scoring == LIKELIHOOD:
            self.message.emit(problem, True)
            return False
        if problem:  # unused by this rule, and a file holding them would not open again
            template = replace(template, labels=[])
        try:
            saved = save_template(template, Path(path))
        except FewShotError as exc:
            self.message.emit(str(exc), True)
            return False
        self.editor.set_version(saved.version)
        self.path = Path(path)
        saved_text = translate("TemplateFiles", "Saved {file} (version {version})")
        self.message.emit(saved_text.format(file=Path(path).name, version=saved.version), False)
        return True

    def open_dialog(self) -> None:
        start = str(self.path.parent if self.path else self.user_dir or self.samples_dir)
        path, _ = QFileDialog.getOpenFileName(self._window, translate("TemplateFiles", "Open a few-shot template"),
                                              start, translate("TemplateFiles", "Few-shot templates (*.json)"))
        if path:
            self.load(Path(path))

    def save_or_ask(self) -> None:
        if self.path is None:
            self.save_as_dialog()
        else:
            self.save(self.path)

    def save_as_dialog(self) -> None:
        suggested = f"{self.editor.template().name}.json"
        if self.user_dir is not None:
            self.user_dir.mkdir(parents=True, exist_ok=True)
            suggested = str(self.user_dir / suggested)
        path, _ = QFileDialog.getSaveFileName(self._window, translate("TemplateFiles", "Save the few-shot template"),
                                              suggested,
                                              translate("TemplateFiles", "Few-shot templates (*.json)"))
        if path:
            self.save(Path(path))
