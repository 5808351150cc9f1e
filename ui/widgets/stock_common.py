"""Small pieces shared by the store's pages (Recepción, Almacén, Raciones, Incidencias, Inicio).

``today()`` is the one place the store's pages ask for the date (tests replace it). How numbers and dates
are written is in ``ui.models.stock_format`` (the worker uses it too).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ..i18n import _
from ..theme import set_role
from .date_entry import DayFirstDateEdit

NO_COMMITTEE = "Registre primero el comité en «Comité»"


def today() -> date:
    """The day the pages work on (tests replace this function)."""
    from qaliwarma import clock

    return clock.today()  # the real date, or QALIWARMA_TODAY as for the core (training, tests)


def parse_number(text: str) -> Decimal | None:
    """A number as people type it ("1,5", "1.5", "1,234.5", "9.709" as the app writes it); None when it
    is not one."""
    from qaliwarma.io.tabular import parse_decimal
    from qaliwarma.numbers import APP_STYLE

    return parse_decimal(text, style=APP_STYLE)


# ---------------------------------------------------------------------------------------------- widgets
def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DayEdit(DayFirstDateEdit):
    """A required date, dd/mm/yyyy, with a calendar to pick from (typed from its day; Tab leaves it)."""

    def __init__(self, day: date | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 60)
        self.set_day(day or today())

    def day(self) -> date:
        return from_qdate(self.date())

    def set_day(self, day: date) -> None:
        self.setDate(to_qdate(day))


class DateField(QLineEdit):
    """A date that may be left blank (dd/mm/aaaa): ``value()`` is the date, None when blank or wrong."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("dd/mm/aaaa"))
        self.setMaxLength(10)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 16)

    def is_blank(self) -> bool:
        return not self.text().strip()

    def value(self) -> date | None:
        from qaliwarma.io.tabular import parse_date

        return None if self.is_blank() else parse_date(self.text())

    def problem(self) -> str | None:
        if not self.is_blank() and self.value() is None:
            return _("«{text}» no es una fecha: escríbala como 25/03/2027").format(text=self.text().strip())
        return None

    def set_value(self, day: date | None) -> None:
        self.setText("" if day is None else f"{day:%d/%m/%Y}")


def field_block(label_text: str, field: QWidget, *, message: QLabel | None = None) -> QWidget:
    """A label above its field (and an optional red message below): compact for forms with many fields."""
    block = QWidget()
    layout = QVBoxLayout(block)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label = QLabel(label_text)
    label.setBuddy(field)
    layout.addWidget(label)
    layout.addWidget(field)
    if message is not None:
        layout.addWidget(message)
    return block


def message_label() -> QLabel:
    """A red message beside a field, hidden while empty."""
    label = QLabel()
    label.setWordWrap(True)
    set_role(label, "error")
    label.hide()
    return label


def show_message(label: QLabel, text: str | None, *, ok: bool = False) -> None:
    from .message import set_message

    set_role(label, "ok" if ok else "error")
    set_message(label, text)


def no_committee_label() -> QLabel:
    label = QLabel(_("Todavía no hay un comité registrado.\n{what}: allí se escriben los datos de la "
                     "institución educativa y sus niveles; después podrá usar esta parte.").format(
        what=_(NO_COMMITTEE)))
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    set_role(label, "heading")
    return label


def error_text(error: Exception) -> str:
    """A domain error's message for the user (the list of problems included)."""
    return str(error)
