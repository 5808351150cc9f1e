"""The código modular corrected as a journal entry, on each backend: the chain keeps its identity and
verifies; the row is checked against the entries (issue 14)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from qaliwarma.errors import InvalidInput
from qaliwarma.services import committee, integrity
from qaliwarma.services.setup import demo_form


def test_a_corrected_code_keeps_the_chain_and_an_edited_one_is_named(ready_db):
    db = ready_db
    info = committee.register(db, demo_form(), user="Rosa")
    corrected = committee.correct_code(db, info.id, "0456798", reason="dígitos cambiados", user="Rosa")
    assert corrected.form.codigo_modular == "0456798" and committee.current(db).form.codigo_modular == "0456798"
    assert committee.chain_id(db, info.id) == "0456789"
    [fix] = committee.code_corrections(db, info.id)
    assert (fix.seq, fix.old, fix.new, fix.reason, fix.user) == (2, "0456789", "0456798", "dígitos cambiados", "Rosa")
    check = integrity.check_one(db, info.id)
    assert check.ok and check.chain.entries == 2, check.lines()
    with pytest.raises(InvalidInput):
        committee.correct_code(db, info.id, "0456799", reason=" ", user="Rosa")
    assert committee.current(db).form.codigo_modular == "0456798"

    with db.session() as s:  # behind the application's back
        s.execute(text("UPDATE committees SET codigo_modular = '0456700'"))
    check = integrity.check_one(db, info.id)
    assert check.chain.ok and not check.ok
    assert [str(f) for f in check.findings] == [
        "Datos del comité — committees 0456700: código modular («codigo_modular») dice 0456700, pero el asiento n.º 2 dice 0456798"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_url(request, tmp_path):
    from tests.dbfixtures import backend_url

    url, cleanup = backend_url(request, tmp_path)
    yield url
    cleanup()


def _old_entry(conn, committee_id: int, code_hashed: str, payload: dict) -> None:
    """Entry n.º 1 as the version before the chain's identity wrote it: the código modular in its hash."""
    import hashlib
    import json

    text_payload = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    fields = {"committee": code_hashed, "seq": 1, "kind": "comite.registro", "entry_date": "2026-03-02",
              "payload": text_payload, "corrects_seq": None, "correction_type": None, "reason": "", "user": "Rosa",
              "recorded_at": "2026-03-02T13:00:00.000000+00:00"}
    digest = hashlib.sha256(("0" * 64 + "\n" + json.dumps(fields, sort_keys=True, separators=(",", ":"),
                                                          ensure_ascii=False)).encode()).hexdigest()
    conn.execute(text("INSERT INTO journal_entries (committee_id, seq, kind, entry_date, payload, corrects_seq, "
                      "correction_type, reason, \"user\", recorded_at, prev_hash, hash) VALUES (:c, 1, "
                      "'comite.registro', :d, :p, NULL, NULL, '', 'Rosa', :r, :prev, :h)"),
                 {"c": committee_id, "d": "2026-03-02", "p": text_payload, "r": fields["recorded_at"],
                  "prev": "0" * 64, "h": digest})


def test_migration_0010_takes_each_chains_identity_from_its_registration_entry(fresh_url):
    from datetime import datetime

    from qaliwarma.persistence import engine as engine_module
    from qaliwarma.persistence.engine import make_engine, open_database
    from qaliwarma.persistence.journal import Journal

    engine = make_engine(fresh_url)
    engine_module.upgrade(engine, "0009_amazonian_schools")
    with engine.begin() as conn:
        for cid, row_code, registered in ((1, "0456789", "0456789"), (2, "0777700", "0777777")):
            conn.execute(text(
                "INSERT INTO committees (id, codigo_modular, school_name, ugel, region, department, province, "
                "district, ubigeo, quintile, modality, programme_name, amazonian_indigenous, created_at) VALUES "
                "(:id, :code, 'I.E. Prueba', 'UGEL', 'sierra', 'Huancavelica', 'Huancavelica', 'Huancavelica', "
                "'090101', 1, 'productos', 'Qali Warma', false, :at)"),
                {"id": cid, "code": row_code, "at": datetime(2026, 3, 2)})
            # committee 2's code was edited behind the application's back before the upgrade: its chain was
            # hashed with the code its registration states
            _old_entry(conn, cid, registered, {"codigo_modular": registered, "levels": []})
    engine_module.upgrade(engine, "head")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, chain_id FROM committees ORDER BY id")).all() == [
            (1, "0456789"), (2, "0777777")]
    engine.dispose()
    db = open_database(fresh_url)
    try:
        with db.session() as s:
            assert Journal(s, 1).verify().ok and Journal(s, 2).verify().ok
        found = [str(f) for f in integrity.check_one(db, 2).findings]
        assert "Datos del comité — committees 0777700: código modular («codigo_modular») dice 0777700, pero el asiento n.º 1 dice 0777777" in found
    finally:
        db.dispose()
