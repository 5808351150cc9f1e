"""The school calendar: school days, holidays, delivery periods. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..i18n import _


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    source: str = ""  # the law or resolution that makes it a day without school


@dataclass(frozen=True)
class Break:
    """Days without classes for pupils (semanas de gestión, vacations, a local holiday)."""

    start: date
    end: date
    name: str
    source: str = ""


@dataclass(frozen=True)
class DeliveryPeriod:
    name: str
    start: date
    end: date


@dataclass(frozen=True)
class SchoolCalendar:
    """School days are weekdays from ``start`` to ``end`` except holidays and vacation days;
    ``extra_days`` are worked days that would otherwise not be (recovery Saturdays)."""

    year: int
    start: date
    end: date
    holidays: tuple[Holiday, ...] = ()
    vacations: tuple[tuple[date, date], ...] = ()
    extra_days: tuple[date, ...] = ()
    deliveries: tuple[DeliveryPeriod, ...] = field(default_factory=tuple)
    source: str = ""  # where the start, end and breaks come from (e.g. the MINEDU resolution)
    breaks: tuple[Break, ...] = ()  # names and sources of ``vacations`` (same ranges), when known

    def is_school_day(self, day: date) -> bool:
        if day in self.extra_days:
            return True
        if not (self.start <= day <= self.end) or day.weekday() >= 5:
            return False
        if any(h.day == day for h in self.holidays):
            return False
        return not any(a <= day <= b for a, b in self.vacations)

    def why_not(self, day: date) -> str:
        """Plain Spanish reason why ``day`` is not a school day ('' when it is)."""
        if self.is_school_day(day):
            return ""
        if not (self.start <= day <= self.end):
            return (_("está fuera del año escolar {year} ({start:%d/%m/%Y} al {end:%d/%m/%Y})").format(year=self.year, start=self.start, end=self.end))
        if day.weekday() >= 5:
            return _("es sábado o domingo")
        holiday = next((h for h in self.holidays if h.day == day), None)
        if holiday:
            return _("es feriado ({name})").format(name=holiday.name)
        named = next((b for b in self.breaks if b.start <= day <= b.end), None)
        return _("es día de vacaciones escolares") + (f" ({named.name})" if named else "")

    def school_days(self, start: date | None = None, end: date | None = None) -> list[date]:
        first, last = max(start or self.start, self.start), min(end or self.end, self.end)
        days = [first + timedelta(n) for n in range((last - first).days + 1)] if first <= last else []
        extra = [d for d in self.extra_days if (start or self.start) <= d <= (end or self.end)]
        return sorted({d for d in days if self.is_school_day(d)} | set(extra))

    def delivery_of(self, day: date) -> DeliveryPeriod | None:
        return next((p for p in self.deliveries if p.start <= day <= p.end), None)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
