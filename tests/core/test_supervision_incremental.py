"""A supervisor verifies a school's bundle from the last entry of that school already verified here: every
later entry is still hashed and linked, so an entry altered after that point is refused, naming it; and
without an earlier bundle the whole chain is verified."""

from __future__ import annotations

import hashlib
import json
import zipfile

from bench.supervisor import write_school_year
from qaliwarma.io.bundle import Anchor, read_bundle, write_bundle
from qaliwarma.services import supervision


def _altered(path, out, seq: int):
    """The same bundle with entry ``seq``'s rations changed and its stored hash kept, re-sealed (file
    hashes and code recomputed, so only the chain can tell)."""
    with zipfile.ZipFile(path) as zf:
        raw = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(raw.pop("manifest.json"))
    for key in ("format", "format_version", "files", "bundle_code"):
        manifest.pop(key)
    rows = [json.loads(line) for line in raw["journal.jsonl"].decode().splitlines()]
    payload = json.loads(rows[seq - 1]["payload"])
    payload["rations"] += 1
    rows[seq - 1]["payload"] = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    raw["journal.jsonl"] = ("\n".join(json.dumps(r, sort_keys=True) for r in rows) + "\n").encode()
    write_bundle(out, manifest, raw)
    return out


def test_new_entries_are_verified_from_the_last_verified_one(db, tmp_path):
    folder = tmp_path / "paquetes"
    folder.mkdir()
    march, april, may = write_school_year(folder, 3)[:3]
    assert [r.status for r in supervision.import_bundles(db, [march, april])] == ["importado", "importado"]
    april_entries = read_bundle(april).chain.entries
    # an entry of May's own part (after April's last entry) altered: refused, naming it
    altered = april_entries + 5
    result = supervision.import_bundles(db, [_altered(may, tmp_path / "mayo.zip", altered)])[0]
    assert result.status == "rechazado"
    assert f"asiento n.º {altered}" in result.message and "modificado" in result.message
    # the true May: it starts with April's very bytes, so only its own entries are read and verified, to
    # the same head and length as a full verification gives
    april_journal = read_bundle(april).files["journal.jsonl"]
    april_anchor = Anchor(april_entries, read_bundle(april).chain.head, hashlib.sha256(april_journal).hexdigest(),
                          len(april_journal))
    anchored = read_bundle(may, lambda code: [april_anchor])
    assert anchored.verified_from == april_entries
    assert (anchored.chain.ok, anchored.chain.entries, anchored.chain.head) == \
        (True, read_bundle(may).chain.entries, read_bundle(may).chain.head)
    assert supervision.import_bundles(db, [may])[0].status == "importado"
    # an anchor whose bytes are not where the journal starts is no anchor: the whole chain is verified
    wrong = Anchor(april_entries, april_anchor.head, hashlib.sha256(b"x" + april_journal[1:]).hexdigest(),
                   len(april_journal))
    assert read_bundle(may, lambda code: [wrong]).verified_from == 0


def test_the_figures_are_the_same_as_from_the_whole_journal(db, tmp_path):
    """What the month's measure reads of the history (Bundle.journal_with) gives the figures and flags the
    whole journal gives."""
    folder = tmp_path / "paquetes"
    folder.mkdir()
    paths = write_school_year(folder, 10)  # a school with seeded anomalies
    for path in paths:
        whole = read_bundle(path)
        assert supervision.import_bundles(db, [path])[0].status == "importado"
        row = supervision.summary(db, month=whole.manifest["month"])[0]
        m = supervision.measure(whole)
        assert (row.enrolment, row.rations, row.days_with_service, [f.facts for f in row.flags]) == \
            (m.enrolment, m.rations, m.days_with_service, [f.facts for f in m.flags])
        assert sum(json.loads(r["payload"])["rations"] for r in whole.journal()
                   if r["kind"] == "servicio" and r["entry_date"][:7] == whole.manifest["month"]) == row.rations


def test_without_an_earlier_bundle_the_whole_chain_is_verified(db, tmp_path):
    folder = tmp_path / "paquetes"
    folder.mkdir()
    march, april = write_school_year(folder, 4)[:2]
    result = supervision.import_bundles(db, [_altered(april, tmp_path / "abril.zip", 2)])[0]  # a March entry
    assert result.status == "rechazado" and "asiento n.º 2" in result.message
