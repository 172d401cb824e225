"""The raw prompt's tokens with the real built-in model: Gemma's markers are special, sections add up."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import create_window
from desktop.ui.chat.raw_prompt_tokens import _formats
from desktop.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.integration


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[MainWindow]:
    win = create_window(data_dir)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.controller.model is not None, timeout=30000)
    yield win
    win.close()


def test_gemma_tokens_special_markers_and_sections(qtbot: QtBot, window: MainWindow) -> None:
    window.system_prompt.set_text("You are a friendly assistant.")
    window.sampling.max_tokens.setValue(8)
    window.sampling.seed.setValue(7)
    window.message_input.setPlainText("Hi there")
    window.send_button.click()
    qtbot.waitUntil(lambda: not window.controller.generating, timeout=60000)
    window.message_input.setPlainText("What is the capital of France?")
    raw = window.raw_prompt
    tokens = raw.token_view
    qtbot.waitUntil(lambda: "France" in "".join(p.text for p in tokens.pieces), timeout=10000)

    assert "".join(p.text for p in tokens.pieces) == raw.view.toPlainText()  # the template wrote <bos>
    assert tokens.pieces[0].text == "<bos>" and tokens.pieces[0].special
    markers = [p for p in tokens.pieces if p.text in ("<start_of_turn>", "<end_of_turn>")]
    assert len(markers) == 7 and all(p.special for p in markers)  # 3 turns opened and closed, plus the reply's
    assert not any(p.special for p in tokens.pieces if "France" in p.text)
    _even, _odd, special = _formats(tokens.palette())
    assert tokens.token_format(0).foreground().color() == special.foreground().color()

    counts = dict((name, int(n)) for n, name in
                  ((m[2], m[1]) for m in re.finditer(r"(system|history|new message|template) (\d+)",
                                                     raw.sections.text())))
    assert set(counts) == {"system", "history", "new message", "template"}
    assert sum(counts.values()) == len(tokens.pieces)
    assert raw.tokens.text() == f"{len(tokens.pieces)} tokens of {window.controller.model.n_ctx} in the context"
    assert counts["template"] == 1 and 4 <= counts["system"] <= 8
    assert tokens.sections[-1] == "new message" and tokens.sections[0] == "template"
    france = next(i for i, p in enumerate(tokens.pieces) if "France" in p.text)
    assert tokens.hover_text(france).startswith(f"token {france + 1} · id {tokens.pieces[france].token_id} · ")
    assert tokens.hover_text(france).endswith("· section new message")
