"""The tamper suite (issue 11): each attack a careful adversary with a copy of the data file and
`sqlite3` tried, and `qaliwarma verify` exiting 1 naming the entry or row it found."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date

import pytest

from qaliwarma.cli import main
from qaliwarma.errors import PeriodClosed
from qaliwarma.persistence.engine import open_database
from qaliwarma.persistence.journal import Journal, entry_hash, hashed_fields
from qaliwarma.services import committee, demo, export, periods
from qaliwarma.services.setup import demo_form
from tests.forgery import rehash_in_database

MONTH = "2026-11"


def _demo_at(template_sqlite, path):
    """The demo committee (November recorded up to the 26th) in a new database at ``path``: (db, its info)."""
    shutil.copy(template_sqlite, path)
    db = open_database(f"sqlite:///{path}")
    info = committee.register(db, demo_form(), user="demo")
    demo.create(db, info, today=date(2026, 11, 26))
    return db, info


@pytest.fixture(scope="module")
def closed(template_sqlite, tmp_path_factory):
    """The demo committee with November closed and exported; its printed code and its bundle."""
    folder = tmp_path_factory.mktemp("tamper")
    path = folder / "demo.sqlite3"
    db, info = _demo_at(template_sqlite, path)
    export.export_month(db, info, MONTH, folder / "abierto.zip")  # the month still open
    periods.close(db, info.id, MONTH, user="Rosa", today=date(2026, 12, 1))
    bundle = folder / "0456789-2026-11.zip"
    export.export_month(db, info, MONTH, bundle)
    code = export.verification_code(export.month_code(db, info, MONTH))
    db.dispose()
    return path, bundle, code


@pytest.fixture
def copy(closed, tmp_path):
    path, _, _ = closed
    target = tmp_path / "copia.sqlite3"
    shutil.copy(path, target)
    return target


def _sql(path, *statements, drop_triggers=True):
    con = sqlite3.connect(path)
    if drop_triggers:  # the adversary holds the file: the triggers are no obstacle to them
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
            con.execute(f"DROP TRIGGER {name}")
    for st in statements:
        con.execute(st)
    con.commit()
    con.close()


def _verify(path, capsys, *extra):
    code = main(["--db", str(path), "verify", *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_the_untouched_database_verifies_against_its_printed_code_and_bundle(copy, closed, capsys):
    _, bundle, code = closed
    rc, out = _verify(copy, capsys, "--code", code, "--anchor", str(bundle))
    assert rc == 0, out
    assert "mes 2026-11" in out and "sin cambios" in out


def test_insert_or_replace_cannot_overwrite_an_entry(copy):
    con = sqlite3.connect(copy)
    row = con.execute("SELECT * FROM journal_entries WHERE seq = 3").fetchone()
    cols = [d[1] for d in con.execute("PRAGMA table_info(journal_entries)").fetchall()]
    forged = dict(zip(cols, row, strict=True)) | {"payload": '{"forged": true}'}
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute(f"INSERT OR REPLACE INTO journal_entries ({', '.join(cols)}) VALUES "
                    f"({', '.join('?' * len(cols))})", list(forged.values()))
    assert con.execute("SELECT payload FROM journal_entries WHERE seq = 3").fetchone()[0] == row[cols.index("payload")]


def test_a_wiped_journal_is_detected(copy, capsys):
    _sql(copy, "DELETE FROM journal_entries")
    rc, out = _verify(copy, capsys)
    assert rc == 1
    assert "diario : está vacío" in out or "está vacío" in out


def test_a_truncated_journal_is_detected_by_its_projections_and_by_the_printed_code(copy, closed, capsys):
    _, bundle, code = closed
    con = sqlite3.connect(copy)
    last = con.execute("SELECT MAX(seq) FROM journal_entries").fetchone()[0]
    con.close()
    _sql(copy, f"DELETE FROM journal_entries WHERE seq > {last - 3}")
    rc, out = _verify(copy, capsys)
    assert rc == 1
    assert "Mes cerrado — closed_periods 2026-11: figura cerrado, pero el diario no tiene su asiento de cierre" in out
    rc, out = _verify(copy, capsys, "--code", code)
    assert rc == 1 and "CÓDIGO NO COINCIDE" in out
    rc, out = _verify(copy, capsys, "--anchor", str(bundle))
    assert rc == 1 and f"Último asiento bueno: n.º {last - 3}" in out


def test_a_forged_entry_appended_into_the_closed_month_is_detected(copy, capsys):
    con = sqlite3.connect(copy)
    seq, prev = con.execute("SELECT seq, hash FROM journal_entries ORDER BY seq DESC LIMIT 1").fetchone()
    cid = con.execute("SELECT id FROM committees").fetchone()[0]
    con.close()
    payload = json.dumps({"amount": "900.00", "heading": "alimentos", "number": 99}, sort_keys=True,
                         separators=(",", ":"))
    fields = hashed_fields(committee="0456789", seq=seq + 1, kind="tesoreria.gasto", entry_date="2026-11-20",
                           payload=payload, corrects_seq=None, correction_type=None, reason="", user="x",
                           recorded_at="2026-12-02T10:00:00+00:00")
    _sql(copy, "INSERT INTO journal_entries (committee_id, seq, kind, entry_date, payload, corrects_seq, "
               "correction_type, reason, user, recorded_at, prev_hash, hash) VALUES "
               f"({cid}, {seq + 1}, 'tesoreria.gasto', '2026-11-20', '{payload}', NULL, NULL, '', 'x', "
               f"'2026-12-02T10:00:00+00:00', '{prev}', '{entry_hash(prev, fields)}')")
    rc, out = _verify(copy, capsys)
    assert rc == 1
    assert f"asiento n.º {seq + 1}: está fechado en 2026-11, que el asiento n.º {seq} ya había cerrado" in out
    assert f"Gasto — treasury_expenses asiento n.º {seq + 1}: falta la fila" in out


def test_an_entry_edited_and_rehashed_is_detected_by_the_printed_code_and_the_anchor(copy, closed, capsys):
    _, bundle, code = closed
    con = sqlite3.connect(copy)
    seq, payload = con.execute("SELECT seq, payload FROM journal_entries WHERE kind='tesoreria.gasto' "
                               "ORDER BY seq LIMIT 1").fetchone()
    con.close()
    doc = json.loads(payload)
    amount = doc["amount"]
    doc["amount"] = "1.00"
    cid = sqlite3.connect(copy).execute("SELECT id FROM committees").fetchone()[0]
    rehash_in_database(copy, cid, seq, {seq: json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)},
                       f"UPDATE treasury_expenses SET amount=1.00 WHERE journal_seq={seq}")
    rc, out = _verify(copy, capsys)
    # the chain and the tables agree with each other: a consistent forgery, but of a closed month, whose
    # closing carries the treasury as of its end (issue 17): the history no longer gives those figures
    assert rc == 1 and "La cadena de" in out and "está íntegra" in out
    assert ("el cierre de 2026-11 lleva lo gastado a la fecha en el rubro alimentos = " in out
            and "pero el historial hasta ese cierre da" in out), out
    rc, out = _verify(copy, capsys, "--code", code)
    assert rc == 1 and "CÓDIGO NO COINCIDE" in out
    rc, out = _verify(copy, capsys, "--anchor", str(bundle))
    assert rc == 1 and f"el asiento n.º {seq} es distinto. Último asiento bueno: n.º {seq - 1}" in out
    assert amount != "1.00"


PROJECTION_EDITS = [
    ("UPDATE treasury_expenses SET amount = amount + 100 WHERE id = (SELECT MIN(id) FROM treasury_expenses)",
     "treasury_expenses id", "«amount»"),
    ("UPDATE treasury_expenses SET heading = 'otros' WHERE id = (SELECT MIN(id) FROM treasury_expenses)",
     "treasury_expenses id", "«heading»"),
    ("UPDATE treasury_expenses SET active = 0 WHERE id = (SELECT MIN(id) FROM treasury_expenses)",
     "treasury_expenses id", "«active»"),
    ("DELETE FROM treasury_expenses WHERE id = (SELECT MIN(id) FROM treasury_expenses)",
     "treasury_expenses asiento n.º", "falta la fila"),
    ("INSERT INTO treasury_expenses SELECT id + 1000, committee_id, journal_seq + 5000, number + 1000, day, cycle, "
     "heading, doc_type, doc_number, party_id, party_name, detail, amount, payment, active FROM treasury_expenses "
     "WHERE id = (SELECT MIN(id) FROM treasury_expenses)", "treasury_expenses id", "no corresponde"),
    # a copy of a receipt's row under the same entry: named as repeated, and its changed amount too
    ("INSERT INTO treasury_expenses SELECT id + 1000, committee_id, journal_seq, number, day, cycle, heading, "
     "doc_type, doc_number, party_id, party_name, detail, amount + 7, payment, active FROM treasury_expenses "
     "WHERE id = (SELECT MIN(id) FROM treasury_expenses)", "treasury_expenses id", "repite el asiento n.º"),
    ("INSERT INTO treasury_expenses SELECT id + 1000, committee_id, journal_seq, number, day, cycle, heading, "
     "doc_type, doc_number, party_id, party_name, detail, amount + 7, payment, active FROM treasury_expenses "
     "WHERE id = (SELECT MIN(id) FROM treasury_expenses)", "treasury_expenses id", "«amount»"),
    ("UPDATE treasury_transfers SET amount = amount * 2", "treasury_transfers id", "«amount»"),
    ("UPDATE stock_lots SET balance_grams = balance_grams + 5000 WHERE id = (SELECT MIN(id) FROM stock_lots)",
     "stock_lots id", "sus movimientos suman"),
    # an expired lot made to look good: its expiry moved, then its key too
    ("UPDATE stock_lots SET expiry = '2027-12-31' WHERE id = (SELECT MIN(id) FROM stock_lots)",
     "stock_lots id", "su vencimiento (31/12/2027), su lote o su marca no son los de su clave"),
    ("UPDATE stock_lots SET expiry = '2027-12-31', lot_key = food_code || '|' || upper(brand) || '|' || upper(lot) "
     "|| '|2027-12-31' WHERE id = (SELECT MIN(id) FROM stock_lots)",
     "stock_lots id", "ninguna recepción ni compra del diario trae este lote con este vencimiento (31/12/2027)"),
    ("UPDATE stock_lots SET suspended = 1, suspension_reason = 'x' WHERE id = (SELECT MIN(id) FROM stock_lots)",
     "stock_lots id", "figura suspendido, pero ningún asiento lo suspende"),
    ("UPDATE stock_movements SET grams = grams - 1000, day = day WHERE id = (SELECT MIN(id) FROM stock_movements)",
     "stock_lots id", "sus movimientos suman"),
    ("UPDATE service_records SET rations = rations + 40 WHERE id = (SELECT MIN(id) FROM service_records)",
     "service_records id", "«rations»"),
    ("UPDATE committee_levels SET enrolment = enrolment + 50 WHERE level = 'primaria'",
     "committee_levels primaria", "matrícula"),
    ("UPDATE committees SET school_name = '=HYPERLINK(\"http://x\")'", "committees 0456789", "«school_name»"),
    ("UPDATE committees SET province = 'Lima'", "committees 0456789", "provincia («province») dice Lima"),
    # a level's own código modular, printed on that level's reports
    ("UPDATE committee_levels SET codigo_modular = '0999999' WHERE level = 'inicial'", "committee_levels inicial",
     "código modular («codigo_modular») dice 0999999"),
    ("DELETE FROM closed_periods", "closed_periods 2026-11", "falta la fila"),
    # a transfer moved to another month: the balance then printed «transferido en el mes S/ 0.00»
    ("UPDATE treasury_transfers SET cycle = '2026-10'", "treasury_transfers id", "«cycle»"),
    # a rendición made «aprobado» with observations no supervisor gave, printed on the balance
    ("INSERT OR REPLACE INTO treasury_cycles (committee_id, cycle, state, observations, updated_at) "
     "SELECT id, '2026-11', 'aprobado', 'Conforme. UGEL', '2026-12-01 10:00:00' FROM committees",
     "treasury_cycles 2026-11", "Rendición del mes — treasury_cycles 2026-11: estado («state») dice «aprobado», pero el diario da «borrador»"),
]


@pytest.mark.parametrize(("statement", "where", "what"), PROJECTION_EDITS,
                         ids=[f"edit{n}" for n in range(1, len(PROJECTION_EDITS) + 1)])
def test_every_edited_projection_row_is_named(copy, capsys, statement, where, what):
    _sql(copy, statement, drop_triggers=False)
    rc, out = _verify(copy, capsys)
    assert rc == 1, out
    assert any(where in line and what in line for line in out.splitlines()), out


def test_a_lot_the_programme_suspended_cannot_be_released_with_sqlite(copy, capsys):
    from qaliwarma.services import stock

    db = open_database(f"sqlite:///{copy}")
    try:
        info = committee.current(db)
        lot = stock.lots(db, info.id)[0]
        stock.suspend(db, info.id, user="Rosa Quispe Huamán", day=date(2026, 12, 2),
                      reason="Comunicado 045-2026: retiro del lote", lot=lot.lot)
    finally:
        db.dispose()
    rc, out = _verify(copy, capsys)
    assert rc == 0, out
    _sql(copy, "UPDATE stock_lots SET suspended = 0", drop_triggers=False)
    rc, out = _verify(copy, capsys)
    assert rc == 1
    assert "el asiento de suspensión lo suspende («Comunicado 045-2026: retiro del lote»), pero figura sin suspender" \
        in out


def test_deleting_the_closed_period_row_does_not_reopen_the_month(copy):
    _sql(copy, "DELETE FROM closed_periods", drop_triggers=False)
    db = open_database(f"sqlite:///{copy}")
    try:
        with db.session() as s, pytest.raises(PeriodClosed):
            cid = committee.current(db).id
            Journal(s, cid).append("incidencia", date(2026, 11, 30), {"x": 1}, user="x")
        assert MONTH in periods.closed_months(db, cid)
    finally:
        db.dispose()


def test_the_database_refuses_truncate_and_overwrite(empty_db):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with empty_db.session() as s:
        cid = committee.register(empty_db, demo_form(), user="demo").id
    with empty_db.session() as s:
        Journal(s, cid).append("incidencia", date(2026, 11, 3), {"x": 1}, user="x")
    statement = ("TRUNCATE journal_entries" if not empty_db.is_sqlite else
                 "INSERT OR REPLACE INTO journal_entries SELECT * FROM journal_entries WHERE seq = 1")
    with pytest.raises(DBAPIError, match="append-only"), empty_db.session() as s:
        s.execute(text(statement))
    with pytest.raises(DBAPIError, match="append-only"), empty_db.session() as s:
        s.execute(text("DELETE FROM journal_entries"))
    with empty_db.session() as s:
        assert Journal(s, cid).count() == 2 and Journal(s, cid).verify().ok


# --- bundles: the manifest is covered, the supervisor holds anchors ---------------------------------


def _forge(bundle, out, *, manifest_edit=None, facts_too=False, recode: str | None = None, journal_edit=None):
    """Rebuild a bundle as a forger with the application's source would: edit the manifest (and, with
    ``facts_too``, periodo.json, the file hashes and the bundle code); ``recode`` re-hashes the whole
    chain under another school's code."""
    import zipfile

    from qaliwarma.io.bundle import _canonical_zip, bundle_code, sha256

    with zipfile.ZipFile(bundle) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    if recode:
        rows = [json.loads(line) for line in members["journal.jsonl"].decode().splitlines() if line]
        if journal_edit:
            journal_edit(rows)
        prev = "0" * 64
        for row in rows:
            fields = hashed_fields(committee=recode, **{k: row[k] for k in (
                "seq", "kind", "entry_date", "payload", "corrects_seq", "correction_type", "reason", "user",
                "recorded_at")})
            row["prev_hash"], row["hash"] = prev, entry_hash(prev, fields)
            prev = row["hash"]
        members["journal.jsonl"] = ("\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)
                                    + "\n").encode()
        manifest["journal"]["head"] = prev
        manifest["committee"]["codigo_modular"] = recode
        if "chain_id" in manifest["committee"]:  # the chain's identity, hashed in every entry
            manifest["committee"]["chain_id"] = recode
        for n, row in enumerate(rows):
            if manifest["journal"].get("previous") and row["seq"] == manifest["journal"]["previous"]["seq"]:
                manifest["journal"]["previous"]["head"] = rows[n]["hash"]
        facts_too = True
    if manifest_edit:
        manifest_edit(manifest)
    if facts_too:
        facts = json.loads(members["periodo.json"])
        members["periodo.json"] = json.dumps({k: manifest.get(k) for k in facts}, ensure_ascii=False,
                                             sort_keys=True).encode()
        manifest["files"] = {n: sha256(d) for n, d in members.items()}
        manifest["bundle_code"] = bundle_code(manifest["journal"]["head"], manifest["files"])
    head = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    out.write_bytes(_canonical_zip([("manifest.json", head)] + list(members.items())))
    return out


@pytest.mark.parametrize(("edit", "why"), [
    (lambda m: m.update(month="2026-10"), "«month»"),
    (lambda m: m.update(closed=False), "«closed»"),
    (lambda m: m["committee"].update(school_name="Otra escuela"), "«committee»"),
    (lambda m: m.update(exported_at="2026-11-02T00:00:00+00:00"), "fecha de exportación"),
])
def test_an_edited_manifest_is_refused(closed, tmp_path, capsys, edit, why):
    _, bundle, _ = closed
    forged = _forge(bundle, tmp_path / "f.zip", manifest_edit=edit)
    rc, out = _verify(tmp_path / "x.sqlite3", capsys, str(forged))
    assert rc == 1 and "NO VÁLIDO" in out and why in out, out


@pytest.mark.parametrize(("edit", "why"), [
    (lambda m: m.update(closed=False), "no tiene|tiene su asiento de cierre"),
    (lambda m: m.update(month="2026-10"), "asiento de cierre"),
])
def test_a_manifest_forged_with_its_facts_and_code_is_refused_by_the_journal(closed, tmp_path, capsys, edit, why):
    import re

    _, bundle, _ = closed
    forged = _forge(bundle, tmp_path / "f.zip", manifest_edit=edit, facts_too=True)
    rc, out = _verify(tmp_path / "x.sqlite3", capsys, str(forged))
    assert rc == 1 and re.search(why, out), out


def test_a_resealed_bundle_does_not_match_the_printed_code(closed, tmp_path, capsys):
    _, bundle, code = closed
    forged = _forge(bundle, tmp_path / "f.zip", facts_too=True,
                    manifest_edit=lambda m: m["committee"].update(school_name="Otra escuela"))
    assert _verify(tmp_path / "x.sqlite3", capsys, str(forged))[0] == 0  # consistent in itself
    rc, out = _verify(tmp_path / "x.sqlite3", capsys, str(forged), "--code", code)
    assert rc == 1 and "no es el de este paquete" in out
    assert _verify(tmp_path / "x.sqlite3", capsys, str(bundle), "--code", code)[0] == 0


def test_the_supervisor_refuses_an_open_bundle_over_a_closed_one_whatever_its_date(closed, empty_db, tmp_path):
    from qaliwarma.services import supervision

    _, bundle, _ = closed
    open_bundle = bundle.parent / "abierto.zip"
    late = _forge(open_bundle, tmp_path / "tarde.zip", facts_too=True,
                  manifest_edit=lambda m: m.update(exported_at="2099-01-01T00:00:00+00:00"))
    assert supervision.import_bundles(empty_db, [bundle])[0].status == "importado"
    for candidate in (open_bundle, late):
        result = supervision.import_bundles(empty_db, [candidate])[0]
        assert result.status == "rechazado", result
        assert "más corto" in result.message
    assert supervision.summary(empty_db, month=MONTH)[0].closed


def test_the_supervisor_refuses_a_chain_rewritten_under_another_schools_code(closed, empty_db, tmp_path, capsys):
    from qaliwarma.services import supervision

    _, bundle, _ = closed
    copied = _forge(bundle, tmp_path / "copia.zip", recode="1234567")
    # every hash and the bundle code agree, but the chain starts with the registration of 0456789
    rc, out = _verify(tmp_path / "x.sqlite3", capsys, str(copied))
    assert rc != 0 and "empieza con el registro del código 0456789" in out and "1234567" in out
    assert supervision.import_bundles(empty_db, [bundle])[0].status == "importado"
    result = supervision.import_bundles(empty_db, [copied])[0]
    assert result.status == "rechazado" and "0456789" in result.message


def test_the_supervisor_refuses_rewritten_history_saying_up_to_which_entry_it_changed(closed, empty_db, tmp_path):
    from qaliwarma.services import supervision

    _, bundle, _ = closed
    open_bundle = bundle.parent / "abierto.zip"
    assert supervision.import_bundles(empty_db, [open_bundle])[0].status == "importado"
    held = read_entries(open_bundle)

    def rewrite(rows):
        rows[4]["user"] = "otra persona"  # entry n.º 5 rewritten, every later hash recomputed

    rewritten = _forge(bundle, tmp_path / "reescrito.zip", recode="0456789", journal_edit=rewrite)
    result = supervision.import_bundles(empty_db, [rewritten])[0]
    assert result.status == "rechazado"
    assert f"el asiento n.º {held} es distinto" in result.message and "La historia fue reescrita" in result.message
    # the changed entry (n.º 5) is somewhere up to the held head, and the committee's verify names it: never «n.º 0»
    assert f"algún asiento hasta el n.º {held} fue cambiado" in result.message and "verify --anchor" in result.message
    assert "n.º 0" not in result.message
    # the genuine closed bundle continues the open one: it replaces it
    assert supervision.import_bundles(empty_db, [bundle])[0].status == "reemplazado"


def read_entries(path) -> int:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))["journal"]["entries"]


def test_a_service_row_edited_before_the_export_is_refused_at_the_supervisor(copy, tmp_path):
    from qaliwarma.io.bundle import BundleRefused, read_bundle

    _sql(copy, "UPDATE service_records SET rations = rations + 40 WHERE id = (SELECT MIN(id) FROM service_records)",
         drop_triggers=False)
    from qaliwarma.errors import JournalError
    from qaliwarma.io.bundle import write_bundle

    db = open_database(f"sqlite:///{copy}")
    try:
        info = committee.current(db)
        with pytest.raises(JournalError):  # the application itself no longer exports it …
            export.export_month(db, info, MONTH, tmp_path / "refused.zip")
        assert not (tmp_path / "refused.zip").exists()
        # … and a package built from the edited table by other means (an older or altered program: the
        # application itself makes a closed month's bundle from the files its closing kept)
        manifest, files = export.build_bundle(db, info, MONTH)
        files.update(export.month_files(db, info, MONTH))
        out = write_bundle(tmp_path / "editado.zip", manifest, files)
    finally:
        db.dispose()
    assert out["bundle_code"]
    with pytest.raises(BundleRefused) as caught:  # … is refused by the supervisor
        read_bundle(tmp_path / "editado.zip")
    assert "servicios.csv fila" in caught.value.message and "columna raciones_servidas" in caught.value.message
    assert "pero el asiento n.º" in caught.value.message


def test_the_rendicion_presented_after_closing_is_not_taken_for_tampering(copy, capsys):
    from qaliwarma.services import treasury

    db = open_database(f"sqlite:///{copy}")
    try:
        treasury.set_cycle_state(db, committee.current(db).id, MONTH, "presentado", user="Yolanda Curi Ramos")
    finally:
        db.dispose()
    rc, out = _verify(copy, capsys)
    assert rc == 0, out


@pytest.mark.parametrize(("statement", "where", "what"), PROJECTION_EDITS[:1] + PROJECTION_EDITS[-2:-1],
                         ids=["expense-amount", "school-name"])
def test_an_edited_table_is_neither_exported_nor_printed(copy, tmp_path, capsys, statement, where, what):
    """The edit `verify` finds must not travel on: export and the monthly report refuse it, write nothing."""
    _sql(copy, statement, drop_triggers=False)
    bundle, pdf = tmp_path / "paquete.zip", tmp_path / "informe.pdf"
    rc = main(["--db", str(copy), "export", "--month", MONTH, "--out", str(bundle)])
    out = capsys.readouterr()
    assert rc != 0 and not bundle.exists()
    assert "no coinciden con su diario" in out.err and where in out.err
    rc = main(["--db", str(copy), "report", "monthly", "--month", MONTH, "--out", str(pdf)])
    out = capsys.readouterr()
    assert rc != 0 and not pdf.exists()
    assert "no coinciden con su diario" in out.err and "qaliwarma verify" in out.err


def test_the_untouched_month_is_still_exported_and_printed(copy, tmp_path, capsys):
    bundle, pdf = tmp_path / "paquete.zip", tmp_path / "informe.pdf"
    assert main(["--db", str(copy), "export", "--month", MONTH, "--out", str(bundle)]) == 0 and bundle.exists()
    assert main(["--db", str(copy), "report", "monthly", "--month", MONTH, "--out", str(pdf)]) == 0
    assert pdf.exists()



def test_a_finding_never_shows_python_none():
    """A value the journal entry lacks, or a cell left empty, is worded («no lo dice», «sin valor»):
    the tester saw «… pero el asiento n.º 50 dice None»."""
    from qaliwarma.services.integrity import _differ

    out = []
    _differ("service_records", "id 7", {"attendance": None, "leftovers": 3}, {"attendance": 30, "leftovers": None},
            out, 50)
    texts = [f.what for f in out]
    assert len(out) == 2 and not any("None" in t for t in texts), texts
    assert any("asistencia («attendance») dice 30" in t and "asiento n.º 50 no lo dice" in t for t in texts), texts
    assert any("sobras («leftovers») está sin valor" in t and "asiento n.º 50 dice 3" in t for t in texts), texts


def test_an_edited_entry_is_named_first_when_export_refuses(copy, tmp_path, capsys):
    """An expense's amount edited inside its journal entry: the refusal named a consequence («asiento n.º 101: el
    cierre … lleva el efectivo en caja…») and never the entry that was changed."""
    con = sqlite3.connect(copy)
    seq, payload = con.execute("SELECT seq, payload FROM journal_entries WHERE kind = 'tesoreria.gasto' "
                               "ORDER BY seq LIMIT 1").fetchone()
    con.close()
    edited = json.loads(payload)
    edited["amount"] = str(float(edited["amount"]) + 100)
    _sql(copy, f"UPDATE journal_entries SET payload = '{json.dumps(edited, ensure_ascii=False)}' WHERE seq = {seq}")
    bundle = tmp_path / "paquete.zip"
    rc = main(["--db", str(copy), "export", "--month", MONTH, "--out", str(bundle)])
    out = capsys.readouterr()
    assert rc != 0 and not bundle.exists()
    first = out.err.split("la primera:")[1]
    assert f"asiento n.º {seq}" in first.split(")")[0]  # the entry changed, not what follows from it


def test_the_treasury_balance_of_edited_records_says_they_do_not_match_the_journal(copy, capsys):
    """`treasury balance` printed an amount changed with sqlite3 as the month's spending, exit 0, without a word."""
    rc = main(["--db", str(copy), "treasury", "balance", "--month", MONTH, "--json"])
    before = json.loads(capsys.readouterr().out)
    assert rc == 0 and not any("no coinciden con su diario" in w for w in before["warnings"])
    _sql(copy, PROJECTION_EDITS[0][0], drop_triggers=False)
    rc = main(["--db", str(copy), "treasury", "balance", "--month", MONTH])
    out = capsys.readouterr().out
    assert rc == 0  # the figures are still shown (the contract), with what is wrong with them
    assert "Aviso: los registros del comité no coinciden con su diario" in out and "qaliwarma verify" in out


# --- The seal of a closed month: its menu and its school days are not journal entries, so the closing entry
# records them (domain.seal); each day changed afterwards with sqlite3 is named by `verify` and by the supervisor.

def _sealed_days(path) -> tuple[list[str], list[str]]:
    """November's sealed menu days and school days, read straight from the closing entry's payload."""
    con = sqlite3.connect(path)
    (payload,) = con.execute("SELECT payload FROM journal_entries WHERE kind = 'periodo.cierre' "
                             "AND entry_date = '2026-11-30'").fetchone()
    con.close()
    seal = json.loads(payload)["sello"]
    return sorted(seal["menu"]), seal["dias_de_clase"]


def test_the_closing_entry_seals_every_planned_day_and_every_school_day_of_the_month(closed):
    path, _, _ = closed
    con = sqlite3.connect(path)
    planned = sorted(d for (d,) in con.execute("SELECT DISTINCT day FROM menu_entries WHERE day LIKE '2026-11-%'"))
    con.close()
    menu_days, school_days = _sealed_days(path)
    assert planned and menu_days == planned
    # the weekdays of November 2026 (no national holiday falls on one), computed here without the calendar
    weekdays = [f"2026-11-{d:02d}" for d in range(1, 31) if date(2026, 11, d).weekday() < 5]
    assert school_days == weekdays


def test_a_closed_months_menu_changed_with_sqlite_is_named_day_by_day(copy, capsys):
    _sql(copy, "UPDATE menu_entries SET recipe_id = (SELECT recipe_id FROM menu_entries WHERE day = '2026-11-13' "
               "AND meal = 'desayuno' LIMIT 1) WHERE day = '2026-11-12' AND meal = 'desayuno'",
         "DELETE FROM menu_entries WHERE day = '2026-11-19' AND meal = 'almuerzo'", drop_triggers=False)
    rc, out = _verify(copy, capsys)
    assert rc == 1, out
    assert "Menú de un mes cerrado" in out
    assert "el menú planificado de 12/11 y 19/11 ya no es el que se cerró con el mes (asiento de cierre n.º" in out


def test_a_closed_months_school_days_changed_later_change_neither_its_bundle_nor_its_report(copy, closed, tmp_path,
                                                                                             capsys):
    """A saved calendar that ends the school year on Friday 20 November, written after November closed (with
    sqlite3 here; a later update of the national holidays does the same): November keeps the school days it closed
    with in its bundle, and its report is not printed again with others. verify does not call it a change made
    outside the program: an update of the holidays would otherwise have refused every export and report."""
    from qaliwarma.errors import PeriodClosed
    from qaliwarma.printing import monthly_report
    from qaliwarma.services import calendar

    _, bundle, code = closed
    _sql(copy, "INSERT INTO school_years (committee_id, year, start, \"end\") VALUES (1, 2026, '2026-03-16', "
               "'2026-11-20')", drop_triggers=False)
    rc, out = _verify(copy, capsys)
    assert rc == 0, out
    db = open_database(f"sqlite:///{copy}")
    try:
        info = committee.current(db)
        assert calendar.school_days(db, info.id, date(2026, 11, 23), date(2026, 11, 30)) == []  # the data now
        assert export.verification_code(export.month_code(db, info, MONTH)) == code
        export.export_month(db, info, MONTH, tmp_path / "otra-vez.zip")
        assert _zip_files(tmp_path / "otra-vez.zip") == _zip_files(bundle)
        with pytest.raises(PeriodClosed, match=r"cambiaron los días de clases"):
            monthly_report(db, info, MONTH, tmp_path / "informe.pdf")
    finally:
        db.dispose()


def test_a_package_built_from_a_changed_closed_menu_is_flagged_by_the_supervisor(copy, closed, tmp_path):
    from qaliwarma.io.bundle import read_bundle, write_bundle
    from qaliwarma.services.month_review import review_bundle

    _sql(copy, "UPDATE menu_entries SET recipe_id = (SELECT recipe_id FROM menu_entries WHERE day = '2026-11-13' "
               "AND meal = 'desayuno' LIMIT 1) WHERE day = '2026-11-12' AND meal = 'desayuno'", drop_triggers=False)
    db = open_database(f"sqlite:///{copy}")
    try:  # a package built by other means than the application's export, which refuses it (and makes a closed
        # month's bundle from the files its closing kept): from the tables as they are
        manifest, files = export.build_bundle(db, committee.current(db), MONTH)
        files.update(export.month_files(db, committee.current(db), MONTH))
        write_bundle(tmp_path / "menu-cambiado.zip", manifest, files)
    finally:
        db.dispose()
    flags = {f.code: f for f in review_bundle(read_bundle(tmp_path / "menu-cambiado.zip")).flags}
    assert flags["menu_tras_cierre"].facts["days"] == ["2026-11-12"]
    assert flags["menu_tras_cierre"].severity == "no_cuadra"
    # and its files are not those its closing kept (their SHA-256 is in the closing entry)
    assert flags["archivos_tras_cierre"].facts["files"] == "cumplimiento.json, plan.csv"
    # the package exported when the month closed carries no such flag
    untouched = {f.code for f in review_bundle(read_bundle(closed[1])).flags}
    assert not untouched & {"menu_tras_cierre", "dias_de_clase_tras_cierre", "archivos_tras_cierre"}


def test_saving_a_calendar_that_changes_a_closed_months_school_days_is_refused_whole(copy, capsys):
    from dataclasses import replace

    from qaliwarma.errors import InvalidInput
    from qaliwarma.services import calendar

    db = open_database(f"sqlite:///{copy}")
    try:
        info = committee.current(db)
        official = calendar.official_calendar(2026)
        with pytest.raises(InvalidInput) as caught:  # the school year ending on 20 November
            calendar.save_calendar(db, info.id, replace(official, end=date(2026, 11, 20)))
        text = str(caught.value) + " ".join(str(p) for p in caught.value.problems)
        assert "meses ya cerrados" in text and "noviembre" in text.lower()
        assert "dejarían de ser días de clases: 23/11, 24/11, 25/11, 26/11, 27/11, 30/11" in text
        assert len(calendar.school_days(db, info.id, date(2026, 11, 1), date(2026, 11, 30))) == 21  # unchanged
        # December is open: a calendar that changes only December is saved
        calendar.save_calendar(db, info.id, replace(official, end=date(2026, 12, 11)))
        assert calendar.school_days(db, info.id, date(2026, 12, 1), date(2026, 12, 31))[-1] == date(2026, 12, 11)
    finally:
        db.dispose()
    rc, out = _verify(copy, capsys)
    assert rc == 0, out


def test_changing_an_overlapping_plan_cannot_change_the_menu_a_closed_month_shows(template_sqlite, tmp_path, capsys):
    """Where plans overlap, a day shows the most recently changed plan's meal: changing in December a plan that
    also has November meals would have made closed November show them (its report and code changed)."""
    from qaliwarma.domain.menus import PlanEntry
    from qaliwarma.errors import InvalidInput
    from qaliwarma.services import planning

    path = tmp_path / "planes.sqlite3"
    db, info = _demo_at(template_sqlite, path)
    try:
        (november,) = planning.list_plans(db, info.id)
        cells = {(e.day, e.meal, e.level): e.recipe_id for e in planning.get_plan(db, november.id).entries}
        day, other_day = date(2026, 11, 12), date(2026, 11, 13)
        shown = cells[(day, "desayuno", "primaria")]
        other = next(r for (d, m, lv), r in sorted(cells.items()) if m == "desayuno" and lv == "primaria" and r != shown)
        both = planning.create_plan(db, info, "Noviembre y diciembre", date(2026, 11, 1), date(2026, 12, 31), [
            PlanEntry(day, "desayuno", "primaria", other), PlanEntry(date(2026, 12, 1), "desayuno", "primaria", other)])
        # November's own plan changed last: it is what November shows, and what its closing seals
        planning.assign(db, info, november.id, other_day, "desayuno", "primaria", cells[(other_day, "desayuno", "primaria")])
        periods.close(db, info.id, MONTH, user="Rosa", today=date(2026, 12, 1))
        code = export.month_code(db, info, MONTH)
        with pytest.raises(InvalidInput, match="noviembre de 2026, mes ya cerrado"):
            planning.assign(db, info, both.id, date(2026, 12, 2), "desayuno", "primaria", other)
        assert (date(2026, 12, 2), "desayuno", "primaria") not in {
            (e.day, e.meal, e.level) for e in planning.get_plan(db, both.id).entries}  # nothing changed
        assert export.month_code(db, info, MONTH) == code
    finally:
        db.dispose()
    rc, out = _verify(path, capsys)
    assert rc == 0, out


def test_a_calendar_adjustment_dated_in_an_open_month_cannot_change_a_closed_months_school_days(copy, capsys):
    """«inicio» on 1 December, dated in open December, was accepted and took every school day of closed November;
    verify then called it a change made outside the program, and November could no longer be exported."""
    from qaliwarma.errors import InvalidInput
    from qaliwarma.services import calendar

    db = open_database(f"sqlite:///{copy}")
    try:
        info = committee.current(db)
        with pytest.raises(InvalidInput) as caught:
            calendar.add_adjustment(db, info.id, "inicio", date(2026, 12, 1), name="Inicio regional",
                                    source="RD 1", user="Rosa")
        text = str(caught.value)
        assert "No se registró el ajuste" in text and "noviembre de 2026" in text.lower()
        assert "dejarían de ser días de clases: 02/11, 03/11" in text
        assert calendar.adjustments_of(db, info.id) == []  # nothing recorded
        # an adjustment of December alone is still recorded
        calendar.add_adjustment(db, info.id, "sin_clases", date(2026, 12, 7), name="Aniversario del distrito",
                                source="Ordenanza municipal 012-2026", user="Rosa")
    finally:
        db.dispose()
    rc, out = _verify(copy, capsys)
    assert rc == 0, out


def test_undoing_an_adjustment_cannot_change_a_closed_months_school_days(template_sqlite, tmp_path, capsys):
    """An adjustment dated in an open month can still reach back: a school year started on 1 December took
    November's school days when November closed; undoing it would give them back to closed November."""
    from qaliwarma.errors import InvalidInput, PeriodClosed
    from qaliwarma.services import calendar

    path = tmp_path / "ajuste.sqlite3"
    db, info = _demo_at(template_sqlite, path)
    try:
        late_start = calendar.add_adjustment(db, info.id, "inicio", date(2026, 12, 1), name="Inicio regional",
                                             source="RD 1", user="Rosa")
        strike = calendar.add_adjustment(db, info.id, "sin_clases", date(2026, 11, 30), name="Paro regional",
                                         source="Acuerdo de la UGEL", user="Rosa")
        periods.close(db, info.id, MONTH, user="Rosa", today=date(2026, 12, 1))
        with pytest.raises(InvalidInput, match="pasarían a ser días de clases: 02/11, 03/11"):
            calendar.undo_adjustment(db, info.id, late_start.seq, reason="era otro año", user="Rosa")
        with pytest.raises(PeriodClosed):  # dated in closed November: the journal itself refuses its undoing
            calendar.undo_adjustment(db, info.id, strike.seq, reason="era otro día", user="Rosa")
        assert [a.active for a in calendar.adjustments_of(db, info.id)] == [True, True]
    finally:
        db.dispose()
    rc, out = _verify(path, capsys)
    assert rc == 0, out


def _december_expense(path) -> None:
    from decimal import Decimal

    from qaliwarma.domain.treasury import Expense
    from qaliwarma.services import treasury

    db = open_database(f"sqlite:///{path}")
    try:
        info = committee.current(db)
        treasury.record_expenses(db, info.id, [Expense(date(2026, 12, 2), "gas", "boleta", "B009-77", "20604512370",
                                                       "Gas SAC", "Balón de gas", Decimal("45.00"))], user="Rosa")
    finally:
        db.dispose()


def test_the_balance_of_a_month_after_a_closing_checks_what_it_rests_on(copy, capsys, monkeypatch):
    """December's balance carries November's closing forward and sums December: `treasury balance` checks that
    closing entry and what came after it (not the whole history, which made it grow with every year)."""
    monkeypatch.setenv("QALIWARMA_TODAY", "2026-12-05")
    _december_expense(copy)
    rc = main(["--db", str(copy), "treasury", "balance", "--month", "2026-12", "--json"])
    clean = json.loads(capsys.readouterr().out)
    assert rc == 0 and not any("no coinciden con su diario" in w for w in clean["warnings"])
    assert clean["spent"] == "45.00"
    edited = copy.with_name("editada.sqlite3")
    shutil.copy(copy, edited)
    _sql(edited, "UPDATE treasury_expenses SET amount = 4.50 WHERE doc_number = 'B009-77'", drop_triggers=False)
    main(["--db", str(edited), "treasury", "balance", "--month", "2026-12", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["spent"] == "4.50"  # the figure shown is the table's …
    assert any("no coinciden con su diario" in w and "treasury_expenses" in w for w in doc["warnings"])  # … and said
    # November's closing entry carries the money forward: its figures changed (not rehashed) are found too
    _sql(copy, "UPDATE journal_entries SET payload = replace(payload, '\"treasury\"', '\"tesoro\"') "
               "WHERE kind = 'periodo.cierre' AND entry_date = '2026-11-30'")
    main(["--db", str(copy), "treasury", "balance", "--month", "2026-12", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert any("no coinciden con su diario" in w and "modificado" in w for w in doc["warnings"]), doc["warnings"]


def test_the_balance_after_a_closing_reads_the_journal_from_that_closing_only(copy, capsys, monkeypatch):
    """Issue 17: the balance of a month after a closing must not grow with the history before it. Its check hashes
    the entries from November's closing on, not the 80-odd before it."""
    from qaliwarma.persistence import journal

    monkeypatch.setenv("QALIWARMA_TODAY", "2026-12-05")
    _december_expense(copy)
    con = sqlite3.connect(copy)
    (closing,), (head,) = (con.execute("SELECT seq FROM journal_entries WHERE kind = 'periodo.cierre'").fetchone(),
                           con.execute("SELECT MAX(seq) FROM journal_entries").fetchone())
    con.close()
    fed: list[int] = []
    feed = journal.ChainVerifier.feed
    monkeypatch.setattr(journal.ChainVerifier, "feed", lambda self, row: fed.append(int(row["seq"])) or feed(self, row))
    assert main(["--db", str(copy), "treasury", "balance", "--month", "2026-12"]) == 0
    capsys.readouterr()
    assert fed == list(range(closing, head + 1))


# --- A closed month's files are kept at its closing: its bundle and code never change afterwards

def _zip_files(path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}


def test_a_closed_months_bundle_and_code_stay_when_its_reference_data_changes(copy, closed, tmp_path, capsys):
    """An update of the shipped preparations (here: the doses of a breakfast planned in November doubled) changed
    closed November's compliance, its bundle and the code printed on its signed report, and verify said nothing."""
    from qaliwarma.errors import PeriodClosed
    from qaliwarma.printing import monthly_report

    _, bundle, code = closed
    _sql(copy, "UPDATE ingredient_doses SET grams = grams * 2 WHERE ingredient_id IN (SELECT id FROM "
               "recipe_ingredients WHERE recipe_id = (SELECT recipe_id FROM menu_entries WHERE day = '2026-11-12' "
               "AND meal = 'desayuno' LIMIT 1))", drop_triggers=False)
    db = open_database(f"sqlite:///{copy}")
    try:
        info = committee.current(db)
        assert export.verification_code(export.month_code(db, info, MONTH)) == code
        export.export_month(db, info, MONTH, tmp_path / "otra-vez.zip")
        assert _zip_files(tmp_path / "otra-vez.zip") == _zip_files(bundle)  # the very files sent at closing
        # a report printed now would show the new doses under the code of the one signed: refused, saying why
        with pytest.raises(PeriodClosed) as refused:
            monthly_report(db, info, MONTH, tmp_path / "informe.pdf")
        assert "cambiaron el cumplimiento nutricional del menú" in str(refused.value)
        assert "noviembre de 2026" in str(refused.value) and ".json" not in str(refused.value)
        assert not (tmp_path / "informe.pdf").exists()
    finally:
        db.dispose()


def test_a_kept_file_of_a_closed_month_changed_with_sqlite_is_named(copy, tmp_path, capsys):
    from qaliwarma.errors import JournalError

    _sql(copy, "UPDATE closed_month_files SET content = CAST('fecha,comida' AS BLOB) WHERE name = 'plan.csv'",
         drop_triggers=False)
    rc, out = _verify(copy, capsys)
    assert rc == 1, out
    assert ("Archivo guardado al cerrar el mes — closed_month_files 2026-11: plan.csv ya no es el que guardó el "
            "asiento de cierre n.º") in out
    db = open_database(f"sqlite:///{copy}")
    try:
        with pytest.raises(JournalError):
            export.export_month(db, committee.current(db), MONTH, tmp_path / "no.zip")
    finally:
        db.dispose()


def test_an_incident_of_a_closed_month_can_still_be_noted_as_reported(copy, closed, tmp_path):
    """Incidents are often reported days later. One of November, reported after November closed, could not be noted
    («El mes 2026-11 está cerrado: no acepta registros»), and Inicio kept asking for it."""
    from qaliwarma.errors import PeriodClosed
    from qaliwarma.printing import monthly_report
    from qaliwarma.services import incidents
    from qaliwarma.services.store_views import attention

    _, _bundle, code = closed
    db = open_database(f"sqlite:///{copy}")
    try:
        info = committee.current(db)
        (pending,) = [r for r in incidents.list_incidents(db, info.id) if not r.incident.reported_to_programme]
        assert pending.incident.day.month == 11
        noted = incidents.mark_reported(db, info.id, pending.seq, "UT Huancavelica, reporte 2026-402", user="Rosa",
                                        today=date(2026, 12, 3))
        now = {r.seq: r.incident for r in incidents.list_incidents(db, info.id)}[pending.seq]
        assert (now.reported_to_programme, now.programme_reference) == (True, "UT Huancavelica, reporte 2026-402")
        assert not [a for a in attention(db, info, date(2026, 12, 3)) if a.area == "incidencias"]
        assert export.verification_code(export.month_code(db, info, MONTH)) == code  # November as it closed
        with pytest.raises(PeriodClosed) as refused:  # its report would now say «reportada»: not the one signed
            monthly_report(db, info, MONTH, tmp_path / "informe.pdf")
        assert f"después se anularon o corrigieron registros suyos (n.º {noted} del diario)" in str(refused.value)
        assert "que cambian las incidencias." in str(refused.value)
        assert "tabla de alimentos" not in str(refused.value)
    finally:
        db.dispose()


def test_a_closed_months_service_annulled_later_is_named_when_its_report_is_refused(copy, tmp_path):
    """A November service annulled in December (a correction goes into an open month) changes what November's data
    say: its report is not printed again, and the refusal names the correction, not a food table or an update."""
    from qaliwarma.errors import PeriodClosed
    from qaliwarma.printing import monthly_report
    from qaliwarma.services import corrections, serving

    db = open_database(f"sqlite:///{copy}")
    try:
        info = committee.current(db)
        service = serving.services_in(db, info.id, date(2026, 11, 1), date(2026, 11, 30))[0]
        seq = corrections.reverse(db, info.id, service.journal_seq, user="Rosa", reason="se anotó dos veces",
                                  day=date(2026, 12, 5))
        with pytest.raises(PeriodClosed) as refused:
            monthly_report(db, info, MONTH, tmp_path / "informe.pdf")
        text = str(refused.value)
        assert f"se anularon o corrigieron registros suyos (n.º {seq} del diario)" in text
        assert "que cambian el rendimiento de los alimentos y las raciones servidas." in text
        assert "tabla de alimentos" not in text
    finally:
        db.dispose()
