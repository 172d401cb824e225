"""The Hugging Face page's right-hand side: one repository's GGUF files, and its model card below them.

Files are grouped by quantization, each with how well the whole model (all its shards) fits in this computer's
memory, so a person can pick a file that runs before downloading it. The model card is the server's text, shown
without raw HTML, local files or front matter.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QHeaderView, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.core.i18n import translate
from desktop.core.models.memory import MIB, MemoryEstimate, classify_fit, human_bytes
from desktop.hub.listing import RepoFile, model_files
from desktop.ui.safe_text import SafeTextBrowser
from desktop.ui.widgets import plain_tip

__all__ = ["RepoFilesPane"]

_FILE = Qt.ItemDataRole.UserRole  # a file row's RepoFile (group rows have none)
# GitHub-flavoured tables and lists, but raw HTML shows as text: a model card is untrusted input.
_MARKDOWN = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | QTextDocument.MarkdownFeature.MarkdownNoHTML
_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.DOTALL)  # model cards start with YAML metadata


class RepoFilesPane(QSplitter):
    """The file list with memory fit and a Download button, above the model card."""

    downloadRequested = Signal()  # Download pressed, or a file double-clicked

    def __init__(self, ram_bytes: int, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("hubFilesPane")
        self.ram_bytes = ram_bytes
        self.files = QTreeWidget()
        self.files.setObjectName("hubFiles")
        self.files.setHeaderLabels([translate("HubBrowser", "File"), translate("HubBrowser", "Size"),
                                    translate("HubBrowser", "Shards"), translate("HubBrowser", "Memory (4096 ctx)")])
        self.files.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.files.itemSelectionChanged.connect(self.update_download_button)
        self.files.itemDoubleClicked.connect(lambda *_: self.downloadRequested.emit())
        self.download_button = QPushButton(translate("HubBrowser", "Download"))
        self.download_button.setObjectName("hubDownloadButton")
        self.download_button.setToolTip(translate("HubBrowser", "Download the selected file (all shards of a split "
                                                  "model) to the library"))
        self.download_button.clicked.connect(lambda: self.downloadRequested.emit())
        self.card = SafeTextBrowser()  # a model card is the server's text: no local files, web links only
        self.card.setObjectName("hubModelCard")
        files_box = QWidget()
        files_layout = QVBoxLayout(files_box)
        files_layout.setContentsMargins(0, 0, 0, 0)
        files_layout.addWidget(self.files, 1)
        files_layout.addWidget(self.download_button, 0, Qt.AlignmentFlag.AlignRight)
        self.addWidget(files_box)
        self.addWidget(self.card)
        self.update_download_button()

    def clear(self) -> None:
        """No repository: no files, no card, nothing to download."""
        self.files.clear()
        self.card.clear()
        self.update_download_button()

    def selected_file(self) -> RepoFile | None:
        item = self.files.currentItem()
        file = item.data(0, _FILE) if item else None
        return file if isinstance(file, RepoFile) else None

    def show_files(self, files: list[RepoFile], card: str) -> None:
        """List `files` grouped by quantization, with the memory each model needs, and show the model card."""
        self.files.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for file in files:
            quant = file.quantization or translate("HubBrowser", "Other")
            if quant not in groups:
                groups[quant] = QTreeWidgetItem(self.files, [quant])
                groups[quant].setFlags(Qt.ItemFlag.ItemIsEnabled)
            weights = sum(f.size for f in model_files(files, file))
            estimate = MemoryEstimate(weights=weights, kv_cache=weights // 10, overhead=64 * MIB)
            fit = classify_fit(estimate, self.ram_bytes, None)
            shards = translate("HubBrowser", "{index} of {count}").format(
                index=file.shard_index, count=file.shard_count) if file.shard_count else ""
            memory = translate("HubBrowser", "{fit} (about {size})").format(fit=fit.label,
                                                                           size=human_bytes(estimate.total))
            row = QTreeWidgetItem(groups[quant], [file.path, human_bytes(file.size), shards, memory])
            row.setData(0, _FILE, file)
            row.setToolTip(0, plain_tip(file.path))
        self.files.expandAll()
        self.card.document().setMarkdown(_FRONT_MATTER.sub("", card), _MARKDOWN)
        self.update_download_button()

    def update_download_button(self) -> None:
        self.download_button.setEnabled(self.selected_file() is not None)
