"""The first-run welcome, the About dialog and the GPU-layers estimate, on the real window over FakeBackend."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.settings import Settings
from desktop.inference.backend import LoadedModel, LoadOptions
from desktop.ui.shell.about_dialog import AboutDialog, offline_promise
from desktop.ui.shell.first_run import FirstRunPanel
from tests.fakes import FakeBackend, fake_info


class GpuBackend(FakeBackend):
    """As FakeBackend, but a CUDA build that had to load fewer layers than asked for."""

    def load(self, path: Path, options: LoadOptions) -> LoadedModel:
        super().load(path, options)
        notice = "Not enough GPU memory for all 26 layers: loaded with 13 on the GPU and the rest on the CPU."
        return LoadedModel(fake_info(path), 4096, 8, "CUDA", 13, 26, notice)


def open_window(qtbot: QtBot, data_dir: Path, backend: FakeBackend | None = None) -> Parley:
    win = create_window(data_dir, backend=backend or FakeBackend())
    qtbot.addWidget(win.window)
    win.window.show()
    qtbot.waitUntil(lambda: win.controller.model is not None)
    return win


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[Parley]:
    win = open_window(qtbot, data_dir)
    yield win
    win.window.close()


def panel_of(win: Parley) -> FirstRunPanel:
    panel = win.window.findChild(FirstRunPanel, "firstRunPage")
    assert panel is not None
    return panel


def text(where: Parley | QWidget, name: str) -> str:
    label = (where.window if isinstance(where, Parley) else where).findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def test_welcome_on_a_fresh_data_folder_says_what_parley_is(window: Parley) -> None:
    panel = panel_of(window)
    assert panel.isVisible()
    assert "Parley is a private chat app" in text(panel, "firstRunIntroduction")
    assert text(panel, "firstRunModelStatus") == "The built-in base model Gemma 3 270M loaded and ready"
    assert text(panel, "firstRunGpuLine") == "Running on the CPU (this build has no GPU support)"
    assert text(panel, "firstRunPrivacy") == offline_promise()
    assert "No telemetry" in offline_promise() and "search or download" in offline_promise()
    assert window.window.findChild(QPlainTextEdit, "messageInput").isVisible()  # the chat stays usable below


def test_welcome_says_loading_before_the_model_is_ready(qtbot: QtBot, data_dir: Path) -> None:
    backend = FakeBackend()
    win = create_window(data_dir, backend=backend)
    qtbot.addWidget(win.window)
    assert text(panel_of(win), "firstRunModelStatus") .startswith("Loading ")
    assert win.window.findChild(QLabel, "firstRunGpuLine").isHidden()
    qtbot.waitUntil(lambda: win.controller.model is not None)
    assert "loaded and ready" in text(panel_of(win), "firstRunModelStatus")
    win.window.close()


def test_start_chatting_dismisses_for_good(qtbot: QtBot, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir)
    qtbot.mouseClick(win.window.findChild(QPushButton, "firstRunChatButton"), Qt.MouseButton.LeftButton)
    assert panel_of(win).isHidden()
    win.window.close()
    assert Settings.load(data_dir / "settings.json").first_run_done
    again = open_window(qtbot, data_dir)
    assert again.window.findChild(QWidget, "firstRunPage") is None and again.first_run is None
    again.window.close()


def test_not_dismissed_shows_again_after_restart(qtbot: QtBot, data_dir: Path) -> None:
    open_window(qtbot, data_dir).window.close()
    again = open_window(qtbot, data_dir)
    assert panel_of(again).isVisible()
    again.window.close()


def test_find_a_chat_model_opens_the_hugging_face_page(window: Parley) -> None:
    window.window.findChild(QPushButton, "firstRunFindModelButton").click()
    assert window.window.pages.currentWidget().objectName() == "hubBrowser"
    assert window.window.pages.tabText(window.window.pages.currentIndex()) == "Hugging Face"
    assert not panel_of(window).isHidden()  # still there when the person comes back to the chat


def test_first_message_dismisses_the_welcome(qtbot: QtBot, window: Parley) -> None:
    window.window.findChild(QPlainTextEdit, "messageInput").setPlainText("Hi")
    qtbot.mouseClick(window.window.findChild(QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.controller.generating)
    assert panel_of(window).isHidden() and window.controller.settings.first_run_done
    assert window.window.chat_view.message_texts()[0] == "Hi"


def test_older_settings_mean_parley_ran_before(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": 2, "last_model": "/m.gguf", "offline": True}))
    loaded = Settings.load(path)
    assert loaded.first_run_done and loaded.offline and loaded.last_model == "/m.gguf"
    assert not Settings().first_run_done
    Settings(first_run_done=True).save(path)
    assert Settings.load(path).first_run_done


def test_gpu_build_line_and_fallback_notice(qtbot: QtBot, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir, GpuBackend())
    assert text(panel_of(win), "firstRunGpuLine") == "Using CUDA with 13 of 26 layers on the GPU"
    assert text(win, "modelStatusLabel").endswith("CUDA · 13/26 layers on GPU")
    notice = win.window.findChild(QWidget, "noticeBanner")
    assert notice.isVisible() and notice.property("error") is False
    assert "loaded with 13 on the GPU" in text(win, "noticeText")
    win.window.close()


def test_status_bar_names_a_cpu_build(window: Parley) -> None:
    assert text(window, "modelStatusLabel").endswith("CPU build · 2 threads")


def test_about_dialog_shows_versions_backend_model_and_copies(window: Parley, data_dir: Path) -> None:
    assert window.window.findChild(object, "aboutAction") is window.window.about_action
    window.window.about_action.trigger()
    dialog = window.about_dialog
    assert isinstance(dialog, AboutDialog) and dialog.objectName() == "aboutDialog" and dialog.isVisible()
    rows = dict(dialog.rows)
    assert rows["Parley"] and rows["Parley"] != "unknown"
    assert rows["llama.cpp backend"] == "CPU only (this build of llama.cpp has no GPU support)"
    assert rows["Layers on the GPU"] == "none: the CPU runs all 4 layers (CPU build)"
    assert "gemma" in rows["Model"].lower() and rows["Qt"].startswith("PySide6 6.")
    assert rows["Data folder"] == str(data_dir.resolve())
    assert text(dialog, "aboutOfflinePromise") == offline_promise()
    dialog.findChild(QPushButton, "aboutCopyButton").click()
    copied = QGuiApplication.clipboard().text()
    assert "llama-cpp-python: " in copied and offline_promise() in copied and str(data_dir.resolve()) in copied
    dialog.close()


def test_a_fresh_data_folder_chats_with_the_instruction_tuned_model(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop.core.models.builtin import BUILTIN_FILENAME, CHAT_FILENAME

    backend = FakeBackend()
    win = create_window(tmp_path / "fresh", backend=backend)
    qtbot.addWidget(win.window)
    qtbot.waitUntil(lambda: win.controller.model is not None)
    models = tmp_path / "fresh" / "models"
    assert backend.loaded == models / CHAT_FILENAME  # the chat model answers in the chat
    assert (models / BUILTIN_FILENAME).is_file()  # and the base model is there for few-shot work
    panel = panel_of(win)
    assert text(panel, "firstRunModelStatus") == "The built-in chat model SmolLM2 135M Instruct loaded and ready"
    built_ins = text(panel, "firstRunBuiltIns")
    assert "SmolLM2 135M Instruct answers in the chat" in built_ins and "Gemma 3 270M, a base model" in built_ins
    win.window.close()
