"""Markdown as people type it in a chat: a single line break is a line break.

CommonMark joins consecutive lines into one paragraph ("line one⏎line two" shows as "line one line two"), which
loses the shape of lists, addresses and poems that models and people write without blank lines. Every line that
another line follows gets a hard break (two trailing spaces), except inside fenced code and in tables.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def with_line_breaks(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    fence = ""
    for n, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            out.append(line)
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) \
                    and not line[opening.end():].strip():
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        following = lines[n + 1] if n + 1 < len(lines) else ""
        if (line.strip() and following.strip() and not line.endswith(("  ", "\\"))
                and not _table_row(line) and not _FENCE.match(following)):
            line += "  "
        out.append(line)
    return "\n".join(out)


def _table_row(line: str) -> bool:
    return line.lstrip().startswith("|")
