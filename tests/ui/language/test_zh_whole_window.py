"""One walk over the whole window under zh_CN, as a person on a Chinese desktop meets it: the first-run page, a chat
with the real built-in model (probabilities on, the token view open), every page and every tab inside it, the status
bar, every menu and the dialogs they open. Any visible English word that is not a name (a model, a file or folder,
a token, a template's variable, a version) fails the test, and says where it is."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.models.builtin import BASE_NAME, CHAT_NAME
from desktop.ui.language import install_language
from desktop.ui.shell.shortcuts import ShortcutsDialog
from tests.ui.language.visible_text import english, texts

# Widgets whose text is a name or the person's and the model's words, not the interface's: the About dialog's
# values (versions, files, folders, the llama.cpp build), what the model wrote, the tokens it wrote them in.
CONTENT = re.compile(r"^(about(Parley|LlamaCpp\w*|Model|Qt|Python|DataFolder|SettingsFile)|messageText|"
                     r"tokenView|rawPromptTokens|conversationTitle|chatInput)\b")
NAMES = (CHAT_NAME, BASE_NAME, "Gemma 3 270m", "gemma-3-270m", "llama-cpp-python", "Python", "PySide6")


@pytest.fixture
def chinese(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Parley]:
    """A first start on a Chinese desktop (the system locale's language, no choice made), with the built-in model."""
    (data_dir / "settings.json").write_text(json.dumps({"schema_version": 3, "first_run_done": False}))
    monkeypatch.setenv("PARLEY_LANGUAGE", "zh_CN")  # what a zh_CN system locale chooses (see chosen_language)
    parts = create_window(data_dir)
    qtbot.addWidget(parts.window)
    parts.window.resize(1280, 820)
    parts.window.show()
    qtbot.waitUntil(lambda: parts.session.model is not None, timeout=60_000)
    yield parts
    parts.window.close()
    app = QApplication.instance()
    assert app is not None
    install_language(app, "en")  # the next test's window is English again


class Walk:
    """What is left in English, each with where it was seen; the same text seen twice is said once."""

    def __init__(self, variables: tuple[str, ...] = ()) -> None:
        self.found: dict[str, str] = {}
        self.variables = variables

    def __call__(self, root: QWidget, where: str) -> None:
        for widget, text in texts(root):
            if CONTENT.match(widget):
                continue
            plain = text
            for name in (*NAMES, *self.variables):
                plain = plain.replace(name, " ")
            if english(plain):
                self.found.setdefault(f"{widget}: {text!r}", where)

    def report(self) -> list[str]:
        return [f"{where} › {what}" for what, where in self.found.items()]


def every_tab(root: QWidget) -> Iterator[str]:
    """Show each tab of each tab widget under root in turn (nested ones too), naming it."""
    for tabs in root.findChildren(QTabWidget):
        if not tabs.isVisibleTo(root):
            continue
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            yield tabs.tabText(i)


def test_every_page_dialog_and_menu_is_chinese(qtbot: QtBot, chinese: Parley) -> None:
    window = chinese.window
    walk = Walk(variables=("input",))  # the few-shot query's variable, as the template names it
    walk(window, "首次启动")
    assert chinese.first_run is not None and chinese.first_run.isVisible()

    window.sampling.record_probabilities.setChecked(True)
    window.sampling.max_tokens.setValue(8)
    chinese.controller.send("北京是中国的首都。")
    qtbot.waitUntil(lambda: not chinese.controller.generating and len(chinese.controller.conversation.messages) >= 2,
                    timeout=60_000)
    walk(window, "对话")
    window.token_view_button.click()
    walk(window, "词元视图")
    for name in every_tab(window.side_tabs.parentWidget()):
        walk(window, f"对话 › {name}")

    pages = window.pages
    for i in range(pages.count()):
        pages.setCurrentIndex(i)
        walk(window, pages.tabText(i))
        for name in every_tab(pages.widget(i)):
            walk(window, f"{pages.tabText(i)} › {name}")
    walk(window.statusBar(), "状态栏")

    window.about_action.trigger()
    assert chinese.about_dialog is not None
    walk(chinese.about_dialog, "关于")
    chinese.about_dialog.close()
    window.shortcuts_action.trigger()
    shortcuts = window.findChild(ShortcutsDialog, "shortcutsDialog")
    assert shortcuts is not None
    walk(shortcuts, "键盘快捷键")
    shortcuts.close()
    window.engines_action.trigger()
    assert chinese.engines.dialog is not None
    walk(chinese.engines.dialog, "引擎")
    chinese.engines.dialog.close()

    assert not walk.report(), "\n".join(walk.report())


def test_the_chinese_samples_come_first_and_the_english_ones_have_chinese_names(chinese: Parley) -> None:
    combo = chinese.fewshot.findChild(QComboBox, "sampleTemplateCombo")
    assert combo is not None
    names = [combo.itemText(i) for i in range(1, combo.count())]
    assert names[:4] == ["单项选择题（A–D）", "情感分类（评论）", "文本蕴含（前提与假设）", "语义相似度（句子对）"]
    assert all("英文" in name for name in names[4:]) and len(names) == 8, names
    new_chat = chinese.window.findChild(QPushButton, "newChatButton")
    assert new_chat is not None and new_chat.text() == "新对话"
