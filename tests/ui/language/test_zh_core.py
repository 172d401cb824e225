"""Messages from desktop/core under the Chinese interface: the built-in model's hint, memory fit, few-shot data
errors, chat database and settings notices come through Qt's translator with no English but names and paths; the
settings notice, made before the language is known, is in Chinese when the window shows it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop.app import create_window
from desktop.core.conversations.store import ChatStore
from desktop.core.fewshot.dataset import read_table
from desktop.core.fewshot.rows import DataError
from desktop.core.instruments.statistics import accuracy_text, compare_paired
from desktop.core.models.builtin import BuiltinMissingError, builtin_note, chat_note
from desktop.core.models.memory import Fit
from desktop.core.models.template_choice import template_choices
from desktop.ui.language import install_language
from tests.fakes import FakeBackend, fake_info
from tests.ui.language.visible_text import english


def no_english(text: str, *paths: Path) -> list[str]:
    """English words left once paths and the chat model's name (whose "Instruct" is not a name word) are out."""
    for path in paths:
        text = re.sub(re.escape(str(path)) + r"[^\s（），。：“”]*", " ", text)
    return english(text.replace("SmolLM2 135M Instruct", " "))


def test_core_messages_are_chinese(chinese: None, tmp_path: Path) -> None:
    shown = [builtin_note(), chat_note(), str(BuiltinMissingError("x")), *(f.label for f in Fit),
             accuracy_text(20, 24), accuracy_text(0, 0),
             compare_paired({"1": False, "2": True}, {"1": True, "2": True}).verdict()]
    shown += [label for key, label in template_choices(fake_info(tmp_path / "m.gguf")) if key == "auto"]
    table = tmp_path / "数据.csv"
    table.write_text("input,label\na,b,c\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(table)
    shown.append(str(caught.value))
    folder = tmp_path / "parley.sqlite3"
    folder.mkdir()
    store, notice = ChatStore.open(folder)
    store.close()
    assert notice is not None
    assert not no_english(notice, folder)  # the --data-dir option, as typed, is a name
    for text in shown:
        assert not no_english(text, tmp_path), text


def test_a_damaged_settings_notice_is_shown_in_chinese(qtbot: QtBot, data_dir: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (data_dir / "settings.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("PARLEY_LANGUAGE", "zh_CN")  # the damaged file cannot say which language
    parts = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(parts.window)
    try:
        label = parts.window.findChild(QLabel, "noticeText")
        assert label is not None
        assert "设置文件" in label.text() and "默认设置" in label.text()
        assert not no_english(label.text(), data_dir), label.text()
    finally:
        parts.window.close()
        app = QApplication.instance()
        assert app is not None
        install_language(app, "en")

