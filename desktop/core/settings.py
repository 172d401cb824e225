"""Small versioned settings file: last model, per-model settings, folders, offline mode, the chat's sampling.

A damaged file is kept beside the new one and a newer version's file is never overwritten; either way the person is
told (Settings.notice, put into words when read: settings load before the interface language is known). Saving
writes only what this session changed over what is on disk then, so two windows on one data folder do not undo each
other's settings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from desktop.core.files import set_aside, write_text_atomic
from desktop.core.i18n import translate
from desktop.core.os_reason import os_reason

SCHEMA_VERSION = 3
GPU_LAYERS_ALL = -1
DEFAULT_CONTEXT = 4096  # tokens, when the person has not chosen one (capped by the model's trained length)
DEFAULT_ENGINE_TIMEOUT = 120.0  # seconds: a big model's first token on a busy server can take a minute
MAX_BYTES = 16 * 1024 * 1024  # far more than any real settings file; a bigger one is damage, not settings


class _DamagedError(Exception):
    """The file is there but is not a settings file; args[0] says why (a function: the words are chosen when the
    notice is read, in the language installed by then)."""

    def reason(self) -> str:
        why: Callable[[], str] = self.args[0]
        return why()


class _NewerError(Exception):
    """The file was written by a newer Parley (args[0]: its schema version)."""


@dataclass
class ModelSettings:
    """Remembered per model file; None means Parley's default."""

    context_length: int | None = None
    gpu_layers: int | None = None  # -1 all, 0 none, n layers
    template: str = "auto"
    system_prompt: str | None = None
    sampling_preset: str | None = None

    @classmethod
    def from_dict(cls, raw: object) -> ModelSettings:
        return cls.checked(raw)[0]

    @classmethod
    def checked(cls, raw: object) -> tuple[ModelSettings, bool]:
        """The well-typed fields of raw, and whether anything had to be dropped."""
        if not isinstance(raw, dict):
            return cls(), True
        known = {f.name: f.type for f in fields(cls)}
        clean: dict[str, Any] = {}
        dropped = False
        for key, value in raw.items():
            if key not in known or value is None:
                continue
            expected = int if "int" in str(known[key]) else str
            if isinstance(value, expected) and not isinstance(value, bool):
                clean[key] = value
            else:
                dropped = True
        return cls(**clean), dropped


@dataclass
class Settings:
    last_model: str | None = None
    system_prompt: str = ""
    extra_model_folders: list[str] = field(default_factory=list)
    models: dict[str, ModelSettings] = field(default_factory=dict)
    offline: bool = False
    window_layout: dict[str, str] = field(default_factory=dict)  # Qt geometry/splitter states, base64
    first_run_done: bool = False  # the welcome panel was dismissed (or Parley ran before it existed)
    sampling: dict[str, float] = field(default_factory=dict)  # the person's own sampling values; {}: the defaults
    sampling_preset: str = ""  # the preset those values came from ("Custom" when edited); "": the default
    engines: dict[str, str] = field(default_factory=dict)  # servers by name: their base URLs (keys: KeyStore)
    engine_timeout: float = DEFAULT_ENGINE_TIMEOUT  # seconds a server may stay silent before a request fails
    language: str = ""  # the interface language ("en", "zh_CN"); "": the system's

    def __post_init__(self) -> None:
        self._notice: Callable[[], str] | None = None  # what load found wrong with the file, put into words
        self._snapshot: dict[str, Any] | None = None  # as on disk when loaded or last saved; None: the defaults
        self._keep_file = False  # a newer or unreadable file: never written over this session

    @property
    def notice(self) -> str | None:
        """For the person: what load found wrong with the file, if anything, in the language installed now."""
        return self._notice() if self._notice is not None else None

    def for_model(self, path: str | Path) -> ModelSettings:
        return self.models.setdefault(str(path), ModelSettings())

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Never raises: a missing file gives defaults; a damaged, newer or unreadable one gives defaults (or the
        good part) and a notice, and a damaged one is moved aside as settings.json.damaged-<time>."""
        path = Path(path)
        try:
            raw = _read(path)
        except FileNotFoundError:
            return cls()
        except _NewerError as newer:
            settings = cls()
            settings._keep_file = True
            version = newer.args[0]
            settings._notice = lambda: translate(
                "Settings", "Parley's settings file {path} was written by a newer version of Parley (settings "
                "version {version}; this version knows {known}). This session uses the default settings and leaves "
                "that file unchanged; update Parley to use them.").format(path=path, version=version,
                                                                            known=SCHEMA_VERSION)
            return settings
        except _DamagedError as damage:
            settings = cls()
            reason = damage.reason
            settings._set_aside(path, lambda: translate(
                "Settings", "Parley's settings file {path} could not be used ({reason}), so Parley starts with its "
                "default settings.").format(path=path, reason=reason()))
            return settings
        except OSError as exc:
            settings = cls()
            settings._keep_file = True
            error = os_reason(exc)
            settings._notice = lambda: translate(
                "Settings", "Parley could not read its settings file {path} ({error}), so it uses the default "
                "settings this session and leaves that file as it is.").format(path=path, error=error)
            return settings
        settings, problems = _parse(raw)
        if problems:
            keys = ", ".join(problems)
            settings._set_aside(path, lambda: translate(
                "Settings", "Some of Parley's settings in {path} had values of the wrong kind ({keys}) and were "
                "reset to their defaults; the others were kept.").format(path=path, keys=keys))
        else:
            settings._snapshot = asdict(settings)
        return settings

    def _set_aside(self, path: Path, what: Callable[[], str]) -> None:
        try:
            copy = set_aside(path)
        except OSError as exc:
            self._keep_file = True
            error = os_reason(exc)
            self._notice = lambda: translate(
                "Settings", "{what} The file could not be kept aside ({error}), so Parley leaves it as it is and does "
                "not save settings this session.").format(what=what(), error=error)
            return
        self._notice = lambda: translate("Settings", "{what} The original file was kept as {copy}.").format(
            what=what(), copy=copy)

    def changed(self) -> bool:
        """Whether anything differs from what was loaded or last saved: what a periodic save checks first."""
        return asdict(self) != (asdict(Settings()) if self._snapshot is None else self._snapshot)

    def save(self, path: Path) -> None:
        """Write the settings this session changed over what the file holds now, atomically; OSError on failure.

        Writes nothing over a file from a newer Parley, or one that could not be read at start."""
        path = Path(path)
        if self._keep_file:
            return
        try:
            disk = _read(path)
        except FileNotFoundError:
            disk = {}
        except _NewerError:
            self._keep_file = True
            return
        except _DamagedError:
            set_aside(path)
            disk = {}
        current = asdict(self)
        before = asdict(Settings()) if self._snapshot is None else self._snapshot
        merged = _merge({**disk, **asdict(_parse(disk)[0])} if disk else {}, before, current, depth=2)
        merged.pop("schema_version", None)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps({"schema_version": SCHEMA_VERSION, **merged}, indent=2))
        self._snapshot = current



def _read(path: Path) -> dict[str, Any]:
    """The file's settings object brought up to SCHEMA_VERSION; FileNotFoundError, another OSError, _DamagedError
    or _NewerError otherwise."""
    with open(path, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _DamagedError(lambda: translate("Settings", "it is larger than {size} MB").format(
            size=MAX_BYTES // (1024 * 1024)))
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _DamagedError(lambda: translate("Settings", "it is not UTF-8 text")) from None
    except RecursionError:  # nested deeper than the parser goes
        raise _DamagedError(lambda: translate("Settings", "it is nested too deeply")) from None
    except ValueError:
        raise _DamagedError(lambda: translate("Settings", "it is not valid JSON; perhaps it was cut short")) from None
    if not isinstance(raw, dict):
        raise _DamagedError(lambda: translate("Settings", "it holds no settings"))
    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _DamagedError(lambda: translate("Settings", "it has no valid settings version"))
    if version > SCHEMA_VERSION:
        raise _NewerError(version)
    return _migrate(raw)


def _parse(raw: dict[str, Any]) -> tuple[Settings, list[str]]:
    """Settings from the well-typed values of raw, and the names of the keys whose values were not."""
    problems: list[str] = []

    def take(key: str, ok: Callable[[Any], bool], default: Any) -> Any:
        if key not in raw:
            return default
        if ok(raw[key]):
            return raw[key]
        problems.append(key)
        return default

    folders = take("extra_model_folders", lambda v: isinstance(v, list) and all(isinstance(f, str) for f in v), [])
    layout = take("window_layout", lambda v: isinstance(v, dict) and all(isinstance(s, str) for s in v.values()),
                  {})
    models: dict[str, ModelSettings] = {}
    raw_models = take("models", lambda v: isinstance(v, dict), {})
    for key, value in raw_models.items():
        models[str(key)], dropped = ModelSettings.checked(value)
        if dropped and "models" not in problems:
            problems.append("models")
    settings = Settings(
        last_model=take("last_model", lambda v: v is None or isinstance(v, str), None),
        system_prompt=take("system_prompt", lambda v: isinstance(v, str), ""),
        extra_model_folders=list(folders),
        models=models,
        offline=take("offline", lambda v: isinstance(v, bool), False),
        window_layout=dict(layout),
        first_run_done=take("first_run_done", lambda v: isinstance(v, bool), False),
        sampling=dict(take("sampling", _is_sampling, {})),
        sampling_preset=take("sampling_preset", lambda v: isinstance(v, str), ""),
        engines=dict(take("engines", lambda v: isinstance(v, dict) and all(
            isinstance(k, str) and isinstance(u, str) for k, u in v.items()), {})),
        language=take("language", lambda v: isinstance(v, str) and len(v) <= 16, ""),
        engine_timeout=float(take("engine_timeout", lambda v: isinstance(v, (int, float)) and not isinstance(
            v, bool) and 1 <= v <= 3600, DEFAULT_ENGINE_TIMEOUT)),
    )
    return settings, problems


def _is_sampling(value: Any) -> bool:
    """Names to numbers; whether the numbers are in range is the sampling panel's to check."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) for k, v in value.items())


_MISSING = object()


def _merge(disk: dict[str, Any], before: dict[str, Any], now: dict[str, Any], depth: int) -> dict[str, Any]:
    """disk with what changed from before to now applied; nested objects (per-model settings, window layout)
    key by key down to `depth` levels."""
    merged = dict(disk)
    for key, value in now.items():
        old = before.get(key, _MISSING)
        if value == old and key in merged:
            continue  # this session did not change it: whatever is on disk now stays
        inner = merged.get(key)
        if depth and isinstance(value, dict) and isinstance(inner, dict):
            merged[key] = _merge(inner, old if isinstance(old, dict) else {}, value, depth - 1)
        else:
            merged[key] = value
    for key in before.keys() - now.keys():  # removed in this session
        merged.pop(key, None)
    return merged


def _migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """Bring an older file up to SCHEMA_VERSION, one step at a time."""
    if raw.get("schema_version") == 1:  # 1 kept only chat-template choices per model
        overrides = raw.pop("template_overrides", {})
        models = overrides if isinstance(overrides, dict) else {}
        raw["models"] = {path: {"template": choice} for path, choice in models.items() if isinstance(choice, str)}
        raw["schema_version"] = 2
    if raw.get("schema_version") == 2:  # 3 added first_run_done; a file from 2 means Parley has run here before
        raw["first_run_done"] = True
        raw["schema_version"] = 3
    return raw
