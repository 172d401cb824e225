"""GGUFError, the one exception for a model file Parley will not load, and the pieces its messages are built from.

Its own module so that the header reader (gguf_header) and the validation (gguf_file) raise the same type.
"""

from __future__ import annotations

from pathlib import Path

from desktop.core.errors import ParleyError
from desktop.core.i18n import translate

__all__ = ["GGUFError", "byte_size", "quoted", "redownload_hint"]


def redownload_hint() -> str:
    return translate("GGUFError", "Download the file again, or choose another model.")


class GGUFError(ParleyError):
    """A file Parley will not hand to llama.cpp.

    str() is a complete user-facing message naming the file, the problem and what to do.
    """

    def __init__(self, path: Path, problem: str, hint: str | None = None) -> None:
        self.path = path
        self.problem = problem
        self.hint = hint = redownload_hint() if hint is None else hint
        super().__init__(translate("GGUFError", 'Parley cannot use the model file "{path}": {problem}. {hint}').format(
            path=path, problem=problem, hint=hint))

    def __reduce__(self) -> tuple[type[GGUFError], tuple[Path, str, str]]:
        return GGUFError, (self.path, self.problem, self.hint)  # picklable despite the custom __init__


def quoted(name: str) -> str:
    """Quote a name from the file for a message; a damaged file's names can be long binary junk."""
    shown = "".join(c if c.isprintable() else "?" for c in name[:60])
    return f"'{shown}...'" if len(name) > 60 else f"'{shown}'"


def byte_size(n: int) -> str:
    if n == 1:
        return translate("GGUFError", "1 byte")
    if n < 1_000_000:
        return translate("GGUFError", "{count} bytes").format(count=f"{n:,}")
    return f"{n / 1_000_000:,.1f} MB"
