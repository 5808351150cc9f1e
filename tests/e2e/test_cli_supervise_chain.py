"""The supervisor verifies each school's bundle only from the last entry of that school verified here
(issue 17), and that must prove nothing less: through `supervise import` a bundle whose earlier entries
were altered, truncated or reordered, whose new entries were altered, or that is another school's, is
refused with what is wrong, and `supervise summary` keeps what the genuine bundles said."""

from __future__ import annotations

import json

import pytest

from bench.supervisor import write_school_year
from tests.forgery import open_bundle_parts, rehash, reseal

from .conftest import run

SCHOOL, OTHER = 3, 4  # bench.supervisor: school n has código modular 1000000 + n
CODE, OTHER_CODE = f"{1000000 + SCHOOL:07d}", f"{1000000 + OTHER:07d}"


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paquetes")
    return {"own": write_school_year(folder, SCHOOL), "other": write_school_year(folder, OTHER)}


@pytest.fixture
def supdb(tmp_path, year):
    """A supervisor's database holding the school's March and April, imported one by one as they came."""
    db = tmp_path / "supervisor.sqlite3"
    for path in year["own"][:2]:
        done = run("supervise", "import", path, db=db)
        assert done.returncode == 0 and "importado" in done.stdout, done.stdout + done.stderr
    return db


def _entries(path) -> int:
    return open_bundle_parts(path)[0]["journal"]["entries"]


def _import(db, path):
    return run("supervise", "import", path, db=db)


def _summary(db):
    return {r["month"]: r for r in run("supervise", "summary", "--json", db=db, check_json=True).doc}


def _refused(db, path, *why):
    before = _summary(db)
    done = _import(db, path)
    assert done.returncode == 1, done.stdout
    assert "RECHAZADO" in done.stdout, done.stdout
    for part in why:
        assert part in done.stdout, done.stdout
    assert _summary(db) == before  # nothing of the refused bundle reached the summary
    return done.stdout


def _service(rows, after):
    """The first service entry after entry n.º ``after`` (an entry of the new bundle's own part)."""
    return next(r for r in rows[after:] if r["kind"] == "servicio")


def test_the_genuine_may_is_imported_after_april(supdb, year):
    may = year["own"][2]
    done = _import(supdb, may)
    assert done.returncode == 0 and "importado" in done.stdout
    rows = _summary(supdb)
    assert sorted(rows) == ["2027-03", "2027-04", "2027-05"]
    # rations as the May journal's services say, read here independently of the importer
    _, _, journal = open_bundle_parts(may)
    served = sum(json.loads(r["payload"])["rations"] for r in journal
                 if r["kind"] == "servicio" and r["entry_date"].startswith("2027-05"))
    assert rows["2027-05"]["rations"] == served


def test_an_altered_old_entry_is_refused(supdb, year, tmp_path):
    """The school's registration (entry n.º 1, verified with March) now says more children; the entry keeps
    its hash: May would be measured against a false enrolment if old entries were trusted unread."""
    may = year["own"][2]
    _, _, rows = open_bundle_parts(may)
    payload = json.loads(rows[0]["payload"])
    payload["levels"][1]["enrolment"] += 100
    rows[0]["payload"] = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    _refused(supdb, reseal(may, tmp_path / "mayo.zip", rows), "asiento n.º 1", "modificado")


def test_an_old_entry_altered_and_every_later_hash_recomputed_is_refused(supdb, year, tmp_path):
    may = year["own"][2]
    march_end = _entries(year["own"][0])
    _, _, rows = open_bundle_parts(may)
    rows[9]["user"] = "otra persona"  # entry n.º 10, a March entry
    rehash(rows, CODE, start=9)
    _refused(supdb, reseal(may, tmp_path / "mayo.zip", rows), f"el asiento n.º {march_end} es distinto",
             "reescrita")


def test_an_altered_new_entry_is_refused(supdb, year, tmp_path):
    may = year["own"][2]
    april_end = _entries(year["own"][1])
    _, _, rows = open_bundle_parts(may)
    entry = _service(rows, april_end + 3)
    payload = json.loads(entry["payload"])
    payload["rations"] += 1
    entry["payload"] = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    _refused(supdb, reseal(may, tmp_path / "mayo.zip", rows), f"asiento n.º {entry['seq']}", "modificado")


@pytest.mark.parametrize("where", ["old", "new"])
def test_reordered_entries_are_refused(supdb, year, tmp_path, where):
    may = year["own"][2]
    april_end = _entries(year["own"][1])
    _, _, rows = open_bundle_parts(may)
    at = 20 if where == "old" else april_end + 5
    rows[at], rows[at + 1] = rows[at + 1], rows[at]
    _refused(supdb, reseal(may, tmp_path / "mayo.zip", rows), f"asiento n.º {at + 1}")


def test_a_truncated_chain_is_refused(supdb, year, tmp_path):
    """Entries of March taken out: as they are (a gap) and renumbered with every hash recomputed."""
    may = year["own"][2]
    _, _, rows = open_bundle_parts(may)
    gap = rows[:10] + rows[30:]
    _refused(supdb, reseal(may, tmp_path / "hueco.zip", gap), "falta el asiento n.º 11")
    kept = rows[:10] + rows[30:]
    shortened = [dict(r, seq=n) for n, r in enumerate(kept, start=1)]
    rehash(shortened, CODE)
    # a careful forger also renumbers the services' entries in servicios.csv
    manifest, raw, _ = open_bundle_parts(may)
    renumbered = {str(old["seq"]): str(new["seq"]) for old, new in zip(kept, shortened, strict=True)}
    lines = raw["servicios.csv"].decode().splitlines()
    raw["servicios.csv"] = ("\r\n".join([lines[0]] + [line.rsplit(",", 1)[0] + "," + renumbered[line.rsplit(",", 1)[1]]
                                                    for line in lines[1:]]) + "\r\n").encode()
    _refused(supdb, reseal(may, tmp_path / "corto.zip", shortened, raw=raw), "es distinto", "reescrita")


def test_a_journal_that_stops_before_what_was_verified_is_refused(supdb, year, tmp_path):
    """April again, cut before its last verified entries (and sealed so): shorter than the April held."""
    april = year["own"][1]
    _, _, rows = open_bundle_parts(april)
    march_end = _entries(year["own"][0])
    cut = rows[:march_end + 10] + [rows[-1]]  # the closing entry kept, entries before it dropped
    _refused(supdb, reseal(april, tmp_path / "abril.zip", cut), f"falta el asiento n.º {march_end + 11}")


def test_another_schools_bundle_is_refused(supdb, year, tmp_path):
    other_may = year["other"][2]
    # under this school's code, as it is: its entries were hashed under the other code
    _refused(supdb, reseal(other_may, tmp_path / "ajeno.zip", open_bundle_parts(other_may)[2], code=CODE), "asiento n.º 1")
    # re-hashed under this code: its registration still states the other school's code
    _, _, rows = open_bundle_parts(other_may)
    rehash(rows, CODE)
    _refused(supdb, reseal(other_may, tmp_path / "ajeno2.zip", rows, code=CODE), f"registro del código {OTHER_CODE}")
    # and with the registration rewritten too: it does not continue what this school's April ended with
    registration = json.loads(rows[0]["payload"])
    registration["codigo_modular"] = CODE
    rows[0]["payload"] = json.dumps(registration, sort_keys=True, separators=(",", ":"))
    rehash(rows, CODE)
    _refused(supdb, reseal(other_may, tmp_path / "ajeno3.zip", rows, code=CODE), "reescrita")


def test_the_supervisor_goes_back_to_the_genuine_bundle_after_an_altered_one(tmp_path, year):
    """Issue 10: an altered copy of a closed month (same journal, another money file, sealed again) replaced
    the genuine bundle; importing the genuine one again makes it the month's again, and the altered one
    stays on record as refused."""
    db = tmp_path / "supervisor.sqlite3"
    march = year["own"][0]
    manifest, raw, rows = open_bundle_parts(march)
    money = json.loads(raw["tesoreria.json"])
    money["spent"], money["balance"] = "100.00", "1300.00"
    raw["tesoreria.json"] = json.dumps(money).encode()
    altered = reseal(march, tmp_path / "marzo-alterado.zip", rows, manifest={
        **manifest, "exported_at": "2027-04-20T10:00:00+00:00"}, raw=raw)
    genuine_balance = json.loads(open_bundle_parts(march)[1]["tesoreria.json"])["balance"]

    assert _import(db, march).returncode == 0
    replaced = _import(db, altered)
    assert replaced.returncode == 0 and "REEMPLAZADO" in replaced.stdout
    assert "mismo diario y otros archivos" in replaced.stdout  # the supervisor is told to compare the code
    assert _summary(db)["2027-03"]["treasury_balance"] == "1300.00"

    back = _import(db, march)
    assert back.returncode == 0, back.stdout
    assert "restablecido" in back.stdout and "queda rechazado" in back.stdout
    row = _summary(db)["2027-03"]
    assert row["treasury_balance"] == genuine_balance

    again = _refused(db, altered, "volvió al paquete")
    assert "marzo-alterado.zip" in again
    assert _import(db, march).stdout.count("sin cambios") == 1  # the genuine one is the month's
    # the next month still continues the genuine chain
    assert "importado" in _import(db, year["own"][1]).stdout
    assert sorted(_summary(db)) == ["2027-03", "2027-04"]


def test_a_school_whose_code_was_corrected_is_still_one_school_to_the_supervisor(dbfile, tmp_path):
    """Issue 14: the committee corrects its código modular; its next bundle continues the same chain (hashed
    with the code it registered with), so the supervisor takes it as the school's, under the new code, not
    as another school's copied chain."""
    old, new = "0456789", "0456798"
    supdb = tmp_path / "supervisor.sqlite3"
    before, after = tmp_path / "antes.zip", tmp_path / "despues.zip"
    assert run("export", "--month", "2026-11", "--out", before, db=dbfile).returncode == 0
    assert _import(supdb, before).returncode == 0
    corrected = run("committee", "code", "--new", new, "--reason", "El padrón de MINEDU dice 0456798", db=dbfile)
    assert corrected.returncode == 0, corrected.stderr
    assert run("export", "--month", "2026-11", "--out", after, db=dbfile).returncode == 0
    done = _import(supdb, after)
    assert done.returncode == 0 and "REEMPLAZADO" in done.stdout, done.stdout
    rows = run("supervise", "summary", "--json", db=supdb, check_json=True).doc
    assert [(r["codigo_modular"], r["month"]) for r in rows] == [(new, "2026-11")]
    # the bundle from before the correction is older: it replaces nothing, and names no other school
    again = _import(supdb, before)
    assert "sin cambios" in again.stdout and old not in again.stdout.split("—", 1)[1]


def test_a_refusal_says_where_as_fields(supdb, year, tmp_path):
    """Issue 9: a refused bundle's result names the file inside it, the row and the column as fields (and its
    message does not repeat the bundle's name, which the result carries apart)."""
    may = year["own"][2]
    manifest, raw, rows = open_bundle_parts(may)
    lines = raw["servicios.csv"].decode().split("\r\n")
    cells = lines[2].split(",")  # the table's second row (row 3 of the file, counting the header)
    served = int(cells[4])
    cells[4] = str(served + 7)
    lines[2] = ",".join(cells)
    raw["servicios.csv"] = "\r\n".join(lines).encode()
    edited = reseal(may, tmp_path / "mayo.zip", rows, raw=raw)
    done = run("supervise", "import", "--json", edited, db=supdb, check_json=True)
    assert done.returncode == 1
    [result] = done.doc
    assert (result["status"], result["part"], result["row"], result["field"]) == \
        ("rechazado", "servicios.csv", 3, "raciones_servidas")
    assert result["message"].startswith("servicios.csv fila 3, columna raciones_servidas: ")
    assert f"dice {served + 7}" in result["message"] and f"dice {served}." in result["message"]
    assert "mayo.zip" not in result["message"]

    april_end = _entries(year["own"][1])
    entry = _service(rows, april_end)
    entry["user"] = "otra persona"
    altered = reseal(may, tmp_path / "mayo2.zip", rows)
    [result] = run("supervise", "import", "--json", altered, db=supdb, check_json=True).doc
    assert (result["part"], result["row"], result["field"]) == ("journal.jsonl", entry["seq"], "")
    # the command that verifies one bundle words the same problem with the bundle's name first
    checked = run("verify", altered)
    assert f"mayo2.zip: Diario alterado en el asiento n.º {entry['seq']}" in checked.stdout + checked.stderr


def test_an_older_month_rewritten_and_imported_after_a_later_one_is_refused(tmp_path, year):
    """December arrived first; a March whose history was rewritten (every hash recomputed) comes later: it
    must end with the closing entry December holds for March."""
    db = tmp_path / "supervisor.sqlite3"
    march, december = year["own"][0], year["own"][-1]
    assert _import(db, december).returncode == 0
    _, _, rows = open_bundle_parts(march)
    rows[5]["user"] = "otra persona"  # entry n.º 6 rewritten, every later hash recomputed
    rehash(rows, CODE, start=5)
    _refused(db, reseal(march, tmp_path / "marzo.zip", rows), "cierre del mes", "reescrita")
    assert "importado" in _import(db, march).stdout  # the genuine March is the one December holds
