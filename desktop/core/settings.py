"""Small versioned settings file (last model, per-model chat-template choice).

Issue 5 moves settings into the database; the schema version lets it migrate this file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1


@dataclass
class Settings:
    last_model: str | None = None
    template_overrides: dict[str, str] = field(default_factory=dict)
    system_prompt: str = ""
    extra_model_folders: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Settings:
        """A missing or unreadable file gives defaults: settings are never worth failing start-up for."""
        try:
            raw: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict) or raw.get("schema_version") != SCHEMA_VERSION:
            return cls()
        overrides = raw.get("template_overrides", {})
        return cls(
            last_model=raw.get("last_model") if isinstance(raw.get("last_model"), str) else None,
            template_overrides={str(k): str(v) for k, v in overrides.items()} if isinstance(overrides, dict) else {},
            system_prompt=str(raw.get("system_prompt") or ""),
            extra_model_folders=[str(f) for f in raw.get("extra_model_folders", []) if isinstance(f, str)]
            if isinstance(raw.get("extra_model_folders"), list) else [],
        )

    def save(self, path: Path) -> None:
        """Write atomically so a crash mid-write never leaves a half file."""
        payload = {
            "schema_version": SCHEMA_VERSION,
            "last_model": self.last_model,
            "template_overrides": self.template_overrides,
            "system_prompt": self.system_prompt,
            "extra_model_folders": self.extra_model_folders,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        os.replace(tmp, path)
