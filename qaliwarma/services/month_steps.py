"""The month's steps in order, for a committee starting out: menú → recepción → raciones → tesorería →
cierre, each ticked when the records show it done for the month (Inicio shows them as a path)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..domain.attention import MonthStep
from ..i18n import N_
from ..persistence.engine import Database

STEPS = (
    ("menu", N_("Planifique el menú del mes"), N_("Elija las preparaciones de cada día en «Menú».")),
    ("recepcion", N_("Registre la entrega de alimentos"), N_("Anote el acta del proveedor en «Recepción».")),
    ("raciones", N_("Anote las raciones servidas"), N_("Cada día de clases, en «Raciones».")),
    ("tesoreria", N_("Registre los gastos del mes"), N_("Cada comprobante, en «Tesorería».")),
    ("cierre", N_("Cierre el mes"), N_("Revise la lista y cierre el mes en «Cierre de mes».")),
)


def month_steps(db: Database, committee_id: int, today: date) -> list[MonthStep]:
    """The five steps of ``today``'s month, each with whether the records show it done."""
    from . import periods, planning, receiving, serving

    month = f"{today.year:04d}-{today.month:02d}"
    start, end = periods.month_bounds(month)
    done = {
        "menu": any(p.entries > 0 and p.start <= end and p.end >= start
                    for p in planning.list_plans(db, committee_id)),
        "recepcion": bool(receiving.received_summary(db, committee_id, start, end)),
        "raciones": bool(serving.services_in(db, committee_id, start, end)),
        "tesoreria": spent_in_month(db, committee_id, month) > 0,
        "cierre": month in periods.closed_months(db, committee_id),
    }
    return [MonthStep(area, title, hint, done[area]) for area, title, hint in STEPS]


def spent_in_month(db: Database, committee_id: int, month: str) -> Decimal:
    """What the month's recorded expenses add up to (cancelled ones left out), as the treasury balance's
    «gastado en el mes», read with one sum instead of the whole balance (the first page asks it at start)."""
    from sqlalchemy import func, select

    from ..persistence.models import TreasuryExpense

    with db.session() as s:
        total = s.scalar(select(func.sum(TreasuryExpense.amount)).where(
            TreasuryExpense.committee_id == committee_id, TreasuryExpense.active.is_(True),
            TreasuryExpense.cycle == month))
    return Decimal(0) if total is None else Decimal(str(total)).quantize(Decimal("0.01"))
