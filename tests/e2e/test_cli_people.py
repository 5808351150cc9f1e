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
    assert "Marcelina Taipe Soto (vocal) no puede registrar el cambio de comité" in refused.stderr
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
