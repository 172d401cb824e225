"""The Perplexity page in Simplified Chinese: its buttons, tooltips, placeholders, legend and messages, a scored
text's summary, the heat map's token tooltips and the line under it show no English (names and data aside)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import Parley
from desktop.core.instruments.perplexity import ScoredToken, TextScore
from desktop.ui.perplexity.heatmap import token_tooltip
from desktop.ui.perplexity.page import PerplexityPage, read_text_file, summary_text
from tests.ui.language.conftest import OpenWindow
from tests.ui.language.visible_text import english, untranslated

TEXT = "今天 天气 非常 好，我们 去 公园 散步"  # FakeBackend: a token per word, surprisal = its length in bits


@pytest.fixture
def chinese(qtbot: QtBot, open_chinese: OpenWindow, tmp_path: Path) -> Parley:
    parts = open_chinese(tmp_path / "示例模型.gguf")  # a model name with no English
    parts.window.show()
    qtbot.waitUntil(lambda: parts.perplexity.model is not None)
    parts.window.pages.setCurrentWidget(parts.perplexity)
    return parts


def score(qtbot: QtBot, page: PerplexityPage, text: str) -> None:
    page.input.setPlainText(text)
    with qtbot.waitSignal(page.busyChanged, check_params_cb=lambda busy: not busy, timeout=10_000):
        assert page.score()


def test_the_empty_page_is_chinese(chinese: Parley) -> None:
    page = chinese.perplexity
    assert not untranslated(page), untranslated(page)
    assert page.score_button.text() == "评分" and "困惑度" in page.input.placeholderText()
    assert page.legend.text().startswith("惊异度（比特）：") and "未评分" in page.legend.text()
    assert "词元" in page.detail.text() and page.progress.format() == "%v / %m 个词元"


def test_a_scored_text_and_its_tooltips_are_chinese(qtbot: QtBot, chinese: Parley) -> None:
    page = chinese.perplexity
    score(qtbot, page, TEXT)
    assert page.summary.text().startswith("困惑度 ") and "比特" in page.summary.text()
    assert not untranslated(page), untranslated(page)
    heatmap = page.heatmap
    first, second = heatmap.tooltip_for(0), heatmap.tooltip_for(1)
    assert "第一个词元" in first and not english(first), first
    assert "惊异度 2.00 比特" in second and "概率 25.0%" in second and not english(second), second
    heatmap.tokenHovered.emit(1)  # the line under the heat map follows the hovered token
    assert "惊异度" in page.detail.text() and not untranslated(page), untranslated(page)


def test_messages_are_chinese(qtbot: QtBot, chinese: Parley, tmp_path: Path) -> None:
    page = chinese.perplexity
    page.input.setPlainText("")
    assert not page.score() and page.message.text() == "请先粘贴或打开要评分的文本。"
    latin1 = tmp_path / "文本.txt"
    latin1.write_bytes("café".encode("latin-1"))
    with pytest.raises(ValueError, match="不是 UTF-8 文本"):
        read_text_file(latin1)
    assert page.open_file(tmp_path / "缺失") is False and page.message.text().startswith("无法读取 缺失：")
    short = summary_text(TextScore((ScoredToken(0, "好", math.nan),), windows=1, n_ctx=4096, model="示例"))
    assert short.startswith("文本太短") and not english(short)
    stopped = TextScore((ScoredToken(0, "好", math.nan), ScoredToken(1, "的", 1.0)), windows=2, n_ctx=256,
                        model="示例", stopped=True)
    assert summary_text(stopped).endswith("2 个 256 词元的窗口 · 提前停止：已评分 1 个词元")
    assert "（空）" in token_tooltip(0, ScoredToken(7, "", 1.0))
