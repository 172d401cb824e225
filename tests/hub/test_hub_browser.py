"""The Hugging Face page and its download queue against the fake Hub: search, files, card, downloads, errors."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTextBrowser,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.core.models.memory import GIB, human_bytes
from desktop.hub.client import RECOMMENDED, HubClient, stored_token
from desktop.hub.download import PARTIAL_DIR, Download, DownloadState
from desktop.ui.language import install_language
from desktop.ui.models.download_manager import DownloadItem, DownloadManager
from desktop.ui.models.hub_browser import HubBrowser, offline_text
from tests.hub.fake_hub import TOKEN, FakeHub

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("small_chunks")

W = TypeVar("W", bound=QObject)
REPO = "tiny/Tiny-GGUF"
Q4 = "Tiny-Q4_K_M.gguf"


class Gate:
    """Holds the download worker at its first progress past byte 0, so a pause or cancel lands mid-transfer."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.release = threading.Event()
        self.armed = True


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    gate = Gate()
    original = Download._emit

    def emit(self: Download, done: int, force: bool = False) -> None:
        original(self, done, force)
        if gate.armed and 0 < done < self.file.size:
            gate.armed = False
            gate.reached.set()
            gate.release.wait(10)

    monkeypatch.setattr(Download, "_emit", emit)
    yield gate
    gate.release.set()


@pytest.fixture
def models(tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


@pytest.fixture
def manager(gate: Gate) -> Iterator[DownloadManager]:
    gate.armed = False  # tests that want the gate arm it
    m = DownloadManager(retries=1, backoff=0.01)
    yield m
    gate.release.set()
    m.shutdown()


def make_browser(qtbot: QtBot, manager: DownloadManager, models: Path,
                 factory: Callable[[], HubClient] = HubClient) -> HubBrowser:
    browser = HubBrowser(factory, manager, models, ram_bytes=8 * GIB)
    qtbot.addWidget(browser)
    return browser


@pytest.fixture
def browser(qtbot: QtBot, hub: FakeHub, manager: DownloadManager, models: Path) -> Iterator[HubBrowser]:
    b = make_browser(qtbot, manager, models)
    yield b
    b.wait_idle()


def child(browser: QWidget, cls: type[W], name: str) -> W:
    widget = browser.findChild(cls, name)
    assert widget is not None, name
    return widget


def result_ids(browser: HubBrowser) -> list[str]:
    results = child(browser, QListWidget, "hubResults")
    return [results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(results.count())]


def search(browser: HubBrowser, text: str) -> None:
    child(browser, QLineEdit, "hubSearchEdit").setText(text)
    child(browser, QPushButton, "hubSearchButton").click()
    assert browser.wait_idle(30)  # the request ran in the background; its answer has been delivered


def select_repo(browser: HubBrowser, repo_id: str) -> QTreeWidget:
    results = child(browser, QListWidget, "hubResults")
    results.setCurrentRow(result_ids(browser).index(repo_id))
    assert browser.wait_idle(30)
    return child(browser, QTreeWidget, "hubFiles")


def file_rows(tree: QTreeWidget) -> dict[str, list[str]]:
    """File path -> [quantisation group, size, shards, fit]."""
    rows = {}
    for g in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(g)
        for c in range(group.childCount()):
            row = group.child(c)
            rows[row.text(0)] = [group.text(0), row.text(1), row.text(2), row.text(3)]
    return rows


def select_file(tree: QTreeWidget, path: str) -> None:
    for g in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(g)
        for c in range(group.childCount()):
            if group.child(c).text(0) == path:
                tree.setCurrentItem(group.child(c))
                return
    raise AssertionError(path)


def start_download(qtbot: QtBot, browser: HubBrowser, repo_id: str = REPO, path: str = Q4) -> None:
    search(browser, "tiny")
    select_file(select_repo(browser, repo_id), path)
    child(browser, QPushButton, "hubDownloadButton").click()


def queue_row(browser: HubBrowser, row: int = 0) -> list[str]:
    table = child(browser, QTableWidget, "downloadQueue")
    return [table.item(row, c).text() for c in (0, 1, 3)]


def press(browser: HubBrowser, action: str, row: int = 0) -> None:
    child(browser, QTableWidget, "downloadQueue").selectRow(row)
    button = child(browser, QPushButton, f"{action}DownloadButton")
    assert button.isEnabled(), action
    button.click()


def leftovers(models: Path) -> list[str]:
    folder = models / PARTIAL_DIR
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_recommended_list_before_any_search(browser: HubBrowser, hub: FakeHub) -> None:
    assert child(browser, QLabel, "hubResultsLabel").text() == "Recommended chat models for a start"
    assert result_ids(browser) == [repo for repo, _ in RECOMMENDED]
    assert RECOMMENDED[0][1] in child(browser, QListWidget, "hubResults").item(0).text()
    assert child(browser, QLabel, "hubMessage").isHidden() and child(browser, QWidget, "hubTokenRow").isHidden()
    assert hub.requests == []  # opening the page sends nothing


def test_search_lists_gguf_repositories(qtbot: QtBot, browser: HubBrowser) -> None:
    search(browser, "tiny")
    assert set(result_ids(browser)) == {"tiny/Tiny-GGUF", "tiny/Sharded-GGUF", "tiny/Gated-GGUF"}
    texts = {r: child(browser, QListWidget, "hubResults").item(i).text() for i, r in enumerate(result_ids(browser))}
    assert "gated" in texts["tiny/Gated-GGUF"] and "gated" not in texts[REPO] and "500" in texts[REPO]
    child(browser, QComboBox, "hubSortCombo").setCurrentIndex(1)  # most liked
    search(browser, "tiny")
    assert result_ids(browser)[0] == "tiny/Gated-GGUF"


def test_files_fit_and_model_card(browser: HubBrowser, hub: FakeHub, gguf_files: dict[str, bytes]) -> None:
    hub.repos[REPO]["README.md"] = b"---\nlicense: mit\n---\n# Tiny\n\n<b>raw</b> A tiny test model.\n"
    search(browser, "tiny")
    rows = file_rows(select_repo(browser, REPO))
    assert set(rows) == {Q4, "Tiny-q8_0.gguf"}
    assert rows[Q4][:3] == ["Q4_K_M", human_bytes(len(gguf_files["q4"])), ""]
    assert rows["Tiny-q8_0.gguf"][:2] == ["Q8_0", human_bytes(len(gguf_files["q8"]))]
    assert all(r[3].startswith("fits in RAM") for r in rows.values())
    card = child(browser, QTextBrowser, "hubModelCard").toPlainText()
    assert "A tiny test model." in card and "<b>raw</b>" in card  # HTML is shown as text, not interpreted
    assert "license: mit" not in card  # the YAML front matter is metadata, not prose


def test_download_shows_progress_then_done(qtbot: QtBot, browser: HubBrowser, manager: DownloadManager,
                                           models: Path, gguf_files: dict[str, bytes], small_chunks: None) -> None:
    # small_chunks: many progress reports even on a fast local transfer, so the in-flight text is seen
    seen: list[str] = []
    manager.changed.connect(lambda item: seen.append(queue_row(browser)[2]) if item.progress else None)
    with qtbot.waitSignal(browser.modelDownloaded, timeout=20000) as done:
        start_download(qtbot, browser)
    assert done.args == [models / Q4]
    assert (models / Q4).read_bytes() == gguf_files["q4"] and leftovers(models) == []
    assert any(" of " in text and "/s" in text for text in seen)
    assert queue_row(browser)[:2] == [Q4, "Done"]
    assert child(browser, QTableWidget, "downloadQueue").cellWidget(0, 2).value() == 1000


def test_pause_then_resume(qtbot: QtBot, browser: HubBrowser, manager: DownloadManager, gate: Gate,
                           hub: FakeHub, models: Path, gguf_files: dict[str, bytes]) -> None:
    gate.armed = True
    start_download(qtbot, browser)
    qtbot.waitUntil(gate.reached.is_set)
    press(browser, "pause")
    gate.release.set()
    (item,) = manager.items()
    qtbot.waitUntil(lambda: item.state is DownloadState.PAUSED and not item.active)
    assert queue_row(browser)[1] == "Paused" and not (models / Q4).exists()
    kept = (models / PARTIAL_DIR / f"tiny--Tiny-GGUF--{Q4}.part").stat().st_size
    assert 0 < kept < len(gguf_files["q4"])
    with qtbot.waitSignal(manager.finished, timeout=20000):
        press(browser, "resume")
    assert (models / Q4).read_bytes() == gguf_files["q4"]
    assert hub.file_requests()[-1].headers["range"] == f"bytes={kept}-"


def test_cancel_removes_partial(qtbot: QtBot, browser: HubBrowser, manager: DownloadManager, gate: Gate,
                                models: Path) -> None:
    gate.armed = True
    start_download(qtbot, browser)
    qtbot.waitUntil(gate.reached.is_set)
    with qtbot.waitSignal(manager.changed, check_params_cb=lambda i: i.state is DownloadState.CANCELLED):
        press(browser, "cancel")
        gate.release.set()
    assert manager.items() == [] and child(browser, QTableWidget, "downloadQueue").rowCount() == 0
    assert leftovers(models) == [] and list(models.glob("*.gguf")) == []


def test_gated_repo_asks_for_token(qtbot: QtBot, browser: HubBrowser) -> None:
    search(browser, "gated")
    select_repo(browser, "tiny/Gated-GGUF")
    message = child(browser, QLabel, "hubMessage")
    assert "gated or private" in message.text() and not message.isHidden()
    assert not child(browser, QWidget, "hubTokenRow").isHidden()
    child(browser, QLineEdit, "hubTokenEdit").setText(TOKEN)
    child(browser, QPushButton, "hubSaveTokenButton").click()
    assert stored_token() == TOKEN and child(browser, QWidget, "hubTokenRow").isHidden()
    tree = child(browser, QTreeWidget, "hubFiles")
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 0)
    assert file_rows(tree)["Gated-BF16.gguf"][0] == "BF16"


def test_offline_makes_no_requests(qtbot: QtBot, hub: FakeHub, manager: DownloadManager, models: Path) -> None:
    browser = make_browser(qtbot, manager, models, lambda: HubClient(offline=True))
    child(browser, QLineEdit, "hubSearchEdit").setText("tiny")
    child(browser, QPushButton, "hubSearchButton").click()
    assert child(browser, QLabel, "hubMessage").text() == offline_text()
    assert offline_text().startswith("Offline: Parley makes no network requests")
    child(browser, QListWidget, "hubResults").setCurrentRow(0)  # a recommended model
    assert browser.wait_idle(30)
    assert child(browser, QLabel, "hubMessage").text() == offline_text()
    assert hub.requests == []


def test_corrupted_download_fails_then_retry(qtbot: QtBot, browser: HubBrowser, manager: DownloadManager,
                                            hub: FakeHub, models: Path, gguf_files: dict[str, bytes]) -> None:
    hub.corrupt = True
    with qtbot.waitSignal(manager.failed, timeout=20000) as failed:
        start_download(qtbot, browser)
    item: DownloadItem = failed.args[0]
    assert item.state is DownloadState.FAILED and "checksum does not match" in item.error
    assert queue_row(browser)[1] == "Failed" and "checksum" in queue_row(browser)[2]
    assert list(models.glob("*.gguf")) == [] and leftovers(models) == []
    hub.corrupt = False
    with qtbot.waitSignal(browser.modelDownloaded, timeout=20000):
        press(browser, "retry")
    assert (models / Q4).read_bytes() == gguf_files["q4"]


def test_sharded_model_downloads_every_shard(qtbot: QtBot, browser: HubBrowser, models: Path,
                                             gguf_files: dict[str, bytes]) -> None:
    got: list[Path] = []
    browser.modelDownloaded.connect(got.append)
    start_download(qtbot, browser, "tiny/Sharded-GGUF", "Q4_K_M/Sharded-Q4_K_M-00002-of-00002.gguf")
    qtbot.waitUntil(lambda: len(got) == 2, timeout=20000)
    assert [p.name for p in got] == ["Sharded-Q4_K_M-00001-of-00002.gguf", "Sharded-Q4_K_M-00002-of-00002.gguf"]
    assert [p.read_bytes() for p in got] == [gguf_files["shard1"], gguf_files["shard2"]]


def test_resume_pending_after_restart(qtbot: QtBot, hub: FakeHub, gate: Gate, models: Path,
                                      gguf_files: dict[str, bytes]) -> None:
    first = DownloadManager(backoff=0.01)
    client = HubClient()
    q4 = next(f for f in client.gguf_files(REPO) if f.path == Q4)
    gate.armed = True
    item = first.enqueue(client, REPO, q4, models)
    qtbot.waitUntil(gate.reached.is_set)
    first.pause(item)
    gate.release.set()
    first.shutdown()  # quitting: waits for the worker, which stops with the partial kept
    assert item.state is DownloadState.PAUSED and not (models / Q4).exists()
    kept = (models / PARTIAL_DIR / f"tiny--Tiny-GGUF--{Q4}.part").stat().st_size

    second = DownloadManager(backoff=0.01)  # "restart"
    try:
        (again,) = second.resume_pending(HubClient(), models)
        assert (again.repo_id, again.file, again.state) == (REPO, q4, DownloadState.PAUSED)
        assert again.progress is not None and again.progress.done == kept
        browser = make_browser(qtbot, second, models)  # the page shows it, ready to resume
        assert queue_row(browser)[:2] == [Q4, "Paused"] and len(second.items()) == 1
        with qtbot.waitSignal(browser.modelDownloaded, timeout=20000):
            press(browser, "resume")
        assert (models / Q4).read_bytes() == gguf_files["q4"] and leftovers(models) == []
        assert hub.file_requests()[-1].headers["range"] == f"bytes={kept}-"
    finally:
        second.shutdown()



def test_offline_reads_as_offline_in_chinese_too(qtbot: QtBot, qapp: QApplication, hub: FakeHub,
                                                 manager: DownloadManager, models: Path) -> None:
    """Offline mode says so in Chinese, before any request, like in English."""
    subprocess.run([sys.executable, str(ROOT / "packaging" / "translations.py"), "release"], check=True,
                   capture_output=True)
    install_language(qapp, "zh_CN")
    try:
        browser = make_browser(qtbot, manager, models, lambda: HubClient(offline=True))
        child(browser, QLineEdit, "hubSearchEdit").setText("tiny")
        child(browser, QPushButton, "hubSearchButton").click()
        assert child(browser, QLabel, "hubMessage").text() == offline_text()
        assert offline_text().startswith("离线") and hub.requests == []
    finally:
        install_language(qapp, "en")
