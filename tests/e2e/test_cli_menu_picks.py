"""A menu pick is a journal entry and its undoing the entry's reversal (issue 14): `menu pick`, `menu undo`
and `menu history` say who chose, who undid and why; the plan follows; the journal still verifies."""

from __future__ import annotations

from .conftest import run

SECRETARY, PRESIDENT = "42345678", "41234567"
DAY, MEAL, LEVEL = "06/11/2026", "desayuno", "primaria"
AVENA = "sierra-avena-kiwicha-pan-sangrecita"


def _as(dni: str) -> dict[str, str]:
    return {"QALIWARMA_MEMBER": dni, "QALIWARMA_PIN": "1234"}


def _cell(db) -> str | None:
    from qaliwarma.persistence.engine import open_database
    from qaliwarma.services import planning

    database = open_database(f"sqlite:///{db}")
    try:
        plan = planning.get_plan(database, 1)
        return next((e.recipe_id for e in plan.entries
                     if (f"{e.day:%d/%m/%Y}", e.meal, e.level) == (DAY, MEAL, LEVEL)), None)
    finally:
        database.dispose()


def test_a_pick_and_its_undo_are_journaled_with_who_and_why(dbfile):
    before = _cell(dbfile)
    assert before not in (None, AVENA)
    picked = run("menu", "pick", "1", "--day", DAY, "--meal", MEAL, "--level", LEVEL, "--recipe", AVENA, "--json",
                 db=dbfile, env=_as(SECRETARY), check_json=True)
    assert picked.returncode == 0, picked.stderr
    seq = picked.doc["seq"]
    assert _cell(dbfile) == AVENA

    undone = run("menu", "undo", str(seq), "--reason", "me equivoqué de día", db=dbfile, env=_as(PRESIDENT))
    assert undone.returncode == 0, undone.stderr
    assert _cell(dbfile) == before
    again = run("menu", "undo", str(seq), "--reason", "otra vez", db=dbfile, env=_as(PRESIDENT))
    assert again.returncode == 2 and f"ya se deshizo (asiento n.º {seq + 1}" in again.stderr

    history = run("menu", "history", "1", "--json", db=dbfile, check_json=True).doc
    assert [(h["seq"], h["undoes"]) for h in history] == [(seq + 1, seq), (seq, None)]
    assert "Julio Ccanto Paucar" in history[1]["user"] and "Rosa Quispe Huamán" in history[0]["user"]
    assert history[0]["reason"] == "me equivoqué de día"
    text = run("menu", "history", db=dbfile).stdout.splitlines()
    assert "Rosa Quispe Huamán (DNI 41234567) deshizo la elección" in text[0] and "me equivoqué de día" in text[0]
    assert "Julio Ccanto Paucar (DNI 42345678) eligió «Avena con kiwicha y pan con sangrecita»" in text[1]

    verified = run("verify", "--json", db=dbfile, check_json=True)
    assert verified.returncode == 0 and verified.doc[0]["findings"] == []


def test_a_pick_on_a_day_without_school_is_refused_and_nothing_is_journaled(dbfile):
    entries = run("verify", "--json", db=dbfile, check_json=True).doc[0]["entries"]
    refused = run("menu", "pick", "1", "--day", "07/11/2026", "--meal", MEAL, "--level", LEVEL, "--recipe", AVENA,
                  db=dbfile, env=_as(SECRETARY))
    assert refused.returncode == 2 and "no es día de clases" in refused.stderr
    assert run("verify", "--json", db=dbfile, check_json=True).doc[0]["entries"] == entries
    assert run("menu", "history", "--json", db=dbfile, check_json=True).doc == []


def test_a_later_change_of_the_day_is_not_lost_by_undoing_an_earlier_pick(dbfile):
    first = run("menu", "pick", "1", "--day", DAY, "--meal", MEAL, "--level", LEVEL, "--recipe", AVENA, "--json",
                db=dbfile, env=_as(SECRETARY), check_json=True).doc["seq"]
    assert run("menu", "pick", "1", "--day", DAY, "--meal", MEAL, "--level", LEVEL, "--clear",
               db=dbfile, env=_as(SECRETARY)).returncode == 0
    refused = run("menu", "undo", str(first), "--reason", "x", db=dbfile, env=_as(SECRETARY))
    assert refused.returncode == 2 and "cambió después de esa elección" in refused.stderr
    assert _cell(dbfile) is None


def test_an_undo_without_a_reason_is_refused_naming_the_option_and_changes_nothing(dbfile):
    """The journal never records a reason nobody gave (before: «Deshacer en la página Menú» from the CLI)."""
    seq = run("menu", "pick", "1", "--day", DAY, "--meal", MEAL, "--level", LEVEL, "--recipe", AVENA, "--json",
              db=dbfile, env=_as(SECRETARY), check_json=True).doc["seq"]
    for reason in ("", "   "):
        refused = run("menu", "undo", str(seq), "--reason", reason, db=dbfile, env=_as(PRESIDENT))
        assert refused.returncode == 2, refused.stdout
        assert "--reason" in refused.stderr and "motivo" in refused.stderr and f"n.º {seq}" in refused.stderr
        assert "Traceback" not in refused.stderr
    assert _cell(dbfile) == AVENA  # still picked
    history = run("menu", "history", "1", "--json", db=dbfile, check_json=True).doc
    assert [(h["seq"], h["undoes"]) for h in history] == [(seq, None)]  # no reversal journaled
