"""Settings are saved while Parley runs: a failure is told at once and retried, not found out at quit on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.settings import Settings
from desktop.ui.shell.settings_saver import SettingsSaver


def test_a_change_is_saved_without_quitting(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings.load(path)
    saver = SettingsSaver(settings, path, lambda _text: None)
    settings.offline = True
    qtbot.waitUntil(path.exists, timeout=5000)
    assert json.loads(path.read_text(encoding="utf-8"))["offline"] is True
    saver.close()


def test_a_failed_save_is_told_once_retried_and_told_again_when_it_works(
        qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "config"
    path = blocker / "settings.json"
    told: list[str] = []
    settings = Settings.load(path)
    blocker.write_text("a file where the settings folder should be")  # like a full or read-only disk: OSError
    saver = SettingsSaver(settings, path, told.append)
    settings.system_prompt = "Be brief."
    assert not saver.save_if_changed() and not saver.save_if_changed()
    assert len(told) == 1 and str(path) in told[0] and "tries again" in told[0]
    blocker.unlink()
    qtbot.waitUntil(path.exists, timeout=5000)
    assert told[-1] == "Parley's settings are saved again."
    assert json.loads(path.read_text(encoding="utf-8"))["system_prompt"] == "Be brief."
    saver.close()
    assert capsys.readouterr().err == ""
