"""Sections of a rendered prompt (system, examples, history, new message) and tokens counted per section."""

from __future__ import annotations

import re

from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES, ChatTemplate
from desktop.core.prompting.probabilities import TokenPiece
from desktop.core.prompting.sections import (
    SectionedPrompt,
    Span,
    count_per_section,
    prompt_sections,
    token_offsets,
    token_sections,
    turn_sections,
)

GEMMA = BUILTIN_TEMPLATES["gemma"].to_chat_template()
CHATML = BUILTIN_TEMPLATES["chatml"].to_chat_template()
MISTRAL = BUILTIN_TEMPLATES["mistral"].to_chat_template()

SYSTEM = {"role": "system", "content": "Be brief."}
CHAT = [
    {"role": "user", "content": "Hi there"},
    {"role": "assistant", "content": "Hello!"},
    {"role": "user", "content": "How are you?"},
]


def parts(prompt: SectionedPrompt) -> list[tuple[str, str]]:
    return [(s.section, prompt.text[s.start:s.end]) for s in prompt.spans]


def covers(prompt: SectionedPrompt) -> bool:
    """Spans run from 0 to the end of the text without gaps or overlaps."""
    position = 0
    for span in prompt.spans:
        if span.start != position or span.end <= span.start:
            return False
        position = span.end
    return position == len(prompt.text)


def test_turn_sections_system_examples_history_new() -> None:
    turns = [SYSTEM, *CHAT, *CHAT]
    assert turn_sections(turns, new_index=6, examples=2) == [
        "system", "examples", "examples", "history", "history", "history", "new message"]
    assert turn_sections(CHAT, new_index=3) == ["history"] * 3
    assert turn_sections(CHAT, new_index=0, examples=2) == ["new message"] * 3


def test_chatml_system_history_new_message() -> None:
    prompt = prompt_sections([SYSTEM, *CHAT], CHATML, new_index=3)
    assert prompt.text == CHATML.render([SYSTEM, *CHAT]).text
    assert prompt.prefix_stable and covers(prompt)
    assert parts(prompt) == [
        ("system", "<|im_start|>system\nBe brief.<|im_end|>\n"),
        ("history", "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"),
        ("new message", "<|im_start|>user\nHow are you?<|im_end|>\n<|im_start|>assistant\n"),
    ]


def test_gemma_counts_merged_system_text_where_it_lies() -> None:
    prompt = prompt_sections([SYSTEM, *CHAT], GEMMA, new_index=3)
    assert prompt.prefix_stable and covers(prompt)
    assert parts(prompt) == [
        ("template", "<bos>"),
        ("history", "<start_of_turn>user\n"),
        ("system", "Be brief."),
        ("history", "\n\nHi there<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n"),
        ("new message", "<start_of_turn>user\nHow are you?<end_of_turn>\n<start_of_turn>model\n"),
    ]


def test_system_merged_by_chat_template_into_first_user_turn() -> None:
    refusing = ChatTemplate(
        "{% for m in messages %}{% if m['role'] == 'system' %}{{ raise_exception('no system') }}{% endif %}"
        "[{{ m['role'] }}]{{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}",
        "Refusing")
    rendered = refusing.render([SYSTEM, *CHAT])
    assert rendered.system_merged
    prompt = prompt_sections([SYSTEM, *CHAT], refusing, new_index=3)
    assert prompt.prefix_stable and covers(prompt)
    assert parts(prompt) == [
        ("history", "[user]"), ("system", "Be brief."), ("history", "\n\nHi there\n[assistant]Hello!\n"),
        ("new message", "[user]How are you?\n[assistant]"),
    ]


def test_examples_and_first_turn_as_new_message() -> None:
    prompt = prompt_sections([SYSTEM, *CHAT, *CHAT], CHATML, new_index=5, examples=2)
    names = [s.section for s in prompt.spans]
    assert names == ["system", "examples", "history", "new message"]
    assert "Hi there" in prompt.text[prompt.spans[1].start:prompt.spans[1].end]
    only = prompt_sections(CHAT[:1], GEMMA, new_index=0)
    assert [s.section for s in only.spans] == ["template", "new message"]


def test_nothing_new_leaves_generation_prompt_as_template() -> None:
    prompt = prompt_sections(CHAT[:2], CHATML, new_index=2)
    assert parts(prompt)[-1] == ("template", "<|im_start|>assistant\n")


def test_blank_system_turn_is_skipped_like_render_does() -> None:
    prompt = prompt_sections([{"role": "system", "content": "  "}, *CHAT], CHATML, new_index=3)
    assert "system" not in [s.section for s in prompt.spans]
    assert covers(prompt)


def test_mistral_parts_where_the_pending_system_turn_closes() -> None:
    prompt = prompt_sections([SYSTEM, *CHAT], MISTRAL, new_index=3)
    assert not prompt.prefix_stable and covers(prompt)
    assert parts(prompt) == [
        ("template", "<s>"), ("system", "[INST] Be brief."), ("history", "\n\nHi there[/INST] Hello!</s>"),
        ("new message", "[INST] How are you?[/INST]"),
    ]


def test_template_rewriting_earlier_text_falls_back_to_finding_contents() -> None:
    # The number of messages is written first, so no shorter render is a prefix of the full one.
    counting = ChatTemplate(
        "{{ messages | length }}:{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}{% endfor %}"
        "{% if add_generation_prompt %}<assistant>{% endif %}", "Counting")
    prompt = prompt_sections([SYSTEM, *CHAT], counting, new_index=3)
    assert not prompt.prefix_stable and covers(prompt)
    assert parts(prompt) == [
        ("system", "4:<system>Be brief."), ("history", "<user>Hi there<assistant>Hello!"),
        ("new message", "<user>How are you?<assistant>"),
    ]


def pieces_of(words: list[str], special: tuple[str, ...] = ()) -> list[TokenPiece]:
    return [TokenPiece(i, w, w in special) for i, w in enumerate(words)]


def test_count_per_section_by_token_start() -> None:
    spans = (Span("system", 0, 10), Span("history", 10, 20), Span("new message", 20, 25))
    pieces = pieces_of(["a" * 4, "b" * 6, "c" * 3, "d" * 8, "e" * 4])  # the 4th token starts in history
    assert token_offsets(pieces, 25) == [0, 4, 10, 13, 21]
    assert token_sections(spans, pieces) == ["system", "system", "history", "history", "new message"]
    assert count_per_section(spans, pieces) == {"system": 2, "history": 2, "new message": 1}


def split(text: str, specials: tuple[str, ...]) -> list[TokenPiece]:
    """Hand-made tokens: each special marker, each word, each other character."""
    pattern = "|".join(re.escape(s) for s in specials) + r"|\w+|."
    words = re.findall(pattern, text, flags=re.DOTALL)
    assert "".join(words) == text
    return pieces_of(words, specials)


def test_bos_added_by_the_tokenizer_counts_as_template() -> None:
    prompt = prompt_sections([SYSTEM, *CHAT], CHATML, new_index=3)
    pieces = [TokenPiece(1, "<s>", True), *split(prompt.text, ("<|im_start|>", "<|im_end|>"))]
    counts = count_per_section(prompt.spans, pieces)
    assert counts["template"] == 1
    assert sum(counts.values()) == len(pieces)
    assert list(counts) == ["system", "history", "new message", "template"]
    # <|im_start|> system \n Be   brief . <|im_end|> \n
    assert counts["system"] == 9


def test_gemma_pieces_sum_to_total() -> None:
    prompt = prompt_sections([SYSTEM, *CHAT], GEMMA, new_index=3)
    pieces = split(prompt.text, ("<bos>", "<start_of_turn>", "<end_of_turn>"))
    counts = count_per_section(prompt.spans, pieces)
    assert sum(counts.values()) == len(pieces)
    # Be, " ", brief, "."; <bos>; <start_of_turn> user \n How " " are " " you ? <end_of_turn> \n <start_of_turn>
    # model \n
    assert counts == {"system": 4, "history": counts["history"], "new message": 14, "template": 1}
    sections = token_sections(prompt.spans, pieces)
    assert sections[:3] == ["template", "history", "history"] and sections[4] == "system"


def test_no_pieces_or_spans() -> None:
    assert count_per_section((), []) == {}
    assert token_sections((), pieces_of(["x"])) == ["template"]


def test_a_long_conversation_costs_a_few_renders_not_one_per_turn(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Rendering every prefix made opening a 2,000-message chat take 11 s; only section changes are rendered."""
    calls = []
    original = ChatTemplate.render

    def counting(self, turns, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(turns))
        return original(self, turns, **kwargs)

    monkeypatch.setattr(ChatTemplate, "render", counting)
    turns = [{"role": "system", "content": "Be brief."}]
    turns += [{"role": "user" if i % 2 == 0 else "assistant", "content": f"message {i}"} for i in range(400)]
    sectioned = prompt_sections(turns, CHATML, new_index=len(turns) - 1)
    assert len(calls) <= 6
    assert sectioned.section_at(sectioned.text.index("message 5")) == "history"
    assert sectioned.section_at(sectioned.text.index("message 399")) == "new message"
