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
        "committees 0456700: «codigo_modular» dice 0456700, pero el asiento n.º 2 dice 0456798"]
