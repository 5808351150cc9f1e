"""A date typed as the committee types it: the day first.

A ``QDateEdit`` puts the cursor where it was clicked. The fields are wide, so a click usually lands on the
year: typing «15» for the 15th then changed nothing (a year 15 is out of range) and the day could be typed only
after an arrow key or Shift+Tab. Here the day is selected whenever the field takes the focus, by click or by
Tab, so «15» is the 15th and «15122026» the whole date (Qt moves on to the month after two digits). A click in
a field that already has the focus still picks the part clicked.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit


class DateField(QDateEdit):
    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().focusInEvent(event)
        # after the click that gave the focus has placed the cursor (it is handled after this event)
        QTimer.singleShot(0, self._select_day)

    def _select_day(self) -> None:
        if self.hasFocus():
            self.setSelectedSection(QDateTimeEdit.Section.DaySection)
