"""Long chats stay fast: the worker tokenises only the turns that can fit the context (each turn once, cached),
the fit can be stopped, quitting interrupts it, and the Raw prompt tab shows only the fitted part.

Every assertion is about what was tokenised or shown, never about how long it took.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import create_window
from desktop.core.conversations.messages import ChatMessage, Conversation, Role
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.context_window import ChatShortener
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, InferenceError, LoadOptions
from desktop.inference.jobs import FitRequest, LoadRequest
from desktop.inference.llama.backend import LlamaBackend
from desktop.inference.worker import InferenceClient

pytestmark = pytest.mark.integration

GEMMA = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>")
GREEDY = SamplingParams(temperature=0.0, max_tokens=4, seed=5)
N_CTX = 512


class CountingBackend(LlamaBackend):
    """Records how many characters it was asked to tokenise; `pause` slows each call down, `on_tokenize` runs first."""

    def __init__(self) -> None:
        super().__init__()
        self.chars: list[int] = []
        self.pause = 0.0
        self.on_tokenize: Callable[[], None] | None = None

    def tokenize(self, text: str) -> list[int]:
        self.chars.append(len(text))
        if self.on_tokenize is not None:
            self.on_tokenize()
        if self.pause:
            threading.Event().wait(self.pause)
        return super().tokenize(text)


@pytest.fixture(scope="module")
def counting(builtin_model: Path) -> Iterator[CountingBackend]:
    backend = CountingBackend()
    backend.load(builtin_model, LoadOptions(n_ctx=N_CTX))
    yield backend
    backend.unload()


def long_chat(messages: int, system: str = "You are a terse assistant.") -> Conversation:
    conversation = Conversation(system_prompt=system)
    for i in range(messages // 2):
        conversation.messages.append(ChatMessage(Role.USER, f"Question {i}: what is {i} plus one, and why?"))
        conversation.messages.append(ChatMessage(Role.ASSISTANT, f"It is {i + 1}, since counting on from {i} "
                                                               "gives the next whole number."))
    conversation.add_user("What comes after the last number?")
    return conversation


def request_for(conversation: Conversation, params: SamplingParams = GREEDY) -> GenerationRequest:
    shortener = ChatShortener(GEMMA, conversation.turns())
    return GenerationRequest(shortener(0) or "", params, GEMMA.stop, shorten=shortener)


def generate(backend: LlamaBackend, request: GenerationRequest,
             should_stop: Callable[[], bool] = lambda: False) -> tuple[str, int, int, int]:
    pieces: list[str] = []
    stats = backend.generate(request, pieces.append, should_stop)
    return "".join(pieces), stats.prompt_tokens, stats.cached_tokens, stats.dropped_turns


@pytest.mark.parametrize("messages", [3_000, 100_000])
def test_a_long_chat_tokenises_only_what_fits(counting: CountingBackend, messages: int) -> None:
    conversation = long_chat(messages)
    request = request_for(conversation)
    counting.chars.clear()
    text, prompt_tokens, _cached, dropped = generate(counting, request)
    assert text and dropped > 0
    assert prompt_tokens + GREEDY.max_tokens <= N_CTX
    fitted = request.shorten(dropped)  # type: ignore[misc]
    assert fitted is not None and counting.tokenize(fitted)[:prompt_tokens] == counting.tokenize(fitted)
    # The whole history is about 70 characters a message: tokenising it all would be millions of characters.
    assert sum(counting.chars) < 12 * len(fitted), (sum(counting.chars), len(fitted))


def test_the_same_chat_fits_the_same_way_each_time(counting: CountingBackend) -> None:
    """Turn counts come from the cache; the prompt is the fitted text tokenised whole, the same every time."""
    conversation = long_chat(600)
    request = request_for(conversation)
    tokens, dropped = counting._fit(request, N_CTX)
    fitted = request.shorten(dropped)  # type: ignore[misc]
    assert fitted is not None and tokens == counting.tokenize(fitted) and len(tokens) + GREEDY.max_tokens <= N_CTX
    counting.chars.clear()
    assert counting._fit(request_for(conversation), N_CTX) == (tokens, dropped)
    # Cached turns are not tokenised again: only the fitted prompt (and at most a few candidates) are.
    assert sum(counting.chars) < 4 * len(fitted)


def test_the_next_turn_of_a_long_chat_reuses_the_cache(counting: CountingBackend) -> None:
    """Leaving out one more exchange on every turn would change the prompt's start, so the whole context would be
    evaluated again each time: the start moves only now and then."""
    conversation = long_chat(600)
    counting.reset_cache()
    reused = []
    for turn in range(4):
        text, prompt_tokens, cached, _dropped = generate(counting, request_for(conversation))
        conversation.start_reply().content = text
        conversation.add_user(f"And what comes after {turn}?")
        reused.append(cached / prompt_tokens)
    assert sum(share > 0.5 for share in reused[1:]) >= 2, reused


def test_stopping_interrupts_the_fit(counting: CountingBackend) -> None:
    request = request_for(long_chat(20_000))
    calls = []
    counting.chars.clear()
    with pytest.raises(InferenceError, match="[Ss]topped"):
        generate(counting, request, should_stop=lambda: bool(calls.append(1)) or len(counting.chars) > 2)
    assert len(counting.chars) <= 4


def test_shutdown_interrupts_a_long_fit(qtbot: QtBot, builtin_model: Path) -> None:
    """Quitting while a long chat is being fitted: the worker stops within a tokenisation or two."""
    backend = CountingBackend()
    client = InferenceClient(backend)
    load = client.submit(LoadRequest(builtin_model, LoadOptions(n_ctx=1024)))
    qtbot.waitSignal(load.result, timeout=30000).wait()
    started = threading.Event()
    backend.pause = 0.2
    backend.on_tokenize = started.set
    backend.chars.clear()
    client.submit(request_for(long_chat(3_000)))
    client.submit(FitRequest(request_for(long_chat(3_000))))
    assert started.wait(30)
    client.shutdown()
    assert len(backend.chars) <= 3, backend.chars


def test_raw_prompt_shows_only_the_fitted_part(qtbot: QtBot, data_dir: Path) -> None:
    backend = CountingBackend()
    win = create_window(data_dir, backend=backend)
    qtbot.addWidget(win.window)
    qtbot.waitUntil(lambda: win.controller.model is not None, timeout=30000)
    controller = win.controller
    conversation = long_chat(3_000)
    conversation.messages.pop()  # the newest question is typed as a draft instead
    controller.conversation.messages = conversation.messages
    win.window.system_prompt.set_text(conversation.system_prompt)
    backend.chars.clear()
    win.window.message_input.setPlainText("What comes after the last number?")
    controller.raw_feed.refresh()
    raw = win.window.raw_prompt
    qtbot.waitUntil(lambda: "tokens of" in raw.tokens.text(), timeout=60000)
    n_ctx = controller.model.n_ctx
    shown = raw.view.toPlainText()
    assert shown.endswith("What comes after the last number?<end_of_turn>\n<start_of_turn>model\n")
    assert len(shown) < 8 * n_ctx  # the fitted part only, not the 200,000-character history
    assert int(raw.tokens.text().split()[0]) <= n_ctx
    assert "earlier messages" in raw.left_out.text() and not raw.left_out.isHidden()
    left_out = int(raw.left_out.text().split()[0].replace(",", ""))
    assert left_out > 2_000 and shown.count("<start_of_turn>user") + left_out // 2 == 1_501
    assert sum(backend.chars) < 16 * len(shown)
    # A keystroke tokenises the fitted part again (each turn's count comes from the cache), never the history.
    backend.chars.clear()
    win.window.message_input.setPlainText("What comes after the last number? And after that?")
    qtbot.waitUntil(lambda: "And after that?" in raw.view.toPlainText(), timeout=30000)
    qtbot.waitUntil(lambda: "tokens of" in raw.tokens.text(), timeout=30000)
    assert sum(backend.chars) < 16 * len(raw.view.toPlainText())
    win.window.close()
