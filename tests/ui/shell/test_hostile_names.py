"""Names from files, imports and models shown anywhere in the window are text, never markup.

A model, chat, template or test set named `<i>PWNED<i>` is planted everywhere Parley reads names from; after every
page has been visited, no label shows it as rich text and no tooltip hands it to Qt's rich-text detection raw. The
same hole with `<img src="file:///dev/zero">` made Parley read the file when the name was shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QHeaderView, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.conversations.store import ChatStore
from desktop.core.paths import DataDirs
from tests.fakes import FakeBackend
from tests.tiny_gguf import write_tiny_gguf

MARK = "<i>PWNED<i>"  # no slash: it is also a file name


@pytest.fixture
def hostile_window(qtbot: QtBot, data_dir: Path) -> Iterator[Parley]:
    dirs = DataDirs.under(data_dir)
    model = write_tiny_gguf(dirs.models / f"{MARK} model.gguf", name=f"{MARK} model")
    with ChatStore.open(dirs.database)[0] as store:
        chat = store.create_conversation(f"{MARK} chat", system_prompt=MARK, model=str(model))
        store.add_message(chat, None, "user", f"{MARK} question")
    dirs.templates.mkdir(parents=True, exist_ok=True)
    (dirs.templates / "hostile.json").write_text(json.dumps({
        "name": f"{MARK} template", "instruction": MARK, "input_label": MARK, "output_label": MARK,
        "examples": [{"input": MARK, "output": MARK}],
    }), encoding="utf-8")
    window = create_window(data_dir, model, backend=FakeBackend())
    qtbot.addWidget(window.window)
    window.window.show()
    qtbot.waitUntil(lambda: window.controller.model is not None)
    yield window
    window.window.close()


def model_tooltips(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[str]:
    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        columns = 1 if isinstance(model, QAbstractListModel) else max(1, model.columnCount(parent))
        for column in range(columns):
            index = model.index(row, column, parent)
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str):
                yield tip
            if column == 0 and not isinstance(model, QAbstractListModel) and model.rowCount(index) > 0:
                yield from model_tooltips(model, index)


def raw_markup(widgets: list[QWidget]) -> list[str]:
    """Where the planted markup would be rendered as markup."""
    found = []
    for widget in widgets:
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QLabel) and MARK in widget.text() and widget.textFormat() != Qt.TextFormat.PlainText:
            found.append(f"{where} text {widget.text()!r}")
        if MARK in widget.toolTip():
            found.append(f"{where} tooltip {widget.toolTip()!r}")
        views = (QAbstractItemView, QComboBox)
        model = widget.model() if isinstance(widget, views) and not isinstance(widget, QHeaderView) else None
        if model is not None:
            found += [f"{where} item tooltip {tip!r}" for tip in model_tooltips(model) if MARK in tip]
    return found


def test_no_name_from_a_file_is_shown_as_markup(qtbot: QtBot, hostile_window: Parley) -> None:
    window = hostile_window
    window.library.page.refresh() if hasattr(window.library, "page") else None
    for index in range(window.window.pages.count()):
        window.window.pages.setCurrentIndex(index)
        qtbot.wait(50)
    qtbot.waitUntil(lambda: any(MARK in tip for view in window.window.findChildren(QAbstractItemView)
                                if view.model() is not None for tip in _display(view.model())), timeout=5000)
    window.window.about_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "about_dialog", None) is not None)
    widgets = [w for w in QApplication.allWidgets() if w.window() in (window.window, window.about_dialog)]
    found = raw_markup(widgets)
    assert found == [], "\n".join(sorted(set(found)))


def _display(model: QAbstractItemModel) -> Iterator[str]:
    for row in range(model.rowCount()):
        value = model.data(model.index(row, 0), Qt.ItemDataRole.DisplayRole)
        if isinstance(value, str):
            yield value


def test_messages_that_quote_names_are_plain_text(hostile_window: Parley) -> None:
    """Labels that quote a file's, a chat's or a run's name when something happens (import, delete, failure)."""
    for name in ("testSetLabel", "compareMessage", "conversationMessage", "perplexityMessage", "samplingMessage",
                 "fewShotMessage", "historyFolderLabel", "modelStatusLabel", "noticeText"):
        labels = [w for w in hostile_window.window.findChildren(QLabel) if w.objectName() == name]
        assert labels, name
        assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels), name
    from desktop.ui.chat.conversation_list import ConversationList

    sidebar = hostile_window.window.findChild(ConversationList)
    assert sidebar is not None and sidebar.undo_label.textFormat() == Qt.TextFormat.PlainText


def test_removing_a_model_asks_in_plain_text(qtbot: QtBot, hostile_window: Parley,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    asked: list[tuple[str, Qt.TextFormat]] = []

    def answer(box: QMessageBox) -> int:
        asked.append((box.text(), box.textFormat()))
        return QMessageBox.StandardButton.Cancel.value

    monkeypatch.setattr(QMessageBox, "exec", answer)
    page = hostile_window.library.page
    page.refresh()
    qtbot.waitUntil(lambda: any(MARK in e.path.name for e in page.model.entries()))
    entry = next(e for e in page.model.entries() if MARK in e.path.name)
    hostile_window.library.remove(entry)
    assert asked and MARK in asked[0][0] and asked[0][1] == Qt.TextFormat.PlainText
    assert entry.path.exists()

