"""Parley's window: `parley-gui`, or `parley` without a command (desktop/__main__.py runs the commands first).

The composition root, by feature (each builder connects its own signals and registers its own shutdown step):
- `build.py`       create_window: the table of contents, returning the typed `Parley` record (`parts.py`)
- `shell.py`       data folder, settings, the window, the model session and its job queue; welcome; start model
- `chat.py`        the chat controller, saved conversations, import and export, shortcuts
- `models.py`      the library (Models page), Hugging Face, downloads, File › Open model
- `experiments.py` Few-shot, Perplexity, Compare
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from desktop.app.build import create_window
from desktop.app.parts import Parley
from desktop.app.shell import startup_model
from desktop.core.models.builtin import library_models
from desktop.core.paths import DATA_DIR_ENV, DataDirs
from desktop.core.settings import Settings
from desktop.ui.shell.error_dialog import start_error_reporting
from desktop.ui.shell.main_window import MainWindow
from desktop.ui.shell.quit_signals import quit_on_signals
from desktop.ui.theme import follow_color_scheme

__all__ = ["Parley", "create_window", "main", "parse_args", "startup_model"]


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="parley",
        description="Private, offline chat with local GGUF models. `parley models --help` manages the library.",
    )
    parser.add_argument("--model", metavar="PATH", help="open this GGUF model file")
    parser.add_argument("file", nargs="?", metavar="MODEL.gguf",
                        help="open this GGUF model file, like --model (what a file manager passes)")
    parser.add_argument(
        "--data-dir", metavar="DIR", help=f"keep all user data under DIR (also ${DATA_DIR_ENV})"
    )
    parser.add_argument(
        "--self-test", action="store_true",
        help="load the model (the built-in one unless --model), answer one short message, print timings and exit "
             "0 on success; uses a temporary data folder unless --data-dir is given",
    )
    return parser.parse_args(argv)


def run_self_test(app: QApplication, args: argparse.Namespace, started: float) -> int:
    """--self-test: the full window on a throwaway data folder, so a bundle can be checked without touching data."""
    from desktop.ui.shell import self_test

    with tempfile.TemporaryDirectory(prefix="parley-self-test-", ignore_cleanup_errors=True) as scratch:
        data_dir = args.data_dir or os.environ.get(DATA_DIR_ENV) or scratch
        try:
            dirs = DataDirs.resolve(data_dir)
            dirs.create()
            model = args.model or args.file
            if not model and not library_models(dirs.models):
                model = startup_model(dirs, Settings(), None)  # the chat built-in; BuiltinMissingError without both
            parts = create_window(data_dir, model)
        except Exception as exc:  # a missing model package or an unwritable folder: report it, do not crash
            print(f"self-test: FAILED: {type(exc).__name__}: {exc}", flush=True)
            return 1
        parts.window.show()
        return self_test.run(app, parts.window, parts.controller, started)


def main(argv: Sequence[str] | None = None) -> int:
    """The window (`parley-gui`); `parley` runs the terminal commands first, without Qt (desktop/__main__.py)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    started = time.perf_counter()
    args = parse_args(argv)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Parley")
    app.setOrganizationName("Parley")
    app.setDesktopFileName("io.github.parley.Parley")  # Wayland matches the window to the launcher and its icon
    follow_color_scheme(app)  # the system's light or dark scheme, now and when it changes
    if args.self_test:
        return run_self_test(app, args, started)
    start_error_reporting(DataDirs.resolve(args.data_dir).logs, app)  # parley.log, crash.log, the error dialog
    shown: list[MainWindow] = []

    def close_like_the_window() -> None:  # Ctrl+C or SIGTERM: the reply so far and the settings are saved
        for window in shown:
            window.close()
        app.quit()

    with quit_on_signals(close_like_the_window):
        shown.append(create_window(args.data_dir, args.model or args.file).window)
        shown[0].show()
        return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
