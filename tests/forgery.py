"""What a forger with the application's own functions does to a supervisor bundle: open it, hash its
journal again, seal it again. Shared by the supervision tests (core and CLI) so that every attack is made
the same way and only the chain can tell."""

from __future__ import annotations

import json
import zipfile

from qaliwarma.io.bundle import FACTS_FILE, write_bundle
from qaliwarma.persistence.journal import GENESIS, entry_hash, hashed_fields


def open_bundle_parts(path):
    """(manifest, the other files by name, the journal's rows) of a bundle."""
    with zipfile.ZipFile(path) as zf:
        raw = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(raw.pop("manifest.json"))
    rows = [json.loads(line) for line in raw["journal.jsonl"].decode().splitlines() if line]
    return manifest, raw, rows


def rehash(rows, code, start=0):
    """Every entry from ``start`` linked and hashed again (under ``code``)."""
    prev = rows[start - 1]["hash"] if start else GENESIS
    for row in rows[start:]:
        fields = hashed_fields(committee=code, **{k: row[k] for k in (
            "seq", "kind", "entry_date", "payload", "corrects_seq", "correction_type", "reason", "user",
            "recorded_at")})
        row["prev_hash"], row["hash"] = prev, entry_hash(prev, fields)
        prev = row["hash"]


def reseal(path, out, rows, manifest=None, raw=None, code=None, lead=""):
    """The bundle with ``rows`` as its journal (after ``lead``), sealed again as the application would (file
    hashes, periodo.json, bundle code)."""
    m0, raw0, _ = open_bundle_parts(path)
    manifest, raw = dict(manifest or m0), dict(raw or raw0)
    for key in ("format", "format_version", "files", "bundle_code"):
        manifest.pop(key, None)
    raw["journal.jsonl"] = (lead + "\n".join(json.dumps(r, sort_keys=True) for r in rows) + "\n").encode()
    manifest["journal"] = {**manifest["journal"], "entries": len(rows), "head": rows[-1]["hash"]}
    if code is not None:
        manifest["committee"] = {**manifest["committee"], "codigo_modular": code}
    facts = json.loads(raw[FACTS_FILE])
    raw[FACTS_FILE] = json.dumps({k: manifest[k] for k in facts}, ensure_ascii=False, sort_keys=True).encode()
    write_bundle(out, manifest, raw)
    return out


def edit_behind_the_back(path, *statements) -> None:
    """What an adversary does with the sqlite3 shell while the application is open: another connection,
    the protective triggers dropped first."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
            con.execute(f"DROP TRIGGER {name}")
        for statement in statements:
            con.execute(statement)
        con.commit()
    finally:
        con.close()



def rehash_in_database(path, committee_id: int, first_seq: int, payloads: dict[int, str] | None = None,
                       *statements) -> None:
    """A forger who knows the algorithm, with the sqlite3 shell: ``payloads`` (entry number → new payload text)
    written, every entry of the committee from ``first_seq`` on linked and hashed again, ``statements`` run
    too (the projections edited to agree), the protective triggers dropped first."""
    import sqlite3

    payloads = payloads or {}
    con = sqlite3.connect(path)
    try:
        chain_id = con.execute("SELECT chain_id FROM committees WHERE id = ?", (committee_id,)).fetchone()[0]
        rows = con.execute("SELECT seq, kind, entry_date, payload, corrects_seq, correction_type, reason, user, "
                           "recorded_at, prev_hash FROM journal_entries WHERE committee_id = ? AND seq >= ? "
                           "ORDER BY seq", (committee_id, first_seq)).fetchall()
    finally:
        con.close()
    prev = rows[0][9]
    edits = []
    for r in rows:
        payload = payloads.get(r[0], r[3])
        fields = hashed_fields(committee=chain_id, seq=r[0], kind=r[1], entry_date=r[2], payload=payload,
                               corrects_seq=r[4], correction_type=r[5], reason=r[6], user=r[7], recorded_at=r[8])
        digest = entry_hash(prev, fields)
        quoted = payload.replace("'", "''")
        edits.append(f"UPDATE journal_entries SET payload = '{quoted}', prev_hash = '{prev}', hash = '{digest}' "
                     f"WHERE committee_id = {committee_id} AND seq = {r[0]}")
        prev = digest
    edit_behind_the_back(path, *statements, *edits)


def count_full_checks(monkeypatch) -> list:
    """A list that grows by one each time the integrity check reads the whole history (each run of its
    steps, to their end or not)."""
    from qaliwarma.services import integrity

    runs: list = []
    steps = integrity._check_steps

    def counted(*args, **kwargs):
        runs.append(1)
        return (yield from steps(*args, **kwargs))

    monkeypatch.setattr(integrity, "_check_steps", counted)
    return runs
