"""What Inicio shows first: what needs the committee's attention today, and the month's steps.

Plain values, read by services.store_views.attention and services.month_steps. They are kept apart from the
services (which import SQLAlchemy) because the first page's data is read at start by a second process and
handed to the window, which shows it before it has imported SQLAlchemy itself (ui.startup).
"""

from __future__ import annotations

from dataclasses import dataclass, field

DAYS_AHEAD = 30  # Inicio warns of lots expiring within this many days


@dataclass(frozen=True)
class Attention:
    area: str  # "almacen", "raciones", "recepcion", "incidencias", "menu", "cierre"
    text: str
    severity: str = "warning"  # "warning" | "critical"
    details: tuple[str, ...] = field(default_factory=tuple)
    lots: tuple[tuple[str, int], ...] = ()  # (food code, lot id) of the lots it is about, most urgent first


@dataclass(frozen=True)
class MonthStep:
    area: str  # the area of the window where it is done
    title: str  # Spanish; shown through _()
    hint: str
    done: bool
