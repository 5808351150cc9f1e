"""Small dialogs of the Menú page (a new plan; two dates or a cycle for changes of several days) and the
list of every problem of a refused file.

A dialog does not call services: it emits ``submitted`` with what was typed; the page runs the service
and then calls :meth:`FormDialog.done_ok` or :meth:`FormDialog.show_error` (the dialog stays open with
the message, so nothing typed is lost).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.services.menu_views import month_end, month_name

from ..i18n import _
from ..theme import set_role
from .banner import Banner
from .date_entry import DayFirstDateEdit, date_typed_wrong

MAX_BANNER_PROBLEMS = 6


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(day: date) -> QDateEdit:
    edit = DayFirstDateEdit(to_qdate(day))
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    edit.setMinimumWidth(170)
    return edit


class FormDialog(QDialog):
    submitted = Signal(object)  # dict of values

    def __init__(self, title: str, intro: str, action: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        set_role(self.intro, "hint")
        self.form = QFormLayout()
        self.form.setVerticalSpacing(10)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.error, "error")
        self.error.hide()
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(self.ok_button, "primary")
        buttons.addButton(_("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> dict:
        raise NotImplementedError

    def _submit(self) -> None:
        wrong = date_typed_wrong(self)
        if wrong is not None:  # the date it shows is not the one typed: nothing is done with it
            self.show_error(wrong.warning())
            wrong.setFocus()
            return
        self.error.hide()
        self.ok_button.setEnabled(False)
        self.submitted.emit(self.values())

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        """What a date field says of the date typed is said here too (its tooltip goes with the next key)."""
        super().showEvent(event)
        for edit in self.findChildren(DayFirstDateEdit):
            if not edit.property("warns_dialog"):
                edit.setProperty("warns_dialog", True)
                edit.warned.connect(self.show_error)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.ok_button.setEnabled(True)

    def done_ok(self) -> None:
        self.accept()


class NewPlanDialog(FormDialog):
    """Name, first and last day; by default the current month ("Menú de noviembre 2026")."""

    def __init__(self, today: date, parent=None) -> None:
        super().__init__(_("Nuevo plan de menú"),
                         _("Un plan reúne las preparaciones de un periodo, por ejemplo un mes o un periodo de "
                           "entrega. Después elegirá la preparación de cada día en el calendario."),
                         _("Crear el plan"), parent)
        first = today.replace(day=1)
        self._auto_name = self._name_for(first)
        self.name = QLineEdit(self._auto_name)
        self.start = date_edit(first)
        self.end = date_edit(month_end(first))
        self.form.addRow(_("Nombre del plan"), self.name)
        self.form.addRow(_("Primer día"), self.start)
        self.form.addRow(_("Último día"), self.end)
        self.start.dateChanged.connect(self._start_moved)

    @staticmethod
    def _name_for(first: date) -> str:
        return _("Menú de {month}").format(month=month_name(first))

    def _start_moved(self, value: QDate) -> None:
        start = to_date(value)
        if self.name.text() == self._auto_name:  # the user has not written a name of their own
            self._auto_name = self._name_for(start)
            self.name.setText(self._auto_name)
        if to_date(self.end.date()) < start or to_date(self.end.date()).month != start.month:
            self.end.setDate(to_qdate(month_end(start)))

    def values(self) -> dict:
        return {"name": self.name.text().strip(), "start": to_date(self.start.date()),
                "end": to_date(self.end.date())}


class DatesDialog(FormDialog):
    """Two dates (copy a week, swap two days) or a date and a number of days (repeat a cycle)."""

    def __init__(self, title: str, intro: str, action: str, dates: list[tuple[str, str, date]],
                 number: tuple[str, str, int, int, int] | None = None, parent=None) -> None:
        super().__init__(title, intro, action, parent)
        self.dates: dict[str, QDateEdit] = {}
        for key, label, value in dates:
            self.dates[key] = date_edit(value)
            self.form.addRow(label, self.dates[key])
        self.number: QSpinBox | None = None
        self._number_key = ""
        if number is not None:
            self._number_key, label, value, low, high = number
            self.number = QSpinBox()
            self.number.setRange(low, high)
            self.number.setValue(value)
            self.number.setSuffix(_(" días de clase"))
            self.number.setMinimumWidth(190)
            self.form.addRow(label, self.number)

    def values(self) -> dict:
        out: dict = {key: to_date(edit.date()) for key, edit in self.dates.items()}
        if self.number is not None:
            out[self._number_key] = self.number.value()
        return out


def copy_week_dialog(monday: date, parent=None) -> DatesDialog:
    return DatesDialog(
        _("Copiar una semana"),
        _("Las preparaciones de lunes a viernes de una semana se copian en otra semana. Los días sin clases se "
          "saltan; lo que ya tenga la otra semana se reemplaza."), _("Copiar la semana"),
        [("from", _("Semana a copiar (cualquier día de ella)"), monday),
         ("to", _("Copiarla en la semana del"), monday + timedelta(days=7))], parent=parent)


def repeat_cycle_dialog(start: date, end: date, parent=None) -> DatesDialog:
    return DatesDialog(
        _("Repetir un ciclo de menús"),
        _("Las preparaciones de los primeros días de clase desde la fecha elegida se repiten, en el mismo orden, "
          "en todos los días de clase que siguen hasta el {end}. Lo que ya tengan esos días se reemplaza.").format(
            end=f"{end:%d/%m/%Y}"), _("Repetir el ciclo"),
        [("start", _("El ciclo empieza el"), start)], ("days", _("Largo del ciclo"), 5, 1, 60), parent)


def swap_days_dialog(day: date, parent=None) -> DatesDialog:
    return DatesDialog(
        _("Intercambiar dos días"), _("Las preparaciones de un día pasan al otro, y las del otro al primero."),
        _("Intercambiar"), [("a", _("Primer día"), day), ("b", _("Segundo día"), day + timedelta(days=1))],
        parent=parent)


class ProblemsDialog(QDialog):
    """Every problem of a refused file or form, to read or copy."""

    def __init__(self, text: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Problemas encontrados"))
        self.resize(820, 520)
        intro = QLabel(_("No se cambió nada. Corrija estos problemas en el archivo y vuelva a intentarlo:"))
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        copy = QPushButton(_("Copiar el texto"))
        copy.clicked.connect(lambda: (self.text.selectAll(), self.text.copy()))
        close = QPushButton(_("Cerrar"))
        set_role(close, "primary")
        close.clicked.connect(self.accept)
        buttons = QDialogButtonBox()
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)


class ErrorBanner(Banner):
    """A banner that shows a domain error's message; a long list of problems is cut, with a button to
    read them all."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.action_clicked.connect(self._show_all)

    def show_error(self, error: Exception | str) -> None:
        text = str(error)
        self.full_text = text
        lines = text.split("\n")
        if len(lines) > MAX_BANNER_PROBLEMS + 1:
            shown = lines[:MAX_BANNER_PROBLEMS + 1] + [_("  … y {n} problemas más.").format(
                n=len(lines) - MAX_BANNER_PROBLEMS - 1)]
            self.show_message("\n".join(shown), error=True, action=_("Ver todos los problemas"))
        else:
            self.show_message(text, error=True)

    def show_note(self, text: str) -> None:
        self.full_text = text
        self.show_message(text)

    def _show_all(self) -> None:
        dialog = ProblemsDialog(self.full_text, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
