"""A bundle is read the way it always was, faster: its zip taken apart in place only when it is exactly what
the application writes (any other byte: the zip reader says what is wrong), servicios.csv read cell by cell
as csv.DictReader read it, and every entry hashed with the journal's canonical text."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.supervisor import write_school_year
from qaliwarma.io import bundle as bundle_io
from qaliwarma.io.bundle import BundleRefused, read_bundle
from qaliwarma.io.spreadsheet import csv_unescape
from qaliwarma.persistence import journal


@pytest.fixture(scope="module")
def march(tmp_path_factory):
    return write_school_year(tmp_path_factory.mktemp("paquetes"), 7)[0]


def test_a_bundle_as_written_is_taken_apart_as_the_zip_reader_does(march):
    data = march.read_bytes()
    manifest, files = bundle_io._read_zip(march, march.name)
    members = bundle_io._as_written(data)
    assert list(members) == ["manifest.json", *files] and json.loads(members.pop("manifest.json")) == manifest
    assert members == files


def test_a_bundle_with_any_byte_changed_is_refused(march, tmp_path):
    """Headers, contents, directory, end record: a byte changed anywhere and the bundle is refused."""
    data = march.read_bytes()
    ends = {0, len(data) - 1}
    with zipfile.ZipFile(march) as zf:
        for info in zf.infolist():
            ends |= {info.header_offset + i for i in range(0, 30 + len(info.filename))}
    positions = sorted(ends | set(range(0, len(data), 89)) | set(range(len(data) - 1300, len(data))))
    out = tmp_path / march.name
    for at in positions:
        changed = bytearray(data)
        changed[at] ^= 0x01
        out.write_bytes(bytes(changed))
        with pytest.raises(BundleRefused):
            read_bundle(out)


def _services_check_as_before(name, files, bundle):
    """servicios.csv checked as before it was read cell by cell (csv.DictReader), the reference."""
    if "servicios.csv" not in files:
        return
    try:
        table = list(csv.DictReader(io.StringIO(files["servicios.csv"].decode("utf-8"))))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise bundle_io._refused(name, f"servicios.csv está mal formado ({exc}).", part="servicios.csv") from exc
    for n, line in enumerate(table, start=2):
        try:
            seq = int(line.get("asiento") or 0)
        except ValueError:
            seq = 0
        entry = bundle.entry(seq) if seq > 0 else None
        try:
            payload = bundle.payload(entry) if entry and entry.get("kind") == "servicio" else None
        except (ValueError, TypeError):
            payload = None
        if payload is None:
            raise bundle_io._refused(name, f"no corresponde a ningún asiento de servicio del diario (dice n.º "
                                           f"{line.get('asiento')}).", where=f"servicios.csv fila {n}",
                                     part="servicios.csv", row=n, field="asiento")
        expected = {"fecha": str(payload.get("day")), "comida": payload.get("meal"), "nivel": payload.get("level"),
                    "raciones_servidas": str(payload.get("rations")), "asistentes": str(payload.get("attendance"))}
        for column, want in expected.items():
            if csv_unescape(str(line.get(column, ""))) != str(want):
                raise bundle_io._refused(name, f"dice {line.get(column)}, pero el asiento n.º {seq} dice {want}.",
                                         where=f"servicios.csv fila {n}, columna {column}", part="servicios.csv",
                                         row=n, field=column)


def _outcome(check, name, files, bundle):
    try:
        check(name, files, bundle)
    except BundleRefused as exc:
        p = exc.problem
        return str(exc), p.part, p.row, p.field
    return None


_EDITS = st.lists(st.tuples(
    st.sampled_from(["drop-column", "twice", "swap", "short", "long", "blank", "quote", "value", "seq", "no-seq"]),
    st.integers(0, 10_000), st.text(alphabet="0123456789-'x ", max_size=4)), max_size=4)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=_EDITS)
def test_the_services_check_reads_the_csv_as_dictreader_did(march, edits):
    genuine = read_bundle(march)
    rows = list(csv.reader(io.StringIO(genuine.files["servicios.csv"].decode("utf-8"))))
    header, body = rows[0], rows[1:]
    for what, k, word in edits:
        i = k % max(len(body), 1)
        column = k % len(header)
        if what == "drop-column":
            header, body = header[:column] + header[column + 1:], [r[:column] + r[column + 1:] for r in body]
        elif what == "twice" and header:
            header = header[:column] + [header[(column + 1) % len(header)]] + header[column + 1:]
        elif what == "swap" and len(header) > 1:
            header[column], header[column - 1] = header[column - 1], header[column]
        elif what == "short" and body:
            body[i] = body[i][:k % (len(body[i]) + 1)]
        elif what == "long" and body:
            body[i] = body[i] + [word]
        elif what == "blank":
            body.insert(i, [])
        elif what == "quote" and body and body[i]:
            body[i][column % len(body[i])] = "'" + body[i][column % len(body[i])]
        elif what == "value" and body and body[i]:
            body[i][column % len(body[i])] = word
        elif what == "seq" and body and body[i]:
            body[i][-1] = word
        elif what == "no-seq" and "asiento" in header:
            header = [h if h != "asiento" else "otra" for h in header]
    buf = io.StringIO()
    csv.writer(buf).writerows([header, *body])
    files = {**genuine.files, "servicios.csv": buf.getvalue().encode("utf-8")}
    assert _outcome(bundle_io._check_services, march.name, files, genuine) == \
        _outcome(_services_check_as_before, march.name, files, genuine)


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                     max_leaves=8)


@given(fields=st.dictionaries(st.text(max_size=12), _JSON, max_size=12))
def test_the_chain_is_hashed_with_the_canonical_text(fields):
    assert journal._row_hash("0" * 64, fields) == journal.entry_hash("0" * 64, fields)


class _Entries:
    """Entries n.º 1 and 2, services whose level starts with a quote (as written by csv_escape's reader)."""

    def entry(self, seq):
        return {"seq": seq, "kind": "servicio"} if seq in (1, 2) else None

    def payload(self, row):
        return {"day": "2027-03-01", "meal": "desayuno", "level": "'inicial", "rations": 20, "attendance": 20}


@pytest.mark.parametrize("level", ["'inicial", "''inicial", "inicial", "'''inicial"])
def test_a_cell_starting_with_a_quote_is_read_unescaped(level):
    text = ("fecha,comida,nivel,preparacion,raciones_servidas,asistentes,asiento\n"
            f"2027-03-01,desayuno,{level},x,20,20,1\n").encode()
    files = {"servicios.csv": text}
    got = _outcome(bundle_io._check_services, "p.zip", files, _Entries())
    assert got == _outcome(_services_check_as_before, "p.zip", files, _Entries())
    assert (got is None) == (level == "''inicial")


def _with_blank_lines(path, out, rows, upto, first):
    """The bundle with its first ``upto`` entries as journal, blank lines among its first ``first`` ones and
    after them (the reader skips them)."""
    from qaliwarma.io.bundle import FACTS_FILE, write_bundle
    from tests.forgery import open_bundle_parts

    manifest, raw, _ = open_bundle_parts(path)
    for key in ("format", "format_version", "files", "bundle_code"):
        manifest.pop(key, None)
    lines = [json.dumps(r, sort_keys=True) for r in rows[:upto]]
    text = "\n \n" + "\n\n".join(lines[:3]) + "\n\t\n" + "\n".join(lines[3:first]) + "\n\n"
    raw["journal.jsonl"] = (text + "".join(line + "\n" for line in lines[first:])).encode()
    facts = json.loads(raw[FACTS_FILE])
    raw[FACTS_FILE] = json.dumps({k: manifest[k] for k in facts}, ensure_ascii=False, sort_keys=True).encode()
    write_bundle(out, manifest, raw)
    return out


def test_entries_are_found_by_number_after_and_within_the_verified_bytes(tmp_path):
    """Anchored, a journal is split into lines only after the verified bytes; an earlier entry asked for by
    number (the first, the anchor's last, any other) is the one reading the whole journal gives, blank
    lines included."""
    from qaliwarma.io.bundle import Anchor, sha256
    from tests.forgery import open_bundle_parts

    march, april = write_school_year(tmp_path, 4)[:2]
    _, _, rows = open_bundle_parts(april)
    march_entries = open_bundle_parts(march)[0]["journal"]["entries"]
    early = read_bundle(_with_blank_lines(march, tmp_path / "marzo.zip", rows, march_entries, march_entries))
    later = _with_blank_lines(april, tmp_path / "abril.zip", rows, len(rows), march_entries)
    verified = early.files["journal.jsonl"]
    assert read_bundle(later).files["journal.jsonl"].startswith(verified)
    anchor = Anchor(early.chain.entries, early.chain.head, sha256(verified), len(verified))
    anchored, whole = read_bundle(later, lambda chain: [anchor]), read_bundle(later)
    assert anchored.verified_from == march_entries and whole.verified_from == 0
    assert anchored.entries == whole.entries == len(rows)
    assert anchored.starts_with(anchor.journal_sha, anchor.journal_size)
    assert not anchored.starts_with(sha256(verified[:-1]), len(verified) - 1)
    for seq in (1, march_entries, march_entries + 1, 2, march_entries - 1, len(rows), len(rows) + 1, 0, -1):
        fresh = read_bundle(later, lambda chain: [anchor])  # each way of finding it, whatever was read before
        line = fresh._line(seq)
        assert fresh.entry(seq) == (json.loads(line) if line is not None else None) == whole.entry(seq), seq
