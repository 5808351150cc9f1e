"""A large search field that reports what was typed once the user pauses (debounced)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLineEdit

DEBOUNCE_MS = 250


class SearchField(QLineEdit):
    settled = Signal(str)

    def __init__(self, placeholder: str, parent=None, *, delay_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(lambda: self.settled.emit(self.text()))
        self.textChanged.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self.flush)

    def flush(self) -> None:
        """Report now (Enter pressed)."""
        self._timer.stop()
        self.settled.emit(self.text())
