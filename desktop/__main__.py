"""`parley` and `python -m desktop`: a terminal command (`parley models list`, see desktop.cli.main) runs without
ever importing Qt; anything else (no arguments, options, a model file) opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from desktop.cli.main import is_command
from desktop.cli.main import main as run_command


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if is_command(argv):
        return run_command(argv)
    from desktop.app import main as open_window  # PySide6 and the widgets load here, for the window only

    return open_window(argv)


if __name__ == "__main__":
    raise SystemExit(main())
