"""Correcting the código modular (issue 14): a journaled correction with its reason, made by the president,
that leaves the journal's chain verifying (its identity is the code the committee registered with), shows
the new code everywhere, travels to the supervisor in the bundle with its history, and that `verify`
tells apart from an edit made behind the application's back. An old database (chains hashed with the
código modular before the chain had its own identity) upgrades and still verifies, before and after a
correction."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile

from .conftest import run

PRESIDENT, TREASURER = "41234567", "45678901"
OLD, NEW = "0456789", "0456798"
REASON = "Se registró con dos dígitos cambiados; el padrón de MINEDU dice 0456798"


def _as(dni: str) -> dict[str, str]:
    return {"QALIWARMA_MEMBER": dni, "QALIWARMA_PIN": "1234"}


def _entries(db) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT count(*) FROM journal_entries").fetchone()[0]


def _correct(db, code=NEW, reason=REASON, who=PRESIDENT):
    return run("committee", "code", "--new", code, "--reason", reason, db=db, env=_as(who))


def test_the_president_corrects_the_code_with_a_reason_and_verify_passes(dbfile, tmp_path):
    before = _entries(dbfile)
    done = _correct(dbfile)
    assert done.returncode == 0, done.stderr
    assert f"{OLD} → {NEW}" in done.stdout

    verified = run("verify", "--json", db=dbfile, check_json=True)
    assert verified.returncode == 0, verified.stdout
    assert verified.doc[0]["committee"] == NEW and verified.doc[0]["entries"] == before + 1
    assert verified.doc[0]["findings"] == []

    shown = run("committee", "show", "--json", db=dbfile, check_json=True).doc
    assert (shown["codigo_modular"], shown["chain_id"]) == (NEW, OLD)
    [correction] = shown["code_history"]
    assert (correction["from"], correction["to"], correction["reason"]) == (OLD, NEW, REASON)
    assert "Rosa Quispe Huamán" in correction["user"] and PRESIDENT in correction["user"]

    history = run("committee", "history", db=dbfile)
    line = next(x for x in history.stdout.splitlines() if "corregido" in x)
    assert f"{OLD} → {NEW}" in line and REASON in line and "Rosa Quispe Huamán" in line
    assert f"n.º {before + 1}" in line

    # the new code everywhere: the committee is selected by it, the bundle and its verification carry it
    assert run("committee", "show", db=dbfile, env={"QALIWARMA_MEMBER": ""}).returncode == 0
    assert run("--committee", NEW, "committee", "show", db=dbfile).returncode == 0
    gone = run("--committee", OLD, "committee", "show", db=dbfile)
    assert gone.returncode != 0 and f"El código modular {OLD} se corrigió a {NEW}" in gone.stderr
    bundle = tmp_path / "nov.zip"
    assert run("export", "--month", "2026-11", "--out", str(bundle), db=dbfile).returncode == 0
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        facts = json.loads(zf.read("periodo.json"))
    for doc in (manifest, facts):
        school = doc["committee"]
        assert (school["codigo_modular"], school["chain_id"]) == (NEW, OLD)
        assert [(c["from"], c["to"], c["reason"]) for c in school["code_history"]] == [(OLD, NEW, REASON)]
    checked = run("verify", str(bundle), db=dbfile)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"({NEW})" in checked.stdout


def test_a_correction_is_refused_without_a_reason_by_a_non_president_or_to_a_wrong_code(dbfile):
    before = _entries(dbfile)
    empty = _correct(dbfile, reason="   ")
    assert empty.returncode == 2 and "Motivo" in empty.stderr and "escriba por qué" in empty.stderr
    short = _correct(dbfile, code="045679")
    assert short.returncode == 2 and "6 dígitos; debe tener 7" in short.stderr
    same = _correct(dbfile, code=OLD)
    assert same.returncode == 2 and f"ya es {OLD}" in same.stderr
    treasurer = _correct(dbfile, who=TREASURER)
    assert treasurer.returncode != 0 and "presidente" in treasurer.stderr
    assert _entries(dbfile) == before  # nothing written
    assert run("committee", "show", "--json", db=dbfile, check_json=True).doc["codigo_modular"] == OLD


def test_the_code_edited_behind_the_applications_back_is_found_by_verify(dbfile):
    assert _correct(dbfile).returncode == 0
    with sqlite3.connect(dbfile) as con:
        con.execute("UPDATE committees SET codigo_modular = '0456700'")
    found = run("verify", db=dbfile)
    assert found.returncode == 1
    assert "código modular («codigo_modular») dice 0456700" in found.stdout and f"dice {NEW}" in found.stdout

    # the chain's identity changed too, as if the code had always been the new one: entry 1 says otherwise
    with sqlite3.connect(dbfile) as con:
        con.execute("UPDATE committees SET codigo_modular = ?, chain_id = ?", (NEW, NEW))
    found = run("verify", db=dbfile)
    assert found.returncode == 1
    assert "asiento n.º 1" in found.stdout and f"identidad de la cadena («chain_id») dice {NEW}" in found.stdout


def test_a_code_edited_without_a_correction_is_found_even_before_any_correction(dbfile):
    with sqlite3.connect(dbfile) as con:
        con.execute("UPDATE committees SET codigo_modular = ?", (NEW,))
    found = run("verify", db=dbfile)
    assert found.returncode == 1 and f"código modular («codigo_modular») dice {NEW}, pero el asiento n.º 1 dice {OLD}" in found.stdout


def _old_algorithm_hashes(db) -> tuple[list[str], list[str]]:
    """Each entry's hash as the version before the chain's identity computed it (the código modular in
    every hash), next to the stored hash."""
    with sqlite3.connect(db) as con:
        code = con.execute("SELECT codigo_modular FROM committees").fetchone()[0]
        rows = con.execute("SELECT seq, kind, entry_date, payload, corrects_seq, correction_type, reason, user, "
                           "recorded_at, prev_hash, hash FROM journal_entries ORDER BY seq").fetchall()
    mine, stored = [], []
    for seq, kind, day, payload, cseq, ctype, reason, user, rec, prev, digest in rows:
        fields = {"committee": code, "seq": seq, "kind": kind, "entry_date": day, "payload": payload,
                  "corrects_seq": cseq, "correction_type": ctype, "reason": reason, "user": user,
                  "recorded_at": rec}
        text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        mine.append(hashlib.sha256((prev + "\n" + text).encode("utf-8")).hexdigest())
        stored.append(digest)
    return mine, stored


def test_an_old_database_upgrades_and_still_verifies_before_and_after_a_correction(dbfile, tmp_path):
    from alembic import command
    from sqlalchemy import create_engine

    from qaliwarma.persistence.engine import alembic_config
    from qaliwarma.persistence.schema_version import HEAD_REVISION

    engine = create_engine(f"sqlite:///{dbfile}")
    command.downgrade(alembic_config(engine), "0009_amazonian_schools")
    engine.dispose()
    with sqlite3.connect(dbfile) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0009_amazonian_schools"
        assert "chain_id" not in {c[1] for c in con.execute("PRAGMA table_info(committees)")}
    mine, stored = _old_algorithm_hashes(dbfile)
    assert mine == stored  # the file is what the earlier version wrote: every hash covers the código modular

    verified = run("verify", db=dbfile)  # opening the file upgrades it
    assert verified.returncode == 0, verified.stdout
    with sqlite3.connect(dbfile) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
        assert con.execute("SELECT chain_id, codigo_modular FROM committees").fetchone() == (OLD, OLD)
    assert _old_algorithm_hashes(dbfile)[1] == stored  # not one hash rewritten

    assert _correct(dbfile).returncode == 0
    after = run("verify", db=dbfile)
    assert after.returncode == 0, after.stdout
    assert f"Comité {NEW}: Diario íntegro: {len(stored) + 1} asientos verificados" in after.stdout


def _reseal(bundle, out, edit) -> None:
    """The bundle with its manifest and periodo.json edited alike, every file hash and the bundle code
    recomputed (what a forger with the application's source would do); the journal is untouched."""
    from qaliwarma.io.bundle import _canonical_zip, bundle_code, sha256

    with zipfile.ZipFile(bundle) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    facts = json.loads(members["periodo.json"])
    edit(manifest["committee"])
    edit(facts["committee"])
    members["periodo.json"] = json.dumps(facts, ensure_ascii=False, sort_keys=True).encode()
    manifest["files"] = {n: sha256(d) for n, d in members.items()}
    manifest["bundle_code"] = bundle_code(manifest["journal"]["head"], manifest["files"])
    head = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    out.write_bytes(_canonical_zip([("manifest.json", head)] + list(members.items())))


def test_a_bundle_whose_code_or_history_disagrees_with_its_journal_is_refused(dbfile, tmp_path):
    assert _correct(dbfile).returncode == 0
    bundle = tmp_path / "nov.zip"
    assert run("export", "--month", "2026-11", "--out", str(bundle), db=dbfile).returncode == 0

    other_code = tmp_path / "otro-codigo.zip"
    _reseal(bundle, other_code, lambda c: c.update(codigo_modular="0456700"))
    refused = run("verify", str(other_code), db=dbfile)
    assert refused.returncode != 0
    assert "el código modular es 0456700" in refused.stdout + refused.stderr and NEW in refused.stdout + refused.stderr

    hidden = tmp_path / "sin-historial.zip"  # the correction removed from the history, the code left as is
    _reseal(bundle, hidden, lambda c: c.update(code_history=[]))
    refused = run("verify", str(hidden), db=dbfile)
    assert refused.returncode != 0 and "historial del código modular" in refused.stdout + refused.stderr

    reworded = tmp_path / "otro-motivo.zip"  # the reason rewritten
    _reseal(bundle, reworded, lambda c: c["code_history"][0].update(reason="otro motivo"))
    refused = run("verify", str(reworded), db=dbfile)
    assert refused.returncode != 0 and "no es el que dice el diario" in refused.stdout + refused.stderr


def test_a_supervisors_answer_to_a_bundle_sent_before_the_correction_is_still_taken(dbfile, tmp_path):
    assert run("treasury", "state", "--month", "2026-11", "presentado", db=dbfile).returncode == 0
    bundle = tmp_path / "noviembre.zip"
    exported = run("export", "--month", "2026-11", "--out", str(bundle), "--json", db=dbfile, check_json=True)
    supdb = tmp_path / "supervisor.sqlite3"
    assert run("supervise", "import", str(bundle), db=supdb).returncode == 0
    answer = tmp_path / "respuesta.json"
    assert run("answer", "write", "--bundle", exported.doc["bundle_code"][:12], "observado", "--observations",
               "Falta la boleta del gas", "--supervisor", "Ana Torres Quispe", "--out", str(answer),
               db=supdb).returncode == 0
    assert json.loads(answer.read_text(encoding="utf-8"))["codigo_modular"] == OLD

    assert _correct(dbfile).returncode == 0
    done = run("answer", "import", str(answer), db=dbfile, env=_as(TREASURER))
    assert done.returncode == 0, done.stderr
    state = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc["state"]
    assert state == "observado"


def test_a_code_printed_before_the_correction_is_explained_and_its_bundle_still_anchors(dbfile, tmp_path):
    bundle = tmp_path / "antes.zip"
    exported = run("export", "--month", "2026-11", "--out", str(bundle), "--json", db=dbfile, check_json=True)
    printed = exported.doc["bundle_code"][:20]
    assert run("verify", "--code", printed, db=dbfile).returncode == 0
    assert _correct(dbfile).returncode == 0

    # the code seals the school's data, the código modular included: it no longer matches, and verify says why
    changed = run("verify", "--code", printed, db=dbfile)
    assert changed.returncode == 1
    assert "se corrigió el" in changed.stdout and f"de {OLD} a {NEW}" in changed.stdout
    # the bundle sent before the correction: the database still holds its journal, unchanged
    anchored = run("verify", "--anchor", str(bundle), db=dbfile)
    assert anchored.returncode == 0, anchored.stdout
    assert "sin cambios" in anchored.stdout


def test_a_plan_file_saved_before_the_correction_still_loads_and_another_schools_does_not(dbfile, tmp_path):
    saved = tmp_path / "noviembre.toml"
    assert run("menu", "export", "1", "--out", str(saved), db=dbfile).returncode == 0
    assert f'committee = "{OLD}"' in saved.read_text(encoding="utf-8")
    assert _correct(dbfile).returncode == 0
    loaded = run("menu", "import", str(saved), "--name", "Copia de noviembre", db=dbfile)
    assert loaded.returncode == 0, loaded.stderr
    other = tmp_path / "otro.toml"
    other.write_text(saved.read_text(encoding="utf-8").replace(f'committee = "{OLD}"', 'committee = "0999999"'),
                     encoding="utf-8")
    refused = run("menu", "import", str(other), db=dbfile)
    assert refused.returncode == 2 and "otro comité (código modular 0999999)" in refused.stderr
    assert f"este comité es {NEW}" in refused.stderr


def test_a_correction_is_flagged_for_the_month_it_was_made_to_the_committee_and_the_supervisor(dbfile, tmp_path):
    assert _correct(dbfile).returncode == 0
    [correction] = run("committee", "show", "--json", db=dbfile, check_json=True).doc["code_history"]
    month = correction["date"][:7]
    expected = {"day": correction["date"], "old": OLD, "new": NEW, "reason": REASON}

    summary = run("period", "summary", "--month", month, "--json", db=dbfile, check_json=True).doc
    [flag] = [f for f in summary["flags"] if f["code"] == "codigo_corregido"]
    assert flag["facts"] == expected and flag["severity"] == "revisar"
    assert f"de {OLD} a {NEW}" in flag["text"] and REASON in flag["text"]

    bundle = tmp_path / "mes.zip"
    assert run("export", "--month", month, "--out", str(bundle), db=dbfile).returncode == 0
    supdb = tmp_path / "supervisor.sqlite3"
    assert run("supervise", "import", str(bundle), db=supdb).returncode == 0
    [row] = [r for r in run("supervise", "summary", "--json", db=supdb, check_json=True).doc if r["month"] == month]
    [seen] = [f for f in row["flags"] if f["code"] == "codigo_corregido"]
    assert seen["facts"] == expected
    # the month before the correction carries no such flag
    before = run("period", "summary", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    assert not [f for f in before["flags"] if f["code"] == "codigo_corregido"]
