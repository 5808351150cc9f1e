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
from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox, QToolTip

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
        _say(self, message)

    def _clear(self) -> None:
        _clear(self)


def _say(box, message: str) -> None:
    """Say ``message`` at ``box`` (a NumberBox or GramsBox): red, in its tooltip, shown at once if it is visible."""
    box._warning = message
    set_invalid(box, True)
    box.setToolTip(message)
    if box.isVisible():
        QToolTip.showText(box.mapToGlobal(QPoint(0, box.height())), message, box)


def _clear(box) -> None:
    box._warning = ""
    set_invalid(box, False)
    box.setToolTip("")


class GramsBox(QDoubleSpinBox):
    """Grams of one food per child (the recipe editor): read as the application writes numbers (decimal point;
    a comma before one or two digits is a decimal comma), never with a digit dropped.

    Qt's box took «0,5» as 5 g (the comma dropped as a thousands separator) and refused a second decimal or a
    digit past 2000 without a word. Here «0,5» and «0.5» are half a gram, «1,500» is 1500 g (as in «S/ 1,500.00»;
    the editor then says that more than 500 g of one food is not a portion), and what cannot be taken (a
    letter, a second decimal, more than 2000 g) is said where it was typed."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        from qaliwarma.numbers import RATION_GRAMS

        self._limit = RATION_GRAMS
        self.setRange(float(RATION_GRAMS.low), float(RATION_GRAMS.high))
        self.setDecimals(RATION_GRAMS.decimals)
        self.setSuffix(" g")
        self._refusal = ""
        self._warning = ""

    def warning(self) -> str:
        """What the box said about what was typed ("" once a number it takes is typed)."""
        return self._warning

    def _number(self, text: str):
        """The grams in ``text`` (the suffix and spaces left out); NumberRefused says why not."""
        from qaliwarma.numbers import APP_STYLE, read_number

        body = text.strip().removesuffix(self.suffix().strip()).strip()
        return read_number(body, self._limit, APP_STYLE)

    def validate(self, text: str, pos: int):
        from PySide6.QtGui import QValidator

        from qaliwarma.numbers import NumberRefused

        body = text.strip().removesuffix(self.suffix().strip()).strip()
        if not body or body[-1] in ",." and body.count(",") + body.count(".") == 1 and body[:-1].isdigit():
            return QValidator.State.Intermediate, text, pos  # «», «12,», «0.»: the number is being typed
        try:
            self._number(text)
        except NumberRefused as refused:
            self._refusal = refused.why
            if refused.rule == "separators" and body[-1].isdigit():
                return QValidator.State.Intermediate, text, pos  # «1,50» on the way to «1,500»
            return QValidator.State.Invalid, text, pos
        self._refusal = ""
        return QValidator.State.Acceptable, text, pos

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt naming
        from qaliwarma.numbers import NumberRefused

        try:
            return float(self._number(text))
        except NumberRefused:
            return self.value()

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt naming
        return f"{value:.{self.decimals()}f}"  # the application's decimal point, whatever the locale

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().focusInEvent(event)
        if not self.isReadOnly():
            QTimer.singleShot(0, self, self.selectAll)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        typed = event.text()
        before = self.lineEdit().text()
        self._refusal = ""
        super().keyPressEvent(event)
        printable = bool(typed) and typed.isprintable() and not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        if printable and self.lineEdit().text() == before and self._refusal:
            _say(self, self._refusal[:1].upper() + self._refusal[1:])
        elif self._warning and self.lineEdit().text() != before and (printable or event.key() in _EDITING_KEYS):
            _clear(self)  # typed again (not Qt writing the number its own way on Enter)
