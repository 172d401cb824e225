"""Keyboard: Tab leaves the big text boxes (Ctrl+Tab types a tab), and the shortcuts listed in Help work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.widgets import tab_moves_focus


def test_tab_moves_on_and_ctrl_tab_types_a_tab(qtbot: QtBot) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    box = tab_moves_focus(QPlainTextEdit())
    after = QLineEdit()
    layout = QVBoxLayout(form)
    layout.addWidget(box)
    layout.addWidget(after)
    form.show()
    form.activateWindow()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "a")
    qtbot.keyClick(box, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert box.toPlainText() == "a\t"
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert box.toPlainText() == "a\t" and after.hasFocus()


def test_the_big_text_boxes_pass_tab_on(qtbot: QtBot) -> None:
    from pathlib import Path

    from desktop.core.prompting.sampling import SamplingParams
    from desktop.core.settings import Settings
    from desktop.inference.session import ModelSession
    from desktop.inference.worker import InferenceClient
    from desktop.ui.compare.panel import ComparePanel
    from desktop.ui.fewshot.editor import TemplateEditor
    from desktop.ui.fewshot.examples import ExamplesModel
    from desktop.ui.perplexity.page import PerplexityPage
    from tests.fakes import FakeBackend

    client = InferenceClient(FakeBackend())
    session = ModelSession(client, Settings())
    try:
        editor = TemplateEditor(ExamplesModel(lambda _text: 0))
        compare = ComparePanel(session, SamplingParams, list, Path("."), Path("hashes.json"))
        perplexity = PerplexityPage(session)
        for widget in (editor, compare, perplexity):
            qtbot.addWidget(widget)
        for box in (editor.instruction_edit, compare.prompt_edit, perplexity.input):
            assert box.tabChangesFocus(), box.objectName()
    finally:
        client.shutdown()


def test_shortcuts_switch_pages_search_regenerate_copy_and_are_listed(qtbot: QtBot, data_dir: object) -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QTableWidget

    from desktop.app import create_window
    from desktop.ui.shell.shortcuts import ShortcutsDialog
    from tests.fakes import FakeBackend

    backend = FakeBackend(reply="The answer.")
    window = create_window(data_dir, backend=backend)  # type: ignore[arg-type]
    qtbot.addWidget(window.window)
    window.window.show()
    window.window.activateWindow()
    qtbot.waitUntil(lambda: window.controller.model is not None)
    qtbot.waitUntil(window.window.isActiveWindow)
    qtbot.keyClick(window.window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.window.pages.currentIndex() == 3
    qtbot.keyClick(window.window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.window.pages.currentIndex() == 0
    window.window.message_input.setPlainText("Hi")
    window.window.send_button.click()
    qtbot.waitUntil(lambda: not window.controller.generating and len(backend.requests) == 1)
    qtbot.keyClick(window.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(backend.requests) == 2 and not window.controller.generating)
    qtbot.keyClick(window.window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == "The answer."
    qtbot.keyClick(window.window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.window.findChild(QLineEdit, "conversationSearch")
    assert search is not None and search.hasFocus()
    window.window.shortcuts_action.trigger()
    dialog = window.window.findChild(ShortcutsDialog, "shortcutsDialog")
    assert dialog is not None
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    listed = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert listed["Ctrl+R"] == "Regenerate the last reply" and listed["Ctrl+4"] == "Go to Few-shot"
    assert {"Ctrl+F", "Ctrl+Shift+C", "Ctrl+1", "Ctrl+6"} <= set(listed)
    window.window.close()
