"""The chat page under the Chinese interface: the sidebar of saved chats, the conversation with its bubbles, the
message box and the right-hand panel (Settings, Raw prompt, Sampling view) show no English but names.

The token view, the raw prompt's token boundaries and the token probabilities (token_view.py, raw_prompt_tokens.py,
probabilities.py) are left out here: they are translated separately."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.app import Parley
from desktop.core.conversations.messages import Role
from desktop.core.prompting.probabilities import NextTokenDistribution
from desktop.ui.chat.conversation_rows import relative_time
from desktop.ui.chat.prompt_panels import system_presets
from desktop.ui.sampling.panel import CUSTOM, SamplingPanel
from tests.ui.language.test_chinese_interface import chinese  # noqa: F401  (a fixture)
from tests.ui.language.visible_text import untranslated

# Widgets built by the files translated separately (see the module's docstring).
SEPARATE = ("rawPromptTokenView", "alternativesMenu")
# Text from desktop/core, translated with the core: a reply's stats line (GenerationStats.summary), the chat
# template's name (desktop/core/models/template_choice.py) quoted in the Raw prompt tab.
CORE = ("messageStats", "rawPromptTemplateLabel")


def english_in(root: QWidget, skip: tuple[str, ...] = SEPARATE) -> list[str]:
    return [line for line in untranslated(root) if not line.startswith(skip)]


def replied(qtbot: QtBot, app: Parley, text: str) -> None:
    qtbot.waitUntil(lambda: app.controller.can_generate(), timeout=5000)
    app.controller.send(text)
    qtbot.waitUntil(lambda: not app.controller.generating, timeout=5000)


@pytest.fixture
def chat(qtbot: QtBot, chinese: Parley) -> Parley:  # noqa: F811  (the imported fixture)
    chinese.window.show()
    qtbot.waitUntil(lambda: chinese.controller.model is not None, timeout=5000)
    return chinese


def test_the_conversation_and_its_sidebar_are_chinese(qtbot: QtBot, chat: Parley) -> None:
    window = chat.window
    assert not english_in(window.chat_view), english_in(window.chat_view)  # the empty chat's placeholder
    replied(qtbot, chat, "你好")
    replied(qtbot, chat, "再说一遍")
    bubbles = window.chat_view.bubbles()
    assert len(bubbles) == 4
    for bubble in bubbles:
        assert not english_in(bubble, SEPARATE + CORE), english_in(bubble, SEPARATE + CORE)
    edit, copy = bubbles[0].findChild(QPushButton, "editButton"), bubbles[1].findChild(QPushButton, "copyButton")
    assert edit is not None and edit.text() == "编辑" and copy is not None and copy.text() == "复制"
    sidebar = chat.conversations
    assert sidebar.search_box.placeholderText() == "搜索全部对话"
    assert not english_in(sidebar), english_in(sidebar)
    row = sidebar.items.item(0)
    assert row.toolTip() and "条消息" in row.toolTip()
    assert not english_in(window.message_input), english_in(window.message_input)
    assert "上下文" in window.model_status.text()
    page = english_in(window.chat_splitter, SEPARATE + CORE)  # the whole page, as a person sees it
    assert not page, page


def test_the_right_hand_panel_is_chinese(qtbot: QtBot, chat: Parley) -> None:
    window = chat.window
    tabs = window.side_tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        page = tabs.widget(index)
        assert page is not None
        found = english_in(page, SEPARATE + CORE)
        assert not found, (tabs.tabText(index), found)
    assert not english_in(window.sampling), english_in(window.sampling)
    assert not english_in(window.system_prompt), english_in(window.system_prompt)
    assert not english_in(window.raw_prompt, SEPARATE + CORE), english_in(window.raw_prompt, SEPARATE + CORE)
    assert window.raw_prompt.template.text().startswith("渲染模板：")
    # the sampling view with a step on screen: captions, legend, cut-off and the bars' tooltips
    view = window.sampling_view
    tabs.setCurrentWidget(view)
    logits = np.array([3.0, 2.0, 1.0, -4.0, -9.0], dtype=np.float32)
    view.set_distribution(NextTokenDistribution(logits, {0: "甲", 1: "乙", 2: "丙", 3: "丁", 4: "戊"}, "", 1))
    window.sampling.set_preset("Precise")
    qtbot.waitUntil(lambda: bool(view.caption.text()), timeout=2000)
    assert not english_in(view), english_in(view)
    assert "不确定性" in view.caption.text()
    tips = [view.chart.tooltip_for(i) for i in range(len(view.chart.rows))]
    assert all("概率" in tip for tip in tips), tips


def test_presets_show_chinese_names_and_store_english_keys(chat: Parley) -> None:
    panel: SamplingPanel = chat.window.sampling
    shown = [panel.preset.itemText(i) for i in range(panel.preset.count())]
    assert shown == ["精确", "均衡", "创意", "自定义"]
    panel.set_preset("Creative")
    assert panel.preset.currentText() == "创意" and panel.preset_key() == "Creative"
    panel.preset.activated.emit(panel.preset.currentIndex())  # as when the person chooses it
    assert chat.settings.sampling_preset == "Creative"
    panel.top_k.setValue(panel.top_k.value() + 1)
    assert panel.preset_key() == CUSTOM and chat.settings.sampling_preset == CUSTOM


def test_starter_prompts_are_chinese(chat: Parley) -> None:
    editor = chat.window.system_prompt
    names = [editor.presets.itemText(i) for i in range(editor.presets.count())]
    assert names[0] == "入门提示词…" and "乐于助人的助手" in names
    index = editor.presets.findData("Helpful assistant")
    editor.presets.activated.emit(index)
    assert editor.text() == system_presets()["Helpful assistant"][1] == "你是一个乐于助人的助手。请清晰、简洁地回答。"


def test_numbers_dates_and_stats(chat: Parley) -> None:
    now = datetime(2024, 11, 20, 15, 0).timestamp()
    assert relative_time(datetime(2024, 11, 20, 14, 2).timestamp(), now) == "今天 14:02"
    assert relative_time(datetime(2024, 11, 3, 9, 5).timestamp(), now) == "11月3日"
    assert relative_time(datetime(2023, 11, 3, 9, 5).timestamp(), now) == "2023年11月3日"
    raw = chat.window.raw_prompt
    raw.show_left_out(3)
    assert raw.left_out.text() == "有 3 条较早的消息被省略：它们已超出上下文。"
    raw.show_token_count(12, 4096)
    assert raw.tokens.text() == "已用上下文 12/4096 个词元"
    view = chat.window.chat_view
    view.show_messages([(Role.USER, f"问题 {i}", None) for i in range(70)])
    earlier = view.findChild(QPushButton, "showEarlierButton")
    assert earlier is not None and earlier.text() == "显示前 10 条消息 （10 条未显示）"
