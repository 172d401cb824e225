"""The interface in Simplified Chinese: View › Language, the translations compiled and complete, and the parts that
are translated show no English (a name is not English: see visible_text.NAMES)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop.app import Parley
from desktop.core.i18n import translate
from desktop.ui.language import chosen_language
from tests.ui.language.conftest import OpenWindow
from tests.ui.language.visible_text import untranslated

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "packaging" / "translations.py"


@pytest.fixture
def chinese(open_chinese: OpenWindow) -> Parley:
    return open_chinese()


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


def test_numbers_are_written_as_the_language_writes_them(chinese: Parley) -> None:
    from PySide6.QtCore import QLocale

    from desktop.core.i18n import number

    assert number(1234567) == QLocale("zh_CN").toString(1234567.0, "f", 0) == "1,234,567"
    assert number(2.5, 2) == "2.50"
