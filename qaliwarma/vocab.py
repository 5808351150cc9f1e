"""One vocabulary for calendars and amounts: month and weekday names (Peru writes «setiembre»), periods
("2026-11"), dates ("02/03/2026"), and how numbers and soles are written ("1,234.50", "S/ 1,234.50").

Every screen, command and document takes its words from here, translated with the core's gettext
(``qaliwarma.i18n``). Reading numbers that people type lives in ``qaliwarma.numbers`` / ``money``.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .errors import InvalidInput
from .i18n import N_, _

# Spanish as Peru writes it (the RAE accepts both; Peru's official documents say «setiembre»).
MONTHS = (N_("enero"), N_("febrero"), N_("marzo"), N_("abril"), N_("mayo"), N_("junio"), N_("julio"),
          N_("agosto"), N_("setiembre"), N_("octubre"), N_("noviembre"), N_("diciembre"))
SHORT_MONTHS = (N_("ene."), N_("feb."), N_("mar."), N_("abr."), N_("may."), N_("jun."), N_("jul."), N_("ago."),
                N_("set."), N_("oct."), N_("nov."), N_("dic."))
WEEKDAYS = (N_("lunes"), N_("martes"), N_("miércoles"), N_("jueves"), N_("viernes"), N_("sábado"),
            N_("domingo"))


# ---------------------------------------------------------------------------------------------- names
def month_name(month: int) -> str:
    """11 → "noviembre" (translated)."""
    return _(MONTHS[month - 1])


def weekday_name(day: date) -> str:
    """"lunes", "martes"… (translated, lower case)."""
    return _(WEEKDAYS[day.weekday()])


def capital(text: str) -> str:
    """First letter upper case, the rest as it is: "noviembre de 2026" → "Noviembre de 2026"."""
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------- dates
def format_date(day: date | None, empty: str = "") -> str:
    """02/03/2026 (``empty`` for no date)."""
    return empty if day is None else f"{day:%d/%m/%Y}"


def long_date(day: date) -> str:
    """"lunes 2 de marzo de 2026"."""
    return _("{weekday} {d} de {month} de {year}").format(
        weekday=weekday_name(day), d=day.day, month=month_name(day.month), year=day.year)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def months_between(start: date, end: date) -> list[date]:
    """First day of each month from ``start`` to ``end``."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = month_end(month) + timedelta(days=1)
    return months


# -------------------------------------------------------------------------------------------- periods
def period_of(day: date) -> str:
    """The period (month) a day belongs to: "2026-11"."""
    return f"{day.year:04d}-{day.month:02d}"


FIRST_YEAR, LAST_YEAR = 1990, 2199  # the months a committee's records can be in (0001-01 overflowed the dates)


def parse_period(text: str) -> tuple[int, int]:
    """"2026-11" → (2026, 11); ``InvalidInput`` (in the user's words) for anything else, or a year outside
    ``FIRST_YEAR``–``LAST_YEAR``."""
    try:
        year, mon = (int(x) for x in str(text).strip().split("-"))
        date(year, mon, 1)
    except ValueError:
        raise InvalidInput(_("Mes «{text}» no válido: escriba el año y el mes, por ejemplo 2026-11.").format(
            text=text)) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(_("Mes «{text}» no válido: el año debe estar entre {first} y {last}.").format(
            text=text, first=FIRST_YEAR, last=LAST_YEAR))
    return year, mon


def period_range(period: str) -> tuple[date, date]:
    """"2026-11" → (01/11/2026, 30/11/2026)."""
    year, mon = parse_period(period)
    return date(year, mon, 1), date(year, mon, _calendar.monthrange(year, mon)[1])


def add_months(period: str, n: int) -> str:
    """"2026-11" plus 2 → "2027-01"."""
    year, mon = parse_period(period)
    index = year * 12 + mon - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def period_label(period: str) -> str:
    """"2026-11" → "noviembre de 2026" (text that is not a period is returned as it is)."""
    try:
        year, mon = parse_period(period)
    except InvalidInput:
        return period
    return _("{month} de {year}").format(month=month_name(mon), year=year)


def short_period_label(period: str) -> str:
    """"2026-11" → "nov. 2026" (short enough for a column)."""
    try:
        year, mon = parse_period(period)
    except InvalidInput:
        return period
    return f"{_(SHORT_MONTHS[mon - 1])} {year}"


# ------------------------------------------------------------------------------------ numbers, money
def format_number(value, decimals: int = 0, *, trim: bool = False) -> str:
    """Peruvian style: decimal point, comma thousands. ``format_number(1234.5, 2)`` → "1,234.50";
    with ``trim`` trailing zeros go: ``format_number(2.50, 2, trim=True)`` → "2.5"."""
    quantum = Decimal(1).scaleb(-decimals)
    amount = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)  # no "-0"
    text = f"{amount:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_kg(grams) -> str:
    """Grams shown in kilograms, to the gram: 17628 → "17.628 kg"; 1500 → "1.5 kg"."""
    return f"{format_number(Decimal(str(grams)) / 1000, 3, trim=True)} kg"


def format_money(amount) -> str:
    """"S/ 1,234.50" (Babel's es_PE rules; the sol is written the same way in English)."""
    from .money import format_soles

    return format_soles(amount)


def plural(n: int, one: str, many: str) -> str:
    """"1 día", "1,234 días" (``one``/``many`` already translated)."""
    return f"{n:,} {one if n == 1 else many}"
