"""The door to the database for the front ends: open it (upgrading it when needed, before anything else
runs) and hand the handle to the services. The desktop app never reaches past this into persistence."""

from __future__ import annotations

from ..persistence.engine import Database, open_database

__all__ = ["Database", "holds_bundles", "open_database"]


def holds_bundles(db: Database) -> bool:
    """Whether this database holds committees' bundles (it is a supervisor's): what the window asks at start,
    without importing the supervision service and the bundle reader (``supervision.has_bundles``)."""
    from sqlalchemy import select

    from ..persistence.models import SupBundle

    with db.session() as s:
        return s.scalar(select(SupBundle.id).limit(1)) is not None
