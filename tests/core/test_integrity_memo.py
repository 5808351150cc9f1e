"""The whole check (chain + every table against it) is made once between two changes of the data (issue 17:
the Cierre page, the monthly report and the export of a month no longer each re-read a year of journal),
and never stands for data that changed since: an edit with `sqlite3` behind the running application's back
is found by the next check, as before; the window's stepwise check finds what the one-go check finds."""

from __future__ import annotations

import os
import shutil
from datetime import date

import pytest

from qaliwarma.persistence.engine import open_database
from qaliwarma.services import committee, demo, export, integrity, periods
from qaliwarma.services.setup import demo_form
from tests.core.test_tamper import PROJECTION_EDITS
from tests.forgery import count_full_checks, edit_behind_the_back

MONTH = "2026-11"


@pytest.fixture(scope="module")
def closed_demo(template_sqlite, tmp_path_factory):
    """The demo committee with October's records and November closed."""
    path = tmp_path_factory.mktemp("memo") / "demo.sqlite3"
    shutil.copy(template_sqlite, path)
    db = open_database(f"sqlite:///{path}")
    info = committee.register(db, demo_form(), user="demo")
    demo.create(db, info, today=date(2026, 11, 26))
    periods.close(db, info.id, MONTH, user="Rosa", today=date(2026, 12, 1))
    db.dispose()
    return path


@pytest.fixture
def opened(closed_demo, tmp_path):
    path = tmp_path / "copia.sqlite3"
    shutil.copy(closed_demo, path)
    db = open_database(f"sqlite:///{path}")
    yield db, committee.current(db), path
    db.dispose()


@pytest.fixture
def full_checks(monkeypatch):
    return count_full_checks(monkeypatch)


def test_the_history_is_read_once_while_nothing_changes(opened, full_checks):
    db, info, _path = opened
    first = integrity.check_one(db, info.id)
    again = integrity.check_one(db, info.id)
    assert first.ok and again.ok and again.chain == first.chain
    assert len(full_checks) == 1


@pytest.mark.parametrize(("statement", "where", "what"), [PROJECTION_EDITS[0], PROJECTION_EDITS[-5],
                                                          PROJECTION_EDITS[-4]], ids=["expense", "lot", "service"])
def test_an_edit_behind_the_open_applications_back_is_found_by_the_next_check(opened, full_checks, statement,
                                                                               where, what):
    db, info, path = opened
    assert integrity.check_one(db, info.id).ok  # checked and kept …
    edit_behind_the_back(path, statement)  # … then the file is edited by another program
    after = integrity.check_one(db, info.id)
    assert not after.ok
    assert any(where in str(f) and what in str(f) for f in after.findings), after.findings
    assert len(full_checks) == 2
    with pytest.raises(Exception, match="no coinciden con su diario"):
        integrity.require_intact(db, info.id)  # printing and exporting refuse it too


def test_a_record_made_by_the_application_is_checked_again(opened, full_checks):
    db, info, _path = opened
    integrity.check_one(db, info.id)
    from qaliwarma.services import incidents

    incidents.record(db, info.id, incidents.Incident(date(2026, 12, 2), "producto_mal_estado", "Leche con grumos"),
                     user="Rosa")
    result = integrity.check_one(db, info.id)
    assert result.ok and len(full_checks) == 2
    assert integrity.check_one(db, info.id).chain.entries == result.chain.entries  # and kept again


def _run_steps(db, committee_id, between=None) -> int:
    steps = 0
    for _ in integrity.check_in_steps(db, committee_id):
        steps += 1
        if between is not None and steps == 1:
            between()
    return steps


def test_the_windows_stepwise_check_finds_what_the_whole_check_finds(opened, full_checks, monkeypatch):
    db, info, path = opened
    monkeypatch.setattr(integrity, "STEP_ENTRIES", 20)  # the demo's ~90 entries in several steps
    edit_behind_the_back(path, PROJECTION_EDITS[0][0])
    assert _run_steps(db, info.id) >= 5
    kept = integrity.check_one(db, info.id)  # the stepwise result, kept
    assert len(full_checks) == 1
    db.memo.clear()
    whole = integrity.check_one(db, info.id)
    assert len(full_checks) == 2
    assert not kept.ok and kept.findings == whole.findings and kept.chain == whole.chain


def test_a_stepwise_check_that_saw_a_change_is_not_kept(opened, full_checks, monkeypatch):
    db, info, path = opened
    monkeypatch.setattr(integrity, "STEP_ENTRIES", 20)
    _run_steps(db, info.id, between=lambda: edit_behind_the_back(path, PROJECTION_EDITS[0][0]))
    result = integrity.check_one(db, info.id)  # read again: the edit came after the steps' first reads
    assert len(full_checks) == 2
    assert not result.ok


def test_the_months_code_is_the_same_with_the_journal_hashed_by_the_check(opened):
    db, info, _path = opened
    from qaliwarma.services import incidents

    incidents.record(db, info.id, incidents.Incident(date(2026, 12, 2), "producto_mal_estado", "Leche con grumos"),
                     user="Rosa")  # December goes on after November's closing entry
    export._JOURNAL_DIGESTS.clear()
    printed = {m: export.month_code(db, info, m) for m in ("2026-10", MONTH, "2026-12")}
    export._JOURNAL_DIGESTS.clear()
    integrity.check_one(db, info.id)  # hashes journal.jsonl as of each closing entry and as of now
    assert len(export._JOURNAL_DIGESTS) == 2  # November's (up to its closing entry) and the whole journal's
    from qaliwarma.services.month_review import month_bundle

    for month, code in printed.items():
        _bundle, full = month_bundle(db, info, month, date(2026, 12, 5))
        assert full == code, month


@pytest.mark.skipif(os.name == "nt", reason="Windows gives the creation time as st_ctime: README says what holds there")
def test_a_file_rewritten_in_place_with_its_times_put_back_is_checked_again(opened, full_checks, tmp_path):
    """Another program writes the file without SQLite and puts its modification time back: the status-change
    time still moves, so the next check reads the history again instead of keeping the old result."""
    db, info, path = opened
    integrity.check_one(db, info.id)
    edited = tmp_path / "editada.sqlite3"
    shutil.copy(path, edited)
    edit_behind_the_back(edited, "UPDATE service_records SET rations = rations + 1 WHERE id = (SELECT MIN(id) FROM service_records)")
    before = path.stat()
    with open(edited, "rb") as src, open(path, "r+b") as dst:  # same file, same size: written over in place
        dst.write(src.read())
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    integrity.check_one(db, info.id)
    assert len(full_checks) == 2


def test_printing_and_exporting_always_read_the_whole_history(opened, full_checks):
    db, info, _path = opened
    integrity.check_one(db, info.id)
    integrity.require_intact(db, info.id)
    integrity.require_intact(db, info.id)
    assert len(full_checks) == 3
    integrity.check_one(db, info.id)  # the page takes the last one
    assert len(full_checks) == 3
