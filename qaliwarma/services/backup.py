"""Backups a committee can make and restore: one file that carries its own verification.

A backup is a zip with two members: ``qaliwarma.sqlite3`` (an online copy of the database, safe while
the application runs) and ``copia.json`` (what the copy holds: each committee with its journal's
entries and head, its last entry and closed months; the copy's SHA-256). Restoring reads the manifest,
checks the file's SHA-256, opens the copy aside and re-verifies every committee's journal chain against
the manifest's head; only then the current database is moved aside (kept, never deleted) and the copy
takes its place. Anything wrong: refused, nothing changes.

Automatic copies go to «copias» beside the database (in the data folder) (daily on use, before closing a month, before an
upgrade), keeping the newest ``KEEP`` of each kind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..errors import InvalidInput, QaliwarmaError
from ..i18n import _, ngettext
from ..persistence.engine import Database, sqlite_file

FORMAT = "qaliwarma-copia/1"
DB_NAME, MANIFEST_NAME = "qaliwarma.sqlite3", "copia.json"
SUFFIX = ".qwcopia"
KEEP = {"diaria": 7, "cierre": 12, "actualizacion": 5, "manual": 10}
# The working folder of a copy or a restore being made, beside its target: a program stopped half-way (power
# cut, kill -9) leaves it behind, a whole copy of the database; the next automatic copy removes such folders
# once they are older than LEFTOVER_AGE_S (a copy still being made by another program is never that old).
WORK_PREFIX = ".qaliwarma-en-curso-"
LEFTOVER_AGE_S = 3600
REASON_LABELS = {"diaria": "copia diaria", "cierre": "antes de cerrar un mes", "actualizacion": "antes de actualizar",
                 "manual": "hecha a pedido"}


class BackupRefused(QaliwarmaError):
    """A backup that cannot be restored (damaged, altered, not a backup): nothing was changed."""


@dataclass(frozen=True)
class CommitteeHeld:
    codigo_modular: str
    school_name: str
    entries: int
    head: str
    last_entry_date: str | None
    last_entry_kind: str | None
    last_recorded_at: str | None
    months_closed: list[str]


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: str
    reason: str
    schema: str | None
    committees: list[CommitteeHeld] = field(default_factory=list)
    size: int = 0

    def describe(self) -> str:
        lines = [_("Copia del {when} ({why})").format(when=self.created_at[:16].replace("T", " "),
                                                     why=_(REASON_LABELS.get(self.reason, self.reason)))]
        for c in self.committees:
            last = (_("último asiento n.º {n} ({kind}, fecha {day}, anotado el {recorded})").format(
                n=c.entries, kind=c.last_entry_kind, day=f"{date.fromisoformat(c.last_entry_date):%d/%m/%Y}",
                recorded=c.last_recorded_at[:10] if c.last_recorded_at else "?")
                if c.last_entry_date else _("sin registros"))
            closed = ", ".join(c.months_closed) if c.months_closed else _("ninguno")
            lines.append("  " + _("{school} ({code}): {last}; meses cerrados: {closed}").format(
                school=c.school_name, code=c.codigo_modular, last=last, closed=closed))
        if not self.committees:
            lines.append("  " + _("Sin comité registrado."))
        return "\n".join(lines)


def backups_dir(db: Database) -> Path:
    """The automatic backups' folder: «copias» beside the database file (in the data folder)."""
    path = _require_sqlite(db).parent / "copias"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _require_sqlite(db: Database) -> Path:
    path = sqlite_file(db.url)
    if path is None:
        raise InvalidInput(_("Las copias de seguridad son para la base SQLite del comité. Una base PostgreSQL se "
                           "respalda con las herramientas del servidor (pg_dump)."))
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _holdings(conn: sqlite3.Connection) -> tuple[str | None, list[CommitteeHeld]]:
    """What a database file holds, read with plain SQL (so an old schema is read the same way)."""
    def has(table: str) -> bool:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone() is not None

    schema = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] if has("alembic_version") else None
    held = []
    if has("committees"):
        for cid, code, name in conn.execute("SELECT id, codigo_modular, school_name FROM committees ORDER BY id").fetchall():
            last = conn.execute("SELECT seq, hash, entry_date, kind, recorded_at FROM journal_entries WHERE committee_id=? "
                                "ORDER BY seq DESC LIMIT 1", (cid,)).fetchone()
            months = [r[0] for r in conn.execute("SELECT month FROM closed_periods WHERE committee_id=? ORDER BY month",
                                                 (cid,))]
            held.append(CommitteeHeld(code, name, last[0] if last else 0, last[1] if last else "0" * 64,
                                      str(last[2]) if last else None, last[3] if last else None,
                                      last[4] if last else None, months))
    return schema, held


def _verify_chains(path: Path, held: list[CommitteeHeld]) -> None:
    """Every committee's chain in the file verifies and ends at the head the manifest names."""
    from ..persistence.journal import verify_chain

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for c in held:
            # the chain's identity (schema 0010 on); an older copy's chains were hashed with the código modular
            chain_column = any(col[1] == "chain_id" for col in conn.execute("PRAGMA table_info(committees)"))
            row = conn.execute(f"SELECT id, {'chain_id' if chain_column else 'codigo_modular'} FROM committees "
                               "WHERE codigo_modular=?", (c.codigo_modular,)).fetchone()
            if row is None:
                raise BackupRefused(_("La copia no contiene el comité {code} que dice contener.").format(
                    code=c.codigo_modular))
            cursor = conn.execute(
                "SELECT seq, kind, entry_date, payload, corrects_seq, correction_type, reason, user, recorded_at, "
                "prev_hash, hash FROM journal_entries WHERE committee_id=? ORDER BY seq", (row[0],))
            names = [d[0] for d in cursor.description]
            check = verify_chain(row[1], (dict(zip(names, r, strict=True)) for r in cursor))
            if not check.ok:
                raise BackupRefused(_("La copia está dañada: {problem}").format(problem=check.message()))
            if check.entries != c.entries or check.head != c.head:
                raise BackupRefused(_("La copia está dañada: el diario de {code} no termina donde la copia dice "
                                      "(faltan o sobran asientos).").format(code=c.codigo_modular))
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(_("La copia está dañada: la base de datos no se puede leer ({detail}).").format(
            detail=exc)) from exc
    finally:
        conn.close()


def create(db: Database, target: Path | None = None, *, reason: str = "manual", folder: Path | None = None) -> BackupInfo:
    """Write a backup of ``db``: to ``target`` (a file), or a new file in ``folder`` (default: the
    data folder's «copias»). Returns what it holds."""
    source = _require_sqlite(db)
    stamp = datetime.now()
    if target is None:
        folder = folder or backups_dir(db)
        if not folder.is_dir():
            raise InvalidInput(_("No existe la carpeta {folder}.").format(folder=folder))
        target = folder / f"qaliwarma-{reason}-{stamp:%Y%m%d-%H%M%S}{SUFFIX}"
        n = 1
        while target.exists():
            target = folder / f"qaliwarma-{reason}-{stamp:%Y%m%d-%H%M%S}-{n}{SUFFIX}"
            n += 1
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=WORK_PREFIX) as tmp:
        copy = Path(tmp) / DB_NAME
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(copy)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
                schema, held = _holdings(dst)
            finally:
                dst.close()
        finally:
            src.close()
        manifest = {
            "format": FORMAT, "created_at": stamp.isoformat(timespec="seconds"), "reason": reason, "schema": schema,
            "database_sha256": _sha256(copy), "database_size": copy.stat().st_size,
            "committees": [vars(c) for c in held],
        }
        partial = Path(tmp) / "copia.zip"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            zf.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
            zf.write(copy, DB_NAME)
        os.chmod(partial, 0o600)
        os.replace(partial, target)  # whole or nothing: no half-written backup under the final name
    return BackupInfo(target, manifest["created_at"], reason, schema, held, target.stat().st_size)


def _read_manifest(zf: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(zf.read(MANIFEST_NAME).decode("utf-8"))
    except KeyError as exc:
        raise BackupRefused(_("El archivo no es una copia de seguridad de Qali Warma CAE (no tiene «copia.json»).")) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupRefused(_("La copia está dañada: su descripción no se puede leer.")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupRefused(_("Formato de copia desconocido: {format!r}.").format(format=manifest.get("format")))
    return manifest


def inspect(path: Path) -> BackupInfo:
    """What a backup holds (committee, entries, last entry, closed months), from its manifest."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(_("No existe el archivo {path}.").format(path=path))
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = _read_manifest(zf)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupRefused(_("El archivo {name} está dañado o no es una copia de seguridad.").format(
            name=path.name)) from exc
    held = [CommitteeHeld(**c) for c in manifest["committees"]]
    return BackupInfo(path, manifest["created_at"], manifest["reason"], manifest.get("schema"), held, path.stat().st_size)


def _extract_verified(path: Path, into: Path) -> BackupInfo:
    """Extract the database of backup ``path`` into folder ``into`` and verify it completely."""
    info = inspect(path)
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = _read_manifest(zf)
            bad = zf.testzip()
            if bad is not None:
                raise BackupRefused(_("La copia está dañada: «{name}» no pasa su control.").format(name=bad))
            with zf.open(DB_NAME) as src, open(into / DB_NAME, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError) as exc:
        raise BackupRefused(_("La copia {name} está dañada: {detail}").format(name=path.name, detail=exc)) from exc
    copy = into / DB_NAME
    if _sha256(copy) != manifest["database_sha256"]:
        raise BackupRefused(_("La copia está dañada: su base de datos no coincide con la huella que la copia trae."))
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupRefused(_("La copia está dañada: la base de datos no pasa la revisión de integridad."))
        _schema, held = _holdings(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(_("La copia está dañada: {detail}").format(detail=exc)) from exc
    finally:
        conn.close()
    if [vars(c) for c in held] != manifest["committees"]:
        raise BackupRefused(_("La copia está dañada: su contenido no coincide con lo que dice contener."))
    _verify_chains(copy, held)
    _verify_projections(copy)
    return info


def _verify_projections(path: Path) -> None:
    """Every table the screens and reports read agrees with the journal, as `qaliwarma verify` checks: a copy
    of a database edited behind the application's back is not «íntegra» even when its chains are."""
    from ..persistence.engine import open_database
    from .integrity import check_database

    db = open_database(f"sqlite:///{path}")  # a temporary copy: an older schema is brought up to date here
    try:
        results = check_database(db)
    finally:
        db.dispose()
    for result in results:
        if result.findings:
            raise BackupRefused(_(
                "La copia tiene datos que no coinciden con su diario ({n} diferencia(s); la primera: {first}): "
                "fueron cambiados fuera del programa. No se restaura.").format(
                    n=len(result.findings), first=result.findings[0]))


def verify(path: Path) -> BackupInfo:
    """Check a backup completely without restoring it."""
    with tempfile.TemporaryDirectory() as tmp:
        return _extract_verified(Path(path), Path(tmp))


@dataclass(frozen=True)
class Restored:
    backup: BackupInfo
    database: Path
    replaced: Path | None  # where the previous database was kept


def restore(path: Path, database: Path) -> Restored:
    """Replace the SQLite file ``database`` by the backup ``path`` once it is verified. The current
    file is moved aside (``…antes-de-restaurar-…``), never deleted. Close every connection first."""
    database = Path(database)
    database.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(dir=database.parent, prefix=WORK_PREFIX) as tmp:
        info = _extract_verified(Path(path), Path(tmp))
        staged = Path(tmp) / DB_NAME
        os.chmod(staged, 0o600)
        replaced = None
        if database.exists():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            replaced = database.with_name(f"{database.stem}.antes-de-restaurar-{stamp}{database.suffix}")
            _checkpoint(database)
            os.replace(database, replaced)
            for extra in ("-wal", "-shm"):
                side = Path(str(database) + extra)
                if side.exists():
                    os.replace(side, Path(str(replaced) + extra))
        os.replace(staged, database)
    return Restored(info, database, replaced)


def _checkpoint(database: Path) -> None:
    """Fold the WAL into the file so the copy kept aside is complete on its own."""
    try:
        conn = sqlite3.connect(database)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass  # a damaged current file is still kept aside as it is


def listing(folder: Path) -> list[BackupInfo]:
    """The backups in ``folder``, newest first; unreadable ones skipped."""
    out = []
    for p in sorted(folder.glob(f"*{SUFFIX}"), reverse=True):
        try:
            out.append(inspect(p))
        except QaliwarmaError:
            continue
    return out


def rotate(folder: Path) -> list[Path]:
    """Keep the newest KEEP[kind] automatic backups of each kind; return the ones removed."""
    removed = []
    for reason, keep in KEEP.items():
        files = sorted(folder.glob(f"qaliwarma-{reason}-*{SUFFIX}"), reverse=True)
        for old in files[keep:]:
            old.unlink()
            removed.append(old)
    return removed


def remove_leftovers(*folders: Path, now: float | None = None) -> list[Path]:
    """Remove the working folders (``WORK_PREFIX``) that copies or restores stopped half-way left in ``folders``,
    once older than ``LEFTOVER_AGE_S``; return the ones removed. Nothing else is touched."""
    import time

    now = time.time() if now is None else now
    removed = []
    for folder in folders:
        try:
            candidates = [p for p in folder.iterdir() if p.name.startswith(WORK_PREFIX) and p.is_dir()]
        except OSError:
            continue
        for path in candidates:
            try:
                if now - path.stat().st_mtime < LEFTOVER_AGE_S:
                    continue
                shutil.rmtree(path)
            except OSError:  # in use or not ours to remove: left for a later copy
                continue
            removed.append(path)
    return removed


def automatic(db: Database, reason: str, *, folder: Path | None = None, today: date | None = None) -> BackupInfo | None:
    """An automatic backup into the data folder: ``diaria`` once a day (None when today's exists),
    ``cierre`` before closing a month, ``actualizacion`` before an upgrade; then the rotation. Working folders
    left by a copy or a restore that was stopped half-way are removed first (``remove_leftovers``)."""
    if sqlite_file(db.url) is None:
        return None
    folder = folder or backups_dir(db)
    remove_leftovers(folder, sqlite_file(db.url).parent)
    if reason == "diaria":
        day = (today or date.today()).strftime("%Y%m%d")
        if any(folder.glob(f"qaliwarma-diaria-{day}-*{SUFFIX}")):
            return None
    info = create(db, reason=reason, folder=folder)
    rotate(folder)
    return info


def losses(database: Path, info: BackupInfo) -> list[str]:
    """What the data at ``database`` holds that the copy ``info`` does not, one sentence per committee: the
    entries recorded after the copy was made, the months closed since, a committee the copy lacks. Said before
    a restore puts the copy in the data's place: restoring an older copy reopened a closed month and hid every
    record made since, and the confirmation said only that the data «quedan aparte» (empty: nothing is lost)."""
    from ..vocab import period_label

    database = Path(database)
    if not database.exists():
        return []
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _schema, now = _holdings(conn)
    finally:
        conn.close()
    in_copy = {c.codigo_modular: c for c in info.committees}
    said = []
    for current in now:
        copy = in_copy.get(current.codigo_modular)
        name = _("{school} ({code})").format(school=current.school_name, code=current.codigo_modular)
        if copy is None:
            if current.entries:
                said.append(_("{name}: la copia no tiene este comité; sus {n} asientos dejarían de verse.").format(
                    name=name, n=current.entries))
            continue
        lost = current.entries - copy.entries
        closed = [period_label(m) for m in current.months_closed if m not in copy.months_closed]
        parts = []
        if lost > 0:
            parts.append(ngettext(_("los datos actuales tienen {now} asientos y la copia {copy}: el más reciente "
                                    "dejaría de verse"),
                                  _("los datos actuales tienen {now} asientos y la copia {copy}: los {lost} más "
                                    "recientes dejarían de verse"), lost).format(now=current.entries,
                                                                                 copy=copy.entries, lost=lost))
        if closed:
            parts.append(_("el cierre de {months} se desharía (el mes quedaría abierto)").format(
                months=", ".join(closed)))
        if parts:
            said.append(f"{name}: " + "; ".join(parts) + ".")
    return said


def restore_losses(db: Database, info: BackupInfo) -> list[str]:
    """:func:`losses` for the open database ``db`` (SQLite)."""
    return losses(_require_sqlite(db), info)


def restore_over(db: Database, path: Path) -> Restored:
    """Restore backup ``path`` in place of the open database ``db`` (closed first; reopen it after)."""
    target = _require_sqlite(db)
    verify(path)  # before closing anything
    db.dispose()
    return restore(path, target)
