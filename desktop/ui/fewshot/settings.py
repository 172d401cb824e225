"""The few-shot page's own run settings (temperature, max new tokens and seed, shown and recorded with each run),
and its suggestion of the base model.

Not the chat's sampling panel: a score should not change because the chat was set to Creative on another page.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFrame, QHBoxLayout, QLabel, QSpinBox, QWidget

from desktop.core.i18n import translate
from desktop.core.models.builtin import BASE_NAME
from desktop.core.prompting.sampling import (
    EVAL_MAX_TOKENS,
    EVAL_SEED,
    EVAL_TEMPERATURE,
    RANGES,
    SamplingParams,
    eval_params,
)
from desktop.ui.widgets import named_button


class RunSettings(QWidget):
    """Temperature 0 (greedy) by default, so a run gives the same answers each time; the seed matters above 0."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fewShotRunSettings")
        self.temperature = QDoubleSpinBox()
        self.temperature.setObjectName("fewShotTemperatureSpin")
        self.temperature.setRange(RANGES["temperature"].low, RANGES["temperature"].high)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(2)
        self.temperature.setValue(EVAL_TEMPERATURE)
        self.temperature.setToolTip(translate("RunSettings",
                                              "0 always takes the likeliest token (greedy), so every run gives "
                                              "the same answers. Above 0 the answer is drawn, with the seed."))
        self.max_tokens = QSpinBox()
        self.max_tokens.setObjectName("fewShotMaxTokensSpin")
        self.max_tokens.setRange(1, 4096)
        self.max_tokens.setValue(EVAL_MAX_TOKENS)
        self.max_tokens.setToolTip(translate("RunSettings",
                                             "The longest answer, in tokens. Labels and short answers need few."))
        self.seed = QSpinBox()
        self.seed.setObjectName("fewShotSeedSpin")
        self.seed.setRange(0, int(RANGES["seed"].high))
        self.seed.setValue(EVAL_SEED)
        self.seed.setToolTip(translate("RunSettings",
                                       "Seeds the draw when the temperature is above 0; recorded with every run."))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for text, widget in ((translate("RunSettings", "Temperature"), self.temperature),
                             (translate("RunSettings", "Max new tokens"), self.max_tokens),
                             (translate("RunSettings", "Seed"), self.seed)):
            label = QLabel(text)
            label.setBuddy(widget)
            layout.addWidget(label)
            layout.addWidget(widget)
            widget.valueChanged.connect(self.changed)
        layout.addStretch(1)

    def params(self) -> SamplingParams:
        return eval_params(self.temperature.value(), self.max_tokens.value(), self.seed.value())

    def set_params(self, params: SamplingParams) -> None:
        """Show a reopened run's settings."""
        self.temperature.setValue(params.temperature)
        self.max_tokens.setValue(params.max_tokens)
        if params.seed >= 0:
            self.seed.setValue(params.seed)


class BaseModelSuggestion(QFrame):
    """Shown while another model is loaded: few-shot prompting is what base models are for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fewShotBaseSuggestion")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        text = QLabel(translate("BaseModelSuggestion", "Few-shot prompts suit a base model best: it continues the "
                                "pattern your examples set. The built-in {model} is one.").format(model=BASE_NAME))
        text.setWordWrap(True)
        self.use_button = named_button(
            "fewShotUseBaseButton", translate("BaseModelSuggestion", "Use {model}").format(model=BASE_NAME),
            translate("BaseModelSuggestion", "Load the built-in base model {model} (the chat uses it too)").format(
                model=BASE_NAME))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(text, 1)
        layout.addWidget(self.use_button)
        self.hide()
