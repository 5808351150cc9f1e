"""A count typed from the keyboard (rations, children, packages in an acta): whole numbers only, and said so.

Entering the box (Tab or click) selects its number, so the digits typed replace the 0 instead of making 340 or
034 of it.

Qt's spin box drops what it cannot take without a word: «0,5» typed in «Cantidad en el acta» became 5 (the
comma dropped, the 5 kept) and «1000000000» became 100000 (the digits past the maximum dropped). Here a comma
or a point is refused and said («Aquí va un número entero…»), and so are the digits typed after it until the
number is typed again, so «0,5» stays 0 in red instead of becoming 5; a digit past the maximum is said too.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QSpinBox, QToolTip

from ..i18n import _
from ..theme import set_invalid

_EDITING_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)


class NumberBox(QSpinBox):
    _after_separator = False  # a comma or point was typed: the digits after it are not this number's
    _warning = ""

    def warning(self) -> str:
        """What the box said about what was typed ("" once a number is typed again)."""
        return self._warning

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().focusInEvent(event)
        self._after_separator = False
        if not self.isReadOnly():
            self.selectAll()
            QTimer.singleShot(0, self, self.selectAll)  # again after a click has placed the cursor

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        text = event.text()
        if self.isReadOnly() or not text or event.modifiers() & (Qt.KeyboardModifier.ControlModifier |
                                                                Qt.KeyboardModifier.AltModifier):
            if event.key() in _EDITING_KEYS:
                self._after_separator = False
            super().keyPressEvent(event)
            return
        if text in (",", "."):
            self._after_separator = True
            self._say(_("Aquí va un número entero, sin coma ni punto: escriba las unidades enteras (por ejemplo 5)."))
            event.accept()
            return
        if text.isdigit() and self._after_separator:
            event.accept()  # «0,5» is not 5: the 5 was meant after the comma
            return
        before = self.text()
        super().keyPressEvent(event)
        if text.isdigit():
            if self.text() == before and self.lineEdit().selectedText() == "":
                self._say(_("El número no puede pasar de {n}.").format(n=f"{self.maximum():,}"))
            elif self._warning:
                self._clear()

    def _say(self, message: str) -> None:
        self._warning = message
        set_invalid(self, True)
        self.setToolTip(message)
        if self.isVisible():
            QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), message, self)

    def _clear(self) -> None:
        self._warning = ""
        set_invalid(self, False)
        self.setToolTip("")
