"""What day it is for the application: the real date, or ``QALIWARMA_TODAY`` (yyyy-mm-dd) so that
tests, demos and training sessions can work "as of" a given day (which days are past, whether a
month may be closed)."""

from __future__ import annotations

import os
from datetime import date

from .i18n import _


def today() -> date:
    fixed = os.environ.get("QALIWARMA_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            pass
    return date.today()


def future_problem(day: date) -> str | None:
    """Why a record of something that happened (food received, rations served, money received or spent) cannot
    be dated ``day``: said when ``day`` is after today, else None. A typed year (2031 for 2026) would otherwise
    enter the journal for good. Today is the computer's: a wrong clock is named so it can be put right."""
    now = today()
    if day <= now:
        return None
    return _("la fecha {day} es posterior a hoy ({today}): solo se registra lo que ya pasó. Revise la fecha (y la "
             "del computador, si hoy no es {today})").format(day=f"{day:%d/%m/%Y}", today=f"{now:%d/%m/%Y}")
