"""`qaliwarma calendar`: the year's school days with the sources, and the committee's adjustments."""

from __future__ import annotations

from tests.e2e.conftest import run


def test_calendar_2026_json_lists_172_days_breaks_and_holidays_with_sources(dbfile):
    r = run("calendar", "--year", "2026", "--json", db=dbfile, check_json=True)
    assert r.returncode == 0, r.stderr
    doc = r.doc
    assert doc["year"] == 2026 and doc["school_days"] == 172 == len(doc["days"])
    assert doc["days"][0] == "2026-03-16" and doc["days"][-1] == "2026-12-18"
    assert [(b["start"], b["end"]) for b in doc["breaks"]] == [
        ("2026-05-18", "2026-05-22"), ("2026-07-27", "2026-08-07"), ("2026-10-12", "2026-10-16")]
    assert all("501-2025-MINEDU" in b["source"] for b in doc["breaks"])
    by_day = {h["date"]: h for h in doc["holidays"]}
    assert by_day["2026-07-23"]["source"].startswith("Ley 31822") and by_day["2026-07-23"]["school_day_lost"]
    assert not by_day["2026-08-06"]["school_day_lost"]  # inside the mid-year break


def test_calendar_add_and_undo_a_local_holiday(dbfile):
    r = run("calendar", "add", "--kind", "sin_clases", "--from", "20/11/2026", "--name", "Aniversario del distrito",
            "--source", "Ordenanza municipal 012-2026", "--user", "Rosa", "--json", db=dbfile, check_json=True)
    assert r.returncode == 0, r.stderr
    seq = r.doc["seq"]
    doc = run("calendar", "--year", "2026", "--json", db=dbfile, check_json=True).doc
    assert doc["school_days"] == 171 and "2026-11-20" not in doc["days"]
    assert doc["breaks"][-1]["source"] == "Ordenanza municipal 012-2026"
    r = run("calendar", "undo", str(seq), "--reason", "Se suspendió", "--user", "Rosa", db=dbfile)
    assert r.returncode == 0, r.stderr
    assert run("calendar", "--year", "2026", "--json", db=dbfile, check_json=True).doc["school_days"] == 172


def test_calendar_add_without_a_valid_date_is_refused(dbfile):
    r = run("calendar", "add", "--kind", "sin_clases", "--from", "31/02/2026", "--name", "x", "--source", "y",
            db=dbfile)
    assert r.returncode == 2 and "31/02/2026" in r.stderr


def test_the_same_adjustment_twice_is_refused_and_may_be_recorded_again_once_undone(dbfile):
    args = ("calendar", "add", "--kind", "sin_clases", "--from", "20/11/2026", "--name", "Aniversario del distrito",
            "--source", "Ordenanza municipal 012-2026", "--user", "Rosa")
    first = run(*args, "--json", db=dbfile, check_json=True)
    assert first.returncode == 0, first.stderr
    again = run(*args, db=dbfile)
    assert again.returncode == 2
    assert f"ya está registrado (asiento n.º {first.doc['seq']}" in again.stderr, again.stderr
    listed = run("calendar", "--year", "2026", "--json", db=dbfile, check_json=True).doc
    assert [b["source"] for b in listed["breaks"]].count("Ordenanza municipal 012-2026") == 1  # nothing written
    assert run("calendar", "undo", str(first.doc["seq"]), "--reason", "Se anotó otro día", "--user", "Rosa",
               db=dbfile).returncode == 0
    assert run(*args, db=dbfile).returncode == 0  # undone, it may be recorded again
