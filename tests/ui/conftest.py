"""Fixtures of the desktop tests: a private SQLite database per test (copied from one built per run,
with the food table and the test recipe bank of tests/ui/data), and a task runner; for the pages that
work on the demo committee's month, a private copy of it (built once per run, on the real recipe bank)."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

UI_RECIPES = Path(__file__).resolve().parent / "data"
REAL_RECIPES = Path(__file__).resolve().parents[2] / "recipes"
DEMO_TODAY = date(2026, 11, 26)  # the demo committee's records run up to the day before


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


@pytest.fixture(scope="session")
def demo_template(ui_template, tmp_path_factory) -> Path:
    """The demo committee's month, built once per run: food table, the real sierra bank (inicial and
    primaria, breakfast and lunch), November's plan, delivery and services up to the day before DEMO_TODAY."""
    from qaliwarma.persistence.engine import open_database
    from qaliwarma.services import committee, demo, recipes
    from qaliwarma.services.setup import demo_form

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copy(ui_template, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QALIWARMA_RECIPES", str(REAL_RECIPES))
        db = open_database(f"sqlite:///{path}")
        recipes.sync_bank(db, REAL_RECIPES)
        demo.create(db, committee.register(db, demo_form(), user="demo"), today=DEMO_TODAY)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path, monkeypatch):
    """A private copy of the demo committee's month, with the real recipe bank loaded."""
    from qaliwarma.persistence.engine import open_database

    monkeypatch.setenv("QALIWARMA_RECIPES", str(REAL_RECIPES))
    target = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, target)
    database = open_database(f"sqlite:///{target}")
    yield database
    database.dispose()


@pytest.fixture
def ctx(demo_db, runner, monkeypatch):
    """The stock pages' context: the demo committee, with the store's "today" fixed at DEMO_TODAY."""
    from qaliwarma.services import committee
    from ui.context import AppContext
    from ui.widgets import stock_common

    monkeypatch.setattr(stock_common, "today", lambda: DEMO_TODAY)
    return AppContext(demo_db, runner, committee.current(demo_db), user="prueba")


@pytest.fixture
def printed(monkeypatch, tmp_path) -> list[Path]:
    """The stock PDFs written to the test's folder; the list of those the user would have seen opened."""
    from ui.widgets import stock_pdf

    opened: list[Path] = []
    monkeypatch.setattr(stock_pdf, "output_dir", lambda: tmp_path / "impresos")
    monkeypatch.setattr(stock_pdf, "open_file", lambda path: opened.append(path) or True)
    return opened


def lot_grams(db, committee_id: int, lot: str):
    """A lot's balance, the sum of its kardex rows read with SQL (not through the stock service the pages
    show): the demo's milk left follows the grams of milk powder the breakfasts dose."""
    from decimal import Decimal

    from sqlalchemy import select

    from qaliwarma.persistence.models import StockLot, StockMovement

    with db.session() as s:
        rows = s.scalars(select(StockMovement.grams).join(StockLot, StockLot.id == StockMovement.lot_id).where(
            StockMovement.committee_id == committee_id, StockLot.lot == lot)).all()
    return sum((Decimal(g) for g in rows), Decimal(0))


def kg(grams) -> str:
    """Grams as the pages write kilograms, «15.628»."""
    return f"{grams / 1000:,.3f}"


SHORT_BREAKFAST = "comite-quinua-chica"
FRIDAYS = (date(2026, 11, 6), date(2026, 11, 13), date(2026, 11, 20), date(2026, 11, 27))


def short_fridays(db) -> str:
    """Put a breakfast that misses the standard on the four Fridays' primaria breakfast of the demo plan:
    the committee's own «Quinua con manzana» at 70 % of the bank's grams. The demo's bank meets the
    standard, so the pages that show failing days get theirs here. Returns the preparation's id."""
    from dataclasses import replace
    from decimal import Decimal

    from qaliwarma.services import committee, planning, recipes

    info = committee.current(db)
    base = recipes.get_recipe(db, "sierra-quinua-manzana-pan-huevo")
    small = replace(base, id=SHORT_BREAKFAST, name="Quinua con manzana, porción chica", committee_own=True,
                    file_path=None, ingredients=tuple(
                        replace(i, doses={lv: replace(d, grams=(d.grams * Decimal("0.7")).quantize(Decimal("0.1")))
                                          for lv, d in i.doses.items()}) for i in base.ingredients))
    recipes.save_own_recipe(db, info.id, small)
    plan_id = planning.list_plans(db, info.id)[0].id
    for day in FRIDAYS:
        planning.assign(db, info, plan_id, day, "desayuno", "primaria", SHORT_BREAKFAST)
    return SHORT_BREAKFAST


def type_date(qtbot, field, text: str) -> None:
    """Give ``field`` the focus as Tab does, then type ``text`` as a user does: each key to whatever widget has
    the focus at that moment (a «/» that moved the focus on once sent the rest of a date into the next field);
    «\\b» is Backspace."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    field.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(field.hasFocus)
    qtbot.wait(20)  # the field selects its day once it has the focus
    for char in text:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace if char == "\b" else char)


@pytest.fixture
def themed(qapp):
    """The application's real look (13 pt type, its style sheet) for this test only: what fits at 1366×768 is
    judged with the type the committee reads."""
    from ui import theme

    saved = (qapp.style().name(), qapp.font(), qapp.palette(), qapp.styleSheet())
    theme.apply(qapp)
    yield
    style, font, palette, sheet = saved
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setFont(font)
    qapp.setPalette(palette)


@pytest.fixture
def demo_file(demo_template, tmp_path, monkeypatch):
    """The demo committee's month, its members with PIN 1234 (as `init --demo` gives them)."""
    from qaliwarma.persistence.engine import open_database
    from qaliwarma.services import committee, people
    from ui.widgets import stock_common

    monkeypatch.setattr(stock_common, "today", lambda: DEMO_TODAY)
    monkeypatch.setenv("QALIWARMA_RECIPES", str(REAL_RECIPES))  # the bank its menus were made from, as installed
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)
    db = open_database(f"sqlite:///{path}")
    info = committee.current(db)
    for member in people.active_members(db, info.id):
        people.set_pin(db, info.id, member.dni, "1234", user=people.SETUP_USER)
    db.dispose()
    return path
