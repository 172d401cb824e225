"""The window's shell in Simplified Chinese: the menus, the pages' tab titles, the chat's own buttons and side panel,
the first-run page, the About, Keyboard shortcuts and error dialogs show no English but names."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QGroupBox, QLabel, QPushButton, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.app import Parley
from desktop.core.models.builtin import BASE_NAME, CHAT_NAME
from desktop.ui.shell.about_dialog import AboutDialog
from desktop.ui.shell.error_dialog import ErrorDialog
from desktop.ui.shell.first_run import FirstRunPanel
from desktop.ui.shell.shortcuts import ShortcutsDialog
from tests.ui.language.conftest import OpenWindow
from tests.ui.language.visible_text import english, texts, untranslated


def english_besides(root: QWidget, names: tuple[str, ...] = (), skip: frozenset[str] = frozenset()) -> list[str]:
    """untranslated(root), with these names (models', packages') taken out and the widgets named in skip left out."""
    found = []
    for where, text in texts(root):
        if where in skip:
            continue
        plain = text
        for name in names:
            plain = plain.replace(name, " ")
        if english(plain):
            found.append(f"{where}: {text!r}")
    return found


@pytest.fixture
def welcome(qtbot: QtBot, open_chinese: OpenWindow) -> Parley:
    """A first start under zh_CN: the welcome shows above the chat."""
    parts = open_chinese(first_run_done=False)
    parts.window.show()
    qtbot.waitUntil(lambda: parts.controller.model is not None)
    return parts


def test_the_whole_menu_bar_is_chinese(welcome: Parley) -> None:
    menu_bar = welcome.window.menuBar()
    titles = [action.text() for action in menu_bar.actions()]
    assert titles == ["文件(&F)", "设置(&S)", "视图(&V)", "帮助(&H)"]
    assert not untranslated(menu_bar), untranslated(menu_bar)
    file_menu = menu_bar.actions()[0].menu()
    assert next(a.text() for a in file_menu.actions() if a.text()) == "打开模型(&O)…"


def test_the_pages_tabs_are_chinese(welcome: Parley) -> None:
    pages = welcome.window.pages
    assert [pages.tabText(i) for i in range(pages.count())] == [
        "对话", "模型", "Hugging Face", "少样本", "困惑度", "比较"]
    side = welcome.window.side_tabs
    assert [side.tabText(i) for i in range(side.count())] == ["设置", "原始提示词", "采样视图"]
    titles = [box.title() for box in welcome.window.findChildren(QGroupBox) if box.title() in
              ("系统提示词", "对话模板", "采样")]
    assert sorted(titles) == sorted(["系统提示词", "对话模板", "采样"])


def test_the_chat_buttons_are_chinese(welcome: Parley) -> None:
    for name, text in (("sendButton", "发送"), ("stopButton", "停止"), ("regenerateButton", "重新生成"),
                       ("newChatButton", "新对话"), ("probabilityColoursButton", "词元概率")):
        button = welcome.window.findChild(QPushButton, name)
        assert button is not None and button.text() == text, name
        assert not english(button.toolTip()), button.toolTip()


def test_the_first_run_page_is_chinese(welcome: Parley) -> None:
    panel = welcome.window.findChild(FirstRunPanel, "firstRunPage")
    assert panel is not None and panel.isVisible()
    assert panel.title.text() == "欢迎使用 Parley"
    assert panel.model_status.text() == "内置基础模型 Gemma 3 270M 已加载，可以开始使用"
    assert "SmolLM2 135M Instruct" in panel.built_ins.text() and "少样本" in panel.built_ins.text()
    panel.gpu_line.hide()  # where the layers run is said by the engine (the engines' translations)
    assert not english_besides(panel, (CHAT_NAME, BASE_NAME)), english_besides(panel, (CHAT_NAME, BASE_NAME))
    panel.set_model(None)
    assert panel.model_status.text().startswith("尚未加载模型")


def test_the_about_dialog_is_chinese(welcome: Parley) -> None:
    welcome.window.about_action.trigger()
    dialog = welcome.about_dialog
    assert isinstance(dialog, AboutDialog)
    assert dialog.windowTitle() == "关于 Parley"
    labels = dict(dialog.rows)
    assert labels["模型"] and labels["数据文件夹"] == str(welcome.dirs.database.parent)
    assert labels["GPU 上的层数"] == "无：全部 4 层由 CPU 运行（CPU 版本）"
    # the values are names (versions, the model's file, folders, the llama.cpp build) except the GPU layers
    values = frozenset({"aboutParley", "aboutLlamaCppPython", "aboutLlamaCppBackend", "aboutModel", "aboutQt",
                        "aboutPython", "aboutDataFolder", "aboutSettingsFile"})
    left = english_besides(dialog, ("llama-cpp-python", "Python"), values)
    assert not left, left
    dialog.findChild(QPushButton, "aboutCopyButton").click()
    assert dialog.copy_button.text() == "已复制"
    assert f"数据文件夹: {welcome.dirs.database.parent}" in QApplication.clipboard().text()
    dialog.close()


def test_the_keyboard_shortcuts_are_chinese(qtbot: QtBot, welcome: Parley) -> None:
    welcome.window.shortcuts_action.trigger()
    dialog = welcome.window.findChild(ShortcutsDialog, "shortcutsDialog")
    assert dialog is not None and dialog.windowTitle() == "键盘快捷键"
    table = dialog.table
    does = [table.item(row, 1).text() for row in range(table.rowCount())]
    assert "转到“对话”" in does and "发送消息" in does
    assert not [text for text in does if english(text)], does
    assert not untranslated(dialog), untranslated(dialog)
    dialog.close()


def test_the_error_dialog_is_chinese(qtbot: QtBot, welcome: Parley, tmp_path: Path) -> None:
    dialog = ErrorDialog("Traceback (most recent call last):\nValueError: boom", tmp_path / "parley.log", tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Parley：出错了"
    message = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(text.startswith("Parley 内部出错：ValueError: boom") for text in message), message
    assert dialog.log_label.text() == f"详细信息也已写入日志：{tmp_path / 'parley.log'}"
    buttons = {button.objectName(): button.text() for button in dialog.findChildren(QPushButton)}
    assert buttons["copyDetailsButton"] == "复制详细信息" and buttons["errorOpenLogFolderButton"] == "打开日志文件夹"
    assert not any(english(text) for text in buttons.values()), buttons  # Close is Qt's own, translated by Qt


def test_a_later_start_shows_the_chinese_window_without_the_welcome(open_chinese: OpenWindow) -> None:
    parts = open_chinese(first_run_done=True)
    assert parts.first_run is None
    assert parts.window.notice.findChild(QToolButton, "noticeClose").toolTip() == "关闭"
