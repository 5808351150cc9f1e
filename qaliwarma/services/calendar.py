"""The committee's school calendar: the school year, holidays, vacations, delivery periods.

Without a calendar of its own for a year, a committee gets a suggested one: Peru's national holidays
(resources/calendar/feriados_peru.toml) and the usual school year, which it adjusts to its UGEL's.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from functools import cache

from sqlalchemy import delete, select

from ..domain.calendar import DeliveryPeriod, Holiday, SchoolCalendar, easter
from ..errors import InvalidInput, Problem
from ..paths import resources_dir
from ..persistence.engine import Database
from ..persistence.models import CalendarBreak, DeliveryPeriodRow, SchoolYear

BREAK_KINDS = {"feriado": "Feriado", "vacaciones": "Vacaciones", "recuperacion": "Día de recuperación"}


@cache
def _holiday_data() -> dict:
    return tomllib.loads((resources_dir() / "calendar" / "feriados_peru.toml").read_text(encoding="utf-8"))


def national_holidays(year: int) -> tuple[Holiday, ...]:
    data = _holiday_data()
    days: list[Holiday] = []
    for h in data["fixed"]:
        if h.get("since", 0) <= year:
            days.append(Holiday(date(year, h["month"], h["day"]), h["name"]))
    sunday = easter(year)
    for h in data.get("easter", []):
        days.append(Holiday(sunday + timedelta(days=h["offset"]), h["name"]))
    return tuple(sorted(days, key=lambda h: h.day))


def suggested_calendar(year: int) -> SchoolCalendar:
    """The usual school year: from the second Monday of March to the third Friday of December,
    with two weeks of mid-year vacations from the third Monday of July."""
    march = date(year, 3, 1)
    first_monday = march + timedelta(days=(7 - march.weekday()) % 7)
    start = first_monday + timedelta(days=7)
    december = date(year, 12, 1)
    first_friday = december + timedelta(days=(4 - december.weekday()) % 7)
    end = first_friday + timedelta(days=14)
    july = date(year, 7, 1)
    vac_start = july + timedelta(days=(7 - july.weekday()) % 7 + 14)
    return SchoolCalendar(year, start, end, national_holidays(year), ((vac_start, vac_start + timedelta(days=13)),))


def school_calendar(db: Database, committee_id: int, year: int) -> SchoolCalendar:
    with db.session() as s:
        sy = s.get(SchoolYear, (committee_id, year))
        breaks = s.scalars(select(CalendarBreak).where(
            CalendarBreak.committee_id == committee_id,
            CalendarBreak.start <= date(year, 12, 31), CalendarBreak.end >= date(year, 1, 1))).all()
        deliveries = s.scalars(select(DeliveryPeriodRow).where(
            DeliveryPeriodRow.committee_id == committee_id,
            DeliveryPeriodRow.start <= date(year, 12, 31), DeliveryPeriodRow.end >= date(year, 1, 1))
            .order_by(DeliveryPeriodRow.start)).all()
        periods = tuple(DeliveryPeriod(d.name, d.start, d.end) for d in deliveries)
        if sy is None:
            return SchoolCalendar(**{**suggested_calendar(year).__dict__, "deliveries": periods})
        holidays = tuple(Holiday(b.start, b.name) for b in breaks if b.kind == "feriado")
        vacations = tuple((b.start, b.end) for b in breaks if b.kind == "vacaciones")
        extra = tuple(b.start for b in breaks if b.kind == "recuperacion")
        return SchoolCalendar(year, sy.start, sy.end, holidays, vacations, extra, periods)


def save_calendar(db: Database, committee_id: int, calendar: SchoolCalendar) -> None:
    """Replace the committee's calendar for ``calendar.year`` (validated first)."""
    problems = []
    if calendar.start > calendar.end:
        problems.append(Problem("Año escolar", "el inicio es posterior al fin"))
    if calendar.start.year != calendar.year or calendar.end.year != calendar.year:
        problems.append(Problem("Año escolar", f"inicio y fin deben estar en {calendar.year}"))
    for a, b in calendar.vacations:
        if a > b:
            problems.append(Problem("Vacaciones", f"{a:%d/%m/%Y} es posterior a {b:%d/%m/%Y}"))
    for p in calendar.deliveries:
        if p.start > p.end:
            problems.append(Problem(f"Entrega «{p.name}»", "el inicio es posterior al fin"))
    if problems:
        raise InvalidInput("El calendario tiene errores; no se guardó.", problems)
    first, last = date(calendar.year, 1, 1), date(calendar.year, 12, 31)
    with db.session() as s:
        s.merge(SchoolYear(committee_id=committee_id, year=calendar.year, start=calendar.start, end=calendar.end))
        s.execute(delete(CalendarBreak).where(CalendarBreak.committee_id == committee_id,
                                              CalendarBreak.start >= first, CalendarBreak.start <= last))
        s.execute(delete(DeliveryPeriodRow).where(DeliveryPeriodRow.committee_id == committee_id,
                                                  DeliveryPeriodRow.start >= first, DeliveryPeriodRow.start <= last))
        for h in calendar.holidays:
            s.add(CalendarBreak(committee_id=committee_id, start=h.day, end=h.day, kind="feriado", name=h.name))
        for a, b in calendar.vacations:
            s.add(CalendarBreak(committee_id=committee_id, start=a, end=b, kind="vacaciones", name="Vacaciones"))
        for d in calendar.extra_days:
            s.add(CalendarBreak(committee_id=committee_id, start=d, end=d, kind="recuperacion", name="Recuperación"))
        for p in calendar.deliveries:
            s.add(DeliveryPeriodRow(committee_id=committee_id, name=p.name, start=p.start, end=p.end))


def school_days(db: Database, committee_id: int, start: date, end: date) -> list[date]:
    days: list[date] = []
    for year in range(start.year, end.year + 1):
        days += school_calendar(db, committee_id, year).school_days(start, end)
    return days


def why_not_school_day(db: Database, committee_id: int, day: date) -> str:
    return school_calendar(db, committee_id, day.year).why_not(day)
