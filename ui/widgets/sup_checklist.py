"""A checklist: one line per fact, each with a mark that says whether it is fine (✔), worth a look
(⚠) or wrong (✖), and an optional second line that says what to do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from ..theme import BASE_POINT_SIZE, ERROR_COLOR, MUTED_COLOR, OK_COLOR

MARKS = {"ok": ("✔", OK_COLOR), "warn": ("⚠", "#a86a00"), "error": ("✖", ERROR_COLOR), "info": ("•", MUTED_COLOR)}


class CheckList(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(6)
        self._grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        self.lines: list[tuple[str, str, str]] = []  # (state, text, detail) as shown

    def set_items(self, items) -> None:
        """``items``: objects with ``state``, ``text`` and ``detail``."""
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.lines = []
        for row, item in enumerate(items):
            mark, colour = MARKS.get(item.state, MARKS["info"])
            icon = QLabel(mark)
            icon.setStyleSheet(f"color: {colour}; font-size: {BASE_POINT_SIZE + 3}pt; font-weight: bold;")
            icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            icon.setMinimumWidth(icon.fontMetrics().horizontalAdvance("✔✔"))
            text = QLabel(item.text)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            weight = "bold" if item.state in ("warn", "error") else "normal"
            text.setStyleSheet(f"font-weight: {weight};" + (f" color: {ERROR_COLOR};" if item.state == "error" else ""))
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(text)
            holder = QWidget()
            holder.setLayout(box)
            box.setContentsMargins(0, 0, 0, 0)
            if item.detail:
                detail = QLabel(item.detail)
                detail.setWordWrap(True)
                detail.setStyleSheet(f"color: {MUTED_COLOR if item.state == 'info' else '#2b2b2b'};")
                box.addWidget(detail)
            self._grid.addWidget(icon, row, 0)
            self._grid.addWidget(holder, row, 1)
            self.lines.append((item.state, item.text, item.detail))

    def texts(self) -> list[str]:
        return [text for _state, text, _detail in self.lines]
