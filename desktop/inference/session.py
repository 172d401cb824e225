"""The one owner of the person's model: what is loaded, with which options, through which chat template.

Every page follows `modelChanged` (a load) and `templateChanged` (the person picked another template); nobody
else loads the person's model. Compare borrows another model for its columns (`borrow`) and hands the person's
model back (`give_back`) without any page reacting: the session's model never changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.core.i18n import translate
from desktop.core.models.template_choice import template_for
from desktop.core.prompting.chat_template import ChatTemplate
from desktop.core.settings import Settings
from desktop.inference.backend import EngineCapabilities, LoadedModel, LoadOptions
from desktop.inference.jobs import Job, LoadRequest, Request
from desktop.inference.worker import InferenceClient


class ModelSession(QObject):
    """The person's model, its remembered load options and its chat template, over the one job queue."""

    loading = Signal(str)  # path: the person's model started loading
    modelChanged = Signal(object)  # LoadedModel: the person's model is loaded (template already chosen)
    loadFailed = Signal(str, str)  # path, message (saying so when the built-in was opened instead)
    templateChanged = Signal(object)  # ChatTemplate: the person chose another template for the model

    def __init__(self, client: InferenceClient, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.settings = settings
        self.model: LoadedModel | None = None
        self.template: ChatTemplate | None = None
        self._options = LoadOptions()
        self._borrowed = False

    @property
    def capabilities(self) -> EngineCapabilities:
        """What the person's model's engine can do (a server may lack token probabilities or scoring)."""
        if self.model is not None and self.model.capabilities is not None:
            return self.model.capabilities
        return self.client.capabilities

    @property
    def busy(self) -> bool:
        return self.client.busy

    def submit(self, request: Request) -> Job:
        return self.client.submit(request)

    def options_for(self, path: Path) -> LoadOptions:
        """The load options the person set for this model on the Models page."""
        remembered = self.settings.for_model(path)
        return LoadOptions(n_ctx=remembered.context_length, n_gpu_layers=remembered.gpu_layers)

    def load(self, path: Path, fallback: Callable[[], Path | None] | None = None) -> Job:
        """Load path with its remembered options; when that fails before any model is loaded, load what
        fallback gives (the built-in model) instead."""
        options = self.options_for(path)
        job = self.client.submit(LoadRequest(path, options))
        job.started.connect(lambda: self.loading.emit(str(path)))
        job.result.connect(lambda model: self._loaded(model, options))
        job.failed.connect(lambda message: self._failed(path, message, fallback))
        return job

    def _loaded(self, model: LoadedModel, options: LoadOptions) -> None:
        self.model, self._options, self._borrowed = model, options, False
        self.settings.last_model = str(model.info.path)
        self.template = template_for(model.info, self.settings.for_model(model.info.path).template)
        self.modelChanged.emit(model)

    def _failed(self, path: Path, message: str, fallback: Callable[[], Path | None] | None) -> None:
        if self.model is None and fallback is not None:
            builtin = fallback()
            if builtin is not None and path != builtin:
                self.loadFailed.emit(str(path), translate(
                    "InferenceError", "{message}\n\nParley opened the built-in model instead.").format(message=message))
                self.load(builtin)
                return
        self.loadFailed.emit(str(path), message)

    def choose_template(self, key: str) -> None:
        """The person's template choice for the loaded model (remembered per model)."""
        if self.model is None:
            return
        self.settings.for_model(self.model.info.path).template = key
        self.template = template_for(self.model.info, key)
        self.templateChanged.emit(self.template)

    # --- Compare's borrowing ---------------------------------------------------------------

    def borrow(self, path: Path, options: LoadOptions | None = None) -> Job:
        """Load another model for a moment (Compare's column); the person's model stays the session's model, and
        give_back() loads it again. The job's result is the borrowed LoadedModel; a failure is the borrower's
        to show."""
        job = self.client.submit(LoadRequest(path, options or self.options_for(path)))
        job.started.connect(self._lent)  # a borrow cancelled before it started lent nothing
        return job

    def _lent(self) -> None:
        self._borrowed = True

    def template_of(self, model: LoadedModel) -> ChatTemplate:
        """The template the person chose for that model (or its own)."""
        return template_for(model.info, self.settings.for_model(model.info.path).template)

    def give_back(self) -> Job | None:
        """Load the person's model again after borrowing (None when nothing was borrowed or there is no model)."""
        if not self._borrowed or self.model is None:
            return None
        self._borrowed = False
        return self.client.submit(LoadRequest(self.model.info.path, self._options))
