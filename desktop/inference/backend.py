"""The contract between Parley and a language-model runtime.

The worker drives any `InferenceBackend`; the real one wraps llama.cpp, test fakes subclass
this same class so they cannot drift from the contract.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.conversations.messages import GenerationStats
from desktop.core.errors import ParleyError
from desktop.core.fewshot.likelihood import ContinuationScores
from desktop.core.i18n import translate
from desktop.core.instruments.perplexity import TextScore
from desktop.core.models.gguf_file import ModelInfo
from desktop.core.prompting.probabilities import NextTokenDistribution, TokenPiece, TokenStep
from desktop.core.prompting.sampling import SamplingParams


class InferenceError(ParleyError):
    """A failure the person can act on; str() is the message to show."""


@dataclass(frozen=True)
class LoadOptions:
    """None means the default: 4096 tokens of context (capped by the model), all layers on a GPU build,
    one thread per physical core."""

    n_ctx: int | None = None
    n_gpu_layers: int | None = None
    n_threads: int | None = None


@dataclass(frozen=True)
class EngineCapabilities:
    """What an engine can do beyond streaming a reply, so pages offer only what works (a remote server may give
    text but no token probabilities)."""

    name: str = "engine"
    loads_gguf_files: bool = False  # load() takes a local GGUF file (else the engine serves its own models)
    tokenizes: bool = False  # count_tokens and token_pieces are exact, so the Raw prompt tab shows tokens
    token_probabilities: bool = False  # alternatives per generated token, next-token distributions
    scores_text: bool = False  # perplexity (score_text)
    scores_continuations: bool = False  # "Most likely answer" (continuation_logprobs)
    fits_context: bool = False  # fitted_prompt leaves out the oldest exchanges to fit the context
    # What a server adds or lacks (the local engine has all of it):
    post_sampling_probs: bool = False  # the distribution after the sampler chain (llama-server)
    applies_template: bool = False  # renders a chat with the model's own template (llama-server /apply-template)
    grammar: bool = False  # grammar or JSON-schema constrained output
    reproducible: bool = True  # the same request gives the same output whatever ran before
    reproducible_note: str = ""  # why not, when it cannot promise that
    sampling: frozenset[str] = frozenset(
        {"temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "seed"})  # settings it obeys
    version: str = ""  # the engine's build or version, for run records

    def unsupported_note(self, setting: str) -> str:
        """Why a sampling setting is greyed out; "" when the engine obeys it."""
        if setting in self.sampling:
            return ""
        return translate("EngineCapabilities", "{name} does not accept this setting, so it has no effect on this "
                         "model.").format(name=translate("EngineCapabilities", self.name))


@dataclass(frozen=True)
class LoadedModel:
    info: ModelInfo
    n_ctx: int
    n_threads: int
    backend: str  # "CPU", "CUDA", "Metal", "Vulkan"
    gpu_layers: int  # layers actually offloaded
    total_layers: int
    notice: str = ""  # what the load did differently from what was asked (fewer GPU layers), for the person
    capabilities: EngineCapabilities | None = None  # None: the engine's own (a local llama.cpp model: all)
    engine: str = ""  # the server's name for a remote model; "" for this computer
    cpu_kernels: str = ""  # the instruction set of the CPU kernels in use ("AVX-512 VNNI"); "" for a single library

    @property
    def remote(self) -> bool:
        return bool(self.engine)

    @property
    def offload_summary(self) -> str:
        """For the status bar: the build's backend always, and where the layers went."""
        if self.remote:
            return translate("Offload", "{backend} on {engine}").format(backend=self.backend, engine=self.engine)
        threads = self.n_threads
        if self.backend == "CPU" and self.cpu_kernels:
            return translate("Offload", "CPU · {kernels} kernels · %n threads", None, threads).format(
                kernels=self.cpu_kernels)
        if self.backend == "CPU":
            return translate("Offload", "CPU build · %n threads", None, threads)
        if self.gpu_layers == 0 and self.cpu_kernels:
            return translate("Offload", "{backend} build, CPU only · {kernels} kernels · %n threads", None,
                             threads).format(backend=self.backend, kernels=self.cpu_kernels)
        if self.gpu_layers == 0:
            return translate("Offload", "{backend} build, CPU only · %n threads", None, threads).format(
                backend=self.backend)
        return translate("Offload", "{backend} · {layers}/{total} layers on GPU").format(
            backend=self.backend, layers=self.gpu_layers, total=self.total_layers)

    @property
    def offload_sentence(self) -> str:
        """For the first-run page and the About dialog."""
        if self.remote:
            return translate("Offload", "Running on {engine}, a {backend} server: prompts and replies go to that "
                             "server").format(engine=self.engine, backend=self.backend)
        if self.backend == "CPU" and self.cpu_kernels:
            return translate("Offload", "Running on the CPU with its {kernels} kernels (this build has no GPU "
                             "support)").format(kernels=self.cpu_kernels)
        if self.backend == "CPU":
            return translate("Offload", "Running on the CPU (this build has no GPU support)")
        if self.gpu_layers == 0:
            return translate("Offload", "Running on the CPU: no layers on the GPU (this build supports "
                             "{backend})").format(backend=self.backend)
        return translate("Offload", "Using {backend} with {layers} of {total} layers on the GPU").format(
            backend=self.backend, layers=self.gpu_layers, total=self.total_layers)


@dataclass(frozen=True)
class GenerationRequest:
    prompt: str
    params: SamplingParams
    stop: tuple[str, ...] = field(default_factory=tuple)
    # For chats: renders the prompt with the oldest k exchanges (after the system prompt) left out, so a
    # conversation longer than the context still gets a reply instead of an error. A ChatShortener (whose
    # shorten(0) is the whole chat; `prompt` may then be a shorter render) is fitted turn by turn.
    shorten: Callable[[int], str | None] | None = None
    # Token probabilities: record this many likeliest alternatives per generated token (0: off).
    alternatives: int = 0
    # Tokens appended after the prompt's tokens, as if already generated: continuing a reply from a
    # chosen alternative token. Their text is not streamed again.
    forced: tuple[int, ...] = ()
    # Evaluate the whole prompt from an empty cache (the worker calls reset_cache first). The output is the same
    # either way; Compare uses it so every column's time to first token measures the whole prompt.
    fresh: bool = False


@dataclass(frozen=True)
class FittedPrompt:
    """What a request's prompt becomes once fitted to the context: the text sent (the chat without its oldest
    `dropped` exchanges) and, from the worker, its tokens."""

    text: str
    dropped: int = 0  # exchanges left out
    at_least: int = 0  # > 0: too long for the context even so, with at least this many tokens (not all counted)
    pieces: tuple[TokenPiece, ...] = ()
    count: int = -1  # tokens, when known


class InferenceBackend(ABC):
    """An engine: one loaded model at a time. All methods run on the inference thread. `capabilities` says which
    of the optional methods below work; the others raise InferenceError with a sentence for the person."""

    capabilities = EngineCapabilities()

    @abstractmethod
    def load(self, path: Path, options: LoadOptions) -> LoadedModel:
        """Validate (before freeing the current model), then load; raise GGUFError or InferenceError
        and keep nothing half-loaded."""

    @abstractmethod
    def unload(self) -> None: ...

    @abstractmethod
    def is_loaded(self) -> bool:
        """False after a failed load that had to free the previous model first."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens the prompt text becomes, special tokens included."""

    @abstractmethod
    def generate(
        self,
        request: GenerationRequest,
        on_text: Callable[[str], None],
        should_stop: Callable[[], bool],
        on_step: Callable[[TokenStep], None] | None = None,
    ) -> GenerationStats:
        """Stream the reply through on_text; check should_stop after every token. With
        request.alternatives > 0, report each generated token's probabilities through on_step."""

    def fitted_prompt(self, request: GenerationRequest, should_stop: Callable[[], bool]) -> FittedPrompt:
        """The prompt generate() would evaluate for this request, as text; should_stop ends the fit early
        (InferenceError)."""
        return FittedPrompt(request.prompt)

    def token_pieces(self, text: str) -> list[TokenPiece]:
        """The prompt's tokens, with their text, exactly as generate() would evaluate them."""
        raise InferenceError(translate("InferenceError", "This model runtime cannot show token boundaries."))

    def next_token_distribution(
        self, prompt: str, token_ids: Sequence[int] = (), context: str = "", chosen: int = -1
    ) -> NextTokenDistribution:
        """The model's logits for the token after prompt + token_ids (the whole vocabulary)."""
        raise InferenceError(translate("InferenceError", "This model runtime cannot show next-token distributions."))

    def continuation_logprobs(self, prompt: str, continuations: Sequence[str]) -> ContinuationScores:
        """The summed log-probability (natural log) of each continuation's tokens right after the prompt."""
        raise InferenceError(translate("InferenceError", "This model runtime cannot return log-probabilities, so it "
                                       "cannot score by “Most likely answer”. Choose a rule that reads the "
                                       "generated text."))

    def score_text(
        self, text: str, on_progress: Callable[[int, int], None], should_stop: Callable[[], bool]
    ) -> TextScore:
        """Per-token surprisal and perplexity of `text`, in windows when it is longer than the context;
        on_progress(tokens scored, tokens in all) after each batch."""
        raise InferenceError(translate("InferenceError", "This model runtime cannot score text."))

    @abstractmethod
    def reset_cache(self) -> None:
        """Forget every cached prompt token, so the next generate evaluates its whole prompt (a cold start)."""
