"""`parley score`: the perplexity of a text file under a local model, from a terminal.

No Qt: it drives the backend's score_text directly (LlamaBackend, or with --engine a server's RemoteBackend), the
same code the Perplexity page runs on the worker, so the numbers match the page's for the same model and context.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from desktop.cli.common import BUILTIN, UsageError, add_data_dir, add_engine, check_context, open_model
from desktop.core.instruments.perplexity import ScoredToken, TextScore
from desktop.core.models.gguf_file import GGUFError
from desktop.core.paths import DataDirs
from desktop.core.settings import DEFAULT_CONTEXT
from desktop.core.terminal import terminal_safe
from desktop.inference.backend import InferenceError

MAX_BYTES = 5 * 1024 * 1024  # as on the Perplexity page: longer texts take very long to score
TOP_SURPRISES = 10
USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parley score",
        description="Perplexity of a UTF-8 text file under a local model, or one on a server that returns prompt "
                    "log-probabilities (--engine), with its most surprising tokens.",
    )
    parser.add_argument("file", help="the text to score (UTF-8, up to 5 MB)")
    parser.add_argument("--model", metavar="PATH",
                        help=f"GGUF model file, or '{BUILTIN}' (default: the last model the app used, "
                             "else the first in the library, else a built-in model); with --engine, the server's "
                             "model id (default: the first it serves)")
    add_engine(parser)
    parser.add_argument("--json", action="store_true", help="print the full result, every token, as JSON")
    parser.add_argument("--context", type=int, metavar="N",
                        help="context in tokens; a longer text is scored in windows (default: the model's "
                             f"remembered one, else {DEFAULT_CONTEXT})")
    add_data_dir(parser)
    return parser


def read_text(path_text: str) -> str:
    path = Path(path_text).expanduser()
    if not path.exists():
        raise UsageError(f"{path} does not exist")
    if not path.is_file():
        raise UsageError(f"{path} is not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UsageError(f"{path.name} is {size / 1024 / 1024:.1f} MB; parley score takes texts up to "
                         f"{MAX_BYTES // 1024 // 1024} MB")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path.name} is not UTF-8 text (byte {exc.start:,} is not valid UTF-8); "
                         "save it as UTF-8 and try again") from exc
    if not text.strip():
        raise UsageError(f"{path.name} is empty: there is nothing to score")
    return text


def _shown(token: ScoredToken) -> str:
    return json.dumps(token.text, ensure_ascii=False)  # quotes make spaces and newlines visible


def human_summary(score: TextScore, top: int = TOP_SURPRISES) -> str:
    scored = score.scored
    if not scored:
        return f"too short to score: {len(score.tokens)} token(s), and the first has nothing to predict it from"
    windows = f"{score.windows} window{'s' if score.windows != 1 else ''} of {score.n_ctx}"
    lines = [
        f"perplexity: {score.perplexity:.3f}",
        f"mean surprisal: {score.mean_surprisal:.3f} bits per token",
        f"tokens: {len(score.tokens):,} ({len(scored):,} scored) in {windows}"
        + (" · stopped early" if score.stopped else ""),
        f"most surprising tokens (top {min(top, len(scored))}):",
    ]
    ranked = sorted(((i, t) for i, t in enumerate(score.tokens) if not math.isnan(t.surprisal)),
                    key=lambda pair: pair[1].surprisal, reverse=True)[:top]
    for index, token in ranked:
        lines.append(f"  {token.surprisal:7.2f} bits  {token.probability * 100:9.2g}%  token {index:>6}  "
                     f"id {token.token_id:>6}  {_shown(token)}")
    return "\n".join(lines)


def score(args: argparse.Namespace) -> int:
    text = read_text(args.file)
    check_context(args.context)
    opened = open_model(args.engine, args.model, DataDirs.resolve(args.data_dir), args.context)
    backend, loaded = opened.backend, opened.loaded
    try:
        if not opened.capabilities.scores_text:
            raise opened.refuse("score text", "the log-probabilities of the prompt's own tokens, which perplexity "
                                "needs (vLLM does; llama-server does not)")
        print(f"scoring {Path(args.file).name} with {opened.name} ({loaded.offload_summary}, "
              f"context {loaded.n_ctx})", file=sys.stderr)
        last = [-1]

        def progress(done: int, total: int) -> None:
            percent = 100 * done // max(1, total)
            if percent != last[0]:
                last[0] = percent
                print(f"\r{done:,}/{total:,} tokens ({percent}%)", end="", file=sys.stderr, flush=True)

        interrupted = threading.Event()
        previous = _on_interrupt(interrupted.set)
        try:
            result = backend.score_text(text, progress, interrupted.is_set)
        finally:
            print(file=sys.stderr)
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        if args.json:
            print(json.dumps(_json_safe(result.to_json()), ensure_ascii=False, indent=2))
        else:
            print(human_summary(result))
        return 130 if interrupted.is_set() else 0
    finally:
        backend.unload()


def _on_interrupt(handler: Callable[[], None]) -> Any:
    """Ctrl+C ends scoring after the current batch and still prints what was scored; None off the main thread."""
    try:
        return signal.signal(signal.SIGINT, lambda _signum, _frame: handler())
    except ValueError:  # not the main thread: Ctrl+C keeps its default meaning
        return None


def _json_safe(value: object) -> object:
    """NaN is not JSON: a text too short to score reports null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return score(args)
    except UsageError as exc:
        print(f"error: {terminal_safe(exc)}", file=sys.stderr)
        return USAGE_ERROR
    except (GGUFError, InferenceError) as exc:
        print(f"error: {terminal_safe(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"error: {terminal_safe(exc)}", file=sys.stderr)
        return 1
