"""How the store's pages write dates and quantities (no Qt here: the worker uses it too).

Numbers follow the application's style: decimal point, comma thousands ("1,234.5 kg"); dates dd/mm/yyyy.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..i18n import _

WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre")


def fmt_date(day: date | None) -> str:
    return "—" if day is None else f"{day:%d/%m/%Y}"


def long_date(day: date) -> str:
    """"jueves 26 de noviembre de 2026"."""
    return _("{weekday} {d} de {month} de {year}").format(
        weekday=_(WEEKDAYS[day.weekday()]), d=day.day, month=_(MONTHS[day.month - 1]), year=day.year)


def month_name(year: int, month: int) -> str:
    return f"{_(MONTHS[month - 1]).capitalize()} {year}"


def fmt_number(value: Decimal | int | float, decimals: int = 3) -> str:
    """1234.5 → "1,234.5"; 12 → "12"; trailing zeros dropped."""
    quantum = Decimal(1).scaleb(-decimals)
    amount = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)
    text = f"{amount:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_kg(grams: Decimal | int | float) -> str:
    """Grams shown in kilograms, to the gram: 17628 → "17.628 kg"; 1500 → "1.5 kg"."""
    return f"{fmt_number(Decimal(str(grams)) / 1000, 3)} kg"


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
