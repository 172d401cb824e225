"""File names from a Hub server, checked before anything touches the disk.

A repository path such as "Q4_K_M/model-Q4_K_M.gguf" is saved under its last component only, directly in the
models folder. A server can list any name, so a path is refused when it could climb out of that folder or hide
in it on any system Parley runs on: absolute paths, "." or ".." components, backslashes and drive letters,
control characters, a leading dot, characters or device names Windows forbids, and names too long for a file
system (with room for the partial file's prefix and suffix).
"""

from __future__ import annotations

import re

from desktop.core.i18n import translate
from desktop.core.terminal import terminal_safe

__all__ = ["MAX_NAME_BYTES", "refusal", "shown_name", "unsafe_name_reason"]

MAX_NAME_BYTES = 200  # a file name (UTF-8); file systems allow 255, and the partial file adds to it
_WINDOWS_FORBIDDEN = set('<>:"|?*')
_WINDOWS_DEVICES = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$", re.IGNORECASE)


def unsafe_name_reason(path: str) -> str | None:
    """Why Parley will not save the repository file `path` (a short phrase), or None when its name is plain."""
    if not path:
        return translate("HubError", "it is empty")
    if "\\" in path:
        return translate("HubError", "it contains a backslash, which is a folder separator on Windows")
    if not all(char.isprintable() for char in path):
        return translate("HubError", "it contains control or invisible characters")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return translate("HubError", "it is an absolute path")
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return translate("HubError", 'it has an empty, "." or ".." folder in its path')
    name = parts[-1]
    if name.startswith("."):
        return translate("HubError", "it starts with a dot (a hidden file)")
    if _WINDOWS_FORBIDDEN & set(name):
        return translate("HubError", 'it contains one of < > : " | ? *, which Windows does not allow in file names')
    if _WINDOWS_DEVICES.match(name) or name.endswith((" ", ".")):
        return translate("HubError", "it is a name Windows reserves")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return translate("HubError", "it is longer than {most} bytes").format(most=MAX_NAME_BYTES)
    return None


def shown_name(path: str, limit: int = 80) -> str:
    """A file name for a message: control characters escaped, very long names shortened."""
    safe = terminal_safe(path)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


def refusal(path: str, repo_id: str, reason: str) -> str:
    """The message for a refused file name; it names the file (escaped) and the reason."""
    return translate("HubError", "Parley refuses the file name \"{name}\" from {repo}: {reason}. Only plain file names "
                     "are downloaded into the models folder; ask the repository's owner to rename it.").format(
        name=shown_name(path), repo=terminal_safe(repo_id), reason=reason)
