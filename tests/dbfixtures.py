"""Database fixtures shared by core and end-to-end tests: SQLite always, PostgreSQL when
QALIWARMA_TEST_PG_URL is set (``.ci/run`` sets it to the machine's server)."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from qaliwarma.persistence.engine import driver_url, open_database

#: postgresql://… as libpq writes it is taken too (with the installed driver, psycopg 3)
PG_URL = driver_url(os.environ["QALIWARMA_TEST_PG_URL"]) if os.environ.get("QALIWARMA_TEST_PG_URL") else None

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pg_schema_url(schema: str) -> str:
    """The test server's URL with a private schema first on the search path."""
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"


class PgSchema:
    def __init__(self) -> None:
        self.name = f"qwtest_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        self.url = pg_schema_url(self.name)

    def drop(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self.admin.dispose()


def backend_url(request, tmp_path: Path):
    """(url, cleanup) for the backend named by the fixture's param."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("QALIWARMA_TEST_PG_URL no está definido: pruebas de PostgreSQL omitidas")
        schema = PgSchema()
        return schema.url, schema.drop
    return f"sqlite:///{tmp_path / 'qw.sqlite3'}", lambda: None


def copy_sqlite(template: Path, target: Path):
    shutil.copy(template, target)
    return open_database(f"sqlite:///{target}")
