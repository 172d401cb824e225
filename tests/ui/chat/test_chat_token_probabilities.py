"""Token probabilities in the chat (scripted backend): recorded, shown token by token, saved, branched from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.conversations.messages import Role
from tests.fakes import FakeBackend

REPLY = "The cat sat on the mat."


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend(reply=REPLY)


def open_window(qtbot: QtBot, data_dir: Path, backend: FakeBackend) -> Parley:
    win = create_window(data_dir, backend=backend)
    qtbot.addWidget(win.window)
    win.window.show()
    qtbot.waitUntil(lambda: win.controller.model is not None)
    return win


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, backend: FakeBackend) -> Iterator[Parley]:
    win = open_window(qtbot, data_dir, backend)
    yield win
    win.window.close()


def chat(qtbot: QtBot, win: Parley, text: str) -> None:
    win.controller.send(text)
    qtbot.waitUntil(lambda: not win.controller.generating)


def test_recording_is_off_until_token_view_is_asked_for(qtbot: QtBot, window: Parley,
                                                       backend: FakeBackend) -> None:
    assert not window.window.sampling.record_probabilities.isChecked()
    chat(qtbot, window, "Hello")
    assert backend.requests[-1].alternatives == 0
    window.window.token_view_button.setChecked(True)
    assert window.window.sampling.record_probabilities.isChecked()
    assert "recorded from now on" in window.window.notice.label.text()
    window.controller.regenerate()
    qtbot.waitUntil(lambda: not window.controller.generating)
    assert backend.requests[-1].alternatives == 5
    assert window.window.chat_view.last_bubble().showing_tokens()  # type: ignore[union-attr]


def test_steps_are_recorded_and_shown_token_by_token(qtbot: QtBot, window: Parley, backend: FakeBackend) -> None:
    window.window.sampling.record_probabilities.setChecked(True)
    window.window.sampling.alternatives.setValue(3)
    chat(qtbot, window, "Tell me about cats")
    assert backend.requests[-1].alternatives == 3
    reply = window.controller.conversation.last_reply
    assert reply is not None and [s.text for s in reply.steps] == ["The", " cat", " sat", " on", " the", " mat."]
    assert all(len(s.alternatives) == 3 for s in reply.steps)
    bubble = window.window.chat_view.last_bubble()
    assert bubble is not None and bubble.steps == reply.steps
    assert not bubble.showing_tokens()  # Markdown until the toggle is on
    window.window.token_view_button.setChecked(True)
    assert bubble.showing_tokens()
    html = bubble._body.document().toHtml()
    assert "tok:1" in html and "background-color" in html
    assert bubble.shown_text() == REPLY
    tip = bubble.token_tooltip(1)
    assert "·cat" in tip and "50.0%" in tip and "entropy" in tip
    window.window.token_view_button.setChecked(False)
    assert not bubble.showing_tokens()


def test_recording_off_sends_no_alternatives(qtbot: QtBot, window: Parley, backend: FakeBackend) -> None:
    window.window.token_view_button.setChecked(True)
    window.window.sampling.record_probabilities.setChecked(False)
    chat(qtbot, window, "Hello")
    assert backend.requests[-1].alternatives == 0
    reply = window.controller.conversation.last_reply
    assert reply is not None and reply.steps == ()


def test_steps_are_saved_and_come_back(qtbot: QtBot, data_dir: Path, backend: FakeBackend) -> None:
    win = open_window(qtbot, data_dir, backend)
    win.window.sampling.record_probabilities.setChecked(True)
    chat(qtbot, win, "Tell me about cats")
    saved = win.controller.conversation.last_reply.steps  # type: ignore[union-attr]
    win.window.close()
    again = open_window(qtbot, data_dir, FakeBackend(reply=REPLY))
    try:
        reply = again.controller.conversation.last_reply
        assert reply is not None and reply.steps == saved
        assert again.window.chat_view.steps(1) == saved
    finally:
        again.window.close()


def test_continue_with_an_alternative_makes_a_new_branch(qtbot: QtBot, window: Parley,
                                                         backend: FakeBackend) -> None:
    window.window.token_view_button.setChecked(True)
    chat(qtbot, window, "Tell me about cats")
    window.controller.probabilities.token_clicked(1, 1)  # " cat"
    menu = window.controller.probabilities.last_menu
    actions = [a for a in menu.actions() if a.objectName().startswith("alternative")]
    assert len(actions) == 5 and not actions[0].isEnabled()  # the chosen token itself
    alternative = window.window.chat_view.steps(1)[1].alternatives[1]  # " the" (id 0)
    menu.close()
    window.controller.probabilities.continue_with(1, 1, alternative)
    qtbot.waitUntil(lambda: not window.controller.generating)
    request = backend.requests[-1]
    assert request.forced == (100, alternative.token_id)
    reply = window.controller.conversation.last_reply
    assert reply is not None and reply.content.startswith("The the")
    assert [s.token_id for s in reply.steps[:2]] == [100, alternative.token_id]
    bubble = window.window.chat_view.last_bubble()
    assert bubble is not None and bubble.branch_text() == "2/2"
    window.controller.navigation.switch_branch(1, -1)
    assert window.controller.conversation.messages[1].content == REPLY
    assert window.controller.conversation.messages[1].role is Role.ASSISTANT


def test_sampling_view_shows_a_clicked_step(qtbot: QtBot, window: Parley, backend: FakeBackend) -> None:
    window.window.sampling.record_probabilities.setChecked(True)
    chat(qtbot, window, "Tell me about cats")
    window.controller.probabilities.show_step_distribution(1, 2)
    view = window.window.sampling_view
    qtbot.waitUntil(lambda: view.distribution() is not None)
    prompt, ids = backend.distribution_requests[-1]
    assert ids == (100, 101) and prompt.endswith(window.controller.template.render(  # type: ignore[union-attr]
        window.controller.conversation.turns()[:1]).text[-20:])
    assert view.distribution().chosen == 102  # type: ignore[union-attr]
    assert window.window.side_tabs.currentWidget() is view
    rows = view.rows()
    assert rows[0]["text"] == "the"
    window.window.sampling.temperature.setValue(1.5)
    assert view.params().temperature == 1.5


def test_prompt_distribution_button(qtbot: QtBot, window: Parley, backend: FakeBackend) -> None:
    window.window.message_input.setPlainText("What next?")
    window.window.sampling_view.promptDistributionRequested.emit()
    qtbot.waitUntil(lambda: window.window.sampling_view.distribution() is not None)
    prompt, ids = backend.distribution_requests[-1]
    assert "What next?" in prompt and ids == ()
