"""`parley eval`: score a few-shot template on a data file from a terminal, with a reproducible JSON record.

No Qt: it drives LlamaBackend through the same run_evaluation loop as the workbench, so a score printed
here is the score the workbench shows for the same template, data, model, shots and seed.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from desktop.core.builtin_model import ensure_builtin
from desktop.core.chat_template import TemplateError
from desktop.core.dataset import DataError, guess_mapping, read_table, to_test_items
from desktop.core.fewshot import FewShotError, FewShotTemplate, RenderMode, load_template
from desktop.core.files import file_sha256
from desktop.core.gguf_file import GGUFError
from desktop.core.model_template import template_for
from desktop.core.paths import DATA_DIR_ENV, DataDirs
from desktop.core.sampling import SamplingParams
from desktop.core.scoring import RULES, EvalRun, ItemResult
from desktop.core.settings import DEFAULT_CONTEXT
from desktop.inference.backend import InferenceError, LoadOptions
from desktop.inference.evaluation import EvalRequest, run_evaluation

EVAL_TEMPERATURE = 0.0  # greedy: a score should not depend on luck
EVAL_MAX_TOKENS = 16  # labels and short answers; a longer answer is usually already wrong
MIN_CONTEXT = 256  # llama.cpp pads smaller contexts up to this, which llama-cpp-python's buffers do not expect


class UsageError(Exception):
    """Input the person gave that cannot work; str() says what to change."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parley eval",
        description="Score a few-shot template on a CSV, TSV or JSONL file with a local model.",
    )
    parser.add_argument("template", help="few-shot template (.json, as saved by the workbench)")
    parser.add_argument("data", help="test items (.csv, .tsv or .jsonl) with an input and an expected column")
    parser.add_argument("--model", metavar="PATH", help="GGUF model file (default: the built-in Gemma 3 270M)")
    parser.add_argument("--shots", type=int, metavar="K", help="examples to keep (default: all enabled ones)")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="picks which K shots and seeds sampling (default: random, recorded)")
    parser.add_argument("--out", metavar="FILE", help="write the run (settings, model hash, every item) as JSON")
    parser.add_argument("--rule", choices=sorted(RULES), help="scoring rule (default: the template's)")
    parser.add_argument("--input", metavar="COL", help="column holding the input (default: guessed)")
    parser.add_argument("--expected", metavar="COL", help="column holding the expected answer (default: guessed)")
    parser.add_argument("--max-tokens", type=int, default=EVAL_MAX_TOKENS, metavar="N",
                        help=f"longest answer in tokens (default: {EVAL_MAX_TOKENS})")
    parser.add_argument("--temperature", type=float, default=EVAL_TEMPERATURE, metavar="T",
                        help="0 is greedy (default); above 0 samples with --seed")
    parser.add_argument("--context", type=int, metavar="TOKENS", help=f"context length (default: {DEFAULT_CONTEXT})")
    parser.add_argument("--data-dir", metavar="DIR",
                        help=f"Parley's data folder, where the built-in model lives (also ${DATA_DIR_ENV})")
    return parser


def existing_file(path_text: str, what: str) -> Path:
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise UsageError(f"{what} {path} does not exist" if not path.exists() else f"{what} {path} is not a file")
    return path


def shots_of(template: FewShotTemplate, requested: int | None) -> int:
    available = len(template.enabled_examples())
    if requested is None:
        return available
    if not 0 <= requested <= available:
        raise UsageError(f"--shots must be between 0 and {available} (the template's enabled examples); "
                         f"got {requested}")
    return requested


def prepare(args: argparse.Namespace, seed: int) -> tuple[FewShotTemplate, EvalRequest, Path, int]:
    """Everything that can be checked before a model is loaded, so mistakes surface in a second."""
    template = load_template(existing_file(args.template, "template file"))
    data_path = existing_file(args.data, "data file")
    dataset = read_table(data_path)
    guessed = guess_mapping(dataset.columns)
    mapping = replace(guessed, input=args.input or guessed.input, expected=args.expected or guessed.expected)
    for column in (mapping.input, mapping.expected):
        if column is not None and column not in dataset.columns:
            raise UsageError(f"{data_path.name} has no column {column!r}; its columns are {', '.join(dataset.columns)}")
    if mapping.expected is None:
        raise UsageError(f"{data_path.name} has no column of expected answers that Parley recognises; "
                         f"name it with --expected (columns: {', '.join(dataset.columns)})")
    items = to_test_items(dataset, mapping, template)
    if not items:
        raise UsageError(f"{data_path.name} has no rows to score")
    shots = shots_of(template, args.shots)
    rule = args.rule or template.scoring
    if rule not in RULES:
        raise UsageError(f"the template's scoring rule {rule!r} is unknown; use --rule with one of {', '.join(RULES)}")
    params = SamplingParams(temperature=args.temperature, max_tokens=args.max_tokens, seed=seed)
    if args.context is not None and args.context < MIN_CONTEXT:
        raise UsageError(f"--context must be at least {MIN_CONTEXT} tokens; got {args.context}")
    if args.out and not Path(args.out).expanduser().parent.is_dir():
        raise UsageError(f"the folder for --out, {Path(args.out).expanduser().parent}, does not exist")
    request = EvalRequest(template.with_shots(shots, seed), tuple(items), params, None, rule, template.pattern)
    return template, request, data_path, shots


def result_line(result: ItemResult) -> str:
    verdict = "PASS" if result.passed else "FAIL"
    return f"{verdict} line {result.line}: expected {result.expected!r} got {result.output!r}"


def evaluate(args: argparse.Namespace) -> int:
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    template, request, data_path, shots = prepare(args, seed)
    if args.model:
        model = existing_file(args.model, "model file")
    else:
        dirs = DataDirs.resolve(args.data_dir)
        dirs.create()
        model = ensure_builtin(dirs.models)

    from desktop.inference.llama_backend import LlamaBackend  # loads llama.cpp: only once the input is known good

    backend = LlamaBackend()
    loaded = backend.load(model, LoadOptions(n_ctx=args.context))
    try:
        if template.mode is RenderMode.CHAT:  # the model's own chat format, as the workbench uses by default
            request = replace(request, chat_template=template_for(loaded.info))
        run = EvalRun(
            template_name=template.name, template_version=template.version, model_path=str(model.resolve()),
            model_sha256=file_sha256(model), sampling=request.params.as_dict(), seed=seed, shots=shots,
            rule=request.rule, data_path=str(data_path.resolve()),
            started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        print(f"{template.name} v{template.version} · {shots} shots · seed {seed} · {len(request.items)} items · "
              f"rule {request.rule} · {model.name} ({loaded.offload_summary})")

        def report(result: ItemResult) -> None:
            run.results.append(result)
            print(result_line(result), flush=True)

        interrupted = False
        try:
            run_evaluation(backend, request, report, lambda: False)
        except KeyboardInterrupt:
            interrupted = True
        run.completed = not interrupted
        print(f"accuracy: {run.accuracy:.3f} ({run.passed}/{len(run.results)})"
              + ("" if run.completed else f" · interrupted after {len(run.results)} of {len(request.items)} items"))
        if args.out:
            run.write_json(Path(args.out).expanduser())
            print(f"run written to {args.out}", file=sys.stderr)
        return 130 if interrupted else 0
    finally:
        backend.unload()


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return evaluate(args)
    except (UsageError, FewShotError, DataError, GGUFError, InferenceError, TemplateError, ValueError) as exc:
        # ValueError: SamplingParams ranges and a bad regular expression in --rule regex
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # before the first item: nothing to report
        print("\ninterrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # unreadable files, a full disk for --out
        print(f"error: {exc}", file=sys.stderr)
        return 1
