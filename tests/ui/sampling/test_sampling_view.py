"""The sampling view: bars that follow the sampling settings, the cut-off line, the empty state and the button."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

import desktop.ui.sampling.view as sampling_view_module
from desktop.core.prompting.probabilities import NextTokenDistribution, sampling_stages
from desktop.core.prompting.sampling import SamplingParams
from desktop.ui.sampling.chart import BarChart, readable_token
from desktop.ui.sampling.panel import SamplingPanel
from desktop.ui.sampling.view import SamplingView

VOCAB = 300
OPEN = SamplingParams(temperature=1.0, top_k=0, top_p=1.0, min_p=0.0)


def distribution(chosen: int = 2) -> NextTokenDistribution:
    """Token i has logit 5 - 0.25 i (a falling staircase), a few odd texts, the rest unnamed."""
    logits = np.array([5.0 - 0.25 * i for i in range(VOCAB)], dtype=np.float32)
    texts = {i: f" w{i}" for i in range(30)}
    texts.update({1: "\n", 3: "", 4: "The"})
    return NextTokenDistribution(logits, texts, "Token 3 of the reply", chosen)


@pytest.fixture
def view(qtbot: QtBot) -> SamplingView:
    widget = SamplingView()
    qtbot.addWidget(widget)
    widget.resize(300, 500)
    return widget


def shown(qtbot: QtBot, view: SamplingView) -> BarChart:
    view.show()
    qtbot.waitExposed(view)
    chart = view.findChild(BarChart, "samplingChart")
    assert chart is not None
    return chart


def test_rows_follow_the_sampler_maths(qtbot: QtBot, view: SamplingView) -> None:
    params = SamplingParams(temperature=0.7, top_k=40, top_p=0.95, min_p=0.1)
    view.set_params(params)
    view.set_distribution(distribution())
    shown(qtbot, view)  # captions are filled in only while visible
    rows = view.rows()
    stages = sampling_stages(distribution().logits, params)
    assert len(rows) == 20
    assert [r["token_id"] for r in rows] == list(range(20))
    for row in rows:
        token = int(row["token_id"])  # type: ignore[call-overload]
        assert row["raw"] == pytest.approx(stages.raw[token])
        assert row["tempered"] == pytest.approx(stages.tempered[token])
        assert row["final"] == pytest.approx(stages.final[token])
        assert row["kept"] == bool(stages.kept[token])
    assert [r["text"] for r in rows[:5]] == ["·w0", "⏎", "·w2", "#3", "The"]
    assert [r["chosen"] for r in rows].index(True) == 2
    assert sum(float(r["final"]) for r in rows) == pytest.approx(1.0)  # every kept token is shown
    # each token is e^-0.25 as likely as the one before: top-p 0.95 keeps 12, min-p 0.1 (e^-2.3) only 10
    assert (stages.after_top_k, stages.after_top_p, stages.after_min_p) == (40, 12, 10)
    assert view.cutoff_row() == 10
    assert view.cutoff_label() == "min-p cut-off"
    counts = view.findChild(QLabel, "samplingCounts").text().replace("\u00a0", " ").replace("\u2011", "-")
    assert counts == "Kept 40 after top-k · 12 after top-p · 10 after min-p"


def test_readable_token_texts() -> None:
    assert readable_token(" a b", 1) == "·a·b"
    assert readable_token("\n\n", 2) == "⏎⏎"
    assert readable_token("\t", 3) == "→"
    assert readable_token("", 42) == "#42"
    assert readable_token("\x00", 5) == "\\x00"


def test_raising_the_temperature_flattens_and_repaints(qtbot: QtBot, view: SamplingView) -> None:
    view.set_params(OPEN.with_changes(temperature=0.5))
    view.set_distribution(distribution())
    chart = shown(qtbot, view)
    before = view.rows()
    painted = chart.paint_count
    view.set_params(OPEN.with_changes(temperature=1.5))
    after = view.rows()
    spread = [float(r[0]["tempered"]) / float(r[-1]["tempered"]) for r in (before, after)]  # type: ignore[arg-type]
    assert spread[1] < spread[0]
    assert float(after[0]["tempered"]) < float(before[0]["tempered"])  # type: ignore[arg-type]
    assert [r["raw"] for r in after] == [r["raw"] for r in before]  # the model's own odds do not move
    qtbot.waitUntil(lambda: chart.paint_count > painted and chart.temperature == 1.5, timeout=2000)
    assert "T=1.50" in view.findChild(QLabel, "samplingLegend").text()


def test_settings_changes_are_coalesced(qtbot: QtBot, view: SamplingView, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dragging a slider sends many changes: the full-vocabulary maths runs once per refresh, not once each."""
    view.set_distribution(distribution())
    chart = shown(qtbot, view)
    calls: list[SamplingParams] = []

    def counting(logits: np.ndarray, params: SamplingParams):  # type: ignore[no-untyped-def]
        calls.append(params)
        return sampling_stages(logits, params)

    monkeypatch.setattr(sampling_view_module, "sampling_stages", counting)
    for step in range(1, 11):
        view.set_params(OPEN.with_changes(temperature=step / 10))
    assert calls == []
    qtbot.waitUntil(lambda: chart.temperature == 1.0, timeout=2000)
    assert calls == [OPEN.with_changes(temperature=1.0)]


def test_lowering_top_p_moves_the_cut_off_up(view: SamplingView) -> None:
    view.set_distribution(distribution())
    view.set_params(OPEN)
    assert view.cutoff_row() is None  # nothing cut: no line
    view.set_params(OPEN.with_changes(top_p=0.95))
    wide = view.cutoff_row()
    view.set_params(OPEN.with_changes(top_p=0.5))
    narrow = view.cutoff_row()
    assert wide is not None and narrow is not None and narrow < wide
    assert view.cutoff_label() == "top-p cut-off"
    rows = view.rows()
    assert all(r["kept"] for r in rows[:narrow]) and not any(r["kept"] for r in rows[narrow:])
    assert all(float(r["final"]) == 0.0 for r in rows[narrow:])  # type: ignore[arg-type]
    view.set_params(OPEN.with_changes(top_k=3))
    assert (view.cutoff_row(), view.cutoff_label()) == (3, "top-k cut-off")
    view.set_params(OPEN.with_changes(temperature=0.0))
    assert (view.cutoff_row(), view.cutoff_label()) == (1, "temperature 0: greedy")


def test_count_combo_and_a_chosen_token_from_further_down(view: SamplingView) -> None:
    view.set_distribution(distribution(chosen=15))
    combo = view.findChild(QComboBox, "samplingCountCombo")
    combo.setCurrentText("10")
    rows = view.rows()
    assert len(rows) == 11  # the top 10, then the chosen token in its own row
    assert (rows[-1]["token_id"], rows[-1]["rank"], rows[-1]["chosen"]) == (15, 16, True)
    combo.setCurrentText("40")
    assert len(view.rows()) == 40
    assert [r["token_id"] for r in view.rows() if r["chosen"]] == [15]


def test_tooltip_names_the_token_and_its_three_chances(qtbot: QtBot, view: SamplingView) -> None:
    view.set_params(OPEN.with_changes(temperature=0.5, top_k=2))
    view.set_distribution(distribution())
    chart = shown(qtbot, view)
    first = chart.row_at(chart.row_top(0) + 5)
    assert first == 0
    tip = chart.tooltip_for(0)
    row = view.rows()[0]
    assert "·w0" in tip and "token id 0" in tip
    for key in ("raw", "tempered", "final"):
        assert f"{float(row[key]) * 100:.2f}%" in tip  # type: ignore[arg-type]
    assert "Removed by top-k" in chart.tooltip_for(2)
    assert "chosen" in chart.tooltip_for(2)
    assert chart.row_at(-5) is None


def test_empty_state_and_bad_logits(view: SamplingView) -> None:
    empty = view.findChild(QLabel, "samplingEmpty")
    assert "Click a word in a reply" in empty.text()
    assert view.stack.currentWidget() is empty
    assert view.rows() == [] and view.cutoff_row() is None
    view.set_distribution(distribution())
    assert view.stack.currentWidget() is not empty
    view.set_distribution(None)
    assert view.stack.currentWidget() is empty and view.rows() == []
    broken = NextTokenDistribution(np.array([1.0, np.nan], dtype=np.float32), {})
    view.set_distribution(broken)
    message = view.findChild(QLabel, "samplingMessage")
    assert not message.isHidden() and "no usable probabilities" in message.text()
    assert view.rows() == []


def test_button_busy_and_messages(qtbot: QtBot, view: SamplingView) -> None:
    button = view.findChild(QPushButton, "samplingPromptButton")
    assert button.text() == "Next token after the prompt"
    with qtbot.waitSignal(view.promptDistributionRequested, timeout=1000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    message = view.findChild(QLabel, "samplingMessage")
    view.set_busy(True)
    assert not button.isEnabled() and message.text() == "Computing…" and not message.isHidden()
    view.set_busy(False)
    assert button.isEnabled() and message.isHidden()
    view.set_message("The model is busy with a reply.")
    assert not message.isHidden() and message.text() == "The model is busy with a reply."
    view.set_busy(False)  # does not hide an error
    assert not message.isHidden()
    view.set_distribution(distribution())
    assert message.isHidden()


def test_follows_the_sampling_panel(view: SamplingView) -> None:
    panel = SamplingPanel()
    view.follow(panel)
    assert view.params() == panel.params()
    panel.top_p.setValue(0.5)
    assert view.params().top_p == 0.5


def test_grab_renders(qtbot: QtBot, view: SamplingView, tmp_path: Path) -> None:
    view.set_params(SamplingParams(temperature=0.8, top_k=40, top_p=0.9, min_p=0.05))
    view.set_distribution(distribution(chosen=25))
    shown(qtbot, view)
    image = view.grab()
    assert not image.isNull() and image.width() >= 250
    assert image.save(str(tmp_path / "sampling_view.png"))
    counts = view.findChild(QLabel, "samplingCounts").text().replace("\u00a0", " ")
    assert "after top‑k" in counts and "after min‑p" in counts  # non-breaking spaces and hyphens
    assert view.minimumSizeHint().width() <= 320


def test_tooltip_shows_a_token_that_looks_like_markup_as_text(qtbot: QtBot, view: SamplingView) -> None:
    """Token text comes from the model file's vocabulary: `<img src=…>` is shown, never rendered (or loaded)."""
    import dataclasses

    from PySide6.QtGui import QTextDocument

    view.set_distribution(distribution())
    chart = shown(qtbot, view)
    chart.rows[0] = dataclasses.replace(chart.rows[0], text='<img src="file:///etc/hostname">')
    document = QTextDocument()
    document.setHtml(chart.tooltip_for(0))
    assert '<img src="file:///etc/hostname">' in document.toPlainText()
