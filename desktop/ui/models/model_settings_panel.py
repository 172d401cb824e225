"""Per-model settings on the Models page: context length, GPU layers (with the memory they need), default system
prompt, sampling preset."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from desktop.core.i18n import translate
from desktop.core.models.library import ModelEntry
from desktop.core.models.memory import estimate_memory, human_bytes, offload_split
from desktop.core.prompting.sampling import PRESETS, preset_name
from desktop.core.settings import DEFAULT_CONTEXT, GPU_LAYERS_ALL, ModelSettings

GPU_CHOICES = (("All layers", GPU_LAYERS_ALL), ("None: CPU only", 0), ("A number of layers", None))


def gpu_choice_text(index: int) -> str:
    return (translate("ModelSettingsPanel", "All layers"), translate("ModelSettingsPanel", "None: CPU only"),
            translate("ModelSettingsPanel", "A number of layers"))[index]


def cpu_build_tip() -> str:
    return translate("ModelSettingsPanel", "This build of llama.cpp has no GPU support (CPU build)")


def gpu_tip() -> str:
    return translate("ModelSettingsPanel",
                     "Layers offloaded to the GPU; fewer layers use less video memory and more RAM.")


class ModelSettingsPanel(QGroupBox):
    """Edits one ModelSettings in place; `changed` tells the page to recompute the memory estimate."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("ModelSettingsPanel",
                                   "Settings for the selected model (used the next time it loads)"), parent)
        self.setObjectName("modelSettingsPanel")
        self._settings: ModelSettings | None = None
        self._entry: ModelEntry | None = None
        self._gpu_build = True
        self._vram: int | None = None
        self.context = QSpinBox()
        self.context.setObjectName("modelContextSpin")
        self.context.setRange(0, DEFAULT_CONTEXT)
        self.context.setSingleStep(512)
        self.context.setSpecialValueText(translate("ModelSettingsPanel", "Default ({context})").format(
            context=DEFAULT_CONTEXT))
        self.context.setToolTip(translate("ModelSettingsPanel",
                                          "How many tokens of conversation the model can see. More needs more memory."))
        self.gpu = QComboBox()
        self.gpu.setObjectName("modelGpuLayersCombo")
        for index, (_label, value) in enumerate(GPU_CHOICES):
            self.gpu.addItem(gpu_choice_text(index), value)
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setObjectName("modelGpuLayersSpin")
        self.gpu_layers.setRange(1, 999)
        self.gpu.setToolTip(gpu_tip())
        self.gpu_layers.setToolTip(gpu_tip())
        self.estimate = QLabel()
        self.estimate.setObjectName("modelGpuEstimateLabel")
        self.estimate.setToolTip(translate("ModelSettingsPanel", "A rough estimate from the file's header: weights, "
                                           "KV cache at the context length, compute buffers."))
        self.system_prompt = QLineEdit()
        self.system_prompt.setObjectName("modelSystemPromptEdit")
        self.system_prompt.setPlaceholderText(translate("ModelSettingsPanel",
                                                        "Default system prompt for new chats with this model"))
        self.preset = QComboBox()
        self.preset.setObjectName("modelPresetCombo")
        self.preset.addItem(translate("ModelSettingsPanel", "Keep current settings"), "")
        for name in PRESETS:
            self.preset.addItem(preset_name(name), name)
        gpu_row = QHBoxLayout()
        gpu_row.addWidget(self.gpu, 1)
        gpu_row.addWidget(self.gpu_layers)
        gpu_row.addWidget(self.estimate, 2)
        form = QFormLayout(self)
        form.addRow(translate("ModelSettingsPanel", "Context length"), self.context)
        form.addRow(translate("ModelSettingsPanel", "GPU layers"), gpu_row)
        form.addRow(translate("ModelSettingsPanel", "System prompt"), self.system_prompt)
        form.addRow(translate("ModelSettingsPanel", "Sampling preset"), self.preset)
        self.context.valueChanged.connect(self._store)
        self.gpu.currentIndexChanged.connect(self._store)
        self.gpu_layers.valueChanged.connect(self._store)
        self.system_prompt.textEdited.connect(self._store)
        self.preset.currentIndexChanged.connect(self._store)
        self.edit(None)

    def set_build(self, gpu_backend: str, vram_bytes: int | None = None) -> None:
        """A CPU build cannot offload: the GPU-layers control is off and says why."""
        self._gpu_build = gpu_backend != "CPU"
        self._vram = vram_bytes
        for widget in (self.gpu, self.gpu_layers):
            widget.setEnabled(self._gpu_build)
            widget.setToolTip(gpu_tip() if self._gpu_build else cpu_build_tip())
        self._update_estimate()

    def set_entry(self, entry: ModelEntry | None) -> None:
        """The model the estimate is for (the settings themselves come through edit())."""
        self._entry = entry if entry is not None and entry.info is not None and entry.error is None else None
        layers = self._entry.info.block_count if self._entry and self._entry.info else None
        self.gpu_layers.setMaximum(layers or 999)
        self._update_estimate()

    def _layers_choice(self) -> int:
        choice = GPU_CHOICES[self.gpu.currentIndex()][1]
        return self.gpu_layers.value() if choice is None else choice

    def _update_estimate(self) -> None:
        """"≈ 1.2 GB on GPU, 0.3 GB in RAM with 13 of 26 layers", following the context and the layers."""
        entry = self._entry
        if entry is None or entry.info is None:
            self.estimate.clear()
            return
        n_ctx = min(self.context.value() or DEFAULT_CONTEXT, entry.context_length or DEFAULT_CONTEXT)
        estimate = estimate_memory(entry.info, n_ctx, entry.file_size)
        total = entry.info.block_count or 0
        layers = self._layers_choice() if self._gpu_build else 0
        gpu, ram = offload_split(estimate, layers, total)
        if not self._gpu_build:
            text = translate("ModelSettingsPanel", "≈ {ram} in RAM (CPU build)").format(ram=human_bytes(ram))
        elif layers == 0:
            text = translate("ModelSettingsPanel", "≈ {ram} in RAM, nothing on the GPU").format(ram=human_bytes(ram))
        else:
            if layers < 0 or layers >= total:
                share = (translate("ModelSettingsPanel", "all {total} layers").format(total=total) if total
                         else translate("ModelSettingsPanel", "all layers"))
            else:
                share = translate("ModelSettingsPanel", "{layers} of {total} layers").format(layers=layers, total=total)
            if ram:
                text = translate("ModelSettingsPanel", "≈ {gpu} on GPU, {ram} in RAM with {share}").format(
                    gpu=human_bytes(gpu), ram=human_bytes(ram), share=share)
            else:
                text = translate("ModelSettingsPanel", "≈ {gpu} on GPU with {share}").format(
                    gpu=human_bytes(gpu), share=share)
            if self._vram is not None and gpu * 10 > self._vram * 9:
                text += translate("ModelSettingsPanel", " · more than the {vram} of free video memory: Parley will "
                                  "load fewer").format(vram=human_bytes(self._vram))
        self.estimate.setText(text)

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
        self.preset.setCurrentIndex(max(0, self.preset.findData(current.sampling_preset or "")))
        self._settings = settings
        self._update_estimate()

    def _store(self) -> None:
        self.gpu_layers.setVisible(self.gpu.currentIndex() == 2)
        self._update_estimate()
        settings = self._settings
        if settings is None:
            return
        settings.context_length = self.context.value() or None
        settings.gpu_layers = self._layers_choice()
        settings.system_prompt = self.system_prompt.text() or None
        preset = str(self.preset.currentData() or "")
        settings.sampling_preset = preset if preset in PRESETS else None
        self.changed.emit()
