"""A file import writes its entries through a batch journal (closed months and chain head read once, one
flush): the chain it leaves is byte for byte the one entry-by-entry appends leave, and it still refuses a
closed month and still journals every record."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import pytest

from qaliwarma.errors import PeriodClosed
from qaliwarma.persistence import journal as journal_module
from qaliwarma.persistence.journal import CLOSING, GENESIS, Journal
from qaliwarma.persistence.models import Committee, JournalEntry


@pytest.fixture(autouse=True)
def _as_of_the_end_of_2027(monkeypatch):
    """These records are dated in 2027: the tests run as of its end (nothing is recorded ahead of today)."""
    monkeypatch.setenv("QALIWARMA_TODAY", "2027-12-31")


def _committee(s) -> int:
    row = Committee(codigo_modular="0456789", school_name="I.E. Prueba", ugel="UGEL Prueba", region="sierra",
                    department="Huancavelica", province="Huancavelica", district="Huancavelica", ubigeo="090101",
                    quintile=1, modality="productos", programme_name="Qali Warma", created_at=datetime.now())
    s.add(row)
    s.flush()
    return row.id


class _Clock:
    """datetime.now() for the journal: 12:00:00.000001, .000002, … (the same sequence in both databases)."""

    def __init__(self) -> None:
        self.n = 0

    def now(self, tz=None):
        self.n += 1
        return datetime(2027, 3, 1, 12, 0, 0, self.n, tzinfo=tz)


ENTRIES = [("servicio", date(2027, 3, 2 + n % 20), {"day": f"2027-03-{2 + n % 20:02d}", "rations": 100 + n,
                                                    "level": "primaria", "note": "ración ñ"}) for n in range(30)]


def _chain(db, cid: int) -> list[tuple]:
    with db.session() as s:
        return [(r.seq, r.kind, r.payload, r.recorded_at, r.prev_hash, r.hash) for r in s.query(JournalEntry)
                .filter(JournalEntry.committee_id == cid).order_by(JournalEntry.seq)]


def _db(tmp_path, name):
    from qaliwarma.services.database import open_database as open_upgraded

    return open_upgraded(f"sqlite:///{tmp_path / name}")


def test_a_batch_leaves_the_same_hashes_as_appends_one_by_one(tmp_path, monkeypatch):
    one, many = _db(tmp_path, "uno.sqlite3"), _db(tmp_path, "lote.sqlite3")
    try:
        with one.session() as s:
            cid = _committee(s)
        with many.session() as s:
            assert _committee(s) == cid
        monkeypatch.setattr(journal_module, "datetime", _Clock())
        for kind, day, payload in ENTRIES:  # each in its own unit of work, as a form saves them
            with one.session() as s:
                Journal(s, cid).append(kind, day, payload, user="Rosa")
        monkeypatch.setattr(journal_module, "datetime", _Clock())
        with many.session() as s:  # one unit for the whole file
            journal = Journal(s, cid, batch=True)
            returned = [journal.append(kind, day, payload, user="Rosa") for kind, day, payload in ENTRIES]
        expected, written = _chain(one, cid), _chain(many, cid)
        assert len(written) == len(ENTRIES)
        assert written == expected  # seq, payload text, time, previous hash and hash: byte for byte
        assert [(e.seq, e.prev_hash, e.hash) for e in returned] == [(r[0], r[4], r[5]) for r in written]
        # and the hashes are SHA-256(previous + "\n" + canonical fields), recomputed here by hand
        prev = GENESIS
        for seq, kind, payload, recorded, prev_hash, digest in written:
            fields = {"committee": "0456789", "seq": seq, "kind": kind, "entry_date": json.loads(payload)["day"],
                      "payload": payload, "corrects_seq": None, "correction_type": None, "reason": "",
                      "user": "Rosa", "recorded_at": recorded}
            text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            assert prev_hash == prev
            assert digest == hashlib.sha256((prev + "\n" + text).encode()).hexdigest()
            prev = digest
        with many.session() as s:
            assert Journal(s, cid).verify().ok
    finally:
        one.dispose()
        many.dispose()


def test_a_batch_continues_the_existing_chain_and_refuses_a_closed_month(tmp_path):
    db = _db(tmp_path, "q.sqlite3")
    try:
        with db.session() as s:
            cid = _committee(s)
            Journal(s, cid).append("servicio", date(2027, 3, 2), {"n": 1}, user="Rosa")
            Journal(s, cid).append(CLOSING, date(2027, 3, 31), {"month": "2027-03"}, user="Rosa")
        with pytest.raises(PeriodClosed):
            with db.session() as s:
                journal = Journal(s, cid, batch=True)
                journal.append("servicio", date(2027, 4, 1), {"n": 2}, user="Rosa")
                journal.append("servicio", date(2027, 3, 30), {"n": 3}, user="Rosa")  # March is closed
        assert len(_chain(db, cid)) == 2  # all or nothing: April's entry went with the refused file
        with db.session() as s:
            journal = Journal(s, cid, batch=True)
            third = journal.append("servicio", date(2027, 4, 1), {"n": 2}, user="Rosa")
            journal.append(CLOSING, date(2027, 4, 30), {"month": "2027-04"}, user="Rosa")
            with pytest.raises(PeriodClosed):  # a month closed within the batch is closed at once
                journal.append("servicio", date(2027, 4, 2), {"n": 4}, user="Rosa")
        chain = _chain(db, cid)
        assert third.seq == 3 and third.prev_hash == chain[1][5]
        with db.session() as s:
            assert Journal(s, cid).verify().ok
    finally:
        db.dispose()

