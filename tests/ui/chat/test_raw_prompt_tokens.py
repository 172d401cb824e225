"""The raw prompt's token view: boundaries, special tokens, hover text, counts per section, the toggle."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPlainTextEdit, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.prompting.probabilities import TokenPiece
from desktop.inference.backend import InferenceError
from desktop.ui.chat.prompt_panels import RawPromptView
from desktop.ui.chat.raw_prompt_tokens import MAX_TOKEN_VIEW, NEWLINE_MARK, TokenTextView, _formats
from tests.fakes import FakeBackend


class SplittingBackend(FakeBackend):
    """Tokens a little like a real tokenizer's: "<...>" markers (special), words, and single other characters."""

    def token_pieces(self, text: str) -> list[TokenPiece]:
        words = re.findall(r"<[^<>\s]+>|\w+|.", text, flags=re.DOTALL)
        return [TokenPiece(1000 + i, w, w.startswith("<")) for i, w in enumerate(words)]


class NoPiecesBackend(FakeBackend):
    def token_pieces(self, text: str) -> list[TokenPiece]:
        raise InferenceError("This model runtime cannot show token boundaries.")


def open_window(qtbot: QtBot, data_dir: Path, backend: FakeBackend) -> Parley:
    win = create_window(data_dir, backend=backend)
    qtbot.addWidget(win.window)
    win.window.show()
    qtbot.waitUntil(lambda: win.controller.model is not None)
    win.window.side_tabs.setCurrentWidget(win.window.raw_prompt)
    return win


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[Parley]:
    win = open_window(qtbot, data_dir, SplittingBackend())
    yield win
    win.window.close()


def raw(win: Parley) -> RawPromptView:
    return win.window.raw_prompt


def two_turns_and_draft(qtbot: QtBot, win: Parley) -> None:
    """System prompt, one exchange, and "Second" typed: the raw prompt of the next request."""
    win.window.system_prompt.set_text("Be brief.")
    win.window.message_input.setPlainText("First")
    win.window.send_button.click()
    qtbot.waitUntil(lambda: not win.controller.generating)
    win.window.message_input.setPlainText("Second")
    view = raw(win).token_view
    qtbot.waitUntil(lambda: len(view.pieces) > 6 and view.pieces[-6].text == "Second")


def test_counts_per_section_and_total(qtbot: QtBot, window: Parley) -> None:
    two_turns_and_draft(qtbot, window)
    sections = window.window.findChild(QLabel, "rawPromptSectionsLabel")
    total = window.window.findChild(QLabel, "rawPromptTokensLabel")
    # system: Be, " ", brief, "." — history: <start_of_turn> user \n (3), \n \n First <end_of_turn> \n <start_of_turn>
    # model \n (8), 19 tokens of the reply, <end_of_turn> \n (2) — new message: <start_of_turn> user \n Second
    # <end_of_turn> \n <start_of_turn> model \n — template: <bos>
    assert sections.text() == "system 4 · history 32 · new message 9 · template 1 tokens"
    assert total.text() == "46 tokens of 4096 in the context"
    assert len(raw(window).token_view.pieces) == 46


def test_token_view_is_shown_with_boundaries_and_special_tokens(qtbot: QtBot, window: Parley) -> None:
    two_turns_and_draft(qtbot, window)
    view = raw(window)
    tokens = window.window.findChild(TokenTextView, "rawPromptTokenView")
    toggle = window.window.findChild(QCheckBox, "rawPromptTokensToggle")
    assert toggle.isVisible() and toggle.isChecked() and toggle.text() == "Show tokens"
    assert tokens.isVisible() and not view.view.isVisible()
    # Newlines are kept (marked), the text is otherwise the prompt's.
    shown = tokens.toPlainText()
    assert shown.replace(NEWLINE_MARK, "") == window.window.findChild(QPlainTextEdit, "rawPromptView").toPlainText()
    even, odd, special = _formats(tokens.palette())
    assert tokens.pieces[0].text == "<bos>" and tokens.pieces[1].text == "<start_of_turn>"
    for i in (0, 1):
        fmt = tokens.token_format(i)
        assert fmt.foreground().color() == special.foreground().color()
        assert fmt.background().color() == special.background().color()
    user, newline = tokens.token_format(2), tokens.token_format(3)  # "user", "\n": alternating shades
    assert {user.background().color().name(), newline.background().color().name()} == {
        even.background().color().name(), odd.background().color().name()}
    assert user.foreground().color() != special.foreground().color()


def point_of(view: TokenTextView, index: int) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view._starts[index])
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 2, rect.center().y())


def test_hover_shows_token_id_text_and_section(qtbot: QtBot, window: Parley) -> None:
    two_turns_and_draft(qtbot, window)
    tokens = raw(window).token_view
    index = len(tokens.pieces) - 6  # "Second"
    point = point_of(tokens, index)
    assert tokens.token_at(point) == index
    assert tokens.hover_text(index) == f"token {index + 1} · id {1000 + index} · 'Second' · section new message"
    assert tokens.hover_text(0) == "token 1 · id 1000 · '<bos>' · special · section template"
    QApplication.sendEvent(tokens.viewport(), QHelpEvent(QEvent.Type.ToolTip, point, tokens.viewport()
                                                         .mapToGlobal(point)))
    qtbot.waitUntil(lambda: QToolTip.text() == tokens.hover_text(index))
    # Past the end of a line is no token.
    far = QPoint(tokens.viewport().width() - 3, point_of(tokens, 3).y())
    assert tokens.token_at(far) == -1
    QToolTip.hideText()


def test_toggle_switches_to_the_plain_text(qtbot: QtBot, window: Parley) -> None:
    two_turns_and_draft(qtbot, window)
    view = raw(window)
    view.tokens_toggle.setChecked(False)
    assert view.view.isVisible() and not view.token_view.isVisible()
    view.tokens_toggle.setChecked(True)
    assert view.token_view.isVisible() and not view.view.isVisible()


def test_changed_prompt_shows_plain_text_until_its_tokens_arrive(qtbot: QtBot) -> None:
    view = RawPromptView()
    qtbot.addWidget(view)
    view.show()
    assert not view.tokens_toggle.isVisible() and view.view.isVisible()
    pieces = [TokenPiece(1, "<bos>", True), TokenPiece(2, "Hi", False)]
    view.show_prompt("<bos>Hi", "Gemma")
    view.show_pieces(pieces, {"new message": 1, "template": 1}, 4096, ["template", "new message"])
    assert view.tokens_toggle.isVisible() and view.token_view.isVisible()
    view.show_prompt("<bos>Hi there", "Gemma")
    assert view.token_view.isVisible()  # no flicker while the new tokens are on their way
    qtbot.waitUntil(lambda: view.view.isVisible() and not view.token_view.isVisible())
    view.show_pieces([*pieces, TokenPiece(3, " there", False)], {"new message": 2, "template": 1}, 4096)
    assert view.token_view.isVisible()
    assert view.sections.text() == "new message 2 · template 1 tokens"
    view.show_error("The template failed.")
    assert not view.tokens_toggle.isVisible() and view.view.isVisible() and view.sections.text() == ""


def test_very_long_prompt_falls_back_to_plain_text_with_counts(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    view = RawPromptView(parent)
    parent.show()
    pieces = [TokenPiece(7, " w", False)] * (MAX_TOKEN_VIEW + 1)
    view.show_prompt(" w" * (MAX_TOKEN_VIEW + 1), "ChatML")
    view.show_pieces(pieces, {"history": MAX_TOKEN_VIEW + 1}, 32768)
    assert view.view.isVisible() and not view.token_view.isVisible()
    assert not view.tokens_toggle.isEnabled() and "too many" in view.tokens_toggle.toolTip()
    assert view.sections.text() == f"history {MAX_TOKEN_VIEW + 1} tokens"
    assert view.tokens.text() == f"{MAX_TOKEN_VIEW + 1} tokens of 32768 in the context"


def test_plain_fake_backend_special_words_and_sum(qtbot: QtBot, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir, FakeBackend())
    win.window.message_input.setPlainText("say <hi> please")
    tokens = raw(win).token_view
    qtbot.waitUntil(lambda: any(p.text == " <hi>" for p in tokens.pieces))
    index = next(i for i, p in enumerate(tokens.pieces) if p.text == " <hi>")
    assert tokens.pieces[index].special
    _even, _odd, special = _formats(tokens.palette())
    assert tokens.token_format(index).foreground().color() == special.foreground().color()
    counts = re.findall(r"(\d+)", raw(win).sections.text())
    assert sum(map(int, counts)) == len(tokens.pieces)
    assert tokens.hover_text(index).endswith("· section new message")
    win.window.close()


def test_runtime_without_token_pieces_still_counts(qtbot: QtBot, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir, NoPiecesBackend())
    win.window.message_input.setPlainText("one two three")
    label = win.window.findChild(QLabel, "rawPromptTokensLabel")
    qtbot.waitUntil(lambda: "tokens of 4096" in label.text())
    assert not raw(win).tokens_toggle.isVisible() and raw(win).view.isVisible()
    assert raw(win).sections.text() == ""
    win.window.close()
