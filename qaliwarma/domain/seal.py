"""The seal a month's closing entry («periodo.cierre») puts on what the journal does not record entry by entry.

The month's services, receipts, stock, incidents and money are journal entries: ``qaliwarma verify`` rebuilds
each table row from them. Two things the month's report and bundle rest on are not: the menu planned for each
day (the plan's cells, written by the Menú page) and the school days (the saved calendar). Edited with
``sqlite3`` after the month closed, they changed its report and its verification code and nothing said so.

So the closing entry records them as they were when the month closed, in a few hundred bytes of its payload:
- ``menu``: for each day with planned meals, a 16-digit fingerprint (SHA-256) of that day's cells, each as the
  bundle's ``plan.csv`` writes it (date, meal, level, preparation, plan);
- ``dias_de_clase``: the month's school days, as the bundle's ``calendario.json`` lists them.

The entry is in the hash chain, so the seal cannot be changed unseen either. Anyone holding the data can compare
(the committee's database with :func:`differences`, the supervisor the bundle's own files) and name the days
that differ. Plain data, no database.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

SEAL_KEY = "sello"
MENU = "menu"
SCHOOL_DAYS = "dias_de_clase"


def make_seal(plan_cells: Iterable[tuple[str, str, str, str, str]], school_days: Iterable[str]) -> dict:
    """The seal of a month: ``plan_cells`` as (date, meal, level, preparation, plan) texts, as plan.csv holds
    them; ``school_days`` as ISO dates."""
    by_day: dict[str, list[str]] = defaultdict(list)
    for cell in plan_cells:
        by_day[cell[0]].append("|".join(cell))
    menu = {day: hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()[:16]
            for day, lines in sorted(by_day.items())}
    return {MENU: menu, SCHOOL_DAYS: sorted(school_days)}


@dataclass(frozen=True)
class SealDifference:
    menu_days: tuple[str, ...] = ()  # days whose planned meals differ from the sealed ones (ISO dates)
    school_days_added: tuple[str, ...] = ()  # school days now that were not when the month closed
    school_days_removed: tuple[str, ...] = ()  # school days when the month closed that no longer are

    def __bool__(self) -> bool:
        return bool(self.menu_days or self.school_days_added or self.school_days_removed)


def is_seal(value: object) -> bool:
    """A closing entry's seal as this program writes it (older entries have none: nothing to compare)."""
    return (isinstance(value, dict) and isinstance(value.get(MENU), dict)
            and isinstance(value.get(SCHOOL_DAYS), list))


def differences(sealed: dict, now: dict) -> SealDifference:
    """What differs between the seal ``sealed`` (from the closing entry) and ``now`` (made the same way from the
    data as it is)."""
    old_menu, new_menu = sealed.get(MENU, {}), now.get(MENU, {})
    days = sorted(d for d in set(old_menu) | set(new_menu) if old_menu.get(d) != new_menu.get(d))
    old_days, new_days = set(map(str, sealed.get(SCHOOL_DAYS, []))), set(now.get(SCHOOL_DAYS, []))
    return SealDifference(tuple(days), tuple(sorted(new_days - old_days)), tuple(sorted(old_days - new_days)))
