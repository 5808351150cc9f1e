"""`qaliwarma backup`, `restore`, `member`, `handover` (issue 13) on the demo database (PIN 1234)."""

from __future__ import annotations

import hashlib
import sqlite3

from .conftest import run

PRESIDENT, VOCAL, TREASURER = "41234567", "43456789", "45678901"


def _as(dni: str, pin: str = "1234"):
    return {"QALIWARMA_MEMBER": dni, "QALIWARMA_PIN": pin}


def _run_as(dni, *args, db, pin="1234", check_json=False):
    return run(*args, db=db, check_json=check_json, env=_as(dni, pin))


def _report_code(db, tmp_path, name):
    r = run("report", "monthly", "--month", "2026-11", "--out", str(tmp_path / name), db=db)
    assert r.returncode == 0, r.stderr
    return next(line for line in r.stdout.splitlines() if "Código de verificación" in line)


def test_a_backup_restored_on_a_fresh_folder_gives_the_same_verify_and_report_code(dbfile, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    made = _run_as(VOCAL, "backup", "--out", str(usb), "--json", db=dbfile, check_json=True)
    assert made.returncode == 0, made.stderr
    assert made.doc["committees"][0]["codigo_modular"] == "0456789"
    verified = run("verify", "--json", db=dbfile, check_json=True)
    code = _report_code(dbfile, tmp_path, "antes.pdf")

    fresh = tmp_path / "otra-computadora" / "qaliwarma.sqlite3"
    restored = run("restore", made.doc["file"], db=fresh)
    assert restored.returncode == 0, restored.stderr
    assert "0456789" in restored.stdout and "restaurada" in restored.stdout
    assert run("verify", "--json", db=fresh, check_json=True).doc == verified.doc
    assert _report_code(fresh, tmp_path, "despues.pdf") == code
    assert oct(fresh.stat().st_mode & 0o777) == "0o600"


def test_a_damaged_backup_is_refused_and_nothing_changes(dbfile, tmp_path):
    made = _run_as(PRESIDENT, "backup", "--out", str(tmp_path), "--json", db=dbfile, check_json=True)
    data = bytearray(open(made.doc["file"], "rb").read())
    data[len(data) // 2] ^= 0xFF
    bad = tmp_path / "dañada.qwcopia"
    bad.write_bytes(bytes(data))
    before = hashlib.sha256(dbfile.read_bytes()).hexdigest()
    refused = _run_as(PRESIDENT, "restore", str(bad), db=dbfile)
    assert refused.returncode == 2 and "dañada" in refused.stderr
    assert hashlib.sha256(dbfile.read_bytes()).hexdigest() == before
    assert not list(dbfile.parent.glob("*antes-de-restaurar*"))


def test_only_the_president_restores_over_existing_data(dbfile, tmp_path):
    made = _run_as(PRESIDENT, "backup", "--out", str(tmp_path), "--json", db=dbfile, check_json=True)
    refused = _run_as(TREASURER, "restore", made.doc["file"], db=dbfile)
    assert refused.returncode == 2 and "presidente(a) (Rosa Quispe Huamán)" in refused.stderr
    wrong = _run_as(PRESIDENT, "restore", made.doc["file"], db=dbfile, pin="9999")
    assert wrong.returncode == 2 and "PIN equivocado" in wrong.stderr
    done = _run_as(PRESIDENT, "restore", made.doc["file"], db=dbfile)
    assert done.returncode == 0 and "quedaron aparte" in done.stdout


def test_handover_refused_to_a_vocal_then_recorded_and_the_acta_printed(dbfile, tmp_path):
    joins = "Ana Pari Quispe;47890123;tesorero;padre_madre;2468"
    refused = _run_as(VOCAL, "handover", "record", "--date", "01/12/2026", "--leaves", TREASURER, "--joins", joins,
                      db=dbfile)
    assert refused.returncode == 2
    assert "Marcelina Taipe Soto, vocal, no puede registrar el cambio de comité" in refused.stderr
    assert "presidente(a) (Rosa Quispe Huamán)" in refused.stderr
    done = _run_as(PRESIDENT, "handover", "record", "--date", "01/12/2026", "--leaves", TREASURER, "--joins", joins,
                   "--json", db=dbfile, check_json=True)
    assert done.returncode == 0, done.stderr
    assert [p["name"] for p in done.doc["outgoing"]] == ["Yolanda Curi Ramos"]
    history = run("member", "history", "--json", db=dbfile, check_json=True).doc
    assert {(m["dni"], m["end"]) for m in history if m["dni"] in (TREASURER, "47890123")} == {
        (TREASURER, "2026-11-30"), ("47890123", None)}
    out = tmp_path / "acta.pdf"
    acta = run("handover", "acta", "--out", str(out), "--date", "01/12/2026", db=dbfile)
    assert acta.returncode == 0 and out.read_bytes().startswith(b"%PDF")
    with sqlite3.connect(dbfile) as conn:
        user = conn.execute("SELECT user FROM journal_entries WHERE kind='comite.entrega'").fetchone()[0]
    assert user == "Rosa Quispe Huamán (DNI 41234567)"


# ------------------------------------------------------------------ sign-in required, roles refusing
def _entries(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT seq, kind, user FROM journal_entries ORDER BY seq").fetchall()


def test_a_member_without_the_treasurer_role_is_refused_a_transfer(dbfile):
    before = _entries(dbfile)
    refused = _run_as(VOCAL, "treasury", "transfer", "--date", "20/11/2026", "--amount", "100.00", db=dbfile)
    assert refused.returncode == 2
    assert "Marcelina Taipe Soto, vocal, no puede registrar dinero" in refused.stderr
    assert "Puede hacerlo: tesorero(a) (Yolanda Curi Ramos)" in refused.stderr
    assert _entries(dbfile) == before
    done = _run_as(TREASURER, "treasury", "transfer", "--date", "20/11/2026", "--amount", "100.00", db=dbfile)
    assert done.returncode == 0, done.stderr
    assert _entries(dbfile)[-1][1:] == ("tesoreria.transferencia", "Yolanda Curi Ramos (DNI 45678901)")


def test_recording_needs_a_signed_in_member_with_the_right_pin(dbfile):
    before = _entries(dbfile)
    nobody = run("treasury", "withdraw", "--date", "20/11/2026", "--amount", "10", db=dbfile,
                 env={"QALIWARMA_MEMBER": ""})
    assert nobody.returncode == 2 and "--member DNI" in nobody.stderr
    wrong = _run_as(TREASURER, "treasury", "withdraw", "--date", "20/11/2026", "--amount", "10", db=dbfile,
                    pin="0000")
    assert wrong.returncode == 2 and "PIN equivocado. Le quedan 4 intento(s)" in wrong.stderr
    stranger = _run_as("12345678", "treasury", "withdraw", "--date", "20/11/2026", "--amount", "10", db=dbfile)
    assert stranger.returncode == 2 and "no es de un integrante" in stranger.stderr
    assert _entries(dbfile) == before
    # --member on the command line, --user no longer decides the name recorded
    done = run("--member", TREASURER, "treasury", "withdraw", "--date", "20/11/2026", "--amount", "10",
               "--user", "Otra Persona", db=dbfile, env={"QALIWARMA_MEMBER": ""})
    assert done.returncode == 0, done.stderr
    assert "--user ya no se usa" in done.stderr
    assert _entries(dbfile)[-1][2] == "Yolanda Curi Ramos (DNI 45678901)"


def test_the_committee_cannot_type_the_supervisors_approval(dbfile):
    assert _run_as(TREASURER, "treasury", "state", "--month", "2026-11", "presentado", db=dbfile).returncode == 0
    for who in (TREASURER, PRESIDENT):
        r = _run_as(who, "treasury", "state", "--month", "2026-11", "aprobado", db=dbfile)
        assert r.returncode == 2 and "la da el supervisor" in r.stderr


def test_every_journal_entry_names_a_member(dbfile, tmp_path):
    from qaliwarma.services.setup import demo_form

    assert _run_as(TREASURER, "treasury", "transfer", "--date", "21/11/2026", "--amount", "50", db=dbfile).returncode == 0
    assert run("period", "close", "2026-11", "--early", "--reason", "Cambio de directiva", db=dbfile).returncode == 0
    names = {f"{m.name} (DNI {m.dni})" for m in demo_form().members}
    entries = _entries(dbfile)
    assert len(entries) > 80 and {user for _seq, _kind, user in entries} <= names
    assert entries[-1][1:] == ("periodo.cierre", "Rosa Quispe Huamán (DNI 41234567)")


def test_the_supervisors_answer_is_written_by_the_supervisor_and_imported_by_the_committee(dbfile, tmp_path):
    import json

    assert _run_as(TREASURER, "treasury", "state", "--month", "2026-11", "presentado", db=dbfile).returncode == 0
    bundle = tmp_path / "noviembre.zip"
    exported = run("export", "--month", "2026-11", "--out", str(bundle), "--json", db=dbfile, check_json=True)
    assert exported.returncode == 0, exported.stderr
    supdb = tmp_path / "supervisor.sqlite3"
    assert run("supervise", "import", str(bundle), db=supdb).returncode == 0
    answer = tmp_path / "respuesta.json"
    written = run("answer", "write", "--bundle", exported.doc["bundle_code"][:12], "observado", "--observations",
                  "Falta la boleta del gas", "--supervisor", "Ana Torres Quispe", "--out", str(answer), db=supdb)
    assert written.returncode == 0, written.stderr

    tampered = tmp_path / "alterada.json"
    doc = json.loads(answer.read_text(encoding="utf-8"))
    tampered.write_text(json.dumps({**doc, "state": "aprobado", "observations": ""}), encoding="utf-8")
    refused = _run_as(TREASURER, "answer", "import", str(tampered), db=dbfile)
    assert refused.returncode == 2 and "modificada" in refused.stderr

    done = _run_as(TREASURER, "answer", "import", str(answer), db=dbfile)
    assert done.returncode == 0, done.stderr
    balance = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    assert balance["state"] == "observado"
    last = _entries(dbfile)[-1]
    assert last[1] == "tesoreria.estado"
    assert last[2] == ("Ana Torres Quispe (supervisor), respuesta importada por Yolanda Curi Ramos "
                       "(DNI 45678901)")
