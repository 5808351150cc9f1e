"""Column widths for wide summary tables on a small screen: each column as wide as its data or the
widest line of its (two-line) title, no wider; one column takes the room left, and when there is
none left it keeps a readable width and the table scrolls sideways."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

TITLE_ROOM = 18  # header padding (see HEADER_STYLE) and margins
HEADER_STYLE = "QHeaderView::section { padding: 6px 3px; }"
ARROW_ROOM = 18  # the sort arrow, in the column the table is sorted by


def fit_columns(table: QTableView, main: int, *, main_min: int = 260, main_max: int = 460) -> None:
    model = table.model()
    header = table.horizontalHeader()
    if model is None:
        return
    bold = header.font()
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    used = 0
    for column in range(model.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        if column == main or header.isSectionHidden(column):
            continue
        title = str(model.headerData(column, header.orientation()) or "")
        room = TITLE_ROOM + (ARROW_ROOM if header.isSortIndicatorShown() and header.sortIndicatorSection() == column
                             else 0)
        width = max([table.sizeHintForColumn(column)] + [metrics.horizontalAdvance(line) + room
                                                        for line in title.split("\n")])
        header.resizeSection(column, width)
        used += width
    room = table.viewport().width() - used
    header.resizeSection(main, max(main_min, min(main_max, room)) if room < main_min else room)
