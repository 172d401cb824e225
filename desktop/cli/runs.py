"""`parley runs …`: the saved few-shot runs: list them, compare two, replay one from its record alone."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from desktop.cli.common import (
    ENGINE_KEY_ENV,
    ENGINE_USAGE,
    EngineChoiceError,
    UsageError,
    add_data_dir,
    existing_file,
    load_settings,
    model_name,
    open_remote,
    remote_model,
    resolve_engine,
    resolve_model,
    wants_engine,
)
from desktop.core.engines.config import is_remote, split_remote
from desktop.core.fewshot.runs import (
    RunStore,
    compare_replay,
    compare_runs,
    items_of,
    params_of,
    run_label,
    template_of,
    text_sha256,
)
from desktop.core.fewshot.scoring import LIKELIHOOD, EvalRun, RunRecordError, item_key, read_run
from desktop.core.fewshot.template import FewShotError, RenderMode
from desktop.core.files import file_sha256
from desktop.core.instruments.statistics import format_p_value
from desktop.core.models.gguf_file import GGUFError, ModelInfo
from desktop.core.models.template_choice import template_for
from desktop.core.paths import DataDirs
from desktop.core.prompting.chat_template import TemplateError
from desktop.core.terminal import terminal_safe
from desktop.inference.backend import InferenceBackend, InferenceError
from desktop.inference.evaluation import EvalRequest, record_run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley runs", description="Saved few-shot runs (records under runs/).")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="saved runs, newest first")
    listing.add_argument("--json", action="store_true")
    compare = sub.add_parser("compare", help="McNemar's exact test between two runs over the same items")
    compare.add_argument("a", help="run record A (.json)")
    compare.add_argument("b", help="run record B (.json)")
    compare.add_argument("--json", action="store_true")
    replay = sub.add_parser("replay", help="run a record again and check that every item comes out identical")
    replay.add_argument("record", help="run record (.json)")
    replay.add_argument("--model", metavar="PATH",
                        help="the model file, when it has moved since the run; with --engine, the server's model id "
                             "(default: the record's, else the first it serves)")
    replay.add_argument("--engine", metavar="NAME|URL",
                        help="replay on this server (default: the engine the run used; 'This computer' for the "
                             f"in-process llama.cpp). The API key comes from ${ENGINE_KEY_ENV}, else the one kept "
                             "for the engine. See docs/engines.md")
    add_data_dir(parser, (listing, compare, replay))
    return parser


def list_runs(dirs: DataDirs, as_json: bool) -> int:
    summaries = RunStore(dirs.runs).list()
    if as_json:
        print(json.dumps([{"path": str(s.path), "started_at": s.started_at, "template": s.template_name,
                           "model": s.model_file, "shots": s.shots, "rule": s.rule, "passed": s.passed,
                           "total": s.total, "completed": s.completed, "group": s.group, "error": s.error}
                          for s in summaries], indent=2, ensure_ascii=False))
        return 0
    if not summaries:
        print(f"No saved runs in {dirs.runs}. Run a test set on the Few-shot page or with `parley eval`.")
    for s in summaries:
        if s.error:
            print(f"{s.path.name}: unreadable: {s.error}")
            continue
        stopped = "" if s.completed else " · stopped early"
        print(f"{s.started_at} · {s.template_name} · {s.shots}-shot · {s.rule} · {s.model_file} · "
              f"{s.accuracy_text}{stopped}\n    {s.path}")
    return 0


def compare(path_a: str, path_b: str, as_json: bool) -> int:
    a, b = read_run(Path(path_a)), read_run(Path(path_b))
    result = compare_runs(a, b)
    inputs = {item_key(r.line): r for r in b.results}
    outputs_a = {item_key(r.line): r.output for r in a.results}
    changed = [(key, "fixed") for key in result.fixed] + [(key, "broken") for key in result.broken]
    if as_json:
        print(json.dumps({
            "a": _run_json(path_a, a), "b": _run_json(path_b, b),
            "fixed": list(result.fixed), "broken": list(result.broken),
            "both_right": result.both_right, "both_wrong": result.both_wrong,
            "p_value": result.p_value, "verdict": result.verdict(),
            "changed": [{"item": key, "change": change, "input": inputs[key].input, "a": outputs_a[key],
                         "b": inputs[key].output} for key, change in changed],
        }, indent=2, ensure_ascii=False))
        return 0
    print(f"A: {run_label(a)} · {a.accuracy_text()}")
    print(f"B: {run_label(b)} · {b.accuracy_text()}")
    print(result.verdict())
    print(f"McNemar's exact test on the {len(changed)} items where they disagree "
          f"({format_p_value(result.p_value)}); {result.both_right} both right, {result.both_wrong} both wrong.")
    for key, change in changed:
        print(f"  {change:6} {key}: A {terminal_safe(outputs_a[key])!r} -> B {terminal_safe(inputs[key].output)!r}")
    return 0


def _run_json(path: str, run: EvalRun) -> dict[str, Any]:
    low, high = run.interval
    return {"path": path, "label": run_label(run), "passed": run.passed, "total": len(run.results),
            "accuracy": run.accuracy, "ci95": [low, high]}


def find_model(run: EvalRun, dirs: DataDirs, requested: str | None) -> Path:
    """--model, else the recorded path, else a file of the recorded name in the library: never another model (the
    last one used or the library's first), which would not replay the run."""
    if requested:
        return existing_file(requested, "model file")
    recorded = Path(run.model_path)
    if recorded.is_file():
        return recorded
    name = str(run.environment.get("model_file") or recorded.name)
    in_library = dirs.models / name
    if name and in_library.is_file():
        return in_library
    raise UsageError(f"the run's model file {recorded} is missing (and {name} is not in {dirs.models}); "
                     "put it back or name it with --model PATH")


def replay(record_path: str, dirs: DataDirs, model_arg: str | None, engine_arg: str | None = None) -> int:
    record = read_run(Path(record_path))
    template_of(record)  # a record that cannot be replayed fails here, before a model loads (schema 1 first)
    items = items_of(record)
    params_of(record)
    if engine_arg is not None and wants_engine(engine_arg):
        return replay_on_engine(record, dirs, engine_arg, model_arg)
    recorded_engine = recorded_engine_name(record)
    if engine_arg is None and recorded_engine is not None:
        return replay_on_engine(record, dirs, recorded_engine, model_arg, from_record=True)
    model = find_model(record, dirs, model_arg)
    print(f"replaying {run_label(record)} · {len(items)} items · seed {record.seed}")
    notes = input_notes(record, model)
    for note in notes:
        print(note)

    from desktop.inference.environment import engine_environment  # loads llama.cpp: only once the record is good
    from desktop.inference.llama.backend import LlamaBackend

    environment = record.environment
    remembered = resolve_model(model, dirs).options  # the record's engine settings win; the remembered ones fill in
    options = replace(remembered, n_ctx=_or(_int(environment.get("n_ctx")), remembered.n_ctx),
                      n_threads=_or(_int(environment.get("threads")), remembered.n_threads),
                      n_gpu_layers=_or(_int(environment.get("gpu_layers")), remembered.n_gpu_layers))
    backend = LlamaBackend()
    loaded = backend.load(model, options)
    try:
        for note in engine_notes(environment, engine_environment(loaded)):
            print(note)
        again = replay_items(record, backend, loaded.info)
    finally:
        backend.unload()
    return report_replay(record, again)


def recorded_engine_name(record: EvalRun) -> str | None:
    """The engine a run was on, by its name in Settings › Engines; None for a run on this computer."""
    if not is_remote(record.model_path):
        return None
    name = record.environment.get("engine_name")
    return name if isinstance(name, str) and name else split_remote(record.model_path)[0]


def replay_on_engine(record: EvalRun, dirs: DataDirs, engine: str, model_arg: str | None,
                     from_record: bool = False) -> int:
    """Replay on a server (--engine, else the one the run was on): --model (the server's model id), else the
    record's server model, else the first it serves. A record from this computer can be replayed on a server too,
    to see whether the outputs agree."""
    settings = load_settings(dirs)
    if from_record and engine not in settings.engines:
        url = record.environment.get("engine_url")
        raise EngineChoiceError(
            f"the run was on the engine {engine!r}, which is not in Settings › Engines; add it there or name "
            "the server with --engine NAME|URL" + (f" (it was at {url})" if isinstance(url, str) and url else ""))
    access = resolve_engine(engine, dirs, settings)
    recorded_model = split_remote(record.model_path)[1] if is_remote(record.model_path) else None
    path = remote_model(access, model_arg or recorded_model)
    print(f"replaying {run_label(record)} · {len(items_of(record))} items · seed {record.seed} · "
          f"on {model_name(path)}")
    for note in data_notes(record):
        print(note)
    opened = open_remote(access, path)
    try:
        for note in engine_notes(record.environment, opened.environment()):
            print(note)
        if not opened.capabilities.reproducible:
            print(f"note: {terminal_safe(opened.capabilities.reproducible_note)}")
        if record.rule == LIKELIHOOD and not opened.capabilities.scores_continuations:
            raise opened.refuse("replay a likelihood run", "the log-probabilities of a given continuation")
        again = replay_items(record, opened.backend, opened.loaded.info)
    finally:
        opened.backend.unload()
    return report_replay(record, again)


def replay_items(record: EvalRun, backend: InferenceBackend, info: ModelInfo) -> EvalRun:
    """The record's items run again on the loaded model, with the record's template, sampling and seed."""
    template, items, params = template_of(record), items_of(record), params_of(record)
    chat_template = template_for(info) if template.mode is RenderMode.CHAT else None
    if chat_template is not None and record.chat_template_sha256 and \
            text_sha256(chat_template.source) != record.chat_template_sha256:
        print("note: the model's chat template differs from the one recorded")
    request = EvalRequest(template, tuple(items), params, chat_template, record.rule, template.pattern,
                          calibrate=record.calibration is not None)
    return record_run(backend, request, replace(record, results=[], calibration=None))


def report_replay(record: EvalRun, again: EvalRun) -> int:
    report = compare_replay(record, again)
    for difference in report.different:
        print(f"DIFFERENT line {difference.line} ({difference.what}): recorded {terminal_safe(difference.recorded)!r}, "
              f"now {terminal_safe(difference.replayed)!r}")
    if record.calibration is not None and again.calibration != record.calibration:
        print("DIFFERENT calibration: the content-free probabilities changed")
    total = len(record.results)
    identical = report.all_identical and (record.calibration is None or again.calibration == record.calibration)
    print(f"{report.identical} of {total} items identical" + ("" if identical else
          f" · {len(report.different)} different" + (f" · {report.missing} not reached" if report.missing else "")))
    print(f"accuracy: recorded {record.accuracy_text()} · replayed {again.accuracy_text()}")
    return 0 if identical else 1


def input_notes(record: EvalRun, model: Path) -> list[str]:
    """What differs between the record and the files the replay finds (it still runs from the record's items)."""
    notes = []
    if record.model_sha256:
        if file_sha256(model) != record.model_sha256:
            notes.append(f"note: the model file {model.name} differs from the record (SHA-256 changed)")
    else:
        notes.append("note: the record has no model hash, so the model file cannot be checked")
    return notes + data_notes(record)


def data_notes(record: EvalRun) -> list[str]:
    notes = []
    data = Path(record.data_path)
    if not data.is_file():
        notes.append(f"note: the data file {data} is missing; the items come from the record")
    elif record.data_sha256 and file_sha256(data) != record.data_sha256:
        notes.append(f"note: the data file {data.name} has changed since the run; the items come from the record")
    return notes


ENGINE_KEYS = ("llama_cpp_python", "llama_cpp_library_sha256", "cpu_kernels", "backend", "gpu_layers", "threads",
               "n_ctx", "n_batch", "prompt_chunks")
SERVER_KEYS = ("engine", "engine_version", "server_model", "n_ctx")  # a server's identity, as remote_environment


def engine_notes(recorded: dict[str, object], now: dict[str, object]) -> list[str]:
    """The engine settings that differ from the record's: any of them can change a logit's last bits. A replay on
    another kind of engine (this computer vs a server) says so once instead of listing every setting."""
    on_server, was_on_server = "engine_name" in now, "engine_name" in recorded
    if on_server != was_on_server:
        return [f"note: the run was on {_engine_label(recorded)}; this replay runs on {_engine_label(now)}, so "
                "outputs may differ"]
    keys = SERVER_KEYS if on_server else ENGINE_KEYS
    return [f"note: {key} was {recorded[key]!r} in the record, now {now.get(key)!r}"
            for key in keys if key in recorded and recorded[key] != now.get(key)]


def _engine_label(environment: dict[str, object]) -> str:
    name = environment.get("engine_name")
    if isinstance(name, str) and name:
        return f"{name} ({environment.get('engine') or 'a server'})"
    return "this computer (llama.cpp)"


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _or(value: int | None, default: int | None) -> int | None:
    return default if value is None else value  # 0 GPU layers is a setting, not an absence


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    dirs = DataDirs.resolve(args.data_dir)
    try:
        if args.command == "list":
            return list_runs(dirs, args.json)
        if args.command == "compare":
            return compare(args.a, args.b, args.json)
        return replay(args.record, dirs, args.model, args.engine)
    except EngineChoiceError as exc:
        print(f"error: {terminal_safe(exc)}", file=sys.stderr)
        return ENGINE_USAGE
    except (UsageError, RunRecordError, FewShotError, GGUFError, InferenceError, TemplateError, ValueError) as exc:
        print(f"error: {terminal_safe(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"error: {terminal_safe(exc)}", file=sys.stderr)
        return 1
