"""Month end: closing a month freezes every record dated in it (the journal refuses them);
corrections go into the next open month as entries that reference what they correct."""

from __future__ import annotations

import calendar as cal
from datetime import date

from ..errors import InvalidInput
from ..persistence.engine import Database
from ..persistence.journal import Journal


def month_bounds(month: str) -> tuple[date, date]:
    try:
        year, mon = (int(x) for x in month.split("-"))
        return date(year, mon, 1), date(year, mon, cal.monthrange(year, mon)[1])
    except ValueError as exc:
        raise InvalidInput(f"Mes «{month}» mal escrito: use AAAA-MM, por ejemplo 2027-03.") from exc


def close(db: Database, committee_id: int, month: str, *, user: str, today: date | None = None) -> int:
    """Close ``month``: a last journal entry records the closing, then nothing more is accepted."""
    start, end = month_bounds(month)
    today = today or date.today()
    if start > today:
        raise InvalidInput(f"No se puede cerrar {month}: todavía no empieza.")
    with db.session() as s:
        journal = Journal(s, committee_id)
        if month in journal.closed_months():
            raise InvalidInput(f"El mes {month} ya está cerrado.")
        entry = journal.append("periodo.cierre", end, {"month": month, "entries": journal.count()}, user=user)
        journal.close_month(month, user=user)
        return entry.seq


def closed_months(db: Database, committee_id: int) -> list[str]:
    with db.session() as s:
        return sorted(Journal(s, committee_id).closed_months())
