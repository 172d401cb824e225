"""A bundle built without the built-in models' packages: Parley opens, says so, and offers a download."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.app import create_window
from desktop.core.models import builtin as builtin_model
from desktop.core.models.builtin import BUILTIN_SEARCH, BuiltinMissingError, ensure_builtin
from tests.fakes import FakeBackend


@pytest.fixture
def no_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builtin_model, "PACKAGE", "parley_no_such_model_package")
    monkeypatch.setattr(builtin_model, "CHAT_DISTRIBUTION", "parley-no-such-chat-model")


@pytest.mark.usefixtures("no_package")
def test_ensure_builtin_says_what_to_do(tmp_path: Path) -> None:
    assert not builtin_model.builtin_available()
    with pytest.raises(BuiltinMissingError, match="Hugging Face"):
        ensure_builtin(tmp_path)
    (tmp_path / builtin_model.BUILTIN_FILENAME).write_bytes(b"GGUF")  # already assembled: no package needed
    assert ensure_builtin(tmp_path) == tmp_path / builtin_model.BUILTIN_FILENAME


@pytest.mark.usefixtures("no_package")
def test_window_opens_without_a_model_and_offers_a_download(qtbot: QtBot, tmp_path: Path) -> None:
    backend = FakeBackend()
    window = create_window(tmp_path / "data", backend=backend)
    qtbot.addWidget(window.window)
    window.window.show()
    try:
        qtbot.wait(50)
        assert backend.loaded is None and window.controller.model is None
        assert "does not include the built-in model" in window.window.notice.label.text()
        assert not window.window.send_button.isEnabled()
        welcome = window.first_run
        assert welcome is not None and welcome.isVisible()
        assert "No model is loaded yet" in welcome.model_status.text()
        qtbot.mouseClick(welcome.find_button, Qt.MouseButton.LeftButton)
        pages = window.window.pages
        assert pages.currentIndex() == pages.indexOf(window.window.findChild(object, "hubBrowser"))
        assert window.window.findChild(object, "hubSearchEdit").text() == BUILTIN_SEARCH
    finally:
        window.window.close()
