"""The store's records and its files: Parley's JSON (OpenAI-style messages plus the branch tree), Markdown, import.

Kept apart from the database code so the formats can be read and tested alone; ValueError names bad input.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.core.conversations.messages import GenerationStats, Role
from desktop.core.i18n import translate

FORMAT = "parley-conversation"
ROLES = frozenset(r.value for r in Role)
TITLE_LENGTH = 60
# An import is written in short transactions of at most this many messages / characters (a few milliseconds each),
# with a pause between them, so a running Parley's saves never wait long behind `parley chats import`.
IMPORT_BATCH_MESSAGES = 250
IMPORT_BATCH_CHARS = 250_000
IMPORT_PAUSE = 0.004  # seconds between two transactions: long enough for a waiting writer to get in
IMPORTING = 0.0  # deleted_at of a conversation whose import is still being written: hidden until it is complete


@dataclass(frozen=True)
class ConversationInfo:
    id: int
    title: str
    created_at: float
    updated_at: float  # last message activity; renaming or pinning does not reorder the list
    pinned: bool
    model: str | None
    system_prompt: str
    template: str
    sampling: dict[str, Any]
    message_count: int  # every stored message, all branches
    deleted_at: float | None = None


@dataclass(frozen=True)
class StoredMessage:
    id: int
    conversation_id: int
    parent_id: int | None
    role: str
    content: str
    created_at: float
    stats: dict[str, Any] | None
    complete: bool


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    message_id: int
    title: str
    snippet: str
    created_at: float


@dataclass(frozen=True)
class ImportedMessage:
    key: int  # the id in the file; the store gives it a new one
    parent_key: int | None
    role: str
    content: str
    created_at: float | None
    stats: dict[str, Any] | None
    complete: bool


@dataclass(frozen=True)
class ImportedConversation:
    title: str
    system_prompt: str
    model: str | None
    template: str
    sampling: dict[str, Any]
    created_at: float | None
    messages: list[ImportedMessage]  # parents before children
    leaf_key: int | None


def to_json(info: ConversationInfo, visible: Sequence[StoredMessage], tree: Sequence[StoredMessage],
            schema_version: int) -> dict[str, Any]:
    """Any OpenAI-compatible tool reads "messages" (the visible branch); Parley also reads "parley" back."""
    messages = [{"role": Role.SYSTEM.value, "content": info.system_prompt}] if info.system_prompt else []
    messages += [{"role": m.role, "content": m.content} for m in visible]
    stats = ([None] if info.system_prompt else []) + [m.stats for m in visible]
    return {
        "messages": messages,
        "parley": {
            "format": FORMAT, "schema_version": schema_version, "title": info.title, "model": info.model,
            "system_prompt": info.system_prompt, "template": info.template, "sampling": info.sampling,
            "created_at": info.created_at, "updated_at": info.updated_at, "pinned": info.pinned,
            "stats": stats, "current_leaf_id": visible[-1].id if visible else None,
            "branches": [{"id": m.id, "parent_id": m.parent_id, "role": m.role, "content": m.content,
                          "created_at": m.created_at, "stats": m.stats, "complete": m.complete} for m in tree],
        },
    }


def _stats_line(stats: Mapping[str, Any] | None) -> str | None:
    if not stats:
        return None
    found = GenerationStats.from_json(stats)
    return None if found is None else found.file_summary()


def to_markdown(info: ConversationInfo, visible: Sequence[StoredMessage]) -> str:
    """The visible branch, readable as plain text and rendered nicely anywhere Markdown is."""
    when = datetime.fromtimestamp(info.created_at).strftime("%Y-%m-%d %H:%M")
    details = [f"Started {when}", f"model {info.model or 'unknown'}", f"template {info.template}"]
    if info.sampling:
        details.append(", ".join(f"{k} {v}" for k, v in sorted(info.sampling.items())))
    lines = [f"# {info.title}", "", f"*{' · '.join(details)}*", ""]
    if info.system_prompt:
        lines += ["## System", "", info.system_prompt, ""]
    for m in visible:
        lines += [f"## {m.role.capitalize()}", "", m.content, ""]
        if not m.complete:
            lines += ["*(incomplete: generation was interrupted)*", ""]
        summary = _stats_line(m.stats)
        if summary:
            lines += [f"*{summary}*", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _text(content: Any, where: str) -> str:
    """A message's content: a string, or OpenAI's list of parts of which only text parts can be kept."""
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    if isinstance(content, list):
        parts = []
        for part in content:
            if not (isinstance(part, Mapping) and part.get("type") == "text" and isinstance(part.get("text"), str)):
                raise ValueError(translate(
                    "ConversationImport", "{where} has content Parley cannot store (only text parts are supported)"
                ).format(where=where))
            parts.append(part["text"])
        return "".join(parts)
    raise ValueError(translate("ConversationImport", "{where} content must be text, not {kind}").format(
        where=where, kind=type(content).__name__))


def _role(raw: Any, where: str) -> str:
    if raw not in ROLES:
        raise ValueError(translate("ConversationImport", "{where} has role {role}; Parley stores only {roles}").format(
            where=where, role=repr(raw), roles=", ".join(sorted(ROLES))))
    return str(raw)


def _number(raw: Any) -> float | None:
    ok = isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw)
    return float(raw) if ok else None


def _title_from(messages: Sequence[ImportedMessage]) -> str:
    first = next((m.content for m in messages if m.role == Role.USER.value and m.content.strip()), "")
    line = first.strip().splitlines()[0] if first.strip() else ""
    if not line:
        return "Imported chat"
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


def _tree(raw: Any) -> tuple[list[ImportedMessage], dict[int, int | None]]:
    """Validate Parley's branch list and order it parents first; cycles and dangling parents are errors."""
    if not isinstance(raw, list):
        raise ValueError(translate("ConversationImport", '"parley.branches" must be a list'))
    nodes: dict[int, ImportedMessage] = {}
    for i, item in enumerate(raw, 1):
        where = translate("ConversationImport", "branch message {number}").format(number=i)
        if not isinstance(item, Mapping):
            raise ValueError(translate("ConversationImport", "{where} is not an object").format(where=where))
        key, parent = item.get("id"), item.get("parent_id")
        if not isinstance(key, int) or isinstance(key, bool) or key in nodes:
            raise ValueError(translate("ConversationImport", "{where} needs a unique whole-number id").format(
                where=where))
        if parent is not None and (not isinstance(parent, int) or isinstance(parent, bool)):
            raise ValueError(translate("ConversationImport", "{where} has a parent_id that is not a whole number"
                                       ).format(where=where))
        stats = item.get("stats")
        nodes[key] = ImportedMessage(
            key=key, parent_key=parent, role=_role(item.get("role"), where), content=_text(item.get("content"), where),
            created_at=_number(item.get("created_at")), stats=GenerationStats.clean_json(stats),
            complete=item.get("complete", True) is not False)
    depth: dict[int, int] = {}
    for key in nodes:
        chain, at = [], key
        while at not in depth:
            if at in chain:
                raise ValueError(translate("ConversationImport", "branch message {number} is its own ancestor"
                                           ).format(number=at))
            chain.append(at)
            parent = nodes[at].parent_key
            if parent is None:
                depth[at] = 0
                chain.pop()
                break
            if parent not in nodes:
                raise ValueError(translate(
                    "ConversationImport", "branch message {number} has parent {parent}, which is not in the file"
                ).format(number=at, parent=parent))
            at = parent
        for node in reversed(chain):
            parent_key = nodes[node].parent_key
            depth[node] = 0 if parent_key is None else depth[parent_key] + 1
    order = sorted(nodes, key=lambda k: (depth[k], k))
    return [nodes[k] for k in order], {k: nodes[k].parent_key for k in nodes}


def _leaf(parents: Mapping[int, int | None], wanted: Any) -> int | None:
    if isinstance(wanted, int) and wanted in parents:
        return wanted
    return max(parents) if parents else None  # the newest message; the store shows its branch


def parse(data: Any) -> ImportedConversation:
    """What to create for an exported file; ValueError says what is wrong with it."""
    if not isinstance(data, Mapping) or not isinstance(data.get("messages"), list):
        raise ValueError(translate("ConversationImport", 'expected a JSON object with a "messages" list'))
    extra = data.get("parley")
    extra = extra if isinstance(extra, Mapping) else {}
    system_prompt = extra.get("system_prompt") if isinstance(extra.get("system_prompt"), str) else None
    flat: list[ImportedMessage] = []
    for i, item in enumerate(data["messages"], 1):
        where = translate("ConversationImport", "message {number}").format(number=i)
        if not isinstance(item, Mapping):
            raise ValueError(translate("ConversationImport", "{where} is not an object").format(where=where))
        role, content = _role(item.get("role"), where), _text(item.get("content"), where)
        if role == Role.SYSTEM.value and not flat and system_prompt is None:
            system_prompt = content  # a leading system message is the conversation's system prompt
            continue
        if role == Role.SYSTEM.value and not flat and extra:
            continue  # Parley's own export repeats its system prompt here
        flat.append(ImportedMessage(key=i, parent_key=flat[-1].key if flat else None, role=role, content=content,
                                    created_at=None, stats=None, complete=True))
    if "branches" in extra:
        messages, parents = _tree(extra["branches"])
        leaf = _leaf(parents, extra.get("current_leaf_id"))
    else:
        messages, leaf = flat, (flat[-1].key if flat else None)
    sampling = extra.get("sampling")
    title = extra.get("title") if isinstance(extra.get("title"), str) else data.get("title")
    model, template = extra.get("model"), extra.get("template")
    return ImportedConversation(
        title=title.strip() if isinstance(title, str) and title.strip() else _title_from(messages),
        system_prompt=system_prompt or "",
        model=model if isinstance(model, str) else None,
        template=template if isinstance(template, str) else "auto",
        sampling=dict(sampling) if isinstance(sampling, Mapping) else {},
        created_at=_number(extra.get("created_at")),
        messages=messages, leaf_key=leaf,
    )


def import_batches(messages: Sequence[ImportedMessage], max_messages: int = IMPORT_BATCH_MESSAGES,
                   max_chars: int = IMPORT_BATCH_CHARS) -> Iterator[Sequence[ImportedMessage]]:
    """The messages in file order (parents first), cut into runs that are each quick to write."""
    start, chars = 0, 0
    for end, message in enumerate(messages):
        if end > start and (end - start >= max_messages or chars + len(message.content) > max_chars):
            yield messages[start:end]
            start, chars = end, 0
        chars += len(message.content)
    if start < len(messages):
        yield messages[start:]
