"""A supervisor imports many bundles in one call (``supervise import *.zip``, the window's file list):
what the supervisor holds of their schools is read once and the new months are written together, and
still every bundle is verified and taken or refused on its own, as if imported one by one."""

from __future__ import annotations

import json
import zipfile

import pytest

from bench.supervisor import write_school_year
from qaliwarma.persistence.engine import open_database
from qaliwarma.services import supervision
from tests.forgery import open_bundle_parts, rehash, reseal


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paquetes")
    return {n: write_school_year(folder, n) for n in (1, 2, 3)}


def _code(n: int) -> str:
    return f"{1000000 + n:07d}"


def _rows(db):
    return [(r.codigo_modular, r.month, r.enrolment, r.rations, r.days_with_service, r.closed, r.replacements,
             [f.code for f in r.flags], r.missing_months) for r in supervision.summary(db)]


def test_one_call_takes_what_one_bundle_at_a_time_takes(empty_db, years, tmp_path):
    # a school's year in order, another's backwards (December first: every earlier month must end with the
    # closing entry December holds), a third's twice over; and a file given twice
    paths = years[1] + years[2][::-1] + years[3] + years[3][:2] + [years[1][4]]
    together = supervision.import_bundles(empty_db, paths)
    alone_db = open_database(f"sqlite:///{tmp_path / 'uno_a_uno.sqlite3'}")
    alone = [supervision.import_bundles(alone_db, [p])[0] for p in paths]
    assert [(r.status, r.message, r.codigo_modular, r.month) for r in together] == \
        [(r.status, r.message, r.codigo_modular, r.month) for r in alone]
    assert [r.status for r in together].count("importado") == 30
    assert {r.status for r in together[30:]} == {"sin_cambios"}
    assert _rows(empty_db) == _rows(alone_db)
    alone_db.dispose()


def test_in_one_call_altered_and_cut_chains_are_refused_and_the_others_taken(empty_db, years, tmp_path):
    march, april = years[1][:2]
    march_entries = open_bundle_parts(march)[0]["journal"]["entries"]
    _, _, rows = open_bundle_parts(april)
    altered = [dict(r) for r in rows]
    seq = march_entries + 5  # an entry of April's own part, its stored hash kept
    payload = json.loads(altered[seq - 1]["payload"])
    payload["rations"] += 1
    altered[seq - 1]["payload"] = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    other_march = years[2][0]
    _, _, other = open_bundle_parts(other_march)
    cut = other[:10] + other[20:]  # entries taken out: a gap
    results = supervision.import_bundles(empty_db, [
        march, reseal(april, tmp_path / "abril-alterado.zip", altered), april, april,
        reseal(other_march, tmp_path / "marzo-cortado.zip", cut), years[3][0]])
    assert [r.status for r in results] == ["importado", "rechazado", "importado", "sin_cambios", "rechazado",
                                           "importado"]
    assert f"asiento n.º {seq}" in results[1].message and "modificado" in results[1].message
    assert results[1].path.endswith("abril-alterado.zip") and results[1].part == "journal.jsonl"
    assert "falta el asiento n.º 11" in results[4].message and results[4].path.endswith("marzo-cortado.zip")
    # nothing of the refused bundles was stored
    assert [(r.codigo_modular, r.month) for r in sorted(supervision.summary(empty_db),
                                                       key=lambda r: (r.codigo_modular, r.month))] == \
        [(_code(1), "2027-03"), (_code(1), "2027-04"), (_code(3), "2027-03")]
    april_rations = supervision.summary(empty_db, month="2027-04")[0].rations
    assert april_rations == sum(json.loads(r["payload"])["rations"] for r in rows
                                if r["kind"] == "servicio" and r["entry_date"].startswith("2027-04"))


@pytest.mark.parametrize(("together", "lead"), [(True, ""), (False, ""), (True, "\n"), (False, "\n")],
                         ids=["una-llamada", "dos-llamadas", "una-llamada-linea-en-blanco", "dos-llamadas-linea-en-blanco"])
def test_a_chain_copied_from_another_school_is_refused(empty_db, years, tmp_path, together, lead):
    """A chain whose registration does not state the school's code (as before it did): copied and hashed
    again under another código modular, its first entry is still the first school's (also when its journal
    starts with a blank line, which the reader skips)."""
    march = years[1][0]
    _, _, rows = open_bundle_parts(march)
    registration = json.loads(rows[0]["payload"])
    del registration["codigo_modular"]
    rows[0]["payload"] = json.dumps(registration, sort_keys=True, separators=(",", ":"))
    rehash(rows, _code(1))
    genuine = reseal(march, tmp_path / "propio.zip", rows)
    rehash(rows, "7654321")
    copied = reseal(march, tmp_path / "copia.zip", rows, code="7654321", lead=lead)
    if together:
        results = supervision.import_bundles(empty_db, [genuine, copied])
    else:
        results = supervision.import_bundles(empty_db, [genuine]) + supervision.import_bundles(empty_db, [copied])
    assert [r.status for r in results] == ["importado", "rechazado"]
    assert f"es el del comité {_code(1)} con otro código modular (7654321)" in results[1].message
    assert [r.codigo_modular for r in supervision.summary(empty_db)] == [_code(1)]


@pytest.mark.parametrize("how", ["fecha", "comprimido", "comentario", "byte"])
def test_a_zip_rewritten_with_the_same_content_is_refused(years, tmp_path, how):
    """The zip's bytes must be the ones the application writes, headers included (not only the content the
    hashes cover): checked against headers built from the CRCs read, without writing the zip again."""
    from qaliwarma.io.bundle import BundleRefused, read_bundle

    genuine = years[2][3]
    assert read_bundle(genuine).chain.ok
    with zipfile.ZipFile(genuine) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    out = tmp_path / f"{how}.zip"
    if how == "byte":  # a flag bit of the first local header
        data = bytearray(genuine.read_bytes())
        data[6] ^= 0x02
        out.write_bytes(bytes(data))
    else:
        with zipfile.ZipFile(out, "w") as zf:
            for info, data in members:
                if how == "fecha":
                    info.date_time = (2027, 4, 30, 12, 0, 0)
                if how == "comprimido":
                    info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
            if how == "comentario":
                zf.comment = b"otra cosa"
    with pytest.raises(BundleRefused, match="modificado fuera de la aplicación") as refused:
        read_bundle(out)
    assert "Pida al comité el archivo .zip tal como lo exportó la aplicación" in str(refused.value)  # what to do


def test_a_batch_stops_at_its_size_in_bytes(empty_db, years, monkeypatch):
    """Bundles are read a batch at a time before they are stored: a batch stops at BATCH_BYTES of files too
    (a year's journals are long), and what is imported is the same."""
    paths = years[1] + years[2]
    monkeypatch.setattr(supervision, "BATCH_BYTES", max(p.stat().st_size for p in paths) + 1)
    batches = list(supervision._batches(paths))
    assert len(batches) > 1 and [p for b in batches for p in b] == paths
    assert all(len(b) == 1 or sum(p.stat().st_size for p in b) <= supervision.BATCH_BYTES for b in batches)
    results = supervision.import_bundles(empty_db, paths)
    assert [r.status for r in results] == ["importado"] * len(paths)
    assert len(supervision.summary(empty_db)) == len(paths)
