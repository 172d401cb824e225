"""`parley chats …`: list, export and import conversations from a terminal, without opening the window."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from desktop.cli.common import add_data_dir
from desktop.core.conversations.store import ChatStore, StoreError
from desktop.core.files import write_text_atomic
from desktop.core.paths import DataDirs
from desktop.core.terminal import terminal_safe


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley chats", description="Parley's saved conversations.")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="conversations, pinned first, then most recently active")
    listing.add_argument("--json", action="store_true")
    export = sub.add_parser("export", help="write one conversation as Markdown or JSON")
    export.add_argument("id", type=int)
    export.add_argument("--format", choices=("md", "json"), default="md")
    export.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    importing = sub.add_parser("import", help="add a conversation from a JSON file (Parley's or OpenAI-style)")
    importing.add_argument("file")
    add_data_dir(parser, (listing, export, importing))
    return parser


def list_chats(store: ChatStore, as_json: bool) -> int:
    chats = store.list_conversations()
    if as_json:
        print(json.dumps([asdict(c) for c in chats], indent=2, ensure_ascii=False))
        return 0
    if not chats:
        print("No conversations yet.")
    for c in chats:
        pinned = " [pinned]" if c.pinned else ""
        when = datetime.fromtimestamp(c.updated_at).strftime("%Y-%m-%d %H:%M")
        print(f"{c.id}\t{c.title}{pinned} · {c.message_count} messages · {when} · {c.model or 'no model'}")
    return 0


def export_chat(store: ChatStore, conversation_id: int, fmt: str, out: str | None) -> int:
    if fmt == "json":
        text = json.dumps(store.export_json(conversation_id), indent=2, ensure_ascii=False) + "\n"
    else:
        text = store.export_markdown(conversation_id)
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        write_text_atomic(Path(out).expanduser(), text)
    except OSError as exc:
        print(f"error: cannot write {out}: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}", file=sys.stderr)
    return 0


def import_chat(store: ChatStore, file: str) -> int:
    try:
        data = json.loads(Path(file).expanduser().read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"error: cannot read {file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"error: {terminal_safe(file)} is not valid JSON: {exc}", file=sys.stderr)
        return 1
    except RecursionError:
        print(f"error: {terminal_safe(file)} is nested too deeply to be a conversation", file=sys.stderr)
        return 1
    print(store.import_json(data))
    return 0


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    dirs = DataDirs.resolve(args.data_dir)
    store, notice = ChatStore.open(dirs.database)  # never raises: a store that says what is wrong
    try:
        if store.unsaved:  # the database could not be opened at all: an empty stand-in must not look like it
            print(f"error: {terminal_safe(notice or 'the chat database cannot be opened')}", file=sys.stderr)
            return 1
        if notice:
            print(f"note: {terminal_safe(notice)}", file=sys.stderr)
        if args.command == "list":
            return list_chats(store, args.json)
        if args.command == "export":
            return export_chat(store, args.id, args.format, args.out)
        return import_chat(store, args.file)
    except StoreError as exc:
        print(f"error: {terminal_safe(exc)}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:  # a page that cannot be read now, although the file opened
        print(f"error: cannot read the chat database {terminal_safe(dirs.database)}: {terminal_safe(exc)}",
              file=sys.stderr)
        return 1
    finally:
        store.close()
