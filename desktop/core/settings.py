"""Small versioned settings file: last model, per-model settings, folders, offline mode.

Issue 5 moves settings into the database; the schema version lets it migrate this file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from desktop.core.files import write_text_atomic

SCHEMA_VERSION = 3
GPU_LAYERS_ALL = -1
DEFAULT_CONTEXT = 4096  # tokens, when the person has not chosen one (capped by the model's trained length)


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
        if not isinstance(raw, dict):
            return cls()
        known = {f.name: f.type for f in fields(cls)}
        clean: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in known or value is None:
                continue
            expected = int if "int" in str(known[key]) else str
            if isinstance(value, expected) and not isinstance(value, bool):
                clean[key] = value
        return cls(**clean)


@dataclass
class Settings:
    last_model: str | None = None
    system_prompt: str = ""
    extra_model_folders: list[str] = field(default_factory=list)
    models: dict[str, ModelSettings] = field(default_factory=dict)
    offline: bool = False
    window_layout: dict[str, str] = field(default_factory=dict)  # Qt geometry/splitter states, base64
    first_run_done: bool = False  # the welcome panel was dismissed (or Parley ran before it existed)

    def for_model(self, path: str | Path) -> ModelSettings:
        return self.models.setdefault(str(path), ModelSettings())

    @classmethod
    def load(cls, path: Path) -> Settings:
        """A missing, unreadable or newer file gives defaults: settings are never worth failing start-up for."""
        try:
            raw: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
            return cls()
        if not isinstance(raw, dict):
            return cls()
        raw = _migrate(raw)
        if raw.get("schema_version") != SCHEMA_VERSION:
            return cls()
        folders = raw.get("extra_model_folders")
        models = raw.get("models")
        layout = raw.get("window_layout")
        return cls(
            last_model=raw["last_model"] if isinstance(raw.get("last_model"), str) else None,
            system_prompt=raw["system_prompt"] if isinstance(raw.get("system_prompt"), str) else "",
            extra_model_folders=[f for f in folders if isinstance(f, str)] if isinstance(folders, list) else [],
            models={str(k): ModelSettings.from_dict(v) for k, v in models.items()} if isinstance(models, dict) else {},
            offline=raw.get("offline") is True,
            window_layout={str(k): v for k, v in (layout if isinstance(layout, dict) else {}).items()
                           if isinstance(v, str)},
            first_run_done=raw.get("first_run_done") is True,
        )

    def save(self, path: Path) -> None:
        """Write atomically so a crash mid-write never leaves a half file."""
        payload = {"schema_version": SCHEMA_VERSION, **asdict(self)}
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(payload, indent=2))


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
