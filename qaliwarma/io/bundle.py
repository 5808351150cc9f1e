"""The monthly export bundle (docs/bundle-format.md): one zip per committee and month with its
records as CSV/JSON, a manifest, and the whole journal with its hashes.

Verification: every file's SHA-256 matches the manifest; the journal's hash chain is intact; the
bundle code (printed on the monthly report) is SHA-256 of the chain head and the files' hashes, so a
printout can be matched to its file and any altered byte is detected.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, Problem
from ..i18n import _
from ..persistence.journal import CODE_CORRECTION, GENESIS, ChainCheck, verify_chain
from .spreadsheet import csv_escape, csv_unescape
from .tabular import check_zip

FORMAT = "qaliwarma-bundle"
FORMAT_VERSION = 2  # 2: periodo.json (the manifest's facts, covered by the code) and the previous anchor
FACTS_FILE = "periodo.json"
CLOSING_KIND = "periodo.cierre"
MAX_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 100  # a bundle has about fifteen files


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bundle_code(chain_head: str, files: dict[str, str]) -> str:
    text = chain_head + "\n" + "\n".join(f"{name}:{digest}" for name, digest in sorted(files.items()))
    return sha256(text.encode())


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows([csv_escape(v) for v in row] for row in rows)  # no formulas (io/spreadsheet.py)
    return buf.getvalue().encode("utf-8")


def _canonical_zip(members: list[tuple[str, bytes]]) -> bytes:
    """The exact bytes the application writes for these members: stored (not compressed), fixed
    dates and attributes. Rebuilding them lets the reader detect a change to ANY byte of the file,
    headers included, not only to the content the hashes cover."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.create_version = info.extract_version = 20
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def _is_stored_zip(data: bytes, members: list[tuple[str, bytes]], crcs: list[int]) -> bool:
    """Whether ``data`` is exactly what :func:`_canonical_zip` writes for these members, compared piece by
    piece in place (zipfile's own local headers; the central directory and end record as zipfile writes them
    for a zip without ZIP64 — a bundle is at most MAX_BYTES) from their CRCs, already checked against their
    bytes as they were read, instead of writing a second zip with every CRC computed again."""
    at, central = 0, []
    for (name, content), crc in zip(members, crcs, strict=True):
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        info.create_system = 3
        info.create_version = info.extract_version = 20
        info.external_attr = 0o644 << 16
        info.flag_bits = 0
        info.CRC, info.compress_size, info.file_size = crc, len(content), len(content)
        header = info.FileHeader(False)
        if not (data.startswith(header, at) and data.startswith(content, at + len(header))):
            return False
        filename, flags = info._encodeFilenameFlags()
        central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\001\002", 20, 3, 20, 0, flags, zipfile.ZIP_STORED,
                                   0, 33, crc, len(content), len(content), len(filename), 0, 0, 0, 0, 0o644 << 16,
                                   at) + filename)
        at += len(header) + len(content)
    directory = b"".join(central)
    tail = directory + struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, len(members), len(members), len(directory),
                                   at, 0)
    return len(data) == at + len(tail) and data.startswith(tail, at)


def write_bundle(out: Path, manifest: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """Write the zip; completes the manifest with file hashes and the bundle code."""
    hashes = {name: sha256(data) for name, data in files.items()}
    manifest = {**manifest, "format": FORMAT, "format_version": FORMAT_VERSION, "files": hashes,
                "bundle_code": bundle_code(manifest["journal"]["head"], hashes)}
    head = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    data = _canonical_zip([("manifest.json", head)] + list(files.items()))
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)  # never a half-written bundle under the real name
    return manifest


@dataclass(frozen=True)
class Anchor:
    """A bundle of the school verified before (the supervisor's): its chain's length and head, and the
    SHA-256 and size of the journal.jsonl bytes that were verified (None for a bundle recorded before
    these were kept: it still anchors the chain, but its bytes cannot be compared)."""

    entries: int
    head: str
    journal_sha: str | None = None
    journal_size: int | None = None
    #: what a reader of its journal looks for, kept when it was imported (:meth:`Bundle.history`, JSON): where
    #: the lines holding each needle start and the latest entry date. None when not kept: then looked for.
    history: str | None = None


@dataclass(frozen=True)
class Bundle:
    path: Path
    manifest: dict[str, Any]
    files: dict[str, bytes]
    chain: ChainCheck
    #: entries taken as verified because the journal starts with the very bytes of a journal of the
    #: school verified before (Anchor); every later entry was hashed and linked here. 0: all verified here.
    verified_from: int = 0
    verified_bytes: int = 0  # the size of those entries' lines in journal.jsonl

    def _given(self) -> list[dict[str, Any]] | None:
        """The journal's entries when the bundle was built from them in memory (the committee's own month
        review sets ``_journal_rows`` instead of writing journal.jsonl): they are the journal."""
        return self.__dict__.get("_journal_rows")

    def _lines(self) -> list[bytes]:
        lines = self.__dict__.get("_journal_lines")
        if lines is None:
            lines = [line for line in self.files["journal.jsonl"].split(b"\n") if line.strip()]
            self.__dict__["_journal_lines"] = lines
        return lines

    def _new_lines(self) -> list[bytes]:
        """The lines after the verified bytes (entries n.º verified_from + 1 on): the journal's history before
        them is not split into lines unless an entry of it is asked for by number (``_lines``)."""
        lines = self.__dict__.get("_journal_new_lines")
        if lines is None:
            lines = self.files["journal.jsonl"][self.verified_bytes:].split(b"\n")
            lines = self.__dict__["_journal_new_lines"] = [line for line in lines if line.strip()]
        return lines

    def _line(self, seq: int) -> bytes | None:
        """Entry n.º ``seq``'s line. Anchored (``verified_from``): the verified bytes hold exactly verified_from
        lines that are not blank (verified entry by entry when they were imported) and end with a newline,
        so a later entry is a line after them; the first and the last of them are found from either end."""
        done = self.verified_from
        if not done or seq < 1:
            lines = self._lines()
            return lines[seq - 1] if 0 < seq <= len(lines) else None
        if seq > done:
            new = self._new_lines()
            return new[seq - done - 1] if seq - done <= len(new) else None
        blob = self.files["journal.jsonl"]
        if seq == done:  # the last line of the verified bytes (which end with a newline)
            stop = self.verified_bytes - 1
            while stop >= 0:
                start = blob.rfind(b"\n", 0, stop) + 1
                if blob[start:stop].strip():
                    return blob[start:stop]
                stop = start - 1
        elif seq == 1:  # the first line that is not blank
            start = 0
            while start < self.verified_bytes:
                stop = blob.find(b"\n", start, self.verified_bytes)
                if blob[start:stop].strip():
                    return blob[start:stop]
                start = stop + 1
        return self._lines()[seq - 1]

    def _parsed(self) -> dict[int, dict[str, Any]]:
        return self.__dict__.setdefault("_journal_parsed", {})

    def entry(self, seq: int) -> dict[str, Any] | None:
        """Journal entry n.º ``seq`` (parsed when first asked for), or None when the journal has none.
        The journal's n-th line is entry n.º n: read_bundle verified it (seq by seq) before this is used."""
        known = self.__dict__
        parsed = known.get("_journal_parsed")
        row = parsed.get(seq) if parsed is not None else None
        if row is not None:  # read before (never filled when the journal is given as rows)
            return row
        given = known.get("_journal_rows")
        if given is not None:
            return given[seq - 1] if 0 < seq <= len(given) else None
        if parsed is None:
            parsed = known["_journal_parsed"] = {}
        line = self._line(seq)
        if line is None:
            return None
        row = parsed[seq] = json.loads(line)
        return row

    def new_entries(self) -> list[dict[str, Any]]:
        """The entries after the verified bytes (all of them when none were: ``verified_from`` 0), parsed."""
        new = self.__dict__.get("_new_rows")
        if new is None:
            new = self.__dict__["_new_rows"] = [self.entry(seq) for seq in range(self.verified_from + 1,
                                                                                  self.entries + 1)]
        return new

    @property
    def entries(self) -> int:
        given = self._given()
        if given is not None:
            return len(given)
        return self.verified_from + len(self._new_lines()) if self.verified_from else len(self._lines())

    def starts_with(self, journal_sha: str | None, journal_size: int | None) -> bool:
        """Whether journal.jsonl starts with exactly the journal bytes of that SHA-256 and size, ending with a
        newline (a bundle of the school held: its entries are then this journal's first ones, same lines)."""
        journal = self.files.get("journal.jsonl", b"")
        return bool(journal_sha and journal_size and 0 < journal_size <= len(journal)
                    and journal[journal_size - 1:journal_size] == b"\n"
                    and self.__dict__.get("_prefix_digests", {}).get(journal_size) == journal_sha)

    def journal(self) -> list[dict[str, Any]]:
        """Every entry of the journal, parsed."""
        given = self._given()
        return list(given) if given is not None else [self.entry(seq) for seq in range(1, self.entries + 1)]

    def journal_with(self, *needles: bytes, dated: tuple[date, date] | None = None) -> list[dict[str, Any]]:
        """The entries a reader of the month needs, in order, without parsing the whole history: every
        entry verified here (the new part), and each earlier one whose line contains one of ``needles``
        (a kind…) or any \\u escape (a value written with escapes could hide a needle; such a line is read
        whole). An entry not returned cannot hold any of ``needles``. ``dated`` (first day, last day): also
        every earlier entry whose date (``entry_date``, as text) falls in those days — those whose line holds
        one of the months («2027-05-»), unless the history kept with the anchor says that no earlier entry
        is dated that late."""
        if self._given() is not None or not self.verified_from:
            return self.journal()
        new = self.new_entries()
        if dated is not None:
            latest = self._kept().get("last_day")
            if not isinstance(latest, str) or latest >= dated[0].isoformat():
                needles += tuple(month_needles(*dated))
        old = {seq: row for needle in (*needles, b"\\u") for _at, seq, row in self._old_with(needle)}
        return [old[seq] for seq in sorted(old)] + new

    def _kept(self) -> dict[str, Any]:
        """The history kept with the anchor this journal was verified from (Anchor.history), or {}."""
        kept = self.__dict__.get("_kept_history")
        if kept is None:
            try:
                kept = json.loads(self.__dict__.get("_anchor_history") or "{}")
            except ValueError:
                kept = {}
            if not isinstance(kept, dict) or not isinstance(kept.get("lines", {}), dict):
                kept = {}
            self.__dict__["_kept_history"] = kept
        return kept

    def _old_with(self, needle: bytes) -> list[tuple[int, int, dict[str, Any]]]:
        """(where its line starts, seq, entry) of each earlier entry whose line holds ``needle``: from the
        history kept with the anchor when it has the needle, else looked for; each needle once."""
        found = self.__dict__.setdefault("_needles", {})
        if needle not in found:
            kept = self._kept().get("lines", {}).get(needle.decode("utf-8", "replace"))
            hits = self._lines_at(kept, needle) if isinstance(kept, list) else None
            found[needle] = hits if hits is not None else self._look_for(needle)
        return found[needle]

    def _look_for(self, needle: bytes) -> list[tuple[int, int, dict[str, Any]]]:
        blob, size, hits = self.files["journal.jsonl"], self.verified_bytes, []
        # a two-byte needle whose first byte is frequent («\\"» in every payload) is found faster by re
        find = _ESCAPE.search if needle == b"\\u" else None
        at = _find(blob, needle, 0, size, find)
        while at != -1:
            start, stop = blob.rfind(b"\n", 0, at) + 1, blob.find(b"\n", at, size)
            row = json.loads(blob[start:stop])
            hits.append((start, int(row["seq"]), self._parsed().setdefault(int(row["seq"]), row)))
            at = _find(blob, needle, stop, size, find)
        return hits

    def _lines_at(self, starts: list, needle: bytes) -> list[tuple[int, int, dict[str, Any]]] | None:
        """The verified lines starting at ``starts`` (kept with the anchor), each holding ``needle``; None
        when one is not a line of the verified bytes or does not hold it (then the needle is looked for)."""
        blob, size, hits = self.files["journal.jsonl"], self.verified_bytes, []
        for start in starts:
            if type(start) is not int or not 0 <= start < size or (start and blob[start - 1] != 10):
                return None
            stop = blob.find(b"\n", start, size)
            if needle not in blob[start:stop]:
                return None
            row = json.loads(blob[start:stop])
            hits.append((start, int(row["seq"]), self._parsed().setdefault(int(row["seq"]), row)))
        return hits

    def history(self, needles: tuple[bytes, ...]) -> str | None:
        """What a reader of this journal looks for, for the supervisor to keep with the bundle (JSON): where
        the lines holding each of ``needles`` start in journal.jsonl, and the latest entry date (None when an
        entry's date is not text). A later journal that starts with these very bytes is read from it
        (Anchor.history) instead of being searched again. None for a journal given as rows."""
        if self._given() is not None:
            return None
        blob, done = self.files["journal.jsonl"], self.verified_bytes
        lines = {}
        for needle in needles:
            starts = [at for at, _seq, _row in self._old_with(needle)] if self.verified_from else []
            find = _ESCAPE.search if needle == b"\\u" else None
            at = _find(blob, needle, done, len(blob), find)
            while at != -1:
                start, stop = blob.rfind(b"\n", 0, at) + 1, blob.find(b"\n", at)
                starts.append(start)
                if stop == -1:
                    break
                at = _find(blob, needle, stop, len(blob), find)
            lines[needle.decode("utf-8", "replace")] = starts
        if not self.verified_from:
            days = [row["entry_date"] for row in self.journal()]
        else:
            kept = self._kept()  # the earlier entries' latest date as kept, else read from them (once a school)
            days = [kept["last_day"]] if "last_day" in kept else [
                self.entry(seq)["entry_date"] for seq in range(1, self.verified_from + 1)]
            days += [row["entry_date"] for row in self.new_entries()]
        last = max(days) if days and all(isinstance(d, str) for d in days) else None
        return json.dumps({"last_day": last, "lines": lines}, ensure_ascii=False, separators=(",", ":"))

    def payload(self, row: dict[str, Any]) -> Any:
        """An entry's payload, parsed once per bundle (the services check and the month's figures both
        read every service's)."""
        cache = self.__dict__.setdefault("_payloads", {})
        seq = row["seq"]
        if seq not in cache:
            cache[seq] = json.loads(row["payload"])
        return cache[seq]

    def csv(self, name: str) -> list[dict[str, str]]:
        rows = csv.DictReader(io.StringIO(self.files[name].decode("utf-8")))
        return [{k: csv_unescape(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows]

    def json(self, name: str) -> Any:
        return json.loads(self.files[name].decode("utf-8"))


_ESCAPE = re.compile(rb"\\u")


def month_needles(start: date, end: date) -> list[bytes]:
    """«2027-05-»: every entry dated in the month has it (its date), whatever month it was recorded in."""
    needles, day = [], start.replace(day=1)
    while day <= end:
        needles.append(f"{day:%Y-%m}-".encode())
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return needles


def _find(blob: bytes, needle: bytes, start: int, stop: int, search=None) -> int:
    if search is None:
        return blob.find(needle, start, stop)
    found = search(blob, start, stop)
    return found.start() if found else -1


class BundleRefused(InvalidInput):
    """A bundle that is malformed or was altered: refused whole. ``problem`` says where as fields: the
    bundle (``file``), the file inside it (``part``), the row or journal entry (``row``) and the column
    (``field``), and what is wrong; :func:`refusal` words it, with the bundle's name first."""

    exit_code = 1

    def __init__(self, problem: Problem) -> None:
        super().__init__(refusal(problem))
        self.problem = problem


def refusal(problem: Problem) -> str:
    """The one wording of a bundle's problem: «paquete.zip: servicios.csv fila 3, columna fecha: dice …»."""
    return f"{problem.file}: {problem}" if problem.file else str(problem)


def _refused(bundle: str, what: str, *, part: str | None = None, row: int | None = None,
             field: str | None = None, where: str = "") -> BundleRefused:
    return BundleRefused(Problem(where, what, file=bundle, part=part, row=row, column=field, field=field))


def _verified_prefix(journal: bytes, anchors: list, digests: dict[int, str] | None = None) -> Anchor | None:
    """The longest anchor whose verified journal this one starts with, byte for byte: every entry up to
    its last is then exactly an entry verified before (content, order, number, hash); None when none
    matches (the whole chain is verified). A journal that is not byte-identical up to there (an old entry
    altered, dropped or moved, even with its hash kept) matches no anchor and is verified whole."""
    usable = [a if isinstance(a, Anchor) else Anchor(*a) for a in anchors]
    digests = digests or {}
    for anchor in sorted(usable, key=lambda a: a.entries, reverse=True):
        size = anchor.journal_size
        if (anchor.journal_sha and size and 0 < size <= len(journal) and journal[size - 1:size] == b"\n"
                and (digests.get(size) or sha256(journal[:size])) == anchor.journal_sha):
            return anchor
    return None


@dataclass(frozen=True)
class Opened:
    """A bundle's zip read and found to be exactly what the application writes, with its manifest; its
    content not yet verified (:func:`verify_opened`). ``chain_id``: the chain's identity it claims."""

    path: Path
    manifest: dict[str, Any]
    files: dict[str, bytes]
    chain_id: str

    def first_entry(self) -> dict[str, Any] | None:
        """The journal's first entry as written (unverified), or None."""
        journal = self.files.get("journal.jsonl", b"")
        end = journal.find(b"\n")
        line = journal[:end] if end != -1 else journal
        try:
            row = json.loads(line) if line.strip() else None
        except ValueError:
            return None
        return row if isinstance(row, dict) else None


def read_bundle(path: Path, anchors=None) -> Bundle:
    """Open and verify a bundle. BundleRefused names the first thing that is wrong.

    ``anchors``: a function of the chain's identity (``chain_id``) giving its bundles already verified (the
    supervisor's, :class:`Anchor`). When this journal starts with exactly the bytes of one of those
    journals, those entries are the ones verified then (same content, order, numbers and hashes): only
    the entries after them are read, hashed and linked to that journal's head. Otherwise the whole chain
    is verified, as without anchors (the supervisor then compares it with what it holds)."""
    opened = open_bundle(path)
    return verify_opened(opened, anchors(opened.chain_id) if anchors is not None and opened.chain_id else ())


def _read_zip(path: Path, name: str) -> tuple[dict[str, Any], dict[str, bytes]]:
    """(manifest, files) of a bundle read with the zip reader: its directory's sizes and count first (zip
    bombs), each member's CRC as it is read, the whole compared with what the application writes; refused
    with what is wrong."""
    try:  # sizes and count from the zip's directory, before decompressing anything (zip bombs)
        check_zip(path, max_bytes=MAX_BYTES, max_members=MAX_MEMBERS, what=_("un paquete .zip válido de Qali Warma CAE"))
    except InvalidInput as exc:
        raise _refused(name, exc.message.removeprefix(f"{name}: ")) from None
    try:
        data = path.read_bytes()  # read once: unzipped here, and compared whole with what the app writes
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            order = zf.namelist()
            names = set(order)
            if "manifest.json" not in names or len(names) != len(order):
                raise _refused(name, _("no es un paquete de Qali Warma CAE (falta manifest.json)."))
            raw = {}
            for member in order:  # each member's CRC is checked as it is read
                try:
                    raw[member] = zf.read(member)
                except (zipfile.BadZipFile, zlib.error):
                    raise _refused(name, _("el archivo «{bad}» dentro del paquete está dañado o fue alterado.").format(
                        bad=member), part=member) from None
            crcs = [zf.getinfo(member).CRC for member in order]  # each checked against its bytes just now
            try:
                manifest = json.loads(raw["manifest.json"].decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise _refused(name, _("su manifest.json no es el que escribe la aplicación (no es texto JSON en UTF-8); el paquete fue modificado o no es de Qali Warma CAE.")) from None
            files = {n: d for n, d in raw.items() if n != "manifest.json"}
        members = [(n, raw[n]) for n in order]
        if not _is_stored_zip(data, members, crcs) and _canonical_zip(members) != data:
            # the same files re-zipped by another program are refused too (the zip itself is part of what the
            # committee sent): said so, with what to do, since a helper read it as an accusation of tampering
            raise _refused(name, _("el archivo fue modificado fuera de la aplicación (sus bytes no son los que la "
                                   "aplicación escribió; también pasa si se volvió a comprimir con otro programa). "
                                   "Pida al comité el archivo .zip tal como lo exportó la aplicación."))
    except (zipfile.BadZipFile, zlib.error, UnicodeDecodeError, json.JSONDecodeError, OSError, EOFError,
            RuntimeError, NotImplementedError, ValueError) as exc:  # every way a damaged zip can fail
        raise _refused(name, _("el paquete está dañado o fue alterado ({exc}).").format(exc=exc)) from exc
    return manifest, files


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def _as_written(data: bytes) -> dict[str, bytes] | None:
    """The members of ``data`` (name → bytes, in order) when it is exactly the zip :func:`write_bundle`
    writes — stored members, each one's CRC checked against its bytes, the whole compared with the headers,
    directory and end record written for them (:func:`_is_stored_zip`) — with at most MAX_MEMBERS members,
    manifest.json among them, no name twice. None otherwise: :func:`_read_zip` then says what is wrong.
    Taken apart in place, without the zip reader's file objects: a bundle's journal is its largest part."""
    members, crcs, at, size = [], [], 0, len(data)
    while data.startswith(b"PK\003\004", at):
        if len(members) == MAX_MEMBERS or at + _LOCAL_HEADER.size > size:
            return None
        _sig, _version, flags, method, _time, _date, crc, stored, plain, name_len, extra_len = \
            _LOCAL_HEADER.unpack_from(data, at)
        start = at + _LOCAL_HEADER.size + name_len
        if method != zipfile.ZIP_STORED or stored != plain or extra_len or start + stored > size:
            return None
        try:
            member = data[at + _LOCAL_HEADER.size:start].decode("utf-8" if flags & 0x800 else "cp437")
        except UnicodeDecodeError:
            return None
        content = data[start:start + stored]
        if zlib.crc32(content) != crc:
            return None
        members.append((member, content))
        crcs.append(crc)
        at = start + stored
    names = {member for member, _content in members}
    if "manifest.json" not in names or len(names) != len(members) or not _is_stored_zip(data, members, crcs):
        return None
    return dict(members)


def open_bundle(path: Path) -> Opened:
    """Read a bundle's zip (size, members, each member's CRC, its bytes exactly as the application writes
    them) and its manifest (format and version, the files it declares). BundleRefused names what is wrong;
    nothing of the content is verified yet: :func:`verify_opened` does that."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise InvalidInput(_("No existe el archivo {path}.").format(path=path))
    if path.stat().st_size > MAX_BYTES:
        raise _refused(name, _("demasiado grande para ser un paquete mensual."))
    try:
        data = path.read_bytes()  # read once: taken apart here, and compared whole with what the app writes
    except OSError:
        data = None  # refused by the zip reader below, with its reason
    try:
        raw = _as_written(data) if data is not None else None
    except (ValueError, struct.error, OverflowError):  # a header no zip of the application has
        raw = None
    if raw is None:  # not exactly what the application writes: the zip reader says what is wrong
        manifest, files = _read_zip(path, name)
    else:
        try:
            manifest = json.loads(raw["manifest.json"].decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise _refused(name, _("su manifest.json no es el que escribe la aplicación (no es texto JSON en UTF-8); el paquete fue modificado o no es de Qali Warma CAE.")) from None
        files = {n: d for n, d in raw.items() if n != "manifest.json"}
    if manifest.get("format") != FORMAT:
        raise _refused(name, _("no es un paquete de Qali Warma CAE."))
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise _refused(name, _("fue hecho con una versión más nueva de la aplicación; actualícela."))
    declared = manifest.get("files", {})
    if set(declared) != set(files):
        missing = sorted(set(declared) - set(files))
        extra = sorted(set(files) - set(declared))
        raise _refused(name, _("archivos que no corresponden al manifiesto (faltan: {missing}, sobran: {extra}).").format(missing=missing, extra=extra))
    committee = manifest.get("committee", {}).get("codigo_modular", "")
    # the chain's identity (the code the school registered with); a bundle older than it: the código modular
    chain_id = manifest.get("committee", {}).get("chain_id") or committee
    return Opened(path, manifest, files, chain_id)


def _journal_digests(journal: bytes, anchors: list[Anchor]) -> tuple[str, dict[int, str]]:
    """The SHA-256 of the whole journal and of each anchor's prefix of it, hashed in one pass."""
    sizes = sorted({a.journal_size for a in anchors
                    if a.journal_sha and a.journal_size and 0 < a.journal_size <= len(journal)})
    h, at, prefixes = hashlib.sha256(), 0, {}
    view = memoryview(journal)
    for size in sizes:
        h.update(view[at:size])
        at = size
        prefixes[size] = h.copy().hexdigest()
    h.update(view[at:])
    return h.hexdigest(), prefixes


def verify_opened(opened: Opened, anchors=()) -> Bundle:
    """Verify an opened bundle (:func:`read_bundle`), given its chain's bundles already verified (``anchors``:
    :class:`Anchor` each). BundleRefused names the first thing that is wrong."""
    path, manifest, files, chain_id = opened.path, opened.manifest, opened.files, opened.chain_id
    name = path.name
    declared = manifest.get("files", {})
    usable = [a if isinstance(a, Anchor) else Anchor(*a) for a in anchors]
    journal = files.get("journal.jsonl", b"")
    journal_sha, prefixes = _journal_digests(journal, usable)
    for fname, digest in sorted(declared.items()):
        if (journal_sha if fname == "journal.jsonl" else sha256(files[fname])) != digest:
            raise _refused(name, _("el archivo {fname} fue modificado después de exportarse.").format(fname=fname), part=fname)
    anchor = _verified_prefix(journal, usable, prefixes) if chain_id else None
    done, head = (anchor.entries, anchor.head) if anchor is not None else (0, GENESIS)
    bundle = Bundle(path, manifest, files, ChainCheck(False, 0, GENESIS), verified_from=done,
                    verified_bytes=anchor.journal_size if anchor is not None else 0)
    bundle.__dict__["_prefix_digests"] = prefixes  # Bundle.starts_with: the held journals it begins with
    if anchor is not None and anchor.history:
        bundle.__dict__["_anchor_history"] = anchor.history  # what its history holds (Bundle.journal_with)
    try:
        chain = verify_chain(chain_id, bundle.new_entries(), after_seq=done, after_hash=head)
    except (KeyError, ValueError, TypeError) as exc:
        raise _refused(name, _("el diario del paquete está mal formado ({exc}).").format(exc=exc), part="journal.jsonl") from exc
    if not chain.ok:
        raise _refused(name, chain.message() + ".", part="journal.jsonl", row=chain.first_bad_seq)
    if chain.head != manifest["journal"]["head"] or chain.entries != manifest["journal"]["entries"]:
        raise _refused(name, _("el diario no coincide con el manifiesto (faltan o sobran asientos)."))
    if bundle_code(chain.head, declared) != manifest.get("bundle_code"):
        raise _refused(name, _("el código de verificación no corresponde al contenido."))
    object.__setattr__(bundle, "chain", chain)
    try:
        _check_facts(name, manifest, files, bundle)
        _check_identity(name, manifest, bundle, chain_id)
        _check_services(name, files, bundle)
    except (KeyError, ValueError, TypeError) as exc:
        raise _refused(name, _("el diario del paquete está mal formado ({exc}).").format(exc=exc), part="journal.jsonl") from exc
    return bundle


#: the columns of servicios.csv and the fields of the service entry each one must say
_SERVICE_COLUMNS = (("fecha", "day"), ("comida", "meal"), ("nivel", "level"), ("raciones_servidas", "rations"),
                    ("asistentes", "attendance"))


def _check_services(name: str, files: dict[str, bytes], bundle: Bundle) -> None:
    """Each row of servicios.csv says what its journal entry says (a projection edited before the
    export is refused here, at the supervisor, naming the row and the entry).

    The rows are read as csv.DictReader reads them (the first row names the columns, the last of a name
    written twice counts, a blank row is skipped, a missing field is None, a column not there is ""), cell by
    cell from csv.reader's lists: a year's bundles have a hundred services each."""
    if "servicios.csv" not in files:
        return
    try:
        table = list(csv.reader(io.StringIO(files["servicios.csv"].decode("utf-8"))))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _refused(name, _("servicios.csv está mal formado ({exc}).").format(exc=exc), part="servicios.csv") from exc
    if len(table) < 2:
        return
    where = {column: i for i, column in enumerate(table[0])}
    columns = [(column, key, where.get(column)) for column, key in _SERVICE_COLUMNS]
    seq_at = where.get("asiento")
    entry, payload_of = bundle.entry, bundle.payload
    n = 1
    for line in table[1:]:
        if line == []:
            continue
        n += 1
        size = len(line)
        try:
            seq = int((line[seq_at] if seq_at is not None and seq_at < size else None) or 0)
        except ValueError:
            seq = 0
        row = entry(seq) if seq > 0 else None
        try:
            payload = payload_of(row) if row and row.get("kind") == "servicio" else None
        except (ValueError, TypeError):
            payload = None
        if payload is None:
            said = line[seq_at] if seq_at is not None and seq_at < size else None
            raise _refused(name, _("no corresponde a ningún asiento de servicio del diario (dice n.º {get}).").format(get=said), where=f"servicios.csv fila {n}", part="servicios.csv",
                           row=n, field="asiento")
        wants = [str(payload.get(key)) for _column, key, _at in columns]
        for (column, _key, at), want in zip(columns, wants, strict=True):
            got = line[at] if at is not None and at < size else None
            if (got != want or got[:1] == "'") and csv_unescape(str(got if at is not None else "")) != want:
                raise _refused(name, _("dice {get}, pero el asiento n.º {seq} dice {want}.").format(get=got, seq=seq, want=want),
                               where=f"servicios.csv fila {n}, columna {column}", part="servicios.csv", row=n,
                               field=column)


def _check_facts(name: str, manifest: dict[str, Any], files: dict[str, bytes], bundle: Bundle) -> None:
    """The manifest says what the sealed content says: its facts equal periodo.json (covered by the
    code), the month is closed exactly when the journal holds its closing entry, and the previous
    month's anchor is an entry of this chain."""
    if FACTS_FILE in files:
        try:
            facts = json.loads(files[FACTS_FILE].decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise _refused(name, _("{FACTS_FILE} está mal formado ({exc}).").format(FACTS_FILE=FACTS_FILE, exc=exc), part=FACTS_FILE) from exc
        if not isinstance(facts, dict):
            raise _refused(name, _("{FACTS_FILE} está mal formado.").format(FACTS_FILE=FACTS_FILE), part=FACTS_FILE)
        for key, value in sorted(facts.items()):
            if manifest.get(key) != value:
                raise _refused(
                    name, _("manifest.json fue modificado: su campo «{key}» no es el que sella el código de verificación ({FACTS_FILE}).").format(key=key, FACTS_FILE=FACTS_FILE), part="manifest.json", field=key)
    elif manifest.get("format_version", 1) >= 2:
        raise _refused(name, _("falta {FACTS_FILE}, que todo paquete de esta versión lleva.").format(FACTS_FILE=FACTS_FILE))
    as_of, exported = manifest.get("as_of"), manifest.get("exported_at")
    if as_of and isinstance(exported, str) and exported[:19] < str(as_of)[:19]:
        raise _refused(name, _("la fecha de exportación ({exported}) es anterior al último asiento del diario ({as_of}): manifest.json fue modificado.").format(exported=exported, as_of=as_of))
    month = manifest.get("month")
    closings = {}
    for row in bundle.journal_with(CLOSING_KIND.encode()):
        if row.get("kind") == CLOSING_KIND:
            try:
                closings[json.loads(row["payload"]).get("month")] = row
            except (ValueError, AttributeError, TypeError) as exc:
                raise _refused(name, _("el asiento n.º {get} está mal formado.").format(get=row.get('seq')), part="journal.jsonl",
                               row=row.get("seq")) from exc
    if bool(manifest.get("closed")) != (month in closings):
        said = "cerrado" if manifest.get("closed") else "abierto"
        raise _refused(name, _("el manifiesto dice que {month} está {said}, pero el diario {value} su asiento de cierre.").format(month=month, said=said, value='no tiene' if month not in closings else 'tiene'))
    last = bundle.entry(bundle.entries)
    if manifest.get("closed") and last and last.get("seq") != closings[month].get("seq"):
        raise _refused(name, _("el diario de un mes cerrado debe terminar en su asiento de cierre (n.º {get}).").format(get=closings[month].get('seq')))
    previous = (manifest.get("journal") or {}).get("previous")
    if previous:
        try:
            seq = int(previous["seq"])
            anchor = bundle.entry(seq)
        except (KeyError, TypeError, ValueError) as exc:
            raise _refused(name, _("el ancla del mes anterior está mal formada.")) from exc
        if anchor is None or anchor.get("hash") != previous.get("head") or anchor.get("kind") != CLOSING_KIND:
            raise _refused(name, _("el diario no continúa el cierre de {get} (asiento n.º {get2}) que el paquete declara.").format(get=previous.get('month'), get2=previous.get('seq')))


def _check_identity(name: str, manifest: dict[str, Any], bundle: Bundle, chain_id: str) -> None:
    """The school's código modular and its corrections say what the journal says: the chain's identity is
    the code its registration entry states; every correction in the journal («comite.codigo») is in the
    manifest's ``code_history``, in order and unchanged; the current code is the last correction's (the
    registered code when there is none)."""
    from ..domain.committee import code_history, registered_code

    school = manifest.get("committee") or {}
    code = school.get("codigo_modular", "")
    first = bundle.entry(1)
    registered = registered_code([first] if first else [])
    if registered is not None and registered != chain_id:
        raise _refused(name, _("el diario empieza con el registro del código {registered}, pero el paquete dice que su cadena es la de {chain_id}.").format(registered=registered, chain_id=chain_id))
    declared = school.get("code_history")
    if declared is None:  # a bundle older than the correction of the code: its code is the chain's
        declared = []
    if not isinstance(declared, list) or not all(isinstance(c, dict) for c in declared):
        raise _refused(name, _("el historial del código modular del paquete está mal formado."))
    before = chain_id
    for c in declared:
        if str(c.get("from")) != before:
            raise _refused(name, _("el historial del código modular no encadena: la corrección del asiento n.º {get} parte de {get2}, pero el código era {before}.").format(get=c.get('seq'), get2=c.get('from'), before=before))
        before = str(c.get("to"))
    # «comite.» holds «comite.codigo»: the month's figures look for it too, so the history is searched once
    in_journal = [c.as_json() for c in code_history(bundle.journal_with(CODE_CORRECTION.split(".")[0].encode() + b"."))]
    last_seq = bundle.entries
    said = [c for c in declared if isinstance(c.get("seq"), int) and c["seq"] <= last_seq]
    if said != in_journal:
        raise _refused(name, _("el historial del código modular no es el que dice el diario (el diario tiene {len} corrección(es) del código).").format(len=len(in_journal)))
    expected = str(declared[-1].get("to")) if declared else chain_id
    if code != expected:
        raise _refused(name, _("el paquete dice que el código modular es {code}, pero según su diario y su historial de correcciones es {expected}.").format(code=code, expected=expected))
