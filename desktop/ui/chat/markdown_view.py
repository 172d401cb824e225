"""A message's Markdown in a QTextDocument, the way chat apps show it: line breaks kept, code blocks on a shaded
monospace background with a "Copy code" link above each, inline code shaded too."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from desktop.core.conversations.markdown_text import with_line_breaks
from desktop.core.i18n import translate

# GitHub-flavoured Markdown; HTML in a message is shown as text, never interpreted.
MARKDOWN = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | QTextDocument.MarkdownFeature.MarkdownNoHTML
COPY_SCHEME = "parley-copy"  # "parley-copy:N" copies the message's code block N
CODE_SHADE = QColor(127, 127, 127, 38)  # translucent grey: reads on light and dark backgrounds alike
COPY_LABEL = "Copy code"  # English (evaluated at import): what copy_label() shows without a translator


def copy_label() -> str:
    return translate("MarkdownView", "Copy code")


def _is_code(block: QTextBlock) -> bool:
    return block.isValid() and block.blockFormat().hasProperty(QTextFormat.Property.BlockCodeFence)


def render(document: QTextDocument, source: str) -> list[str]:
    """Lay out `source` into `document`; returns the text of each code block, in order, for its Copy link."""
    document.setMarkdown(with_line_breaks(source) if source else "…", MARKDOWN)
    groups: list[list[QTextBlock]] = []
    block = document.begin()
    while block.isValid():
        if _is_code(block):
            if not groups or groups[-1][-1] != block.previous():
                groups.append([])
            groups[-1].append(block)
        else:
            _shade_inline_code(block)
        block = block.next()
    codes = ["\n".join(b.text() for b in group) for group in groups]
    for group in groups:
        for code_block in group:
            cursor = QTextCursor(code_block)
            shaded = code_block.blockFormat()
            shaded.setBackground(CODE_SHADE)
            shaded.setLeftMargin(6)
            shaded.setRightMargin(6)
            cursor.setBlockFormat(shaded)
    for n, group in reversed(list(enumerate(groups))):  # from the end: inserting shifts what follows
        _insert_copy_link(group[0], n)
    return codes


def _shade_inline_code(block: QTextBlock) -> None:
    fragments = block.begin()
    while not fragments.atEnd():
        fragment = fragments.fragment()
        if fragment.isValid() and fragment.charFormat().fontFixedPitch():
            cursor = QTextCursor(block.document())
            cursor.setPosition(fragment.position())
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
            shaded = QTextCharFormat()
            shaded.setBackground(CODE_SHADE)
            cursor.mergeCharFormat(shaded)
        fragments += 1


def _insert_copy_link(first: QTextBlock, index: int) -> None:
    """A right-aligned "Copy code" line just above the code block."""
    cursor = QTextCursor(first)
    cursor.insertBlock(first.blockFormat(), first.charFormat())  # the code moves down; an empty block stays above
    cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
    label = QTextBlockFormat()
    label.setAlignment(Qt.AlignmentFlag.AlignRight)
    label.setTopMargin(4)
    cursor.setBlockFormat(label)
    link = QTextCharFormat()
    link.setAnchor(True)
    link.setAnchorHref(f"{COPY_SCHEME}:{index}")
    link.setFontUnderline(False)
    link.setForeground(QGuiApplication.palette().link())
    link.setFontPointSize(max(7.0, QFont().pointSizeF() - 1))
    link.setToolTip(translate("MarkdownView", "Copy this code"))
    cursor.insertText(copy_label(), link)
