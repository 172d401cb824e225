"""The chat controller on its own (a window, the model session over FakeBackend, no create_window): its reply job,
New chat while a reply streams, waiting while other work holds the model, and a borrowed model it ignores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.core.conversations.messages import GenerationStats
from desktop.core.settings import Settings
from desktop.inference.session import ModelSession
from desktop.inference.worker import InferenceClient
from desktop.ui.chat.controller import ChatController
from desktop.ui.shell.main_window import MainWindow
from tests.fakes import FakeBackend

CHAT_MODEL = Path("/models/chat.gguf")
LONG_REPLY = " ".join(f"w{i}" for i in range(2000))


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend(reply=LONG_REPLY, delay=0.002)


@pytest.fixture
def chat(qtbot: QtBot, backend: FakeBackend) -> Iterator[ChatController]:
    client = InferenceClient(backend)
    settings = Settings()
    session = ModelSession(client, settings)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    controller = ChatController(window, session, settings)
    try:
        with qtbot.waitSignal(session.modelChanged, timeout=5000):
            controller.load_model(CHAT_MODEL)
        yield controller
    finally:
        client.shutdown()


def test_new_chat_while_a_reply_streams_ends_the_reply_and_leaves_an_empty_chat(qtbot: QtBot,
                                                                                chat: ChatController) -> None:
    window = chat.window
    chat.send("Tell me a very long story")
    job = chat.reply_job
    assert job is not None and chat.generating and window.stop_button.isEnabled()
    stats: list[GenerationStats] = []
    ended: list[bool] = []
    job.result.connect(stats.append)
    chat.generationEnded.connect(lambda: ended.append(True))
    qtbot.waitUntil(lambda: len(chat.conversation.messages[-1].content) > 20, timeout=5000)  # it streams
    qtbot.mouseClick(window.new_chat_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not chat.generating, timeout=5000)
    assert ended == [True] and chat.reply_job is None
    assert stats[0].stopped and stats[0].generated_tokens < 2000  # the reply ended within a token or so
    assert chat.conversation.messages == [] and window.chat_view.message_texts() == []
    assert window.send_button.isEnabled() and not window.stop_button.isEnabled()
    assert not window.regenerate_button.isEnabled()
    assert "context 0/" in window.model_status.text()


def test_the_chat_waits_while_other_work_holds_the_model(qtbot: QtBot, chat: ChatController,
                                                         backend: FakeBackend) -> None:
    backend.reply = "Short."
    window = chat.window
    assert window.send_button.isEnabled()
    release = chat.session.client.hold()  # e.g. a few-shot run or a comparison
    assert not window.send_button.isEnabled()
    chat.send("Hi")
    assert not chat.generating and backend.requests == [] and chat.conversation.messages == []
    release()
    assert window.send_button.isEnabled()
    chat.send("Hi")
    assert chat.generating and not window.send_button.isEnabled()  # its own reply: Stop, not Send
    qtbot.waitUntil(lambda: not chat.generating, timeout=5000)
    assert window.send_button.isEnabled() and window.regenerate_button.isEnabled()
    assert window.chat_view.message_texts() == ["Hi", "Short."]


def test_a_borrowed_model_leaves_the_chat_as_it_was(qtbot: QtBot, chat: ChatController) -> None:
    """Compare loads another model for a column and hands the person's back: the chat never reacts."""
    window, session = chat.window, chat.session
    other = Path("/models/other.gguf")
    session.settings.for_model(other).system_prompt = "You are the other model."
    window.system_prompt.set_text("My own prompt.")
    templates = [window.template_combo.itemData(i) for i in range(window.template_combo.count())]
    status = window.model_status.text()
    borrowed = session.borrow(other)
    with qtbot.waitSignal(borrowed.finished, timeout=5000):
        pass
    back = session.give_back()
    assert back is not None
    with qtbot.waitSignal(back.finished, timeout=5000):
        pass
    assert chat.model is not None and chat.model.info.path == CHAT_MODEL
    assert window.system_prompt.text() == "My own prompt." and window.model_status.text() == status
    assert [window.template_combo.itemData(i) for i in range(window.template_combo.count())] == templates
    assert session.settings.last_model == str(CHAT_MODEL)
