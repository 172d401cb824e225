"""`parley COMMAND …`: the terminal commands by name, each imported only when it runs (so `parley chats` does not
load llama.cpp, and none of them loads Qt). The window is not here: desktop/__main__.py opens it for anything that
is not a command, keeping this package free of Qt."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

Command = Callable[[Sequence[str]], int]

COMMANDS = {
    "models": "the model library and Hugging Face downloads",
    "chats": "list, export and import saved conversations",
    "eval": "score a few-shot template over a data file",
    "runs": "saved few-shot runs: list, compare, replay",
    "score": "perplexity of a text file",
}


def is_command(argv: Sequence[str]) -> bool:
    """Whether argv names a terminal command; anything else (options, a model file) is for the window."""
    return bool(argv) and argv[0] in COMMANDS


def command(name: str) -> Command:
    if name == "models":
        from desktop.cli.models import main as models

        return models
    if name == "chats":
        from desktop.cli.chats import main as chats

        return chats
    if name == "eval":
        from desktop.cli.eval import main as evaluate

        return evaluate
    if name == "runs":
        from desktop.cli.runs import main as runs

        return runs
    if name == "score":
        from desktop.cli.score import main as score

        return score
    raise KeyError(name)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `COMMAND ARGS…`; a missing or unknown command is a usage error (exit 2) naming the commands."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not is_command(argv):
        given = f"unknown command {argv[0]!r}" if argv else "no command given"
        names = "\n".join(f"  {name:8} {what}" for name, what in COMMANDS.items())
        print(f"usage: parley COMMAND …\nparley: error: {given}; the commands are:\n{names}", file=sys.stderr)
        return 2
    return command(argv[0])(argv[1:])
