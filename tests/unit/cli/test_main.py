"""The terminal commands start without Qt, dispatched by name; the entry points name functions that exist."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import COMMANDS, main

ROOT = Path(__file__).resolve().parents[3]
QT_LOADED = "print(sorted(m for m in ('PySide6', 'desktop.ui', 'desktop.app') if m in sys.modules))"


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)


@pytest.mark.parametrize("command", [["models", "list"], ["chats", "list"], ["runs", "list"]])
def test_a_command_runs_without_loading_qt(tmp_path: Path, command: list[str]) -> None:
    argv = [*command, "--data-dir", str(tmp_path / "data")]
    done = python(f"import sys\nfrom desktop.cli.main import main\ncode = main({argv!r})\n{QT_LOADED}\n"
                  "sys.exit(code)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout


def test_parley_dispatches_commands_before_qt(tmp_path: Path) -> None:
    """The `parley` entry point (desktop/__main__.py): the window's modules load only for the window."""
    done = python(f"import sys\nfrom desktop.__main__ import main\nmain(['models', 'list', '--data-dir', "
                  f"{str(tmp_path / 'data')!r}])\n{QT_LOADED}")
    assert done.returncode == 0, done.stderr
    assert "No models in" in done.stdout and done.stdout.strip().splitlines()[-1] == "[]"


def test_every_command_module_imports_without_qt() -> None:
    modules = ", ".join(f"desktop.cli.{name}" for name in COMMANDS)
    done = python(f"import sys\nimport {modules}\n{QT_LOADED}")
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr


def test_an_unknown_command_names_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["modles", "list"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'modles'" in err and all(name in err for name in COMMANDS)


def entry_points(section: str) -> dict[str, str]:
    """[project.<section>] of pyproject.toml (read as text: tomllib is Python 3.11+)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split(f"[project.{section}]\n", 1)[1]
    lines = text.split("\n\n", 1)[0].splitlines()
    return {name.strip(): target.strip().strip('"') for name, _, target in (line.partition("=") for line in lines)}


def test_the_entry_points_name_real_functions() -> None:
    console, gui = entry_points("scripts"), entry_points("gui-scripts")
    assert console == {"parley": "desktop.__main__:main"}  # a console: the commands print on Windows
    assert gui == {"parley-gui": "desktop.app:main"}  # the window alone, without a console window
    for target in (console["parley"], gui["parley-gui"]):
        module, _, name = target.partition(":")
        assert callable(getattr(importlib.import_module(module), name))
