"""Widget tests for the Perplexity page: a real InferenceClient and ModelSession over scripted backends."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QPushButton, QTabWidget, QTextBrowser, QToolTip
from pytestqt.qtbot import QtBot

from desktop.app import create_window
from desktop.core.instruments.perplexity import ScoredToken, TextScore
from desktop.core.settings import Settings
from desktop.inference.backend import EngineCapabilities, LoadedModel
from desktop.inference.jobs import CountRequest, ScoreRequest
from desktop.inference.session import ModelSession
from desktop.inference.worker import InferenceClient
from desktop.ui.perplexity.heatmap import MAX_SHOWN, UNSCORED, HeatMap, surprisal_colour
from desktop.ui.perplexity.page import MAX_BYTES, PerplexityPage
from tests.fakes import FakeBackend

TEXT = "The cat sat on the extraordinary mat"  # FakeBackend: surprisal = word length in bits, first word unscored


class ScriptedBackend(FakeBackend):
    """Returns fixed tokens (newlines, markup) instead of FakeBackend's whitespace-split words."""

    def __init__(self, tokens: tuple[ScoredToken, ...]) -> None:
        super().__init__()
        self.tokens = tokens

    def score_text(self, text: str, on_progress: Callable[[int, int], None],
                   should_stop: Callable[[], bool]) -> TextScore:
        on_progress(len(self.tokens) - 1, len(self.tokens) - 1)
        return TextScore(self.tokens, windows=2, n_ctx=256, model="scripted")


class GatedBackend(FakeBackend):
    """Scores one token, then waits until stopped (or released), like a long text being scored."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()
        self.gate = threading.Event()

    def score_text(self, text: str, on_progress: Callable[[int, int], None],
                   should_stop: Callable[[], bool]) -> TextScore:
        words = text.split()
        on_progress(1, len(words) - 1)
        self.started.set()
        while not should_stop() and not self.gate.wait(0.01):
            pass
        stopped = should_stop()
        kept = words[:2] if stopped else words
        tokens = tuple(ScoredToken(i, (" " if i else "") + w, math.nan if i == 0 else 4.0) for i, w in enumerate(kept))
        return TextScore(tokens, windows=1, n_ctx=4096, model="gated", stopped=stopped)


class FailingBackend(FakeBackend):
    def score_text(self, text: str, on_progress: Callable[[int, int], None],
                   should_stop: Callable[[], bool]) -> TextScore:
        from desktop.inference.backend import InferenceError

        raise InferenceError("There is no text to score: paste or open some text first.")


@contextmanager
def make_page(qtbot: QtBot, backend: FakeBackend) -> Iterator[PerplexityPage]:
    session = ModelSession(InferenceClient(backend), Settings())
    try:
        page = PerplexityPage(session)
        qtbot.addWidget(page)
        page.resize(900, 600)
        page.show()  # hovering needs a laid-out heat map
        with qtbot.waitSignal(session.modelChanged):
            session.load(Path("fake.gguf"))
        yield page
    finally:
        session.client.shutdown()


@pytest.fixture
def page(qtbot: QtBot) -> Iterator[PerplexityPage]:
    with make_page(qtbot, FakeBackend()) as made:
        yield made


def child(page: PerplexityPage, cls: type, name: str):  # type: ignore[no-untyped-def]
    widget = page.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name}"
    return widget


def score(qtbot: QtBot, page: PerplexityPage, text: str) -> None:
    child(page, QPlainTextEdit, "perplexityInput").setPlainText(text)
    with qtbot.waitSignal(page.busyChanged, check_params_cb=lambda busy: not busy, timeout=10000):
        qtbot.mouseClick(child(page, QPushButton, "perplexityScoreButton"), Qt.MouseButton.LeftButton)


def background_at(heatmap: QTextBrowser, position: int) -> QColor:
    cursor = QTextCursor(heatmap.document())
    cursor.setPosition(position + 1)  # charFormat() is the format of the character left of the cursor
    return cursor.charFormat().background().color()


def test_scoring_shows_the_summary_colours_and_tooltips(qtbot: QtBot, page: PerplexityPage) -> None:
    assert "fake" in child(page, QLabel, "perplexityModel").text()
    score(qtbot, page, TEXT)
    # Surprisals 3, 3, 2, 3, 13, 3 bits: mean 4.5, perplexity 2 ** 4.5 = 22.6.
    assert child(page, QLabel, "perplexitySummary").text() == (
        "Perplexity 22.6 · 4.5 bits per token on average · 7 tokens · 1 window of 4096")
    heatmap = child(page, HeatMap, "perplexityHeatmap")
    assert heatmap.isReadOnly() and heatmap.toPlainText() == TEXT
    assert background_at(heatmap, 0) == UNSCORED  # "The": nothing before it
    on, rare = background_at(heatmap, TEXT.index(" on") + 1), background_at(heatmap, TEXT.index("extra"))
    assert on == surprisal_colour(2.0) and rare == surprisal_colour(13.0)
    assert rare.green() < on.green() - 100 and rare.red() > 2 * rare.green()  # strong red for the surprising word
    assert on.lightness() > 200 > 160 > rare.lightness()  # expected tokens stay light

    tip = heatmap.tooltip_at(heatmap.token_rect_centre(5))
    assert "extraordinary" in tip and "id 5" in tip and "13.00 bits" in tip and "probability 0.012%" in tip
    assert "not scored" in heatmap.tooltip_at(heatmap.token_rect_centre(0))
    assert heatmap.token_at(QPoint(heatmap.viewport().width() - 5, heatmap.viewport().height() - 5)) == -1
    assert child(page, QPushButton, "perplexityScoreButton").isEnabled()
    assert not child(page, QPushButton, "perplexityStopButton").isEnabled()


def test_hovering_a_token_shows_its_details(qtbot: QtBot, page: PerplexityPage) -> None:
    score(qtbot, page, TEXT)
    heatmap = child(page, HeatMap, "perplexityHeatmap")
    viewport = heatmap.viewport()
    point = heatmap.token_rect_centre(2)  # " sat"
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(point), QPointF(viewport.mapToGlobal(point)),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(heatmap.tokenHovered, check_params_cb=lambda index: index == 2):
        QApplication.sendEvent(viewport, move)
    detail = child(page, QLabel, "perplexityTokenDetail").text()
    assert "·sat" in detail and "3.00 bits" in detail and "12.5%" in detail

    help_event = QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, help_event)
    assert "3.00 bits" in QToolTip.text()
    QToolTip.hideText()


def test_token_text_is_escaped_and_newlines_keep_line_breaks(qtbot: QtBot) -> None:
    tokens = (ScoredToken(1, "<b>Bold", math.nan), ScoredToken(2, "</b> & co", 1.0), ScoredToken(3, "\n", 5.0),
              ScoredToken(4, "next line\n\n", 9.0), ScoredToken(5, "end", 0.5))
    with make_page(qtbot, ScriptedBackend(tokens)) as page:
        score(qtbot, page, "anything")
        heatmap = child(page, HeatMap, "perplexityHeatmap")
        assert heatmap.toPlainText() == "<b>Bold</b> & co\nnext line\n\nend"
        assert heatmap.document().blockCount() == 4
        tip = heatmap.tooltip_at(heatmap.token_rect_centre(1))
        assert "&lt;/b&gt;·&amp;·co" in tip and "</b>·&" not in tip
        assert heatmap.token_at(heatmap.token_rect_centre(4)) == 4  # the token after the blank line
        assert "2 windows of 256" in child(page, QLabel, "perplexitySummary").text()


def test_stop_keeps_the_tokens_scored_so_far(qtbot: QtBot) -> None:
    backend = GatedBackend()
    with make_page(qtbot, backend) as page:
        child(page, QPlainTextEdit, "perplexityInput").setPlainText("one two three four five")
        stop = child(page, QPushButton, "perplexityStopButton")
        with qtbot.waitSignal(page.busyChanged, check_params_cb=lambda busy: busy):
            assert page.score()
        assert stop.isEnabled() and not child(page, QPushButton, "perplexityScoreButton").isEnabled()
        assert child(page, QPlainTextEdit, "perplexityInput").isReadOnly()
        qtbot.waitUntil(lambda: "1 of 4" in page.summary.text())
        with qtbot.waitSignal(page.busyChanged, check_params_cb=lambda busy: not busy, timeout=5000):
            qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
        assert "stopped early: 1 tokens scored" in page.summary.text()
        assert page.heatmap.toPlainText() == "one two"
        assert not stop.isEnabled() and child(page, QPushButton, "perplexityScoreButton").isEnabled()


def test_waits_while_the_chat_generates_and_ignores_other_runs(qtbot: QtBot, page: PerplexityPage) -> None:
    button = child(page, QPushButton, "perplexityScoreButton")
    child(page, QPlainTextEdit, "perplexityInput").setPlainText(TEXT)
    release = page.session.client.hold()  # as the chat does while it generates
    assert not button.isEnabled() and not page.score()
    assert "busy" in child(page, QLabel, "perplexityMessage").text()
    release()
    assert button.isEnabled()
    with qtbot.waitSignal(page.session.submit(ScoreRequest("not this page's run")).finished):
        pass
    qtbot.wait(20)
    assert page.summary.text() == "" and page.last_score is None
    busy: list[bool] = []
    page.busyChanged.connect(busy.append)
    score(qtbot, page, TEXT)
    assert busy == [True, False] and page.last_score is not None


def test_no_model_no_text_and_failures_are_messages(qtbot: QtBot, page: PerplexityPage) -> None:
    message = child(page, QLabel, "perplexityMessage")
    assert not page.score() and "Paste or open" in message.text()
    page.set_model(None)
    assert not child(page, QPushButton, "perplexityScoreButton").isEnabled()
    assert "No model" in child(page, QLabel, "perplexityModel").text()
    assert not page.score() and "Load a model" in message.text()
    with make_page(qtbot, FailingBackend()) as failing:
        score(qtbot, failing, "some text")
        assert "no text to score" in child(failing, QLabel, "perplexityMessage").text()
        assert failing.summary.text() == "" and not failing.is_busy()


class NoScoringBackend(FakeBackend):
    """An engine that streams replies but gives no token probabilities (a remote server, say)."""

    capabilities = EngineCapabilities(name="remote", loads_gguf_files=True)


def test_an_engine_that_cannot_score_says_so(qtbot: QtBot) -> None:
    with make_page(qtbot, NoScoringBackend()) as page:
        page.input.setPlainText(TEXT)
        button = child(page, QPushButton, "perplexityScoreButton")
        assert not button.isEnabled() and "remote engine cannot score a text" in button.toolTip()
        assert "cannot score" in child(page, QLabel, "perplexityModel").text()
        assert not page.score() and "cannot score" in child(page, QLabel, "perplexityMessage").text()
        assert not page.is_busy()


def test_the_page_follows_the_session(qtbot: QtBot, page: PerplexityPage) -> None:
    session, button = page.session, child(page, QPushButton, "perplexityScoreButton")
    page.input.setPlainText(TEXT)
    with qtbot.waitSignal(session.loadFailed):
        session.load(Path("bad.gguf"))
        assert not button.isEnabled()  # the load holds the model: Score waits
    assert page.model is session.model and "fake" in child(page, QLabel, "perplexityModel").text()
    assert button.isEnabled()
    with qtbot.waitSignal(session.modelChanged):
        session.load(Path("other.gguf"))
    assert page.model is session.model and "other" in child(page, QLabel, "perplexityModel").text()


class SlowCountBackend(FakeBackend):
    """Counting tokens waits for the gate: short work ahead of a scoring in the queue."""

    def __init__(self) -> None:
        super().__init__()
        self.counting = threading.Event()
        self.gate = threading.Event()

    def count_tokens(self, text: str) -> int:
        self.counting.set()
        self.gate.wait(10)
        return super().count_tokens(text)


def test_stop_before_the_scoring_began_leaves_nothing_behind(qtbot: QtBot) -> None:
    backend = SlowCountBackend()
    with make_page(qtbot, backend) as page:
        page.session.submit(CountRequest("ahead in the queue"))  # another page's count: not long work
        assert backend.counting.wait(5)
        page.input.setPlainText(TEXT)
        assert page.score() and page.summary.text() == "Scoring…"
        page.stop()
        with qtbot.waitSignal(page.busyChanged, check_params_cb=lambda busy: not busy, timeout=5000):
            backend.gate.set()
        assert page.summary.text() == "" and page.last_score is None and not page.progress.isTextVisible()
        assert not page.input.isReadOnly() and child(page, QPushButton, "perplexityScoreButton").isEnabled()


def test_open_reads_utf8_and_refuses_binary_or_huge_files(page: PerplexityPage, tmp_path: Path) -> None:
    message = child(page, QLabel, "perplexityMessage")
    box = child(page, QPlainTextEdit, "perplexityInput")
    good = tmp_path / "notes.md"
    good.write_text("# Café\n\nDéjà vu.\n", encoding="utf-8-sig")
    assert page.open_file(good) and box.toPlainText() == "# Café\n\nDéjà vu.\n"
    assert "Opened notes.md" in message.text() and not message.property("error")

    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Déjà vu".encode("latin-1"))
    assert not page.open_file(latin)
    assert "latin1.txt is not UTF-8 text" in message.text() and message.property("error")
    assert box.toPlainText() == "# Café\n\nDéjà vu.\n"  # what was there stays

    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"a" * (MAX_BYTES + 1))
    assert not page.open_file(huge) and "up to 5 MB" in message.text()
    assert not page.open_file(tmp_path / "missing.txt") and "Could not read missing.txt" in message.text()


def test_a_very_long_result_draws_a_prefix(qtbot: QtBot) -> None:
    tokens = tuple(ScoredToken(i, " w", math.nan if i == 0 else 1.0) for i in range(MAX_SHOWN + 50))
    with make_page(qtbot, ScriptedBackend(tokens)) as page:
        score(qtbot, page, "anything")
        assert page.heatmap.toPlainText().endswith("50 more tokens, counted in the summary but not drawn.")
        assert f"{MAX_SHOWN + 50:,} tokens" in page.summary.text()


def test_window_has_the_page_after_few_shot_and_shares_the_worker(qtbot: QtBot, tmp_path: Path) -> None:
    backend = GatedBackend()
    window = create_window(tmp_path / "data", tmp_path / "fake.gguf", backend)
    qtbot.addWidget(window.window)
    try:
        qtbot.waitUntil(lambda: window.controller.model is not None)
        tabs = window.window.findChild(QTabWidget, "mainTabs")
        titles = [tabs.tabText(i) for i in range(tabs.count())]
        assert titles.index("Perplexity") == titles.index("Few-shot") + 1
        page = window.perplexity
        assert isinstance(page, PerplexityPage) and isinstance(page.model, LoadedModel)
        assert page.score_button.isEnabled()
        page.input.setPlainText("one two three")
        assert page.score()
        assert not window.controller.can_generate() and window.fewshot.waiting  # the chat and few-shot wait
        backend.gate.set()
        qtbot.waitUntil(lambda: not page.is_busy())
        assert window.controller.can_generate() and not window.fewshot.waiting
        backend.release.clear()  # the chat's reply waits at its first token
        window.window.message_input.setPlainText("Hi")
        window.window.send_button.click()
        qtbot.waitUntil(lambda: window.controller.generating)
        assert not page.score_button.isEnabled()
        backend.release.set()
        qtbot.waitUntil(lambda: not window.controller.generating)
        assert page.score_button.isEnabled()
    finally:
        window.window.close()
