"""What the Tesorería screen shows of one month, read on the worker as plain rows, and its tables:
the month's expenses, the transfers received, the balance per budget heading, the foods bought."""

from __future__ import annotations

import calendar as cal
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from qaliwarma.domain.treasury import CYCLE_STATES, DOC_TYPES, Heading
from qaliwarma.money import format_soles
from qaliwarma.services import periods, treasury
from qaliwarma.services.database import Database
from qaliwarma.services.treasury import HeadingBalance
from qaliwarma.vocab import MONTHS, add_months  # noqa: F401
from qaliwarma.vocab import period_label as month_label  # noqa: F401  (one vocabulary)
from qaliwarma.vocab import period_of as month_of  # noqa: F401

from ..i18n import N_, _
from ..theme import ERROR_COLOR
from .base import Column, RowsModel

ZERO = Decimal("0.00")
LOW_SHARE = Decimal("0.10")
WARN_COLOR = "#8a5a00"
PAYMENT_LABELS = {"efectivo": "Efectivo", "banco": "Banco"}
SHORT_DOC = {"boleta": "Boleta", "factura": "Factura", "ticket": "Ticket", "recibo": "Recibo",
             "declaracion_jurada": "Decl. jurada", "planilla_movilidad": "Planilla movilidad"}


def month_bounds(month: str) -> tuple[date, date]:
    year, mon = (int(x) for x in month.split("-"))
    return date(year, mon, 1), date(year, mon, cal.monthrange(year, mon)[1])


def format_day(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def outside_month(day: date, month: str) -> str:
    """What to say when a date typed in a month's form is not of that month ("" when it is). The forms' date
    fields take any date, so that a month typed by mistake is kept as typed and said, not silently changed to
    the month chosen above (15/12 used to become 15/11)."""
    start, end = month_bounds(month)
    if start <= day <= end:
        return ""
    from ..i18n import _

    return _("La fecha {day} no es de {month}, el mes elegido arriba. Corrija la fecha, o elija arriba "
             "{other}.").format(day=format_day(day), month=month_label(month),
                                other=month_label(f"{day.year:04d}-{day.month:02d}"))


def party_text(party_id: str) -> str:
    """"RUC 20604512370", "DNI 23456789" or "" (a transport sheet has none)."""
    if not party_id:
        return ""
    return f"{'RUC' if len(party_id) == 11 else 'DNI'} {party_id}"


@dataclass(frozen=True)
class ExpenseRow:
    seq: int
    number: int
    day: date
    heading: str
    heading_name: str
    doc_type: str
    doc_number: str
    party_id: str
    party_name: str
    detail: str
    amount: Decimal
    payment: str

    @property
    def document(self) -> str:
        return f"{DOC_TYPES.get(self.doc_type, self.doc_type)} {self.doc_number}".strip()


@dataclass(frozen=True)
class TransferRow:
    seq: int
    day: date
    amount: Decimal
    reference: str
    deadline: date


@dataclass(frozen=True)
class WithdrawalRow:
    """Cash taken out of the bank into the committee's box."""

    seq: int
    day: date
    amount: Decimal


@dataclass(frozen=True)
class MonthView:
    """Everything the screen shows of ``month`` (amounts are the service's, untouched)."""

    month: str
    state: str
    observations: str
    closed: bool  # the month was closed (period close): the journal accepts nothing dated in it
    transferred_in_month: Decimal
    transferred_to_date: Decimal
    spent_in_month: Decimal
    spent_to_date: Decimal
    bank: Decimal
    cash: Decimal
    balance: Decimal
    headings: list[HeadingBalance]
    heading_defs: list[Heading]
    expenses: list[ExpenseRow]
    transfers: list[TransferRow]
    warnings: list[str]
    months: list[str] = field(default_factory=list)  # months the selector offers, newest first
    withdrawals: list[WithdrawalRow] = field(default_factory=list)
    cancelled: list = field(default_factory=list)  # treasury.CancelledExpense: the numbers missing from the list

    @property
    def frozen(self) -> bool:
        return self.state in treasury.FROZEN

    @property
    def state_label(self) -> str:
        if self.closed and self.state == "borrador":  # a closed month is no draft: its rendición is due
            return N_("por presentar (mes cerrado)")
        return CYCLE_STATES.get(self.state, self.state)

    def heading(self, code: str) -> HeadingBalance | None:
        return next((h for h in self.headings if h.code == code), None)


def load_month(db: Database, committee_id: int, month: str | None, today: date) -> MonthView:
    """On the worker: the month's balance, expenses and transfers, and the months worth offering. ``month``
    None: the month :func:`latest_month` names (the book's span is asked for once, for both)."""
    span = _book_span(db, committee_id, today)
    current = f"{today:%Y-%m}"
    month = month or _latest(span, current)
    heading_defs = treasury.headings(db, committee_id)
    b = treasury.balance(db, committee_id, month)
    names = {h.code: h.name for h in heading_defs}
    expenses = [ExpenseRow(e.journal_seq, e.number, e.day, e.heading, names.get(e.heading, e.heading), e.doc_type,
                           e.doc_number, e.party_id, e.party_name, e.detail, Decimal(e.amount), e.payment)
                for e in b.expenses]
    transfers = [TransferRow(t.journal_seq, t.day, Decimal(t.amount), t.reference, t.deadline) for t in b.transfers]
    closed_months = periods.closed_months(db, committee_id)
    # a month before a closed one takes no records either (Journal.is_frozen): shown as closed, its forms off
    closed = bool(closed_months) and month <= max(closed_months)
    first = min([month_of(span[0]), add_months(current, -11)] if span else [add_months(current, -11)])
    last = max([month_of(span[1]), current, month] if span else [current, month])
    first = min(first, month)
    months, m = [], first
    while m <= last:
        months.append(m)
        m = add_months(m, 1)
    return MonthView(month, b.state, b.observations, closed, b.transferred_in_month, b.transferred_to_date,
                     b.spent_in_month, b.spent_to_date, b.bank, b.cash, b.balance, list(b.headings), heading_defs,
                     expenses, transfers, list(b.warnings), months[::-1],
                     [WithdrawalRow(*w) for w in treasury.month_withdrawals(db, committee_id, month)],
                     list(b.cancelled))


def _book_span(db: Database, committee_id: int, today: date) -> tuple[date, date] | None:
    """The cash book's first and last day (not the book)."""
    return treasury.cash_span(db, committee_id, date(today.year + 5, 12, 31))


def _latest(span: tuple[date, date] | None, current: str) -> str:
    return max(current, month_of(span[1])) if span else current


def latest_month(db: Database, committee_id: int, today: date) -> str:
    """The month to open on: the current one, or a later one that already has records (a demo)."""
    return _latest(_book_span(db, committee_id, today), f"{today:%Y-%m}")


def left_share(h: HeadingBalance) -> str:
    if h.allotted <= 0:
        return "—"
    return f"{(h.balance / h.allotted * 100).quantize(Decimal('1'))} %"


# ------------------------------------------------------------------------------------------ models
class ExpenseTableModel(RowsModel[ExpenseRow]):
    columns = (
        Column(_("N.º"), lambda r: str(r.number), align_right=True, sort_key=lambda r: r.number),
        Column(_("Fecha"), lambda r: format_day(r.day), sort_key=lambda r: (r.day, r.number)),
        Column(_("Rubro"), lambda r: r.heading_name),
        Column(_("Comprobante"), lambda r: "\n".join(filter(None, (
            f"{_(SHORT_DOC.get(r.doc_type, r.doc_type))} {r.doc_number}", party_text(r.party_id))))),
        Column(_("Proveedor"), lambda r: r.party_name),
        Column(_("Detalle"), lambda r: r.detail),
        Column(_("Pago"), lambda r: _(PAYMENT_LABELS.get(r.payment, r.payment))),
        Column(_("Monto"), lambda r: format_soles(r.amount), align_right=True, sort_key=lambda r: r.amount),
    )

    def extra_data(self, row: ExpenseRow, column: int, role: int):
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("Gasto n.º {n} del {day} ({doc}): {detail}").format(
                n=row.number, day=format_day(row.day), doc=row.document, detail=row.detail)
        return None


class TransferTableModel(RowsModel[TransferRow]):
    columns = (
        Column(_("Fecha"), lambda r: format_day(r.day), sort_key=lambda r: (r.day, r.seq)),
        Column(_("Monto"), lambda r: format_soles(r.amount), align_right=True, sort_key=lambda r: r.amount),
        Column(_("Referencia"), lambda r: r.reference),
        Column(_("Rendir cuentas hasta"), lambda r: format_day(r.deadline), sort_key=lambda r: r.deadline),
    )


class WithdrawalTableModel(RowsModel[WithdrawalRow]):
    columns = (
        Column(_("Fecha"), lambda r: format_day(r.day), sort_key=lambda r: (r.day, r.seq)),
        Column(_("Monto"), lambda r: format_soles(r.amount), align_right=True, sort_key=lambda r: r.amount),
        Column(_("Movimiento"), lambda r: _("Del banco a la caja del comité")),
    )


class HeadingTableModel(RowsModel[HeadingBalance]):
    """Allotted and spent are to date (what the service reports); the month's spending beside them."""

    columns = (
        Column(_("Rubro"), lambda h: h.name),
        Column(_("Asignado"), lambda h: format_soles(h.allotted), align_right=True, sort_key=lambda h: h.allotted),
        Column(_("Gastado en el mes"), lambda h: format_soles(h.spent_in_month), align_right=True,
               sort_key=lambda h: h.spent_in_month),
        Column(_("Gastado en total"), lambda h: format_soles(h.spent), align_right=True, sort_key=lambda h: h.spent),
        Column(_("Saldo"), lambda h: format_soles(h.balance), align_right=True, sort_key=lambda h: h.balance),
        Column(_("Queda"), left_share, align_right=True,
               sort_key=lambda h: h.balance / h.allotted if h.allotted > 0 else Decimal(-1)),
    )

    def extra_data(self, row: HeadingBalance, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and column in (4, 5):
            if row.balance < 0:
                return QColor(ERROR_COLOR)
            if row.allotted > 0 and row.balance < row.allotted * LOW_SHARE:
                return QColor(WARN_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.balance < 0:
                return _("El rubro {name} está sobregirado.").format(name=row.name)
            if row.allotted > 0 and row.balance < row.allotted * LOW_SHARE:
                return _("Al rubro {name} le queda menos del 10 %.").format(name=row.name)
        return None


@dataclass(frozen=True)
class ItemRow:
    """A food bought with a receipt, as typed (the form turns it into a PurchaseItem)."""

    food_code: str
    food_name: str
    presentation: str
    net: str
    units: Decimal
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return (self.units * self.unit_price).quantize(Decimal("0.01"))


def format_units(value: Decimal) -> str:
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text or "0"


class ItemTableModel(RowsModel[ItemRow]):
    columns = (
        Column(_("Alimento"), lambda r: f"{r.food_name} ({r.food_code})"),
        Column(_("Presentación"), lambda r: _("{name} de {net}").format(name=r.presentation, net=r.net)),
        Column(_("Cantidad"), lambda r: format_units(r.units), align_right=True, sort_key=lambda r: r.units),
        Column(_("Precio unitario"), lambda r: format_soles(r.unit_price), align_right=True,
               sort_key=lambda r: r.unit_price),
        Column(_("Importe"), lambda r: format_soles(r.total), align_right=True, sort_key=lambda r: r.total),
    )
