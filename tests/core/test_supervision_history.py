"""What a supervisor keeps of each bundle's journal for the school's next one (sup_bundles.history: where the
lines its readers look for start, and its latest entry date): the next bundle, which starts with those very
bytes, is read from there instead of searched again — with the same figures and flags as from the whole
journal, also when what was kept is missing (a bundle imported before it was kept) or wrong, and when an
entry of a month was recorded in the month before."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from sqlalchemy import text

from bench.supervisor import write_school_year
from qaliwarma.io.bundle import Anchor, read_bundle
from qaliwarma.services import supervision


def _figures(row):
    return (row.enrolment, row.rations, row.days_with_service, row.closed, [(f.code, f.facts) for f in row.flags])


def _whole(path):
    """The month's figures measured from the whole journal (no anchor: every entry read)."""
    m = supervision.measure(read_bundle(path))
    return (m.enrolment, m.rations, m.days_with_service, True, [(f.code, f.facts) for f in m.flags])


def _histories(db):
    with db.engine.connect() as conn:
        return dict(conn.execute(text("SELECT month, history FROM sup_bundles ORDER BY month")).all())


@pytest.fixture(scope="module")
def ahead(tmp_path_factory):
    """A school (with seeded anomalies) whose every month's first breakfast was recorded the month before."""
    return write_school_year(tmp_path_factory.mktemp("adelantado"), 10, ahead=True)


def test_a_service_recorded_the_month_before_counts_in_its_own_month(empty_db, ahead):
    for path in ahead:
        month = read_bundle(path).manifest["month"]
        result = supervision.import_bundles(empty_db, [path])[0]
        assert result.status == "importado", result.message
        row = supervision.summary(empty_db, month=month)[0]
        assert _figures(row) == _whole(path), month
    whole = read_bundle(ahead[-1])
    december = sum(json.loads(r["payload"])["rations"] for r in whole.journal()
                   if r["kind"] == "servicio" and r["entry_date"].startswith("2027-12"))
    assert supervision.summary(empty_db, month="2027-12")[0].rations == december
    # November's history says an entry is dated in December: December's reader looks for it
    assert json.loads(_histories(empty_db)["2027-11"])["last_day"] == "2027-12-01"


def test_the_history_kept_reads_the_same_entries_as_searching_them(empty_db, tmp_path):
    paths = write_school_year(tmp_path, 3)
    for path in paths:
        assert supervision.import_bundles(empty_db, [path])[0].status == "importado"
        assert _figures(supervision.summary(empty_db, month=read_bundle(path).manifest["month"])[0]) == _whole(path)
    kept = json.loads(_histories(empty_db)["2027-11"])
    assert kept["last_day"] == "2027-11-30"
    november, december = read_bundle(paths[-2]), read_bundle(paths[-1])
    journal = november.files["journal.jsonl"]
    # each line it names holds what it was kept for, and every such line is named
    for needle, starts in kept["lines"].items():
        lines = [journal[at:journal.index(b"\n", at)] for at in starts]
        assert all(needle.encode() in line for line in lines)
        assert len(starts) == sum(needle.encode() in line for line in journal.split(b"\n"))
    assert [json.loads(journal[at:journal.index(b"\n", at)])["kind"] for at in kept["lines"]["periodo.cierre"]] == \
        ["periodo.cierre"] * 9
    # December read from November's kept history: the month's needle is not looked for in what November
    # held (none of its entries is dated in December), and what it reads is what searching gives
    anchor = Anchor(november.chain.entries, november.chain.head, hashlib.sha256(journal).hexdigest(), len(journal),
                    json.dumps(kept))
    anchored = read_bundle(paths[-1], lambda chain: [anchor])
    assert anchored.verified_from == november.chain.entries
    searched = read_bundle(paths[-1], lambda chain: [Anchor(anchor.entries, anchor.head, anchor.journal_sha,
                                                                  anchor.journal_size)])
    needles = (b"comite.", b"tesoreria.gasto", b"reversal", b"periodo.cierre")
    dated = (date(2027, 12, 1), date(2027, 12, 31))
    assert anchored.journal_with(*needles, dated=dated) == searched.journal_with(*needles, dated=dated) == \
        [r for r in december.journal() if r["kind"] in ("comite.registro", "periodo.cierre")
         or r["seq"] > november.chain.entries]
    assert b"2027-12-" not in anchored.__dict__["_needles"] and b"2027-12-" in searched.__dict__["_needles"]


@pytest.mark.parametrize("kept", ["sin-historia", "desplazada", "ilegible", "otra-linea"])
def test_a_missing_or_wrong_history_is_searched_again(empty_db, tmp_path, kept):
    """Bundles imported before the history was kept (NULL), or a history that does not name lines of the
    verified bytes holding what it says: the next bundle searches its history as before, with the same
    figures, and keeps the history a new import keeps."""
    paths = write_school_year(tmp_path, 10)
    assert [r.status for r in supervision.import_bundles(empty_db, paths[:5])] == ["importado"] * 5
    genuine = _histories(empty_db)
    with empty_db.engine.begin() as conn:
        for month, history in genuine.items():
            if kept == "sin-historia":
                wrong = None
            elif kept == "ilegible":
                wrong = "{no es JSON"
            else:
                doc = json.loads(history)
                shift = 1 if kept == "desplazada" else 0
                lines = {k: [at + shift for at in v] for k, v in doc["lines"].items()}
                if kept == "otra-linea":  # the closings' lines given for the registration
                    lines["comite."] = lines["periodo.cierre"]
                wrong = json.dumps({**doc, "lines": lines})
            conn.execute(text("UPDATE sup_bundles SET history = :h WHERE month = :m"), {"h": wrong, "m": month})
    assert [r.status for r in supervision.import_bundles(empty_db, paths[5:])] == ["importado"] * 5
    for path in paths[5:]:
        assert _figures(supervision.summary(empty_db, month=read_bundle(path).manifest["month"])[0]) == _whole(path)
    fresh = _histories(empty_db)
    for path in paths[5:]:  # what a supervisor that kept every history keeps
        month = read_bundle(path).manifest["month"]
        assert json.loads(fresh[month]) == json.loads(_reference_history(tmp_path, paths, month))


def _reference_history(tmp_path, paths, month):
    from qaliwarma.persistence.engine import open_database

    db = open_database(f"sqlite:///{tmp_path / 'referencia.sqlite3'}")
    try:
        if not supervision.has_bundles(db):
            supervision.import_bundles(db, paths)
        return _histories(db)[month]
    finally:
        db.dispose()
