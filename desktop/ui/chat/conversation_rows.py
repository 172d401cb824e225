"""How the chat sidebar shows a row: the item roles, the time and snippet text, the pin icon and the delegate that
paints a search hit with its matches highlighted."""

from __future__ import annotations

import html
import math
import time
from datetime import datetime
from functools import cache

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QIcon, QPainter, QPalette, QPixmap, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.core.i18n import translate
from desktop.core.paths import resource_dir

ID_ROLE = Qt.ItemDataRole.UserRole  # the conversation's id
HIT_ROLE = Qt.ItemDataRole.UserRole + 1  # True for a search hit: the conversation's row while searching
PINNED_ROLE = Qt.ItemDataRole.UserRole + 2
WHEN_ROLE = Qt.ItemDataRole.UserRole + 3  # "today 14:02"
TITLE_ROLE = Qt.ItemDataRole.UserRole + 4  # the stored title, to put back when an edit is refused
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 5  # a hit's snippet as HTML, its matches in <b>
INDENT_ROLE = Qt.ItemDataRole.UserRole + 6  # True for an unpinned row in a list with pinned ones: room for the pin
PIN_ICON = resource_dir() / "icons" / "pin.svg"
MATCH_TINT = 0.35  # how much of the palette's highlight colour is behind a matched word


def relative_time(stamp: float, now: float | None = None) -> str:
    """Short enough for a narrow sidebar: the time for today and yesterday, the date otherwise."""
    when, today = datetime.fromtimestamp(stamp), datetime.fromtimestamp(time.time() if now is None else now).date()
    days = (today - when.date()).days
    clock = f"{when:%H:%M}"
    if days == 0:
        return translate("ConversationRows", "today {time}").format(time=clock)
    if days == 1:
        return translate("ConversationRows", "yesterday {time}").format(time=clock)
    if when.year == today.year:
        # a translation may use {number}, the month's number, in place of its name
        return translate("ConversationRows", "{day} {month}").format(
            day=when.day, month=month_name(when.month), number=when.month)
    return translate("ConversationRows", "{day} {month} {year}").format(
        day=when.day, month=month_name(when.month), number=when.month, year=when.year)


def month_name(number: int) -> str:
    """A short month name (1-12) in the person's language."""
    names = (
        translate("ConversationRows", "Jan"), translate("ConversationRows", "Feb"),
        translate("ConversationRows", "Mar"), translate("ConversationRows", "Apr"),
        translate("ConversationRows", "May"), translate("ConversationRows", "Jun"),
        translate("ConversationRows", "Jul"), translate("ConversationRows", "Aug"),
        translate("ConversationRows", "Sep"), translate("ConversationRows", "Oct"),
        translate("ConversationRows", "Nov"), translate("ConversationRows", "Dec"),
    )
    return names[number - 1]


def plain_snippet(snippet: str) -> str:
    """The store marks matches with ** for Markdown; the item's plain text (and screen readers) get it without."""
    return snippet.replace("**", "")


def html_snippet(snippet: str) -> str:
    """The matches in bold, everything else escaped (message text is not markup)."""
    parts = html.escape(snippet).split("**")
    return "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))


@cache
def pin_icon() -> QIcon:
    """A drawn pin (an emoji is missing from many fonts); the style's up arrow, "kept at the top", without SVG."""
    icon = QIcon(str(PIN_ICON))
    if icon.isNull() or icon.pixmap(16, 16).isNull():
        icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_ArrowUp)
    return icon


@cache
def blank_icon() -> QIcon:
    """As wide as the pin and empty: an unpinned row's title starts where a pinned row's does."""
    blank = QPixmap(64, 64)  # larger than any icon size: scaled down like the pin, never up
    blank.fill(Qt.GlobalColor.transparent)
    return QIcon(blank)


def _tint(palette: QPalette) -> QColor:
    base, mark = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight)
    return QColor.fromRgbF(*(b + (m - b) * MATCH_TINT for b, m in zip(
        (base.redF(), base.greenF(), base.blueF()), (mark.redF(), mark.greenF(), mark.blueF()), strict=True)))


class RowDelegate(QStyledItemDelegate):
    """A conversation row: the title with its time below (the item's own text, what F2 edits, is only the title);
    a search hit: title and snippet as rich text, the matches in bold on a tint of the highlight colour."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if index.data(HIT_ROLE):
            option.text = ""  # paint() draws it as rich text
            return
        if index.data(WHEN_ROLE) is None:
            return
        if index.data(INDENT_ROLE):  # an empty space as wide as the pin, so every title starts at the same place
            option.features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration
            option.decorationSize = pin_icon().actualSize(option.decorationSize)
            option.icon = blank_icon()
        # U+2028, not "\n": item views only break lines at the Unicode line separator.
        option.text = f"{index.data(Qt.ItemDataRole.DisplayRole)}\u2028{index.data(WHEN_ROLE)}"

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        if not index.data(HIT_ROLE):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        document = self.document(opt, index, rect.width())
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        if not index.data(HIT_ROLE):
            return super().sizeHint(option, index)
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QAbstractItemView) else 240
        document = self.document(option, index, max(width - 8, 60))
        return QSize(width, math.ceil(document.size().height()) + 6)

    @staticmethod
    def document(option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex,
                 width: float) -> QTextDocument:
        """A hit row as rich text: its first line (title, match count) and the snippet."""
        document = QTextDocument()
        document.setDocumentMargin(1)
        document.setDefaultFont(option.font)
        document.setDefaultStyleSheet(f"b {{ background-color: {_tint(option.palette).name()}; }}")
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "").split("\n", 1)[0]
        document.setHtml(f"{html.escape(title)}<br>{index.data(SNIPPET_ROLE) or ''}")
        document.setTextWidth(width)
        return document
