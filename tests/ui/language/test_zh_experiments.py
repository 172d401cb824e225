"""The few-shot workbench and the Compare page in Simplified Chinese: every tab, a finished run with its confusion
matrix and its History row, and the Compare columns show no English (names and data aside); scoring rules read in
Chinese while the keys saved in templates and run records stay English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop.app import Parley
from desktop.core.fewshot.dataset import ColumnMapping
from desktop.core.fewshot.scoring import RULES
from desktop.core.fewshot.template import load_template, sample_templates_dir
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.settings import Settings
from desktop.inference.session import ModelSession
from desktop.inference.worker import InferenceClient
from desktop.ui.fewshot.page import FewShotPage
from desktop.ui.language import install_language
from tests.fakes import FakeBackend
from tests.ui.language.conftest import OpenWindow
from tests.ui.language.visible_text import english, texts

SAMPLES = sample_templates_dir()
SENTIMENT_ZH = SAMPLES / "sentiment-zh.json"
SENTIMENT_ZH_TEST = SAMPLES / "sentiment-zh-test.csv"
DATA = re.compile(r"\{\w+\}|\S*/\S*|[\w.-]+\.(?:csv|tsv|jsonl|json|gguf)")  # variables, paths, file names


@pytest.fixture
def chinese_app() -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_language(app, "zh_CN")
    yield app
    install_language(app, "en")


@pytest.fixture
def chinese(open_chinese: OpenWindow) -> Parley:
    parts = open_chinese()
    parts.window.show()
    return parts


def english_left(root: QWidget) -> list[str]:
    """The English words root shows, less data: the sample templates' names, template variables ({input}), the
    variables form's row labels (their names), folder paths and file names."""
    samples = {load_template(p).name for p in SAMPLES.glob("*.json")}
    variables = {"input", *(e.objectName().removeprefix("variable_") for e in root.findChildren(QLineEdit))}
    return [f"{where}: {text!r}" for where, text in texts(root)
            if english(DATA.sub("", text)) and text not in samples and text not in variables]


def test_every_few_shot_tab_is_chinese(chinese: Parley) -> None:
    page = chinese.fewshot
    chinese.window.pages.setCurrentWidget(page)
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        assert not english_left(page), (page.tabs.tabText(index), english_left(page))
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["预览", "试运行", "结果", "历史"]


def test_the_compare_page_is_chinese(chinese: Parley) -> None:
    chinese.window.pages.setCurrentWidget(chinese.compare)
    assert not english_left(chinese.compare), english_left(chinese.compare)


def test_rules_read_in_chinese_and_stay_english_keys(chinese: Parley) -> None:
    combo = chinese.fewshot.findChild(QComboBox, "scoringRuleCombo")
    assert combo is not None
    assert [combo.itemData(i) for i in range(combo.count())] == list(RULES)
    labels = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    assert labels["exact"] == "完全匹配" and labels["likelihood"] == "最可能的答案"
    combo.setCurrentIndex(combo.findData("likelihood"))
    assert chinese.fewshot.template().scoring == "likelihood"  # what a saved template records


def test_a_finished_run_and_its_history_are_chinese(qtbot: QtBot, chinese_app: QApplication, tmp_path: Path) -> None:
    session = ModelSession(InferenceClient(FakeBackend(reply="正面")), Settings())
    try:
        with qtbot.waitSignal(session.modelChanged) as blocker:
            session.load(Path("fake.gguf"))
        page = FewShotPage(session, SAMPLES, runs_dir=tmp_path / "runs")
        qtbot.addWidget(page)
        page.set_model(blocker.args[0], BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>"))
        page.show()
        page.editor.set_template(load_template(SENTIMENT_ZH))
        assert page.import_test_set(SENTIMENT_ZH_TEST, ColumnMapping("review", "sentiment"))
        with qtbot.waitSignal(page.runner.batchFinished, timeout=10_000):
            page.run_batch()
        run = page.last_run()
        assert run is not None and run.completed and run.rule == "normalized"  # the record keeps the key
        page.tabs.setCurrentWidget(page.results_tab)
        assert page.batch.confusion.isVisible()
        assert not english_left(page), english_left(page)
        assert page.batch.accuracy_label.text().startswith("准确率 ")
        page.tabs.setCurrentWidget(page.history)
        page.history.refresh()
        assert page.history.model.rowCount() == 1
        assert page.history.model.index(0, 3).data() == "规范化匹配（忽略大小写和空格）"
        assert not english_left(page), english_left(page)
    finally:
        session.client.shutdown()
