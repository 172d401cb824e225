"""Export the shown conversation to Markdown or JSON, and import a JSON conversation (Parley's or OpenAI-style)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.core.conversations.store import StoreError
from desktop.core.files import write_text_atomic
from desktop.core.i18n import translate
from desktop.ui.chat.persistence import ChatPersistence


class ChatFiles:
    def __init__(self, persistence: ChatPersistence, open_conversation: Callable[[int], None],
                 notify: Callable[[str, bool], None], parent: QWidget) -> None:
        """open_conversation shows an imported chat and highlights it in the sidebar."""
        self.persistence = persistence
        self._open = open_conversation
        self._notify = notify
        self._parent = parent

    def export(self, path: Path, fmt: str) -> bool:
        """Write the current conversation; False (with a message) when there is nothing saved yet or it fails."""
        conversation_id = self.persistence.conversation_id
        if conversation_id is None:
            self._notify(translate(
                "ChatFiles", "There is no saved conversation to export yet: send a message first."), True)
            return False
        store = self.persistence.store
        try:
            text = (store.export_markdown(conversation_id) if fmt == "md"
                    else json.dumps(store.export_json(conversation_id), indent=2, ensure_ascii=False))
            write_text_atomic(path, text)
        except (StoreError, OSError) as exc:
            self._notify(translate(
                "ChatFiles", "Could not export the conversation to {path}: {error}").format(path=path, error=exc), True)
            return False
        self._notify(translate("ChatFiles", "Exported the conversation to {path}").format(path=path), False)
        return True

    def import_file(self, path: Path) -> int | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            conversation_id = self.persistence.store.import_json(data)
        except (OSError, UnicodeDecodeError) as exc:
            self._notify(translate("ChatFiles", "Could not read {path}: {error}").format(path=path, error=exc), True)
            return None
        except json.JSONDecodeError as exc:
            self._notify(translate("ChatFiles", "{name} is not valid JSON (line {line}, column {column}).").format(
                name=path.name, line=exc.lineno, column=exc.colno), True)
            return None
        except RecursionError:
            self._notify(translate(
                "ChatFiles", "{name} is nested too deeply to be a conversation.").format(name=path.name), True)
            return None
        except StoreError as exc:
            self._notify(translate(
                "ChatFiles", "Could not import {name}: {error}").format(name=path.name, error=exc), True)
            return None
        self._open(conversation_id)  # on screen and in the sidebar
        # in place of an earlier failed import's message
        self._notify(translate("ChatFiles", "Imported {name}.").format(name=path.name), False)
        return conversation_id

    def ask_export(self, fmt: str) -> None:
        suffix = translate("ChatFiles", "Markdown (*.md)") if fmt == "md" else translate("ChatFiles", "JSON (*.json)")
        path, _ = QFileDialog.getSaveFileName(self._parent, translate(
            "ChatFiles", "Export chat"), f"chat.{fmt}", suffix)
        if path:
            self.export(Path(path), fmt)

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._parent, translate(
            "ChatFiles", "Import chat"), "", translate("ChatFiles", "JSON (*.json)"))
        if path:
            self.import_file(Path(path))
