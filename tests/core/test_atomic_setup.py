"""`init` and `init --demo` finish or leave nothing (issue 11); the crash bench (python -m bench.crash)
kills the real commands at random moments, this test interrupts them at a known one."""

from __future__ import annotations

import pytest

from qaliwarma.services import catalog, committee, setup
from qaliwarma.services import demo as demo_records


class Interrupted(Exception):
    pass


def test_an_interrupted_demo_leaves_nothing_and_the_next_run_makes_all_of_it(empty_db, monkeypatch):
    real = demo_records._treasury

    def half_way(db, info, plan, today):  # the delivery and prices are written, then the run dies
        raise Interrupted

    monkeypatch.setattr(demo_records, "_treasury", half_way)
    with pytest.raises(Interrupted):
        setup.initialise(empty_db, demo=True)
    assert committee.current(empty_db) is None
    assert catalog.active_source(empty_db) is None  # the reference data of that run went too
    monkeypatch.setattr(demo_records, "_treasury", real)
    result = setup.initialise(empty_db, demo=True)
    assert result.demo_created and result.food_count == 928
    from qaliwarma.services.integrity import check_database

    [check] = check_database(empty_db)
    assert check.ok and check.chain.entries > 50


def test_a_new_sqlite_file_appears_whole_or_not_at_all(tmp_path, monkeypatch):
    from qaliwarma.persistence import engine

    path = tmp_path / "nueva.sqlite3"

    def dies(_engine, revision="head"):
        raise Interrupted

    monkeypatch.setattr(engine, "upgrade", dies)
    with pytest.raises(Interrupted):
        engine.open_database(f"sqlite:///{path}")
    assert not path.exists()  # no half-built file under the real name
    monkeypatch.undo()
    db = engine.open_database(f"sqlite:///{path}")
    assert engine.current_revision(db.engine) == engine.HEAD_REVISION
    db.dispose()
