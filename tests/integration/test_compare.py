"""The Compare page on the real window, llama.cpp and the built-in model: seeds make columns reproducible."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.instruments.experiment import load_experiment
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.ui.compare.panel import ComparePanel

pytestmark = pytest.mark.integration

PROMPT = "Write one sentence about a lighthouse keeper."


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[Parley]:
    win = create_window(data_dir)
    qtbot.addWidget(win.window)
    win.window.show()
    qtbot.waitUntil(lambda: win.controller.model is not None, timeout=60000)
    yield win
    win.window.close()


def prepared(window: Parley, temperatures: list[float], max_tokens: int = 24) -> ComparePanel:
    panel: ComparePanel = window.compare
    while len(panel.columns) < len(temperatures):
        panel.add_configuration()
    for column, temperature in zip(panel.columns, temperatures, strict=True):
        column.temperature.setValue(temperature)
        column.max_tokens.setValue(max_tokens)
    panel.prompt_edit.setPlainText(PROMPT)
    return panel


def run_to_end(qtbot: QtBot, panel: ComparePanel) -> None:
    with qtbot.waitSignal(panel.busyChanged, check_params_cb=lambda busy: not busy, timeout=120000):
        assert panel.run_all()


def test_same_seed_and_settings_give_the_same_output(qtbot: QtBot, window: Parley) -> None:
    panel = prepared(window, [0.8, 0.8])
    assert [c.seed.value() for c in panel.columns] == [42, 42]
    run_to_end(qtbot, panel)
    experiment = panel.last_experiment()
    assert experiment is not None
    first, second = experiment.results
    assert first is not None and second is not None and first.error is None and second.error is None
    assert first.text.strip() and first.text == second.text
    assert first.generated_tokens == second.generated_tokens > 0
    assert [c.text() for c in panel.columns] == [first.text, second.text]


def test_cold_and_hot_columns_both_complete_with_stats(qtbot: QtBot, window: Parley) -> None:
    panel = prepared(window, [0.0, 1.5])
    run_to_end(qtbot, panel)
    experiment = panel.last_experiment()
    assert experiment is not None
    for i, result in enumerate(experiment.results):
        assert result is not None and result.error is None
        assert result.generated_tokens > 0 and result.tokens_per_second > 0 and result.time_to_first_token > 0
        assert Path(result.model).name == BUILTIN_FILENAME
        assert "tokens/s · first token" in panel.columns[i].stats.text()
    assert experiment.configs[0].params.temperature == 0.0 and experiment.configs[1].params.temperature == 1.5
    assert window.window.send_button.isEnabled()  # the chat has its worker back


def test_save_and_reopen(qtbot: QtBot, window: Parley, data_dir: Path) -> None:
    panel = prepared(window, [0.2, 0.9], max_tokens=12)
    run_to_end(qtbot, panel)
    outputs = [c.text() for c in panel.columns]
    with qtbot.waitSignal(panel.experimentSaved, timeout=60000) as blocker:
        panel.save_experiment("Lighthouse")
    path: Path = blocker.args[0]
    assert path.parent == (data_dir / "experiments").resolve()
    saved = load_experiment(path)
    model = data_dir / "models" / BUILTIN_FILENAME
    assert saved.model_hashes == {str(model.resolve()): hashlib.sha256(model.read_bytes()).hexdigest()}
    assert saved.parley_version and saved.prompt == PROMPT

    panel.prompt_edit.clear()
    for column in panel.columns:
        column.clear_output()
    assert panel.open_experiment(path)
    assert panel.prompt_edit.toPlainText() == PROMPT
    assert [c.text() for c in panel.columns] == outputs
    assert [c.temperature.value() for c in panel.columns] == [pytest.approx(0.2), pytest.approx(0.9)]


def test_a_column_on_another_model_leaves_the_chat_as_it_was(qtbot: QtBot, data_dir: Path) -> None:
    """The other model is borrowed through the session: the chat's template, system prompt and preset stay, and the
    session never says its model changed."""
    builtin = data_dir / "models" / BUILTIN_FILENAME
    second = data_dir / "models" / "second.gguf"
    try:
        os.link(builtin, second)
    except OSError:
        shutil.copyfile(builtin, second)
    win = create_window(data_dir)
    qtbot.addWidget(win.window)
    try:
        qtbot.waitUntil(lambda: win.controller.model is not None, timeout=60000)
        remembered = win.settings.for_model(second)
        remembered.system_prompt, remembered.sampling_preset, remembered.template = "Be a pirate.", "Creative", "chatml"
        win.window.system_prompt.set_text("My system prompt")
        template_text = win.window.template_combo.currentText()
        preset_text = win.window.sampling.preset.currentText()
        changed: list[object] = []
        win.session.modelChanged.connect(changed.append)
        panel = prepared(win, [0.0, 0.0], max_tokens=12)
        qtbot.waitUntil(lambda: panel.library_paths() != [], timeout=60000)
        panel.refresh_models()
        combo = panel.columns[1].model_combo
        combo.setCurrentIndex(combo.findData(str(second.resolve())))
        assert combo.currentIndex() > 0
        run_to_end(qtbot, panel)
        experiment = panel.last_experiment()
        assert experiment is not None
        assert [Path(r.model).name for r in experiment.results if r] == [BUILTIN_FILENAME, "second.gguf"]
        assert all(r is not None and r.error is None and r.text for r in experiment.results)
        assert changed == [] and win.session.model is not None and win.session.model.info.path.name == BUILTIN_FILENAME
        assert win.window.template_combo.currentText() == template_text
        assert win.window.system_prompt.text() == "My system prompt"
        assert win.window.sampling.preset.currentText() == preset_text
        assert win.window.send_button.isEnabled()
    finally:
        win.window.close()
