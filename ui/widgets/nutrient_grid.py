"""Nutrient lines as a grid of labels: name, amount, and the "incompleto" note wrapping beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from ..models.nutrients import INCOMPLETE_COLOR, NutrientLine
from ..theme import MUTED_COLOR


class NutrientGrid(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setHorizontalSpacing(18)
        self._layout.setVerticalSpacing(4)
        self._layout.setColumnStretch(2, 1)
        self._labels: list[QLabel] = []

    def set_lines(self, lines: list[NutrientLine]) -> None:
        for label in self._labels:
            self._layout.removeWidget(label)
            label.deleteLater()
        self._labels = []
        for row, line in enumerate(lines):
            name = QLabel(line.label)
            amount = QLabel(line.amount)
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            note = QLabel(line.note)
            note.setWordWrap(True)
            if not line.known:
                amount.setStyleSheet(f"color: {MUTED_COLOR}; font-style: italic;")
                name.setStyleSheet(f"color: {MUTED_COLOR};")
            elif line.note:
                amount.setStyleSheet(f"color: {INCOMPLETE_COLOR};")
                note.setStyleSheet(f"color: {INCOMPLETE_COLOR};")
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            for col, label in enumerate((name, amount, note)):
                self._layout.addWidget(label, row, col)
                self._labels.append(label)

    def text(self) -> str:
        """Everything shown, one nutrient a line (for tests and copying)."""
        cells = [label.text() for label in self._labels]
        return "\n".join(" ".join(t for t in cells[i:i + 3] if t) for i in range(0, len(cells), 3))
