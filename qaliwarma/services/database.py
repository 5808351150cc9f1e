"""The door to the database for the front ends: open it (upgrading it when needed, before anything else
runs) and hand the handle to the services. The desktop app never reaches past this into persistence."""

from __future__ import annotations

from ..persistence.engine import Database, open_database

__all__ = ["Database", "open_database"]
