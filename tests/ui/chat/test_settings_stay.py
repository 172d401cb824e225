"""Settings that stay: the sampling panel across launches, and the Token probabilities button both ways."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.paths import DataDirs
from desktop.core.prompting.sampling import PRESETS, RANDOM_SEED
from desktop.core.settings import Settings
from tests.fakes import FakeBackend


def open_window(qtbot: QtBot, data_dir: Path) -> Parley:
    win = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(win.window)
    win.window.show()
    qtbot.waitUntil(lambda: win.controller.model is not None)
    return win


def test_sampling_preset_values_and_seed_are_remembered_across_launches(qtbot: QtBot, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir)
    win.window.sampling.preset.setCurrentText("Creative")
    win.window.sampling.max_tokens.setValue(300)
    win.window.sampling.seed.setValue(1234)
    chosen = win.window.sampling.params()
    assert chosen == PRESETS["Creative"].with_changes(max_tokens=300, seed=1234)
    win.window.close()
    win = open_window(qtbot, data_dir)
    try:
        assert win.window.sampling.params() == chosen
        assert win.window.sampling.preset.currentText() == "Creative"
        win.window.sampling.temperature.setValue(0.55)  # edited by hand: Custom, and the seed back to random
        win.window.sampling.seed.setValue(RANDOM_SEED)
        custom = win.window.sampling.params()
    finally:
        win.window.close()
    win = open_window(qtbot, data_dir)
    try:
        assert win.window.sampling.params() == custom and win.window.sampling.preset.currentText() == "Custom"
        assert win.window.sampling.seed.text() == "Random"
    finally:
        win.window.close()


def test_a_damaged_sampling_setting_falls_back_to_the_defaults(qtbot: QtBot, data_dir: Path) -> None:
    path = DataDirs.resolve(data_dir).settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"schema_version": 3, "first_run_done": True, "sampling_preset": 5,
                                "sampling": {"temperature": "hot", "top_k": 7}}), encoding="utf-8")
    settings = Settings.load(path)
    assert settings.sampling == {} and settings.sampling_preset == ""
    assert settings.notice is not None and "sampling" in settings.notice
    path.write_text(json.dumps({"schema_version": 3, "first_run_done": True,
                                "sampling": {"temperature": 9.0, "top_k": 7}}), encoding="utf-8")
    win = open_window(qtbot, data_dir)  # well-typed but out of range: Parley's defaults, no crash
    try:
        assert win.window.sampling.params() == PRESETS["Balanced"]
    finally:
        win.window.close()


def test_token_probabilities_button_turns_recording_off_again(qtbot: QtBot, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir)
    try:
        button = win.window.token_view_button
        assert button.objectName() == "probabilityColoursButton"
        button.click()
        assert button.isChecked() and win.window.sampling.record_probabilities.isChecked()
        button.click()
        assert not button.isChecked() and not win.window.sampling.record_probabilities.isChecked()
        assert win.window.sampling.alternatives_count() == 0
    finally:
        win.window.close()
