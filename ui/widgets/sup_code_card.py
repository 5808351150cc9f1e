"""The month's verification code, large, with what it is for: the same code is printed on every page
of the monthly report and sealed in the supervisor's package, so paper and file can be matched."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from ..theme import ACCENT_COLOR, BASE_POINT_SIZE, set_role


class CodeCard(QFrame):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        set_role(self, "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(4)
        self.caption = QLabel()
        set_role(self.caption, "muted")
        self.code = QLabel()
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(BASE_POINT_SIZE + 11)
        mono.setBold(True)
        self.code.setFont(mono)
        self.code.setStyleSheet(f"color: {ACCENT_COLOR}; letter-spacing: 1px;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.caption)
        layout.addWidget(self.code)
        layout.addWidget(self.note)

    def set_code(self, caption: str, code: str, note: str = "") -> None:
        self.caption.setText(caption)
        self.code.setText(code)
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def text(self) -> str:
        return self.code.text()
