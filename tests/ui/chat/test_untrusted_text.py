"""Text from a model or a server is text: Markdown images never read local files, links never open local files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from pytestqt.qtbot import QtBot

from desktop.core.conversations.messages import Role
from desktop.ui.chat.message_bubble import MessageBubble
from desktop.ui.safe_text import SafeTextBrowser


def secret_image(tmp_path: Path) -> QUrl:
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    path = tmp_path / "secret.png"
    assert image.save(str(path))
    return QUrl.fromLocalFile(str(path))


def test_a_reply_with_a_local_image_reads_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    url = secret_image(tmp_path)
    bubble = MessageBubble(Role.ASSISTANT, f"Look: ![x]({url.toString()}) and ![y](secret.png)")
    qtbot.addWidget(bubble)
    bubble.resize(400, 200)
    bubble.show()
    bubble.grab()  # lays the document out, which asks for its images
    body = bubble._body
    for asked in (url, QUrl("secret.png")):
        shown = body.document().resource(QTextDocument.ResourceType.ImageResource.value, asked)
        assert shown is None or shown.size().width() <= 1  # a blank stand-in, never the 8x8 file


def test_only_web_and_mail_links_leave_the_app(qtbot: QtBot, monkeypatch: object) -> None:
    opened: list[str] = []
    browser = SafeTextBrowser(opener=lambda url: opened.append(url.toString()))
    qtbot.addWidget(browser)
    for link in ("file:///etc/passwd", "smb://host/share", "javascript:alert(1)", "https://example.org/a",
                 "mailto:a@example.org", "relative.html"):
        browser.anchorClicked.emit(QUrl(link))
    assert opened == ["https://example.org/a", "mailto:a@example.org"]
    assert browser.source().isEmpty() and browser.openLinks() is False


def test_embedded_data_images_still_show(qtbot: QtBot) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    data = QUrl("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhK"
                "mMIQAAAABJRU5ErkJggg==")
    assert browser.loadResource(QTextDocument.ResourceType.ImageResource.value, data) is not None


def test_labels_that_show_names_from_files_are_plain_text(qtbot: QtBot, tmp_path: Path) -> None:
    """A GGUF named <img src="file:///dev/zero"> aborted Parley when the status bar rendered it as HTML (here a small
    file stands in for /dev/zero, which on today's code ate all memory until the test was killed)."""
    from PySide6.QtCore import Qt

    from desktop.ui.shell.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    hostile = f'<img src="{secret_image(tmp_path).toString()}"> Evil model'
    window.notice.show_message(f"Could not load {hostile}")
    for label in (window.model_status, window.model_hint, window.notice.label):
        label.setText(hostile)
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
