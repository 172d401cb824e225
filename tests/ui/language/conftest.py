"""The Chinese interface's tests: the .qm files compiled once (what `make` does first), and Parley's and Qt's
Chinese translators installed for a test that asks for them (`chinese`), English again after it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.ui.language import install_language
from tests.fakes import FakeBackend

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session", autouse=True)
def compiled() -> None:
    subprocess.run([sys.executable, str(ROOT / "packaging" / "translations.py"), "release"], check=True,
                   capture_output=True)


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    """Messages made during the test come through the Chinese translators (a test with a window of its own defines
    its own `chinese`)."""
    install_language(qapp, "zh_CN")
    try:
        yield
    finally:
        install_language(qapp, "en")


OpenWindow = Callable[..., Parley]


@pytest.fixture
def open_chinese(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                 qapp: QApplication) -> Iterator[OpenWindow]:
    """Opens Parley's window as a person who chose 简体中文 sees it (on a fake engine unless given one); closed, and
    the language back to English, after the test."""
    opened: list[Parley] = []

    def open_window(model: Path | None = None, first_run_done: bool = True) -> Parley:
        settings = {"schema_version": 3, "language": "zh_CN", "first_run_done": first_run_done}
        (data_dir / "settings.json").write_text(json.dumps(settings))
        monkeypatch.delenv("PARLEY_LANGUAGE", raising=False)
        parts = create_window(data_dir, model, FakeBackend())
        qtbot.addWidget(parts.window)
        opened.append(parts)
        return parts

    yield open_window
    for parts in opened:
        parts.window.close()
    install_language(qapp, "en")  # the next test's window is English again
