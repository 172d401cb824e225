"""Talking to a server: the OpenAI-compatible API through the `openai` client, engine extensions through `httpx`,
and every failure turned into a sentence that names the engine and says what to do."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx2 as httpx  # the openai client's own HTTP library (httpx's successor)
import openai

from desktop.core.engines.capability_lines import capability_lines
from desktop.core.engines.config import EngineConfig, offline_message, remote_label, remote_path
from desktop.core.i18n import translate
from desktop.core.models.gguf_file import ModelInfo
from desktop.core.models.library import ModelEntry
from desktop.inference.backend import EngineCapabilities, InferenceError
from desktop.inference.remote.replies import completion_steps

CONNECT_TIMEOUT = 5.0  # seconds to open a connection: a server that is up answers at once
PROBE_TIMEOUT = 30.0  # seconds for each probe request (a trial completion of one token)
RETRIES = 2  # a request that could not connect is tried again (a restarted server), with back-off; one that
# timed out is not: the server may still be working on it, and the person would wait the timeout three times
LLAMA_SERVER = "llama-server"
VLLM = "vLLM"
OPENAI_COMPATIBLE = "OpenAI-compatible"
ALL_SAMPLING = frozenset({"temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "seed"})
OPENAI_SAMPLING = frozenset({"temperature", "top_p", "max_tokens", "seed"})
# What llama-server reports as the template of a model whose GGUF has none (llama.cpp's common/chat.cpp): not the
# model's own, so Parley picks a built-in by architecture, as it does for the same file on this computer.
LLAMA_CPP_FALLBACK_TEMPLATE = (
    "{%- for message in messages -%}\n"
    "  {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' -}}\n"
    "{%- endfor -%}\n"
    "{%- if add_generation_prompt -%}\n"
    "  {{- '<|im_start|>assistant\n' -}}\n"
    "{%- endif -%}"
)
ARCHITECTURE_HINTS = ("gemma", "llama", "mistral", "qwen", "phi", "smollm")  # in a model's name, for the fallback


@dataclass(frozen=True)
class EngineAccess:
    """What a request to an engine needs: where it is, its key (never logged), how long to wait, and whether
    offline mode forbids it."""

    config: EngineConfig
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 120.0
    offline: bool = False


@dataclass(frozen=True)
class RemoteModel:
    id: str
    context_length: int | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class EngineProbe:
    """What a server said about itself: its kind and version, its models, and what Parley can do with them."""

    engine: EngineConfig
    kind: str
    version: str
    models: tuple[RemoteModel, ...]
    capabilities: EngineCapabilities
    props: Mapping[str, Any] = field(default_factory=dict, repr=False)  # llama-server's /props
    completions: bool = True  # /v1/completions (Parley renders the prompt itself)
    chat: bool = True  # /v1/chat/completions
    router: bool = False  # llama-server in router mode: per-model /props, requests name their model

    def capability_lines(self) -> list[tuple[str, bool]]:
        c = self.capabilities
        return capability_lines(
            chat=self.chat or self.completions, completions=self.completions,
            token_probabilities=c.token_probabilities, post_sampling_probs=c.post_sampling_probs,
            scores_text=c.scores_text, tokenizes_and_templates=c.tokenizes and c.applies_template,
            grammar=c.grammar, reproducible=c.reproducible)

    def model_info(self, model: RemoteModel, props: Mapping[str, Any] | None = None) -> ModelInfo:
        """The model as the Models page and the chat show it, from what the server reports (`props`: that
        model's own /props, for a router)."""
        props = self.props if props is None else props
        meta = dict(model.meta)
        template = props.get("chat_template") if isinstance(props.get("chat_template"), str) else None
        if template == LLAMA_CPP_FALLBACK_TEMPLATE:
            template = None
        model_path = props.get("model_path") if isinstance(props.get("model_path"), str) else ""
        return ModelInfo(
            path=remote_path(self.engine.name, model.id), file_size=int(meta.get("size", 0) or 0),
            architecture=str(meta.get("arch", "") or "") or _architecture_hint(f"{model.id} {model_path}"),
            name=remote_label(remote_path(self.engine.name, model.id)),
            size_label=_params_label(meta.get("n_params")), quantization=None,
            context_length=model.context_length, block_count=None, chat_template=template or None,
            bos_token=_str_or_none(props.get("bos_token")), eos_token=_str_or_none(props.get("eos_token")),
            add_bos_token=None, tokenizer_pre=None, license=None, tensor_count=0,
            metadata={"engine": self.engine.name, "engine.kind": self.kind, "engine.version": self.version,
                      "engine.url": self.engine.public_root,
                      **({"server.model_path": props["model_path"]} if isinstance(props.get("model_path"), str)
                         else {}),
                      **{f"server.{k}": v for k, v in meta.items() if isinstance(v, (str, int, float, bool))}},
        )

    def entries(self) -> list[ModelEntry]:
        return [ModelEntry(remote_path(self.engine.name, m.id), (), 0, self.model_info(m), None, False)
                for m in self.models]


def _architecture_hint(names: str) -> str:
    """A model family named in the model's id or file name ("gemma-3-270m" -> "gemma"), or ""; only used to pick
    a built-in template for a model without one, since servers do not report the architecture."""
    lowered = names.lower()
    return next((hint for hint in ARCHITECTURE_HINTS if hint in lowered), "")


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _params_label(value: object) -> str | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        return None
    return f"{value / 1e9:.1f}B" if value >= 1e9 else f"{value / 1e6:.0f}M"


class EngineClient:
    """One engine's connections. Not thread-safe: each thread (the worker, a probe) makes its own."""

    def __init__(self, access: EngineAccess) -> None:
        self.access = access
        self.engine = access.config
        if access.offline and not self.engine.loopback:
            raise InferenceError(offline_message(self.engine.name))
        headers = {"Authorization": f"Bearer {access.api_key}"} if access.api_key else {}
        timeout = httpx.Timeout(access.timeout, connect=CONNECT_TIMEOUT)
        self.http = httpx.Client(base_url=self.engine.root, headers=headers, timeout=timeout, trust_env=False)
        self.openai = openai.OpenAI(
            base_url=self.engine.api_base, api_key=access.api_key or "none", timeout=timeout, max_retries=0,
            http_client=httpx.Client(timeout=timeout, trust_env=False),
        )

    def close(self) -> None:
        self.openai.close()
        self.http.close()

    # --- errors -------------------------------------------------------------------------------

    def error(self, exc: Exception, doing: str = "") -> InferenceError:
        """A sentence for the person about what went wrong talking to this engine."""
        name, url = self.engine.name, self.engine.public_root
        what = translate("EngineClient", " while {doing}").format(doing=doing) if doing else ""
        if _refused(exc):
            return InferenceError(translate(
                "EngineClient", "{name} refused the API key{what} (HTTP 401/403): the key is wrong or missing. Enter "
                "the right key for it in Settings › Engines.").format(name=name, what=what))
        if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException)):
            return InferenceError(translate(
                "EngineClient", "{name} did not answer within {seconds:g} seconds{what}. It may be busy or the model "
                "may be very large; try again, or allow it longer in Settings › Engines.").format(
                name=name, seconds=self.access.timeout, what=what))
        if isinstance(exc, (openai.APIConnectionError, httpx.TransportError)):
            return InferenceError(translate(
                "EngineClient", "Parley cannot reach {name} at {url}{what}: the server is not running or not "
                "reachable from this computer. Start it (see docs/engines.md) and try again.").format(
                name=name, url=url, what=what))
        if isinstance(exc, openai.NotFoundError) or (
                isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code == 404):
            return InferenceError(translate(
                "EngineClient", "{name} has no such endpoint or model{what} (HTTP 404). Check the URL in Settings › "
                "Engines and the model the server serves.").format(name=name, what=what))
        status, message = -1, ""
        if isinstance(exc, openai.APIStatusError):
            status, message = exc.status_code, _server_message(exc.body) or exc.message
        elif isinstance(exc, httpx.HTTPStatusError):
            status = exc.response.status_code
            message = _server_message(_json_or_none(exc.response)) or exc.response.reason_phrase
        if status >= 0:
            return InferenceError(translate("EngineClient", "{name} answered with an error{what} (HTTP {status}): "
                                            "{message}").format(name=name, what=what, status=status, message=message))
        if isinstance(exc, (ValueError, KeyError, TypeError, IndexError, openai.APIResponseValidationError)):
            return InferenceError(translate(
                "EngineClient", "{name} sent an answer Parley cannot read{what} ({kind}: {error}). Is {url} an "
                "OpenAI-compatible server (llama-server, vLLM)?").format(
                name=name, what=what, kind=type(exc).__name__, error=str(exc)[:200], url=url))
        return InferenceError(translate("EngineClient", "Talking to {name} failed{what}: {error}").format(
            name=name, what=what, error=exc))

    @contextmanager
    def talking(self, doing: str = "") -> Iterator[None]:
        """Turns any failure of the requests inside into an InferenceError about this engine."""
        try:
            yield
        except InferenceError:
            raise
        except (openai.OpenAIError, httpx.HTTPError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise self.error(exc, doing) from exc

    def complete(self, **arguments: Any) -> Any:
        """/v1/completions (streaming or not), tried again when the connection failed, never after a time-out."""
        for attempt in range(RETRIES + 1):
            try:
                return self.openai.completions.create(**arguments)
            except openai.APITimeoutError:
                raise
            except openai.APIConnectionError:
                if attempt == RETRIES:
                    raise
                time.sleep(0.25 * 2 ** attempt)
        raise AssertionError("unreachable")

    # --- engine-specific endpoints --------------------------------------------------------------

    def get_json(self, path: str) -> Any:
        response = self.http.get(path)
        response.raise_for_status()
        return response.json()

    def post_json(self, path: str, body: Mapping[str, Any]) -> Any:
        response = self.http.post(path, json=dict(body))
        response.raise_for_status()
        return response.json()

    def optional_json(self, path: str) -> Any:
        """GET path's JSON, or None when the server has no such endpoint (or answers it with something else)."""
        try:
            response = self.http.get(path, timeout=PROBE_TIMEOUT)
        except httpx.TimeoutException:
            return None
        if response.status_code in (401, 403):
            response.raise_for_status()
        if response.status_code != 200:
            return None
        try:
            return response.json()
        except ValueError:
            return None

    # --- the probe ------------------------------------------------------------------------------

    def list_models(self) -> tuple[RemoteModel, ...]:
        with self.talking(translate("EngineClient", "listing its models")):
            page = self.openai.models.list()
            found = []
            for model in page.data:
                extra = model.model_extra or {}
                meta: dict[str, Any] = extra["meta"] if isinstance(extra.get("meta"), dict) else {}
                context = extra.get("max_model_len") or meta.get("n_ctx_train")  # vLLM, llama-server
                found.append(RemoteModel(str(model.id), int(context) if isinstance(context, int) else None, meta))
        if not found:
            raise InferenceError(translate("EngineClient", "{name} serves no models yet: start it with a model "
                                           "(llama-server -m FILE, vllm serve MODEL) and probe it again.").format(
                name=self.engine.name))
        return tuple(found)

    def probe(self) -> EngineProbe:
        """Ask the server what it is and what it can do: GET /v1/models, /health, /props (llama-server), /version
        (vLLM), and one-token trial requests for log-probabilities and prompt log-probabilities."""
        models = self.list_models()
        with self.talking(translate("EngineClient", "asking what it is")):
            props = self.optional_json("/props")
            version_doc = self.optional_json("/version")
            self.optional_json("/health")
        if isinstance(props, dict) and ("build_info" in props or "default_generation_settings" in props):
            return self._llama_server_probe(models, props)
        if isinstance(version_doc, dict) and isinstance(version_doc.get("version"), str):
            return self._generic_probe(models, VLLM, version_doc["version"])
        return self._generic_probe(models, OPENAI_COMPATIBLE, "")

    def model_props(self, model: str) -> dict[str, Any]:
        """A router's /props for one of its models (it loads the model if needed); {} when it has none."""
        found = self.optional_json(f"/props?model={quote(model, safe='')}")
        return found if isinstance(found, dict) else {}

    def _llama_server_probe(self, models: tuple[RemoteModel, ...], props: dict[str, Any]) -> EngineProbe:
        router = props.get("role") == "router"
        if router:  # the router's own /props says nothing of its models: ask for the first one's
            props = {**props, **self.model_props(models[0].id)}
        settings = props.get("default_generation_settings")
        n_ctx = settings.get("n_ctx") if isinstance(settings, dict) else None
        if isinstance(n_ctx, int) and n_ctx > 0:  # the context the server runs with, not the trained one
            models = tuple(RemoteModel(m.id, n_ctx, m.meta) for m in models)
        slots = props.get("total_slots")
        tokenizes = self._tokenize_works(models[0].id)
        logprobs = self._logprobs_work(models[0].id)
        one_slot = slots == 1
        capabilities = EngineCapabilities(
            name=f"{self.engine.name} (llama-server)", tokenizes=tokenizes, token_probabilities=logprobs,
            fits_context=tokenizes, post_sampling_probs=logprobs, applies_template=True, grammar=True,
            scores_text=False, scores_continuations=False,
            reproducible=one_slot,
            reproducible_note="" if one_slot else translate(
                "EngineClient", "{name} runs {slots} slots in parallel: requests batched together can change the "
                "numbers, so identical input may give different output. Start it with --parallel 1 for "
                "reproducible runs.").format(name=self.engine.name, slots=slots),
            sampling=ALL_SAMPLING, version=str(props.get("build_info", "")),
        )
        return EngineProbe(self.engine, LLAMA_SERVER, capabilities.version, models, capabilities, props,
                           router=router)

    def _generic_probe(self, models: tuple[RemoteModel, ...], kind: str, version: str) -> EngineProbe:
        logprobs = self._logprobs_work(models[0].id)
        echo = self._echo_works(models[0].id)
        vllm = kind == VLLM
        capabilities = EngineCapabilities(
            name=f"{self.engine.name} ({kind})", token_probabilities=logprobs, scores_text=echo,
            scores_continuations=echo, grammar=vllm,
            reproducible=False,
            reproducible_note=translate("EngineClient", "{name} ({kind}) batches requests together and does not "
                                        "promise identical output for identical input, even with a fixed seed.")
            .format(name=self.engine.name, kind=kind),
            sampling=ALL_SAMPLING if vllm else OPENAI_SAMPLING, version=version,
        )
        return EngineProbe(self.engine, kind, version, models, capabilities)

    def _tokenize_works(self, model: str) -> bool:
        try:  # "model" routes the request on a router; a single-model server ignores it
            data = self.post_json("/tokenize", {"model": model, "content": "Hello", "with_pieces": True})
        except (httpx.HTTPError, ValueError):
            return False
        tokens = data.get("tokens") if isinstance(data, dict) else None
        return isinstance(tokens, list) and bool(tokens) and isinstance(tokens[0], dict)

    def _logprobs_work(self, model: str) -> bool:
        try:
            with self.talking(translate("EngineClient", "trying token probabilities")):
                reply = self.complete(model=model, prompt="Hello", max_tokens=1, temperature=0,
                                                       logprobs=2, timeout=PROBE_TIMEOUT)
        except InferenceError as exc:
            if _refused(exc.__cause__) or _unreachable(exc.__cause__):  # the probe cannot go on
                raise
            return False
        choices = getattr(reply, "choices", None)  # a server may answer with something that is no completion
        return isinstance(choices, list) and bool(choices) and bool(completion_steps(choices[0]))

    def _echo_works(self, model: str) -> bool:
        """Whether /v1/completions returns the prompt's own log-probabilities (echo with max_tokens 0)."""
        try:
            with self.talking(translate("EngineClient", "trying prompt log-probabilities")):
                reply = self.complete(model=model, prompt="Hello world", max_tokens=1,
                                                       temperature=0, logprobs=1, echo=True, timeout=PROBE_TIMEOUT)
        except InferenceError:
            return False
        choices = getattr(reply, "choices", None)
        if not isinstance(choices, list) or not choices or getattr(choices[0], "logprobs", None) is None:
            return False
        values = getattr(choices[0].logprobs, "token_logprobs", None) or []
        return len(values) >= 2


def _refused(exc: BaseException | None) -> bool:
    """The server refused the API key (HTTP 401/403)."""
    return isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)) or (
        isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code in (401, 403))


def _unreachable(exc: BaseException | None) -> bool:
    """No connection to the server at all (a time-out is not that: the server is there but slow)."""
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException)):
        return False
    return isinstance(exc, (openai.APIConnectionError, httpx.TransportError))


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _server_message(body: object) -> str:
    """The human part of an error body ({"error": {"message": ...}} or {"message": ...})."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return str(inner["message"])[:300]
        if isinstance(inner, str):
            return inner[:300]
    return ""
