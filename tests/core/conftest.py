from __future__ import annotations

from datetime import date

import pytest

from qaliwarma.persistence.engine import open_database
from tests.dbfixtures import backend_url, copy_sqlite


@pytest.fixture(scope="session")
def template_sqlite(tmp_path_factory):
    """A database with the food table and the recipe bank loaded, built once per test run."""
    from qaliwarma.services.setup import initialise

    path = tmp_path_factory.mktemp("template") / "base.sqlite3"
    db = open_database(f"sqlite:///{path}")
    initialise(db)
    db.dispose()
    return path


@pytest.fixture
def db(template_sqlite, tmp_path):
    """A ready SQLite database (food table + recipe bank), private to the test."""
    database = copy_sqlite(template_sqlite, tmp_path / "qw.sqlite3")
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db(request, tmp_path):
    """A freshly migrated, empty database on each backend."""
    url, cleanup = backend_url(request, tmp_path)
    database = open_database(url)
    yield database
    database.dispose()
    cleanup()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ready_db(request, tmp_path, template_sqlite):
    """A database with reference data on each backend (PostgreSQL loads it afresh)."""
    if request.param == "sqlite":
        database = copy_sqlite(template_sqlite, tmp_path / "qw.sqlite3")
        yield database
        database.dispose()
        return
    url, cleanup = backend_url(request, tmp_path)
    from qaliwarma.services.setup import initialise

    database = open_database(url)
    initialise(database)
    yield database
    database.dispose()
    cleanup()


DEMO_TODAY = date(2026, 11, 26)  # the demo serves up to the day before "today": fixed, so its month is known


@pytest.fixture(scope="session")
def demo_file(template_sqlite, tmp_path_factory):
    """The demo committee's database (a month of records), built once per test run."""
    from qaliwarma.services import committee
    from qaliwarma.services import demo as demo_records
    from qaliwarma.services.setup import demo_form

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = copy_sqlite(template_sqlite, path)
    demo_records.create(db, committee.register(db, demo_form(), user="demo"), today=DEMO_TODAY)
    db.dispose()
    return path


@pytest.fixture(scope="module")
def demo(demo_file, tmp_path_factory):
    """(db, committee) on a module's copy of the demo database: for tests that only read."""
    from qaliwarma.services import committee

    db = copy_sqlite(demo_file, tmp_path_factory.mktemp("demo-read") / "read.sqlite3")
    yield db, committee.require(db)
    db.dispose()


@pytest.fixture
def demo_copy(demo_file, tmp_path):
    """A private copy of the demo database, for tests that record something."""
    from qaliwarma.services import committee

    db = copy_sqlite(demo_file, tmp_path / "demo.sqlite3")
    yield db, committee.require(db)
    db.dispose()
