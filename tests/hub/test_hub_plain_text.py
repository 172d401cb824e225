"""Text from the server (repository ids, file names, error messages) shows as text on the Hugging Face page and in
the download queue: Qt guesses rich text in labels and tooltips, so they are plain or escaped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPushButton, QTableWidget, QTreeWidget
from pytestqt.qtbot import QtBot

from desktop.core.models.memory import GIB
from desktop.hub.client import HubClient
from desktop.hub.download import DownloadState
from desktop.hub.listing import make_repo_file
from desktop.ui.models.download_manager import DownloadManager
from desktop.ui.models.hub_browser import HubBrowser
from tests.hub.fake_hub import FakeHub

HTML_REPO = '<img src="file:///dev/zero">/<b>x</b>-GGUF'
HTML_FILE = '<img src="file:///dev/zero"><b>x</b>.gguf'


@pytest.fixture
def manager() -> Iterator[DownloadManager]:
    m = DownloadManager(retries=0, backoff=0.01)
    yield m
    m.shutdown()


def shown_as(tooltip: str) -> str:
    """What a tooltip displays: Qt renders it as rich text when it looks like HTML."""
    if not GuiQt.mightBeRichText(tooltip):
        return tooltip
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


def test_error_naming_a_server_repository_is_plain_text(qtbot: QtBot, hub: FakeHub, manager: DownloadManager,
                                                        tmp_path: Path, gguf_files: dict[str, bytes]) -> None:
    hub.add(HTML_REPO, {"x.gguf": gguf_files["q4"]})
    browser = HubBrowser(HubClient, manager, tmp_path, ram_bytes=8 * GIB)
    qtbot.addWidget(browser)
    browser.findChild(QLineEdit, "hubSearchEdit").setText("x")
    browser.findChild(QPushButton, "hubSearchButton").click()
    assert browser.wait_idle(30)
    results = browser.findChild(QListWidget, "hubResults")
    row = [results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(results.count())].index(HTML_REPO)
    results.setCurrentRow(row)
    assert browser.wait_idle(30)
    message = browser.findChild(QLabel, "hubMessage")
    assert HTML_REPO in message.text() and "not a Hugging Face repository name" in message.text()
    assert message.textFormat() is Qt.TextFormat.PlainText
    for name in ("hubMessage", "hubResultsLabel"):
        assert browser.findChild(QLabel, name).textFormat() is Qt.TextFormat.PlainText


def test_download_queue_tooltips_show_server_text_as_text(qtbot: QtBot, hub: FakeHub, manager: DownloadManager,
                                                          tmp_path: Path) -> None:
    browser = HubBrowser(HubClient, manager, tmp_path, ram_bytes=8 * GIB)
    qtbot.addWidget(browser)
    with qtbot.waitSignal(manager.failed, timeout=10000) as failed:
        manager.enqueue(HubClient(), "tiny/Tiny-GGUF", make_repo_file(HTML_FILE, 10, None), tmp_path)
    assert failed.args[0].state is DownloadState.FAILED and HTML_FILE in failed.args[0].error
    table = browser.findChild(QTableWidget, "downloadQueue")
    name, details = table.item(0, 0), table.item(0, 3)
    assert name.text() == HTML_FILE.rsplit("/", 1)[-1]  # table cells are plain text already
    assert shown_as(name.toolTip()) == f"tiny/Tiny-GGUF/{HTML_FILE}"
    assert shown_as(details.toolTip()) == failed.args[0].error


def test_refused_file_names_are_not_listed_and_the_page_says_so(qtbot: QtBot, hub: FakeHub, manager: DownloadManager,
                                                                 tmp_path: Path, gguf_files: dict[str, bytes]) -> None:
    hub.add("evil/Names-GGUF", {"../../x.gguf": gguf_files["q4"], ".hidden.gguf": gguf_files["q4"],
                                "Fine-Q4_K_M.gguf": gguf_files["q4"]})
    browser = HubBrowser(HubClient, manager, tmp_path, ram_bytes=8 * GIB)
    qtbot.addWidget(browser)
    browser.open_repo("evil/Names-GGUF")
    assert browser.wait_idle(30)
    tree = browser.findChild(QTreeWidget, "hubFiles")
    shown = [tree.topLevelItem(g).child(c).text(0) for g in range(tree.topLevelItemCount())
             for c in range(tree.topLevelItem(g).childCount())]
    assert shown == ["Fine-Q4_K_M.gguf"]
    message = browser.findChild(QLabel, "hubMessage").text()
    assert 'Not listed: "../../x.gguf" and 1 more' in message and not browser.findChild(QLabel, "hubMessage").isHidden()
