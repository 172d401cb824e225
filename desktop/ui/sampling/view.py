"""Sampling view: one next-token step as bars, showing what temperature and the cut-offs do to the model's odds.

Per token three bars: the model's own probability (temperature 1), the whole list at the chosen temperature,
and what the draw really uses (cut-offs on the model's odds, then temperature over the kept tokens).
Settings changes recompute the full-vocabulary maths at most every ~30 ms, so dragging a slider stays smooth.
"""

from __future__ import annotations

import html
from dataclasses import asdict

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from desktop.core.i18n import number, translate
from desktop.core.prompting.probabilities import (
    NextTokenDistribution,
    SamplingStages,
    entropy_bits,
    sampling_stages,
    softmax,
)
from desktop.core.prompting.sampling import SamplingParams
from desktop.ui.sampling.chart import (
    FINAL_COLOUR,
    RAW_COLOUR,
    TEMPERED_COLOUR,
    BarChart,
    BarRow,
    cut_reason,
    readable_token,
)
from desktop.ui.sampling.panel import SamplingPanel
from desktop.ui.theme import bar_style
from desktop.ui.widgets import named_button, plain_label

COUNTS = (10, 20, 40)
REFRESH_MS = 30


def busy_text() -> str:
    return translate("SamplingView", "Computing…")


def empty_text() -> str:
    return translate("SamplingView", "Click a word in a reply (with token probabilities on) to see how that token "
                     "was picked, or press “Next token after the prompt”.")


def explanation() -> str:
    return translate("SamplingView", "The cut-offs drop unlikely tokens (grey) by the model's own odds, temperature "
                     "reshapes the rest, and the draw picks by the blue bars.")


class SamplingView(QWidget):
    """One next-token step through the sampler; follows the sampling settings live."""

    promptDistributionRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("samplingView")
        self._distribution: NextTokenDistribution | None = None
        self._params = SamplingParams()
        self._logits: npt.NDArray[np.float64] = np.zeros(0)
        self._raw: npt.NDArray[np.float64] = np.zeros(0)
        self._order: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._chosen_rank = 0
        self._entropy = 0.0
        self._stages: SamplingStages | None = None
        self._rows: list[BarRow] | None = None
        self._panel: SamplingPanel | None = None

        title = QLabel("<b>" + translate("SamplingView", "Next-token sampling") + "</b>")
        self.count_combo = QComboBox()
        self.count_combo.setObjectName("samplingCountCombo")
        self.count_combo.addItems([str(c) for c in COUNTS])
        self.count_combo.setCurrentText("20")
        self.count_combo.setToolTip(translate("SamplingView", "How many of the likeliest tokens to show"))
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(QLabel(translate("SamplingView", "Show")))
        header.addWidget(self.count_combo)

        self.message = plain_label(name="samplingMessage")
        self.message.setWordWrap(True)
        self.empty = QLabel(empty_text())
        self.empty.setObjectName("samplingEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(placeholder-text); padding: 16px;")

        self.caption = self._label("samplingCaption")
        self.counts = self._label("samplingCounts")
        self.legend = self._label("samplingLegend")
        self.caption.setToolTip(translate(
            "SamplingView", "Uncertainty is the entropy of the model's odds: 0 bits when it is "
                                          "certain, log2(n) bits when it spreads evenly over n tokens."))
        self.legend.setToolTip(translate(
            "SamplingView", "Grey-blue: the model's own odds. Orange: the same at the chosen "
                                         "temperature. Blue: what the draw really uses, after top-k, top-p and "
                                         "min-p and temperature."))
        self.explanation = self._label("samplingExplanation", explanation())
        self.explanation.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
        self.chart = BarChart()
        scroll = QScrollArea()
        scroll.setObjectName("samplingScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.chart)
        scroll.setMinimumHeight(160)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.caption, self.counts, self.legend):
            content_layout.addWidget(widget)
        content_layout.addWidget(scroll, 1)
        content_layout.addWidget(self.explanation)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(content)

        self.prompt_button = named_button(
            "samplingPromptButton", translate("SamplingView", "Next token after the prompt"),
            translate("SamplingView", "Show what the model would say first, given the current conversation"))
        self.prompt_button.clicked.connect(self.promptDistributionRequested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.prompt_button)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._apply)
        self.count_combo.currentTextChanged.connect(self._count_changed)
        self._show_message("")

    @staticmethod
    def _label(name: str, text: str = "") -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        return label

    # --- public API ------------------------------------------------------------------------------------

    def follow(self, panel: SamplingPanel) -> None:
        """Track a sampling panel: take its settings now and on every change."""
        self._panel = panel
        panel.changed.connect(self._panel_changed)  # a bound slot: disconnected if this view goes first
        self.set_params(panel.params())

    def _panel_changed(self) -> None:
        if self._panel is not None:
            self.set_params(self._panel.params())

    def params(self) -> SamplingParams:
        return self._params

    def distribution(self) -> NextTokenDistribution | None:
        return self._distribution

    def set_params(self, params: SamplingParams) -> None:
        """New settings: the maths and the repaint happen together, at most every REFRESH_MS."""
        if params == self._params:
            return
        self._params = params
        self._stages = None
        self._rows = None
        if not self._timer.isActive():
            self._timer.start()

    def set_distribution(self, distribution: NextTokenDistribution | None) -> None:
        """Show a new step (None: back to the empty state). Bad logits give a message, never an exception."""
        self.prompt_button.setEnabled(True)
        self._stages, self._rows, self._distribution = None, None, None
        if distribution is None:
            self._show_message("")
            self._apply()
            return
        logits = np.asarray(distribution.logits, dtype=np.float64).ravel()
        if logits.size == 0 or np.isnan(logits).any() or np.isposinf(logits).any() or not np.isfinite(logits).any():
            self._show_message(translate(
                "SamplingView", "The model returned no usable probabilities for this step."), error=True)
            self._apply()
            return
        self._show_message("")
        self._distribution = distribution
        self._logits = logits
        self._raw = softmax(logits)
        self._entropy = entropy_bits(self._raw)
        # display order = the sampler's own ranking: most likely first, ties by lowest token id
        shown = min(max(COUNTS), logits.size)
        kth = self._raw[np.argpartition(-self._raw, shown - 1)[shown - 1]]
        candidates = np.flatnonzero(self._raw >= kth)
        self._order = candidates[np.lexsort((candidates, -self._raw[candidates]))][:shown].astype(np.int64)
        chosen = distribution.chosen
        if 0 <= chosen < logits.size:
            value = self._raw[chosen]
            self._chosen_rank = int((self._raw > value).sum() + (self._raw[:chosen] == value).sum()) + 1
        else:
            self._chosen_rank = 0
        self._apply()

    def set_busy(self, busy: bool) -> None:
        """While a distribution is being computed: say so and stop the button from queueing another."""
        self.prompt_button.setEnabled(not busy)
        if busy or self.message.text() == busy_text():
            self._show_message(busy_text() if busy else "")

    def set_message(self, text: str) -> None:
        """An error or notice above the chart ("" clears it)."""
        self.prompt_button.setEnabled(True)
        self._show_message(text, error=bool(text))

    def rows(self) -> list[dict[str, object]]:
        """The bars shown (most likely first; a chosen token from further down comes last), as plain dicts."""
        return [asdict(row) for row in self._current_rows()]

    def cutoff_row(self) -> int | None:
        """Index in rows() of the first token the cut-offs removed (the dashed line sits above it)."""
        return next((i for i, row in enumerate(self._current_rows()) if not row.kept), None)

    def cutoff_label(self) -> str:
        rows = self._current_rows()
        index = self.cutoff_row()
        if index is None:
            return ""
        reason = rows[index].cut_by
        if reason == "greedy":
            return translate("SamplingView", "temperature 0: greedy")
        return translate("SamplingView", "{cut} cut-off").format(cut=reason)  # top-k, top-p, min-p: names

    # --- internals -------------------------------------------------------------------------------------

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(bar_style("#samplingMessage", "error" if error else "info", "4px"))
        self.message.setVisible(bool(text))

    def _count(self) -> int:
        return int(self.count_combo.currentText())

    def _current_stages(self) -> SamplingStages | None:
        if self._distribution is None:
            return None
        if self._stages is None:
            self._stages = sampling_stages(self._logits, self._params)
        return self._stages

    def _current_rows(self) -> list[BarRow]:
        if self._rows is not None:
            return self._rows
        stages = self._current_stages()
        if stages is None or self._distribution is None:
            return []
        ids = [int(i) for i in self._order[: self._count()]]
        ranks = list(range(1, len(ids) + 1))
        chosen = self._distribution.chosen
        if self._chosen_rank > len(ids):
            ids.append(chosen)
            ranks.append(self._chosen_rank)
        temperature = self._params.temperature
        self._rows = [
            BarRow(readable_token(self._distribution.text(i), i), i, float(stages.raw[i]), float(stages.tempered[i]),
                   float(stages.final[i]), bool(stages.kept[i]), rank, i == chosen,
                   "" if stages.kept[i] else cut_reason(rank, stages, temperature) or "min-p")
            for i, rank in zip(ids, ranks, strict=True)
        ]
        return self._rows

    def _count_changed(self) -> None:
        self._rows = None
        self._apply()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._apply()

    def _apply(self) -> None:
        """Push the current rows and captions to the screen (skipped while hidden; showEvent catches up)."""
        self._timer.stop()
        if self._distribution is None:
            self.stack.setCurrentWidget(self.empty)
            self.chart.set_rows([], None, None, "", self._params.temperature)
            return
        self.stack.setCurrentIndex(1)
        if not self.isVisible():
            return
        rows = self._current_rows()
        stages = self._current_stages()
        assert stages is not None
        gap = self._count() if len(rows) > self._count() else None
        self.chart.set_rows(rows, gap, self.cutoff_row(), self.cutoff_label(), self._params.temperature)
        self._update_captions(stages)

    def _update_captions(self, stages: SamplingStages) -> None:
        assert self._distribution is not None
        params = self._params
        context = self._distribution.context or translate("SamplingView", "Next token")
        groups = [f"<b>{html.escape(context)}</b>",
                  translate("SamplingView", "uncertainty {bits} bits").format(bits=f"{self._entropy:.2f}")]
        if self._chosen_rank > 0:
            groups.append(translate("SamplingView", "chosen: rank {rank}").format(rank=self._chosen_rank))
        self.caption.setText(" · ".join([groups[0], *(_nowrap(g) for g in groups[1:])]))  # a long context wraps
        if params.temperature <= 0:
            self.counts.setText(translate(
                "SamplingView", "Temperature 0: always the likeliest token (the cut-offs are skipped)"))
        else:
            top_k = (translate("SamplingView", "Kept {count} after top-k (off)") if params.top_k <= 0
                     else translate("SamplingView", "Kept {count} after top-k"))
            top_k = top_k.format(count=number(stages.after_top_k))
            groups = [top_k, translate("SamplingView", "{count} after top-p").format(count=number(stages.after_top_p)),
                      translate("SamplingView", "{count} after min-p").format(count=number(stages.after_min_p))]
            self.counts.setText(" · ".join(_nowrap(g) for g in groups))
        items = [(RAW_COLOUR, "■", translate("SamplingView", "model (T=1)")),
                 (TEMPERED_COLOUR, "■", translate(
                     "SamplingView", "all at T={temperature}").format(temperature=f"{params.temperature:.2f}")),
                 (FINAL_COLOUR, "■", translate("SamplingView", "draw, after cut-offs"))]
        if self._chosen_rank > 0:
            items.append((FINAL_COLOUR, "▶", translate("SamplingView", "chosen")))
        self.legend.setText(" &nbsp; ".join(
            f'<span style="color:{colour.name()};">{mark}</span>&nbsp;{_nowrap(text)}' for colour, mark, text in items))


def _nowrap(text: str) -> str:
    """Plain text that never wraps inside: non-breaking spaces and hyphens (Qt would break "top-p" at its hyphen)."""
    return text.replace(" ", "\u00a0").replace("-", "\u2011")
