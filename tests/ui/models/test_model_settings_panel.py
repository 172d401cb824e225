"""The GPU-layers control on the Models page: the memory estimate follows the layers; a CPU build disables it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox
from pytestqt.qtbot import QtBot

from desktop.app import create_window
from desktop.core.models.gguf_file import read_model_info
from desktop.core.models.library import ModelEntry
from desktop.core.models.memory import GIB, MIB
from desktop.core.settings import GPU_LAYERS_ALL, ModelSettings
from desktop.ui.models.model_settings_panel import ModelSettingsPanel, cpu_build_tip
from tests.fakes import FakeBackend


def entry_for(model: Path) -> ModelEntry:
    return ModelEntry(model, (model,), model.stat().st_size, read_model_info(model), None, True)


def panel_for(qtbot: QtBot, model: Path, backend: str, vram: int | None = None) -> tuple[ModelSettingsPanel, int]:
    panel = ModelSettingsPanel()
    qtbot.addWidget(panel)
    panel.set_build(backend, vram)
    entry = entry_for(model)
    panel.set_entry(entry)
    panel.edit(ModelSettings(), entry.context_length)
    assert entry.info is not None and entry.info.block_count
    return panel, entry.info.block_count


def test_estimate_follows_the_gpu_layers(qtbot: QtBot, builtin_model: Path) -> None:
    settings = ModelSettings()
    panel, total = panel_for(qtbot, builtin_model, "CUDA", vram=8 * GIB)
    panel.edit(settings, 32768)
    estimate = panel.findChild(QLabel, "modelGpuEstimateLabel")
    assert panel.gpu.isEnabled() and panel.gpu_layers.maximum() == total
    assert estimate.text().startswith("≈ ") and estimate.text().endswith(f"on GPU with all {total} layers")
    panel.gpu.setCurrentIndex(2)  # a number of layers
    panel.gpu_layers.setValue(total // 2)
    assert f"in RAM with {total // 2} of {total} layers" in estimate.text() and settings.gpu_layers == total // 2
    gpu_half = estimate.text()
    panel.gpu_layers.setValue(1)
    assert estimate.text() != gpu_half and "with 1 of" in estimate.text()
    panel.gpu.setCurrentIndex(1)  # none
    assert estimate.text().endswith("in RAM, nothing on the GPU") and settings.gpu_layers == 0
    panel.gpu.setCurrentIndex(0)
    assert settings.gpu_layers == GPU_LAYERS_ALL
    before = estimate.text()
    panel.context.setValue(32768)  # a longer context needs a bigger KV cache
    assert estimate.text() != before


def test_too_little_video_memory_is_pointed_out(qtbot: QtBot, builtin_model: Path) -> None:
    panel, _total = panel_for(qtbot, builtin_model, "Vulkan", vram=64 * MIB)
    text = panel.findChild(QLabel, "modelGpuEstimateLabel").text()
    assert "more than the 67 MB of free video memory: Parley will load fewer" in text


def test_cpu_build_disables_the_control_and_says_why(qtbot: QtBot, builtin_model: Path) -> None:
    panel, _total = panel_for(qtbot, builtin_model, "CPU")
    assert panel.isEnabled()
    for name, cls in (("modelGpuLayersCombo", QComboBox), ("modelGpuLayersSpin", QSpinBox)):
        widget = panel.findChild(cls, name)
        assert not widget.isEnabled() and widget.toolTip() == cpu_build_tip()
    text = panel.findChild(QLabel, "modelGpuEstimateLabel").text()
    assert text.startswith("≈ ") and text.endswith("in RAM (CPU build)")


def test_library_page_on_this_cpu_build(qtbot: QtBot, data_dir: Path) -> None:
    window = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(window.window)
    qtbot.waitUntil(lambda: window.controller.model is not None)
    page = window.library.page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.selectRow(0)
    estimate = page.findChild(QLabel, "modelGpuEstimateLabel").text()
    assert estimate.endswith("in RAM (CPU build)")  # this machine's llama-cpp-python has no GPU backend
    assert not page.settings_panel.gpu.isEnabled()
    page.table.clearSelection()
    assert page.findChild(QLabel, "modelGpuEstimateLabel").text() == ""
    window.window.close()
