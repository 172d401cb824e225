"""The real window on a model served by a real llama-server: chat, Stop, token probabilities, a few-shot run,
Compare across a local and a remote model, a server that dies mid-reply, and a start whose server is down."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from pytestqt.qtbot import QtBot

from desktop.app import Parley, create_window
from desktop.core.conversations.store import ChatStore
from desktop.core.engines.config import EngineConfig, remote_path
from desktop.core.fewshot.dataset import ColumnMapping
from desktop.core.fewshot.scoring import read_run
from desktop.core.fewshot.template import sample_templates_dir
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.settings import Settings
from desktop.inference.remote.client import EngineAccess, EngineClient
from tests.llama_server import LlamaServer, free_port

pytestmark = pytest.mark.integration

ENGINE = "local-server"
ALIAS = "gemma-3-270m"  # the served model's name (LlamaServer's default alias)
LOAD_TIMEOUT = 60_000  # ms
REPLY_TIMEOUT = 120_000  # ms: two cores, shared with the server
SAMPLES = sample_templates_dir()


def write_settings(data_dir: Path, engines: dict[str, str], last_model: Path | None = None) -> None:
    """The engines (and the last model) as Settings › Engines would have saved them, before Parley starts.

    Each engine's model is set to the Gemma template, as the in-process engine picks for the built-in (base) model:
    llama-server reports its ChatML fallback as the template of a GGUF that has none, which this model answers
    with an immediate "<|im_end|>" (an empty reply)."""
    settings = Settings()
    settings.engines = dict(engines)
    for engine in engines:
        settings.for_model(remote_path(engine, ALIAS)).template = "gemma"
    settings.last_model = str(last_model) if last_model is not None else None
    settings.first_run_done = True
    settings.save(data_dir / "settings.json")


def open_window(qtbot: QtBot, data_dir: Path, model_path: Path | None = None) -> Parley:
    win = create_window(data_dir, model_path)
    qtbot.addWidget(win.window)
    win.window.show()
    qtbot.waitUntil(lambda: win.controller.model is not None, timeout=LOAD_TIMEOUT)
    return win


def open_on_server(qtbot: QtBot, data_dir: Path, server: LlamaServer, engine: str = ENGINE) -> Parley:
    write_settings(data_dir, {engine: server.url})
    return open_window(qtbot, data_dir, remote_path(engine, server.alias))


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, llama_server: LlamaServer) -> Iterator[Parley]:
    """The window, started on the session server's model."""
    win = open_on_server(qtbot, data_dir, llama_server)
    yield win
    win.window.close()


def greedy(win: Parley, max_tokens: int) -> None:
    sampling = win.window.sampling
    sampling.set_params(sampling.params().with_changes(temperature=0.0, seed=1, max_tokens=max_tokens))


def send(qtbot: QtBot, win: Parley, text: str) -> None:
    win.window.message_input.setPlainText(text)
    win.window.send_button.click()
    assert win.controller.generating


def chat(qtbot: QtBot, win: Parley, text: str) -> str:
    send(qtbot, win, text)
    qtbot.waitUntil(lambda: not win.controller.generating, timeout=REPLY_TIMEOUT)
    reply = win.controller.conversation.last_reply
    assert reply is not None
    return reply.content


def notice(win: Parley) -> str:
    return "" if win.window.notice.isHidden() else win.window.notice.label.text()


def stored(data_dir: Path) -> ChatStore:
    store, _ = ChatStore.open(data_dir / "parley.sqlite3")
    return store


def slots_busy(server: LlamaServer) -> bool:
    slots = httpx.get(server.url + "/slots", timeout=5, trust_env=False).json()
    return any(slot["is_processing"] for slot in slots)


def wait_idle(server: LlamaServer, seconds: float = 20.0) -> None:
    """The server stops generating at its next token once the stream is closed: poll /slots until it has."""
    deadline = time.monotonic() + seconds
    while slots_busy(server):
        assert time.monotonic() < deadline, "the server kept generating after Stop"
        time.sleep(0.1)


# --- chat --------------------------------------------------------------------------------------------------


def test_chat_streams_a_reply_from_the_server_and_saves_it(qtbot: QtBot, window: Parley, data_dir: Path,
                                                          llama_server: LlamaServer) -> None:
    model = window.session.model
    assert model is not None and model.remote and model.engine == ENGINE
    assert model.info.path == remote_path(ENGINE, llama_server.alias)
    client = EngineClient(EngineAccess(EngineConfig(ENGINE, llama_server.url)))
    try:
        probe = client.probe()
    finally:
        client.close()
    assert window.session.capabilities == probe.capabilities
    status = window.window.model_status.text()
    assert f"on {ENGINE}" in status, status
    assert window.settings.last_model == str(remote_path(ENGINE, llama_server.alias))
    template = window.session.template
    assert template is not None and "<end_of_turn>" in template.stop  # the remembered choice (write_settings)

    greedy(window, 24)
    streamed: list[str] = []
    send(qtbot, window, "Name three colours of the rainbow.")
    job = window.controller.reply_job
    assert job is not None
    job.text.connect(streamed.append)
    qtbot.waitUntil(lambda: not window.controller.generating, timeout=REPLY_TIMEOUT)
    reply = window.controller.conversation.last_reply
    assert reply is not None and reply.content.strip() and reply.stats is not None
    assert len(streamed) > 1 and "".join(streamed) in reply.content  # streamed in pieces, not at the end
    assert 0 < reply.stats.generated_tokens <= 24 and reply.stats.tokens_per_second > 0
    assert reply.stats.prompt_tokens > 5 and not reply.stats.stopped
    assert window.window.chat_view.message_texts() == ["Name three colours of the rainbow.", reply.content]
    assert "tokens/s" in window.window.chat_view.last_bubble().stats_text()  # type: ignore[union-attr]
    assert window.window.send_button.isEnabled()
    content = reply.content
    window.window.close()

    with stored(data_dir) as store:
        (info,) = store.list_conversations()
        assert info.model == str(remote_path(ENGINE, llama_server.alias))
        path = store.path(info.id)
        assert [m.content for m in path] == ["Name three colours of the rainbow.", content]
        assert path[1].complete and path[1].stats is not None


def test_parley_reopens_on_the_remote_model_with_the_conversation(qtbot: QtBot, data_dir: Path,
                                                                  llama_server: LlamaServer) -> None:
    first = open_on_server(qtbot, data_dir, llama_server)
    greedy(first, 8)
    content = chat(qtbot, first, "Hello!")
    first.window.close()

    again = open_window(qtbot, data_dir)  # no --model: the last model, on the server
    try:
        assert again.session.model is not None and again.session.model.engine == ENGINE
        assert again.window.chat_view.message_texts() == ["Hello!", content]
        greedy(again, 8)
        assert chat(qtbot, again, "And again?").strip()
    finally:
        again.window.close()


def test_stop_keeps_the_partial_reply_and_the_server_stops(qtbot: QtBot, window: Parley, data_dir: Path,
                                                           llama_server: LlamaServer) -> None:
    controller = window.controller
    window.window.sampling.seed.setValue(5)
    window.window.sampling.max_tokens.setValue(1500)
    send(qtbot, window, "Write a very long story about a lighthouse keeper and the sea.")
    qtbot.waitUntil(lambda: len(controller.conversation.messages[-1].content) > 20, timeout=REPLY_TIMEOUT)
    window.window.stop_button.click()
    qtbot.waitUntil(lambda: not controller.generating, timeout=REPLY_TIMEOUT)
    reply = controller.conversation.last_reply
    assert reply is not None and reply.stats is not None and reply.stats.stopped
    assert reply.content and reply.stats.generated_tokens < 1500
    assert window.window.chat_view.message_texts()[-1] == reply.content
    assert notice(window) == ""  # a stop is not an error
    wait_idle(llama_server)

    # The next reply works at once: the server's one slot is free.
    greedy(window, 8)
    assert chat(qtbot, window, "Thank you.").strip()
    partial = reply.content
    window.window.close()
    with stored(data_dir) as store:
        (info,) = store.list_conversations()
        assert [m.content for m in store.path(info.id)][1] == partial


# --- token probabilities -----------------------------------------------------------------------------------


def test_token_probabilities_of_a_remote_reply_are_shown_and_saved(qtbot: QtBot, window: Parley,
                                                                  data_dir: Path) -> None:
    greedy(window, 12)
    window.window.token_view_button.setChecked(True)  # turns recording on
    assert window.window.sampling.record_probabilities.isChecked()
    window.window.sampling.alternatives.setValue(4)
    content = chat(qtbot, window, "Name three colours of the rainbow.")
    assert window.controller.last_request is not None and window.controller.last_request.alternatives == 4
    reply = window.controller.conversation.last_reply
    assert reply is not None and reply.steps
    assert "".join(step.text for step in reply.steps) == content
    for step in reply.steps:
        assert 0.0 < step.probability <= 1.0 and step.entropy >= 0.0
        assert len(step.alternatives) == 4
        probabilities = [a.probability for a in step.alternatives]
        assert probabilities == sorted(probabilities, reverse=True) and sum(probabilities) <= 1.0 + 1e-5
        assert step.alternatives[0].token_id == step.token_id  # greedy: the likeliest token was chosen
    bubble = window.window.chat_view.last_bubble()
    assert bubble is not None and bubble.steps == reply.steps and bubble.showing_tokens()
    assert bubble.shown_text() == content

    # The sampling view asks the server for the distribution at a step of the reply: its top is what was picked.
    k = min(2, len(reply.steps) - 1)
    window.controller.probabilities.show_step_distribution(1, k)
    view = window.window.sampling_view
    qtbot.waitUntil(lambda: view.distribution() is not None, timeout=REPLY_TIMEOUT)
    distribution = view.distribution()
    assert distribution is not None and int(distribution.logits.argmax()) == reply.steps[k].token_id
    assert ENGINE in distribution.context

    steps = reply.steps
    window.window.close()
    with stored(data_dir) as store:
        (info,) = store.list_conversations()
        answer = store.path(info.id)[1]
        assert store.token_steps([answer.id])[answer.id]
    again = open_window(qtbot, data_dir)
    try:
        last = again.controller.conversation.last_reply
        assert last is not None and len(last.steps) == len(steps)
        assert [(s.token_id, s.text) for s in last.steps] == [(s.token_id, s.text) for s in steps]
        assert [s.probability for s in last.steps] == pytest.approx([s.probability for s in steps], abs=1e-5)
        assert [len(s.alternatives) for s in last.steps] == [4] * len(steps)  # saved rounded, all kept
    finally:
        again.window.close()


# --- few-shot ----------------------------------------------------------------------------------------------


def small_test_set(path: Path, rows: int) -> Path:
    with (SAMPLES / "sentiment-test.csv").open(encoding="utf-8", newline="") as f:
        data = list(csv.DictReader(f))[:rows]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["review", "sentiment"])
        writer.writeheader()
        writer.writerows(data)
    return path


def test_a_few_shot_run_on_the_remote_model_is_reproducible(qtbot: QtBot, window: Parley, data_dir: Path,
                                                            tmp_path: Path) -> None:
    page = window.fewshot
    qtbot.waitUntil(lambda: page.model is not None and not page.is_busy(), timeout=LOAD_TIMEOUT)
    assert page.load_template_file(SAMPLES / "sentiment.json")
    assert page.import_test_set(small_test_set(tmp_path / "six.csv", 6), ColumnMapping("review", "sentiment"))
    page.batch.shots_spin.setValue(4)

    def run() -> list[tuple[str, str]]:
        qtbot.waitUntil(lambda: not page.is_busy() and not page.waiting, timeout=LOAD_TIMEOUT)
        with qtbot.waitSignal(page.busyChanged, check_params_cb=lambda busy: not busy, timeout=REPLY_TIMEOUT):
            page.run_batch()
        result = page.last_run()
        assert result is not None and result.completed and len(result.results) == 6 and result.shots == 4
        assert all(r.output and "\n" not in r.output for r in result.results), result.results
        return [(r.prompt, r.output) for r in result.results]

    first = run()
    assert all(prompt for prompt, _output in first)
    accuracy = page.batch.accuracy_label.text()
    assert accuracy.startswith("Accuracy ") and "/6)" in accuracy, accuracy
    second = run()
    assert second == first  # same prompts, same settings, same server: the same answers

    saved = sorted((data_dir / "runs").glob("*.json"))
    assert len(saved) == 2
    records = [read_run(path) for path in saved]
    assert [r.output for r in records[0].results] == [r.output for r in records[1].results]
    for record in records:
        assert record.model_path == str(remote_path(ENGINE, ALIAS)) and 0.0 <= record.accuracy <= 1.0
        environment = record.environment
        assert environment["engine"] == "llama-server" and environment["engine_name"] == ENGINE
        assert environment["engine_version"] and environment["server_model"] == ALIAS
        assert environment["reproducible"] is True  # --parallel 1


# --- Compare -----------------------------------------------------------------------------------------------


def test_compare_runs_a_local_and_a_remote_column(qtbot: QtBot, window: Parley, data_dir: Path,
                                                  llama_server: LlamaServer) -> None:
    local = (data_dir / "models" / BUILTIN_FILENAME).resolve()
    panel = window.compare
    while len(panel.columns) < 2:
        panel.add_configuration()
    qtbot.waitUntil(lambda: local in panel.library_paths(), timeout=LOAD_TIMEOUT)
    panel.refresh_models()
    combo = panel.columns[1].model_combo
    assert combo.itemText(0) == f"Current model ({ALIAS} on {ENGINE})"  # a server's model by model and engine
    combo.setCurrentIndex(combo.findData(str(local)))
    assert combo.currentIndex() > 0 and combo.currentText() == BUILTIN_FILENAME
    for column in panel.columns:
        column.temperature.setValue(0.0)
        column.max_tokens.setValue(16)
    panel.prompt_edit.setPlainText("Write one sentence about a lighthouse keeper.")
    changed: list[object] = []
    window.session.modelChanged.connect(changed.append)
    with qtbot.waitSignal(panel.busyChanged, check_params_cb=lambda busy: not busy, timeout=REPLY_TIMEOUT):
        assert panel.run_all()

    experiment = panel.last_experiment()
    assert experiment is not None
    remote, here = experiment.results
    assert remote is not None and here is not None
    assert remote.error is None and here.error is None, (remote.error, here.error)
    assert remote.model == str(remote_path(ENGINE, llama_server.alias)) and Path(here.model) == local
    assert remote.text.strip() and here.text.strip()
    assert remote.generated_tokens > 0 and here.generated_tokens > 0
    assert [c.text() for c in panel.columns] == [remote.text, here.text]

    # The chat's model is the server's again, and never said it changed.
    assert changed == [] and window.session.model is not None and window.session.model.engine == ENGINE
    assert window.window.send_button.isEnabled()
    greedy(window, 8)
    assert chat(qtbot, window, "Hello!").strip()


# --- faults ------------------------------------------------------------------------------------------------


def test_a_server_that_dies_mid_reply(qtbot: QtBot, data_dir: Path,
                                      start_server: Callable[..., LlamaServer]) -> None:
    server = start_server()
    win = open_on_server(qtbot, data_dir, server, engine="dying")
    try:
        controller = win.controller
        win.window.sampling.max_tokens.setValue(1000)
        send(qtbot, win, "Tell me a long story about a dragon.")
        job = controller.reply_job
        assert job is not None
        job.text.connect(lambda _text: server.kill())  # dies as soon as the reply starts
        qtbot.waitUntil(lambda: not controller.generating, timeout=REPLY_TIMEOUT)
        assert server.process is None or server.process.poll() is not None
        reply = controller.conversation.last_reply
        assert reply is not None and reply.content  # what arrived stays
        assert win.window.chat_view.message_texts()[-1] == reply.content
        assert "dying" in notice(win), notice(win)
        partial = reply.content

        # The app keeps working: the local model loads and answers.
        local = data_dir / "models" / BUILTIN_FILENAME
        with qtbot.waitSignal(win.session.modelChanged, timeout=LOAD_TIMEOUT):
            controller.load_model(local)
        assert win.session.model is not None and not win.session.model.remote
        greedy(win, 8)
        assert chat(qtbot, win, "Hello!").strip()

        # The server is back: its model loads again and answers.
        server.start()
        with qtbot.waitSignal(win.session.modelChanged, timeout=LOAD_TIMEOUT):
            controller.load_model(remote_path("dying", server.alias))
        assert win.session.model is not None and win.session.model.engine == "dying"
        assert chat(qtbot, win, "Are you back?").strip()
    finally:
        win.window.close()
    with stored(data_dir) as store:
        (info,) = store.list_conversations()
        died = store.path(info.id)[1]
        assert died.content == partial and not died.complete


def test_start_on_a_remote_model_whose_server_is_down_opens_the_builtin(qtbot: QtBot, data_dir: Path) -> None:
    gone = remote_path("gone", ALIAS)
    write_settings(data_dir, {"gone": f"http://127.0.0.1:{free_port()}"}, last_model=gone)
    win = open_window(qtbot, data_dir)
    try:
        model = win.session.model
        assert model is not None and not model.remote and model.info.path.name == BUILTIN_FILENAME
        text = notice(win)
        assert "gone" in text and "built-in model instead" in text, text
        greedy(win, 8)
        assert chat(qtbot, win, "Hello!").strip()
    finally:
        win.window.close()
