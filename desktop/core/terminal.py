"""Text from a model, a file or a server, printed to a terminal: control characters become visible escapes, so
names like "ESC]0;…BEL" can neither retitle nor clear the person's terminal."""

from __future__ import annotations


def terminal_safe(text: object, keep_newlines: bool = False) -> str:
    """str(text) with every non-printable character written as \\xNN, \\uNNNN (newlines and tabs kept on request)."""
    kept = "\n\t" if keep_newlines else ""
    out = []
    for char in str(text):
        if char.isprintable() or char in kept:
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)
