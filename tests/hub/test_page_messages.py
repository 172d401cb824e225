"""In the wired window, what goes wrong on the Hugging Face and Few-shot pages is said on that page, not in the
Chat tab's banner (the Models page has its own: tests/ui/models/test_library_page.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.ui.models.hub_browser import HubBrowser
from tests.fakes import FakeBackend
from tests.hub.fake_hub import FakeHub


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[Parley]:
    win = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(win.window)
    qtbot.waitUntil(lambda: win.controller.model is not None)
    win.window.notice.hide()  # whatever the start said
    yield win
    win.window.close()


def test_hub_errors_show_on_the_hub_page(window: Parley, hub: FakeHub) -> None:
    browser = window.window.findChild(HubBrowser, "hubBrowser")
    assert browser is not None
    window.window.pages.setCurrentWidget(browser)
    hub.status = 500
    browser.findChild(QLineEdit, "hubSearchEdit").setText("tiny")
    browser.findChild(QPushButton, "hubSearchButton").click()
    assert browser.wait_idle(10)
    assert "server problem" in browser.findChild(QLabel, "hubMessage").text()
    browser.open_repo("tiny/Tiny-GGUF")
    assert browser.wait_idle(10)
    assert "server problem" in browser.findChild(QLabel, "hubMessage").text()
    assert window.window.notice.isHidden()


def test_fewshot_errors_show_on_the_fewshot_page(window: Parley, tmp_path: Path) -> None:
    page = window.fewshot  # type: ignore[attr-defined]
    window.window.pages.setCurrentWidget(page)
    bad = tmp_path / "broken.json"
    bad.write_text('{"schema_version": 1,\n "name": }', encoding="utf-8")
    assert not page.load_template_file(bad)
    assert "broken.json" in page.findChild(QLabel, "fewShotMessage").text()
    assert window.window.notice.isHidden()
