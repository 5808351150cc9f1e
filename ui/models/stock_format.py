"""How the store's pages write dates and quantities (no Qt here: the worker uses it too).

Numbers follow the application's style: decimal point, comma thousands ("1,234.5 kg"); dates dd/mm/yyyy.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from qaliwarma.vocab import MONTHS, WEEKDAYS, format_kg, format_number, long_date  # noqa: F401
from qaliwarma.vocab import format_date as _format_date
from qaliwarma.vocab import month_name as _month_name

from ..i18n import _

fmt_kg = format_kg


def shown_kg(grams: Decimal) -> Decimal:
    """The kilos a balance is shown as (to the gram, half up, as format_kg): what a user reads, and may type back
    meaning «all of it» (a count that finds the balance, a lot withdrawn whole)."""
    from decimal import ROUND_HALF_UP

    return (Decimal(grams) / 1000).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def fmt_date(day: date | None) -> str:
    return _format_date(day, "—")


def month_name(year: int, month: int) -> str:
    return f"{_month_name(month).capitalize()} {year}"


def fmt_number(value: Decimal | int | float, decimals: int = 3) -> str:
    """1234.5 → "1,234.5"; 12 → "12"; trailing zeros dropped."""
    return format_number(value, decimals, trim=True)


EXPIRED, SOON, SUSPENDED, OK = "vencido", "por_vencer", "suspendido", "bien"


def lot_state(lot, today: date, days_ahead: int) -> tuple[str, str]:
    """(state, words) of a lot: expired (red), expiring within ``days_ahead`` (amber), suspended, fine."""
    days = lot.days_to_expiry(today)
    if days is not None and days < 0:
        words = (_("Vencido hace 1 día: no se usa") if days == -1 else
                 _("Vencido hace {n} días: no se usa").format(n=-days))
        state = EXPIRED
    elif days is not None and days <= days_ahead:
        words = (_("Vence hoy") if days == 0 else _("Vence mañana") if days == 1 else
                 _("Vence en {n} días").format(n=days))
        state = SOON
    else:
        words, state = (_("Sin fecha de vencimiento") if days is None else _("Bien")), OK
    if lot.suspended:
        words = _("SUSPENDIDO") + (f" ({lot.suspension_reason})" if lot.suspension_reason else "") + \
            (f" · {words.lower()}" if state != OK else "")
        if state == OK:
            state = SUSPENDED
    return state, words
