"""Unexpected errors reach the log with their traceback and a dialog that says where the log is and copies the
details; from a slot or another thread alike, one dialog at a time. Help › Open log folder opens it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QPushButton
from pytestqt.qtbot import QtBot

from desktop.app import create_window, main
from desktop.core.logs import LOG_NAME
from desktop.ui.shell.error_dialog import ErrorReporting, start_error_reporting
from tests.fakes import FakeBackend
from tests.logging_state import kept_logging_state

pytestmark = pytest.mark.qt_no_exception_capture  # the hook under test is Parley's, not pytest-qt's


@pytest.fixture
def reporting(qtbot: QtBot, tmp_path: Path) -> Iterator[ErrorReporting]:
    with kept_logging_state():
        started = start_error_reporting(tmp_path / "logs")
        yield started
        started.close()
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=2000)


def fail_in_a_slot(message: str) -> None:
    def slot() -> None:
        raise ValueError(message)

    QTimer.singleShot(0, slot)


def test_a_slot_exception_is_logged_and_shown(qtbot: QtBot, reporting: ErrorReporting, tmp_path: Path) -> None:
    fail_in_a_slot("the slot broke")
    qtbot.waitUntil(lambda: reporting.reporter.dialog is not None and reporting.reporter.dialog.isVisible())
    dialog = reporting.reporter.dialog
    assert dialog is not None and dialog.objectName() == "errorDialog"
    log_file = tmp_path / "logs" / LOG_NAME
    assert str(log_file) in dialog.log_label.text()
    assert "Traceback" in dialog.details and "ValueError: the slot broke" in dialog.details
    assert "in slot" in dialog.details  # the function that raised, from the traceback
    text = log_file.read_text(encoding="utf-8")
    assert "Unexpected error" in text and "Traceback" in text and "ValueError: the slot broke" in text

    copy = dialog.findChild(QPushButton, "copyDetailsButton")
    assert copy is not None
    copy.click()
    assert QGuiApplication.clipboard().text() == dialog.details


def test_errors_while_the_dialog_is_open_are_only_logged(
        qtbot: QtBot, reporting: ErrorReporting, tmp_path: Path) -> None:
    fail_in_a_slot("first")
    qtbot.waitUntil(lambda: reporting.reporter.dialog is not None)
    first = reporting.reporter.dialog
    fail_in_a_slot("second")
    log_file = tmp_path / "logs" / LOG_NAME
    qtbot.waitUntil(lambda: "ValueError: second" in log_file.read_text(encoding="utf-8"))
    qtbot.wait(50)  # the queued report of the second error has been handled
    assert reporting.reporter.dialog is first
    assert first is not None and "second" not in first.details
    assert len([w for w in QApplication.topLevelWidgets() if w.objectName() == "errorDialog" and w.isVisible()]) == 1
    first.reject()
    qtbot.waitUntil(lambda: reporting.reporter.dialog is None)
    fail_in_a_slot("third")  # a new error after the dialog closed gets its own
    qtbot.waitUntil(lambda: reporting.reporter.dialog is not None)
    third = reporting.reporter.dialog
    assert third is not None and "ValueError: third" in third.details


def test_a_thread_exception_shows_the_dialog_on_the_gui_thread(
        qtbot: QtBot, reporting: ErrorReporting, tmp_path: Path) -> None:
    def fail() -> None:
        raise RuntimeError("the worker thread broke")

    thread = threading.Thread(target=fail, name="failing-worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: reporting.reporter.dialog is not None)
    dialog = reporting.reporter.dialog
    assert dialog is not None and dialog.thread() is QApplication.instance().thread()  # type: ignore[union-attr]
    assert "RuntimeError: the worker thread broke" in dialog.details
    text = (tmp_path / "logs" / LOG_NAME).read_text(encoding="utf-8")
    assert "in thread failing-worker" in text and "Traceback" in text


def test_main_starts_the_log_file(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.shell.main_window import MainWindow

    windows: list[MainWindow] = []

    class Record:  # stands in for the Parley record: main() shows its .window
        def __init__(self, window: MainWindow) -> None:
            self.window = window

    def fake_window(*_args: object, **_kwargs: object) -> Record:
        windows.append(MainWindow())
        qtbot.addWidget(windows[-1])
        return Record(windows[-1])

    started: list[ErrorReporting] = []

    def kept(*args: Any) -> ErrorReporting:
        started.append(start_error_reporting(*args))
        return started[-1]

    monkeypatch.setattr("desktop.app.create_window", fake_window)
    monkeypatch.setattr("desktop.app.start_error_reporting", kept)
    monkeypatch.setattr(QApplication, "exec", lambda *_args: 0)  # no event loop: only what comes before it
    with kept_logging_state():
        try:
            assert main(["--data-dir", str(tmp_path / "data")]) == 0
        finally:
            for each in started:
                each.close()
    assert len(started) == 1
    log_file = tmp_path / "data" / "logs" / LOG_NAME
    assert log_file.is_file() and "started" in log_file.read_text(encoding="utf-8")
    assert (tmp_path / "data" / "logs" / "crash.log").is_file()


def test_help_opens_the_log_folder(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    def fake_open(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", fake_open)
    window = create_window(data_dir, backend=FakeBackend()).window
    qtbot.addWidget(window)
    action = window.findChild(QAction, "openLogFolderAction")
    help_menu = window.menuBar().actions()[-1].menu()
    assert action is not None and isinstance(help_menu, QMenu) and action in help_menu.actions()
    action.trigger()
    assert [url.toLocalFile() for url in opened] == [str(data_dir.resolve() / "logs")]
    assert (data_dir / "logs").is_dir()
    window.close()


def test_a_dialog_that_cannot_be_shown_is_not_the_next_error(
        qtbot: QtBot, reporting: ErrorReporting, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("no dialogs today")

    monkeypatch.setattr("desktop.ui.shell.error_dialog.ErrorDialog", broken)
    fail_in_a_slot("first")
    log_file = tmp_path / "logs" / LOG_NAME
    qtbot.waitUntil(lambda: "no dialogs today" in log_file.read_text(encoding="utf-8"))
    qtbot.wait(50)
    assert log_file.read_text(encoding="utf-8").count("RuntimeError: no dialogs today") == 1
    assert reporting.reporter.dialog is None
