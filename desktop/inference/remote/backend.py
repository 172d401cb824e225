"""A model on a server, as an InferenceBackend: the worker, the chat, few-shot runs and Compare drive it exactly as
they drive the in-process llama.cpp.

Parley renders every prompt itself (with the template the server reports, or the one the person chose) and sends it
to /v1/completions, so the Raw prompt tab shows exactly what the model reads, few-shot prompts are untouched by a
chat template, and local and remote columns in Compare get the same text.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from desktop.core.conversations.messages import GenerationStats
from desktop.core.engines.config import split_remote
from desktop.core.fewshot.likelihood import ContinuationScore, ContinuationScores
from desktop.core.i18n import QT_TRANSLATE_NOOP, translate
from desktop.core.instruments.perplexity import ScoredToken, TextScore
from desktop.core.prompting.characters import incremental_texts
from desktop.core.prompting.probabilities import LN2, NextTokenDistribution, TokenPiece, TokenStep
from desktop.inference.backend import (
    EngineCapabilities,
    FittedPrompt,
    GenerationRequest,
    InferenceBackend,
    InferenceError,
    LoadedModel,
    LoadOptions,
)
from desktop.inference.context_fit import PromptTooLongError, fit_request
from desktop.inference.remote.client import LLAMA_SERVER, EngineAccess, EngineClient, EngineProbe, RemoteModel
from desktop.inference.remote.completions import (
    SERVER_MAX_LOGPROBS,
    completion_arguments,
    generation_stats,
    token_step,
)
from desktop.inference.remote.replies import completion_steps, echoed_tokens
from desktop.inference.token_counts import TokenCounts

DISTRIBUTION_TOP = 100  # next-token candidates asked of a server (it sends the top n, never the whole vocabulary)
DEFAULT_REMOTE_CONTEXT = 4096


class RemoteBackend(InferenceBackend):
    """Models on engines the person added; `resolve(engine name)` gives how to reach one (URL, key, timeout,
    offline mode) at the moment of each load, so a changed key or offline mode takes effect on the next load."""

    capabilities = EngineCapabilities(name=QT_TRANSLATE_NOOP("EngineCapabilities", "a server"))

    def __init__(self, resolve: Callable[[str], EngineAccess]) -> None:
        self._resolve = resolve
        self._client: EngineClient | None = None
        self._probe: EngineProbe | None = None
        self._model: RemoteModel | None = None
        self._loaded: LoadedModel | None = None
        self._counts = TokenCounts(self.tokenize)
        self._bos = ""  # the model's BOS text: the server adds BOS itself, so a rendered prompt's own is removed

    # --- loading --------------------------------------------------------------------------------

    def load(self, path: Path, options: LoadOptions) -> LoadedModel:
        try:
            engine, model_id = split_remote(path)
        except ValueError as exc:
            raise InferenceError(str(exc)) from exc
        access = self._resolve(engine)
        client = EngineClient(access)
        try:
            probe = client.probe()
        except BaseException:
            client.close()
            raise
        model = next((m for m in probe.models if m.id == model_id), None)
        if model is None:
            client.close()
            served = ", ".join(m.id for m in probe.models[:8])
            raise InferenceError(translate("InferenceError", "{engine} does not serve “{model}” any more (it serves: "
                                           "{served}). Choose one of those on the Models page.").format(
                engine=engine, model=model_id, served=served))
        self.unload()
        self._client, self._probe, self._model = client, probe, model
        self.capabilities = probe.capabilities
        props = None
        if probe.router:  # this model's own template and context
            with client.talking(translate("EngineClient", "asking about the model")):
                props = client.model_props(model.id) or None
            settings = props.get("default_generation_settings") if props else None
            n_ctx_props = settings.get("n_ctx") if isinstance(settings, dict) else None
            if isinstance(n_ctx_props, int) and n_ctx_props > 0:
                model = RemoteModel(model.id, n_ctx_props, model.meta)
                self._model = model
        info = probe.model_info(model, props)
        self._bos = info.bos_token or ""
        n_ctx = model.context_length or DEFAULT_REMOTE_CONTEXT
        notice = probe.capabilities.reproducible_note
        self._loaded = LoadedModel(info, n_ctx, 0, probe.kind, 0, 0, notice, capabilities=probe.capabilities,
                                   engine=engine)
        self._counts.clear()
        return self._loaded

    def unload(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = self._probe = self._model = self._loaded = None

    def is_loaded(self) -> bool:
        return self._client is not None

    def _connected(self) -> tuple[EngineClient, EngineProbe, RemoteModel]:
        if self._client is None or self._probe is None or self._model is None:
            raise InferenceError(translate("InferenceError", "No model is loaded yet. Wait for the model to finish "
                                           "loading, or choose one."))
        return self._client, self._probe, self._model

    def reset_cache(self) -> None:
        """Nothing to clear here: requests that must start cold send cache_prompt: false (llama-server)."""

    # --- tokens ---------------------------------------------------------------------------------

    def _sent_prompt(self, prompt: str) -> str:
        """The prompt as sent: without the BOS text the template wrote, since the server adds BOS itself."""
        return prompt[len(self._bos):] if self._bos and prompt.startswith(self._bos) else prompt

    def _tokenize_raw(self, text: str) -> list[dict[str, Any]]:
        client, probe, _model = self._connected()
        if not probe.capabilities.tokenizes:
            raise InferenceError(translate("InferenceError", "{name} cannot show token boundaries.").format(
                name=probe.capabilities.name))
        with client.talking(translate("EngineClient", "counting tokens")):
            data = client.post_json("/tokenize", {"model": self._model.id if self._model else "",
                                                  "content": self._sent_prompt(text), "add_special": True,
                                                  "parse_special": True, "with_pieces": True})
            tokens = data["tokens"]
            if not isinstance(tokens, list) or not all(isinstance(t, dict) and "id" in t for t in tokens):
                raise ValueError("/tokenize sent no token list")
        return tokens

    def tokenize(self, text: str) -> list[int]:
        return [int(t["id"]) for t in self._tokenize_raw(text)]

    def count_tokens(self, text: str) -> int:
        _client, probe, _model = self._connected()
        if not probe.capabilities.tokenizes:
            return max(1, len(text) // 4)  # a rough estimate where the server cannot count
        return len(self.tokenize(text))

    def token_pieces(self, text: str) -> list[TokenPiece]:
        """llama-server sends a piece that is part of a character as its bytes, [230, 136]: kept as `raw`, and
        the text is what each token adds as the bytes arrive ("" until a character is whole), as llama.cpp's."""
        tokens = self._tokenize_raw(text)
        raws = [_piece_bytes(token.get("piece", "")) for token in tokens]
        pieces = []
        for token, raw, added in zip(tokens, raws, incremental_texts(raws), strict=True):
            piece = token.get("piece", "")
            special = isinstance(piece, str) and piece.startswith("<") and piece.endswith(">") and len(piece) > 2
            pieces.append(TokenPiece(int(token["id"]), added, special, raw))
        return pieces

    # --- generation -----------------------------------------------------------------------------

    def fitted_prompt(self, request: GenerationRequest, should_stop: Callable[[], bool]) -> FittedPrompt:
        _client, probe, _model = self._connected()
        if not probe.capabilities.fits_context or self._loaded is None:
            return FittedPrompt(request.prompt)
        try:
            _tokens, dropped = fit_request(self.tokenize, self._counts, request, self._loaded.n_ctx, should_stop)
        except PromptTooLongError as exc:
            return FittedPrompt(_shortened(request, exc.dropped), exc.dropped, exc.at_least)
        return FittedPrompt(_shortened(request, dropped), dropped)

    def generate(
        self,
        request: GenerationRequest,
        on_text: Callable[[str], None],
        should_stop: Callable[[], bool],
        on_step: Callable[[TokenStep], None] | None = None,
    ) -> GenerationStats:
        client, probe, model = self._connected()
        if request.forced and probe.kind != LLAMA_SERVER:
            raise InferenceError(translate("InferenceError", "{name} cannot continue a reply from a chosen "
                                           "token.").format(name=probe.capabilities.name))
        started = time.perf_counter()
        fitted = self.fitted_prompt(request, should_stop) if request.shorten is not None else \
            FittedPrompt(request.prompt)
        if fitted.at_least:
            raise InferenceError(translate(
                "InferenceError", "The prompt is at least {tokens} tokens but {engine} runs this model with a context "
                "of {n_ctx}. Start a new chat or shorten the system prompt.").format(
                tokens=fitted.at_least, engine=probe.engine.name, n_ctx=self._loaded.n_ctx if self._loaded else 0))
        args, extra = completion_arguments(request, probe, model, self._sent_prompt(fitted.text), stream=True)
        record = on_step is not None and "logprobs" in args
        first_at = 0.0
        generated = 0
        stopped = False
        timings: dict[str, Any] = {}
        usage: Any = None
        finish = ""
        chunks = 0
        with client.talking(translate("EngineClient", "generating a reply")):
            stream = client.complete(**args, extra_body=extra)
            try:
                for chunk in stream:
                    chunks += 1
                    if not hasattr(chunk, "choices"):  # an event that is not a completion chunk
                        raise ValueError(f"a malformed event in the reply stream: {str(chunk)[:80]!r}")
                    extra_fields = chunk.model_extra or {}
                    if isinstance(extra_fields.get("timings"), dict):
                        timings = extra_fields["timings"]
                    if chunk.usage is not None:
                        usage = chunk.usage
                    for choice in chunk.choices:
                        text = choice.text or ""
                        if text and not first_at:
                            first_at = time.perf_counter()
                        if record:
                            for step in completion_steps(choice):
                                on_step(token_step(step))  # type: ignore[misc]
                        if text:
                            generated += 1
                            on_text(text)
                        finish = choice.finish_reason or finish
                    if should_stop():  # closing the stream makes the server stop generating
                        stopped = True
                        break
            finally:
                stream.close()
            if not chunks:  # even an empty reply comes with a chunk that says why it finished
                raise ValueError("the reply stream was empty")
        finished = time.perf_counter()
        return generation_stats(timings, usage, generated, started, first_at or finished, finished, stopped,
                                finish == "length" and request.params.max_tokens > generated, fitted.dropped)

    # --- probabilities --------------------------------------------------------------------------

    def next_token_distribution(
        self, prompt: str, token_ids: Sequence[int] = (), context: str = "", chosen: int = -1
    ) -> NextTokenDistribution:
        """The server's top candidates for the next token (it never sends the whole vocabulary): the tokens
        outside the top DISTRIBUTION_TOP get no probability."""
        client, probe, model = self._connected()
        if not probe.capabilities.token_probabilities:
            raise InferenceError(translate("InferenceError", "{name} does not send token probabilities.").format(
                name=probe.capabilities.name))
        if probe.kind == LLAMA_SERVER:
            with client.talking(translate("EngineClient", "asking for next-token probabilities")):
                body: dict[str, Any] = {"prompt": [self._sent_prompt(prompt), *token_ids] if token_ids
                                        else self._sent_prompt(prompt), "model": model.id,
                                        "n_predict": 1, "n_probs": DISTRIBUTION_TOP,
                                        "temperature": 0, "cache_prompt": False, "samplers": []}
                data = client.post_json("/completion", body)
                probs = data["completion_probabilities"][0]["top_logprobs"]
                top = [(str(p["token"]), float(p["logprob"]), int(p["id"])) for p in probs]
        else:
            if token_ids:
                raise InferenceError(translate("InferenceError", "{name} can show the distribution after the prompt "
                                               "only.").format(name=probe.capabilities.name))
            with client.talking(translate("EngineClient", "asking for next-token probabilities")):
                reply = client.complete(model=model.id, prompt=self._sent_prompt(prompt),
                                                         max_tokens=1, temperature=0, logprobs=SERVER_MAX_LOGPROBS)
                steps = completion_steps(reply.choices[0]) if isinstance(getattr(reply, "choices", None), list) \
                    and reply.choices else []
                if not steps:
                    raise ValueError("no log-probabilities in the reply")
                top = [(t, v, i if i is not None else n) for n, (t, v, i) in enumerate(steps[0].top)]
        if not top:
            raise InferenceError(translate("InferenceError", "{name} sent no candidates for the next token.").format(
                name=probe.capabilities.name))
        size = max(i for _t, _v, i in top) + 1
        logits = np.full(size, -np.inf, dtype=np.float32)
        texts: dict[int, str] = {}
        for text, value, token_id in top:
            logits[token_id] = value
            texts[token_id] = text
        note = translate("EngineClient", "top {count} from {engine}").format(count=len(top), engine=probe.engine.name)
        return NextTokenDistribution(logits, texts, f"{context} ({note})" if context else note, chosen)

    def _echo(self, text: str, doing: str) -> list[tuple[str, float | None, int]]:
        """The log-probability of each of text's tokens given those before it, from the server's `echo`."""
        client, _probe, model = self._connected()
        with client.talking(doing):
            reply = client.complete(model=model.id, prompt=text, max_tokens=1, temperature=0,
                                                     logprobs=1, echo=True)
            return echoed_tokens(reply)

    def continuation_logprobs(self, prompt: str, continuations: Sequence[str]) -> ContinuationScores:
        """Each continuation's summed log-probability after the prompt: the tokens the server echoes from the
        prompt's end on (the prompt and the continuation tokenized together, as the model reads them)."""
        if not self.capabilities.scores_continuations:
            raise InferenceError(translate(
                "InferenceError", "{name} does not return the prompt's log-probabilities, so Parley cannot score by "
                "“Most likely answer” on it. Use a model on this computer, or a vLLM server. Choose a rule that "
                "reads the generated text.").format(name=self._name()))
        sent = self._sent_prompt(prompt)
        scores = []
        prompt_tokens = 0
        for continuation in continuations:
            echoed = self._echo(sent + continuation, translate("EngineClient", "scoring the answers"))
            ours = [(v, o) for _t, v, o in echoed if o >= len(sent)]
            prompt_tokens = len(echoed) - len(ours)
            scores.append(ContinuationScore(sum(v for v, _o in ours if v is not None), len(ours)))
        return ContinuationScores(tuple(scores), prompt_tokens, prompt_tokens * len(continuations))

    def score_text(
        self, text: str, on_progress: Callable[[int, int], None], should_stop: Callable[[], bool]
    ) -> TextScore:
        """Per-token surprisal from the server's `echo` of the text, in one window (a text longer than the server's
        context is refused by the server, with its message)."""
        if not self.capabilities.scores_text:
            raise InferenceError(translate(
                "InferenceError", "{name} does not return the prompt's log-probabilities, so Parley cannot score text "
                "(perplexity) on it. Use a model on this computer, or a vLLM server.").format(name=self._name()))
        echoed = self._echo(self._sent_prompt(text), translate("EngineClient", "scoring the text"))
        tokens = tuple(ScoredToken(-1 - i, piece, math.nan if value is None else -value / LN2)
                       for i, (piece, value, _offset) in enumerate(echoed))
        on_progress(len(tokens), len(tokens))
        n_ctx = self._loaded.n_ctx if self._loaded else 0
        return TextScore(tokens, 1, n_ctx, self._loaded.info.name if self._loaded else "")

    def _name(self) -> str:
        """The engine's name in messages ("a server" before any model is loaded)."""
        return translate("EngineCapabilities", self.capabilities.name)


def _piece_bytes(piece: object) -> bytes:
    """A /tokenize piece's bytes: a list of byte values for part of a character, else text."""
    if isinstance(piece, list):
        return bytes(b for b in piece if isinstance(b, int) and 0 <= b < 256)
    return str(piece).encode("utf-8")


def _shortened(request: GenerationRequest, dropped: int) -> str:
    text = request.shorten(dropped) if request.shorten is not None else None
    return request.prompt if text is None else text
