"""The wired window: the Hugging Face page downloads into the library the Models page shows; offline mode."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView, QTreeWidget
from pytestqt.qtbot import QtBot

from desktop.app import create_window
from desktop.core.settings import Settings
from desktop.ui.models.hub_browser import HubBrowser
from tests.fakes import FakeBackend
from tests.hub.fake_hub import FakeHub


def test_download_from_hub_page_appears_in_library(qtbot: QtBot, hub: FakeHub, data_dir: Path) -> None:
    win = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(win.window)
    qtbot.waitUntil(lambda: win.controller.model is not None)
    browser = win.window.findChild(HubBrowser, "hubBrowser")
    assert browser is not None and hub.requests == []  # opening Parley makes no request
    browser.findChild(QLineEdit, "hubSearchEdit").setText("Tiny")
    browser.search()
    assert browser.wait_idle(30)
    browser.open_repo("tiny/Tiny-GGUF")
    assert browser.wait_idle(30)
    files = browser.findChild(QTreeWidget, "hubFiles")
    item = files.findItems("Tiny-Q4_K_M.gguf", Qt.MatchFlag.MatchRecursive)[0]
    files.setCurrentItem(item)
    with qtbot.waitSignal(browser.modelDownloaded, timeout=20000):
        browser.download_selected()
    table = win.window.findChild(QTableView, "libraryTable")
    qtbot.waitUntil(lambda: any(table.model().index(r, 3).data() == "Q4_K_M" and r > 0
                                for r in range(table.model().rowCount())), timeout=5000)
    assert (data_dir / "models" / "Tiny-Q4_K_M.gguf").is_file()
    win.window.close()


def test_offline_mode_makes_no_requests_and_is_remembered(qtbot: QtBot, hub: FakeHub, data_dir: Path) -> None:
    win = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(win.window)
    win.window.offline_action.setChecked(True)
    browser = win.window.findChild(HubBrowser, "hubBrowser")
    browser.findChild(QLineEdit, "hubSearchEdit").setText("Tiny")
    browser.search()
    assert browser.wait_idle(30)
    assert "Offline" in browser.findChild(QLabel, "hubMessage").text()
    assert hub.requests == []
    win.window.close()
    assert Settings.load(data_dir / "settings.json").offline
