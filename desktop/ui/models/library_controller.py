"""Library behaviour: adding (copy or reference in place), removing, revealing and loading models.

What these actions run into is said on the Models page (`notify`, the page's message bar), where they happen."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.core.i18n import translate
from desktop.core.models.gguf_file import GGUFError, read_model_info
from desktop.core.models.library import ModelEntry
from desktop.core.models.memory import human_bytes
from desktop.core.os_reason import os_reason
from desktop.core.settings import Settings
from desktop.ui.models.library_page import LibraryPage
from desktop.ui.widgets import confirm as ask_yes


class LibraryController(QObject):
    def __init__(self, page: LibraryPage, models_dir: Path, settings: Settings,
                 load: Callable[[Path], None], notify: Callable[[str, bool], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.page = page
        self.models_dir = models_dir
        self.settings = settings
        self._load = load
        self._notify = notify
        self._parent = parent
        page.loadRequested.connect(self._load)
        page.addRequested.connect(self.choose_files)
        page.removeRequested.connect(self.remove)
        page.revealRequested.connect(self.reveal)
        page.selectionChanged.connect(self._edit_settings)

    def _edit_settings(self, entry: ModelEntry | None) -> None:
        usable = entry is not None and entry.error is None and entry.info is not None
        self.page.settings_panel.edit(self.settings.for_model(entry.path) if usable and entry else None,
                                      entry.context_length if entry else None)

    def folders(self) -> list[Path]:
        return [self.models_dir, *(Path(f) for f in self.settings.extra_model_folders)]

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self._parent, translate("LibraryController", "Add GGUF models"), str(Path.home()),
            translate("LibraryController", "GGUF models (*.gguf)"))
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: Sequence[Path], copy: bool | None = None) -> None:
        """Validate each file first; then copy it into the library or reference its folder in place."""
        self._notify("", False)  # an earlier message is about an earlier action
        good: list[Path] = []
        for path in paths:
            try:
                read_model_info(path)
            except GGUFError as exc:
                self._notify(str(exc), True)
                continue
            good.append(path)
        if not good:
            return
        if copy is None:
            copy = self._ask_copy(good)
            if copy is None:
                return
        for path in good:
            if copy:
                target = self.models_dir / path.name
                if target.exists():
                    self._notify(translate("LibraryController", "{name} is already in the library; nothing was copied.")
                                 .format(name=path.name), False)
                    continue
                partial = target.with_name(target.name + ".partial")
                try:
                    shutil.copyfile(path, partial)
                    partial.replace(target)
                except OSError as exc:
                    if partial.is_file():
                        partial.unlink(missing_ok=True)
                    self._notify(translate("LibraryController", "{name} could not be copied into the library "
                                           "({reason}). Check that {folder} is writable and has room.").format(
                        name=path.name, reason=os_reason(exc), folder=self.models_dir), True)
            elif str(path.parent) not in self.settings.extra_model_folders and path.parent != self.models_dir:
                self.settings.extra_model_folders.append(str(path.parent))
        self.page.refresh()

    def _ask_copy(self, paths: Sequence[Path]) -> bool | None:
        size = human_bytes(sum(p.stat().st_size for p in paths))
        count = len(paths)  # a plain name: lupdate skips a call whose count is an expression
        question = translate("LibraryController", "Add %n model file(s) ({size}) by copying them into Parley's "
                             "models folder, or use them where they are?", None, count).format(size=size)
        box = QMessageBox(QMessageBox.Icon.Question, translate("LibraryController", "Add models"), question,
                          parent=self._parent)
        copy = box.addButton(translate("LibraryController", "Copy into library"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(translate("LibraryController", "Use in place"), QMessageBox.ButtonRole.ActionRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is cancel:
            return None
        return box.clickedButton() is copy

    def remove(self, entry: ModelEntry, confirm: bool = True) -> None:
        if confirm:
            question = translate("LibraryController", "Delete {name} ({size}) from disk? This cannot be undone.")
            question = question.format(name=entry.path.name, size=human_bytes(entry.file_size))
            title = translate("LibraryController", "Remove model")
            if not ask_yes(self._parent, title, question):  # the name is shown as it is, never as HTML
                return
        try:
            for shard in entry.shards:
                shard.unlink(missing_ok=True)
        except OSError as exc:
            self._notify(translate("LibraryController", "{name} could not be deleted ({reason}).").format(
                name=entry.path.name, reason=os_reason(exc)), True)
        self.page.refresh()

    def reveal(self, entry: ModelEntry) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(entry.path.parent)))
