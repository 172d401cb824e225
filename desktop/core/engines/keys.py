"""Engines' API keys: in the system keychain through `keyring` where the platform has one, else in a file only its
owner can read (and the person is told which). Never in settings.json, logs, exports or run records."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from desktop.core.files import write_text_atomic
from desktop.core.i18n import translate

SERVICE = "Parley engines"


def _usable_keyring() -> object | None:
    """The system keychain, or None where keyring has only its failing or plaintext stand-ins."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is no keychain
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) < 1:
        return None
    return backend


class KeyStore:
    """API keys by engine name. `use_keychain=False` (tests, a portable install) keeps them in the file."""

    def __init__(self, file: Path, use_keychain: bool = True) -> None:
        self.file = Path(file)
        self._use_keychain = use_keychain
        self._found: object | None = None
        self._looked = False

    @property
    def _keychain(self) -> object | None:
        """Looked for on first use: finding keyring's backends costs start-up time nobody without engines needs."""
        if not self._looked:
            self._looked = True
            self._found = _usable_keyring() if self._use_keychain else None
        return self._found

    @property
    def where(self) -> str:
        """For the Engines dialog: where a key typed there is kept."""
        if self._keychain is not None:
            return translate("KeyStore", "API keys are kept in the system keychain.")
        return translate("KeyStore", "This computer has no keychain Parley can use, so API keys are kept in {file}, "
                         "a file only your user account can read.").format(file=self.file)

    def get(self, engine: str) -> str | None:
        if self._keychain is not None:
            try:
                value = self._keychain.get_password(SERVICE, engine)  # type: ignore[attr-defined]
                return value if isinstance(value, str) and value else None
            except Exception:  # a locked or failing keychain: fall back to the file
                pass
        return self._read().get(engine)

    def set(self, engine: str, key: str | None) -> None:
        """Keep `key` for the engine; None or "" forgets it."""
        if not key:
            self.delete(engine)
            return
        if self._keychain is not None:
            try:
                self._keychain.set_password(SERVICE, engine, key)  # type: ignore[attr-defined]
                return
            except Exception:
                pass
        keys = self._read()
        keys[engine] = key
        self._write(keys)

    def delete(self, engine: str) -> None:
        if self._keychain is not None:
            with contextlib.suppress(Exception):  # not there, or a failing keychain
                self._keychain.delete_password(SERVICE, engine)  # type: ignore[attr-defined]
        keys = self._read()
        if keys.pop(engine, None) is not None:
            self._write(keys)

    def _read(self) -> dict[str, str]:
        try:
            raw = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict):
            return {}
        return {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)}

    def _write(self, keys: dict[str, str]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        if not self.file.exists():  # created private, so the atomic write keeps the mode 0600
            os.close(os.open(self.file, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(self.file, 0o600)
        write_text_atomic(self.file, json.dumps(keys, indent=2))
