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
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..i18n import _
from ..persistence.journal import GENESIS, ChainCheck, verify_chain
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
class Bundle:
    path: Path
    manifest: dict[str, Any]
    files: dict[str, bytes]
    chain: ChainCheck

    def journal(self) -> list[dict[str, Any]]:
        """The journal's entries, parsed once (read, verified, anchored and measured from the same list)."""
        rows = self.__dict__.get("_journal_rows")
        if rows is None:
            rows = [json.loads(line) for line in self.files["journal.jsonl"].decode("utf-8").splitlines() if line]
            self.__dict__["_journal_rows"] = rows
        return rows

    def csv(self, name: str) -> list[dict[str, str]]:
        rows = csv.DictReader(io.StringIO(self.files[name].decode("utf-8")))
        return [{k: csv_unescape(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows]

    def json(self, name: str) -> Any:
        return json.loads(self.files[name].decode("utf-8"))


class BundleRefused(InvalidInput):
    """A bundle that is malformed or was altered: refused whole."""

    exit_code = 1


def _verified_prefix(rows: list[dict[str, Any]], anchors: list[tuple[int, str]]) -> tuple[int, str]:
    """The longest start of ``rows`` already verified: an anchor (entries, head) of a bundle of the same
    school verified before, whose last entry these rows repeat (same number, same hash). (0, GENESIS)
    when none matches: the whole chain is verified."""
    for entries, head in sorted(anchors, reverse=True):
        if 0 < entries <= len(rows):
            row = rows[entries - 1]
            if row.get("hash") == head and str(row.get("seq")) == str(entries):
                return entries, head
    return 0, GENESIS


def read_bundle(path: Path, anchors=None) -> Bundle:
    """Open and verify a bundle. BundleRefused names the first thing that is wrong.

    ``anchors``: a function of the school's código modular giving (entries, head) of its bundles already
    verified (the supervisor's); the chain is then verified from the longest of those it continues
    (every later entry is hashed and linked as always), not again from its first entry."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise InvalidInput(_("No existe el archivo {path}.").format(path=path))
    if path.stat().st_size > MAX_BYTES:
        raise BundleRefused(_("{name}: demasiado grande para ser un paquete mensual.").format(name=name))
    try:  # sizes and count from the zip's directory, before decompressing anything (zip bombs)
        check_zip(path, max_bytes=MAX_BYTES, max_members=MAX_MEMBERS, what=_("un paquete .zip válido de Qali Warma CAE"))
    except InvalidInput as exc:
        raise BundleRefused(exc.message) from None
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise BundleRefused(_("{name}: el archivo «{bad}» dentro del paquete está dañado o fue alterado.").format(name=name, bad=bad))
            order = zf.namelist()
            names = set(order)
            if "manifest.json" not in names or len(names) != len(order):
                raise BundleRefused(_("{name}: no es un paquete de Qali Warma CAE (falta manifest.json).").format(name=name))
            raw = {n: zf.read(n) for n in order}
            try:
                manifest = json.loads(raw["manifest.json"].decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise BundleRefused(_("{name}: su manifest.json no es el que escribe la aplicación (no es texto JSON en UTF-8); el paquete fue modificado o no es de Qali Warma CAE.").format(name=name)) from None
            files = {n: d for n, d in raw.items() if n != "manifest.json"}
        if _canonical_zip([(n, raw[n]) for n in order]) != path.read_bytes():
            raise BundleRefused(_("{name}: el archivo fue modificado fuera de la aplicación (sus bytes no son los que la aplicación escribió).").format(name=name))
    except (zipfile.BadZipFile, zlib.error, UnicodeDecodeError, json.JSONDecodeError, OSError, EOFError,
            RuntimeError, NotImplementedError, ValueError) as exc:  # every way a damaged zip can fail
        raise BundleRefused(_("{name}: el paquete está dañado o fue alterado ({exc}).").format(name=name, exc=exc)) from exc
    if manifest.get("format") != FORMAT:
        raise BundleRefused(_("{name}: no es un paquete de Qali Warma CAE.").format(name=name))
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BundleRefused(_("{name}: fue hecho con una versión más nueva de la aplicación; actualícela.").format(name=name))
    declared = manifest.get("files", {})
    if set(declared) != set(files):
        missing = sorted(set(declared) - set(files))
        extra = sorted(set(files) - set(declared))
        raise BundleRefused(_("{name}: archivos que no corresponden al manifiesto (faltan: {missing}, sobran: {extra}).").format(name=name, missing=missing, extra=extra))
    for fname, digest in sorted(declared.items()):
        if sha256(files[fname]) != digest:
            raise BundleRefused(_("{name}: el archivo {fname} fue modificado después de exportarse.").format(name=name, fname=fname))
    committee = manifest.get("committee", {}).get("codigo_modular", "")
    # the chain's identity (the code the school registered with); a bundle older than it: the código modular
    chain_id = manifest.get("committee", {}).get("chain_id") or committee
    try:
        rows = [json.loads(line) for line in files["journal.jsonl"].decode("utf-8").splitlines() if line]
        done, head = _verified_prefix(rows, anchors(committee)) if anchors is not None and committee else (0, GENESIS)
        chain = verify_chain(chain_id, rows[done:], after_seq=done, after_hash=head)
    except (KeyError, ValueError, TypeError) as exc:
        raise BundleRefused(_("{name}: el diario del paquete está mal formado ({exc}).").format(name=name, exc=exc)) from exc
    if not chain.ok:
        raise BundleRefused(f"{name}: {chain.message()}.")
    if chain.head != manifest["journal"]["head"] or chain.entries != manifest["journal"]["entries"]:
        raise BundleRefused(_("{name}: el diario no coincide con el manifiesto (faltan o sobran asientos).").format(name=name))
    if bundle_code(chain.head, declared) != manifest.get("bundle_code"):
        raise BundleRefused(_("{name}: el código de verificación no corresponde al contenido.").format(name=name))
    _check_facts(name, manifest, files, rows)
    _check_identity(name, manifest, rows, chain_id)
    _check_services(name, files, rows)
    bundle = Bundle(path, manifest, files, chain)
    bundle.__dict__["_journal_rows"] = rows
    return bundle


def _check_services(name: str, files: dict[str, bytes], rows: list[dict[str, Any]]) -> None:
    """Each row of servicios.csv says what its journal entry says (a projection edited before the
    export is refused here, at the supervisor, naming the row and the entry)."""
    if "servicios.csv" not in files:
        return
    by_seq = {row.get("seq"): row for row in rows}
    try:
        table = list(csv.DictReader(io.StringIO(files["servicios.csv"].decode("utf-8"))))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise BundleRefused(_("{name}: servicios.csv está mal formado ({exc}).").format(name=name, exc=exc)) from exc
    for n, line in enumerate(table, start=2):
        try:
            seq = int(line.get("asiento") or 0)
        except ValueError:
            seq = 0
        entry = by_seq.get(seq)
        try:
            payload = json.loads(entry["payload"]) if entry and entry.get("kind") == "servicio" else None
        except (ValueError, TypeError):
            payload = None
        if payload is None:
            raise BundleRefused(_("{name}: servicios.csv fila {n}: no corresponde a ningún asiento de servicio del diario (dice n.º {get}).").format(name=name, n=n, get=line.get('asiento')))
        expected = {"fecha": str(payload.get("day")), "comida": payload.get("meal"), "nivel": payload.get("level"),
                    "raciones_servidas": str(payload.get("rations")), "asistentes": str(payload.get("attendance"))}
        for column, want in expected.items():
            if csv_unescape(str(line.get(column, ""))) != str(want):
                raise BundleRefused(_("{name}: servicios.csv fila {n}, columna {column}: dice {get}, pero el asiento n.º {seq} dice {want}.").format(name=name, n=n, column=column, get=line.get(column), seq=seq, want=want))


def _check_facts(name: str, manifest: dict[str, Any], files: dict[str, bytes], rows: list[dict[str, Any]]) -> None:
    """The manifest says what the sealed content says: its facts equal periodo.json (covered by the
    code), the month is closed exactly when the journal holds its closing entry, and the previous
    month's anchor is an entry of this chain."""
    if FACTS_FILE in files:
        try:
            facts = json.loads(files[FACTS_FILE].decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BundleRefused(_("{name}: {FACTS_FILE} está mal formado ({exc}).").format(name=name, FACTS_FILE=FACTS_FILE, exc=exc)) from exc
        if not isinstance(facts, dict):
            raise BundleRefused(_("{name}: {FACTS_FILE} está mal formado.").format(name=name, FACTS_FILE=FACTS_FILE))
        for key, value in sorted(facts.items()):
            if manifest.get(key) != value:
                raise BundleRefused(
                    _("{name}: manifest.json fue modificado: su campo «{key}» no es el que sella el código de verificación ({FACTS_FILE}).").format(name=name, key=key, FACTS_FILE=FACTS_FILE))
    elif manifest.get("format_version", 1) >= 2:
        raise BundleRefused(_("{name}: falta {FACTS_FILE}, que todo paquete de esta versión lleva.").format(name=name, FACTS_FILE=FACTS_FILE))
    as_of, exported = manifest.get("as_of"), manifest.get("exported_at")
    if as_of and isinstance(exported, str) and exported[:19] < str(as_of)[:19]:
        raise BundleRefused(_("{name}: la fecha de exportación ({exported}) es anterior al último asiento del diario ({as_of}): manifest.json fue modificado.").format(name=name, exported=exported, as_of=as_of))
    month = manifest.get("month")
    closings = {}
    for row in rows:
        if row.get("kind") == CLOSING_KIND:
            try:
                closings[json.loads(row["payload"]).get("month")] = row
            except (ValueError, AttributeError, TypeError) as exc:
                raise BundleRefused(_("{name}: el asiento n.º {get} está mal formado.").format(name=name, get=row.get('seq'))) from exc
    if bool(manifest.get("closed")) != (month in closings):
        said = "cerrado" if manifest.get("closed") else "abierto"
        raise BundleRefused(_("{name}: el manifiesto dice que {month} está {said}, pero el diario {value} su asiento de cierre.").format(name=name, month=month, said=said, value='no tiene' if month not in closings else 'tiene'))
    if manifest.get("closed") and rows and rows[-1].get("seq") != closings[month].get("seq"):
        raise BundleRefused(_("{name}: el diario de un mes cerrado debe terminar en su asiento de cierre (n.º {get}).").format(name=name, get=closings[month].get('seq')))
    previous = (manifest.get("journal") or {}).get("previous")
    if previous:
        try:
            seq = int(previous["seq"])
            anchor = rows[seq - 1] if 0 < seq <= len(rows) else None
        except (KeyError, TypeError, ValueError) as exc:
            raise BundleRefused(_("{name}: el ancla del mes anterior está mal formada.").format(name=name)) from exc
        if anchor is None or anchor.get("hash") != previous.get("head") or anchor.get("kind") != CLOSING_KIND:
            raise BundleRefused(_("{name}: el diario no continúa el cierre de {get} (asiento n.º {get2}) que el paquete declara.").format(name=name, get=previous.get('month'), get2=previous.get('seq')))


def _check_identity(name: str, manifest: dict[str, Any], rows: list[dict[str, Any]], chain_id: str) -> None:
    """The school's código modular and its corrections say what the journal says: the chain's identity is
    the code its registration entry states; every correction in the journal («comite.codigo») is in the
    manifest's ``code_history``, in order and unchanged; the current code is the last correction's (the
    registered code when there is none)."""
    from ..domain.committee import code_history, registered_code

    school = manifest.get("committee") or {}
    code = school.get("codigo_modular", "")
    registered = registered_code(rows)
    if registered is not None and registered != chain_id:
        raise BundleRefused(_("{name}: el diario empieza con el registro del código {registered}, pero el paquete dice que su cadena es la de {chain_id}.").format(name=name, registered=registered, chain_id=chain_id))
    declared = school.get("code_history")
    if declared is None:  # a bundle older than the correction of the code: its code is the chain's
        declared = []
    if not isinstance(declared, list) or not all(isinstance(c, dict) for c in declared):
        raise BundleRefused(_("{name}: el historial del código modular del paquete está mal formado.").format(name=name))
    before = chain_id
    for c in declared:
        if str(c.get("from")) != before:
            raise BundleRefused(_("{name}: el historial del código modular no encadena: la corrección del asiento n.º {get} parte de {get2}, pero el código era {before}.").format(name=name, get=c.get('seq'), get2=c.get('from'), before=before))
        before = str(c.get("to"))
    in_journal = [c.as_json() for c in code_history(rows)]
    last_seq = int(rows[-1]["seq"]) if rows else 0
    said = [c for c in declared if isinstance(c.get("seq"), int) and c["seq"] <= last_seq]
    if said != in_journal:
        raise BundleRefused(_("{name}: el historial del código modular no es el que dice el diario (el diario tiene {len} corrección(es) del código).").format(name=name, len=len(in_journal)))
    expected = str(declared[-1].get("to")) if declared else chain_id
    if code != expected:
        raise BundleRefused(_("{name}: el paquete dice que el código modular es {code}, pero según su diario y su historial de correcciones es {expected}.").format(name=name, code=code, expected=expected))
