"""Widget tests: the real window and controller over a scripted backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QPushButton, QSlider
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.ui.chat.view import ChatView
from tests.fakes import FakeBackend


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, backend: FakeBackend) -> Iterator[Parley]:
    win = create_window(data_dir, backend=backend)
    qtbot.addWidget(win.window)
    win.window.show()
    qtbot.waitUntil(lambda: win.controller.model is not None)
    yield win
    win.window.close()


def find(win: Parley, cls: type, name: str):  # type: ignore[no-untyped-def]
    widget = win.window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name}"
    return widget


def send(qtbot: QtBot, win: Parley, text: str) -> None:
    box = find(win, QPlainTextEdit, "messageInput")
    box.setPlainText(text)
    qtbot.mouseClick(find(win, QPushButton, "sendButton"), Qt.MouseButton.LeftButton)


def test_every_named_widget_exists(window: Parley) -> None:
    for name in ("chatView", "messageInput", "sendButton", "stopButton", "regenerateButton", "newChatButton",
                 "systemPromptEdit", "temperatureSlider", "topPSlider", "topKSpin", "minPSpin",
                 "repeatPenaltySpin", "maxTokensSpin", "seedSpin", "rawPromptView", "modelStatusLabel"):
        assert window.window.findChild(object, name) is not None, name


def test_builtin_model_is_loaded_and_labelled_base(window: Parley, backend: FakeBackend) -> None:
    assert backend.loaded is not None and backend.loaded.name == BUILTIN_FILENAME
    hint = find(window, QLabel, "modelHintLabel")
    assert hint.isVisible() and "base model" in hint.text() and "few-shot" in hint.text().lower()
    status = find(window, QLabel, "modelStatusLabel").text()
    assert "Q4_K_M" in status and "context 0/4096" in status and "CPU" in status


def test_enter_sends_and_reply_streams_into_chat_view(qtbot: QtBot, window: Parley) -> None:
    box = find(window, QPlainTextEdit, "messageInput")
    box.setFocus()
    qtbot.keyClicks(box, "Hi")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "there")
    assert box.toPlainText() == "Hi\nthere"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    chat = find(window, ChatView, "chatView")
    qtbot.waitUntil(lambda: not window.controller.generating)
    assert chat.message_texts() == ["Hi\nthere", "Hello there, this is a **fake** reply."]
    assert box.toPlainText() == ""
    last = chat.last_bubble()
    assert last is not None and "generated" in last.stats_text() and "tokens/s" in last.stats_text()
    qtbot.waitUntil(lambda: "**fake**" in last.rendered_text())


def test_request_uses_template_system_prompt_and_sampling(qtbot: QtBot, window: Parley,
                                                          backend: FakeBackend) -> None:
    find(window, QPlainTextEdit, "systemPromptEdit").setPlainText("Be brief.")
    slider = find(window, QSlider, "temperatureSlider")
    slider.setValue(slider.maximum())  # 2.0
    send(qtbot, window, "Question?")
    qtbot.waitUntil(lambda: len(backend.requests) == 1)
    request = backend.requests[0]
    assert request.params.temperature == 2.0
    assert request.prompt == "<bos><start_of_turn>user\nBe brief.\n\nQuestion?<end_of_turn>\n<start_of_turn>model\n"
    assert "<end_of_turn>" in request.stop


def test_stop_keeps_partial_reply(qtbot: QtBot, data_dir: Path) -> None:
    backend = FakeBackend(reply=" ".join(f"w{i}" for i in range(500)), delay=0.01)
    win = create_window(data_dir, backend=backend)
    qtbot.addWidget(win.window)
    win.window.show()
    win.window.activateWindow()
    qtbot.waitUntil(lambda: win.controller.model is not None)
    send(qtbot, win, "Tell me a long story")
    stop = find(win, QPushButton, "stopButton")
    qtbot.waitUntil(stop.isEnabled)
    qtbot.waitUntil(lambda: len(win.controller.conversation.messages[-1].content) > 10)
    qtbot.keyClick(find(win, QPlainTextEdit, "messageInput"), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not win.controller.generating, timeout=2000)
    reply = win.controller.conversation.messages[-1]
    assert reply.stats is not None and reply.stats.stopped
    assert 0 < reply.stats.generated_tokens < 500
    assert find(win, ChatView, "chatView").message_texts()[-1] == reply.content
    win.window.close()


def test_regenerate_replaces_last_reply(qtbot: QtBot, window: Parley, backend: FakeBackend) -> None:
    send(qtbot, window, "Hi")
    qtbot.waitUntil(lambda: not window.controller.generating)
    backend.reply = "A different answer."
    regenerate = find(window, QPushButton, "regenerateButton")
    assert regenerate.isEnabled()
    qtbot.mouseClick(regenerate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(backend.requests) == 2 and not window.controller.generating)
    assert backend.requests[0].prompt == backend.requests[1].prompt
    assert find(window, ChatView, "chatView").message_texts() == ["Hi", "A different answer."]


def test_new_chat_clears(qtbot: QtBot, window: Parley) -> None:
    send(qtbot, window, "Hi")
    qtbot.waitUntil(lambda: not window.controller.generating)
    qtbot.mouseClick(find(window, QPushButton, "newChatButton"), Qt.MouseButton.LeftButton)
    assert find(window, ChatView, "chatView").message_texts() == []
    assert window.controller.conversation.messages == []
    assert not find(window, QPushButton, "regenerateButton").isEnabled()


def test_raw_prompt_shows_conversation_and_draft(qtbot: QtBot, window: Parley) -> None:
    send(qtbot, window, "First")
    qtbot.waitUntil(lambda: not window.controller.generating)
    find(window, QPlainTextEdit, "messageInput").setPlainText("Second")
    raw = find(window, QPlainTextEdit, "rawPromptView")
    qtbot.waitUntil(lambda: "Second" in raw.toPlainText())
    text = raw.toPlainText()
    assert text.startswith("<bos><start_of_turn>user\nFirst<end_of_turn>\n<start_of_turn>model\nHello there")
    assert text.endswith("<start_of_turn>user\nSecond<end_of_turn>\n<start_of_turn>model\n")
    label = find(window, QLabel, "rawPromptTokensLabel")
    qtbot.waitUntil(lambda: "tokens of 4096" in label.text())


def test_template_override_is_remembered(qtbot: QtBot, window: Parley, data_dir: Path,
                                         backend: FakeBackend) -> None:
    combo = window.window.template_combo
    index = combo.findData("chatml")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    send(qtbot, window, "Hi")
    qtbot.waitUntil(lambda: len(backend.requests) == 1 and not window.controller.generating)
    assert backend.requests[0].prompt == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    window.window.close()
    again = create_window(data_dir, backend=FakeBackend())
    qtbot.addWidget(again.window)
    qtbot.waitUntil(lambda: again.controller.model is not None)
    assert again.window.template_combo.currentData() == "chatml"
    again.window.close()


def test_bad_model_shows_message_and_falls_back_to_builtin(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    backend = FakeBackend()
    bad = tmp_path / "bad.gguf"
    bad.write_text("not a model")
    win = create_window(data_dir, model_path=bad, backend=backend)
    qtbot.addWidget(win.window)
    qtbot.waitUntil(lambda: win.controller.model is not None)
    assert backend.loaded is not None and backend.loaded.name == BUILTIN_FILENAME
    notice = find(win, QLabel, "noticeText")
    assert "bad.gguf" in notice.text() and "built-in model instead" in notice.text()
    win.window.close()


def test_sampling_presets_and_number_boxes(window: Parley) -> None:
    panel = window.window.sampling
    panel.preset.setCurrentText("Precise")
    assert panel.params().temperature == 0.2
    panel.temperature.box.setValue(1.5)
    assert panel.temperature.slider.value() == 150
    assert panel.preset.currentText() == "Custom"
    for name in ("temperatureSlider", "topPSlider", "topKSpin", "seedSpin"):
        assert window.window.findChild(object, name).toolTip()


def test_copy_button_copies_message(qtbot: QtBot, window: Parley) -> None:
    send(qtbot, window, "Copy me")
    qtbot.waitUntil(lambda: not window.controller.generating)
    bubble = find(window, ChatView, "chatView").bubbles()[0]
    qtbot.mouseClick(bubble.findChild(QPushButton, "copyButton"), Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "Copy me"


def test_markdown_code_blocks_render_and_html_stays_text(qtbot: QtBot, window: Parley,
                                                         backend: FakeBackend) -> None:
    backend.reply = "Here:\n\n```python\nprint('hi')\n```\n\n<b>not bold</b>"
    send(qtbot, window, "code please")
    qtbot.waitUntil(lambda: not window.controller.generating)
    bubble = find(window, ChatView, "chatView").last_bubble()
    assert bubble is not None
    shown = bubble.shown_text()
    assert "print('hi')" in shown and "```" not in shown  # the fence became a code block
    assert "<b>not bold</b>" in shown  # HTML from the model is not interpreted


def test_template_error_keeps_the_message_and_regenerate_answers_it(qtbot: QtBot, window: Parley,
                                                                    backend: FakeBackend) -> None:
    from desktop.core.prompting.chat_template import ChatTemplate

    good = window.session.template
    window.session.template = ChatTemplate("{{ ''.__class__.__mro__ }}", "Hostile")
    send(qtbot, window, "Hello?")
    chat = find(window, ChatView, "chatView")
    assert chat.message_texts() == ["Hello?"] and not window.controller.generating
    notice = find(window, QLabel, "noticeText").text()
    assert "Hostile" in notice and "not allowed" in notice
    window.session.template = good
    qtbot.mouseClick(find(window, QPushButton, "regenerateButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.controller.generating and len(backend.requests) == 1)
    assert chat.message_texts() == ["Hello?", "Hello there, this is a **fake** reply."]
