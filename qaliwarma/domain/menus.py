"""Menu plans and what a check of them says."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..i18n import _

STATUS_OK, STATUS_LOW, STATUS_HIGH, STATUS_UNKNOWN = "ok", "low", "high", "unknown"
STATUS_LABELS = {"ok": "Cumple", "low": "Bajo", "high": "Alto", "unknown": "Sin datos suficientes"}
# Worst first: the day's colour is its worst entry's.
STATUS_ORDER = (STATUS_LOW, STATUS_HIGH, STATUS_UNKNOWN, STATUS_OK)
COLOURS = {"ok": "verde", "low": "rojo", "high": "rojo", "unknown": "ámbar"}


def worst(statuses) -> str:
    found = set(statuses)
    return next((s for s in STATUS_ORDER if s in found), STATUS_OK)


@dataclass(frozen=True)
class PlanEntry:
    day: date
    meal: str
    level: str
    recipe_id: str


@dataclass(frozen=True)
class PlanInfo:
    id: int
    name: str
    start: date
    end: date
    standard_id: str | None
    entries: int = 0


@dataclass(frozen=True)
class Plan:
    info: PlanInfo
    entries: tuple[PlanEntry, ...]

    def days(self) -> list[date]:
        return sorted({e.day for e in self.entries})


@dataclass(frozen=True)
class MetricCheck:
    metric: str  # nutrient key or derived metric
    label: str
    unit: str
    value: float | None
    low: float | None
    high: float | None
    status: str
    incomplete_foods: tuple[str, ...] = ()
    percent_of_target: float | None = None  # value / (min or max) × 100
    message: str = ""
    estimated: tuple[str, ...] = ()  # foods whose value is a substitute (no data in the food table)


@dataclass(frozen=True)
class EntryCheck:
    day: date
    meal: str
    level: str
    recipe_id: str
    recipe_name: str
    nutrients: dict[str, float | None]
    status: str
    checks: tuple[MetricCheck, ...]
    problems: tuple[str, ...]
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleCheck:
    rule: str
    description: str
    status: str  # ok | fail
    detail: str
    period: str = ""  # e.g. "semana del 15/03/2027, primaria"


@dataclass(frozen=True)
class PlanCheck:
    plan: PlanInfo
    standard_id: str
    standard_name: str
    entries: tuple[EntryCheck, ...]
    rules: tuple[RuleCheck, ...]
    averages: dict[tuple[str, str], dict[str, float | None]] = field(default_factory=dict)  # (meal, level)

    def summary(self) -> dict[str, int]:
        counts = {"entries": len(self.entries), "ok": 0, "low": 0, "high": 0, "unknown": 0}
        for e in self.entries:
            counts[e.status] += 1
        return counts

    def day_status(self, day: date) -> str:
        return worst(e.status for e in self.entries if e.day == day)

    @property
    def ok(self) -> bool:
        return all(e.status == STATUS_OK for e in self.entries) and all(r.status == "ok" for r in self.rules)


def average_status(value: float | None, checks) -> tuple[str, str]:
    """The verdict of a period's average of one metric at one meal and level (``checks``: that metric's
    MetricCheck of each meal), and its words. Where the standard takes a value beyond the range as a notice
    and not a failure (fat as a share of energy, calcium at lunch: each such meal «cumple» with an «aviso»),
    the average beyond it is a notice too: the report had said «Bajo» in red under «las 84 comidas cumplen»."""
    first = checks[0]
    if value is None:
        return STATUS_UNKNOWN, STATUS_LABELS[STATUS_UNKNOWN]

    def noticed(beyond) -> bool:
        return any(m.status == STATUS_OK and m.value is not None and beyond(m) for m in checks)

    if first.low is not None and value < first.low:
        if noticed(lambda m: m.low is not None and m.value < m.low):
            return STATUS_OK, _("Cumple (bajo el rango: aviso)")
        return STATUS_LOW, STATUS_LABELS[STATUS_LOW]
    if first.high is not None and value > first.high:
        if noticed(lambda m: m.high is not None and m.value > m.high):
            return STATUS_OK, _("Cumple (sobre el rango)")
        return STATUS_HIGH, STATUS_LABELS[STATUS_HIGH]
    return STATUS_OK, STATUS_LABELS[STATUS_OK]
