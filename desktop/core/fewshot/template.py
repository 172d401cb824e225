"""Few-shot prompt templates: an instruction, worked examples and a query, rendered for a chat or completion model.

Kept pure (no Qt, no llama.cpp) so the workbench, the evaluator and the CLI build byte-identical prompts.
"""

from __future__ import annotations

import copy
import json
import random
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

from desktop.core.errors import ParleyError
from desktop.core.fewshot.scoring import LIKELIHOOD, RULES
from desktop.core.files import write_text_atomic
from desktop.core.i18n import translate
from desktop.core.os_reason import os_reason
from desktop.core.paths import resource_dir
from desktop.core.prompting.chat_template import ChatTemplate, TemplateError

TEMPLATE_SCHEMA_VERSION = 1


class FewShotError(ParleyError, ValueError):
    """str() names the file / field / variable and what to do."""


class RenderMode(str, Enum):
    CHAT = "chat"
    COMPLETION = "completion"


@dataclass
class Example:
    input: str
    output: str
    enabled: bool = True
    variables: dict[str, str] = field(default_factory=dict)  # extra named values for the query template


@dataclass
class FewShotTemplate:
    name: str = "Untitled"
    version: int = 1  # save_template bumps it when content changed since load
    instruction: str = ""  # system prompt (chat) / text on top (completion)
    examples: list[Example] = field(default_factory=list)
    query_template: str = "{input}"  # str.format-style; {input} plus any other names
    mode: RenderMode = RenderMode.COMPLETION
    input_label: str = "Input:"  # completion mode label before the query, e.g. "Review:"
    output_label: str = "Output:"  # completion mode label before the answer, e.g. "Sentiment:"
    example_separator: str = "\n\n"  # between examples (completion mode)
    scoring: str = "normalized"  # default rule key from desktop.core.fewshot.scoring.RULES
    pattern: str | None = None  # for the "regex" rule
    description: str = ""
    # The answer set for the "likelihood" rule: e.g. ["positive", "negative"], or choice letters. A label may use
    # {name} fields (filled from each item, e.g. the texts of the choices in data columns).
    labels: list[str] = field(default_factory=list)

    def variables(self) -> list[str]:
        """Names used in query_template, in order, unique; lenient (stops at a syntax error) so editors can call it."""
        names: list[str] = []
        try:
            for _literal, name, _spec, _conv in string.Formatter().parse(self.query_template):
                if name and name not in names:
                    names.append(name)
        except ValueError:
            pass
        return names

    def enabled_examples(self) -> list[Example]:
        return [ex for ex in self.examples if ex.enabled]

    def with_shots(self, k: int, seed: int | None = None, shuffle: bool = False) -> FewShotTemplate:
        """A copy with k of the enabled examples: the first k, or a seeded random k kept in their order, or with
        shuffle a seeded random k in a seeded random order (for measuring how much the order matters)."""
        if k < 0:
            raise FewShotError(translate("FewShotError", "The number of examples (shots) must be 0 or more, not "
                                         "{count}.").format(count=k))
        enabled = self.enabled_examples()
        if seed is not None and shuffle:
            chosen = [enabled[i] for i in random.Random(seed).sample(range(len(enabled)), min(k, len(enabled)))]
        elif seed is None or k >= len(enabled):
            chosen = enabled[:k]
        else:
            picks = sorted(random.Random(seed).sample(range(len(enabled)), k))
            chosen = [enabled[i] for i in picks]
        return replace(self, examples=copy.deepcopy(chosen), labels=list(self.labels))

    def query_text(self, values: Mapping[str, str]) -> str:
        """query_template filled with values; only plain {name} fields, so a template cannot reach attributes."""
        return fill_fields(self.query_template, values, translate("FewShotError", "query template"))

    def item_labels(self, values: Mapping[str, str]) -> list[str]:
        """The answer set for one item: the labels with their {name} fields filled from the item's values."""
        labels = [fill_fields(label, values, translate("FewShotError", "label")) for label in self.labels]
        check_labels(labels, translate("FewShotError", "The labels for this item"))
        return labels

    def label_continuation(self, label: str) -> str:
        """The text a label adds after the prompt, exactly as the examples write their answers."""
        if self.mode is RenderMode.COMPLETION and self.output_label:
            return " " + label
        return label

    def _labelled(self, label: str, text: str) -> str:
        return f"{label} {text}" if label else text

    def render_completion(self, values: Mapping[str, str]) -> str:
        blocks = [
            self._labelled(self.input_label, self.query_text(example_values(ex)))
            + "\n"
            + self._labelled(self.output_label, ex.output)
            for ex in self.enabled_examples()
        ]
        blocks.append(self._labelled(self.input_label, self.query_text(values)) + "\n" + self.output_label)
        head = f"{self.instruction.strip()}\n\n" if self.instruction.strip() else ""
        return head + self.example_separator.join(blocks)

    def chat_turns(self, values: Mapping[str, str]) -> list[dict[str, str]]:
        turns: list[dict[str, str]] = []
        if self.instruction.strip():
            turns.append({"role": "system", "content": self.instruction.strip()})
        for ex in self.enabled_examples():
            turns.append({"role": "user", "content": self.query_text(example_values(ex))})
            turns.append({"role": "assistant", "content": ex.output})
        turns.append({"role": "user", "content": self.query_text(values)})
        return turns

    def stop_strings(self) -> tuple[str, ...]:
        """Where a completion model starts inventing the next example; chat models stop at end-of-turn instead."""
        if self.mode is RenderMode.CHAT:
            return ()
        label = self.input_label.strip()
        stops = [f"\n{label}"] if label else ["\n\n"]
        if self.example_separator and self.example_separator != "\n" and self.example_separator not in stops:
            stops.append(self.example_separator)
        return tuple(stops)

    def to_json(self) -> dict[str, Any]:
        examples: list[dict[str, Any]] = []
        for ex in self.examples:
            item: dict[str, Any] = {"input": ex.input, "output": ex.output}
            if not ex.enabled:
                item["enabled"] = False
            if ex.variables:
                item["variables"] = dict(ex.variables)
            examples.append(item)
        return {
            "schema_version": TEMPLATE_SCHEMA_VERSION,
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "mode": self.mode.value,
            "instruction": self.instruction,
            "input_label": self.input_label,
            "output_label": self.output_label,
            "example_separator": self.example_separator,
            "query_template": self.query_template,
            "scoring": self.scoring,
            "pattern": self.pattern,
            "labels": list(self.labels),
            "examples": examples,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], source: str | None = None) -> FewShotTemplate:
        """Validate every field so a hand-edited file fails with the field's name, not deep inside rendering."""
        source = source if source is not None else translate("FewShotError", "template")
        if not isinstance(data, Mapping):
            raise FewShotError(translate("FewShotError", "{source}: expected a JSON object with the template's "
                                         "fields.").format(source=source))
        if "schema_version" not in data:
            raise FewShotError(translate(
                "FewShotError", "{source} is not a Parley few-shot template (it has no \u201cschema_version\u201d "
                "field).").format(source=source))
        schema = data["schema_version"]
        if not isinstance(schema, int) or isinstance(schema, bool):
            raise FewShotError(translate("FewShotError", "{source}: field \u201cschema_version\u201d must be a whole "
                                         "number, e.g. 1.").format(source=source))
        if schema != TEMPLATE_SCHEMA_VERSION:
            message = translate("FewShotError", "{source} has template schema version {schema}; this Parley reads "
                                "version {known}.").format(source=source, schema=schema, known=TEMPLATE_SCHEMA_VERSION)
            if schema > 1:
                message += " " + translate("FewShotError", "It was saved by a newer Parley; update Parley to open it.")
            raise FewShotError(message)
        defaults = cls()
        kw: dict[str, Any] = {}
        for name in (
            "name", "instruction", "query_template", "input_label", "output_label",
            "example_separator", "scoring", "description",
        ):
            kw[name] = _field(data, name, str, getattr(defaults, name), source)
        version = _field(data, "version", int, 1, source)
        if version < 1:
            raise FewShotError(translate(
                "FewShotError", "{source}: field \u201cversion\u201d must be 1 or more, not {version}.").format(
                source=source, version=version))
        kw["version"] = version
        mode = _field(data, "mode", str, RenderMode.COMPLETION.value, source)
        if mode not in {m.value for m in RenderMode}:
            raise FewShotError(translate(
                "FewShotError", "{source}: field \u201cmode\u201d must be \u201cchat\u201d or "
                "\u201ccompletion\u201d, not {mode}.").format(source=source, mode=repr(mode)))
        kw["mode"] = RenderMode(mode)
        if kw["scoring"] not in RULES:
            raise FewShotError(translate(
                "FewShotError", "{source}: field \u201cscoring\u201d is {rule}; use one of {rules}.").format(
                source=source, rule=repr(kw["scoring"]), rules=", ".join(RULES)))
        pattern = data.get("pattern")
        if pattern is not None and not isinstance(pattern, str):
            raise FewShotError(translate(
                "FewShotError", "{source}: field \u201cpattern\u201d must be text or null.").format(source=source))
        kw["pattern"] = pattern
        labels = _field(data, "labels", list, [], source)
        for i, label in enumerate(labels):
            if not isinstance(label, str):
                raise FewShotError(translate("FewShotError", "{source}: {field} must be text, not {kind}.").format(
                    source=source, field=f"labels[{i}]", kind=type(label).__name__))
        if labels or kw["scoring"] == LIKELIHOOD:
            check_labels(labels, translate("FewShotError", "{source}: field \u201clabels\u201d").format(source=source))
        kw["labels"] = list(labels)
        raw_examples = _field(data, "examples", list, [], source)
        kw["examples"] = [_example(item, f"examples[{i}]", source) for i, item in enumerate(raw_examples)]
        return cls(**kw)


def fill_fields(text: str, values: Mapping[str, str], what: str) -> str:
    """`text` with its {name} fields filled from values; only plain names, so no attribute or index access."""
    out: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise FewShotError(translate(
            "FewShotError", "The {what} is not valid ({error}). Write variables as {example} and a literal brace as "
            "{open} or {close}.").format(what=what, error=exc, example="{name}", open="{{", close="}}")) from exc
    for literal, name, spec, conversion in parsed:
        out.append(literal)
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raw = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise FewShotError(translate(
                "FewShotError", "The {what} field {field} is not supported. Use plain names such as {input} or "
                "{hypothesis}.").format(what=what, field=raw, input="{input}", hypothesis="{hypothesis}"))
        if name not in values:
            raise FewShotError(translate(
                "FewShotError", "The {what} uses {variable} but no value named \u201c{name}\u201d was given. "
                "Add a \u201c{name}\u201d column (or variable on each example), or remove {variable} from the {what}."
            ).format(what=what, variable="{" + name + "}", name=name))
        out.append(str(values[name]))
    return "".join(out)


def check_labels(labels: Sequence[str], where: str) -> None:
    """A usable answer set: at least two labels, none empty, no two the same (ignoring case and spaces)."""
    if len(labels) < 2:
        raise FewShotError(translate(
            "FewShotError", "{where}: the \u201cMost likely answer\u201d rule needs at least two labels to choose "
            "between (it has {count}), e.g. positive and negative.").format(where=where, count=len(labels)))
    seen: dict[str, str] = {}
    for i, label in enumerate(labels, 1):
        if not label.strip():
            raise FewShotError(translate("FewShotError", "{where}: label {index} is empty. Give every label some "
                                         "text, or remove it.").format(where=where, index=i))
        key = " ".join(label.casefold().split())
        if key in seen:
            raise FewShotError(translate(
                "FewShotError", "{where}: \u201c{label}\u201d appears twice (as \u201c{other}\u201d too). Give every "
                "label a different text.").format(where=where, label=label, other=seen[key]))
        seen[key] = label


def _field(data: Mapping[str, Any], name: str, kind: type, default: Any, source: str) -> Any:
    value = data.get(name, default)
    if value is None and default is not None:
        value = default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        want = {str: translate("FewShotError", "text"), int: translate("FewShotError", "a whole number"),
                list: translate("FewShotError", "a list"), bool: translate("FewShotError", "true or false"),
                dict: translate("FewShotError", "an object")}[kind]
        raise FewShotError(translate("FewShotError", "{source}: field \u201c{name}\u201d must be {want}, not {kind}."
                                     ).format(source=source, name=name, want=want, kind=type(value).__name__))
    return value


def _example(item: Any, where: str, source: str) -> Example:
    if not isinstance(item, Mapping):
        raise FewShotError(translate(
            "FewShotError", "{source}: {where} must be an object with \u201cinput\u201d and \u201coutput\u201d."
        ).format(source=source, where=where))
    for key in ("input", "output"):
        if key not in item:
            raise FewShotError(translate("FewShotError", "{source}: {where} has no \u201c{key}\u201d field.").format(
                source=source, where=where, key=key))
    text_in = _field(item, "input", str, "", f"{source}: {where}")
    text_out = _field(item, "output", str, "", f"{source}: {where}")
    enabled = _field(item, "enabled", bool, True, f"{source}: {where}")
    variables = _field(item, "variables", dict, {}, f"{source}: {where}")
    for key, value in variables.items():
        if not isinstance(value, str):
            raise FewShotError(translate("FewShotError", "{source}: {field} must be text, not {kind}.").format(
                source=source, field=f"{where}.variables.{key}", kind=type(value).__name__))
    return Example(text_in, text_out, enabled, dict(variables))


def example_values(example: Example) -> dict[str, str]:
    return {"input": example.input, **example.variables}


def load_template(path: Path) -> FewShotTemplate:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise FewShotError(translate("FewShotError", "Could not read the template {path}: {error}.").format(
            path=path, error=os_reason(exc))) from exc
    except UnicodeDecodeError as exc:
        raise FewShotError(translate("FewShotError", "The template {path} is not UTF-8 text; save it as UTF-8 "
                                     "JSON.").format(path=path)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FewShotError(translate(
            "FewShotError", "The template {path} is not valid JSON (line {line}, column {column}: {error}). "
            "Fix the file or save the template again from Parley."
        ).format(path=path, line=exc.lineno, column=exc.colno, error=exc.msg)) from exc
    except RecursionError as exc:
        raise FewShotError(translate("FewShotError", "The template {path} is nested too deeply to be a Parley "
                                     "template.").format(path=path)) from exc
    return FewShotTemplate.from_json(data, source=str(path))


def _content(template: FewShotTemplate) -> dict[str, Any]:
    data = template.to_json()
    del data["version"]
    return data


def save_template(template: FewShotTemplate, path: Path) -> FewShotTemplate:
    """Write atomically; the version goes up only when content differs from the file on disk (re-saving is a no-op)."""
    path = Path(path)
    version = template.version
    if path.exists():
        try:
            on_disk = load_template(path)
        except FewShotError:
            on_disk = None  # overwriting something unreadable: keep the caller's version
        if on_disk is not None and _content(on_disk) != _content(template):
            version = max(version, on_disk.version) + 1
    saved = replace(template, version=version, examples=copy.deepcopy(template.examples))
    text = json.dumps(saved.to_json(), indent=2, ensure_ascii=False) + "\n"
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise FewShotError(translate("FewShotError", "Could not save the template to {path}: {error}.").format(
            path=path, error=os_reason(exc))) from exc
    return saved


def final_prompt(template: FewShotTemplate, values: Mapping[str, str], chat_template: ChatTemplate | None) -> str:
    """The exact text sent to the model (BOS is added by the tokenizer in completion mode)."""
    if template.mode is RenderMode.COMPLETION:
        return template.render_completion(values)
    if chat_template is None:
        raise FewShotError(translate(
            "FewShotError", "The template \u201c{name}\u201d is in chat mode but no chat template is available for "
            "this model. Choose a chat template in the model settings, or switch the few-shot template to completion "
            "mode.").format(name=template.name))
    try:
        return chat_template.render(template.chat_turns(values)).text
    except TemplateError as exc:
        raise FewShotError(str(exc)) from exc


def sample_templates_dir() -> Path:
    return resource_dir() / "templates"
