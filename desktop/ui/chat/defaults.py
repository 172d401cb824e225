"""What a new chat starts from: the system prompt and sampling the person set themselves, remembered in settings.

Opening a saved chat (from the sidebar, an import, at start) shows that chat's own system prompt and sampling: that
is Parley changing the panels, so it never becomes the defaults. What the person types or chooses does, in any chat,
and is remembered across launches.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from desktop.core.prompting.sampling import PRESETS
from desktop.core.settings import Settings
from desktop.ui.chat.prompt_panels import SystemPromptEditor
from desktop.ui.sampling.panel import SamplingPanel


class ChatDefaults(QObject):
    def __init__(self, settings: Settings, system_prompt: SystemPromptEditor, sampling: SamplingPanel,
                 model_path: Callable[[], Path | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._prompt = system_prompt
        self._sampling = sampling
        self._model_path = model_path
        self._system_prompt = settings.system_prompt  # the person's own, whatever else is written into settings
        sampling.restore(settings.sampling, settings.sampling_preset)
        sampling.edited.connect(self._remember_sampling)
        system_prompt.edit.textChanged.connect(self._prompt_changed)
        system_prompt.presets.activated.connect(lambda _index: self._remember_prompt())

    def apply(self) -> None:
        """A new chat: the person's system prompt and sampling; the model's own defaults first, where they set
        them in the model's settings (as loading a model does)."""
        path = self._model_path()
        model = self._settings.models.get(str(path)) if path is not None else None
        prompt = model.system_prompt if model is not None and model.system_prompt is not None else None
        self._prompt.set_text(self._system_prompt if prompt is None else prompt)
        self._sampling.restore(self._settings.sampling, self._settings.sampling_preset)
        if model is not None and model.sampling_preset in PRESETS:
            self._sampling.set_preset(model.sampling_preset)

    def _prompt_changed(self) -> None:
        # Typing leaves an undo step; the code's set_text (a chat opened, a model's default) clears the undo stack.
        if self._prompt.edit.document().isUndoAvailable():
            self._remember_prompt()

    def _remember_prompt(self) -> None:
        self._system_prompt = self._settings.system_prompt = self._prompt.text()

    def _remember_sampling(self) -> None:
        self._settings.sampling = dict(self._sampling.params().as_dict())
        self._settings.sampling_preset = self._sampling.preset_key()
