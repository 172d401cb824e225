"""Unit tests for desktop.core.prompting.chat_template (pure Python, no Qt)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import pytest

from desktop.core.prompting.chat_template import (
    BUILTIN_TEMPLATES,
    BuiltinTemplate,
    ChatTemplate,
    ChatTurn,
    RenderedPrompt,
    TemplateError,
    builtin_for_architecture,
    stop_strings_for,
)

SYS = "You are terse."
U1 = "Hi there"
A1 = "Hello! How can I help?"
U2 = "Tell me a joke."
A2 = "Why did the chicken cross the road?"
U3 = "Why?"


def _conv(*, system: bool = True) -> list[ChatTurn]:
    turns: list[ChatTurn] = [{"role": "system", "content": SYS}] if system else []
    for role, content in (
        ("user", U1),
        ("assistant", A1),
        ("user", U2),
        ("assistant", A2),
        ("user", U3),
    ):
        turns.append({"role": role, "content": content})
    return turns


def _builtin(key: str) -> ChatTemplate:
    return BUILTIN_TEMPLATES[key].to_chat_template()


def _render(key: str, turns: list[ChatTurn]) -> str:
    result = _builtin(key).render(turns)
    assert not result.system_merged
    return result.text


# --- Built-in reference strings ----------------------------------------------------

EXPECTED = {
    "gemma": {
        "system_user": (
            f"<bos><start_of_turn>user\n{SYS}\n\n{U1}<end_of_turn>\n"
            "<start_of_turn>model\n"
        ),
        "multi": (
            f"<bos><start_of_turn>user\n{SYS}\n\n{U1}<end_of_turn>\n"
            f"<start_of_turn>model\n{A1}<end_of_turn>\n"
            f"<start_of_turn>user\n{U2}<end_of_turn>\n"
            "<start_of_turn>model\n"
        ),
        "no_system": f"<bos><start_of_turn>user\n{U1}<end_of_turn>\n<start_of_turn>model\n",
    },
    "llama3": {
        "system_user": (
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
            f"{SYS}<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
            f"{U1}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
        ),
        "multi": (
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
            f"{SYS}<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
            f"{U1}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
            f"{A1}<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
            f"{U2}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
        ),
        "no_system": (
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n"
            f"{U1}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
        ),
    },
    "chatml": {
        "system_user": (
            f"<|im_start|>system\n{SYS}<|im_end|>\n"
            f"<|im_start|>user\n{U1}<|im_end|>\n<|im_start|>assistant\n"
        ),
        "multi": (
            f"<|im_start|>system\n{SYS}<|im_end|>\n"
            f"<|im_start|>user\n{U1}<|im_end|>\n"
            f"<|im_start|>assistant\n{A1}<|im_end|>\n"
            f"<|im_start|>user\n{U2}<|im_end|>\n<|im_start|>assistant\n"
        ),
        "no_system": f"<|im_start|>user\n{U1}<|im_end|>\n<|im_start|>assistant\n",
    },
    "mistral": {
        "system_user": f"<s>[INST] {SYS}\n\n{U1}[/INST]",
        "multi": f"<s>[INST] {SYS}\n\n{U1}[/INST] {A1}</s>[INST] {U2}[/INST]",
        "no_system": f"<s>[INST] {U1}[/INST]",
    },
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_builtin_system_and_user(key: str) -> None:
    assert _render(key, _conv()[:2]) == EXPECTED[key]["system_user"]


@pytest.mark.parametrize("key", list(EXPECTED))
def test_builtin_multi_turn(key: str) -> None:
    assert _render(key, _conv()[:4]) == EXPECTED[key]["multi"]


@pytest.mark.parametrize("key", list(EXPECTED))
def test_builtin_without_system(key: str) -> None:
    assert _render(key, _conv(system=False)[:1]) == EXPECTED[key]["no_system"]


@pytest.mark.parametrize("key", list(EXPECTED))
@pytest.mark.parametrize("blank", ["", "   \n\t"])
def test_blank_system_prompt_is_dropped(key: str, blank: str) -> None:
    turns: list[ChatTurn] = [
        {"role": "system", "content": blank},
        {"role": "user", "content": U1},
    ]
    assert _render(key, turns) == EXPECTED[key]["no_system"]


def test_builtin_contents_trimmed_like_official() -> None:
    turns: list[ChatTurn] = [{"role": "user", "content": f"  {U1}\n"}]
    assert _render("gemma", turns) == EXPECTED["gemma"]["no_system"]
    assert _render("llama3", turns) == EXPECTED["llama3"]["no_system"]


def test_builtin_uses_models_own_bos_token() -> None:
    template = BUILTIN_TEMPLATES["gemma"].to_chat_template(bos_token="<BOS!>")
    assert template.render(_conv(system=False)[:1]).text.startswith("<BOS!><start_of")
    assert template.label == "Gemma (built-in)"
    assert template.stop == ("<end_of_turn>",)


def test_builtin_registry_order_and_fields() -> None:
    assert list(BUILTIN_TEMPLATES) == ["gemma", "llama3", "chatml", "mistral"]
    labels = [b.label for b in BUILTIN_TEMPLATES.values()]
    assert labels == ["Gemma", "Llama 3", "ChatML", "Mistral"]
    stops = [b.stop for b in BUILTIN_TEMPLATES.values()]
    assert stops == [("<end_of_turn>",), ("<|eot_id|>",), ("<|im_end|>",), ("</s>",)]
    assert all(isinstance(b, BuiltinTemplate) for b in BUILTIN_TEMPLATES.values())


@pytest.mark.parametrize("key", list(EXPECTED))
def test_builtin_without_generation_prompt(key: str) -> None:
    turns = _conv()[:3]  # ends with the assistant reply
    text = _builtin(key).render(turns, add_generation_prompt=False).text
    assert text.rstrip().endswith(A1 + BUILTIN_TEMPLATES[key].stop[0])


# --- Prefix stability (KV-cache reuse) -----------------------------------------------


@pytest.mark.parametrize("key", list(EXPECTED))
@pytest.mark.parametrize("system", [True, False])
def test_prefix_stability(key: str, system: bool) -> None:
    template = _builtin(key)
    conv = _conv(system=system)
    user_indices = [i for i, t in enumerate(conv) if t["role"] == "user"]
    for i in user_indices[:-1]:
        prompt = template.render(conv[: i + 1]).text
        next_prompt = template.render(conv[: i + 3]).text  # + reply + next user turn
        assert next_prompt.startswith(prompt), (key, i)
        assert next_prompt != prompt


# --- Architecture fallback ---------------------------------------------------------


@pytest.mark.parametrize(
    ("arch", "pre", "key"),
    [
        ("gemma", None, "gemma"),
        ("gemma2", None, "gemma"),
        ("gemma3", "default", "gemma"),
        ("gemma3n", None, "gemma"),
        ("llama", "llama-bpe", "llama3"),
        ("llama4", None, "llama3"),
        ("llama", None, "mistral"),
        ("llama", "default", "mistral"),
        ("qwen2", "qwen2", "chatml"),
        ("qwen3", None, "chatml"),
        ("phi3", None, "chatml"),
        ("something-new", None, "chatml"),
    ],
)
def test_builtin_for_architecture(arch: str, pre: str | None, key: str) -> None:
    assert builtin_for_architecture(arch, pre).key == key


# --- Sandbox ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ messages.append(1) }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ raise_exception.__globals__ }}",
        "{{ strftime_now.__globals__['__builtins__'] }}",
        "{{ messages[0].update({'role': 'x'}) }}",
        "{{ '{0.__class__}'.format(bos_token) }}",
    ],
)
def test_sandbox_escape_is_blocked(source: str) -> None:
    template = ChatTemplate(source=source, label="Evil")
    with pytest.raises(TemplateError) as info:
        template.render([{"role": "user", "content": U1}])
    message = str(info.value)
    assert "\u201cEvil\u201d" in message
    assert "not allowed" in message
    assert "built-in" in message


def test_sandbox_does_not_mutate_callers_turns() -> None:
    turns: list[ChatTurn] = [{"role": "user", "content": U1}]
    with pytest.raises(TemplateError):
        ChatTemplate("{{ messages.append(1) }}", "Evil").render(turns)
    assert turns == [{"role": "user", "content": U1}]


# --- Errors ---------------------------------------------------------------------


def test_syntax_error_names_line() -> None:
    source = "{% for m in messages %}\n{{ m['content'] }}\n{% if %}\n{% endfor %}"
    with pytest.raises(TemplateError) as info:
        ChatTemplate(source=source, label="Model's own template").render([])
    message = str(info.value)
    assert "syntax error" in message
    assert "line 3" in message
    assert "Model's own template" in message


def test_runtime_error_becomes_template_error() -> None:
    template = ChatTemplate(source="{{ 1 + 'a' }}", label="Broken")
    with pytest.raises(TemplateError, match="Broken.*failed while building"):
        template.render([{"role": "user", "content": U1}])


def test_raise_exception_without_system_is_reported() -> None:
    template = ChatTemplate(source=MISTRAL_V01_LIKE, label="Strict")
    turns: list[ChatTurn] = [
        {"role": "user", "content": U1},
        {"role": "user", "content": U2},
    ]
    with pytest.raises(TemplateError, match="Strict.*roles must alternate"):
        template.render(turns)


def test_undefined_variables_are_lenient() -> None:
    source = "{{ nope }}{% if tools is defined %}T{% endif %}{{ messages[0].content }}"
    assert (
        ChatTemplate(source, "x").render([{"role": "user", "content": U1}]).text == U1
    )


# --- System role rejected -> merged ---------------------------------------------------

MISTRAL_V01_LIKE = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if message['role'] == 'system' %}"
    "{{ raise_exception('System role not supported') }}{% endif %}"
    "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
    "{% endif %}"
    "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}"
    "{% endif %}{% endfor %}"
)

# Gemma 2's official template: rejects the system role outright.
GEMMA2_OFFICIAL = (
    "{{ bos_token }}{% if messages[0]['role'] == 'system' %}"
    "{{ raise_exception('System role not supported') }}{% endif %}"
    "{% for message in messages %}"
    "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
    "{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}"
    "{% else %}{% set role = message['role'] %}{% endif %}"
    "{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}"
)


def test_system_role_rejected_is_merged_into_first_user_turn() -> None:
    template = ChatTemplate(MISTRAL_V01_LIKE, "Mistral v0.1", "<s>", "</s>")
    result = template.render(_conv()[:4])
    assert result == RenderedPrompt(
        f"<s>[INST] {SYS}\n\n{U1} [/INST]{A1}</s>[INST] {U2} [/INST]", True
    )


def test_no_system_means_not_merged() -> None:
    template = ChatTemplate(MISTRAL_V01_LIKE, "Mistral v0.1", "<s>", "</s>")
    result = template.render(_conv(system=False)[:1])
    assert result == RenderedPrompt(f"<s>[INST] {U1} [/INST]", False)


def test_system_only_becomes_a_user_turn() -> None:
    template = ChatTemplate(MISTRAL_V01_LIKE, "Mistral v0.1", "<s>", "</s>")
    result = template.render([{"role": "system", "content": SYS}])
    assert result == RenderedPrompt(f"<s>[INST] {SYS} [/INST]", True)


def test_gemma2_official_with_system_matches_gemma_builtin() -> None:
    template = ChatTemplate(GEMMA2_OFFICIAL, "Model's own template", "<bos>", "<eos>")
    for n in (2, 4, 6):
        result = template.render(_conv()[:n])
        assert result.system_merged
        assert result.text == _render("gemma", _conv()[:n])


def test_merge_still_failing_is_reported() -> None:
    template = ChatTemplate(MISTRAL_V01_LIKE, "Strict")
    turns: list[ChatTurn] = [
        {"role": "system", "content": SYS},
        {"role": "assistant", "content": A1},
        {"role": "assistant", "content": A2},
    ]
    with pytest.raises(TemplateError, match="roles must alternate"):
        template.render(turns)


# --- Real-world HF-style template ------------------------------------------------------

QWEN_STYLE = """{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] }}
    {%- endif %}
    {{- '\\n\\n# Tools\\n' }}
    {%- for tool in tools %}
        {{- tool | tojson }}
    {%- endfor %}
    {{- '<|im_end|>\\n' }}
{%- else %}
    {%- if messages[0]['role'] == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
    {%- else %}
        {{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "assistant") %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- endif %}
    {%- if loop.last and message.role == "user" %}
        {{- '<!-- last: ' + (message | tojson) + ' -->' }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
"""


def test_real_world_hf_style_template() -> None:
    template = ChatTemplate(QWEN_STYLE, "Model's own template")
    turns: list[ChatTurn] = [{"role": "user", "content": '<b>café</b> & "tea"'}]
    assert template.render(turns).text == (
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
        '<|im_start|>user\n<b>café</b> & "tea"<|im_end|>\n'
        '<!-- last: {"role": "user", "content": "<b>café</b> & \\"tea\\""} -->'
        "<|im_start|>assistant\n"
    )
    with_system = template.render(_conv()[:2]).text
    assert with_system.startswith(
        f"<|im_start|>system\n{SYS}<|im_end|>\n<|im_start|>user"
    )


def test_tojson_options() -> None:
    source = "{{ {'b': 1, 'a': 'é'} | tojson(indent=1, sort_keys=true) }}|{{ 'é' | tojson(ensure_ascii=true) }}"
    text = ChatTemplate(source, "x").render([]).text
    assert text == '{\n "a": "é",\n "b": 1\n}|"\\u00e9"'


def test_hf_extras_strftime_loopcontrols_generation() -> None:
    source = (
        "{{ strftime_now('%Y') }}|"
        "{% for m in messages %}{% if loop.index > 1 %}{% break %}{% endif %}{{ m.content }}{% endfor %}|"
        "{% generation %}{{ eos_token }}{% endgeneration %}"
    )
    before = datetime.now().year
    text = ChatTemplate(source, "x", eos_token="</s>").render(_conv()).text
    year, first, gen = text.split("|")
    assert int(year) in (before, datetime.now().year)
    assert (first, gen) == (SYS, "</s>")


# --- Input shapes ------------------------------------------------------------------


class Role(enum.Enum):
    USER = "user"


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


def test_accepts_objects_with_role_and_content() -> None:
    text = _builtin("chatml").render([Message(Role.USER, U1)]).text
    assert text == EXPECTED["chatml"]["no_system"]


# --- Stop strings ------------------------------------------------------------------


def test_stop_strings_for_builtins() -> None:
    assert stop_strings_for(BUILTIN_TEMPLATES["gemma"].source) == ("<end_of_turn>",)
    assert stop_strings_for(BUILTIN_TEMPLATES["llama3"].source) == ("<|eot_id|>",)
    assert stop_strings_for(BUILTIN_TEMPLATES["chatml"].source) == ("<|im_end|>",)
    # Mistral's template writes eos_token, not a literal </s>.
    assert stop_strings_for(BUILTIN_TEMPLATES["mistral"].source) == ()


def test_stop_strings_for_other_sources() -> None:
    phi3 = "{{ '<|user|>\\n' + m + '<|end|>\\n' }}{{ '<|endoftext|>' }}"
    assert stop_strings_for(phi3) == ("<|end|>", "<|endoftext|>")
    assert stop_strings_for("{{ '</s>' }}<|im_end|><|im_end|>") == (
        "<|im_end|>",
        "</s>",
    )
    assert stop_strings_for("<|end_header_id|>") == ()
    assert stop_strings_for("") == ()
