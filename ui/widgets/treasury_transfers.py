"""Money received: the transfers of the month with the date to account for each, a form to add one
(date, amount, reference; Enter saves) and a form to record cash taken out of the bank."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qaliwarma import clock
from qaliwarma.domain.treasury import Transfer
from qaliwarma.errors import InvalidInput
from qaliwarma.numbers import APP_STYLE, POSITIVE_AMOUNT, read_number
from qaliwarma.services.treasury import default_deadline

from ..i18n import _
from ..models.treasury_rows import (
    MonthView,
    TransferRow,
    TransferTableModel,
    WithdrawalRow,
    WithdrawalTableModel,
    format_day,
    month_bounds,
    month_label,
    outside_month,
)
from ..theme import set_invalid, set_role
from .date_entry import DayFirstDateEdit
from .table import DataTable


def _date_edit() -> QDateEdit:
    edit = DayFirstDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


def read_amount(text: str):
    """An amount typed in a treasury form (a transfer, a withdrawal, a receipt), read as every amount of a sheet
    is: céntimos only and up to S/ 10 million (numbers.POSITIVE_AMOUNT) — «1000.005» is refused, never rounded.
    ``InvalidInput`` says what is wrong."""
    return read_number(text.replace("S/.", "").replace("S/", ""), POSITIVE_AMOUNT, APP_STYLE)


def _amount(edit: QLineEdit) -> tuple[object, str]:
    try:
        value = read_amount(edit.text())
    except InvalidInput as exc:
        return None, str(exc)
    if value <= 0:
        return None, _("El monto debe ser mayor que cero.")
    return value, ""


SETTLE_MS = 2000  # how long a form's message is kept in view while the lists above it are refreshed


class _MoneyForm(QGroupBox):
    """Date and amount (and a reference): the message beside the amount, Enter records."""

    submitted = Signal(object)  # the form's value

    def __init__(self, title: str, button: str, *, reference: bool, parent=None) -> None:
        super().__init__(title, parent)
        self._month = ""  # the month chosen above (set_month)
        self._day_message = ""  # what the form says beside it because of the date ("" when nothing)
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
        # what became of the last press of this form's button, said in the form (at the bottom of the tab it sat
        # below the withdrawal's form, off a 1366×768 screen)
        self.done = QLabel()
        self.done.setTextFormat(Qt.TextFormat.PlainText)
        self.done.setWordWrap(True)
        self.done.hide()
        grid.addWidget(self.done, row + 1, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.day.setMinimumWidth(240)
        self.amount.setMinimumWidth(240)
        self.amount.textEdited.connect(lambda _t: self.validate(quiet=True))
        self.amount.editingFinished.connect(self.validate)
        self.button.clicked.connect(self.submit)
        self.day.dateChanged.connect(self._day_changed)
        self.day.warned.connect(self._say_about_day)

    def set_month(self, month: str) -> None:
        start, end = month_bounds(month)
        today = clock.today()
        self._month = month
        self.day.take_any_date()  # a date of another month is kept as typed and said (submit), never moved into it
        self.day.setDate(QDate(today if start <= today <= end else (end if end < today else start)))

    def _day_changed(self) -> None:
        """A date put right takes its message away (said again on «Registrar» if it is still wrong). Read from the
        form's own record of what it said about the date, not from the field's red: the field clears its own red
        as soon as a date is typed again, and the month's message then stayed beside a date put right."""
        if not self._day_message or self.message.text() != self._day_message or self.day.warning():
            return
        if self._month and outside_month(self.day.date().toPython(), self._month):
            return
        self._day_message = ""
        self.message.setText("")
        set_invalid(self.day, False)

    def _say_about_day(self, message: str) -> None:
        """What the date field said of a date it could not keep as typed: beside the form, not only in a tooltip
        that the next key hides."""
        self._day_message = message
        self.message.setText(message)

    def validate(self, *, quiet: bool = False) -> bool:
        value, problem = _amount(self.amount)
        # the date's message stays until the date is put right: leaving the amount (Enter in it, then the focus
        # sent to the wrong date) used to wipe it at once
        shown = "" if quiet and not self.message.text() else (problem or self._day_message)
        self.message.setText(shown)
        set_invalid(self.amount, bool(problem) and bool(shown))
        return value is not None

    def submit(self) -> None:
        self.say("")  # what the last press was answered («supera el saldo…») is not about this one
        value, problem = _amount(self.amount)
        wrong_day = self.day.warning() or (outside_month(self.day.date().toPython(), self._month) if self._month else "")
        self.message.setText(wrong_day or problem)
        self._day_message = wrong_day
        set_invalid(self.day, bool(wrong_day))
        set_invalid(self.amount, bool(problem) and not wrong_day)
        if wrong_day:
            self.day.setFocus(Qt.FocusReason.OtherFocusReason)
            return
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
        set_invalid(self.amount, False)

    def say(self, text: str, *, error: bool = False) -> None:
        self.done.setText(text)
        set_role(self.done, "error" if error else "ok")
        self.done.setVisible(bool(text))
        if text:  # at 1366×768 the form's last line is at the fold: what it says is brought into view, whole
            QTimer.singleShot(0, self._bring_said_into_view)

    def _bring_said_into_view(self) -> None:
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is None or not self.done.isVisible():
            return
        area.ensureWidgetVisible(self.done, 0, 12)
        # a recorded transfer or withdrawal adds a row to the lists above a moment later, pushing the message
        # down again: kept in view while the page settles
        bar = area.verticalScrollBar()

        def again(_low, _high) -> None:
            if self.done.isVisible():
                area.ensureWidgetVisible(self.done, 0, 12)

        def stop() -> None:
            try:
                bar.rangeChanged.disconnect(again)
            except (RuntimeError, TypeError):  # the page closed meanwhile
                pass

        bar.rangeChanged.connect(again)
        QTimer.singleShot(SETTLE_MS, stop)

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
    reverse_requested = Signal(object)  # the TransferRow or WithdrawalRow chosen, to be cancelled

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
        self.withdrawals_title = QLabel()
        set_role(self.withdrawals_title, "heading")
        self.withdrawal_model = WithdrawalTableModel(self)
        self.withdrawal_table = DataTable(stretch_column=2, fit=True)
        self.withdrawal_table.setModel(self.withdrawal_model)
        self.withdrawal_table.setTabKeyNavigation(False)
        self.reverse_button = QPushButton(_("Anular la transferencia o el retiro elegido…"))
        self.reverse_note = QLabel(_("¿Se equivocó en una transferencia o un retiro? Elíjalo en su lista y anúlelo "
                                     "(con el motivo); después regístrelo bien. Lo anulado queda en el historial."))
        self.reverse_note.setWordWrap(True)
        set_role(self.reverse_note, "muted")
        self._blocked = False
        self._month: str | None = None
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
        layout.addWidget(self.withdrawals_title)
        layout.addWidget(self.withdrawal_table)
        undo = QHBoxLayout()
        undo.addWidget(self.reverse_note, 1)
        undo.addWidget(self.reverse_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(undo)
        layout.addWidget(self.status)  # a cancellation's outcome, under its button
        layout.addWidget(self.blocked)
        layout.addLayout(forms)
        layout.addStretch(1)

        self.transfer_form.submitted.connect(
            lambda v: self.transfer_submitted.emit(Transfer(v[0], v[1], v[2])))
        self.withdrawal_form.submitted.connect(lambda v: self.withdrawal_submitted.emit(v[0], v[1]))
        self.transfer_form.day.dateChanged.connect(lambda _d: self._show_deadline())
        # one row chosen at a time, in either list: the button cancels that one
        for table in (self.table, self.withdrawal_table):
            table.selectionModel().selectionChanged.connect(lambda *_a, t=table: self._chose(t))
        self.reverse_button.clicked.connect(self._reverse_clicked)
        self._update_reverse()

    def _chose(self, table) -> None:
        other = self.withdrawal_table if table is self.table else self.table
        if table.selectionModel().hasSelection():
            other.selectionModel().blockSignals(True)
            other.clearSelection()
            other.selectionModel().clearCurrentIndex()
            other.selectionModel().blockSignals(False)
        self._update_reverse()

    def chosen(self) -> TransferRow | WithdrawalRow | None:
        """The transfer or withdrawal chosen in its list (None: nothing chosen)."""
        for table, model in ((self.table, self.model), (self.withdrawal_table, self.withdrawal_model)):
            selected = table.selectionModel().selectedRows()
            if selected:
                shown, index = table.model(), selected[0]
                return model.row_at(shown.mapToSource(index).row() if hasattr(shown, "mapToSource") else index.row())
        return None

    def _update_reverse(self) -> None:
        self.reverse_button.setEnabled(self.chosen() is not None and not self._blocked)

    def _reverse_clicked(self) -> None:
        row = self.chosen()
        if row is not None:
            self.reverse_requested.emit(row)

    def show_view(self, view: MonthView) -> None:
        label = month_label(view.month)
        if view.month != self._month:  # another month: the last one's confirmations and refusals do not apply
            self._month = view.month
            self.set_status("")
            for form in (self.transfer_form, self.withdrawal_form):
                form.clear()
        self.title.setText(_("Transferencias recibidas en {month}").format(month=label))
        self.model.set_rows(view.transfers)
        self.table.setVisible(bool(view.transfers))
        self.empty.setText(_("No hay transferencias registradas en {month}. Cuando llegue el depósito del programa, "
                             "regístrelo abajo.").format(month=label))
        self.empty.setVisible(not view.transfers)
        for form in (self.transfer_form, self.withdrawal_form):
            form.set_month(view.month)
        self.withdrawals_title.setText(_("Retiros del banco a la caja en {month}").format(month=label))
        self.withdrawal_model.set_rows(view.withdrawals)
        self.withdrawals_title.setVisible(bool(view.withdrawals))
        self.withdrawal_table.setVisible(bool(view.withdrawals))
        blocked = view.frozen or view.closed
        self._blocked = blocked
        self.reverse_note.setVisible(not blocked and bool(view.transfers or view.withdrawals))
        self.reverse_button.setVisible(not blocked and bool(view.transfers or view.withdrawals))
        self._update_reverse()
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

    def set_status(self, text: str, *, error: bool = False, form: _MoneyForm | None = None) -> None:
        """Say ``text`` in ``form`` (the one whose button was pressed), else under the cancel button; what the
        other places said before is no longer current."""
        for place in (self.transfer_form, self.withdrawal_form):
            place.say(text if place is form else "", error=error)
        self.status.setText("" if form is not None else text)
        set_role(self.status, "error" if error else "ok")
        self.status.setVisible(bool(self.status.text()))
