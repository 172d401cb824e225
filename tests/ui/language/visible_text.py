"""Every string a person can see in a widget tree (labels, buttons, menus and their actions, tabs, placeholders,
tooltips, table headers, window titles), and the English words among them that are not names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

# Names that stay as they are in every language: the product, formats, engines, models, units, keys.
NAMES = {
    "parley", "gguf", "llama", "cpp", "llama.cpp", "vllm", "openai", "hugging", "face", "huggingface", "gemma",
    "smollm", "qwen", "json", "jsonl", "csv", "tsv", "markdown", "http", "https", "url", "api", "cpu", "gpu", "cuda",
    "metal", "vulkan", "ram", "vram", "top", "min", "ctrl", "shift", "enter", "esc", "alt", "tab", "sqlite",
    "server", "jinja", "chatml", "mistral", "bos", "eos", "sha", "rpc", "ssh", "utf",
    "english",  # a language's own name in View › Language, as every language menu writes it
    "serve",  # vllm serve, a command as typed
    # instruction sets and llama.cpp's CPU kernel variants, named after them or after CPUs
    "avx", "vnni", "amx", "sse", "fma", "sandybridge", "ivybridge", "piledriver", "haswell", "skylakex", "cannonlake",
    "cascadelake", "icelake", "cooperlake", "zen", "alderlake", "sapphirerapids",
}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]{2,}")
PLACEHOLDER = r"\{\w+\}"  # a few-shot template's variable, as typed: {input}
OPTION = r"(?<![\w-])--?[a-z][\w-]*"  # a command-line option, as typed: --api-key
PATH = r"(?<![\w.])(?:~|[A-Za-z]:)?[/\\](?:[\w.\-]+[/\\])+[\w.\-]*"  # a folder or file (two parts at least)


def texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for what root shows (visible widgets only) and the menus it opens."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        name = widget.objectName() or type(widget).__name__
        if widget.toolTip():
            yield f"{name} tooltip", widget.toolTip()
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield name, widget.text()
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            yield f"{name} placeholder", widget.placeholderText()
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield f"{name} item", widget.itemText(i)
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield f"{name} tab", widget.tabText(i)
        elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QListView) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount()):
                yield f"{name} header", str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        elif isinstance(widget, (QMenuBar, QMenu)):
            yield from _menu_texts(widget)


def _menu_texts(menu: QMenuBar | QMenu) -> Iterator[tuple[str, str]]:
    for action in menu.actions():
        yield f"menu {action.objectName()}", action.text()
        if action.toolTip() and action.toolTip() != action.text().replace("&", "").rstrip("…."):
            yield f"menu {action.objectName()} tooltip", action.toolTip()
        if action.menu() is not None:
            yield from _menu_texts(action.menu())


def english(text: str) -> list[str]:
    """The English words in text that are not names (markup and URLs left out)."""
    plain = re.sub(r"<[^>]+>|https?://\S+|&\w+;|" + "|".join((PLACEHOLDER, PATH, OPTION)), " ", text)
    return [w for w in WORD.findall(plain.replace("&", "")) if w.lower().strip("'’") not in NAMES]


def untranslated(root: QWidget) -> list[str]:
    return [f"{where}: {text!r}" for where, text in texts(root) if english(text)]
