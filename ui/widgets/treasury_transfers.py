"""Money received: the transfers of the month with the date to account for each, a form to add one
(date, amount, reference; Enter saves) and a form to record cash taken out of the bank."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qaliwarma import clock
from qaliwarma.domain.treasury import Transfer
from qaliwarma.errors import InvalidInput
from qaliwarma.numbers import APP_STYLE, POSITIVE_AMOUNT, read_number
from qaliwarma.services.treasury import default_deadline

from ..i18n import _
from ..models.treasury_rows import MonthView, TransferTableModel, format_day, month_bounds, month_label
from ..theme import set_invalid, set_role
from .table import DataTable


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


def _amount(edit: QLineEdit) -> tuple[object, str]:
    """The amount typed, read as every amount of a sheet is: céntimos only and up to S/ 10 million
    (numbers.POSITIVE_AMOUNT) — «1000.005» is refused, never rounded."""
    try:
        value = read_number(edit.text().replace("S/.", "").replace("S/", ""), POSITIVE_AMOUNT, APP_STYLE)
    except InvalidInput as exc:
        return None, str(exc)
    if value <= 0:
        return None, _("El monto debe ser mayor que cero.")
    return value, ""


class _MoneyForm(QGroupBox):
    """Date and amount (and a reference): the message beside the amount, Enter records."""

    submitted = Signal(object)  # the form's value

    def __init__(self, title: str, button: str, *, reference: bool, parent=None) -> None:
        super().__init__(title, parent)
        self.day = _date_edit()
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(_("p. ej. 4500.00"))
        self.reference = QLineEdit() if reference else None
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_role(self.message, "error")
        self.note = QLabel()
        self.note.setWordWrap(True)
        set_role(self.note, "muted")
        self.button = QPushButton(button)
        set_role(self.button, "primary")
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(12)
        grid.addWidget(QLabel(_("Fecha:")), 0, 0)
        grid.addWidget(self.day, 0, 1)
        grid.addWidget(QLabel(_("Monto (S/):")), 1, 0)
        grid.addWidget(self.amount, 1, 1)
        grid.addWidget(self.message, 1, 2)
        row = 2
        if self.reference is not None:
            self.reference.setPlaceholderText(_("p. ej. Banco de la Nación, operación 004512"))
            grid.addWidget(QLabel(_("Referencia:")), 2, 0)
            grid.addWidget(self.reference, 2, 1, 1, 2)
            row = 3
        grid.addWidget(self.note, row, 0, 1, 2)
        grid.addWidget(self.button, row, 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.day.setMinimumWidth(240)
        self.amount.setMinimumWidth(240)
        self.amount.textEdited.connect(lambda _t: self.validate(quiet=True))
        self.amount.editingFinished.connect(self.validate)
        self.button.clicked.connect(self.submit)

    def set_month(self, month: str) -> None:
        start, end = month_bounds(month)
        today = clock.today()
        self.day.setDateRange(QDate(start), QDate(end))
        self.day.setDate(QDate(today if start <= today <= end else (end if end < today else start)))

    def validate(self, *, quiet: bool = False) -> bool:
        value, problem = _amount(self.amount)
        shown = "" if quiet and not self.message.text() else problem
        self.message.setText(shown)
        set_invalid(self.amount, bool(shown))
        return value is not None

    def submit(self) -> None:
        value, problem = _amount(self.amount)
        self.message.setText(problem)
        set_invalid(self.amount, bool(problem))
        if value is None:
            self.amount.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        ref = self.reference.text().strip() if self.reference is not None else ""
        self.submitted.emit((self.day.date().toPython(), value, ref))

    def clear(self) -> None:
        self.amount.clear()
        if self.reference is not None:
            self.reference.clear()
        self.message.setText("")

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if self.button.isEnabled():
                self.submit()
            return
        super().keyPressEvent(event)


class TransfersPanel(QWidget):
    transfer_submitted = Signal(object)  # Transfer
    withdrawal_submitted = Signal(object, object)  # date, Decimal

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        set_role(self.title, "heading")
        self.model = TransferTableModel(self)
        self.table = DataTable(stretch_column=2, fit=True)
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        set_role(self.empty, "muted")
        self.transfer_form = _MoneyForm(_("Registrar una transferencia recibida"), _("Registrar transferencia"),
                                        reference=True)
        self.withdrawal_form = _MoneyForm(_("Retiro del banco para pagar en efectivo"), _("Registrar retiro"),
                                          reference=False)
        self.withdrawal_form.note.setText(_("Anote aquí el dinero que sacó del banco a la caja del comité."))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.blocked = QLabel()
        self.blocked.setWordWrap(True)
        set_role(self.blocked, "error")
        self.blocked.hide()

        forms = QVBoxLayout()
        forms.addWidget(self.transfer_form)
        forms.addWidget(self.withdrawal_form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(self.blocked)
        layout.addLayout(forms)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.transfer_form.submitted.connect(
            lambda v: self.transfer_submitted.emit(Transfer(v[0], v[1], v[2])))
        self.withdrawal_form.submitted.connect(lambda v: self.withdrawal_submitted.emit(v[0], v[1]))
        self.transfer_form.day.dateChanged.connect(lambda _d: self._show_deadline())

    def show_view(self, view: MonthView) -> None:
        label = month_label(view.month)
        self.title.setText(_("Transferencias recibidas en {month}").format(month=label))
        self.model.set_rows(view.transfers)
        self.table.setVisible(bool(view.transfers))
        self.empty.setText(_("No hay transferencias registradas en {month}. Cuando llegue el depósito del programa, "
                             "regístrelo abajo.").format(month=label))
        self.empty.setVisible(not view.transfers)
        for form in (self.transfer_form, self.withdrawal_form):
            form.set_month(view.month)
        blocked = view.frozen or view.closed
        for form in (self.transfer_form, self.withdrawal_form):
            form.setEnabled(not blocked)
        self.blocked.setText(_("La rendición de {month} ya fue presentada: no se registran más movimientos en este "
                               "mes.").format(month=label) if view.frozen else
                             _("El mes de {month} está cerrado: no se registran más movimientos en él.").format(
                                 month=label))
        self.blocked.setVisible(blocked)
        self._show_deadline()

    def _show_deadline(self) -> None:
        day = self.transfer_form.day.date().toPython()
        self.transfer_form.note.setText(_("Rendirá cuentas de esta transferencia hasta el {deadline}.").format(
            deadline=format_day(default_deadline(day))))

    def set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "error" if error else "ok")
