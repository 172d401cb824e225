"""The real backend: llama.cpp through llama-cpp-python, every parameter set explicitly."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from pathlib import Path

import llama_cpp
import numpy as np
from llama_cpp import Llama

from desktop.core.conversations.messages import GenerationStats
from desktop.core.fewshot.likelihood import ContinuationScores
from desktop.core.i18n import translate
from desktop.core.instruments.perplexity import TextScore
from desktop.core.models.gguf_file import read_model_info
from desktop.core.prompting.characters import visible_text
from desktop.core.prompting.probabilities import (
    Alternative,
    AlternativesScanner,
    Logits,
    NextTokenDistribution,
    TokenPiece,
    TokenStep,
)
from desktop.core.settings import DEFAULT_CONTEXT
from desktop.inference.backend import (
    EngineCapabilities,
    FittedPrompt,
    GenerationRequest,
    InferenceBackend,
    InferenceError,
    LoadedModel,
    LoadOptions,
)
from desktop.inference.context_fit import PromptTooLongError, StoppedError, fit_request
from desktop.inference.hardware import physical_cores
from desktop.inference.llama.generation import generate_reply
from desktop.inference.llama.kernels import CpuKernelsError, load_backends
from desktop.inference.llama.likelihood import score_continuations
from desktop.inference.llama.log import route_llama_log
from desktop.inference.llama.perplexity import score_text
from desktop.inference.model_file import FileStamp, check_unchanged, stamp_files
from desktop.inference.offload import build_backend, load_with_fallback, possibly_out_of_memory
from desktop.inference.prompt_chunks import chunk_ends, chunks, reuse_point
from desktop.inference.token_counts import TokenCounts

BATCH = 512
MIN_CONTEXT = 256  # llama-cpp-python mis-sizes its buffers for tiny contexts (seen with 8 tokens)
DISTRIBUTION_TEXTS = 256  # the likeliest tokens whose text a next-token distribution carries

route_llama_log()  # llama.cpp's own log goes to Python logging, as `llama.cpp`


class _CountingLlama(Llama):
    """Counts the tokens llama.cpp actually decodes, so the stats can show what the KV cache saved."""

    evaluated = 0

    def eval(self, tokens: Sequence[int]) -> None:
        self.evaluated += len(tokens)
        super().eval(tokens)


class LlamaBackend(InferenceBackend):
    """llama.cpp in this process, on GGUF files: every capability."""

    capabilities = EngineCapabilities(name="llama.cpp", loads_gguf_files=True, tokenizes=True,
                                      token_probabilities=True, scores_text=True, scores_continuations=True,
                                      fits_context=True, post_sampling_probs=True, applies_template=True)

    def __init__(self) -> None:
        self._llm: _CountingLlama | None = None
        self._bos_text = ""
        self._name = ""
        self._texts: dict[int, str] = {}  # token id -> text to show, for the loaded model
        self._bytes: dict[int, bytes] = {}  # token id -> its bytes (special tokens as their text)
        self._scanner = AlternativesScanner()
        self._canonical = 0  # cached positions written by whole prompt chunks (prompt_chunks): reusable bit for bit
        self._boundaries: dict[int, bool] = {}  # token id -> whether a prompt chunk may end after it
        self._counts = TokenCounts(self.tokenize)  # chat turns' token counts, for fitting long chats
        self._files: tuple[FileStamp, ...] = ()  # the model files as loaded (llama.cpp maps them into memory)

    def load(self, path: Path, options: LoadOptions) -> LoadedModel:
        info = read_model_info(path)  # llama.cpp may abort the process on a malformed file
        files = stamp_files(path)
        trained = info.context_length or DEFAULT_CONTEXT
        n_ctx = max(MIN_CONTEXT, min(options.n_ctx or DEFAULT_CONTEXT, trained))
        try:
            kernels = load_backends()  # a portable build's kernels for this CPU, once per process
        except CpuKernelsError as exc:
            raise InferenceError(str(exc)) from exc
        backend = build_backend()
        total_layers = info.block_count or 0
        n_gpu_layers = options.n_gpu_layers if options.n_gpu_layers is not None else (-1 if backend != "CPU" else 0)
        n_threads = options.n_threads or physical_cores()
        self.unload()

        def attempt(layers: int) -> _CountingLlama:
            return _CountingLlama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_batch=BATCH,
                n_ubatch=BATCH,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_gpu_layers=layers,
                main_gpu=0,
                use_mmap=True,
                use_mlock=False,
                seed=0,
                logits_all=False,
                embedding=False,
                offload_kqv=True,
                flash_attn=False,
                swa_full=True,  # sliding-window models (Gemma 3) can then drop a suffix and reuse the prefix
                last_n_tokens_size=64,
                no_perf=False,
                verbose=False,
            )

        try:  # too many layers for the GPU's memory: fewer, down to none, and the notice says so
            loaded = load_with_fallback(attempt, n_gpu_layers, total_layers, possibly_out_of_memory(backend))
        except (ValueError, RuntimeError, OSError) as exc:
            self._llm = None
            raise InferenceError(translate(
                "InferenceError", "llama.cpp could not load {name} ({error}). The file may be incomplete or need a "
                "newer llama.cpp; try another model or quantisation.").format(name=path.name, error=exc)) from exc
        self._llm, n_gpu_layers = loaded.value, loaded.layers
        self._canonical = 0
        self._boundaries = {}
        self._counts.clear()
        self._files = files
        self._name = info.display_name
        self._texts = {}
        self._bytes = {}
        bos = self._llm.token_bos()
        self._bos_text = self._llm.detokenize([bos], special=True).decode("utf-8", "replace") if bos >= 0 else ""
        if backend == "CPU":
            offloaded = 0
        elif n_gpu_layers < 0:
            offloaded = total_layers
        else:
            offloaded = min(n_gpu_layers, total_layers)
        return LoadedModel(info, n_ctx, n_threads, backend, offloaded, total_layers, loaded.message,
                           cpu_kernels=kernels.label)

    def unload(self) -> None:
        if self._llm is not None:
            self._llm.close()
            self._llm = None

    def is_loaded(self) -> bool:
        return self._llm is not None

    def _model(self) -> _CountingLlama:
        if self._llm is None:
            raise InferenceError(translate("InferenceError", "No model is loaded yet. Wait for the model to finish "
                                           "loading, or choose one."))
        return self._llm

    def _checked_model(self) -> _CountingLlama:
        """The model, once its files are known to be as they were at load (reading a truncated one kills us)."""
        llm = self._model()
        check_unchanged(self._files)
        return llm

    def tokenize(self, text: str) -> list[int]:
        """Special tokens in the rendered prompt count as tokens; BOS is added only if the template did not."""
        llm = self._model()
        has_bos = bool(self._bos_text) and text.startswith(self._bos_text)
        add_bos = not has_bos and llama_cpp.llama_vocab_get_add_bos(llm._model.vocab)
        return llm.tokenize(text.encode("utf-8"), add_bos=bool(add_bos), special=True)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    def token_pieces(self, text: str) -> list[TokenPiece]:
        llm = self._model()
        vocab = llm._model.vocab
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pieces = []
        for token in self.tokenize(text):
            special = bool(llama_cpp.llama_vocab_is_control(vocab, token))
            data = self._token_bytes(llm, token)
            pieces.append(TokenPiece(token, decoder.decode(data), special, data))
        return pieces

    def reset_cache(self) -> None:
        """Llama.reset() only rewinds the token count (and clears memory of recurrent models); clear the KV
        cells too, so nothing of the previous prompt can be matched or attended to."""
        llm = self._model()
        llm.reset()  # type: ignore[no-untyped-call]  # llama-cpp-python leaves these two unannotated
        llm._ctx.kv_cache_clear()  # type: ignore[no-untyped-call]
        self._canonical = 0

    def _is_boundary(self, token: int) -> bool:
        """A line break or a control token ends a natural unit of the prompt (a turn, an example, a paragraph)."""
        found = self._boundaries.get(token)
        if found is None:
            llm = self._model()
            found = bool(llama_cpp.llama_vocab_is_control(llm._model.vocab, token)) or \
                self._token_text(llm, token).endswith("\n")
            self._boundaries[token] = found
        return found

    def prompt_chunk_ends(self, tokens: Sequence[int]) -> list[int]:
        """Where evaluation splits these tokens into batches (see desktop.inference.prompt_chunks)."""
        return chunk_ends(tokens, self._is_boundary)

    def _evaluate_prompt(self, llm: _CountingLlama, tokens: Sequence[int],
                         should_stop: Callable[[], bool] = lambda: False) -> None:
        """Evaluate `tokens` so that the last position's logits are in the context, as a function of the tokens
        alone: whatever ran before, the same chunks at the same positions are decoded.

        The cache is reused up to the last chunk end that both matches `tokens` and was written by a whole
        prompt chunk (never by generation, which writes one token at a time); the chunk holding the last token
        is always decoded again, so its logits are fresh.
        """
        count = len(tokens)
        if count == 0:
            raise InferenceError(translate("InferenceError", "There is no prompt to evaluate: type a message or a "
                                           "prompt first."))
        limit = min(self._canonical, llm.n_tokens, count)
        wanted = np.asarray(tokens[:limit], dtype=llm.input_ids.dtype)
        differ = np.flatnonzero(llm.input_ids[:limit] != wanted)
        common = int(differ[0]) if differ.size else limit
        ends = self.prompt_chunk_ends(tokens)
        start = reuse_point(ends, common, count)
        llm.n_tokens = start
        self._canonical = start
        for begin, end in chunks(ends, start, count):
            if should_stop():  # Stop, or quitting: what is evaluated so far stays reusable
                raise StoppedError
            llm.eval(tokens[begin:end])
            self._canonical = end if end in ends else self._canonical
        self._canonical = ends[-1] if ends else 0

    def generate(
        self,
        request: GenerationRequest,
        on_text: Callable[[str], None],
        should_stop: Callable[[], bool],
        on_step: Callable[[TokenStep], None] | None = None,
    ) -> GenerationStats:
        return generate_reply(self, self._checked_model(), request, on_text, should_stop, on_step)

    def _last_logits(self, llm: Llama) -> Logits:
        """A view (no copy) of the logits of the last decoded position."""
        pointer = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
        return np.ctypeslib.as_array(pointer, shape=(llm.n_vocab(),))

    def _token_bytes(self, llm: Llama, token: int) -> bytes:
        data = self._bytes.get(token)
        if data is None:
            data = llm.detokenize([token], special=True)
            self._bytes[token] = data
        return data

    def _token_text(self, llm: Llama, token: int) -> str:
        """The token's text to show: part of a character as its bytes, ‹E6 88›, never '\ufffd'."""
        text = self._texts.get(token)
        if text is None:
            text = visible_text(self._token_bytes(llm, token))
            self._texts[token] = text
        return text

    def _step(self, llm: Llama, token: int, piece: str, data: bytes, count: int) -> TokenStep:
        logits = self._last_logits(llm)
        ids, probabilities, entropy = self._scanner(logits, count)
        alternatives = tuple(
            Alternative(int(i), self._token_text(llm, int(i)), float(p), float(logits[i]),
                        self._token_bytes(llm, int(i)))
            for i, p in zip(ids, probabilities, strict=True)
        )
        chosen = next((a.probability for a in alternatives if a.token_id == token), None)
        if chosen is None:  # sampled from outside the top alternatives: compute its own probability
            best = float(logits.max())
            chosen = float(np.exp(logits[token] - best) / np.exp(logits - best, dtype=np.float32).sum(dtype=np.float64))
        return TokenStep(token, piece, chosen, entropy, alternatives, data)

    def _eval_for_logits(self, llm: _CountingLlama, tokens: list[int]) -> None:
        """Evaluate `tokens` reusing the cache, so the last position has fresh logits (the same as generation's)."""
        if len(tokens) > llm.n_ctx():
            raise InferenceError(translate(
                "InferenceError", "That point is {tokens} tokens into the text but the context holds {n_ctx}.").format(
                tokens=len(tokens), n_ctx=llm.n_ctx()))
        self._evaluate_prompt(llm, tokens)

    def next_token_distribution(
        self, prompt: str, token_ids: Sequence[int] = (), context: str = "", chosen: int = -1
    ) -> NextTokenDistribution:
        llm = self._checked_model()
        tokens = self.tokenize(prompt) + list(token_ids)
        if not tokens:
            raise InferenceError(translate("InferenceError", "There is no text to predict from: type a message or a "
                                           "prompt first."))
        self._eval_for_logits(llm, tokens)
        logits = np.array(self._last_logits(llm), dtype=np.float32)  # a copy: the next decode overwrites it
        top = np.argpartition(logits, -DISTRIBUTION_TEXTS)[-DISTRIBUTION_TEXTS:]
        texts = {int(i): self._token_text(llm, int(i)) for i in top}
        if chosen >= 0:
            texts[chosen] = self._token_text(llm, chosen)
        return NextTokenDistribution(logits, texts, context, chosen)

    def continuation_logprobs(self, prompt: str, continuations: Sequence[str]) -> ContinuationScores:
        return score_continuations(self, self._checked_model(), prompt, continuations)

    def score_text(
        self, text: str, on_progress: Callable[[int, int], None], should_stop: Callable[[], bool]
    ) -> TextScore:
        return score_text(self, self._checked_model(), self._name, text, on_progress, should_stop)

    def _fit(self, request: GenerationRequest, n_ctx: int,
             should_stop: Callable[[], bool] = lambda: False) -> tuple[list[int], int]:
        """The prompt's tokens, leaving out the oldest turns that keep room for a reply (see context_fit)."""
        return fit_request(self.tokenize, self._counts, request, n_ctx, should_stop)

    def fitted_prompt(self, request: GenerationRequest, should_stop: Callable[[], bool]) -> FittedPrompt:
        try:
            _tokens, dropped = self._fit(request, self._model().n_ctx(), should_stop)
        except PromptTooLongError as exc:
            return FittedPrompt(_fitted_text(request, exc.dropped), exc.dropped, exc.at_least)
        return FittedPrompt(_fitted_text(request, dropped), dropped)


def _fitted_text(request: GenerationRequest, dropped: int) -> str:
    text = request.shorten(dropped) if request.shorten is not None else None
    return request.prompt if text is None else text
