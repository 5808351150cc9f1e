"""A date typed as the committee types it, as on paper: the day first, «15/10/2026», «15102026», «5/3/26».

A ``QDateEdit`` puts the cursor where it was clicked. The fields are wide, so a click usually lands on the
year: typing «15» for the 15th then changed nothing (a year 15 is out of range) and the day could be typed only
after an arrow key. Here the day is selected whenever the field takes the focus, by click or by Tab. A click in
a field that already has the focus still picks the part clicked.

Tab and Shift+Tab leave the field (Qt's Tab went from day to month to year inside it, and a form filled «with the
Tab key, field by field» got stuck in the date). Qt moves between the parts with the same function for Tab and
for a typed «/», so the first way of making Tab leave the field made «/» leave it too: «15/10/2026» typed as
written kept 15/11 and put «10/2026» into the next field (the amount, in «Registrar gasto»). Tab is now taken
before Qt sees it, and a «/» (or «-», «.») goes on to the next part of the date unless the digits just typed
have already gone on; it never leaves the field.

Qt judges each part by the others as shown while it is typed, and changed a date without a word: «31» typed over
a date of November became 30 (31/12 typed gave 30/12), over one of February «3» was taken as the whole day
and the «1» went into the month (31/01 gave 03/01), and a digit no date takes there (a month 13, a year 1926)
was dropped. Here the day's digits are taken by the field, and the day typed is kept once the month shown has
it; a two-digit year is of this century («26» is 2026). What still cannot be kept as typed (31/02, a month
13) is said beside the field, which turns red until the date is typed again, and Enter does not submit the form
until it has been said.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDateEdit, QDateTimeEdit, QToolTip, QWidget

from ..i18n import _

#: the dates a form's field takes, as the files are read (qaliwarma/io/tabular.py): a narrower range made Qt
#: change a typed month silently to one inside it; the form says instead what is wrong with the date
WIDEST = (date(2000, 1, 1), date(2100, 12, 31))


_NOT_TAB = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
SEPARATORS = ("/", "-", ".")  # what a committee types between day, month and year


class DayFirstDateEdit(QDateEdit):
    #: a date typed that Qt could not keep as typed (a day the month has not, a digit no date takes): what the
    #: field says about it, also shown beside the field and kept (red border) until the date is typed again
    warned = Signal(str)

    _moved_on = False  # the last key was a digit that completed its part, and Qt went on to the next part
    _day_digits = ""  # the day's digits as typed, while the day is being typed
    _typed_day: int | None = None  # the day typed, once the cursor has left the day
    _refused = ""  # what was said of a digit refused since the date was last finished ("" when none)
    _typing = False  # inside this field's own handling of a key: its changes of the date are the typing's
    _warning = ""  # what the field said last, shown until the date is typed again (a form's own red is its own)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.take_any_date()
        self.dateChanged.connect(self._changed)
        self.lineEdit().installEventFilter(self)

    def _changed(self) -> None:
        if not self._typing:  # picked in the calendar, or set by the form: no typed day to keep any more
            self._typed_day, self._day_digits = None, ""
            self._set_invalid(False)
            QTimer.singleShot(0, self, self._select_day)  # a form set anew after a save: the next date typed is whole

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
        # every click starts a date at its day, second clicks and double clicks too: a click that put the cursor
        # in the year made every digit of a whole date typed next refused, and the old date stayed (the clicks
        # land on the field's line edit, not on the field)
        if watched is self.lineEdit() and event.type() in (QEvent.Type.MouseButtonRelease,
                                                           QEvent.Type.MouseButtonDblClick):
            QTimer.singleShot(0, self, self._select_day)
        return super().eventFilter(watched, event)

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().focusInEvent(event)
        # after the click that gave the focus has placed the cursor (it is handled after this event)
        QTimer.singleShot(0, self, self._select_day)

    def _select_day(self) -> None:
        if self.hasFocus():
            self._day_digits, self._moved_on = "", False
            self.setSelectedSection(QDateTimeEdit.Section.DaySection)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and not event.modifiers() & _NOT_TAB:
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):  # to the next field, not the date's next part
                forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                QWidget.focusNextPrevChild(self, forward)
                return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self._typing = True
        try:
            self._key(event)
        finally:
            self._typing = False

    def _key(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self._paste(QApplication.clipboard().text())
            event.accept()
            return
        text = event.text()
        typing = bool(text) and not event.modifiers() & _NOT_TAB
        day_section = self.currentSection() == QDateTimeEdit.Section.DaySection
        if typing and text in SEPARATORS:
            if day_section and self._day_digits:
                self._day_typed()
            elif not self._moved_on and self.currentSectionIndex() < self.sectionCount() - 1:
                super().focusNextPrevChild(True)  # Qt's: the next part of the date (never past the year)
            self._moved_on = False
            self._restore_day()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._finish():
                event.accept()  # not passed on to the form's button: the date said first what was wrong with it
                return
            # the form may save and stay in this field: the next date is typed from its day, not into the year
            # (every digit of it was refused and the last date saved again)
            QTimer.singleShot(0, self, self._select_day)
        if event.key() == Qt.Key.Key_Backspace and self._moved_on and self.currentSectionIndex() > 0:
            # the digits just typed went on to the next part by themselves: Backspace erases them, not that part
            self.setSelectedSection(self.sectionAt(self.currentSectionIndex() - 1))
            self._typed_day = None
        digit = typing and len(text) == 1 and text.isdigit()
        if digit:
            self._set_invalid(False)
        if digit and day_section:
            self._type_day(text)
            event.accept()
            return
        self._day_digits = ""
        if day_section:  # the day changed another way (arrow keys, deleted): the day typed before is not kept
            self._typed_day = None
        section, before = self.currentSection(), self.text()
        year_so_far = self.sectionText(QDateTimeEdit.Section.YearSection)
        super().keyPressEvent(event)
        self._moved_on = digit and self.currentSection() != section
        if digit and self.text() == before and not self._moved_on:  # Qt refused it: no date has it there
            if not (section == QDateTimeEdit.Section.YearSection and self._short_year(year_so_far + text)):
                self._refuse(text)
        self._restore_day()

    def _short_year(self, digits: str) -> bool:
        """«26» typed for the year is 2026, as on paper (Qt wants four digits and refused the «6»)."""
        if len(digits) != 2:
            return False
        shown = self.date()
        year = 2000 + int(digits)
        day = min(self._typed_day or shown.day(), QDate(year, shown.month(), 1).daysInMonth())
        wanted = QDate(year, shown.month(), day)
        if not self.minimumDate() <= wanted <= self.maximumDate():
            return False
        self.setDate(wanted)
        self.setSelectedSection(QDateTimeEdit.Section.YearSection)
        return True

    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt naming
        """The right click's menu, with its «Pegar» reading the date as Ctrl+V does (Qt's pasted into one part)."""
        menu = self.paste_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def paste_menu(self):
        menu = self.lineEdit().createStandardContextMenu()
        for action in menu.actions():
            if action.objectName() == "edit-paste":
                action.triggered.disconnect()
                action.triggered.connect(lambda _checked=False: self._paste(QApplication.clipboard().text()))
        return menu

    def _paste(self, text: str) -> None:
        """A date pasted (from a spreadsheet, a message) is read as the files are read: «15/10/2026», «15-10-2026»,
        «2026-10-15». Qt ignored it, or with the field selected kept a mix of the old date and the pasted one
        (20/10/2026 for «15/10/2026» pasted over 20/11/2026)."""
        from qaliwarma.io.tabular import parse_date

        day = parse_date(text)
        wanted = QDate(day) if day is not None else None
        if wanted is None or not self.minimumDate() <= wanted <= self.maximumDate():
            shown = " ".join(text.split())[:30]
            self._warn(_("«{text}» no es una fecha que se pueda anotar aquí: escríbala como 15/10/2026.").format(
                text=shown))
            return
        self._typed_day, self._day_digits, self._moved_on = None, "", False
        self._set_invalid(False)
        self.setDate(wanted)
        self.setSelectedSection(QDateTimeEdit.Section.DaySection)

    def _type_day(self, digit: str) -> None:
        """The day's digits are taken here, not by Qt: Qt judges a day by the month shown while it is typed, so
        «31» typed over a date of November became 30, and over one of February «3» was taken as the whole day
        and the «1» went into the month (31/01 typed became 03/01)."""
        digits = self._day_digits + digit
        if len(digits) == 1 and digit in "0123":  # a second digit may follow
            self._day_digits = digits
            if digit != "0":
                self._show_day(int(digit), QDateTimeEdit.Section.DaySection)
            return
        if not 1 <= int(digits) <= 31:
            self._refuse(digit)
            return
        self._day_digits = digits
        self._day_typed()
        self._moved_on = True

    def _day_typed(self) -> None:
        """The day's digits are all typed: shown (as far as the month shown has it) and kept until the month is."""
        day, self._day_digits = int(self._day_digits), ""
        if not 1 <= day <= 31:
            self._refuse(str(day))
            return
        self._typed_day = day
        self._show_day(day, QDateTimeEdit.Section.MonthSection)

    def _show_day(self, day: int, then) -> None:
        shown = self.date()
        wanted = QDate(shown.year(), shown.month(), min(day, shown.daysInMonth()))
        if self.minimumDate() <= wanted <= self.maximumDate():
            self.setDate(wanted)
        self.setSelectedSection(then)

    def _refuse(self, digit: str) -> None:
        self._refused = _("La fecha no admite «{digit}» ahí: el día va de 1 a 31, el mes de 1 a 12 y el año de {first} "
                          "a {last}.").format(digit=digit, first=self.minimumDate().year(), last=self.maximumDate().year())
        self._warn(self._refused)

    def _restore_day(self) -> None:
        """The day typed, once the month (and year) shown have it: «31» kept through the month «12»."""
        typed, shown = self._typed_day, self.date()
        if typed is None or typed == shown.day() or not self.hasAcceptableInput():
            return
        wanted = QDate(shown.year(), shown.month(), typed)
        if wanted.isValid() and self.minimumDate() <= wanted <= self.maximumDate():
            section = self.currentSection()
            self.setDate(wanted)
            self.setSelectedSection(section)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self._typing = True
        try:
            self._left(event)
        finally:
            self._typing = False

    def _left(self, event) -> None:
        super().focusOutEvent(event)  # Qt puts back the last whole date if what is shown is not one
        self._finish()

    def _finish(self) -> bool:
        """The date is typed (the field is left, or Enter is pressed): say what of it could not be kept as typed.
        True when something was said."""
        if self._day_digits:
            self._day_typed()
        self._restore_day()
        typed, shown, refused = self._typed_day, self.date(), self._refused
        self._typed_day, self._refused = None, ""
        if typed is not None and typed != shown.day():
            self._warn(_("El día {day} no existe en {month}: la fecha quedó {date}. Corríjala si no es la que "
                         "quiso.").format(day=typed, month=_month_name(shown), date=shown.toString("dd/MM/yyyy")))
            return True
        if refused:
            self._warn(refused + " " + _("La fecha quedó {date}: revísela.").format(date=shown.toString("dd/MM/yyyy")))
            return True
        return False

    def warning(self) -> str:
        """What the field said about the date typed ("" once it is typed again, or set by the form)."""
        return self._warning

    def _warn(self, message: str) -> None:
        self._set_invalid(True)
        self._warning = message
        self.setToolTip(message)
        if self.isVisible():  # once the focus has gone where it goes (shown during the focus change, it was hidden)
            QTimer.singleShot(0, self, lambda: self._show_tip(message))
        self.warned.emit(message)

    def _show_tip(self, message: str) -> None:
        if self._warning == message and self.isVisible():
            QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), message, self)

    def _set_invalid(self, invalid: bool) -> None:
        from ..theme import set_invalid

        if invalid:
            set_invalid(self, True)
        elif self._warning:  # only the red this field put on: a form's own (a date of another month) is the form's
            self._warning = ""
            self.setToolTip("")
            set_invalid(self, False)

    def take_any_date(self) -> None:
        """Any date of WIDEST may be typed and is kept as typed (see WIDEST)."""
        self.setDateRange(QDate(WIDEST[0]), QDate(WIDEST[1]))


def _month_name(day: QDate) -> str:
    """«febrero de 2026», as the program's other messages name a month."""
    from qaliwarma.vocab import period_label

    return period_label(f"{day.year():04d}-{day.month():02d}")


def date_typed_wrong(container) -> DayFirstDateEdit | None:
    """The first date field of ``container`` in use whose date is not the one typed (31/02, month 13, year 9999:
    its warning stands until the date is typed again). A form that submits waits for it, and says it."""
    for edit in container.findChildren(DayFirstDateEdit):
        if edit.warning() and edit.isEnabled() and edit.isVisibleTo(container):
            return edit
    return None
