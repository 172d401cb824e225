"""`parley models …`: the model library and Hugging Face downloads from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from desktop.cli.common import add_data_dir, load_settings
from desktop.core.models.library import MetadataCache, ModelEntry, scan_library
from desktop.core.models.memory import Fit, classify_fit, estimate_memory, human_bytes, system_ram
from desktop.core.paths import DataDirs
from desktop.core.settings import DEFAULT_CONTEXT
from desktop.core.terminal import terminal_safe
from desktop.hub.client import HubClient
from desktop.hub.download import Download, DownloadProgress
from desktop.hub.errors import HubError
from desktop.hub.listing import RepoFile
from desktop.hub.names import refusal, shown_name, unsafe_name_reason


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley models", description="Parley's model library and downloads.")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="models in the library")
    listing.add_argument("--json", action="store_true")
    search = sub.add_parser("search", help="search GGUF models on the Hub")
    search.add_argument("query")
    search.add_argument("--sort", choices=("downloads", "likes", "updated"), default="downloads")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")
    files = sub.add_parser("files", help="GGUF files of a Hub repository")
    files.add_argument("repo")
    files.add_argument("--json", action="store_true")
    download = sub.add_parser("download", help="download (or resume) a GGUF file into the library")
    download.add_argument("repo")
    download.add_argument("file")
    remove = sub.add_parser("remove", help="delete a model from the library")
    remove.add_argument("name")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_data_dir(parser, (listing, search, files, download, remove))
    return parser


def entry_json(entry: ModelEntry, ram: int) -> dict[str, Any]:
    fit = None
    if entry.info is not None:
        n_ctx = min(DEFAULT_CONTEXT, entry.context_length or DEFAULT_CONTEXT)
        fit = classify_fit(estimate_memory(entry.info, n_ctx, entry.file_size), ram, None).value
    return {
        "name": entry.name, "path": str(entry.path), "architecture": entry.architecture,
        "size_label": entry.size_label, "quantization": entry.quantization, "file_size": entry.file_size,
        "context_length": entry.context_length, "chat_template": entry.has_chat_template,
        "license": entry.license, "shards": entry.shard_count, "builtin": entry.builtin,
        "fit": fit, "error": entry.error,
    }


def list_models(dirs: DataDirs, as_json: bool) -> int:
    entries = scan_library([dirs.models], MetadataCache(dirs.metadata_cache))
    rows = [entry_json(e, system_ram()) for e in entries]
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print(f"No models in {dirs.models}. Try: parley models search llama")
    for row in rows:
        if row["error"]:
            print(terminal_safe(f"{Path(row['path']).name}: unusable: {row['error']}"))
            continue
        builtin = " [built-in]" if row["builtin"] else ""
        print(terminal_safe(f"{row['name']}{builtin} · {row['architecture']} {row['size_label'] or ''} · "
              f"{row['quantization'] or '?'} · {human_bytes(row['file_size'])} · ctx {row['context_length']} · "
              f"{'chat template' if row['chat_template'] else 'no chat template'} · {row['fit']}"))
    return 0


def search_models(client: HubClient, query: str, sort: str, limit: int, as_json: bool) -> int:
    results = client.search(query, sort=sort, limit=limit)
    if as_json:
        print(json.dumps([asdict(r) for r in results], indent=2, default=str))
        return 0
    for r in results:
        gated = " (gated)" if r.gated else ""
        print(terminal_safe(f"{r.repo_id}{gated} · {r.downloads} downloads · {r.likes} likes"))
    return 0


def list_files(client: HubClient, repo: str, as_json: bool) -> int:
    files, refused = client.list_gguf(repo)
    if refused:  # names that could escape or hide in the models folder are never offered
        print(f"skipped {len(refused)} file{'s' if len(refused) > 1 else ''} whose names Parley refuses: "
              + "; ".join(f'"{shown_name(path)}" ({reason})' for path, reason in refused), file=sys.stderr)
    if as_json:
        print(json.dumps([asdict(f) for f in files], indent=2))
        return 0
    ram = system_ram()
    for f in files:
        shard = f" (shard {f.shard_index}/{f.shard_count})" if f.shard_count else ""
        fits = "fits in RAM" if f.size * 1.2 < ram * 0.8 else Fit.TOO_LARGE.value
        print(terminal_safe(f"{f.path}{shard} · {f.quantization or '?'} · {human_bytes(f.size)} · {fits}"))
    return 0


def _stderr_progress(name: str) -> Any:
    def show(progress: DownloadProgress) -> None:
        left = progress.seconds_left
        eta = f", {left:.0f} s left" if left is not None else ""
        pct = 100 * progress.done / progress.total if progress.total else 0.0
        print(f"\r{terminal_safe(name)}: {pct:5.1f}% of {human_bytes(progress.total)} at "
              f"{human_bytes(int(progress.bytes_per_second))}/s{eta}   ", end="", file=sys.stderr, flush=True)
    return show


def download_model(client: HubClient, dirs: DataDirs, repo: str, file: str) -> int:
    if reason := unsafe_name_reason(file):
        raise HubError(refusal(file, repo, reason))
    files, refused = client.list_gguf(repo)
    for listed, reason in refused:
        if file in (listed, listed.rsplit("/", 1)[-1]):
            raise HubError(refusal(listed, repo, reason))
    chosen = next((f for f in files if f.path == file or Path(f.path).name == file), None)
    if chosen is None:
        names = ", ".join(f.path for f in files[:8])
        raise HubError(f'{repo} has no GGUF file named "{shown_name(file)}". Its files include: {names}')
    wanted = _shards_of(chosen, files)
    for part in wanted:
        path = Download(client, repo, part, dirs.models, on_progress=_stderr_progress(Path(part.path).name)).run()
        print(file=sys.stderr)
        print(terminal_safe(f"verified and added to the library: {path}"), file=sys.stderr)
    return 0


def _shards_of(chosen: RepoFile, files: Sequence[RepoFile]) -> list[RepoFile]:
    """A sharded model is downloaded whole, whichever shard was named."""
    if not chosen.shard_count:
        return [chosen]
    prefix = chosen.path.rsplit("-", 3)[0]
    return sorted((f for f in files if f.shard_count == chosen.shard_count and f.path.rsplit("-", 3)[0] == prefix),
                  key=lambda f: f.shard_index or 0)


def remove_model(dirs: DataDirs, name: str, yes: bool) -> int:
    entries = scan_library([dirs.models], MetadataCache(dirs.metadata_cache))
    matches = [e for e in entries if name in (e.path.name, e.name, str(e.path))]
    if not matches:
        print(f"No model named {name!r} in {dirs.models}. `parley models list` shows the names.", file=sys.stderr)
        return 1
    if len(matches) > 1:
        print(f"{name!r} matches several models; use the file name: "
              + ", ".join(e.path.name for e in matches), file=sys.stderr)
        return 1
    entry = matches[0]
    if not yes:
        if not sys.stdin.isatty():
            print("Refusing to delete without confirmation: add --yes.", file=sys.stderr)
            return 1
        if input(f"Delete {entry.path.name} ({human_bytes(entry.file_size)}) from disk? [y/N] ").lower() != "y":
            return 1
    for shard in entry.shards:
        shard.unlink(missing_ok=True)
    print(terminal_safe(f"deleted {', '.join(s.name for s in entry.shards)}"))
    return 0


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    dirs = DataDirs.resolve(args.data_dir)
    try:
        dirs.create()
        if args.command == "list":
            return list_models(dirs, args.json)
        if args.command == "remove":
            return remove_model(dirs, args.name, args.yes)
        settings = load_settings(dirs)  # a damaged file was set aside: said here, as the window would
        client = HubClient(offline=settings.offline)
        if args.command == "search":
            return search_models(client, args.query, args.sort, args.limit, args.json)
        if args.command == "files":
            return list_files(client, args.repo, args.json)
        return download_model(client, dirs, args.repo, args.file)
    except (HubError, OSError) as exc:  # OSError: the data folder cannot be made (DataFolderError names why)
        print(f"\nerror: {terminal_safe(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted; the partial download is kept and resumes next time", file=sys.stderr)
        return 130
