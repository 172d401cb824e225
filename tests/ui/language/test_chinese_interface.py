"""The interface in Simplified Chinese: View › Language, the translations compiled and complete, and the parts that
are translated show no English (a name is not English: see visible_text.NAMES)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.i18n import translate
from desktop.ui.language import chosen_language, install_language
from tests.fakes import FakeBackend
from tests.ui.language.visible_text import untranslated

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "packaging" / "translations.py"


@pytest.fixture(scope="module", autouse=True)
def compiled() -> None:
    """The .qm files the app loads, from the .ts sources (what `make` does first)."""
    subprocess.run([sys.executable, str(SCRIPT), "release"], check=True)


@pytest.fixture
def chinese(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Parley]:
    settings = data_dir / "settings.json"
    settings.write_text(json.dumps({"schema_version": 3, "language": "zh_CN", "first_run_done": True}))
    monkeypatch.delenv("PARLEY_LANGUAGE", raising=False)
    parts = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(parts.window)
    yield parts
    parts.window.close()
    app = QApplication.instance()
    assert app is not None
    install_language(app, "en")  # the next test's window is English again


def test_lupdate_finds_nothing_unfinished_or_obsolete() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_language_follows_the_setting_then_the_system() -> None:
    from PySide6.QtCore import QLocale

    assert chosen_language("zh_CN", QLocale("en_US")) == "zh_CN"
    assert chosen_language("", QLocale("zh_CN")) == "zh_CN"
    assert chosen_language("", QLocale("zh_TW")) == "en"  # Traditional Chinese is not Simplified
    assert chosen_language("", QLocale("de_DE")) == "en"


def test_the_menus_are_chinese(chinese: Parley) -> None:
    menu_bar = chinese.window.menuBar()
    titles = [action.text() for action in menu_bar.actions()]
    assert "视图(&V)" in titles
    assert not untranslated(menu_bar), untranslated(menu_bar)


def test_core_messages_go_through_the_translator(chinese: Parley) -> None:
    assert translate("Language", "the system language") == "系统语言"


def test_choosing_a_language_is_remembered_for_the_next_start(chinese: Parley) -> None:
    english = next(a for a in chinese.window.language_actions.actions() if a.data() == "en")
    english.trigger()
    assert chinese.settings.language == "en"
    assert "Parley" in chinese.window.notice.label.text()
