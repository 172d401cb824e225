"""Chat templates: turn a conversation into the exact prompt text a model expects.

Templates are Jinja sources, either the model's own (GGUF ``tokenizer.chat_template``,
which comes from an untrusted download) or one of a few built-ins for models without
one. Everything is rendered in Jinja's immutable sandbox, the same way Hugging Face
and llama-cpp-python do, so a hostile template cannot reach Python internals.
"""

from __future__ import annotations

import enum
import functools
import json
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn, Protocol, TypedDict

import jinja2
import jinja2.ext
from jinja2 import Undefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment

from desktop.core.errors import ParleyError
from desktop.core.i18n import translate


class ChatTurn(TypedDict):
    role: str  # "system" | "user" | "assistant"
    content: str


class TurnLike(Protocol):
    """Any message object with ``role`` and ``content`` (read-only, so Literal/enum roles fit)."""

    @property
    def role(self) -> Any: ...

    @property
    def content(self) -> Any: ...


class TemplateError(ParleyError):
    """A chat template that cannot be used; str() is a complete user-facing message
    (which template, what went wrong, what to do)."""


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    # True when the template rejected the system role and the system prompt was
    # merged into the first user turn.
    system_merged: bool


# --- Jinja environment -------------------------------------------------------------


class _RaisedByTemplate(jinja2.TemplateError):
    """Raised by the template's own ``raise_exception()``; kept distinct so we know the
    template refused the conversation (and may accept it with the system prompt merged)."""


def _raise_exception(message: str) -> NoReturn:
    raise _RaisedByTemplate(message)


def _strftime_now(fmt: str) -> str:
    return datetime.now().strftime(fmt)


def _tojson(
    value: Any,
    ensure_ascii: bool = False,
    indent: int | None = None,
    separators: tuple[str, str] | None = None,
    sort_keys: bool = False,
) -> str:
    # HF's version: Jinja's built-in tojson HTML-escapes <>&' and sorts keys, which
    # would change the prompt text the model was trained on.
    return json.dumps(
        value,
        ensure_ascii=ensure_ascii,
        indent=indent,
        separators=separators,
        sort_keys=sort_keys,
    )


class _GenerationTag(jinja2.ext.Extension):
    """HF templates may wrap assistant text in ``{% generation %}`` (for training masks);
    for inference the block simply renders its body."""

    tags = {"generation"}  # noqa: RUF012 - jinja declares it as a plain attribute

    def parse(self, parser: Parser) -> list[nodes.Node]:
        next(parser.stream)
        return parser.parse_statements(("name:endgeneration",), drop_needle=True)


class _Sandbox(ImmutableSandboxedEnvironment):
    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        # Jinja returns an Undefined that fails only when used further, so
        # ``{{ f.__globals__ }}`` would silently print ""; refuse it outright instead.
        kind = type(obj).__name__
        raise SecurityError(f"access to attribute {attribute!r} of {kind!r} is unsafe")


def _make_environment() -> ImmutableSandboxedEnvironment:
    env = _Sandbox(
        trim_blocks=True,
        lstrip_blocks=True,
        loader=jinja2.BaseLoader(),
        extensions=[jinja2.ext.loopcontrols, _GenerationTag],
    )
    env.globals["raise_exception"] = _raise_exception
    env.globals["strftime_now"] = _strftime_now
    env.filters["tojson"] = _tojson
    return env


_ENV = _make_environment()


@functools.lru_cache(maxsize=32)
def _compile(source: str) -> jinja2.Template:
    # Keyed by source so every ChatTemplate with the same text shares one compile.
    return _ENV.from_string(source)


# --- Templates ---------------------------------------------------------------------


def _advice() -> str:
    return translate("TemplateError", "Choose one of the built-in chat templates for this model instead.")


@dataclass(frozen=True)
class ChatTemplate:
    source: str
    label: str  # e.g. "Model's own template" or "Gemma (built-in)"
    bos_token: str = ""
    eos_token: str = ""
    stop: tuple[str, ...] = ()

    def render(
        self,
        turns: Sequence[ChatTurn | Mapping[str, Any] | TurnLike],
        *,
        add_generation_prompt: bool = True,
    ) -> RenderedPrompt:
        """Render ``turns`` to prompt text; raises TemplateError (user-facing message)."""
        try:
            template = _compile(self.source)
        except jinja2.TemplateSyntaxError as exc:
            raise self._error(translate(
                "TemplateError", "The chat template \u201c{label}\u201d has a syntax error on line {line}: {error}. "
                "{advice}"), line=exc.lineno, error=exc.message) from exc
        except Exception as exc:  # any compile failure is the template's fault
            raise self._error(translate(
                "TemplateError", "The chat template \u201c{label}\u201d could not be read ({error}). {advice}"),
                error=exc) from exc
        msgs = [
            m
            for m in map(_normalise, turns)
            if m["role"] != "system" or m["content"].strip()
        ]
        try:
            return RenderedPrompt(
                self._render(template, msgs, add_generation_prompt), False
            )
        except _RaisedByTemplate as exc:
            if not any(m["role"] == "system" for m in msgs):
                raise self._error(_rejected(), error=exc) from exc
        # The template refused a conversation with a system turn (e.g. "System role not
        # supported"): retry the way such models are normally prompted.
        try:
            text = self._render(template, _merge_system(msgs), add_generation_prompt)
        except _RaisedByTemplate as exc:
            raise self._error(_rejected(), error=exc) from exc
        return RenderedPrompt(text, True)

    def _render(
        self, template: jinja2.Template, msgs: list[ChatTurn], gen: bool
    ) -> str:
        try:
            return template.render(
                # Fresh copies: the template never sees (or keeps) the caller's objects.
                messages=[dict(m) for m in msgs],
                bos_token=self.bos_token,
                eos_token=self.eos_token,
                add_generation_prompt=gen,
            )
        except _RaisedByTemplate:
            raise
        except SecurityError as exc:
            raise self._error(translate(
                "TemplateError", "The chat template \u201c{label}\u201d tried to do something that is not allowed "
                "({error}). It was blocked and not run; the template may be broken or malicious. {advice}"),
                error=exc) from exc
        except Exception as exc:  # untrusted code: every failure becomes a message
            raise self._error(translate(
                "TemplateError", "The chat template \u201c{label}\u201d failed while building the prompt ({error}). "
                "{advice}"), error=f"{type(exc).__name__}: {exc}") from exc

    def _error(self, message: str, **values: object) -> TemplateError:
        """`message` (translated, with {label} and {advice}) filled in."""
        return TemplateError(message.format(label=self.label, advice=_advice(), **values))


def _rejected() -> str:
    return translate("TemplateError", "The chat template \u201c{label}\u201d rejected this conversation: {error}. "
                     "{advice}")


def _normalise(turn: ChatTurn | Mapping[str, Any] | TurnLike) -> ChatTurn:
    if isinstance(turn, Mapping):
        role, content = turn.get("role", ""), turn.get("content", "")
    else:
        role, content = turn.role, turn.content
    if isinstance(role, enum.Enum):
        role = role.value
    return ChatTurn(role=str(role), content="" if content is None else str(content))


def _merge_system(messages: list[ChatTurn]) -> list[ChatTurn]:
    """Fold the system text into the first user turn as ``system + "\\n\\n" + user``."""
    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    rest = [ChatTurn(**m) for m in messages if m["role"] != "system"]
    for m in rest:
        if m["role"] == "user":
            m["content"] = f"{system}\n\n{m['content']}"
            break
    else:
        rest.insert(0, ChatTurn(role="user", content=system))
    return rest


# --- Built-ins ---------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltinTemplate:
    key: str  # "gemma", "llama3", "chatml", "mistral"
    label: str  # "Gemma", "Llama 3", "ChatML", "Mistral"
    source: str  # the Jinja source
    stop: tuple[str, ...]  # end-of-turn strings to stop generation at
    # The family's usual BOS/EOS text, used when the model provides none.
    bos_token: str = ""
    eos_token: str = ""

    def to_chat_template(
        self, bos_token: str | None = None, eos_token: str | None = None
    ) -> ChatTemplate:
        """A ChatTemplate for this built-in, preferring the model's own BOS/EOS strings."""
        return ChatTemplate(
            source=self.source,
            label=translate("TemplateChoice", "{template} (built-in)").format(template=self.label),
            bos_token=self.bos_token if bos_token is None else bos_token,
            eos_token=self.eos_token if eos_token is None else eos_token,
            stop=self.stop,
        )


# Gemma 3's official template (text only): no system role, so the system prompt
# prefixes the first user turn; "assistant" is called "model"; contents trimmed.
# Unlike the official one it does not raise on non-alternating roles.
_GEMMA = r"""{{ bos_token }}
{%- if messages and messages[0]['role'] == 'system' -%}
    {%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}
    {%- set loop_messages = messages[1:] -%}
{%- else -%}
    {%- set first_user_prefix = '' -%}
    {%- set loop_messages = messages -%}
{%- endif -%}
{%- for message in loop_messages -%}
    {%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}
    {{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else '') }}
    {{- message['content'] | trim }}
    {{- '<end_of_turn>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{ '<start_of_turn>model\n' }}
{%- endif -%}
"""

# Meta Llama 3 Instruct's official template (3.1's adds a dated system preamble;
# 3.0's output is the portable subset).
_LLAMA3 = r"""{%- for message in messages -%}
    {%- set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' + message['content'] | trim + '<|eot_id|>' -%}
    {%- if loop.index0 == 0 -%}
        {%- set content = bos_token + content -%}
    {%- endif -%}
    {{ content }}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}
{%- endif -%}
"""

# Plain ChatML as used by Qwen2.5 (without Qwen's default system prompt).
_CHATML = r"""{%- for message in messages -%}
    {{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{ '<|im_start|>assistant\n' }}
{%- endif -%}
"""

# Mistral Instruct v0.3 style. The official template puts the system prompt on the
# *last* user turn, which changes earlier text every turn and defeats llama.cpp's
# KV-cache reuse; putting it on the first user turn gives identical single-turn output.
_MISTRAL = r"""{%- if messages and messages[0]['role'] == 'system' -%}
    {%- set system_message = messages[0]['content'] -%}
    {%- set loop_messages = messages[1:] -%}
{%- else -%}
    {%- set system_message = '' -%}
    {%- set loop_messages = messages -%}
{%- endif -%}
{%- set ns = namespace(system_pending=system_message != '') -%}
{{ bos_token }}
{%- for message in loop_messages -%}
    {%- if message['role'] == 'user' and ns.system_pending -%}
        {{ '[INST] ' + system_message + '\n\n' + message['content'] + '[/INST]' }}
        {%- set ns.system_pending = false -%}
    {%- elif message['role'] == 'user' -%}
        {{ '[INST] ' + message['content'] + '[/INST]' }}
    {%- elif message['role'] == 'assistant' -%}
        {{ ' ' + message['content'] | trim + eos_token }}
    {%- else -%}
        {{ raise_exception('Only user and assistant roles are supported, with the exception of an initial optional system message!') }}
    {%- endif -%}
{%- endfor -%}
{%- if ns.system_pending -%}
    {{ '[INST] ' + system_message + '[/INST]' }}
{%- endif -%}
"""

BUILTIN_TEMPLATES: Mapping[str, BuiltinTemplate] = types.MappingProxyType(
    {
        b.key: b
        for b in (
            BuiltinTemplate(
                "gemma", "Gemma", _GEMMA, ("<end_of_turn>",), "<bos>", "<eos>"
            ),
            BuiltinTemplate(
                "llama3",
                "Llama 3",
                _LLAMA3,
                ("<|eot_id|>",),
                "<|begin_of_text|>",
                "<|eot_id|>",
            ),
            BuiltinTemplate(
                "chatml", "ChatML", _CHATML, ("<|im_end|>",), "", "<|im_end|>"
            ),
            BuiltinTemplate("mistral", "Mistral", _MISTRAL, ("</s>",), "<s>", "</s>"),
        )
    }
)


def builtin_for_architecture(
    architecture: str, tokenizer_pre: str | None = None
) -> BuiltinTemplate:
    """Fallback for models without tokenizer.chat_template: gemma/gemma2/gemma3/gemma3n -> gemma;
    llama with tokenizer_pre 'llama-bpe' (Llama 3) or llama4 -> llama3; llama with other/absent
    pre (Llama 2 / Mistral sentencepiece) -> mistral; qwen*/ others -> chatml."""
    arch = architecture.strip().lower()
    pre = (tokenizer_pre or "").strip().lower()
    if arch.startswith("gemma"):
        key = "gemma"
    elif arch == "llama4" or (arch == "llama" and pre == "llama-bpe"):
        key = "llama3"
    elif arch == "llama" or arch.startswith("mistral"):
        key = "mistral"
    else:
        key = "chatml"
    return BUILTIN_TEMPLATES[key]


_KNOWN_STOPS = [
    "<end_of_turn>",
    "<|eot_id|>",
    "<|im_end|>",
    "</s>",
    "<|end|>",
    "<|endoftext|>",
]


def stop_strings_for(source: str) -> tuple[str, ...]:
    """Guess end-of-turn stop strings from a template's source (looks for <end_of_turn>,
    <|eot_id|>, <|im_end|>, </s>, <|end|>, <|endoftext|>)."""
    # Only literal markers are found; templates that write ``eos_token`` rely on the
    # model's EOS token, which llama.cpp stops at anyway.
    return tuple(s for s in _KNOWN_STOPS if s in source)
