"""The month's rations as recorded, per school day, level and meal, with the children present: what
the «Registro mensual de raciones» and the monthly report's rations page print (plain data)."""

from __future__ import annotations

import calendar as month_calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..domain.committee import serves_lunch
from ..domain.levels import LEVELS, MEALS
from . import calendar as school_calendar
from .serving import services_in


@dataclass
class MonthRecord:
    """What was recorded in the month, ready to print."""

    year: int
    month: int
    levels: list[str]
    meals: list[str]
    school_days: list[date]
    days: list[date]  # the rows: school days and days with a service
    rations: dict = field(default_factory=dict)  # (day, level, meal) → rations
    attendance: dict = field(default_factory=dict)  # (day, level) → children present

    @property
    def recorded_days(self) -> set[date]:
        return {key[0] for key in self.rations}

    def total(self, level: str, meal: str, *, school_only: bool = False) -> int:
        school = set(self.school_days)
        return sum(n for (d, lv, m), n in self.rations.items()
                   if lv == level and m == meal and (not school_only or d in school))

    def total_attendance(self, level: str, *, school_only: bool = False) -> int:
        school = set(self.school_days)
        return sum(n for (d, lv), n in self.attendance.items() if lv == level and (not school_only or d in school))

    @property
    def outside_school_days(self) -> int:
        """Rations served on days without classes: in the month's total, not in «% de lo previsto»."""
        school = set(self.school_days)
        return sum(n for (d, _, _), n in self.rations.items() if d not in school)

    def day_total(self, day: date) -> int:
        return sum(n for (d, _, _), n in self.rations.items() if d == day)

    @property
    def grand_total(self) -> int:
        return sum(self.rations.values())

    @property
    def school_days_total(self) -> int:
        return self.grand_total - self.outside_school_days


def _ordered(values, known) -> list[str]:
    found = set(values)
    return [v for v in known if v in found] + sorted(found - set(known))


def month_record(db, committee, year: int, month: int) -> MonthRecord:
    start = date(year, month, 1)
    end = date(year, month, month_calendar.monthrange(year, month)[1])
    services = services_in(db, committee.id, start, end)
    school_days = school_calendar.school_days(db, committee.id, start, end)
    levels = _ordered(list(committee.levels) + [s.level for s in services], LEVELS)
    meals = ["desayuno"] + (["almuerzo"] if serves_lunch(committee.form.quintile) else [])
    meals = _ordered(meals + [s.meal for s in services], MEALS)
    rations: dict = defaultdict(int)
    present: dict = {}
    for s in services:
        rations[(s.day, s.level, s.meal)] += s.rations
        present[(s.day, s.level)] = max(present.get((s.day, s.level), 0), s.attendance)
    days = sorted(set(school_days) | {s.day for s in services})
    return MonthRecord(year, month, levels, meals, school_days, days, dict(rations), present)
