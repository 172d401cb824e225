"""The job queue and the model session, with the fake engine: order, cancelling, one busy signal, borrowing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.prompting.sampling import SamplingParams
from desktop.core.settings import Settings
from desktop.inference.backend import GenerationRequest, LoadedModel, LoadOptions
from desktop.inference.jobs import CountRequest, Job, LoadRequest, ScoreRequest
from desktop.inference.session import ModelSession
from desktop.inference.worker import InferenceClient
from tests.fakes import FakeBackend


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def client(backend: FakeBackend) -> Iterator[InferenceClient]:
    client = InferenceClient(backend)
    yield client
    client.shutdown()


def record(job: Job, events: list[str], name: str) -> None:
    job.started.connect(lambda: events.append(f"{name} started"))
    job.result.connect(lambda _result: events.append(f"{name} result"))
    job.failed.connect(lambda message: events.append(f"{name} failed: {message}"))
    job.finished.connect(lambda: events.append(f"{name} finished"))


def reply(text: str = "<bos>Hi") -> GenerationRequest:
    return GenerationRequest(text, SamplingParams(max_tokens=8))


def test_jobs_run_first_in_first_out_each_ending_once(qtbot: QtBot, client: InferenceClient, tmp_path: Path) -> None:
    events: list[str] = []
    record(client.submit(LoadRequest(tmp_path / "m.gguf")), events, "load")
    record(client.submit(reply()), events, "reply")
    last = client.submit(CountRequest("one two three"))
    record(last, events, "count")
    counted: list[int] = []
    last.result.connect(counted.append)
    qtbot.waitUntil(lambda: last.done)
    assert events == ["load started", "load result", "load finished", "reply started", "reply result",
                      "reply finished", "count started", "count result", "count finished"]
    assert counted == [3]


def test_a_job_streams_to_its_own_listeners_only(qtbot: QtBot, client: InferenceClient, tmp_path: Path) -> None:
    client.submit(LoadRequest(tmp_path / "m.gguf"))
    first, second = client.submit(reply("<bos>A")), client.submit(reply("<bos>B"))
    texts: dict[str, list[str]] = {"first": [], "second": []}
    first.text.connect(texts["first"].append)
    second.text.connect(texts["second"].append)
    qtbot.waitUntil(lambda: second.done)
    assert "".join(texts["first"]) == "".join(texts["second"]) == FakeBackend().reply


def test_a_cancelled_queued_job_is_skipped_and_still_finishes(qtbot: QtBot, client: InferenceClient,
                                                              backend: FakeBackend, tmp_path: Path) -> None:
    backend.release.clear()  # the first reply waits inside the engine until released
    client.submit(LoadRequest(tmp_path / "m.gguf"))
    running, queued = client.submit(reply()), client.submit(reply())
    events: list[str] = []
    record(queued, events, "queued")
    qtbot.waitUntil(lambda: running.running)
    queued.cancel()
    backend.release.set()
    qtbot.waitUntil(lambda: queued.done)
    assert events == ["queued finished"] and len(backend.requests) == 1


def test_cancel_stops_only_that_job(qtbot: QtBot, client: InferenceClient, backend: FakeBackend,
                                    tmp_path: Path) -> None:
    backend.reply = " ".join(["word"] * 200)
    backend.delay = 0.002
    client.submit(LoadRequest(tmp_path / "m.gguf"))
    stopped, after = client.submit(reply()), client.submit(reply())
    stats: list[object] = []
    stopped.result.connect(stats.append)
    after.result.connect(stats.append)
    qtbot.waitUntil(lambda: stopped.running)
    stopped.cancel()
    qtbot.waitUntil(lambda: after.done, timeout=10000)
    assert [s.stopped for s in stats] == [True, False]  # type: ignore[attr-defined]


def test_one_busy_signal_for_a_queue_of_long_work(qtbot: QtBot, client: InferenceClient, tmp_path: Path) -> None:
    said: list[bool] = []
    client.busyChanged.connect(said.append)
    client.submit(LoadRequest(tmp_path / "m.gguf"))
    jobs = [client.submit(reply()) for _ in range(3)]
    assert client.busy
    qtbot.waitUntil(lambda: jobs[-1].done)
    assert said == [True, False] and not client.busy


def test_a_follow_up_submitted_from_a_result_keeps_the_queue_busy(qtbot: QtBot, client: InferenceClient,
                                                                  tmp_path: Path) -> None:
    said: list[bool] = []
    client.busyChanged.connect(said.append)
    follow_up: list[Job] = []
    load = client.submit(LoadRequest(tmp_path / "m.gguf"))
    load.result.connect(lambda _model: follow_up.append(client.submit(reply())))
    qtbot.waitUntil(lambda: bool(follow_up) and follow_up[0].done)
    assert said == [True, False]


def test_short_work_does_not_make_the_queue_busy_and_a_hold_does(qtbot: QtBot, client: InferenceClient) -> None:
    said: list[bool] = []
    client.busyChanged.connect(said.append)
    count = client.submit(CountRequest("a b"))
    assert not client.busy
    qtbot.waitUntil(lambda: count.done)
    release = client.hold()
    assert client.busy and said == [True]
    release()
    release()  # a second release does nothing
    assert not client.busy and said == [True, False]


def test_a_bug_in_the_engine_fails_the_job_and_is_logged(qtbot: QtBot, client: InferenceClient,
                                                         backend: FakeBackend, tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_args: object) -> object:
        raise ZeroDivisionError("division by zero")

    backend.score_text = broken  # type: ignore[method-assign]
    client.submit(LoadRequest(tmp_path / "m.gguf"))
    job = client.submit(ScoreRequest("some text"))
    with caplog.at_level(logging.ERROR), qtbot.waitSignal(job.failed) as failed:
        pass
    assert "ZeroDivisionError" in failed.args[0] and "log" in failed.args[0]
    assert any("ScoreRequest" in r.getMessage() for r in caplog.records)


# --- the model session ---------------------------------------------------------------------------------------


@pytest.fixture
def session(client: InferenceClient) -> ModelSession:
    return ModelSession(client, Settings())


def test_the_session_loads_with_remembered_options_and_says_so_once(qtbot: QtBot, session: ModelSession,
                                                                     tmp_path: Path) -> None:
    path = tmp_path / "chat.gguf"
    session.settings.for_model(path).context_length = 2048
    changed: list[LoadedModel] = []
    session.modelChanged.connect(changed.append)
    with qtbot.waitSignal(session.modelChanged):
        session.load(path)
    assert changed[0].n_ctx == 2048 and session.model is changed[0]
    assert session.template is not None and session.settings.last_model == str(path)


def test_a_failed_load_with_no_model_opens_the_fallback_and_says_so(qtbot: QtBot, session: ModelSession,
                                                                    tmp_path: Path) -> None:
    failures: list[str] = []
    session.loadFailed.connect(lambda _path, message: failures.append(message))
    with qtbot.waitSignal(session.modelChanged, timeout=5000):
        session.load(tmp_path / "bad.gguf", fallback=lambda: tmp_path / "builtin.gguf")
    assert session.model is not None and session.model.info.path == tmp_path / "builtin.gguf"
    assert len(failures) == 1 and "opened the built-in model instead" in failures[0]


def test_borrowing_another_model_changes_nothing_the_pages_follow(qtbot: QtBot, session: ModelSession,
                                                                  backend: FakeBackend, tmp_path: Path) -> None:
    mine, other = tmp_path / "mine.gguf", tmp_path / "other.gguf"
    with qtbot.waitSignal(session.modelChanged):
        session.load(mine)
    followed: list[object] = []
    session.modelChanged.connect(followed.append)
    session.loading.connect(followed.append)
    borrowed = session.borrow(other, LoadOptions(n_ctx=1024))
    with qtbot.waitSignal(borrowed.result) as loaded:
        pass
    assert loaded.args[0].info.path == other and backend.loaded == other
    assert session.model is not None and session.model.info.path == mine
    back = session.give_back()
    assert back is not None
    qtbot.waitUntil(lambda: back.done)
    assert backend.loaded == mine and followed == [] and session.give_back() is None


def test_choosing_a_template_is_remembered_and_told(qtbot: QtBot, session: ModelSession, tmp_path: Path) -> None:
    with qtbot.waitSignal(session.modelChanged):
        session.load(tmp_path / "mine.gguf")
    with qtbot.waitSignal(session.templateChanged):
        session.choose_template("chatml")
    assert session.settings.for_model(tmp_path / "mine.gguf").template == "chatml"
    assert session.template is not None and "im_start" in session.template.source


def test_engines_say_what_they_can_do() -> None:
    from desktop.inference.backend import EngineCapabilities, InferenceBackend
    from desktop.inference.llama.backend import LlamaBackend

    assert InferenceBackend.capabilities == EngineCapabilities()  # a new engine promises nothing beyond replies
    llama = LlamaBackend.capabilities
    assert llama.name == "llama.cpp" and all((llama.loads_gguf_files, llama.tokenizes, llama.token_probabilities,
                                              llama.scores_text, llama.scores_continuations, llama.fits_context))


def test_every_job_signal_arrives_on_the_gui_thread(qtbot: QtBot, client: InferenceClient, tmp_path: Path) -> None:
    from PySide6.QtCore import QThread

    gui = QThread.currentThread()
    threads: dict[str, bool] = {}

    def on_gui(name: str) -> None:
        threads[name] = QThread.currentThread() is gui

    client.submit(LoadRequest(tmp_path / "m.gguf"))
    reply_job = client.submit(GenerationRequest("<bos>Hi", SamplingParams(max_tokens=8), alternatives=2))
    score_job = client.submit(ScoreRequest("some text to score"))
    for name in ("started", "text", "steps", "result", "finished"):
        getattr(reply_job, name).connect(lambda *_args, name=name: on_gui(f"reply {name}"))
    score_job.progress.connect(lambda *_args: on_gui("score progress"))
    qtbot.waitUntil(lambda: score_job.done)
    assert threads == {f"reply {n}": True for n in ("started", "text", "steps", "result", "finished")} | {
        "score progress": True}


def test_a_borrow_cancelled_before_it_started_needs_no_give_back(qtbot: QtBot, session: ModelSession,
                                                                backend: FakeBackend, tmp_path: Path) -> None:
    with qtbot.waitSignal(session.modelChanged):
        session.load(tmp_path / "mine.gguf")
    backend.release.clear()  # a reply holds the worker, so the borrow waits in the queue
    running = session.submit(reply())
    borrowed = session.borrow(tmp_path / "other.gguf")
    borrowed.cancel()
    backend.release.set()
    qtbot.waitUntil(lambda: running.done and borrowed.done)
    assert session.give_back() is None and backend.loaded == tmp_path / "mine.gguf"


def test_shutdown_during_a_job_still_frees_the_model(qtbot: QtBot, tmp_path: Path) -> None:
    """quit() ends the worker's loop as soon as the running job returns, dropping the queued unload: a server's
    connections stayed open after the window closed."""
    import threading

    started = threading.Event()

    class SlowCount(FakeBackend):
        def count_tokens(self, text: str) -> int:
            started.set()
            threading.Event().wait(0.3)
            return 1

    backend = SlowCount()
    client = InferenceClient(backend)
    load = client.submit(LoadRequest(tmp_path / "m.gguf", LoadOptions()))
    qtbot.waitUntil(lambda: load.done)
    client.submit(CountRequest("a b c"))
    assert started.wait(10)
    client.shutdown()
    assert not backend.is_loaded()
