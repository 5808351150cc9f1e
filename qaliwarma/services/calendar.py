"""The committee's school calendar: the school year, holidays, vacations, delivery periods.

Each year's national calendar is DATA with its legal source: resources/calendar/<year>.toml (the
MINEDU resolution's start, end and semanas de gestión) and feriados_peru.toml (national holidays with
their laws). A year without a file gets a suggested calendar, labelled as such. The committee adjusts
its own (local holidays, the region's own dates, recovery days) with journal entries of kind
``calendario``: appended, never edited; undone by a reversal with its reason.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..domain.calendar import Break, DeliveryPeriod, Holiday, SchoolCalendar, easter
from ..errors import InvalidInput, NotFound, Problem
from ..i18n import _
from ..paths import resources_dir
from ..persistence.engine import Database
from ..persistence.journal import REVERSAL, Journal, lock_committee
from ..persistence.models import CalendarBreak, DeliveryPeriodRow, SchoolYear
from ..vocab import period_label

BREAK_KINDS = {"feriado": "Feriado", "vacaciones": "Vacaciones", "recuperacion": "Día de recuperación"}


@cache
def _holiday_data() -> dict:
    return tomllib.loads((resources_dir() / "calendar" / "feriados_peru.toml").read_text(encoding="utf-8"))


def national_holidays(year: int) -> tuple[Holiday, ...]:
    data = _holiday_data()
    days: list[Holiday] = []
    for h in data["fixed"]:
        if h.get("since", 0) <= year:
            days.append(Holiday(date(year, h["month"], h["day"]), h["name"], h.get("law", "")))
    sunday = easter(year)
    for h in data.get("easter", []):
        days.append(Holiday(sunday + timedelta(days=h["offset"]), h["name"], h.get("law", "")))
    return tuple(sorted(days, key=lambda h: h.day))


@cache
def _year_data(year: int) -> dict | None:
    path = resources_dir() / "calendar" / f"{year}.toml"
    if not path.is_file():
        return None
    return tomllib.loads(path.read_text(encoding="utf-8"))


def official_years() -> list[int]:
    """Years whose national school calendar ships as data (with its resolution)."""
    return sorted(int(p.stem) for p in (resources_dir() / "calendar").glob("[0-9][0-9][0-9][0-9].toml"))


def official_calendar(year: int) -> SchoolCalendar:
    """The national school calendar of ``year``: the MINEDU resolution's dates when the year ships as
    data, otherwise the suggested calendar (its ``source`` says so)."""
    data = _year_data(year)
    if data is None:
        return suggested_calendar(year)
    source = data["source"]
    breaks = tuple(Break(b["start"], b["end"], b["name"], b.get("source", source)) for b in data.get("breaks", []))
    return SchoolCalendar(year, data["start"], data["end"], national_holidays(year),
                          tuple((b.start, b.end) for b in breaks), source=source, breaks=breaks)


SUGGESTED_SOURCE = ("Calendario sugerido por la aplicación (no se cargó la resolución del MINEDU de este año): "
                    "del segundo lunes de marzo al tercer viernes de diciembre, dos semanas de vacaciones en julio")


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
    vacation = Break(vac_start, vac_start + timedelta(days=13), _("Vacaciones de medio año (sugeridas)"),
                     SUGGESTED_SOURCE)
    return SchoolCalendar(year, start, end, national_holidays(year), ((vacation.start, vacation.end),),
                          source=SUGGESTED_SOURCE, breaks=(vacation,))


def school_calendar(db: Database, committee_id: int, year: int) -> SchoolCalendar:
    """The committee's calendar of ``year``: its saved calendar or the national one, with its own
    adjustments (journal entries ``calendario``) applied in the order they were recorded."""
    with db.session() as s:
        return school_calendar_in(s, committee_id, year)


def school_calendar_in(s: Session, committee_id: int, year: int) -> SchoolCalendar:
    """``school_calendar`` read in the unit of work ``s`` (a closing seals the month's school days as it reads
    them under the committee's lock; ``qaliwarma verify`` reads them in its own)."""
    base = _base_calendar(s, committee_id, year)
    adjustments = [a for a in _adjustments_in(s, committee_id) if a.active and a.year == year]
    return apply_adjustments(base, adjustments) if adjustments else base


def _base_calendar(s: Session, committee_id: int, year: int) -> SchoolCalendar:
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
        return replace(official_calendar(year), deliveries=periods)
    holidays = tuple(Holiday(b.start, b.name, _("calendario guardado por el comité"))
                     for b in breaks if b.kind == "feriado")
    vacations = tuple((b.start, b.end) for b in breaks if b.kind == "vacaciones")
    extra = tuple(b.start for b in breaks if b.kind == "recuperacion")
    named = tuple(Break(b.start, b.end, b.name or "Vacaciones", _("calendario guardado por el comité"))
                  for b in breaks if b.kind == "vacaciones")
    return SchoolCalendar(year, sy.start, sy.end, holidays, vacations, extra, periods,
                          source=_("Calendario guardado por el comité"), breaks=named)


def _month_bounds(month: str) -> tuple[date, date]:
    from .periods import month_bounds

    return month_bounds(month)


@contextmanager
def _closed_school_days_kept(s: Session, committee_id: int, year: int, refusal: str) -> Iterator[None]:
    """What the block writes in ``s`` is refused whole (``refusal``, naming each closed month and day) when it
    would change the school days of a month of ``year`` already closed: they are sealed in its closing entry and
    its report is signed. Under the committee's lock, so no month closes meanwhile."""
    lock_committee(s, committee_id)
    closed = sorted(m for m in Journal(s, committee_id).closed_months() if m.startswith(f"{year}-"))
    before = {m: school_days_in(s, committee_id, *_month_bounds(m)) for m in closed}
    yield
    if not closed:
        return
    s.flush()
    changed = [(m, before[m], school_days_in(s, committee_id, *_month_bounds(m))) for m in closed]
    changed = [(m, old, new) for m, old, new in changed if old != new]
    if changed:
        raise InvalidInput(refusal, [Problem(period_label(m), _day_changes(old, new)) for m, old, new in changed])


def _day_changes(old: list[date], new: list[date]) -> str:
    gone, added = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    parts = []
    if gone:
        parts.append(_("dejarían de ser días de clases: {days}").format(days=", ".join(f"{d:%d/%m}" for d in gone)))
    if added:
        parts.append(_("pasarían a ser días de clases: {days}").format(days=", ".join(f"{d:%d/%m}" for d in added)))
    return "; ".join(parts)


def save_calendar(db: Database, committee_id: int, calendar: SchoolCalendar) -> None:
    """Replace the committee's calendar for ``calendar.year`` (validated first). Refused whole when it would change
    the school days of a month already closed."""
    problems = []
    if calendar.start > calendar.end:
        problems.append(Problem(_("Año escolar"), _("el inicio es posterior al fin")))
    if calendar.start.year != calendar.year or calendar.end.year != calendar.year:
        problems.append(Problem(_("Año escolar"), _("inicio y fin deben estar en {year}").format(year=calendar.year)))
    for a, b in calendar.vacations:
        if a > b:
            problems.append(Problem("Vacaciones", _("{a:%d/%m/%Y} es posterior a {b:%d/%m/%Y}").format(a=a, b=b)))
    for p in calendar.deliveries:
        if p.start > p.end:
            problems.append(Problem(_("Entrega «{name}»").format(name=p.name), _("el inicio es posterior al fin")))
    if problems:
        raise InvalidInput(_("El calendario tiene errores; no se guardó."), problems)
    first, last = date(calendar.year, 1, 1), date(calendar.year, 12, 31)
    with db.session() as s, _closed_school_days_kept(s, committee_id, calendar.year, _(
            "No se guardó el calendario: cambiaría los días de clases de meses ya cerrados, cuyo informe ya se "
            "firmó.")):
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
    with db.session() as s:
        return school_days_in(s, committee_id, start, end)


def school_days_in(s: Session, committee_id: int, start: date, end: date) -> list[date]:
    days: list[date] = []
    for year in range(start.year, end.year + 1):
        days += school_calendar_in(s, committee_id, year).school_days(start, end)
    return days


def why_not_school_day(db: Database, committee_id: int, day: date) -> str:
    return school_calendar(db, committee_id, day.year).why_not(day)


# --- The committee's own adjustments (journal entries "calendario") ------------------------------

KIND = "calendario"
ADJUSTMENTS = {
    "sin_clases": "Días sin clases (feriado local o regional, día no laborable, otras vacaciones)",
    "con_clases": "Días con clases (recuperación, o la región mantiene clases esos días)",
    "inicio": "Inicio del año escolar fijado por la región o la UGEL",
    "fin": "Fin del año escolar fijado por la región o la UGEL",
}


@dataclass(frozen=True)
class Adjustment:
    seq: int
    year: int
    action: str  # a key of ADJUSTMENTS
    start: date
    end: date
    name: str
    source: str  # the ordinance, resolution or agreement that decides it
    user: str
    active: bool = True  # False once reversed
    reversed_reason: str = ""


def _adjustment_problems(action: str, start: date, end: date, name: str, source: str) -> list[Problem]:
    problems = []
    if action not in ADJUSTMENTS:
        problems.append(Problem(_("Tipo de ajuste"), _("«{action}» no existe; use: {join}").format(action=action, join=', '.join(ADJUSTMENTS))))
    if start > end:
        problems.append(Problem("Fechas", _("el {start:%d/%m/%Y} es posterior al {end:%d/%m/%Y}").format(start=start, end=end)))
    if start.year != end.year:
        problems.append(Problem("Fechas", _("un ajuste no puede pasar de un año al otro; regístrelo por año")))
    if action in ("inicio", "fin") and start != end:
        problems.append(Problem("Fechas", _("el inicio o el fin del año escolar es un solo día")))
    if (end - start).days > 120:
        problems.append(Problem("Fechas", _("más de 120 días seguidos: revise las fechas")))
    if not name.strip():
        problems.append(Problem("Motivo", _("escriba qué es (p. ej. «Aniversario del distrito»)")))
    if not source.strip():
        problems.append(Problem("Fuente", _("escriba la norma o el acuerdo que lo dispone "
                                          "(p. ej. «Ordenanza municipal 012-2026», «R.D. UGEL 0345-2026»)")))
    return problems


def add_adjustment(db: Database, committee_id: int, action: str, start: date, end: date | None = None, *,
                   name: str, source: str, user: str) -> Adjustment:
    """Record an adjustment of the committee's calendar. Refused whole, naming each mistake."""
    end = end or start
    problems = _adjustment_problems(action, start, end, name, source)
    if problems:
        raise InvalidInput(_("El ajuste del calendario tiene errores; no se guardó."), problems)
    payload = {"year": start.year, "action": action, "start": start.isoformat(), "end": end.isoformat(),
               "name": name.strip(), "source": source.strip()}
    with db.session() as s, _closed_school_days_kept(s, committee_id, start.year, _(
            "No se registró el ajuste: cambiaría los días de clases de meses ya cerrados, cuyo informe ya se firmó. "
            "Un ajuste solo puede cambiar los días de meses abiertos.")):
        journal = Journal(s, committee_id)
        entries = journal.entries(KIND)
        reversed_ = {e.corrects_seq for e in entries if e.correction_type == REVERSAL}
        for e in entries:  # the same adjustment twice would count for nothing but confuse the list
            p = e.payload
            if (e.correction_type is None and e.seq not in reversed_ and p.get("action") == action
                    and p.get("start") == payload["start"] and p.get("end") == payload["end"]):
                raise InvalidInput(_("Ese ajuste del calendario ya está registrado (asiento n.º {seq}: {name}); "
                                     "no se guardó otra vez.").format(seq=e.seq, name=p.get("name", "")))
        entry = journal.append(KIND, start, payload, user=user)
    return Adjustment(entry.seq, start.year, action, start, end, payload["name"], payload["source"], user)


def served_in(db: Database, committee_id: int, action: str, start: date, end: date | None = None) -> list[tuple[date, int]]:
    """The days an adjustment «sin_clases» would take out of the school year that already have rations
    recorded, each with its rations: asked about before it is recorded (a day with 354 rations served was made a
    day without classes without a word, and those rations stopped counting toward what was planned)."""
    if action != "sin_clases":
        return []
    from .serving import services_in

    served: dict[date, int] = {}
    for row in services_in(db, committee_id, start, end or start):
        served[row.day] = served.get(row.day, 0) + row.rations
    return sorted(served.items())


def undo_adjustment(db: Database, committee_id: int, seq: int, *, reason: str, user: str) -> None:
    """Cancel adjustment ``seq`` by a reversal entry (the adjustment stays in the journal)."""
    if not reason.strip():
        raise InvalidInput(_("Escriba el motivo para anular el ajuste."))
    with db.session() as s:
        journal = Journal(s, committee_id)
        original = journal.get(seq)
        if original.kind != KIND or original.correction_type is not None:
            raise NotFound(_("El asiento n.º {seq} no es un ajuste del calendario.").format(seq=seq))
        with _closed_school_days_kept(s, committee_id, original.entry_date.year, _(
                "No se anuló el ajuste: cambiaría los días de clases de meses ya cerrados, cuyo informe ya se "
                "firmó.")):
            journal.reverse(seq, user=user, reason=reason.strip(), entry_date=original.entry_date)


def adjustments_of(db: Database, committee_id: int) -> list[Adjustment]:
    """Every adjustment the committee recorded, in order, with the reversed ones marked."""
    with db.session() as s:
        return _adjustments_in(s, committee_id)


def _adjustments_in(s: Session, committee_id: int) -> list[Adjustment]:
    entries = Journal(s, committee_id).entries(KIND)
    reversed_ = {e.corrects_seq: e.reason for e in entries if e.correction_type == REVERSAL}
    result = []
    for e in entries:
        if e.correction_type is not None:
            continue
        p = e.payload
        result.append(Adjustment(e.seq, p["year"], p["action"], date.fromisoformat(p["start"]),
                                 date.fromisoformat(p["end"]), p["name"], p["source"], e.user,
                                 e.seq not in reversed_, reversed_.get(e.seq, "")))
    return result


def apply_adjustments(base: SchoolCalendar, adjustments: list[Adjustment]) -> SchoolCalendar:
    """``base`` with the adjustments applied in order (a later one wins on the same day)."""
    start, end = base.start, base.end
    extra = set(base.extra_days)
    breaks = list(base.breaks)
    vacations = list(base.vacations)
    for a in sorted(adjustments, key=lambda x: x.seq):
        days = {a.start + timedelta(n) for n in range((a.end - a.start).days + 1)}
        if a.action == "inicio":
            start = a.start
        elif a.action == "fin":
            end = a.start
        elif a.action == "sin_clases":
            extra -= days
            breaks.append(Break(a.start, a.end, a.name, a.source))
            vacations.append((a.start, a.end))
        elif a.action == "con_clases":
            extra |= days
    return replace(base, start=start, end=end, extra_days=tuple(sorted(extra)), vacations=tuple(vacations),
                   breaks=tuple(breaks))


@dataclass(frozen=True)
class CalendarListing:
    year: int
    source: str
    start: date
    end: date
    days: list[date]
    breaks: list[Break]
    holidays: list[Holiday]
    extra_days: list[date]
    adjustments: list[Adjustment]
    holidays_in_term: set[date]  # holidays that take a school day away (weekday, in term, not in a break)


def listing(db: Database | None, committee_id: int | None, year: int) -> CalendarListing:
    """The year's school days, breaks and holidays with their sources (the committee's when given)."""
    if db is not None and committee_id is not None:
        cal = school_calendar(db, committee_id, year)
        adjustments = [a for a in adjustments_of(db, committee_id) if a.year == year]
    else:
        cal, adjustments = official_calendar(year), []
    lost = {h.day for h in cal.holidays
            if cal.start <= h.day <= cal.end and h.day.weekday() < 5 and h.day not in cal.extra_days
            and not any(a <= h.day <= b for a, b in cal.vacations)}
    return CalendarListing(year, cal.source, cal.start, cal.end, cal.school_days(), list(cal.breaks),
                           list(cal.holidays), sorted(cal.extra_days), adjustments, lost)


def listing_json(x: CalendarListing) -> dict:
    return {
        "year": x.year, "source": x.source, "start": x.start.isoformat(), "end": x.end.isoformat(),
        "school_days": len(x.days), "days": [d.isoformat() for d in x.days],
        "breaks": [{"start": b.start.isoformat(), "end": b.end.isoformat(), "name": b.name, "source": b.source}
                   for b in x.breaks],
        "holidays": [{"date": h.day.isoformat(), "name": h.name, "source": h.source,
                      "school_day_lost": h.day in x.holidays_in_term} for h in x.holidays],
        "extra_days": [d.isoformat() for d in x.extra_days],
        "adjustments": [{"seq": a.seq, "action": a.action, "start": a.start.isoformat(), "end": a.end.isoformat(),
                         "name": a.name, "source": a.source, "user": a.user, "active": a.active,
                         "reversed_reason": a.reversed_reason} for a in x.adjustments],
    }
