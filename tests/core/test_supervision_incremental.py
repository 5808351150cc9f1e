"""A supervisor verifies a school's bundle from the last entry of that school already verified here: every
later entry is still hashed and linked, so an entry altered after that point is refused, naming it; and
without an earlier bundle the whole chain is verified."""

from __future__ import annotations

import json
import zipfile

from bench.supervisor import write_school_year
from qaliwarma.io.bundle import read_bundle, write_bundle
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
    # the true May: accepted, its chain read to the same head and length as a full verification gives
    anchored = read_bundle(may, lambda code: [(april_entries, read_bundle(april).chain.head)])
    assert (anchored.chain.ok, anchored.chain.entries, anchored.chain.head) == \
        (True, read_bundle(may).chain.entries, read_bundle(may).chain.head)
    assert supervision.import_bundles(db, [may])[0].status == "importado"


def test_without_an_earlier_bundle_the_whole_chain_is_verified(db, tmp_path):
    folder = tmp_path / "paquetes"
    folder.mkdir()
    march, april = write_school_year(folder, 4)[:2]
    result = supervision.import_bundles(db, [_altered(april, tmp_path / "abril.zip", 2)])[0]  # a March entry
    assert result.status == "rechazado" and "asiento n.º 2" in result.message
