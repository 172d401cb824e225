"""Compare experiments: one prompt run under two to four configurations, kept as small versioned JSON files.

A saved experiment must say exactly what produced each output, so it records the sampling values (with the
seed actually used), the model files by path and SHA-256, and the Parley version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from desktop.core.conversations.messages import Conversation, GenerationStats
from desktop.core.errors import ParleyError
from desktop.core.files import file_sha256, write_text_atomic
from desktop.core.i18n import translate
from desktop.core.os_reason import os_reason
from desktop.core.prompting.chat_template import ChatTemplate, RenderedPrompt
from desktop.core.prompting.sampling import SamplingError, SamplingParams

FORMAT = "parley-experiment"
SCHEMA_VERSION = 1
MIN_COLUMNS = 2
MAX_COLUMNS = 4
HASH_CACHE_VERSION = 1


class ExperimentError(ParleyError, ValueError):
    """An experiment file that cannot be read or written; str() is the message to show."""


def parley_version() -> str:
    try:
        return version("parley")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class CompareConfig:
    """One column's settings. model None means whatever model the chat has loaded."""

    label: str
    model: str | None = None
    system_prompt: str = ""
    params: SamplingParams = field(default_factory=SamplingParams)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "model": self.model, "system_prompt": self.system_prompt,
                "sampling": self.params.as_dict()}

    @classmethod
    def from_dict(cls, raw: object, where: str) -> CompareConfig:
        data = _mapping(raw, where)
        model = data.get("model")
        return cls(
            label=_text(data, "label", where),
            model=model if isinstance(model, str) and model else None,
            system_prompt=_text(data, "system_prompt", where),
            params=_params(data.get("sampling"), translate("ExperimentError", "{where} sampling").format(where=where)),
        )


@dataclass(frozen=True)
class ColumnResult:
    """What one column produced; error is set when it could not run (its text may still be partial)."""

    text: str = ""
    model: str = ""  # the model file actually used
    prompt_tokens: int = 0
    generated_tokens: int = 0
    time_to_first_token: float = 0.0  # seconds
    tokens_per_second: float = 0.0
    stopped: bool = False
    error: str | None = None

    @classmethod
    def from_stats(cls, text: str, model: str, stats: GenerationStats) -> ColumnResult:
        return cls(text, model, stats.prompt_tokens, stats.generated_tokens, stats.time_to_first_token,
                   stats.tokens_per_second, stats.stopped)

    def summary(self) -> str:
        """One line for under the output, e.g. "34.1 tokens/s · first token 80 ms · 120 tokens"."""
        if self.error:
            return self.error
        generated = self.generated_tokens
        parts = [translate("StatsLine", "{speed} tokens/s").format(speed=f"{self.tokens_per_second:.1f}"),
                 translate("StatsLine", "first token {ms} ms").format(ms=f"{self.time_to_first_token * 1000:.0f}"),
                 translate("StatsLine", "%n tokens", None, generated)]
        if self.stopped:
            parts.append(translate("StatsLine", "stopped"))
        return " · ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, raw: object, where: str) -> ColumnResult:
        data = _mapping(raw, where)
        error = data.get("error")
        return cls(
            text=_text(data, "text", where),
            model=_text(data, "model", where),
            prompt_tokens=int(_number(data, "prompt_tokens", where)),
            generated_tokens=int(_number(data, "generated_tokens", where)),
            time_to_first_token=float(_number(data, "time_to_first_token", where)),
            tokens_per_second=float(_number(data, "tokens_per_second", where)),
            stopped=data.get("stopped") is True,
            error=error if isinstance(error, str) and error else None,
        )


@dataclass
class Experiment:
    """A prompt, its configurations and what each produced; results[i] belongs to configs[i] (None: not run)."""

    name: str
    prompt: str
    configs: list[CompareConfig]
    results: list[ColumnResult | None] = field(default_factory=list)
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    model_hashes: dict[str, str] = field(default_factory=dict)  # model path -> sha256
    parley_version: str = field(default_factory=parley_version)

    def __post_init__(self) -> None:
        self.results = (list(self.results) + [None] * len(self.configs))[: len(self.configs)]

    def model_paths(self) -> list[str]:
        """Every model file the outputs came from, in column order, each once."""
        paths = [r.model for r in self.results if r is not None and r.model]
        return list(dict.fromkeys(paths))

    def to_json(self) -> str:
        payload = {
            "format": FORMAT, "version": SCHEMA_VERSION, "name": self.name, "created": self.created,
            "parley_version": self.parley_version, "prompt": self.prompt,
            "columns": [{**c.to_dict(), "result": r.to_dict() if r is not None else None}
                        for c, r in zip(self.configs, self.results, strict=False)],
            "model_hashes": dict(self.model_hashes),
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Experiment:
        """Missing fields get defaults; anything that is not an experiment raises ExperimentError."""
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise ExperimentError(translate(
                "ExperimentError", "This is not a Parley experiment: the file is not valid JSON ({error})."
            ).format(error=exc)) from exc
        except RecursionError as exc:
            raise ExperimentError(translate(
                "ExperimentError", "This is not a Parley experiment: its JSON is nested too deeply.")) from exc
        if not isinstance(raw, dict) or raw.get("format", FORMAT) != FORMAT or "columns" not in raw:
            raise ExperimentError(translate("ExperimentError", "This is not a Parley experiment file."))
        saved_version = raw.get("version", SCHEMA_VERSION)
        if not isinstance(saved_version, int) or saved_version > SCHEMA_VERSION:
            raise ExperimentError(translate(
                "ExperimentError", "This experiment was saved by a newer version of Parley; update Parley to open it."))
        columns = raw["columns"]
        if not isinstance(columns, list) or not 1 <= len(columns) <= MAX_COLUMNS:
            raise ExperimentError(translate(
                "ExperimentError", "This experiment file is damaged: it must have 1 to {count} columns.").format(
                count=MAX_COLUMNS))
        configs = [CompareConfig.from_dict(c, translate("ExperimentError", "column {number}").format(number=i + 1))
                   for i, c in enumerate(columns)]
        results = [None if c.get("result") is None else ColumnResult.from_dict(
            c["result"], translate("ExperimentError", "column {number} result").format(number=i + 1))
            for i, c in enumerate(columns)]
        whole = translate("ExperimentError", "the experiment")
        hashes = raw.get("model_hashes")
        created = raw.get("created")
        saved_by = raw.get("parley_version")
        return cls(
            name=_text(raw, "name", whole) or "Untitled experiment",
            prompt=_text(raw, "prompt", whole),
            configs=configs,
            results=results,
            created=created if isinstance(created, str) else "",
            model_hashes={str(k): v for k, v in hashes.items() if isinstance(v, str)} if isinstance(hashes, dict)
            else {},
            parley_version=saved_by if isinstance(saved_by, str) else "unknown",
        )


def _mapping(raw: object, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ExperimentError(translate("ExperimentError", "This experiment file is damaged: {where} is not an object."
                                        ).format(where=where))
    return raw


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ExperimentError(translate(
            "ExperimentError", "This experiment file is damaged: {where} has a {key} that is not text.").format(
            where=where, key=key))
    return value


def _number(data: dict[str, Any], key: str, where: str) -> float:
    value = data.get(key, 0)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ExperimentError(translate(
            "ExperimentError", "This experiment file is damaged: {where} has a {key} that is not a number.").format(
            where=where, key=key))
    return float(value)


def _params(raw: object, where: str) -> SamplingParams:
    if raw is None:
        return SamplingParams()
    data = _mapping(raw, where)
    known = {f.name for f in fields(SamplingParams)}
    try:
        return SamplingParams(**{k: v for k, v in data.items() if k in known})
    except SamplingError as exc:
        raise ExperimentError(translate("ExperimentError", "This experiment file is damaged: {where}: {error}."
                                        ).format(where=where, error=exc)) from exc


# --- prompts ---------------------------------------------------------------------------------------------------


def build_prompt(template: ChatTemplate, system_prompt: str, user_prompt: str) -> RenderedPrompt:
    """The prompt a new chat with this system prompt and first message would send (TemplateError if refused)."""
    conversation = Conversation(system_prompt=system_prompt)
    conversation.add_user(user_prompt)
    return template.render(conversation.turns())


# --- files -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedExperiment:
    """One file in the experiments folder, for the Open list; error says why it cannot be opened."""

    path: Path
    name: str
    created: str
    error: str | None = None


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    return slug or "experiment"


def _stamp(created: str) -> str:
    try:
        moment = datetime.fromisoformat(created)
    except ValueError:
        moment = datetime.now(timezone.utc)
    return moment.astimezone().strftime("%Y%m%d-%H%M%S")  # local time: the person reads these names


def save_experiment(experiment: Experiment, folder: Path) -> Path:
    """Write `<folder>/<timestamp>-<slug>.json` atomically, never over another file; ExperimentError on failure."""
    folder = Path(folder)
    stem = f"{_stamp(experiment.created)}-{slugify(experiment.name)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}.json"
        n = 2
        while path.exists():
            path = folder / f"{stem}-{n}.json"
            n += 1
        write_text_atomic(path, experiment.to_json())
    except OSError as exc:
        raise ExperimentError(translate("ExperimentError", "Could not save the experiment in {folder}: {error}").format(
            folder=folder, error=os_reason(exc))) from exc
    return path


def load_experiment(path: Path) -> Experiment:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExperimentError(translate("ExperimentError", "Could not read {file}: {error}").format(
            file=Path(path).name, error=os_reason(exc) if isinstance(exc, OSError) else exc)) from exc
    try:
        return Experiment.from_json(text)
    except ExperimentError as exc:
        raise ExperimentError(f"{Path(path).name}: {exc}") from exc


def list_experiments(folder: Path) -> list[SavedExperiment]:
    """Saved experiments, newest first (file names start with the time); damaged ones are listed with why."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.json"), key=lambda p: p.name, reverse=True):
        if path.name.startswith("."):
            continue
        try:
            experiment = load_experiment(path)
        except ExperimentError as exc:
            found.append(SavedExperiment(path, path.stem, "", str(exc)))
            continue
        found.append(SavedExperiment(path, experiment.name, experiment.created))
    return found


# --- model hashes ------------------------------------------------------------------------------------------------


def model_sha256(path: Path, cache_file: Path, should_stop: Callable[[], bool] = lambda: False) -> str:
    """SHA-256 of a model file, remembered by (path, size, mtime) in cache_file so each file is read once.

    OSError when the model cannot be read (InterruptedError when stopped); a cache that cannot be read or
    written is simply ignored.
    """
    path = Path(path)
    stat = path.stat()
    key = str(path.resolve())
    cache = _read_cache(cache_file)
    entry = cache.get(key)
    if (isinstance(entry, dict) and entry.get("size") == stat.st_size and entry.get("mtime_ns") == stat.st_mtime_ns
            and isinstance(entry.get("sha256"), str)):
        return str(entry["sha256"])
    sha = file_sha256(path, should_stop)
    cache = _read_cache(cache_file)  # another save may have added entries while we were hashing
    cache[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha}
    try:
        Path(cache_file).parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(Path(cache_file), json.dumps({"version": HASH_CACHE_VERSION, "files": cache}, indent=1))
    except OSError:
        pass  # a read-only data folder only costs hashing again next time
    return sha


def _read_cache(cache_file: Path) -> dict[str, Any]:
    try:
        raw = json.loads(Path(cache_file).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(raw, dict) or raw.get("version") != HASH_CACHE_VERSION or not isinstance(raw.get("files"), dict):
        return {}
    return dict(raw["files"])
