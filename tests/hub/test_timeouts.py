"""A server that accepts and never answers: every Hub call ends with a message in bounded time, and neither the
Hugging Face page nor the download queue makes quitting wait on it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.cli.models import main
from desktop.core.models.memory import GIB
from desktop.hub import download, timeouts
from desktop.hub.client import HubClient
from desktop.hub.download import DownloadState
from desktop.hub.errors import HubError
from desktop.ui.models.download_manager import DownloadManager
from desktop.ui.models.hub_browser import HubBrowser
from tests.hub.fake_hub import FakeHub

REPO = "tiny/Tiny-GGUF"


@pytest.fixture
def short_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeouts, "HUB_TIMEOUT", 0.5)
    monkeypatch.setattr(download, "DOWNLOAD_TIMEOUT", 0.5)


@pytest.mark.usefixtures("short_timeouts")
@pytest.mark.parametrize("command", [["files", REPO], ["search", "tiny"]])
def test_cli_gives_up_on_a_silent_server(hub: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         command: list[str]) -> None:
    hub.hang = True
    started = time.monotonic()
    code = main(["--data-dir", str(tmp_path), *command])
    assert time.monotonic() - started < 5
    assert code == 1 and "did not answer in time" in capsys.readouterr().err
    assert hub.requests  # it did reach the server


@pytest.mark.usefixtures("short_timeouts")
def test_model_card_times_out(hub: FakeHub, client: HubClient) -> None:
    hub.hang = True
    with pytest.raises(HubError, match="did not answer in time"):
        client.model_card(REPO)


def test_default_timeouts_are_finite() -> None:
    assert 0 < timeouts.HUB_TIMEOUT <= 60 and 0 < download.DOWNLOAD_TIMEOUT <= 60


def test_closing_the_page_does_not_wait_for_a_silent_server(qtbot: QtBot, hub: FakeHub, tmp_path: Path) -> None:
    """The default timeouts stay: quitting must not wait for them to run out."""
    manager = DownloadManager(backoff=0.01)
    browser = HubBrowser(HubClient, manager, tmp_path, ram_bytes=8 * GIB)
    qtbot.addWidget(browser)
    q4 = next(f for f in HubClient().gguf_files(REPO) if f.path == "Tiny-Q4_K_M.gguf")
    hub.hang = True
    item = manager.enqueue(HubClient(), REPO, q4, tmp_path)
    browser.findChild(QLineEdit, "hubSearchEdit").setText("tiny")
    browser.findChild(QPushButton, "hubSearchButton").click()
    qtbot.waitUntil(lambda: len(hub.requests) >= 3)  # listing, the download, the search: all hang
    started = time.monotonic()
    manager.shutdown(timeout=0.5)
    assert browser.wait_idle(timeout=0.5) is False  # still waiting, and said so
    assert time.monotonic() - started < 3
    assert item.state is DownloadState.PAUSED  # resumes next time


@pytest.mark.usefixtures("short_timeouts")
def test_page_shows_the_timeout(qtbot: QtBot, hub: FakeHub, tmp_path: Path) -> None:
    manager = DownloadManager(backoff=0.01)
    browser = HubBrowser(HubClient, manager, tmp_path, ram_bytes=8 * GIB)
    qtbot.addWidget(browser)
    hub.hang = True
    browser.findChild(QLineEdit, "hubSearchEdit").setText("tiny")
    browser.findChild(QPushButton, "hubSearchButton").click()
    assert browser.wait_idle(timeout=5)
    assert "did not answer in time" in browser.findChild(QLabel, "hubMessage").text()
    manager.shutdown()
