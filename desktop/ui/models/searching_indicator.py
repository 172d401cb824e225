"""The line the Hugging Face page shows while a search runs: that it is busy, what it searches for, and Cancel.

A search on a slow network can take as long as its timeout, so the person always sees that it runs and can give up
on it without waiting.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from desktop.core.i18n import translate
from desktop.ui.widgets import named_button, plain_label

__all__ = ["SearchingIndicator"]


class SearchingIndicator(QWidget):
    """A busy bar, "Searching Hugging Face for …", and a Cancel button (its clicked signal is for the page)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hubSearchingIndicator")
        busy = QProgressBar()
        busy.setRange(0, 0)  # indeterminate: Hugging Face does not say how long it will take
        busy.setTextVisible(False)
        busy.setMaximumWidth(120)
        self.text = plain_label(translate("HubBrowser", "Searching Hugging Face…"), "hubSearchingText")
        self.cancel_button = named_button("hubCancelSearchButton", translate("HubBrowser", "Cancel"),
                                          translate("HubBrowser", "Stop waiting for this search"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(busy)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    def set_query(self, query: str) -> None:
        """Say what is being searched for (or just that a search runs, for an empty query)."""
        shown = query.strip()
        self.text.setText(translate("HubBrowser", "Searching Hugging Face for “{query}”…").format(query=shown)
                          if shown else translate("HubBrowser", "Searching Hugging Face…"))
