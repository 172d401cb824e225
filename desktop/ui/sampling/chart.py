"""The sampling view's bar chart: one row per token, three thin bars (model odds, tempered, what the draw uses).

Plain QPainter rather than QtCharts: the rows need per-token greying, a labelled cut-off line and tooltips,
and must fit a ~300 px side panel.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen, QPolygon
from PySide6.QtWidgets import QToolTip, QWidget

from desktop.core.i18n import translate
from desktop.core.prompting.probabilities import SamplingStages
from desktop.ui.widgets import plain_tip

RAW_COLOUR = QColor("#9db0c6")
TEMPERED_COLOUR = QColor("#f0a33a")
FINAL_COLOUR = QColor("#2563eb")
CUT_COLOUR = QColor("#dcdcdc")
CUT_TEXT = QColor("#a3a3a3")
CUTOFF_COLOUR = QColor("#d0342c")
CHOSEN_BACKGROUND = QColor("#fff3c4")


def readable_token(text: str, token_id: int) -> str:
    """Token text a person can read: spaces as '·', newlines as '⏎', tabs as '→'; an empty piece as '#id'."""
    if not text:
        return f"#{token_id}"
    shown = text.replace(" ", "·").replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎").replace("\t", "→")
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in shown)


def percent(p: float, digits: int = 1) -> str:
    if p <= 0:
        return "0%"
    smallest = 10.0 ** -digits
    return f"<{smallest:.{digits}f}%" if p * 100 < smallest else f"{p * 100:.{digits}f}%"


@dataclass(frozen=True)
class BarRow:
    """One token's bar: the three probabilities, whether the draw can pick it, and what cut it if not."""

    text: str
    token_id: int
    raw: float
    tempered: float
    final: float
    kept: bool
    rank: int  # 1 = the model's likeliest token
    chosen: bool
    cut_by: str  # "" when kept; else "top-k", "top-p", "min-p" or "greedy"


def cut_reason(rank: int, stages: SamplingStages, temperature: float) -> str:
    """Which cut-off removed the token at this rank (1-based): the kept tokens are a prefix of the ranking."""
    index = rank - 1
    if temperature <= 0:
        return "greedy" if index >= 1 else ""
    if index >= stages.after_top_k:
        return "top-k"
    if index >= stages.after_top_p:
        return "top-p"
    return "min-p" if index >= stages.after_min_p else ""


class BarChart(QWidget):
    """Horizontal bars, one row per token: label on the left, three thin bars, the draw's chance on the right."""

    ROW_HEIGHT = 22
    GAP = 12  # before a chosen token shown from outside the top rows
    MARGIN = 6
    VALUE_WIDTH = 46

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("samplingChart")
        self.setMinimumWidth(220)
        self.rows: list[BarRow] = []
        self.gap_before: int | None = None
        self.cutoff_row: int | None = None
        self.cutoff_label = ""
        self.temperature = 1.0
        self.paint_count = 0

    def set_rows(self, rows: list[BarRow], gap_before: int | None, cutoff_row: int | None, cutoff_label: str,
                 temperature: float) -> None:
        self.rows, self.gap_before, self.cutoff_row = rows, gap_before, cutoff_row
        self.cutoff_label, self.temperature = cutoff_label, temperature
        self.setMinimumHeight(self._content_height())
        self.updateGeometry()
        self.update()

    def _content_height(self) -> int:
        gap = self.GAP if self.gap_before is not None else 0
        return 2 * self.MARGIN + len(self.rows) * self.ROW_HEIGHT + gap

    def sizeHint(self) -> QSize:
        return QSize(300, max(120, self._content_height()))

    def minimumSizeHint(self) -> QSize:
        return QSize(220, self._content_height())

    def row_top(self, index: int) -> int:
        gap = self.GAP if self.gap_before is not None and index >= self.gap_before else 0
        return self.MARGIN + index * self.ROW_HEIGHT + gap

    def row_at(self, y: int) -> int | None:
        for index in range(len(self.rows)):
            if self.row_top(index) <= y < self.row_top(index) + self.ROW_HEIGHT:
                return index
        return None

    def tooltip_for(self, index: int) -> str:
        row = self.rows[index]
        lines = [row.text + "   " + translate(
            "BarChart", "(token id {id}, rank {rank})").format(id=row.token_id, rank=row.rank),
                 translate("BarChart", "Model (temperature 1): {share}").format(share=percent(row.raw, 2)),
                 translate("BarChart", "Whole list at temperature {temperature}: {share}").format(
                     temperature=f"{self.temperature:.2f}", share=percent(row.tempered, 2)),
                 translate("BarChart", "Chance in the draw: {share}").format(share=percent(row.final, 2))]
        if not row.kept:
            lines.append(translate("BarChart", "Removed by {cut}").format(cut=row.cut_by) if row.cut_by != "greedy"
                         else translate("BarChart", "Temperature 0: never picked"))
        if row.chosen:
            lines.append("▶ " + translate("BarChart", "This token was chosen here"))
        return plain_tip("\n".join(lines))  # token text comes from the model's vocabulary

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.row_at(event.pos().y())
            if index is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_for(index), self)
            return True
        return super().event(event)

    def _label_width(self, metrics: QFontMetrics) -> int:
        widest = max((metrics.horizontalAdvance(r.text) for r in self.rows), default=40)
        return min(max(60, widest + 20), int(self.width() * 0.38))

    def paintEvent(self, event: QPaintEvent) -> None:
        self.paint_count += 1
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.rows:
            return
        metrics = QFontMetrics(self.font())
        label_width = self._label_width(metrics)
        bars_left = self.MARGIN + label_width + 4
        bars_width = max(20, self.width() - bars_left - self.VALUE_WIDTH - self.MARGIN)
        scale = max(max(r.raw, r.tempered, r.final) for r in self.rows) or 1.0
        text_colour = self.palette().text().color()
        for index, row in enumerate(self.rows):
            top = self.row_top(index)
            if row.chosen:
                painter.fillRect(QRect(0, top, self.width(), self.ROW_HEIGHT), CHOSEN_BACKGROUND)
                marker = QPolygon([QPoint(2, top + 7), QPoint(8, top + 11), QPoint(2, top + 15)])
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(FINAL_COLOUR)
                painter.drawPolygon(marker)
            font = QFont(self.font())
            font.setBold(row.chosen)
            painter.setFont(font)
            painter.setPen(text_colour if row.kept else CUT_TEXT)
            label_rect = QRect(self.MARGIN + 6, top, label_width - 10, self.ROW_HEIGHT)
            label = QFontMetrics(font).elidedText(row.text, Qt.TextElideMode.ElideRight, label_rect.width())
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            for value, colour, offset in ((row.raw, RAW_COLOUR, 2), (row.tempered, TEMPERED_COLOUR, 8),
                                          (row.final, FINAL_COLOUR, 14)):
                width = max(1, round(value / scale * bars_width)) if value > 0 else 0
                painter.fillRect(QRect(bars_left, top + offset, width, 5), colour if row.kept else CUT_COLOUR)
            painter.setPen(text_colour if row.kept else CUT_TEXT)
            small = QFont(self.font())
            small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.9))
            small.setBold(row.chosen)
            painter.setFont(small)
            value_rect = QRect(self.width() - self.VALUE_WIDTH - self.MARGIN, top, self.VALUE_WIDTH, self.ROW_HEIGHT)
            painter.drawText(value_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             percent(row.final) if row.kept else "—")
        if self.gap_before is not None:
            painter.setPen(CUT_TEXT)
            painter.setFont(self.font())
            gap_rect = QRect(self.MARGIN, self.row_top(self.gap_before) - self.GAP - 2, label_width, self.GAP + 2)
            painter.drawText(gap_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, "⋯")
        self._paint_cutoff(painter)

    def _paint_cutoff(self, painter: QPainter) -> None:
        if self.cutoff_row is None:
            return
        y = self.row_top(self.cutoff_row) - (self.GAP // 2 if self.cutoff_row == self.gap_before else 0)
        painter.setPen(QPen(CUTOFF_COLOUR, 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(self.MARGIN, y, self.width() - self.MARGIN, y)
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
        small.setBold(True)
        painter.setFont(small)
        metrics = QFontMetrics(small)
        text = f"✂ {self.cutoff_label}"
        box = QRect(0, 0, metrics.horizontalAdvance(text) + 8, metrics.height())
        box.moveTopRight(QPoint(self.width() - self.MARGIN - self.VALUE_WIDTH - 4, y - metrics.height() // 2))
        painter.fillRect(box, self.palette().base())
        painter.setPen(CUTOFF_COLOUR)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
