"""The raw prompt's tokens with the real built-in model: Gemma's markers are special, sections add up."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.ui.chat.raw_prompt_tokens import _formats

pytestmark = pytest.mark.integration


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path) -> Iterator[Parley]:
    win = create_window(data_dir)
    qtbot.addWidget(win.window)
    win.window.show()
    qtbot.waitUntil(lambda: win.controller.model is not None, timeout=30000)
    yield win
    win.window.close()


def test_gemma_tokens_special_markers_and_sections(qtbot: QtBot, window: Parley) -> None:
    window.window.system_prompt.set_text("You are a friendly assistant.")
    window.window.sampling.max_tokens.setValue(8)
    window.window.sampling.seed.setValue(7)
    window.window.message_input.setPlainText("Hi there")
    window.window.send_button.click()
    qtbot.waitUntil(lambda: not window.controller.generating, timeout=60000)
    window.window.message_input.setPlainText("What is the capital of France?")
    raw = window.window.raw_prompt
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
