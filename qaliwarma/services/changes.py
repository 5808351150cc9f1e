"""What an operation changed, in the screens' terms, read from the journal rather than guessed.

Every operational write is a journal entry (a correction carries the kind of the entry it corrects), so
the entries an operation appended say which areas it touched: ``recording(db, committee_id, operation)``
runs the operation and returns its result with those areas. The desktop app refreshes exactly them.
Menus, recipes and standards are not journal entries: their pages say "menu" / "recipes" themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ..persistence.engine import Database
from ..persistence.models import JournalEntry

#: journal entry kind (or its prefix before the dot) → areas of the application that show it
AREAS_OF_ENTRY = {
    "recepcion": ("stock",),
    "servicio": ("service", "stock"),
    "stock": ("stock",),
    "raciones": ("service",),
    "incidencia": ("incident",),
    "tesoreria": ("treasury",),
    "tesoreria.gasto": ("treasury", "stock"),  # food bought with the committee's money enters the store
    "periodo": ("period",),
    "comite": ("committee",),
    "calendario": ("menu", "service"),
    "menu": ("menu",),  # a pick on the Menú page and its undoing (services.planning.pick)
}


@dataclass(frozen=True)
class Changed:
    result: Any
    areas: frozenset[str]


def head(db: Database, committee_id: int) -> int:
    """The number of the committee's last journal entry (0 when there is none)."""
    with db.session() as s:
        return s.scalar(select(func.coalesce(func.max(JournalEntry.seq), 0))
                        .where(JournalEntry.committee_id == committee_id)) or 0


def areas_since(db: Database, committee_id: int, seq: int) -> frozenset[str]:
    """The areas touched by the entries appended after entry ``seq``."""
    with db.session() as s:
        kinds = set(s.scalars(select(JournalEntry.kind).where(JournalEntry.committee_id == committee_id,
                                                              JournalEntry.seq > seq)))
    areas: set[str] = set()
    for kind in kinds:
        areas.update(AREAS_OF_ENTRY.get(kind) or AREAS_OF_ENTRY.get(kind.partition(".")[0], ()))
    return frozenset(areas)


def recording(db: Database, committee_id: int, operation: Callable[[], Any]) -> Changed:
    """Run ``operation`` and say what it changed (nothing when it refused: it wrote nothing)."""
    before = head(db, committee_id)
    result = operation()
    return Changed(result, areas_since(db, committee_id, before))
