"""The four nutrients a committee checks first (energy, protein, fat, iron), large, each in a card."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from ..models.nutrients import INCOMPLETE_COLOR, NutrientLine
from ..theme import BASE_POINT_SIZE, MUTED_COLOR, set_role

KEY_NUTRIENTS = ("energy_kcal", "protein_g", "fat_g", "iron_mg")


class _Card(QFrame):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        set_role(self, "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.label = QLabel()
        set_role(self.label, "muted")
        self.value = QLabel()
        self.value.setStyleSheet(f"font-size: {BASE_POINT_SIZE + 8}pt; font-weight: bold;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {INCOMPLETE_COLOR};")
        layout.addWidget(self.label)
        layout.addWidget(self.value)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def set_line(self, line: NutrientLine) -> None:
        self.label.setText(line.label)
        self.value.setText(line.amount)
        colour = "black" if line.known else MUTED_COLOR
        self.value.setStyleSheet(
            f"font-size: {BASE_POINT_SIZE + 8}pt; font-weight: bold; color: {colour};"
            + ("" if line.known else " font-style: italic;")
        )
        self.note.setText(line.note)
        self.note.setVisible(bool(line.note))


class KeyNutrients(QWidget):
    """Cards in a 4×1 row (2×2 when ``columns=2``)."""

    def __init__(self, parent=None, *, columns: int = 4) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.cards: dict[str, _Card] = {}
        for i, key in enumerate(KEY_NUTRIENTS):
            card = _Card(self)
            self.cards[key] = card
            layout.addWidget(card, i // columns, i % columns)

    def set_lines(self, lines: list[NutrientLine]) -> None:
        by_key = {line.key: line for line in lines}
        for key, card in self.cards.items():
            if key in by_key:
                card.set_line(by_key[key])

    def text(self) -> str:
        """Everything the cards say (for tests and accessibility)."""
        return "\n".join(
            f"{c.label.text()}: {c.value.text()} {c.note.text()}".strip() for c in self.cards.values()
        )
