"""`parley eval`: score a few-shot template on a data file from a terminal, with a reproducible JSON record.

No Qt: it drives LlamaBackend (or, with --engine, the RemoteBackend of a server) through the same
run_evaluation loop as the workbench, so a score printed here is the score the workbench shows for the same
template, data, model, shots and seed.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from desktop.cli.common import (
    BUILTIN,
    ENGINE_USAGE,
    EngineChoiceError,
    UsageError,
    add_data_dir,
    add_engine,
    check_context,
    existing_file,
    open_model,
)
from desktop.core.fewshot.dataset import DataError, guess_mapping, read_table, to_test_items
from desktop.core.fewshot.runs import RunStore, new_run, order_spread
from desktop.core.fewshot.scoring import LIKELIHOOD, RULES, EvalRun, ItemResult
from desktop.core.fewshot.template import FewShotError, FewShotTemplate, RenderMode, check_labels, load_template
from desktop.core.files import file_sha256
from desktop.core.instruments.statistics import OTHER_LABEL, confusion_matrix
from desktop.core.models.gguf_file import GGUFError
from desktop.core.models.template_choice import template_for
from desktop.core.paths import DataDirs
from desktop.core.prompting.chat_template import TemplateError
from desktop.core.prompting.sampling import EVAL_MAX_TOKENS, EVAL_TEMPERATURE, eval_params
from desktop.core.settings import DEFAULT_CONTEXT
from desktop.core.terminal import terminal_safe
from desktop.inference.backend import InferenceError
from desktop.inference.evaluation import EvalRequest, record_run

MAX_ORDERS = 50
MAX_CLASSES = 10  # a run whose expected answers take at most this many values gets a confusion matrix


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parley eval",
        description="Score a few-shot template on a test set with a local model, or one on a server (--engine). "
                    "Every run is saved as a "
                    "replayable record under the data folder's runs/ (see `parley runs`).",
    )
    parser.add_argument("template", help="few-shot template (.json, as saved by the workbench)")
    parser.add_argument("data", help="test items: .csv, .tsv or .jsonl with an input and an expected column, "
                                     "an OpenAI Evals .jsonl, or a promptfoo .csv with __expected")
    parser.add_argument("--model", metavar="PATH",
                        help=f"GGUF model file, or '{BUILTIN}' for the built-in Gemma 3 270M (default: the last "
                             "model the app used, else the first in the library, else a built-in model); with "
                             "--engine, the server's model id (default: the first it serves)")
    add_engine(parser)
    parser.add_argument("--shots", type=int, metavar="K", help="examples to keep (default: all enabled ones)")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="picks which K shots and seeds sampling (default: random, recorded)")
    parser.add_argument("--orders", type=int, default=1, metavar="N",
                        help="run N times with the shots chosen and ordered by seeds N, N+1, … and report the "
                             "spread (default: 1)")
    parser.add_argument("--out", metavar="FILE", help="also write the run (settings, model hash, every item) here")
    parser.add_argument("--rule", choices=sorted(RULES), help="scoring rule (default: the template's)")
    parser.add_argument("--labels", metavar="A,B,…",
                        help="answer set for --rule likelihood (default: the template's labels)")
    parser.add_argument("--calibrate", action="store_true",
                        help="likelihood: divide out the prompt's label bias measured on content-free inputs")
    parser.add_argument("--input", metavar="COL", help="column holding the input (default: guessed)")
    parser.add_argument("--expected", metavar="COL", help="column holding the expected answer (default: guessed)")
    parser.add_argument("--max-tokens", type=int, default=EVAL_MAX_TOKENS, metavar="N",
                        help=f"longest answer in tokens (default: {EVAL_MAX_TOKENS})")
    parser.add_argument("--temperature", type=float, default=EVAL_TEMPERATURE, metavar="T",
                        help="0 is greedy (default); above 0 samples with --seed")
    parser.add_argument("--context", type=int, metavar="TOKENS",
                        help=f"context length (default: the model's remembered one, else {DEFAULT_CONTEXT})")
    add_data_dir(parser)
    return parser


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
    if args.labels is not None:
        template = replace(template, labels=[label.strip() for label in args.labels.split(",")])
    if rule == LIKELIHOOD:
        check_labels(template.labels, "--labels" if args.labels is not None else f"{Path(args.template).name}")
    elif args.calibrate:
        raise UsageError("--calibrate works with --rule likelihood only")
    if not 1 <= args.orders <= MAX_ORDERS:
        raise UsageError(f"--orders must be between 1 and {MAX_ORDERS}; got {args.orders}")
    params = eval_params(args.temperature, args.max_tokens, seed)
    check_context(args.context)
    if args.out and not Path(args.out).expanduser().parent.is_dir():
        raise UsageError(f"the folder for --out, {Path(args.out).expanduser().parent}, does not exist")
    request = EvalRequest(template.with_shots(shots, seed), tuple(items), params, None, rule, template.pattern,
                          calibrate=args.calibrate)
    return template, request, data_path, shots


def result_line(result: ItemResult) -> str:
    verdict = "PASS" if result.passed else "FAIL"
    expected, output = terminal_safe(result.expected), terminal_safe(result.output)
    line = f"{verdict} line {result.line}: expected {expected!r} got {output!r}"
    if result.probabilities:
        line += f" (p = {result.probabilities.get(result.output, 0.0):.3f}, margin {result.margin or 0.0:.3f})"
    return line


def confusion_lines(run: EvalRun) -> list[str]:
    """A confusion matrix and per-label precision/recall, for runs that classify into a few labels."""
    expected = {r.expected.strip() for r in run.results}
    if not run.results or (run.rule != LIKELIHOOD and len(expected) > MAX_CLASSES):
        return []
    labels = run.labels or sorted(expected)
    matrix = confusion_matrix([(r.expected.strip(), r.output.strip()) for r in run.results], labels)
    width = max(8, *(len(label) for label in matrix.labels)) + 1
    lines = ["confusion (rows expected, columns predicted):",
             " " * width + "".join(f"{label[:width - 1]:>{width}}" for label in matrix.labels)]
    for label, row in zip(matrix.labels, matrix.counts, strict=True):
        lines.append(f"{label[:width - 1]:<{width}}" + "".join(f"{count:>{width}}" for count in row))
    for stats in matrix.per_label():
        if stats.label == OTHER_LABEL:  # answers outside the label set: a column, not a label to rate
            continue

        def shown(value: float | None) -> str:
            return "—" if value is None else f"{value:.3f}"
        lines.append(f"  {stats.label}: precision {shown(stats.precision)} · recall {shown(stats.recall)} · "
                     f"F1 {shown(stats.f1)} · {stats.support} items")
    return lines


def evaluate(args: argparse.Namespace) -> int:
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    template, request, data_path, shots = prepare(args, seed)
    dirs = DataDirs.resolve(args.data_dir)
    # the remembered model, context and GPU layers, as the app; or the model on --engine's server
    opened = open_model(args.engine, args.model, dirs, args.context)
    backend, loaded, model = opened.backend, opened.loaded, opened.path
    try:
        if request.rule == LIKELIHOOD and not opened.capabilities.scores_continuations:
            raise opened.refuse("score answers by likelihood (--rule likelihood)",
                                "the log-probabilities of a given continuation")
        if not opened.capabilities.reproducible:
            print(f"note: {terminal_safe(opened.capabilities.reproducible_note)}", file=sys.stderr)
        chat_template = template_for(loaded.info) if template.mode is RenderMode.CHAT else None
        model_sha = "" if opened.access is not None else file_sha256(model)  # a server's model has no file here
        environment = opened.environment()
        orders = args.orders if shots > 0 else 1  # zero shots: no selection or order to vary
        if orders < args.orders:
            print("note: with 0 shots there is no order to vary; running once", file=sys.stderr)
        group = secrets.token_hex(4) if orders > 1 else ""
        runs: list[EvalRun] = []
        interrupted = False
        for order in range(orders):
            order_seed = seed + order
            cut = template.with_shots(shots, order_seed, shuffle=orders > 1)
            run_request = replace(request, template=cut, chat_template=chat_template)
            run = new_run(template=cut, items=request.items, params=request.params, rule=request.rule,
                          data_path=data_path.resolve(), model_path=opened.record_path, model_sha256=model_sha,
                          chat_template=chat_template, environment=environment, order_seed=order_seed, group=group)
            print(f"{template.name} v{template.version} · {shots} shots · seed {order_seed} · "
                  f"{len(request.items)} items · rule {request.rule}"
                  + (" (calibrated)" if request.calibrate else "")
                  + f" · {opened.name} ({loaded.offload_summary})")
            try:
                record_run(backend, run_request, run, lambda r: print(result_line(r), flush=True))
            except KeyboardInterrupt:
                interrupted = True
                run.completed = False
            runs.append(run)
            if run.calibration is not None:
                print("calibration (content-free probability): "
                      + ", ".join(f"{label} {p:.3f}" for label, p in run.calibration.items()))
            for line in confusion_lines(run):
                print(line)
            print(f"accuracy: {run.accuracy_text()}"  # last: the line scripts read
                  + ("" if run.completed else f" · interrupted after {len(run.results)} of {len(request.items)} items"))
            save(run, dirs, args.out)
            if interrupted:
                break
        if len(runs) > 1:
            spread = order_spread(runs)
            print(f"over {spread.n} orders: mean {spread.mean:.3f} · std {spread.std:.3f} · "
                  f"min {spread.low:.3f} · max {spread.high:.3f}")
        return 130 if interrupted else 0
    finally:
        backend.unload()


def save(run: EvalRun, dirs: DataDirs, out: str | None) -> None:
    """Every run goes to the runs folder; --out writes a copy where the person asked."""
    try:
        path = RunStore(dirs.runs).save(run)
        print(f"run saved to {path}", file=sys.stderr)
    except OSError as exc:
        print(f"warning: could not save the run under {dirs.runs}: {exc.strerror or exc}", file=sys.stderr)
    if out:
        run.write_json(Path(out).expanduser())
        print(f"run written to {out}", file=sys.stderr)


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return evaluate(args)
    except EngineChoiceError as exc:
        print(f"error: {terminal_safe(exc)}", file=sys.stderr)
        return ENGINE_USAGE
    except (UsageError, FewShotError, DataError, GGUFError, InferenceError, TemplateError, ValueError) as exc:
        # ValueError: SamplingParams ranges and a bad regular expression in --rule regex
        print(f"error: {terminal_safe(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # before the first item: nothing to report
        print("\ninterrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # unreadable files, a full disk for --out
        print(f"error: {terminal_safe(exc)}", file=sys.stderr)
        return 1
