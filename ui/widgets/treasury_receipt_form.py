"""The receipt entry form: one expense with its document, filled with the keyboard alone (Tab moves on,
Enter saves). Only the fields the document type needs are shown; each is checked as it is typed
(``check_expense``, ``check_ruc``) with the message beside it, and «Guardar gasto» stays disabled
until everything is right. Before saving, the service checks the expense without recording it (the
heading's balance on that date, a repeated document) and says what it refuses beside the field."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qaliwarma import clock
from qaliwarma.domain.identifiers import check_dni, check_ruc
from qaliwarma.domain.treasury import DOC_TYPES, PAYMENTS, Expense, check_expense
from qaliwarma.errors import InvalidInput
from qaliwarma.money import format_soles
from qaliwarma.services import needs, treasury

from ..i18n import _
from ..models.treasury_rows import (
    LOW_SHARE,
    PAYMENT_LABELS,
    MonthView,
    month_bounds,
    month_label,
    outside_month,
)
from ..theme import set_invalid, set_role
from .date_entry import DayFirstDateEdit
from .treasury_doc_fields import EXTRA_FIELDS, LABELS, NUMBER_HINTS, PARTY, sentence
from .treasury_items import PurchaseItemsEditor
from .treasury_transfers import read_amount

TYPING_PAUSE_MS = 600
CHECK_DELAY_MS = 350
class ReceiptForm(QWidget):
    saved = Signal(object, object)  # ExpenseResult, Expense

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._view: MonthView | None = None
        self._touched: set[str] = set()
        self._pending: set[str] = set()
        self._show_all = False
        self._server: dict[str, str] = {}
        self._server_note = ""
        self._generation = 0
        self._checked_generation = -1
        self._saving = False
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._typing_paused)
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._service_check)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        set_role(self.intro, "hint")
        self.blocked = QLabel()
        self.blocked.setWordWrap(True)
        set_role(self.blocked, "error")
        self.blocked.hide()
        # the last receipt saved, said at the top, where the form goes back for the next one: beside «Guardar
        # gasto» it sat below the fold of a 1366×768 screen, and whoever pressed Enter never saw it
        self.saved_note = QLabel()
        self.saved_note.setTextFormat(Qt.TextFormat.PlainText)  # it repeats the receipt's detail, as typed
        self.saved_note.setWordWrap(True)
        set_role(self.saved_note, "ok")
        self.saved_note.hide()

        self.day = DayFirstDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.heading = QComboBox()
        self.doc_type = QComboBox()
        for key, label in DOC_TYPES.items():
            self.doc_type.addItem(_(label), key)
        self.number = QLineEdit()
        self.party_id = QLineEdit()
        self.party_id.setMaxLength(15)
        self.party_name = QLineEdit()
        self.what = QLineEdit()
        self.what.setPlaceholderText(_("p. ej. papa blanca, 50 kg"))
        self.where = QLineEdit()
        self.where.setPlaceholderText(_("p. ej. comunidad de Pucarumi"))
        self.origin = QLineEdit()
        self.origin.setPlaceholderText(_("de dónde: mercado de Huancavelica"))
        self.destination = QLineEdit()
        self.destination.setPlaceholderText(_("a dónde: la institución educativa"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("p. ej. traslado de alimentos"))
        self.detail = QLineEdit()
        self.detail.setPlaceholderText(_("qué se compró o pagó, p. ej. 2 balones de gas de 10 kg"))
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(_("p. ej. 125.50"))
        self.payment = QComboBox()
        for key in PAYMENTS:
            self.payment.addItem(_(PAYMENT_LABELS[key]), key)
        self._payment_chosen = False  # until the user picks, the payment follows where the money is
        self.payment.activated.connect(lambda _i: setattr(self, "_payment_chosen", True))
        self.heading_left = QLabel()
        self.heading_left.setWordWrap(True)
        self.items = PurchaseItemsEditor(ctx)

        self.fields: dict[str, QWidget] = {
            "fecha": self.day, "rubro": self.heading, "tipo_documento": self.doc_type, "numero_documento": self.number,
            "ruc_dni": self.party_id, "proveedor": self.party_name, "que": self.what, "donde": self.where,
            "origen": self.origin, "destino": self.destination, "motivo": self.reason, "detalle": self.detail,
            "monto": self.amount, "pago": self.payment,
        }
        self.labels: dict[str, QLabel] = {}
        self.messages: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)
        row = 0
        for key, widget in self.fields.items():
            label = QLabel(_(LABELS.get(key, "")))
            label.setBuddy(widget)
            label.setMinimumWidth(190)
            self.labels[key] = label
            message = QLabel()
            message.setWordWrap(True)
            set_role(message, "error")
            message.hide()
            self.messages[key] = message
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
            grid.addWidget(message, row, 2)
            row += 1
            if key == "rubro":
                grid.addWidget(self.heading_left, row, 1, 1, 2)
                row += 1
        self.messages["alimentos"] = QLabel()
        self.messages["alimentos"].setWordWrap(True)
        set_role(self.messages["alimentos"], "error")
        self.messages["alimentos"].hide()

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton(_("Guardar gasto"))
        set_role(self.save_button, "primary")
        self.save_button.setToolTip(_("También puede pulsar Enter."))
        self.clear_button = QPushButton(_("Empezar de nuevo"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.intro)
        layout.addWidget(self.blocked)
        layout.addWidget(self.saved_note)
        layout.addLayout(grid)
        layout.addWidget(self.items)
        layout.addWidget(self.messages["alimentos"])
        layout.addLayout(buttons)
        layout.addStretch(1)

        for key, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _t, k=key: self._typed(k))
                widget.editingFinished.connect(lambda k=key: self._touch(k))
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda _i, k=key: self._touch(k))
        self.day.dateChanged.connect(lambda _d: self._touch("fecha"))
        self.day.warned.connect(lambda _m: self._touch("fecha"))
        self.doc_type.currentIndexChanged.connect(lambda _i: self._type_changed())
        self.items.changed.connect(self.validate)
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.clear)
        items = self.items
        chain = [*self.fields.values(), items.enabled_check, items.search, items.results, items.presentation,
                 items.other_name, items.other_net, items.units, items.unit_price, items.add_button, items.table,
                 items.remove_button, self.save_button, self.clear_button]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)
        self._type_changed()

    # ------------------------------------------------------------------ month and committee
    def set_prices(self, prices: dict) -> None:
        self.items.set_prices(prices)

    def load_prices(self) -> None:
        committee = self._ctx.committee
        if committee is None:
            return
        db, cid = self._ctx.db, committee.id
        self._ctx.runner.run(lambda: needs.price_list(db, cid), self.set_prices, key="treasury.prices", owner=self)

    def set_view(self, view: MonthView) -> None:
        """The month being entered: its headings and balances, its dates, whether it still accepts expenses."""
        same_month = self._view is not None and self._view.month == view.month
        if not same_month:  # another month: what was saved or refused in the last one is not news here
            self.saved_note.hide()
            self._show_all = False
            self._touched.clear()
        self._view = view
        code = self.heading.currentData()
        self.heading.blockSignals(True)
        self.heading.clear()
        for h in view.heading_defs:
            self.heading.addItem(h.name, h.code)
        self.heading.setCurrentIndex(max(0, self.heading.findData(code)))
        self.heading.blockSignals(False)
        start, end = month_bounds(view.month)
        keep = self.day.date().toPython() if same_month else None
        self.day.blockSignals(True)
        self.day.take_any_date()  # a date of another month is kept as typed and said (errors), never moved into it
        today = clock.today()
        default = today if start <= today <= end else (end if end < today else start)
        self.day.setDate(QDate(keep or default))
        self.day.blockSignals(False)
        label = month_label(view.month)
        if view.frozen or view.closed:
            why = ((_("La rendición de {month} ya fue aprobada: ya no se registran gastos en este mes.")
                    if view.state == "aprobado" else
                    _("La rendición de {month} ya fue presentada: ya no se registran gastos en este mes.")).format(
                month=label) if view.frozen else
                _("El mes de {month} está cerrado: ya no se registran gastos en él.").format(month=label))
            self.blocked.setText(why + " " + _("Para registrar otro gasto, elija arriba un mes abierto."))
        self.blocked.setVisible(view.frozen or view.closed)
        self.intro.setVisible(not (view.frozen or view.closed))
        for widget in (*self.fields.values(), self.items, self.clear_button):
            widget.setEnabled(not (view.frozen or view.closed))
        self.intro.setText(_(
            "Copie aquí cada comprobante de {month}, uno por uno. Pase de un dato al siguiente con la tecla Tab; "
            "al terminar pulse Enter o «Guardar gasto». Si un dato está mal, el mensaje en rojo a su lado dice "
            "qué corregir.").format(month=label))
        if not view.transfers and view.transferred_to_date <= 0:
            self.intro.setText(self.intro.text() + " " + _(
                "Todavía no hay dinero recibido: registre primero la transferencia en «Dinero recibido»."))
        if not self._payment_chosen:  # «Efectivo» with S/ 0 in the cash box would be refused: the bank then
            self.payment.setCurrentIndex(max(0, self.payment.findData(
                "efectivo" if view.cash > 0 or view.bank <= 0 else "banco")))
        self._generation += 1  # balances changed: the service checks the receipt again
        self._server.clear()
        self._server_note = ""
        self.validate()

    # ------------------------------------------------------------------ the expense being typed
    def doc(self) -> str:
        return self.doc_type.currentData() or ""

    def expense(self) -> tuple[Expense, Decimal | None]:
        """The expense as typed (amount 0 when it cannot be read) and the amount read, if any."""
        doc = self.doc()
        try:
            amount: Decimal | None = read_amount(self.amount.text())
        except InvalidInput:
            amount = None
        extra = {key: self.fields[key].text().strip() for key in EXTRA_FIELDS.get(doc, ())}
        party = self.party_id.text().strip() if PARTY.get(doc, (None,))[0] else ""
        return Expense(self.day.date().toPython(), self.heading.currentData() or "", doc, self.number.text().strip(),
                       party, self.party_name.text().strip(), self.detail.text().strip(),
                       amount if amount is not None else Decimal("0.00"), self.payment.currentData() or "efectivo",
                       extra, self.items.purchase_items()), amount

    def errors(self) -> dict[str, str]:
        """Field → what to correct, as the service would refuse it (and the heading's balance this month)."""
        e, amount = self.expense()
        codes = {h.code for h in self._view.heading_defs} if self._view else {e.heading}
        errors = {k: sentence(v) for k, v in check_expense(replace(e, items=()), codes).items()}
        wrong_month = outside_month(e.day, self._view.month) if self._view is not None else ""
        if wrong_month:
            errors["fecha"] = wrong_month
        if self.day.warning():  # a date typed that could not be kept as typed (31/02, a month 13): typed again first
            errors["fecha"] = self.day.warning()
        if amount is None:
            try:
                read_amount(self.amount.text())
            except InvalidInput as exc:
                errors["monto"] = str(exc)
        if e.doc_type == "recibo" and len(e.party_id) == 11 and "ruc_dni" in errors and check_ruc(e.party_id):
            errors["ruc_dni"] = check_ruc(e.party_id)
        if e.doc_type == "declaracion_jurada" and check_dni(e.party_id):  # the label already says «DNI del vendedor»
            errors["ruc_dni"] = check_dni(e.party_id)
        if self.items.active():
            if not e.items:
                errors["alimentos"] = _("Agregue los alimentos comprados, o quite la marca de «compré alimentos».")
            elif amount is not None and self.items.items_total() != amount:
                errors["alimentos"] = _("Los alimentos comprados suman {total}, no {amount}: deben sumar el monto "
                                        "del comprobante.").format(total=format_soles(self.items.items_total()),
                                                                   amount=format_soles(amount))
        # a heading spent beyond its share is only a warning (shown beside the heading, and by the service
        # on saving); the money received and not yet spent is checked by the service
        return errors

    def _type_changed(self) -> None:
        doc = self.doc()
        id_label, id_hint, name_label, name_hint = PARTY.get(doc, PARTY["boleta"])
        self.number.setPlaceholderText(_(NUMBER_HINTS.get(doc, "")))
        if id_label:
            self.labels["ruc_dni"].setText(_(id_label))
            self.party_id.setPlaceholderText(_(id_hint))
        self.labels["proveedor"].setText(_(name_label))
        self.party_name.setPlaceholderText(_(name_hint))
        visible = {"ruc_dni": bool(id_label), **{k: k in EXTRA_FIELDS.get(doc, ()) for k in
                                                   ("que", "donde", "origen", "destino", "motivo")}}
        for key, shown in visible.items():
            self.labels[key].setVisible(shown)
            self.fields[key].setVisible(shown)
            if not shown:
                self.messages[key].hide()
        self.validate()

    # ------------------------------------------------------------------ checking as typed
    def _changed(self) -> None:
        self._generation += 1
        if self._server_note or self.status.property("role") == "ok":
            self._set_status("")
        self._server.clear()
        self._server_note = ""

    def _typed(self, key: str) -> None:
        self._changed()
        self._pending.add(key)
        self._typing.start()
        self.validate()

    def _typing_paused(self) -> None:
        self._touched |= self._pending
        self._pending.clear()
        self.validate()

    def _touch(self, key: str) -> None:
        if key in ("rubro", "tipo_documento", "fecha", "pago"):
            self._changed()
        self._touched.add(key)
        self.validate()

    def validate(self) -> dict[str, str]:
        errors = self.errors() if self._view is not None else {"rubro": ""}
        for key, label in self.messages.items():
            shown = self._show_all or key in self._touched or key == "alimentos" and self.items.model.rows()
            text = errors.get(key, "") if shown else ""
            text = text or self._server.get(key, "")
            label.setText(text)
            label.setVisible(bool(text) and (key not in self.fields or self.fields[key].isVisibleTo(self)))
            if key in self.fields:
                set_invalid(self.fields[key], bool(text))
        self._show_heading_left()
        e, amount = self.expense()
        self.items.update_total(amount)
        blocked = self._view is None or self._view.frozen or self._view.closed
        self.save_button.setEnabled(not blocked and not errors and not self._server and not self._saving)
        if not errors and not blocked and self._checked_generation != self._generation:
            self._check_timer.start()
        if self._server_note:
            self._set_status(self._server_note, error=True)
        elif not blocked and (errors or self._server) and self.status.property("role") in (None, "", "muted"):
            self._set_status(_("«Guardar gasto» se activa cuando los datos estén completos y sin errores."),
                             muted=True)
        elif not errors and self.status.property("role") == "muted":
            self._set_status("")
        return errors

    def _show_heading_left(self) -> None:
        hb = self._view.heading(self.heading.currentData()) if self._view else None
        if hb is None:
            self.heading_left.setText("")
            return
        text = _("Saldo del rubro {name}: {left}.").format(name=hb.name, left=format_soles(hb.balance))
        role = "muted"
        try:
            amount = read_amount(self.amount.text())
        except InvalidInput:
            amount = None
        if amount is not None and amount > 0:
            after = hb.balance - amount
            text += " " + _("Después de este gasto quedarían {after}.").format(after=format_soles(after))
            if after < 0:
                text += " " + _("El rubro quedaría sobregirado: se puede guardar, con aviso (el reparto por "
                                "rubros es del comité).")
                role = "error"
            elif hb.allotted > 0 and after < hb.allotted * LOW_SHARE:
                text += " " + _("Es menos del 10 % de lo asignado.")
                role = "error"
        elif hb.allotted > 0 and hb.balance < hb.allotted * LOW_SHARE:
            text += " " + _("Queda menos del 10 % de lo asignado.")
            role = "error"
        self.heading_left.setText(text)
        set_role(self.heading_left, role)

    def _service_check(self) -> None:
        """Ask the service whether it would record this expense (nothing is recorded)."""
        committee = self._ctx.committee
        if committee is None or self._view is None or self.errors():
            return
        generation = self._generation
        self._checked_generation = generation
        e, _amount = self.expense()
        db, cid, user = self._ctx.db, committee.id, self._ctx.user
        self._ctx.runner.run(lambda: treasury.record_expenses(db, cid, [e], user=user, dry_run=True),
                             lambda _r: self._checked(generation, None),
                             on_error=lambda err: self._checked(generation, err), key="treasury.receipt.check",
                             owner=self)

    def _checked(self, generation: int, error: Exception | None) -> None:
        if generation != self._generation:
            return
        self._apply_refusal(error)
        self.validate()

    def _apply_refusal(self, error: Exception | None) -> None:
        self._server.clear()
        self._server_note = ""
        if error is None:
            return
        notes = []
        for problem in getattr(error, "problems", []):
            field = problem.field or ""  # the service names the field as data
            if field in self.fields:
                self._server[field] = sentence(problem.what)
            else:
                notes.append(sentence(problem.what))
        if not getattr(error, "problems", []):
            notes.append(str(error))
        if notes:
            self._server["_"] = "; ".join(notes)
            self._server_note = "; ".join(notes)

    # ------------------------------------------------------------------ saving
    def save(self) -> None:
        self._show_all = True
        errors = self.validate()
        committee = self._ctx.committee
        if self._view is None or committee is None or self._saving or self._view.frozen or self._view.closed:
            return
        if errors or self._server:
            self.saved_note.hide()
            n = len(errors) or len(self._server)
            self._set_status(_("Hay {n} datos por corregir (en rojo). Corríjalos y vuelva a pulsar «Guardar gasto».")
                             .format(n=n) if n != 1 else
                             _("Hay 1 dato por corregir (en rojo). Corríjalo y vuelva a pulsar «Guardar gasto»."),
                             error=True)
            self._focus_first({**errors, **self._server})
            return
        e, _amount = self.expense()
        db, cid, user = self._ctx.db, committee.id, self._ctx.user
        self._saving = True
        self.save_button.setEnabled(False)
        self._set_status(_("Guardando…"))
        self._ctx.write(lambda: treasury.record_expenses(db, cid, [e], user=user),
                        lambda result: self._saved(result, e), on_error=self._save_failed,
                        progress=_("Guardando el gasto…"), owner=self)

    def _saved(self, result, expense: Expense) -> None:
        self._saving = False
        self.clear()
        text = _("✓ Gasto guardado: {detail}, {amount}.").format(detail=expense.detail,
                                                                 amount=format_soles(expense.amount))
        if expense.items:
            text += " " + _("Los alimentos entraron al almacén.")
        if result.warnings:
            text += " " + _("Aviso: {w}").format(w="; ".join(w.split(": ", 1)[-1] for w in result.warnings))
        self.saved_note.setText(text)
        self.saved_note.show()
        self.saved.emit(result, expense)

    def _save_failed(self, error: Exception) -> None:
        self._saving = False
        self.saved_note.hide()  # the last receipt's «✓ Gasto guardado» above this one's errors read as this one saved
        self._apply_refusal(error)
        self._show_all = True
        self.validate()
        summary = getattr(error, "summary", None) if getattr(error, "problems", None) else None
        self._set_status(_("No se guardó: {why}").format(why=summary or str(error)), error=True)
        self._focus_first(self._server)

    def clear(self, *, keep_status: bool = False) -> None:
        """Empty the receipt's own data; the date, heading, type and payment stay for the next one."""
        for widget in (self.number, self.party_id, self.party_name, self.what, self.where, self.origin,
                       self.destination, self.reason, self.detail, self.amount):
            widget.clear()
        self.items.clear()
        self._touched.clear()
        self._pending.clear()
        self._show_all = False
        self._changed()
        if not keep_status:
            self._set_status("")
        self.validate()
        self.day.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_status(self, text: str, *, error: bool = False, ok: bool = False, muted: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "error" if error else "ok" if ok else "muted" if muted else "")

    def _focus_first(self, errors: dict[str, str]) -> None:
        for key, widget in self.fields.items():
            if key in errors and widget.isVisibleTo(self):
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        if "alimentos" in errors:
            self.items.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            focus = QApplication.focusWidget()
            if isinstance(focus, QPushButton) and focus is not self.save_button:
                focus.click()  # Enter on «Empezar de nuevo» does what it says
            else:
                self.save()
            return
        super().keyPressEvent(event)
