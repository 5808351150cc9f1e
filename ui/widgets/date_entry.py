"""A date typed as the committee types it: the day first, and Tab goes on to the next field.

A ``QDateEdit`` puts the cursor where it was clicked. The fields are wide, so a click usually lands on the
year: typing «15» for the 15th then changed nothing (a year 15 is out of range) and the day could be typed only
after an arrow key. Here the day is selected whenever the field takes the focus, by click or by Tab, so «15» is
the 15th and «15122026» the whole date (Qt moves on to the month after two digits). A click in a field that
already has the focus still picks the part clicked.

Qt's Tab also moved from day to month to year inside the field: a form filled «with the Tab key, field by field»
(as the screens say) got stuck in the date, and the digits meant for the next field changed the date. Tab and
Shift+Tab leave the field; the arrow keys and the «/» move between its parts.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QWidget

#: the dates a form's field takes, as the files are read (qaliwarma/io/tabular.py): a narrower range made Qt
#: change a typed month silently to one inside it; the form says instead what is wrong with the date
WIDEST = (date(2000, 1, 1), date(2100, 12, 31))


class DayFirstDateEdit(QDateEdit):
    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().focusInEvent(event)
        # after the click that gave the focus has placed the cursor (it is handled after this event)
        QTimer.singleShot(0, self._select_day)

    def _select_day(self) -> None:
        if self.hasFocus():
            self.setSelectedSection(QDateTimeEdit.Section.DaySection)

    def focusNextPrevChild(self, next_: bool) -> bool:  # noqa: N802 - Qt naming
        return QWidget.focusNextPrevChild(self, next_)  # to the next field, not to the next part of the date

    def take_any_date(self) -> None:
        """Any date of WIDEST may be typed and is kept as typed (see WIDEST)."""
        self.setDateRange(QDate(WIDEST[0]), QDate(WIDEST[1]))
