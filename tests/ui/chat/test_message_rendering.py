"""Messages shown faithfully: line breaks kept for both roles, code blocks shaded with a Copy link, inline code
styled as code."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextFormat
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.core.conversations.messages import Role
from desktop.ui.chat.markdown_view import COPY_LABEL, COPY_SCHEME
from desktop.ui.chat.message_bubble import MessageBubble

REPLY = "Here is a list:\nline one\nline two\n\n```python\ndef add(a, b):\n    return a + b\n```\n\nUse `add(1, 2)`."


@pytest.mark.parametrize("role", [Role.USER, Role.ASSISTANT])
def test_single_line_breaks_stay(qtbot: QtBot, role: Role) -> None:
    bubble = MessageBubble(role, "line one\nline two")
    qtbot.addWidget(bubble)
    assert bubble.shown_text().replace("\u2028", "\n") == "line one\nline two"


def test_code_blocks_are_shaded_and_copyable(qtbot: QtBot) -> None:
    bubble = MessageBubble(Role.ASSISTANT, REPLY)
    qtbot.addWidget(bubble)
    document = bubble._body.document()
    code = [b for b in _blocks(document) if b.blockFormat().hasProperty(QTextFormat.Property.BlockCodeFence)]
    assert [b.text() for b in code] == ["def add(a, b):", "    return a + b"]
    assert all(b.blockFormat().background().color().alpha() > 0 for b in code)
    assert code[0].previous().text() == COPY_LABEL
    bubble._link_clicked(QUrl(f"{COPY_SCHEME}:0"))
    assert QApplication.clipboard().text() == "def add(a, b):\n    return a + b"
    inline = [f for b in _blocks(document) for f in _fragments(b) if f.text() == "add(1, 2)"]
    assert inline and inline[0].charFormat().fontFixedPitch()
    assert inline[0].charFormat().background().color().alpha() > 0
    assert bubble.text == REPLY  # Copy on the message still copies the source as written


def _blocks(document):  # type: ignore[no-untyped-def]
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def _fragments(block):  # type: ignore[no-untyped-def]
    it = block.begin()
    while not it.atEnd():
        yield it.fragment()
        it += 1
