"""Fixtures of the desktop tests: a private SQLite database per test (copied from one built per run,
with the food table and the test recipe bank of tests/ui/data), and a task runner."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

UI_RECIPES = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """Never touch the user's data folder; load the test recipe bank, not the one being edited."""
    monkeypatch.setenv("QALIWARMA_DATA_DIR", str(tmp_path / "datos"))
    monkeypatch.setenv("QALIWARMA_RECIPES", str(UI_RECIPES))
    monkeypatch.delenv("QALIWARMA_DB", raising=False)


@pytest.fixture(scope="session")
def ui_template(tmp_path_factory) -> Path:
    from qaliwarma.persistence.engine import open_database
    from qaliwarma.services.setup import initialise

    path = tmp_path_factory.mktemp("ui-template") / "base.sqlite3"
    old = os.environ.get("QALIWARMA_RECIPES")
    os.environ["QALIWARMA_RECIPES"] = str(UI_RECIPES)
    try:
        db = open_database(f"sqlite:///{path}")
        initialise(db)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
    finally:
        if old is None:
            os.environ.pop("QALIWARMA_RECIPES", None)
        else:
            os.environ["QALIWARMA_RECIPES"] = old
    return path


@pytest.fixture
def db_file(ui_template, tmp_path) -> Path:
    target = tmp_path / "qw.sqlite3"
    shutil.copy(ui_template, target)
    return target


@pytest.fixture
def ui_db(db_file):
    from qaliwarma.persistence.engine import open_database

    database = open_database(f"sqlite:///{db_file}")
    yield database
    database.dispose()


@pytest.fixture
def runner(qtbot):
    from ui.tasks import TaskRunner

    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def wait_idle(qtbot, runner):
    """Wait until every queued service call has finished and delivered its result."""

    def wait(timeout: int = 10000) -> None:
        qtbot.waitUntil(lambda: not runner.is_busy(), timeout=timeout)

    return wait
