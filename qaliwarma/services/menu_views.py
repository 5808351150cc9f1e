"""What the Menú and Cumplimiento pages show, read on the worker, and the month grid's day by day view.

The functions that read or write (``load_menu``, ``check_plan``, ``import_plan``, …) run on the task
runner's thread and return plain data; ``month_days`` and the rest only arrange that data for the
screen (no Qt, no database).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from qaliwarma.domain.calendar import SchoolCalendar, monday_of
from qaliwarma.domain.committee import serves_lunch
from qaliwarma.domain.levels import LEVEL_LABELS, MEAL_LABELS, MEALS
from qaliwarma.domain.menus import STATUS_OK, EntryCheck, Plan, PlanCheck, PlanInfo, worst
from qaliwarma.domain.recipes import RecipeSummary
from qaliwarma.vocab import MONTHS, WEEKDAYS, month_end, months_between  # noqa: F401  (one vocabulary)

from ..i18n import _

PENDING = "pending"  # a day whose preparations changed and whose check has not come back yet
INCOMPLETE = "incomplete"  # a school day with some meal × level still without a preparation (and none failing)


def month_name(day: date) -> str:
    """"noviembre 2026"."""
    return f"{_(MONTHS[day.month - 1])} {day.year}"


def long_day(day: date) -> str:
    """"Martes 3 de noviembre de 2026"."""
    return _("{weekday} {d} de {month} de {year}").format(
        weekday=_(WEEKDAYS[day.weekday()]).capitalize(), d=day.day, month=_(MONTHS[day.month - 1]), year=day.year)


def meals_served(committee) -> tuple[str, ...]:
    return MEALS if serves_lunch(committee.form.quintile, committee.form.amazonian_indigenous) else MEALS[:1]


# ---------------------------------------------------------------------------------------------- worker
@dataclass(frozen=True)
class MenuData:
    plans: list[PlanInfo]
    plan: Plan | None
    calendars: dict[int, SchoolCalendar]
    recipes: list[RecipeSummary]  # to choose from: the region's bank and the committee's own
    names: dict[str, str]  # every preparation's name (a plan from a file may use another region's)


def pick_plan(plans: list[PlanInfo], wanted: int | None, today: date) -> PlanInfo | None:
    """The plan asked for; else the one covering today; else the latest."""
    if not plans:
        return None
    return (next((p for p in plans if p.id == wanted), None)
            or next((p for p in plans if p.start <= today <= p.end), None)
            or plans[-1])


def load_menu(db, committee, plan_id: int | None = None, *, today: date | None = None) -> MenuData:
    from qaliwarma.services import calendar, planning, recipes

    today = today or date.today()
    plans = planning.list_plans(db, committee.id)
    chosen = pick_plan(plans, plan_id, today)
    plan = planning.get_plan(db, chosen.id, committee.id) if chosen else None
    first, last = (plan.info.start.year, plan.info.end.year) if plan else (today.year, today.year)
    calendars = {year: calendar.school_calendar(db, committee.id, year) for year in range(first, last + 1)}
    region = committee.form.region
    every = recipes.list_recipes(db, committee_id=committee.id)
    choices = [r for r in every if r.region == region or r.committee_own]
    return MenuData(plans, plan, calendars, choices, {r.id: r.name for r in every})


def check_plan(db, committee, plan: Plan, standard_id: str | None = None):
    """(PlanCheck, StandardSet) of ``plan`` against ``standard_id`` (default: the plan's, else qw-2014)."""
    from qaliwarma.services import compliance, standards

    standard = standards.get_standard(db, standard_id or plan.info.standard_id)
    return compliance.check_plan(db, plan, standard, committee), standard


def compliance_lists(db, committee):
    """What the Cumplimiento page offers: (the committee's plans, the standards it can check against)."""
    from qaliwarma.services import planning, standards

    return planning.list_plans(db, committee.id), standards.list_standards(db, committee.id)


def load_check(db, committee, plan_id: int, standard_id: str | None):
    """A plan checked against a standard: (plan, PlanCheck, StandardSet, recipe names, the number of its school
    days' meals × levels without a preparation, which the check cannot judge)."""
    from qaliwarma.services import planning

    plan = planning.get_plan(db, plan_id, committee.id)
    check, standard = check_plan(db, committee, plan, standard_id)
    return plan, check, standard, recipe_names(db, committee), unplanned(db, committee, plan)


def unplanned(db, committee, plan: Plan) -> int:
    """How many meal × level places of the plan's school days have no preparation: the check judges the chosen
    preparations only («Las 83 comidas del plan cumplen» was said over a breakfast nobody had planned)."""
    from qaliwarma.services import calendar

    placed = {(e.day, e.meal, e.level) for e in plan.entries}
    days = calendar.school_days(db, committee.id, plan.info.start, plan.info.end)
    return sum(1 for d in days for meal in meals_served(committee) for level in committee.levels
               if (d, meal, level) not in placed)


def recipe_names(db, committee) -> dict[str, str]:
    from qaliwarma.services import recipes

    return {r.id: r.name for r in recipes.list_recipes(db, committee_id=committee.id)}


# ---------------------------------------------------------------------------------------------- month view
def short_reason(cal: SchoolCalendar | None, day: date) -> str:
    """Why ``day`` has no school, in two or three words ("" when it is a school day)."""
    if cal is None:
        return _("Sin calendario")
    if cal.is_school_day(day):
        return ""
    holiday = next((h for h in cal.holidays if h.day == day), None)
    if holiday is not None and cal.start <= day <= cal.end and day.weekday() < 5:
        return _("Feriado: {name}").format(name=holiday.name)
    if day.weekday() >= 5:
        return _("Fin de semana")
    if not (cal.start <= day <= cal.end):
        return _("Fuera del año escolar")
    if any(a <= day <= b for a, b in cal.vacations):
        return _("Vacaciones")
    return _("Sin clases")


@dataclass(frozen=True)
class DayView:
    day: date
    school: bool  # a school day inside the plan: preparations can be chosen
    reason: str  # why not (short), "" for a school day in the plan
    lines: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (meal, lines of text) per meal served
    status: str | None = None  # ok | low | high | unknown | pending | None (no preparations)
    missing: int = 0  # meal × level slots still without a preparation
    tooltip: str = ""


@dataclass
class MonthModel:
    """Everything the grid needs for one month of one plan."""

    plan: Plan
    committee: object
    calendars: dict[int, SchoolCalendar]
    names: dict[str, str]
    check: PlanCheck | None = None
    _by_day: dict[date, dict[tuple[str, str], str]] = field(default_factory=dict, init=False)
    _checks: dict[date, dict[tuple[str, str], EntryCheck]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for e in self.plan.entries:
            self._by_day.setdefault(e.day, {})[(e.meal, e.level)] = e.recipe_id
        if self.check is not None:
            for c in self.check.entries:
                self._checks.setdefault(c.day, {})[(c.meal, c.level)] = c

    # -------------------------------------------------------------- per day
    def entries(self, day: date) -> dict[tuple[str, str], str]:
        return dict(self._by_day.get(day, {}))

    def checks(self, day: date) -> dict[tuple[str, str], EntryCheck]:
        """The checks of ``day`` that match its current preparations (stale ones are left out)."""
        current = self._by_day.get(day, {})
        return {k: c for k, c in self._checks.get(day, {}).items() if current.get(k) == c.recipe_id}

    def status(self, day: date) -> str | None:
        current = self._by_day.get(day, {})
        if not current:
            return None
        checks = self.checks(day)
        if self.check is None or set(checks) != set(current):
            return PENDING
        return worst(c.status for c in checks.values())

    def is_school_day(self, day: date) -> bool:
        cal = self.calendars.get(day.year)
        return cal is not None and cal.is_school_day(day)

    def name(self, recipe_id: str) -> str:
        return self.names.get(recipe_id, recipe_id)

    def day_view(self, day: date) -> DayView:
        info = self.plan.info
        reason = short_reason(self.calendars.get(day.year), day)
        if not reason and not info.start <= day <= info.end:
            reason = _("Fuera del plan")
        entries = self._by_day.get(day, {})
        levels = list(self.committee.levels)
        lines = []
        missing = 0
        for meal in meals_served(self.committee):
            ids = [entries.get((meal, lv)) for lv in levels]
            missing += sum(1 for i in ids if i is None)
            if len(set(ids)) == 1:
                lines.append((meal, (self.name(ids[0]) if ids[0] else "—",)))
            else:
                lines.append((meal, tuple(f"{_(LEVEL_LABELS[lv])}: {self.name(i) if i else '—'}"
                                          for lv, i in zip(levels, ids, strict=True))))
        if reason:
            return DayView(day, False, reason, tuple(lines) if entries else (), self.status(day) if entries else None)
        tip = [long_day(day)]
        for meal, texts in lines:
            tip.append(f"{_(MEAL_LABELS[meal])}: " + "; ".join(texts))
        status = self.status(day)
        if missing and status == "ok":  # «Cumple» over a meal nobody planned: what was chosen is not the whole day
            status = INCOMPLETE
        return DayView(day, True, "", tuple(lines), status, missing, "\n".join(tip))

    # -------------------------------------------------------------- per month
    def weeks(self, month: date) -> list[list[date]]:
        """Mondays to Fridays (Saturdays too when the month has a recovery Saturday) of ``month``."""
        first, last = month.replace(day=1), month_end(month)
        columns = self.columns(month)
        weeks = []
        monday = monday_of(first)
        while monday <= last:
            week = [monday + timedelta(days=i) for i in range(columns)]
            if any(first <= d <= last for d in week):  # a month starting on a Sunday: no empty first row
                weeks.append(week)
            monday += timedelta(days=7)
        return weeks

    def columns(self, month: date) -> int:
        first, last = month.replace(day=1), month_end(month)
        cal = self.calendars.get(month.year)
        saturday = cal is not None and any(first <= d <= last and d.weekday() == 5 for d in cal.extra_days)
        return 6 if saturday else 5

    def summary(self, month: date | None = None) -> dict[str, int]:
        """Counts over the plan (or one month): school days, days planned, by colour, slots missing."""
        info = self.plan.info
        start, end = (info.start, info.end) if month is None else (max(info.start, month), min(info.end, month_end(month)))
        counts = {"days": 0, "planned": 0, "missing_days": 0, STATUS_OK: 0, "bad": 0, "unknown": 0, PENDING: 0,
                  INCOMPLETE: 0}
        day = start
        while day <= end:
            if self.is_school_day(day):
                counts["days"] += 1
                view = self.day_view(day)
                if view.status is None:
                    counts["missing_days"] += 1
                else:
                    counts["planned"] += 1
                    key = "bad" if view.status in ("low", "high") else view.status
                    counts[key] += 1
                    if view.missing:
                        counts["missing_days"] += 1
            day += timedelta(days=1)
        return counts
