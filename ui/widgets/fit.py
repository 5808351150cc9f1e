"""Drop-downs wide enough for their longest choice: at 1366×768 a squeezed combo box cut its text
(«Director(a) de la institución educa», «Menú de diciembre 20»)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox

PADDING = 16  # the style sheet's padding (5px 6px) and a little air


def fit_to_items(combo: QComboBox, *, limit: int = 700) -> QComboBox:
    """Keep ``combo`` at least as wide as its longest item (up to ``limit`` pixels), now and whenever
    its items change. Returns the combo."""

    def fit() -> None:
        metrics = combo.fontMetrics()
        text = max((metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())), default=0)
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        frame = combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, QSize(0, 0), combo).width()
        combo.setMinimumWidth(min(text + frame + PADDING, limit))

    model = combo.model()
    model.rowsInserted.connect(lambda *_a: fit())
    model.rowsRemoved.connect(lambda *_a: fit())
    model.modelReset.connect(fit)
    model.dataChanged.connect(lambda *_a: fit())
    fit()
    return combo
