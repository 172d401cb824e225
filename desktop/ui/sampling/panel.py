"""Sampling controls: each slider has a number box and a plain-words tooltip; values apply to the next reply."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QSlider,
    QSpinBox,
    QWidget,
)

from desktop.core.i18n import translate
from desktop.core.prompting.probabilities import DEFAULT_ALTERNATIVES, MAX_ALTERNATIVES
from desktop.core.prompting.sampling import PRESETS, RANDOM_SEED, RANGES, SamplingParams, preset_name
from desktop.inference.backend import EngineCapabilities

CUSTOM = "Custom"  # the preset key of values that match no preset (keys stay English: they are saved)


def tips() -> dict[str, str]:
    """Each setting's tooltip, in the person's language."""
    return {
        "temperature": translate("SamplingPanel", "How adventurous the word choice is. 0 always picks the most "
                                 "likely next token; higher values flatten the odds so unlikely words get picked "
                                 "more often."),
        "top_p": translate("SamplingPanel", "Keep only the smallest set of likely tokens whose probabilities add up "
                           "to this share, then pick among them. 1 keeps everything."),
        "top_k": translate("SamplingPanel", "Pick only among this many most likely tokens. 0 turns the limit off."),
        "min_p": translate("SamplingPanel", "Drop tokens less likely than this fraction of the most likely token's "
                           "probability."),
        "repeat_penalty": translate("SamplingPanel", "Makes tokens that appeared recently less likely, to avoid "
                                    "loops. 1 means no penalty."),
        "max_tokens": translate("SamplingPanel", "The longest reply, in tokens, before generation stops by itself."),
        "seed": translate("SamplingPanel", "Fixes the random choices so the same prompt and settings give the same "
                          "reply. 'Random' uses a new seed every time."),
    }


class _Tips(Mapping[str, str]):
    """TIPS["top_p"]: the tooltip in the language of the moment (read when used, not at import)."""

    def __getitem__(self, key: str) -> str:
        return tips()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(tips())

    def __len__(self) -> int:
        return len(tips())


TIPS: Mapping[str, str] = _Tips()


class _SliderWithBox(QWidget):
    """A slider over a float range, kept in step with a spin box (the box holds the exact value)."""

    valueChanged = Signal(float)
    STEPS = 200

    def __init__(self, name: str, low: float, high: float, decimals: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._low, self._high = low, high
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, self.STEPS)
        self.slider.setObjectName(f"{name}Slider")
        self.box = QDoubleSpinBox()
        self.box.setRange(low, high)
        self.box.setDecimals(decimals)
        self.box.setSingleStep(10 ** -decimals * 5)
        self.box.setObjectName(f"{name}Spin")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.box)
        self.slider.valueChanged.connect(self._from_slider)
        self.box.valueChanged.connect(self._from_box)

    def value(self) -> float:
        return float(self.box.value())

    def setValue(self, value: float) -> None:
        self.box.setValue(value)

    def setToolTip(self, text: str) -> None:
        super().setToolTip(text)
        self.slider.setToolTip(text)
        self.box.setToolTip(text)

    def _from_slider(self, step: int) -> None:
        value = self._low + (self._high - self._low) * step / self.STEPS
        if abs(value - self.box.value()) >= (self._high - self._low) / self.STEPS / 2:
            self.box.setValue(value)

    def _from_box(self, value: float) -> None:
        step = round((value - self._low) / (self._high - self._low) * self.STEPS)
        self.slider.blockSignals(True)
        self.slider.setValue(step)
        self.slider.blockSignals(False)
        self.valueChanged.emit(value)


class SamplingPanel(QWidget):
    changed = Signal()  # any change, the code's (a saved chat opened) or the person's
    edited = Signal()  # the person changed a value or chose a preset: what Parley remembers as their own

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("samplingPanel")
        self.preset = QComboBox()
        self.preset.setObjectName("samplingPresetCombo")
        for key in (*PRESETS, CUSTOM):
            self.preset.addItem(preset_name(key), key)
        self.preset.setToolTip(translate("SamplingPanel",
                                         "Starting points: Precise for facts and code, Creative for stories."))

        self.temperature = _SliderWithBox("temperature", RANGES["temperature"].low, RANGES["temperature"].high, 2)
        self.top_p = _SliderWithBox("topP", RANGES["top_p"].low, RANGES["top_p"].high, 2)
        self.top_k = self._int_spin("topKSpin", "top_k")
        self.top_k.setSpecialValueText(translate("SamplingPanel", "Off"))
        self.min_p = QDoubleSpinBox()
        self.min_p.setObjectName("minPSpin")
        self.min_p.setRange(RANGES["min_p"].low, RANGES["min_p"].high)
        self.min_p.setDecimals(2)
        self.min_p.setSingleStep(0.01)
        self.repeat_penalty = QDoubleSpinBox()
        self.repeat_penalty.setObjectName("repeatPenaltySpin")
        self.repeat_penalty.setRange(RANGES["repeat_penalty"].low, RANGES["repeat_penalty"].high)
        self.repeat_penalty.setDecimals(2)
        self.repeat_penalty.setSingleStep(0.05)
        self.max_tokens = self._int_spin("maxTokensSpin", "max_tokens")
        self.seed = self._int_spin("seedSpin", "seed")
        self.seed.setSpecialValueText(translate("SamplingPanel", "Random"))

        # Token probabilities: recorded per generated token; costs a little speed (see `make bench`).
        # Parented at once: added first to a layout without a parent, PySide counted them as owned by Python too,
        # and a garbage collection on the inference thread deleted them a second time (a crash seen in tests).
        self.record_probabilities = QCheckBox(translate("SamplingPanel", "Record top"), self)
        self.record_probabilities.setObjectName("probabilitiesCheck")
        self.record_probabilities.setChecked(False)  # off: chat at full speed; “Token probabilities” turns it on
        self.record_probabilities.setToolTip(translate("SamplingPanel",
            "Keep, for every generated token, how likely it was and the most likely alternatives. "
            "Show them with “Token probabilities” under the chat."))
        self.alternatives = QSpinBox(self)
        self.alternatives.setObjectName("alternativesSpin")
        self.alternatives.setRange(1, MAX_ALTERNATIVES)
        self.alternatives.setValue(DEFAULT_ALTERNATIVES)
        self.alternatives.setToolTip(translate(
            "SamplingPanel", "How many of the likeliest alternatives to keep for each generated token."))
        self.alternatives.setEnabled(False)
        self.record_probabilities.toggled.connect(self.alternatives.setEnabled)
        probabilities = QHBoxLayout()
        probabilities.setContentsMargins(0, 0, 0, 0)
        probabilities.addWidget(self.record_probabilities)
        probabilities.addWidget(self.alternatives, 1)

        form = QFormLayout(self)
        self._form = form
        form.addRow(translate("SamplingPanel", "Preset"), self.preset)
        rows = (
            (translate("SamplingPanel", "Temperature"), self.temperature, "temperature"),
            ("Top-p", self.top_p, "top_p"),
            ("Top-k", self.top_k, "top_k"),
            ("Min-p", self.min_p, "min_p"),
            (translate("SamplingPanel", "Repeat penalty"), self.repeat_penalty, "repeat_penalty"),
            (translate("SamplingPanel", "Max new tokens"), self.max_tokens, "max_tokens"),
            (translate("SamplingPanel", "Seed"), self.seed, "seed"),
        )
        self._controls: dict[str, QWidget] = {}
        for label, widget, key in rows:
            widget.setToolTip(tips()[key])
            form.addRow(label, widget)
            self._controls[key] = widget
        form.addRow(translate("SamplingPanel", "Probabilities"), probabilities)

        self._applying = False
        self.set_params(PRESETS["Balanced"])
        self.set_preset("Balanced")
        self.preset.currentIndexChanged.connect(lambda index: self._apply_preset(self.preset.itemData(index)))
        self.preset.activated.connect(lambda _index: self.edited.emit())  # after _apply_preset: only the person
        for signal in (
            self.temperature.valueChanged,
            self.top_p.valueChanged,
            self.top_k.valueChanged,
            self.min_p.valueChanged,
            self.repeat_penalty.valueChanged,
            self.max_tokens.valueChanged,
            self.seed.valueChanged,
        ):
            signal.connect(self._edited)

    @staticmethod
    def _int_spin(name: str, key: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(int(RANGES[key].low), int(RANGES[key].high))
        return spin

    def set_capabilities(self, capabilities: EngineCapabilities | None) -> None:
        """Grey out, with the reason as the tooltip, each setting the model's engine ignores (a server's may);
        None (a model on this computer) enables them all."""
        for key, widget in self._controls.items():
            note = capabilities.unsupported_note(key) if capabilities is not None else ""
            widget.setEnabled(not note)
            widget.setToolTip(note or tips()[key])
            label = self._form.labelForField(widget)
            if label is not None:
                label.setEnabled(not note)
                label.setToolTip(note)

    def preset_key(self) -> str:
        """The chosen preset's key (English, as settings store it): a name in PRESETS, or CUSTOM."""
        return str(self.preset.currentData())

    def set_preset(self, key: str) -> None:
        """Choose a preset by its key (its values apply, as when the person chooses it); unknown keys are ignored."""
        index = self.preset.findData(key)
        if index >= 0:
            self.preset.setCurrentIndex(index)

    def alternatives_count(self) -> int:
        """Alternatives to record per generated token; 0 when recording is off."""
        return self.alternatives.value() if self.record_probabilities.isChecked() else 0

    def params(self) -> SamplingParams:
        return SamplingParams(
            temperature=round(self.temperature.value(), 2),
            top_p=round(self.top_p.value(), 2),
            top_k=self.top_k.value(),
            min_p=round(self.min_p.value(), 2),
            repeat_penalty=round(self.repeat_penalty.value(), 2),
            max_tokens=self.max_tokens.value(),
            seed=self.seed.value() if self.seed.value() != RANDOM_SEED else RANDOM_SEED,
        )

    def set_params(self, params: SamplingParams) -> None:
        self._applying = True
        try:
            self.temperature.setValue(params.temperature)
            self.top_p.setValue(params.top_p)
            self.top_k.setValue(params.top_k)
            self.min_p.setValue(params.min_p)
            self.repeat_penalty.setValue(params.repeat_penalty)
            self.max_tokens.setValue(params.max_tokens)
            self.seed.setValue(params.seed)
        finally:
            self._applying = False
        self._show_matching_preset()
        self.changed.emit()

    def restore(self, values: Mapping[str, float], preset: str) -> None:
        """Put back what the person had (Settings.sampling and .sampling_preset); what is unknown, of the wrong
        kind or out of range leaves Parley's defaults."""
        base = PRESETS.get(preset, PRESETS["Balanced"])
        known = {k: v for k, v in values.items() if k in RANGES}
        params = base
        with contextlib.suppress(TypeError, ValueError):  # SamplingError is a ValueError
            params = base.with_changes(**known)
        self.set_params(params)

    def _show_matching_preset(self) -> None:
        """The preset the values are (max new tokens and seed aside), else Custom; without applying it again."""
        params = self.params()
        match = next(
            (name for name, p in PRESETS.items()
             if p.with_changes(max_tokens=params.max_tokens, seed=params.seed) == params),
            CUSTOM,
        )
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData(match))
        self.preset.blockSignals(False)

    def _apply_preset(self, name: str) -> None:
        if name in PRESETS:
            current = self.params()
            self.set_params(PRESETS[name].with_changes(max_tokens=current.max_tokens, seed=current.seed))

    def _edited(self) -> None:
        if self._applying:
            return
        self._show_matching_preset()
        self.changed.emit()
        self.edited.emit()
