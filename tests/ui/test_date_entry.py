"""A date typed into a form as it is written on paper: every key goes to the field that has the focus, as on a
committee's laptop. Expected dates are written by hand from what was typed, never read back from the field's
own arithmetic."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from ui.widgets.stock_common import DayEdit


def _type(qtbot, text: str) -> None:
    """Each character to whatever widget has the focus at that moment («\\b»: Backspace)."""
    for char in text:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace if char == "\b" else char)


@pytest.fixture
def form(qtbot):
    """A date (showing 20/11/2026) followed by another field, as in «Registrar gasto» (date, then amount)."""
    widget = QWidget()
    layout = QVBoxLayout(widget)
    day, after = DayEdit(date(2026, 11, 20)), QLineEdit()
    layout.addWidget(day)
    layout.addWidget(after)
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    said: list[str] = []
    day.warned.connect(said.append)
    yield day, after, said
    del widget


def _enter_date(qtbot, day, after, text: str, shown: date = date(2026, 11, 20)) -> None:
    day.set_day(shown)
    after.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(after.hasFocus)
    day.setFocus(Qt.FocusReason.BacktabFocusReason)
    qtbot.waitUntil(day.hasFocus)
    qtbot.wait(20)  # the field selects its day once it has the focus
    _type(qtbot, text)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(after.hasFocus)


@pytest.mark.parametrize(("typed", "expected"), [
    ("15/10/2026", date(2026, 10, 15)),  # as written: the «/» used to move on to the next field
    ("15102026", date(2026, 10, 15)),
    ("5/3/2026", date(2026, 3, 5)),
    ("05/03/2026", date(2026, 3, 5)),
    ("1-1-2026", date(2026, 1, 1)),
    ("15.10.2026", date(2026, 10, 15)),
    ("31/12/2026", date(2026, 12, 31)),  # over 20/11: Qt made the «31» a 30 (November has 30 days)
    ("31122026", date(2026, 12, 31)),
    ("29/02/2028", date(2028, 2, 29)),  # a leap day, typed over a year that has none
    ("15/10/26", date(2026, 10, 15)),  # a two-digit year is of this century
    ("3/4/27", date(2027, 4, 3)),
])
def test_a_date_typed_as_written_is_the_date_and_nothing_goes_into_the_next_field(qtbot, form, typed, expected):
    day, after, said = form
    _enter_date(qtbot, day, after, typed)
    assert day.day() == expected
    assert after.text() == ""
    assert said == [] and not day.property("invalid")


def test_the_31st_typed_over_a_february_date_is_the_31st_not_the_3rd(qtbot, form):
    day, after, said = form
    _enter_date(qtbot, day, after, "31/01/2026", shown=date(2026, 2, 10))  # Qt took «3» for the day: 03/01
    assert day.day() == date(2026, 1, 31)
    assert said == []


@pytest.mark.parametrize(("typed", "kept", "words"), [
    ("31/02/2026", date(2026, 2, 28), "El día 31 no existe en febrero de 2026: la fecha quedó 28/02/2026"),
    ("29/02/2027", date(2027, 2, 28), "El día 29 no existe en febrero de 2027"),
    ("31/11/2026", date(2026, 11, 30), "El día 31 no existe en noviembre de 2026"),
    ("15/13/2026", date(2026, 1, 15), "La fecha no admite «3» ahí"),
    ("15/10/9999", date(2026, 10, 15), "el año de 2000 a 2100"),
])
def test_a_date_that_cannot_be_kept_as_typed_is_said_and_the_field_turns_red(qtbot, form, typed, kept, words):
    day, after, said = form
    _enter_date(qtbot, day, after, typed)
    assert day.day() == kept
    assert any(words in message for message in said), said
    assert day.property("invalid") and words in day.warning() + day.toolTip() + " ".join(said)
    _enter_date(qtbot, day, after, "15/10/2026")  # typed again, right: the red and the words go
    assert day.day() == date(2026, 10, 15)
    assert not day.property("invalid") and day.warning() == "" and day.toolTip() == ""


def test_a_day_picked_after_typing_is_not_put_back_to_the_day_typed(qtbot, form):
    """«31» typed over a February date, then a day picked in the calendar: the pick stands."""
    day, after, said = form
    day.set_day(date(2026, 2, 10))
    day.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(day.hasFocus)
    qtbot.wait(20)
    _type(qtbot, "31")
    day.set_day(date(2026, 3, 15))  # what the calendar popup does
    after.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(after.hasFocus)
    assert day.day() == date(2026, 3, 15)
    assert said == []


def test_enter_does_not_accept_a_form_before_the_date_has_said_what_is_wrong(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    day = DayEdit(date(2026, 11, 20))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    buttons.accepted.connect(dialog.accept)
    layout = QVBoxLayout(dialog)
    layout.addWidget(day)
    layout.addWidget(buttons)
    said: list[str] = []
    day.warned.connect(said.append)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    day.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(day.hasFocus)
    qtbot.wait(20)
    _type(qtbot, "31/02/2026")
    qtbot.keyClick(day, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0  # not accepted: the date spoke first
    assert said and "El día 31 no existe en febrero de 2026" in said[-1]
    assert day.day() == date(2026, 2, 28)
    qtbot.keyClick(day, Qt.Key.Key_Return)  # seen and left as it is: now the form takes it
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)


def test_after_enter_the_next_date_typed_is_whole_not_typed_into_the_year(qtbot, form):
    """A form that saves on Enter and stays in the date: the next date went into the year, every digit was
    refused and the last date was saved again (found trying «Registrar gasto»)."""
    day, after, said = form
    day.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(day.hasFocus)
    qtbot.wait(20)
    _type(qtbot, "20/11/2026")
    qtbot.keyClick(day, Qt.Key.Key_Return)
    qtbot.wait(20)
    _type(qtbot, "21/11/2026")
    assert day.day() == date(2026, 11, 21)
    assert said == []


def test_a_second_click_in_the_year_still_types_the_date_from_its_day(qtbot, form):
    from PySide6.QtCore import QPoint

    day, after, said = form
    for _ in range(2):  # the first click gives the focus, the second lands in the year
        qtbot.mouseClick(day.lineEdit(), Qt.MouseButton.LeftButton, pos=QPoint(day.lineEdit().width() - 12, 8))
        qtbot.wait(20)
    qtbot.waitUntil(day.hasFocus)
    _type(qtbot, "22/11/2026")
    assert day.day() == date(2026, 11, 22)
    assert said == []


def test_backspace_after_the_day_erases_the_day_not_the_month(qtbot, form):
    day, after, said = form
    _enter_date(qtbot, day, after, "25\b\b7/11/2026")
    assert day.day() == date(2026, 11, 7)
    assert said == []


@pytest.mark.parametrize("pasted", ["15/10/2026", "2026-10-15", " 15-10-2026 "])
def test_a_date_pasted_is_the_date_pasted(qtbot, form, pasted):
    """Ctrl+V of a date copied from a spreadsheet was ignored, or (the whole field selected) mixed into the old
    date: 20/10/2026 for «15/10/2026» pasted over 20/11/2026."""
    day, after, said = form
    day.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(day.hasFocus)
    qtbot.wait(20)
    day.lineEdit().selectAll()
    QApplication.clipboard().setText(pasted)
    qtbot.keyClick(day, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert day.day() == date(2026, 10, 15)
    assert said == []


def test_the_right_click_paste_reads_the_date_and_what_is_not_a_date_is_said(qtbot, form):
    day, after, said = form
    QApplication.clipboard().setText("05/03/2026")
    paste = next(a for a in day.paste_menu().actions() if a.objectName() == "edit-paste")
    paste.trigger()
    assert day.day() == date(2026, 3, 5)
    QApplication.clipboard().setText("mañana")
    paste = next(a for a in day.paste_menu().actions() if a.objectName() == "edit-paste")
    paste.trigger()
    assert day.day() == date(2026, 3, 5)  # unchanged
    assert said == ["«mañana» no es una fecha que se pueda anotar aquí: escríbala como 15/10/2026."]
    assert day.property("invalid")


def test_a_menu_dialog_waits_for_a_date_it_could_not_keep_and_says_why(qtbot):
    """The new plan's first day typed as 31/02 became 28/02 with only a tooltip, gone with the next key, and
    «Crear el plan» took 28/02."""
    from tests.ui.conftest import type_date
    from ui.widgets.menu_dialogs import NewPlanDialog

    dialog = NewPlanDialog(date(2026, 11, 20))
    qtbot.addWidget(dialog)
    submitted = []
    dialog.submitted.connect(submitted.append)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_date(qtbot, dialog.start, "31/02/2026")
    dialog.name.setFocus()
    dialog.ok_button.click()
    assert submitted == []
    assert dialog.error.isVisible() and "El día 31 no existe en febrero de 2026" in dialog.error.text()
    type_date(qtbot, dialog.start, "28/02/2026")  # typed again: now it is the date meant
    dialog.ok_button.click()
    assert len(submitted) == 1 and submitted[0]["start"] == date(2026, 2, 28)


def test_the_rendicion_acta_waits_for_a_date_it_could_not_keep_and_says_why(qtbot):
    from tests.ui.conftest import type_date
    from ui.dialogs.treasury_acta import ActaDialog

    dialog = ActaDialog("noviembre de 2026")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.with_date.setChecked(True)
    type_date(qtbot, dialog.held_on, "31/11/2026")
    dialog.place.setFocus()
    assert dialog.date_message.isVisible() and "El día 31 no existe en noviembre de 2026" in dialog.date_message.text()
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.result() == 0  # the acta is not prepared with 30/11 in its place
    type_date(qtbot, dialog.held_on, "30/11/2026")
    assert not dialog.date_message.isVisible()
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.options()["held_on"] == date(2026, 11, 30)
