"""Searching Hugging Face: the page shows that it is searching, ignores repeated presses, can be cancelled (a late
answer is ignored), and with no network says so within a few seconds instead of retrying silently."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.core.models.memory import GIB
from desktop.hub import timeouts
from desktop.hub.client import RECOMMENDED, HubClient
from desktop.hub.errors import HubError, OfflineError
from desktop.ui.models.download_manager import DownloadManager
from desktop.ui.models.hub_browser import HubBrowser
from tests.hub.fake_hub import FakeHub
from tests.hub.test_hub_browser import child, result_ids

REPO = "tiny/Tiny-GGUF"
FEW_SECONDS = 8.0  # "within a few seconds": the connect timeout plus slack for a busy test machine


@pytest.fixture
def manager() -> Iterator[DownloadManager]:
    m = DownloadManager(retries=1, backoff=0.01)
    yield m
    m.shutdown()


def make_browser(qtbot: QtBot, manager: DownloadManager, tmp_path: Path,
                 factory: Callable[[], HubClient] = HubClient) -> HubBrowser:
    browser = HubBrowser(factory, manager, tmp_path, ram_bytes=8 * GIB)
    qtbot.addWidget(browser)
    return browser


def searches(hub: FakeHub) -> int:
    return sum(1 for r in hub.requests if r.path == "/api/models")


def indicator(browser: HubBrowser) -> QWidget:
    return child(browser, QWidget, "hubSearchingIndicator")


@pytest.fixture
def refused_endpoint() -> str:
    """An address where nothing listens: connection refused, as on a computer with no network."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def unanswered_endpoint() -> Iterator[str]:
    """An address whose connections are never accepted (a full backlog drops the handshake), as when packets to
    the Hub are dropped: only the connect timeout ends the wait."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    filler = socket.create_connection(server.getsockname(), timeout=2)  # fills the backlog
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        filler.close()
        server.close()


def test_search_shows_it_is_searching_and_ignores_repeated_presses(qtbot: QtBot, hub: FakeHub,
                                                                    manager: DownloadManager, tmp_path: Path) -> None:
    browser = make_browser(qtbot, manager, tmp_path)
    assert indicator(browser).isHidden()
    hub.delay = 1.0
    child(browser, QLineEdit, "hubSearchEdit").setText("tiny")
    button = child(browser, QPushButton, "hubSearchButton")
    button.click()
    assert not indicator(browser).isHidden()
    assert "Searching" in child(browser, QLabel, "hubSearchingText").text()
    assert not button.isEnabled()
    assert child(browser, QPushButton, "hubCancelSearchButton").isEnabled()
    browser.search()  # a second press (or Enter) while the first search runs
    qtbot.keyClick(child(browser, QLineEdit, "hubSearchEdit"), Qt.Key.Key_Return)
    assert browser.wait_idle(10)
    assert searches(hub) == 1
    assert indicator(browser).isHidden() and button.isEnabled()
    assert set(result_ids(browser)) == {"tiny/Tiny-GGUF", "tiny/Sharded-GGUF", "tiny/Gated-GGUF"}


def test_cancel_abandons_the_search_and_its_late_answer(qtbot: QtBot, hub: FakeHub, manager: DownloadManager,
                                                        tmp_path: Path) -> None:
    browser = make_browser(qtbot, manager, tmp_path)
    hub.delay = 1.0
    child(browser, QLineEdit, "hubSearchEdit").setText("tiny")
    child(browser, QPushButton, "hubSearchButton").click()
    qtbot.waitUntil(lambda: searches(hub) == 1)
    child(browser, QPushButton, "hubCancelSearchButton").click()
    assert indicator(browser).isHidden() and child(browser, QPushButton, "hubSearchButton").isEnabled()
    assert browser.wait_idle(0.1)  # an abandoned search holds nothing up
    qtbot.wait(1500)  # the late answer arrives ...
    browser.wait_idle(0)
    assert result_ids(browser) == [repo for repo, _ in RECOMMENDED]  # ... and is ignored
    assert child(browser, QLabel, "hubMessage").isHidden()
    hub.delay = 0
    child(browser, QPushButton, "hubSearchButton").click()  # a new search runs at once
    assert browser.wait_idle(10)
    assert REPO in result_ids(browser)


def test_a_cancelled_search_that_fails_late_shows_no_error(qtbot: QtBot, hub: FakeHub, manager: DownloadManager,
                                                           tmp_path: Path) -> None:
    browser = make_browser(qtbot, manager, tmp_path)
    hub.hang = True
    child(browser, QPushButton, "hubSearchButton").click()
    qtbot.waitUntil(lambda: searches(hub) == 1)
    child(browser, QPushButton, "hubCancelSearchButton").click()
    hub.released.set()  # the server hangs up without an answer: an error, after the person cancelled
    qtbot.wait(500)
    browser.wait_idle(0)
    assert child(browser, QLabel, "hubMessage").isHidden()
    assert indicator(browser).isHidden()


def test_no_network_shows_a_message_within_seconds(qtbot: QtBot, manager: DownloadManager, tmp_path: Path,
                                                   refused_endpoint: str) -> None:
    browser = make_browser(qtbot, manager, tmp_path, lambda: HubClient(endpoint=refused_endpoint))
    started = time.monotonic()
    child(browser, QPushButton, "hubSearchButton").click()
    assert browser.wait_idle(FEW_SECONDS)
    assert time.monotonic() - started < FEW_SECONDS
    assert "cannot be reached" in child(browser, QLabel, "hubMessage").text()
    assert indicator(browser).isHidden() and child(browser, QPushButton, "hubSearchButton").isEnabled()


@pytest.mark.parametrize("call", ["search", "list_gguf", "model_card"])
def test_an_unanswered_connection_fails_within_seconds(unanswered_endpoint: str, call: str) -> None:
    client = HubClient(endpoint=unanswered_endpoint)
    started = time.monotonic()
    with pytest.raises(OfflineError, match="cannot be reached"):
        getattr(client, call)("x" if call == "search" else REPO)
    assert time.monotonic() - started < FEW_SECONDS


def test_a_name_lookup_that_never_answers_fails_within_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A resolver that does not answer (a stale DNS server, no network): the lookup is bounded too."""
    real = socket.getaddrinfo

    def silent_resolver(host: object, *args: object, **kwargs: object) -> object:
        if host == "hub.example.invalid":
            time.sleep(30)
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", silent_resolver)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    started = time.monotonic()
    with pytest.raises(OfflineError, match="cannot be reached"):
        HubClient(endpoint="https://hub.example.invalid").search("x")
    assert time.monotonic() - started < FEW_SECONDS


def test_no_silent_retries(refused_endpoint: str) -> None:
    """One failed connection is one message: nothing retries behind the person's back."""
    started = time.monotonic()
    with pytest.raises(HubError):
        HubClient(endpoint=refused_endpoint).search("x")
    assert time.monotonic() - started < 1.0
    assert timeouts.HUB_CONNECT_TIMEOUT <= 5
