"""An engine the person added (a name and a base URL), and how a model it serves is named inside Parley.

A remote model is identified by a path-like reference, ``engine:NAME/MODEL``, so everything keyed by a model's path
(settings per model, the last model, Compare's columns, run records) works for it unchanged. No real file has that
name: ``engine:`` is not a folder anyone keeps models in, and `is_remote` is checked before any file access.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from desktop.core.i18n import translate

LOCAL_ENGINE = "This computer"  # the in-process llama.cpp, always first in the list
SCHEME = "engine:"
MAX_NAME = 40


@dataclass(frozen=True)
class EngineConfig:
    """A server by name and base URL (``http://gpu-box:8080``; a trailing ``/v1`` is allowed and ignored)."""

    name: str
    url: str

    @property
    def root(self) -> str:
        """The server's root URL, without a trailing slash or ``/v1``."""
        root = self.url.strip().rstrip("/")
        return root[:-3] if root.endswith("/v1") else root

    @property
    def public_root(self) -> str:
        """The root URL without user:password@, for run records, logs and messages."""
        parts = urlsplit(self.root)
        if parts.username is None and parts.password is None:
            return self.root
        host = parts.hostname or ""
        netloc = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port is not None else "")
        return parts._replace(netloc=netloc).geturl()

    @property
    def api_base(self) -> str:
        """Where the OpenAI-compatible API lives."""
        return self.root + "/v1"

    @property
    def host(self) -> str:
        return urlsplit(self.root).hostname or ""

    @property
    def loopback(self) -> bool:
        """On this computer (127.0.0.0/8, ::1, localhost): allowed in offline mode, nothing leaves the machine."""
        return is_loopback_host(self.host)

    @property
    def unencrypted(self) -> bool:
        """Plain http to another machine: prompts and replies travel readable by anyone on the network."""
        return urlsplit(self.root).scheme == "http" and not self.loopback


def is_loopback_host(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def engine_problem(name: str, url: str, taken: set[str] | frozenset[str] = frozenset()) -> str | None:
    """What is wrong with a new engine's name or URL, as a sentence for the person; None when it can be added."""
    name = name.strip()
    if not name:
        return translate("EngineConfig", "Give the engine a name, such as \u201cgpu-box\u201d.")
    if len(name) > MAX_NAME:
        return translate("EngineConfig", "The engine's name is too long: keep it under {count} characters.").format(
            count=MAX_NAME)
    if "/" in name or not name.isprintable():
        return translate("EngineConfig", "The engine's name cannot contain \u201c/\u201d or control characters.")
    if name == LOCAL_ENGINE or name in taken:
        return translate("EngineConfig", "There is already an engine called \u201c{name}\u201d: choose another "
                         "name.").format(name=name)
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return translate("EngineConfig", "The URL must start with http:// or https:// and name a server, such as "
                         "http://gpu-box:8080 (llama-server) or http://gpu-box:8000 (vLLM).")
    try:
        parts.port  # noqa: B018  # raises on a port that is not a number
    except ValueError:
        return translate("EngineConfig", "The URL's port is not a number.")
    if parts.query or parts.fragment:
        return translate("EngineConfig", "The URL should be the server's base address, without ?query or #fragment.")
    return None


def unencrypted_warning(engine: EngineConfig) -> str:
    return translate("EngineConfig", "{name} is reached over plain http:// on another machine: your prompts and the "
                     "replies travel unencrypted over the network. Use https:// (or an SSH tunnel to a loopback "
                     "address) to keep them private.").format(name=engine.name)


def offline_message(engine_name: str) -> str:
    return translate("EngineConfig", "Offline mode is on, so Parley does not connect to {name}, which is not on this "
                     "computer. Turn off File \u203a Offline mode to use it.").format(name=engine_name)


def remote_path(engine: str, model: str) -> Path:
    """The model reference for `model` served by the engine called `engine`."""
    return Path(f"{SCHEME}{engine}/{model}")


def is_remote(path: str | Path) -> bool:
    return str(path).startswith(SCHEME)


def split_remote(path: str | Path) -> tuple[str, str]:
    """(engine name, model id) of a remote reference; ValueError for anything else."""
    text = str(path)
    if not text.startswith(SCHEME) or "/" not in text:
        raise ValueError(f"{text} is not a model on an engine")
    engine, model = text[len(SCHEME):].split("/", 1)
    return engine, model


def remote_label(path: str | Path) -> str:
    """\u201cQwen3-32B on gpu-box\u201d."""
    engine, model = split_remote(path)
    return translate("EngineConfig", "{model} on {engine}").format(model=model.rsplit("/", 1)[-1], engine=engine)
