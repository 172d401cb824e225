"""The Models page over a real library folder: listing, adding (copy / in place / drop), removing, loading."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel, QTableView
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.models.library import ModelEntry
from tests.fakes import FakeBackend
from tests.tiny_gguf import write_tiny_gguf


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[Parley]:
    win = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(win.window)
    qtbot.waitUntil(lambda: win.controller.model is not None)
    yield win
    win.window.close()


def rows(win: Parley) -> list[str]:
    model = win.window.findChild(QTableView, "libraryTable").model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def message(win: Parley) -> QLabel:
    label = win.window.findChild(QLabel, "libraryMessage")
    assert label is not None
    return label


def wait_rows(qtbot: QtBot, win: Parley, expected: int) -> None:
    qtbot.waitUntil(lambda: len(rows(win)) == expected, timeout=5000)


def test_lists_builtin_with_details(qtbot: QtBot, window: Parley) -> None:
    assert window.window.findChild(object, "modelLibrary") is not None
    wait_rows(qtbot, window, 1)
    model = window.window.findChild(QTableView, "libraryTable").model()
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[0] == "Gemma 3 270m (built-in)" and row[1] == "gemma3" and row[3] == "Q4_K_M"
    assert row[5] == "32768" and row[6].startswith("no")
    assert "fits" in row[9]
    assert "1 usable" in window.window.findChild(QLabel, "librarySummary").text()


def test_add_copy_and_in_place_then_remove(qtbot: QtBot, window: Parley, tmp_path: Path, data_dir: Path) -> None:
    wait_rows(qtbot, window, 1)
    downloads, elsewhere = tmp_path / "downloads", tmp_path / "elsewhere"
    downloads.mkdir()
    elsewhere.mkdir()
    copied = write_tiny_gguf(downloads / "copied.gguf", name="Copied")
    in_place = write_tiny_gguf(elsewhere / "inplace.gguf", name="In Place")
    window.library.add_files([copied], copy=True)
    wait_rows(qtbot, window, 2)
    assert (data_dir / "models" / "copied.gguf").is_file()
    window.library.add_files([in_place], copy=False)
    qtbot.waitUntil(lambda: "In Place" in rows(window), timeout=5000)
    assert not (data_dir / "models" / "inplace.gguf").exists()
    entry = next(e for e in window.library.page.model.entries() if e.name == "Copied")
    window.library.remove(entry, confirm=False)
    qtbot.waitUntil(lambda: "Copied" not in rows(window), timeout=5000)
    assert not (data_dir / "models" / "copied.gguf").exists()
    assert (data_dir / "models" / BUILTIN_FILENAME).exists()


def test_broken_file_is_refused_with_a_message(qtbot: QtBot, window: Parley, tmp_path: Path) -> None:
    wait_rows(qtbot, window, 1)
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF\x03\x00\x00\x00")
    window.library.add_files([broken], copy=True)
    assert "broken.gguf" in message(window).text() and not message(window).isHidden()
    assert window.window.notice.isHidden()  # on the Models page, where it happened, not in the Chat tab's banner
    assert len(rows(window)) == 1


def test_drop_on_window_adds(qtbot: QtBot, window: Parley, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wait_rows(qtbot, window, 1)
    dropped = write_tiny_gguf(tmp_path / "dropped.gguf", name="Dropped")
    monkeypatch.setattr(window.library, "_ask_copy", lambda _paths: True)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.window.dropEvent(event)
    qtbot.waitUntil(lambda: "Dropped" in rows(window), timeout=5000)


def test_load_from_library_switches_to_chat(qtbot: QtBot, window: Parley, tmp_path: Path) -> None:
    wait_rows(qtbot, window, 1)
    window.library.add_files([write_tiny_gguf(tmp_path / "other.gguf", name="Other")], copy=True)
    qtbot.waitUntil(lambda: "Other" in rows(window), timeout=5000)
    window.window.pages.setCurrentIndex(1)
    page = window.library.page
    row = [e.name for e in page.model.entries()].index("Other")
    page.table.selectRow(row)
    page.load_button.click()
    qtbot.waitUntil(lambda: window.controller.model.info.path.name == "other.gguf")
    assert window.window.pages.currentIndex() == 0


def test_per_model_settings_apply_on_load_and_persist(qtbot: QtBot, window: Parley, data_dir: Path) -> None:
    wait_rows(qtbot, window, 1)
    page = window.library.page
    panel = page.settings_panel
    assert not panel.isEnabled()
    page.table.selectRow(0)
    assert panel.isEnabled()
    before = page.model.index(0, 9).data()
    panel.context.setValue(2048)
    assert page.model.index(0, 9).data() != before and "2048 ctx" in page.model.index(0, 9).data()
    panel.preset.setCurrentText("Creative")
    panel.system_prompt.setText("Talk like a pirate.")
    panel.system_prompt.textEdited.emit("Talk like a pirate.")
    page.load_button.click()
    qtbot.waitUntil(lambda: window.controller.model is not None and window.controller.model.n_ctx == 2048)
    assert window.window.system_prompt.text() == "Talk like a pirate."
    assert window.window.sampling.preset.currentText() == "Creative"
    assert "context 0/2048" in window.window.findChild(QLabel, "modelStatusLabel").text()
    window.window.close()
    again = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(again.window)
    qtbot.waitUntil(lambda: again.controller.model is not None)
    assert again.controller.model.n_ctx == 2048
    again.window.close()


def test_library_messages_show_on_the_models_page(qtbot: QtBot, window: Parley, tmp_path: Path,
                                                  data_dir: Path) -> None:
    wait_rows(qtbot, window, 1)
    assert message(window).isHidden()
    again = tmp_path / BUILTIN_FILENAME
    again.write_bytes((data_dir / "models" / BUILTIN_FILENAME).read_bytes())
    window.library.add_files([again], copy=True)
    assert "already in the library" in message(window).text() and message(window).property("error") is False
    assert window.window.notice.isHidden()
    # Copying fails (here a folder is in the way of the partial copy): said on the page, nothing raised.
    blocked = write_tiny_gguf(tmp_path / "blocked.gguf", name="Blocked")
    (data_dir / "models" / "blocked.gguf.partial").mkdir()
    window.library.add_files([blocked], copy=True)
    assert "blocked.gguf" in message(window).text() and message(window).property("error") is True
    assert window.window.notice.isHidden()
    # A file that cannot be deleted: said on the page.
    stuck = data_dir / "models" / "stuck.gguf"
    stuck.mkdir()
    (stuck / "inside").write_text("x")
    window.library.remove(ModelEntry(stuck, (stuck,), 0, None, "unusable", False), confirm=False)
    assert "stuck.gguf" in message(window).text() and window.window.notice.isHidden()
    # The next add that works clears the old message.
    window.library.add_files([write_tiny_gguf(tmp_path / "fine.gguf", name="Fine")], copy=True)
    assert message(window).isHidden()


def test_a_file_dropped_on_the_chat_page_reports_on_the_models_page(qtbot: QtBot, window: Parley,
                                                                      tmp_path: Path) -> None:
    wait_rows(qtbot, window, 1)
    window.window.show_chat()
    broken = tmp_path / "dropped-broken.gguf"
    broken.write_bytes(b"GGUF\x03\x00\x00\x00")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(broken))])
    window.window.dropEvent(QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))
    assert window.window.pages.currentWidget() is window.library.page
    assert "dropped-broken.gguf" in message(window).text() and window.window.notice.isHidden()
