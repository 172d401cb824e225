"""Rich text from a model, a file or a server, shown without trusting it.

A Markdown image such as ![x](file:///dev/zero) made Qt read that local file while laying out the text (a 1 GB
file froze the window; /dev/zero aborted Parley), and a clicked file:// link showed the file inside the view.
Here resources load only from embedded data: URLs, and only web and mail links leave the app, after a click, in
the system's browser or mail program.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

OUTSIDE_SCHEMES = ("http", "https", "mailto")
MAX_EMBEDDED = 4 << 20  # bytes: an embedded image larger than this is not decoded


def embedded_data(url: QUrl) -> QByteArray | None:
    """The payload of a data: URL ("data:image/png;base64,…"), or None for anything else or anything too big."""
    if url.scheme() != "data":
        return None
    text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    header, _, payload = text[len("data:"):].partition(",")
    if len(payload) > MAX_EMBEDDED * 4 // 3 + 4:
        return None
    raw = QByteArray(payload.encode("ascii", "ignore"))
    return QByteArray.fromBase64(raw) if header.endswith(";base64") else QByteArray.fromPercentEncoding(raw)


def open_outside(url: QUrl, opener: Callable[[QUrl], object] = QDesktopServices.openUrl) -> bool:
    """Hands web and mail links to the system; everything else (file:, smb:, javascript:, relative) is refused."""
    if url.scheme() not in OUTSIDE_SCHEMES:
        return False
    opener(url)
    return True


class SafeTextBrowser(QTextBrowser):
    def __init__(self, parent: QWidget | None = None, *, handle_links: bool = True,
                 opener: Callable[[QUrl], object] = QDesktopServices.openUrl) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)  # never navigates inside the view
        self.setOpenExternalLinks(False)
        self._opener = opener
        if handle_links:
            self.anchorClicked.connect(lambda url: open_outside(url, self._opener))

    def loadResource(self, type_: int, url: QUrl | str) -> object:
        """Embedded data only. A null answer would let QTextDocument read file: and relative URLs itself, so
        anything else gets a harmless stand-in: a blank pixel for an image, a space for text. Both are bytes:
        PySide hands other Python objects to Qt in a form its image handler cannot use, which then reads the
        file itself."""
        url = QUrl(url)
        data = embedded_data(url)
        if data is not None and not data.isEmpty():
            return data
        if type_ == QTextDocument.ResourceType.ImageResource.value:
            return QByteArray(_BLANK_PNG)
        return QByteArray(b" ")


_BLANK_PNG = base64.b64decode(  # a 1x1 transparent PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
