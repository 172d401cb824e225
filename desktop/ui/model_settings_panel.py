"""Per-model settings on the Models page: context length, GPU layers, default system prompt, sampling preset."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from desktop.core.sampling import PRESETS
from desktop.core.settings import DEFAULT_CONTEXT, GPU_LAYERS_ALL, ModelSettings

NO_PRESET = "Keep current settings"
GPU_CHOICES = (("All layers (GPU build)", GPU_LAYERS_ALL), ("None: CPU only", 0), ("A number of layers", None))


class ModelSettingsPanel(QGroupBox):
    """Edits one ModelSettings in place; `changed` tells the page to recompute the memory estimate."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Settings for the selected model (used the next time it loads)", parent)
        self.setObjectName("modelSettingsPanel")
        self._settings: ModelSettings | None = None
        self.context = QSpinBox()
        self.context.setObjectName("modelContextSpin")
        self.context.setRange(0, DEFAULT_CONTEXT)
        self.context.setSingleStep(512)
        self.context.setSpecialValueText(f"Default ({DEFAULT_CONTEXT})")
        self.context.setToolTip("How many tokens of conversation the model can see. More needs more memory.")
        self.gpu = QComboBox()
        self.gpu.setObjectName("modelGpuLayersCombo")
        for label, _value in GPU_CHOICES:
            self.gpu.addItem(label)
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setObjectName("modelGpuLayersSpin")
        self.gpu_layers.setRange(1, 999)
        self.gpu.setToolTip("Layers offloaded to the GPU on a GPU build; fewer layers use less video memory.")
        self.system_prompt = QLineEdit()
        self.system_prompt.setObjectName("modelSystemPromptEdit")
        self.system_prompt.setPlaceholderText("Default system prompt for new chats with this model")
        self.preset = QComboBox()
        self.preset.setObjectName("modelPresetCombo")
        self.preset.addItems([NO_PRESET, *PRESETS])
        gpu_row = QHBoxLayout()
        gpu_row.addWidget(self.gpu, 1)
        gpu_row.addWidget(self.gpu_layers)
        form = QFormLayout(self)
        form.addRow("Context length", self.context)
        form.addRow("GPU layers", gpu_row)
        form.addRow("System prompt", self.system_prompt)
        form.addRow("Sampling preset", self.preset)
        self.context.valueChanged.connect(self._store)
        self.gpu.currentIndexChanged.connect(self._store)
        self.gpu_layers.valueChanged.connect(self._store)
        self.system_prompt.textEdited.connect(self._store)
        self.preset.currentIndexChanged.connect(self._store)
        self.edit(None)

    def edit(self, settings: ModelSettings | None, trained_context: int | None = None) -> None:
        """Show `settings` (None: nothing selected, panel disabled)."""
        self._settings = None  # no stores while the widgets are filled in
        self.setEnabled(settings is not None)
        current = settings or ModelSettings()
        self.context.setMaximum(max(trained_context or DEFAULT_CONTEXT, 512))
        self.context.setValue(current.context_length or 0)
        layers = current.gpu_layers
        self.gpu.setCurrentIndex(0 if layers in (None, GPU_LAYERS_ALL) else 1 if layers == 0 else 2)
        self.gpu_layers.setValue(layers if layers and layers > 0 else 1)
        self.gpu_layers.setVisible(self.gpu.currentIndex() == 2)
        self.system_prompt.setText(current.system_prompt or "")
        self.preset.setCurrentText(current.sampling_preset or NO_PRESET)
        self._settings = settings

    def _store(self) -> None:
        self.gpu_layers.setVisible(self.gpu.currentIndex() == 2)
        settings = self._settings
        if settings is None:
            return
        settings.context_length = self.context.value() or None
        choice = GPU_CHOICES[self.gpu.currentIndex()][1]
        settings.gpu_layers = self.gpu_layers.value() if choice is None else choice
        settings.system_prompt = self.system_prompt.text() or None
        preset = self.preset.currentText()
        settings.sampling_preset = preset if preset in PRESETS else None
        self.changed.emit()
