"""`qaliwarma verify`: the journal's chain, its anchors, and every projection checked against it.

The journal is the record; the tables the screens and reports read (expenses, transfers, services,
stock lots and movements, the committee's data and enrolment, closed months) are projections of it.
``check_committee`` rebuilds what each projection row must say from the journal entries and names
every row that differs, every entry without its row, and every row without its entry. A row edited
with ``sqlite3`` or ``psql`` is therefore found even though the row itself carries no hash.

``check_code`` compares the database with a verification code printed on a monthly report (see
README «Qué puede probar la verificación»).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import defaultdict
from collections.abc import Generator, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.committee import CODE_CORRECTION_KIND
from ..i18n import N_, _
from ..persistence.engine import Database
from ..persistence.journal import (
    _CHAIN_COLUMNS,
    AFTER_CLOSING,
    CLOSING,
    GENESIS,
    REVERSAL,
    ChainCheck,
    ChainVerifier,
    Journal,
    _row_dict,
    month_of,
)
from ..persistence.models import (
    BudgetHeading,
    ClosedMonthFile,
    ClosedPeriod,
    Committee,
    JournalEntry,
    ServiceRecord,
    StockLot,
    StockMovement,
    TreasuryCycle,
    TreasuryExpense,
    TreasuryTransfer,
)

# incidents that lost food write its loss (merma); recorded issues to the kitchen replace the proposal
STOCK_KINDS = ("recepcion", "servicio", "stock.ajuste", "tesoreria.gasto", "incidencia", "stock.salida")


@dataclass(frozen=True)
class Finding:
    """One row (or entry) that does not agree with the journal."""

    table: str
    row: str  # the row's id or key, as the user can find it
    what: str

    def __str__(self) -> str:
        """«Gasto — treasury_expenses id 8: monto («amount») dice 35.50, pero el asiento n.º 12 dice 30.00»: what
        the row is, in words, then where it is for whoever opens the file (``as_dict`` keeps the table's name)."""
        label = TABLE_LABELS.get(self.table)
        if label is None:
            return f"{self.table} {self.row}: {self.what}"
        return f"{_(label)} — {self.table} {self.row}: {self.what}"

    def plain(self) -> str:
        """«Gasto id 8: monto dice 35.50, pero el asiento n.º 12 dice 30.00»: for the committee's screens, without
        the names of the file's tables and columns (``str`` keeps them, for ``verify`` and whoever opens the file)."""
        label = TABLE_LABELS.get(self.table)
        what = _COLUMN_NAME.sub("", self.what)
        return f"{_(label) if label else self.table.capitalize()} {self.row}: {what}"


_COLUMN_NAME = re.compile(r" \(«[a-z_]+»\)")  # « («amount»)» after a column's words (_field)

# What each checked table holds, and each compared column, in the committee's words (the findings are read by a
# secretary and a supervisor, not only by whoever opens the file with sqlite3)
TABLE_LABELS = {"treasury_expenses": N_("Gasto"), "treasury_transfers": N_("Transferencia recibida"),
                "treasury_cycles": N_("Rendición del mes"), "budget_headings": N_("Rubro"), "committees": N_("Datos del comité"),
                "committee_levels": N_("Matrícula del nivel"), "closed_periods": N_("Mes cerrado"),
                "stock_lots": N_("Lote del almacén"), "stock_movements": N_("Movimiento del almacén"),
                "service_records": N_("Servicio del día"), "menu_entries": N_("Menú de un mes cerrado"),
                "calendar_breaks": N_("Calendario de un mes cerrado"),
                "closed_month_files": N_("Archivo guardado al cerrar el mes")}
FIELD_LABELS = {"amount": N_("monto"), "day": N_("fecha"), "cycle": N_("mes"), "heading": N_("rubro"), "doc_type": N_("tipo de documento"),
                "doc_number": N_("número del documento"), "party_id": N_("RUC o DNI"), "party_name": N_("proveedor"),
                "detail": N_("detalle"), "payment": N_("forma de pago"), "active": N_("vigente"), "number": N_("número"),
                "reference": N_("referencia"), "rations": N_("raciones"), "level": N_("nivel"), "meal": N_("comida"),
                "share_percent": N_("porcentaje"), "fixed_amount": N_("monto fijo por ciclo"), "name": N_("nombre"),
                "position": N_("orden"), "state": N_("estado"), "observations": N_("observaciones"),
                "school_name": N_("nombre de la escuela"), "region": N_("región"), "district": N_("distrito"),
                "quintile": N_("quintil"), "modality": N_("modalidad"), "codigo_modular": N_("código modular"),
                "chain_id": N_("identidad de la cadena"), "attendance": N_("asistencia"), "recipe_id": N_("receta"),
                "leftovers": N_("sobras"), "ugel": N_("UGEL"), "suspension_reason": N_("motivo de la suspensión"),
                "enrolment": N_("matrícula"), "department": N_("departamento"), "province": N_("provincia"),
                "amazonian_indigenous": N_("escuela de pueblo indígena amazónico")}


def _field(name: str) -> str:
    """«monto («amount»)»: the column in words, with its name in the file."""
    label = FIELD_LABELS.get(name)
    return f"{_(label)} («{name}»)" if label else f"«{name}»"


@dataclass
class CommitteeCheck:
    code: str
    chain: ChainCheck
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.findings

    def lines(self) -> list[str]:
        from ..i18n import _

        if self.findings and self.chain.ok:  # never «íntegro» first when the tables were changed behind its back
            out = [_("Comité {code}: LOS REGISTROS NO COINCIDEN CON EL DIARIO. La cadena de {entries} asientos está "
                     "íntegra, pero {n} dato(s) de las tablas fueron cambiados fuera del programa:").format(
                code=self.code, entries=self.chain.entries, n=len(self.findings))]
            return out + [f"  - {f}" for f in self.findings]
        out = [_("Comité {code}: {message}").format(code=self.code, message=self.chain.message())]
        if self.findings:
            out.append(_("  {n} dato(s) no coinciden con el diario:").format(n=len(self.findings)))
            out += [f"  - {f}" for f in self.findings]
        return out

    def first_problem(self, *, plain: bool = False) -> str:
        """What to say first: a broken chain (the entry changed or missing) before the table findings that follow
        from it. An edited entry n.º 86 was refused as «la primera: … asiento n.º 101: el cierre … lleva …».
        ``plain``: without the file's table and column names (``Finding.plain``), for the committee's screens."""
        if not self.chain.ok or not self.findings:
            return self.chain.message()
        return self.findings[0].plain() if plain else str(self.findings[0])

    def copy(self) -> CommitteeCheck:
        return CommitteeCheck(self.code, self.chain, list(self.findings))

    def as_dict(self) -> dict[str, Any]:
        return {"committee": self.code, "ok": self.ok, "entries": self.chain.entries, "head": self.chain.head,
                "first_bad_seq": self.chain.first_bad_seq, "problem": self.chain.problem,
                "findings": [{"table": f.table, "row": f.row, "what": f.what} for f in self.findings]}


def check_database(db: Database) -> list[CommitteeCheck]:
    with db.session() as s:
        committees = s.execute(select(Committee.id, Committee.codigo_modular).order_by(Committee.id)).all()
        return [check_committee(s, cid, code) for cid, code in committees]


class _Head(NamedTuple):
    """What the checks below read of an entry besides its payload."""

    seq: int
    kind: str
    entry_date: date
    corrects_seq: int | None
    correction_type: str | None


def check_committee(s: Session, committee_id: int, code: str) -> CommitteeCheck:
    """The chain and every projection of one committee, read in the session ``s``."""
    return _drain(_check_steps(lambda: nullcontext(s), committee_id, code))


def _drain(steps: Iterator[None]) -> Any:
    """Run a generator of steps to its end; its return value."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


STEP_ENTRIES = 2000  # journal entries read, hashed and parsed per step of check_in_steps


def _check_steps(sessions, committee_id: int, code: str) -> Generator[None, None, CommitteeCheck]:
    """``check_committee`` as steps (a generator that yields between them and returns the CommitteeCheck): the
    journal ``STEP_ENTRIES`` entries at a time, then each table. ``sessions()`` opens the unit of work a step
    reads in (one session for all of them, or one per step)."""
    with sessions() as s:
        journal = Journal(s, committee_id)
        journal.write()
        chain_id = journal.chain_id
        bind = s.get_bind()
        url = str(getattr(bind, "engine", bind).url)
    chain = ChainVerifier(chain_id)
    findings: list[Finding] = []
    # one pass over the journal, as plain rows read through the connection (no ORM objects: a year of
    # 10,000 receipts kept tens of MB of identity map alive): each entry's hash checked, its payload parsed
    # and its text let go; journal.jsonl of the month's bundle hashed on the way
    entries: list[_Head] = []
    payloads = {}
    same: dict[str, str] = {}  # one copy of each key and short value for the whole journal (json makes one per entry)
    from .export import journal_line  # the bundle's journal.jsonl: hashed here as the chain is checked

    file_hash = hashlib.sha256()
    closings: list[tuple[int, str, str]] = []  # (entries, head, digest) of the file up to each closing entry
    loads, feed = json.loads, chain.feed
    last = 0
    while True:
        with sessions() as s:
            rows = s.connection().execute(
                select(*_CHAIN_COLUMNS).where(JournalEntry.committee_id == committee_id, JournalEntry.seq > last)
                .order_by(JournalEntry.seq).limit(STEP_ENTRIES)).all()
        for row in rows:
            if feed(row._mapping):
                file_hash.update((journal_line(_row_dict(row)) + "\n").encode("utf-8"))
                if row.kind == CLOSING:
                    closings.append((chain.count, row.hash, file_hash.copy().hexdigest()))
            seq = row.seq
            entries.append(_Head(seq, row.kind, row.entry_date, row.corrects_seq, row.correction_type))
            try:
                p = loads(row.payload)
                if type(p) is dict:
                    p = {same.setdefault(k, k): same.setdefault(v, v) if type(v) is str and len(v) <= 12 else v
                         for k, v in p.items()}
                payloads[seq] = p
            except ValueError:
                findings.append(Finding("diario", _("asiento n.º {seq}").format(seq=seq), _("su contenido no es legible")))
                payloads[seq] = {}
        if len(rows) < STEP_ENTRIES:
            break
        last = rows[-1].seq
        del rows
        yield
    result = CommitteeCheck(code, chain.result(), findings)
    if result.chain.ok and entries:  # the month's bundle (Cierre, report, export) finds its journal's digest
        from .export import remember_journal_digest

        for n, head, digest in (*closings, (result.chain.entries, result.chain.head, file_hash.hexdigest())):
            remember_journal_digest(url, committee_id, n, head, digest)
    if not entries:
        result.findings.append(Finding("diario", "", _("está vacío, pero el comité existe: todo comité empieza con "
                                                     "su asiento de registro (n.º 1). El diario fue borrado.")))
    elif entries[0].kind != "comite.registro":
        result.findings.insert(0, Finding("diario", _("asiento n.º 1"), _("es «{kind}», no el registro del comité: el diario no empieza donde debe.").format(kind=entries[0].kind)))
    reversed_seqs = {e.corrects_seq for e in entries if e.correction_type == REVERSAL}
    by_seq = {e.seq: e for e in entries}
    f = result.findings
    closing_of: dict[str, int] = {}
    for e in entries:
        month = month_of(e.entry_date)
        if e.kind == CLOSING:
            closing_of.setdefault(str(payloads[e.seq].get("month")), e.seq)
        elif month in closing_of and e.kind not in AFTER_CLOSING:
            f.append(Finding("diario", _("asiento n.º {seq}").format(seq=e.seq), _("está fechado en {month}, que el asiento n.º {value} ya había cerrado").format(month=month, value=closing_of[month])))
    with sessions() as s:
        _closed_periods(s, committee_id, entries, payloads, f)
        _sealed(s, committee_id, entries, payloads, f)
        _kept_files(s, committee_id, entries, payloads, f)
        _committee(s, committee_id, entries, payloads, f)
        _expenses(s, committee_id, entries, payloads, reversed_seqs, f)
    yield
    with sessions() as s:
        _transfers(s, committee_id, entries, payloads, reversed_seqs, f)
        _cycles(s, committee_id, entries, payloads, f)
        _headings(s, committee_id, entries, payloads, f)
        _services(s, committee_id, entries, payloads, reversed_seqs, f)
    yield
    with sessions() as s:
        _carried_treasury(s, committee_id, entries, payloads, f)
    yield
    with sessions() as s:
        moves = s.execute(select(StockMovement.id, StockMovement.journal_seq, StockMovement.day, StockMovement.lot_id,
                                 StockMovement.food_code, StockMovement.grams, StockMovement.kind)
                          .where(StockMovement.committee_id == committee_id).order_by(StockMovement.id)).all()
        _stock(s, committee_id, by_seq, payloads, moves, f)
        _lots(s, committee_id, entries, payloads, reversed_seqs, f)
        _kardex(s, committee_id, entries, payloads, moves, f)
    return result


def _dec(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _differ(table: str, key: str, expected: dict[str, Any], actual: dict[str, Any], out: list[Finding],
            seq: int) -> None:
    for name, want in expected.items():
        have = actual[name]
        if isinstance(want, Decimal) and have is not None:
            same = Decimal(have) == want
        else:
            same = have == want
        if not same:
            out.append(Finding(table, key, _("{table_says}, pero {entry_says}").format(table_says=_table_says(name, have), entry_says=_entry_says(seq, want))))


def _table_says(name: str, have: Any) -> str:
    """What the table holds, in words (never Python's «None»)."""
    return _("{field} está sin valor").format(field=_field(name)) if have is None else _("{field} dice {have!s}").format(field=_field(name), have=have)


def _entry_says(seq: int, want: Any) -> str:
    return _("el asiento n.º {seq} no lo dice (sin valor)").format(seq=seq) if want is None else _("el asiento n.º {seq} dice {want!s}").format(seq=seq, want=want)


def _closed_periods(s, committee_id, entries, payloads, out) -> None:
    facts = {}
    for e in entries:
        if e.kind == CLOSING:
            facts[str(payloads[e.seq].get("month"))] = e.seq
    rows = set(s.scalars(select(ClosedPeriod.month).where(ClosedPeriod.committee_id == committee_id)))
    for month in sorted(rows - set(facts)):
        out.append(Finding("closed_periods", month, _("figura cerrado, pero el diario no tiene su asiento de cierre "
                                                    "(¿asientos borrados al final del diario?)")))
    for month in sorted(set(facts) - rows):
        out.append(Finding("closed_periods", month, _("falta la fila del mes cerrado por el asiento n.º {value} (el mes sigue cerrado: el diario manda)").format(value=facts[month])))


def _day_list(days: tuple[str, ...]) -> str:
    """«03/11, 04/11 y 12/11»; past eight, «… y 5 más»."""
    shown = [f"{d[8:10]}/{d[5:7]}" for d in days[:8]]
    if len(days) > 8:
        return _("{days} y {n} más").format(days=", ".join(shown), n=len(days) - 8)
    return shown[0] if len(shown) == 1 else _("{days} y {last}").format(days=", ".join(shown[:-1]), last=shown[-1])


def _sealed(s, committee_id, entries, payloads, out) -> None:
    """Each closed month's planned menu and school days against the seal its closing entry put on them
    (``domain.seal``): neither is a journal entry, so this is how a cell or a holiday changed afterwards with
    sqlite3 is found (it changed the month's report and code, and nothing said so)."""
    from ..domain.seal import SEAL_KEY, differences, is_seal
    from .export import FILES_KEY, month_seal_in

    for e in entries:
        if e.kind != CLOSING:
            continue
        payload = payloads[e.seq]
        sealed, month = payload.get(SEAL_KEY), payload.get("month")
        if not is_seal(sealed) or not isinstance(month, str):
            continue  # a closing recorded before the seal existed: nothing to compare with
        try:
            now = month_seal_in(s, committee_id, month)
        except ValueError:  # a month the entry does not name right: the chain check says what is wrong with it
            continue
        found = differences(sealed, now)
        if found.menu_days:
            out.append(Finding("menu_entries", month, _(
                "el menú planificado de {days} ya no es el que se cerró con el mes (asiento de cierre n.º {seq}): "
                "se cambió después del cierre, fuera del programa").format(days=_day_list(found.menu_days),
                                                                           seq=e.seq)))
        if isinstance(payload.get(FILES_KEY), dict):
            # the closing kept the month's files: its bundle keeps the school days it closed with whatever the
            # calendar says now, and its report is not printed again if they changed (export.require_as_closed).
            # A later update of the national holidays would otherwise be called a change made outside the program,
            # and every export and report of the committee refused.
            continue
        changes = []
        if found.school_days_added:
            changes.append(_("{days}: ahora son días de clases y al cerrar el mes no lo eran").format(
                days=_day_list(found.school_days_added)))
        if found.school_days_removed:
            changes.append(_("{days}: eran días de clases al cerrar el mes y ahora no").format(
                days=_day_list(found.school_days_removed)))
        if changes:
            out.append(Finding("calendar_breaks", month, _(
                "los días de clases ya no son los que se cerraron con el mes (asiento de cierre n.º {seq}): "
                "{changes}").format(seq=e.seq, changes="; ".join(changes))))


def _kept_files(s, committee_id, entries, payloads, out) -> None:
    """The files each closing kept of its month (closed_month_files, what the month's bundle is made of) against
    the SHA-256 its closing entry lists («archivos»): a file changed, missing or added is named."""
    from ..io.bundle import sha256
    from .export import FILES_KEY

    listed: dict[str, tuple[int, dict]] = {}
    for e in entries:
        payload = payloads[e.seq]
        if e.kind == CLOSING and isinstance(payload.get(FILES_KEY), dict):
            listed[str(payload.get("month"))] = (e.seq, payload[FILES_KEY])
    kept: dict[str, dict[str, str]] = defaultdict(dict)
    for month, name, content in s.execute(select(ClosedMonthFile.month, ClosedMonthFile.name, ClosedMonthFile.content)
                                          .where(ClosedMonthFile.committee_id == committee_id)):
        kept[month][name] = sha256(bytes(content))
    for month in sorted(set(listed) | set(kept)):
        if month not in listed:
            out.append(Finding("closed_month_files", month, _("ningún asiento de cierre guardó archivos de este mes: "
                                                              "las filas se escribieron fuera del programa")))
            continue
        seq, digests = listed[month]
        for name in sorted(set(digests) | set(kept[month])):
            if name not in kept[month]:
                what = _("falta {name}, que guardó el asiento de cierre n.º {seq}")
            elif name not in digests:
                what = _("sobra {name}: el asiento de cierre n.º {seq} no lo guardó")
            elif kept[month][name] != digests[name]:
                what = _("{name} ya no es el que guardó el asiento de cierre n.º {seq}: se cambió después del cierre")
            else:
                continue
            out.append(Finding("closed_month_files", month, what.format(name=name, seq=seq)))


def _committee(s, committee_id, entries, payloads, out) -> None:
    last = None
    code, code_seq = None, None  # the código modular as the entries leave it, and the entry that says so
    for e in entries:
        if e.kind in ("comite.registro", "comite.cambio"):
            last = e
            stated = payloads[e.seq].get("codigo_modular")
            code, code_seq = (stated.strip() if isinstance(stated, str) else stated), e.seq
        elif e.kind == CODE_CORRECTION_KIND:
            code, code_seq = payloads[e.seq].get("to"), e.seq
    row = s.get(Committee, committee_id)
    if last is None or row is None:
        return
    first = entries[0]
    if first.kind == "comite.registro":
        registered = payloads[first.seq].get("codigo_modular")
        registered = registered.strip() if isinstance(registered, str) else registered
        if row.chain_id != registered:
            out.append(Finding("committees", f"{row.codigo_modular}", _("{table_says}, pero {entry_says}: la identidad de la cadena no se cambia").format(table_says=_table_says('chain_id', row.chain_id), entry_says=_entry_says(first.seq, registered))))
    p = payloads[last.seq]
    # what the entry says of the school (older entries may lack the later fields: those are not compared)
    expected = {k: (p.get(k).strip() if isinstance(p.get(k), str) else p.get(k))
                for k in (*_ALWAYS_SAID, *_SAID_SINCE) if k in p or k in _ALWAYS_SAID}
    _differ("committees", f"{row.codigo_modular}", expected, {k: getattr(row, k) for k in expected}, out, last.seq)
    _differ("committees", f"{row.codigo_modular}", {"codigo_modular": code}, {"codigo_modular": row.codigo_modular},
            out, code_seq)
    said_levels = [lv for lv in p.get("levels") or [] if isinstance(lv, dict)]
    want_levels = {lv.get("level"): lv.get("enrolment") for lv in said_levels}
    have_levels = {lv.level: lv.enrolment for lv in row.levels}
    for level in sorted(set(want_levels) | set(have_levels)):
        if want_levels.get(level) != have_levels.get(level):
            out.append(Finding("committee_levels", level, _("{table_says}, pero {entry_says}").format(table_says=_table_says('enrolment', have_levels.get(level)), entry_says=_entry_says(last.seq, want_levels.get(level)))))
    want_codes = {lv.get("level"): lv.get("codigo_modular") or None for lv in said_levels if "codigo_modular" in lv}
    for lv in row.levels:  # each level's own código modular, printed on its reports
        if lv.level in want_codes and (lv.codigo_modular or None) != want_codes[lv.level]:
            out.append(Finding("committee_levels", lv.level, _("{table_says}, pero {entry_says}").format(
                table_says=_table_says("codigo_modular", lv.codigo_modular),
                entry_says=_entry_says(last.seq, want_codes[lv.level]))))


_ALWAYS_SAID = ("school_name", "ugel", "region", "district", "ubigeo", "quintile", "modality")
_SAID_SINCE = ("department", "province", "amazonian_indigenous")  # compared when the entry carries them


def _match(table, kind, entries, rows, reversed_seqs, out, expected_of) -> None:
    """Each row of ``table`` against the entry of ``kind`` it projects, and each such entry against its row.

    ``rows`` are compared as they are read (a stream: a year of receipts is not held twice, as rows and as
    the payloads): a row naming an entry that another row named before is a finding, and the last one read
    is the one compared. Findings come out as before: repeated rows, rows without their entry (by entry
    number), then entry by entry (missing row, or what differs)."""
    originals = {e.seq: e for e in entries if e.kind == kind and e.correction_type is None}
    seen: dict[int, int] = {}  # entry → id of the last row read for it
    stray: dict[int, Finding] = {}
    differs: dict[int, list[Finding]] = {}
    for row in rows:
        seq = row.journal_seq
        if seq in seen:
            out.append(Finding(table, f"id {row.id}", _("repite el asiento n.º {journal_seq} (fila id {id})").format(journal_seq=seq, id=seen[seq])))
        seen[seq] = row.id
        entry = originals.get(seq)
        if entry is None:
            stray[seq] = Finding(table, f"id {row.id}", _("no corresponde a ningún asiento de {kind} (dice n.º {seq})").format(kind=kind, seq=seq))
            continue
        expected = {**expected_of(entry), "active": seq not in reversed_seqs}
        found: list[Finding] = []
        _differ(table, f"id {row.id}", expected, {k: getattr(row, k) for k in expected}, found, seq)
        if found or seq in differs:  # the last row read is the one compared
            differs[seq] = found
    out.extend(stray[seq] for seq in sorted(stray))
    for seq in originals:
        if seq not in seen:
            out.append(Finding(table, _("asiento n.º {seq}").format(seq=seq), _("falta la fila de este asiento")))
        else:
            out.extend(differs.get(seq, ()))


def _rows(s, model, committee_id, since: tuple[int, date] | None = None):
    """A projection's rows of the committee, streamed as plain rows (not ORM objects). ``since`` (entry n.º,
    day): only the rows of later entries, or of later days (a row put under an old entry number is read too)."""
    t = model.__table__.c
    query = select(*t).where(t.committee_id == committee_id)
    if since is not None:
        query = query.where((t.journal_seq > since[0]) | (t.day > since[1]))
    return s.connection().execute(query.execution_options(yield_per=500))


def _expenses(s, committee_id, entries, payloads, reversed_seqs, out, since=None) -> None:
    rows = _rows(s, TreasuryExpense, committee_id, since)

    def expected(e):
        p = payloads[e.seq]
        return {"number": p.get("number"), "day": _day(p.get("day")), "cycle": month_of(e.entry_date),
                "heading": p.get("heading"), "doc_type": p.get("doc_type"),
                "doc_number": str(p.get("doc_number", "")).strip(), "party_id": p.get("party_id"),
                "party_name": p.get("party_name"), "detail": p.get("detail"), "amount": _dec(p.get("amount")),
                "payment": p.get("payment")}

    _match("treasury_expenses", "tesoreria.gasto", entries, rows, reversed_seqs, out, expected)


def _transfers(s, committee_id, entries, payloads, reversed_seqs, out, since=None) -> None:
    rows = _rows(s, TreasuryTransfer, committee_id, since)

    def expected(e):
        p = payloads[e.seq]
        return {"day": _day(p.get("day")), "cycle": month_of(e.entry_date), "amount": _dec(p.get("amount")),
                "reference": p.get("reference", ""), "deadline": _day(p.get("deadline"))}

    _match("treasury_transfers", "tesoreria.transferencia", entries, rows, reversed_seqs, out, expected)


def _cycles(s, committee_id, entries, payloads, out) -> None:
    """Each month's rendición (treasury_cycles: its state and the supervisor's observations, printed on the
    balance and the acta) against the last ``tesoreria.estado`` entry of that month; no entry: a draft."""
    from ..domain.treasury import rendiciones

    said = rendiciones(payloads[e.seq] for e in entries if e.kind == "tesoreria.estado" and e.correction_type is None)
    rows = {r.cycle: r for r in s.execute(select(TreasuryCycle.cycle, TreasuryCycle.state, TreasuryCycle.observations)
                                          .where(TreasuryCycle.committee_id == committee_id))}
    for cycle in sorted(set(said) | set(rows)):
        expected = said.get(cycle, {"state": "borrador", "observations": ""})
        row = rows.get(cycle)
        if row is None:
            if cycle in said:
                out.append(Finding("treasury_cycles", cycle, _("falta la fila de la rendición (el diario la da «{state}»)").format(state=expected["state"])))
            continue
        found = {"state": row.state, "observations": row.observations or ""}
        for key, value in expected.items():
            if found[key] != value:
                out.append(Finding("treasury_cycles", cycle, _("{field} dice «{found}», pero el diario da «{expected}»").format(field=_field(key), found=found[key], expected=value)))


def _headings(s, committee_id, entries, payloads, out) -> None:
    """The headings and their shares (budget_headings: what each month is allotted, printed on the balance)
    against the last ``tesoreria.rubros`` entry (headings set before those entries were entered as found by
    migration 0016). No entry: the defaults, and no rows."""
    from ..domain.treasury import DEFAULT_HEADINGS, HEADINGS_KIND, Heading, headings_of

    last = None
    closed_by = None  # the first closing: from it on, the shares may not change (set_headings refuses)
    in_force = [Heading(c, n, sh) for c, n, sh in DEFAULT_HEADINGS]
    for e in entries:
        if e.kind == CLOSING and closed_by is None:
            closed_by = e
        if e.kind != HEADINGS_KIND or e.correction_type is not None:
            continue
        now = headings_of(payloads[e.seq])
        found = type(payloads[e.seq]) is dict and payloads[e.seq].get("found") is True and last is None
        if closed_by is not None and not found and _shares(now) != _shares(in_force):
            out.append(Finding("diario", _("asiento n.º {seq}").format(seq=e.seq), _(
                "cambia los rubros después del cierre de {month} (asiento n.º {closing}): lo asignado en los meses "
                "cerrados cambiaría, y el programa no lo permite").format(
                    month=payloads[closed_by.seq].get("month") if type(payloads[closed_by.seq]) is dict else "?",
                    closing=closed_by.seq)))
        last, in_force = e, now
    rows = {r.code: r for r in s.execute(select(BudgetHeading.code, BudgetHeading.name, BudgetHeading.position,
                                                BudgetHeading.share_percent, BudgetHeading.fixed_amount)
                                         .where(BudgetHeading.committee_id == committee_id))}
    if last is None:  # the defaults, which need no entry: a row is written only with its entry
        for code in sorted(rows):
            out.append(Finding("budget_headings", code, _("ningún asiento fija los rubros (los de fábrica no tienen "
                                                          "filas): la fila se escribió fuera del programa")))
        return
    want = {h.code: (n, h) for n, h in enumerate(headings_of(payloads[last.seq]))}
    for code in sorted(set(want) | set(rows)):
        if code not in rows:
            out.append(Finding("budget_headings", code, _("falta el rubro que fija el asiento n.º {seq}").format(seq=last.seq)))
        elif code not in want:
            out.append(Finding("budget_headings", code, _("el asiento n.º {seq}, que fija los rubros, no tiene este rubro").format(seq=last.seq)))
        else:
            n, h = want[code]
            row = rows[code]
            _differ("budget_headings", code, {"name": h.name, "share_percent": h.share_percent,
                                              "fixed_amount": h.fixed_amount, "position": n},
                    {"name": row.name, "share_percent": row.share_percent, "fixed_amount": row.fixed_amount,
                     "position": row.position}, out, last.seq)


def _shares(headings) -> list[tuple]:
    """What decides the allotments: each heading's code, share and fixed amount, in order (names aside)."""
    return [(h.code, h.share_percent, h.fixed_amount) for h in headings]


def _carried_treasury(s, committee_id, entries, payloads, out) -> None:
    """The treasury figures each closing carries (later months' balances start from them) against the history
    it closed, recomputed from the whole of it."""
    from .treasury_figures import check_closing, expected_closings, month_days

    closings = []
    for e in entries:
        if e.kind == CLOSING and type(payloads[e.seq]) is dict:
            try:
                month_days(str(payloads[e.seq].get("month")))
            except ValueError:
                continue  # an altered month: the closed months' check names it
            closings.append((e.seq, str(payloads[e.seq]["month"])))
    expected = expected_closings(s, committee_id, closings)
    for seq, _month in closings:
        for what in check_closing(payloads[seq], expected.get(seq)):
            out.append(Finding("diario", _("asiento n.º {seq}").format(seq=seq), what))


def _services(s, committee_id, entries, payloads, reversed_seqs, out) -> None:
    rows = _rows(s, ServiceRecord, committee_id)

    def expected(e):
        p = payloads[e.seq]
        return {"day": _day(p.get("day")), "meal": p.get("meal"), "level": p.get("level"),
                "recipe_id": p.get("recipe_id"), "rations": p.get("rations"), "attendance": p.get("attendance"),
                "leftovers": p.get("leftovers", 0)}

    _match("service_records", "servicio", entries, rows, reversed_seqs, out, expected)


def _stock(s, committee_id, by_seq, payloads, moves, out) -> None:
    lots = {lot.id: lot for lot in s.scalars(select(StockLot).where(StockLot.committee_id == committee_id))}
    per_lot: dict[int, Decimal] = defaultdict(Decimal)
    per_seq: dict[int, Decimal] = defaultdict(Decimal)
    for m in moves:
        entry = by_seq.get(m.journal_seq)
        grams = Decimal(m.grams)
        per_lot[m.lot_id] += grams
        per_seq[m.journal_seq] += grams
        if entry is None:
            out.append(Finding("stock_movements", f"id {m.id}", _("no corresponde a ningún asiento (dice n.º {journal_seq}): ¿asientos borrados del diario?").format(journal_seq=m.journal_seq)))
        elif entry.kind not in STOCK_KINDS:
            out.append(Finding("stock_movements", f"id {m.id}", _("el asiento n.º {journal_seq} es «{kind}», que no mueve el almacén").format(journal_seq=m.journal_seq, kind=entry.kind)))
        elif m.day != entry.entry_date and entry.correction_type is None:
            out.append(Finding("stock_movements", f"id {m.id}", _("fecha {day}, pero el asiento n.º {journal_seq} es del {entry_date}").format(day=m.day, journal_seq=m.journal_seq, entry_date=entry.entry_date)))
    for lot_id, lot in sorted(lots.items()):
        if Decimal(lot.balance_grams) != per_lot.get(lot_id, Decimal(0)):
            out.append(Finding("stock_lots", _("id {lot_id} ({product_name}, lote {lot})").format(lot_id=lot_id, product_name=lot.product_name, lot=lot.lot),
                               _("saldo {Decimal:f} g, pero sus movimientos suman {get:f} g").format(Decimal=Decimal(lot.balance_grams), get=per_lot.get(lot_id, Decimal(0)))))
    for seq, entry in sorted(by_seq.items()):
        p = payloads[seq]
        want = None
        if entry.kind == "recepcion":
            try:
                want = sum((Decimal(str(ln["accepted_units"])) * Decimal(str(ln["net_grams_per_unit"]))
                            for ln in p.get("lines", []) if Decimal(str(ln["accepted_units"])) > 0), Decimal(0))
            except (KeyError, TypeError, InvalidOperation):
                want = None
        elif entry.kind == "stock.ajuste":
            want = _dec(p.get("grams"))
        elif entry.kind == "incidencia" and p.get("lost_grams") is not None:
            lost = _dec(p.get("lost_grams"))
            want = None if lost is None else -lost
        if want is None:
            continue
        if entry.correction_type == REVERSAL:
            want = -want
        elif entry.correction_type is not None:
            continue
        if per_seq.get(seq, Decimal(0)) != want:
            out.append(Finding("stock_movements", _("asiento n.º {seq}").format(seq=seq), _("los movimientos suman {get:f} g, pero el asiento dice {want:f} g").format(get=per_seq.get(seq, Decimal(0)), want=want)))


def _lots(s, committee_id, entries, payloads, reversed_seqs, out) -> None:
    """What says whether a lot may be cooked: its expiry, lot and brand (as the reception or the purchase that
    brought it wrote them) and its suspension (the programme's, a ``stock.suspension`` entry). A lot's balance
    was checked; these were not, and an expiry moved with sqlite3 made expired food look good."""
    from .stock import lot_key

    def key_of(line: dict, lot: str | None = None) -> str | None:
        try:
            expiry = line.get("expiry")
            return lot_key(str(line["food_code"]), str(line.get("brand") or ""), str(lot or line.get("lot") or ""),
                           date.fromisoformat(expiry) if expiry else None)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    brought: set[str] = set()  # every lot a reception or a purchase brought in
    suspended: dict[int, str] = {}  # lot id → the reason of the last suspension that covers it
    for e in entries:
        p = payloads[e.seq]
        if type(p) is not dict or e.correction_type is not None:
            continue
        if e.kind == "recepcion":
            brought |= {key_of(ln) for ln in p.get("lines") or [] if isinstance(ln, dict)}
        elif e.kind == "tesoreria.gasto":
            brought |= {key_of(item, item.get("lot") or f"COMPRA-{p.get('doc_number', '')}")
                        for item in p.get("items") or [] if isinstance(item, dict)}
        elif e.kind == "stock.suspension" and e.seq not in reversed_seqs:
            for lot_id in p.get("lots") or []:
                suspended[lot_id] = str(p.get("reason") or "")
    for lot in s.execute(select(StockLot.id, StockLot.lot_key, StockLot.food_code, StockLot.product_name,
                                StockLot.brand, StockLot.lot, StockLot.expiry, StockLot.suspended,
                                StockLot.suspension_reason).where(StockLot.committee_id == committee_id)
                         .order_by(StockLot.id)):
        where = _("id {lot_id} ({product_name}, lote {lot})").format(lot_id=lot.id, product_name=lot.product_name,
                                                                     lot=lot.lot)
        if lot_key(lot.food_code, lot.brand, lot.lot, lot.expiry) != lot.lot_key:
            out.append(Finding("stock_lots", where, _(
                "su vencimiento ({expiry}), su lote o su marca no son los de su clave «{key}», escrita al recibirlo")
                .format(expiry=lot.expiry.strftime("%d/%m/%Y") if lot.expiry else "—", key=lot.lot_key)))
        elif lot.lot_key not in brought:
            out.append(Finding("stock_lots", where, _(
                "ninguna recepción ni compra del diario trae este lote con este vencimiento ({expiry})").format(
                    expiry=lot.expiry.strftime("%d/%m/%Y") if lot.expiry else "—")))
        if bool(lot.suspended) != (lot.id in suspended):
            out.append(Finding("stock_lots", where, _(
                "figura suspendido, pero ningún asiento lo suspende") if lot.suspended else _(
                "el asiento de suspensión lo suspende («{reason}»), pero figura sin suspender").format(
                    reason=suspended.get(lot.id, ""))))
        elif lot.suspended and (lot.suspension_reason or "") != suspended[lot.id]:
            out.append(Finding("stock_lots", where, _("{field} dice «{found}», pero el diario da «{expected}»").format(
                field=_field("suspension_reason"), found=lot.suspension_reason, expected=suspended[lot.id])))


def normalise_code(code: str) -> str:
    """A printed code as typed («3F2A-9C1B-…», spaces, lower case) → its hex digits, lower case."""
    from ..errors import InvalidInput

    digits = "".join(ch for ch in code.lower() if ch not in " -·.")
    if len(digits) < 16 or any(ch not in "0123456789abcdef" for ch in digits):
        raise InvalidInput(_("El código «{value}» no es un código de verificación: escriba los 20 caracteres impresos en el informe mensual (por ejemplo 3F2A-9C1B-77D0-4E55-A1B2).").format(value=code[:80]))
    return digits


@dataclass(frozen=True)
class CodeMatch:
    ok: bool
    message: str
    committee: str | None = None
    month: str | None = None


def match_code(db: Database, code: str) -> CodeMatch:
    """Find the committee and month whose verification code (as ``export.month_code`` computes it now)
    starts with the printed ``code``: the database still holds that month exactly as it was printed."""
    from . import committee as committee_service
    from . import export

    digits = normalise_code(code)
    tried = []
    with db.session() as s:
        committees = s.execute(select(Committee.id, Committee.codigo_modular).order_by(Committee.id)).all()
        months_of = {}
        for cid, codigo in committees:
            journal = Journal(s, cid)
            months = journal.closed_months_in_journal()
            last = s.scalar(select(JournalEntry.entry_date).where(JournalEntry.committee_id == cid)
                            .order_by(JournalEntry.seq.desc()).limit(1))
            if last is not None:
                months.add(month_of(last))
            months_of[codigo] = sorted(months)
    for codigo, months in months_of.items():
        info = committee_service.current(db, codigo)
        if info is None:
            continue
        for month in reversed(months):
            full = export.month_code(db, info, month)
            tried.append(f"{codigo} {month}: {export.verification_code(full)}")
            if full.startswith(digits):
                return CodeMatch(True, _("El código corresponde a {school_name} ({codigo}), mes {month}: la base contiene ese mes tal como se imprimió.").format(school_name=info.form.school_name, codigo=codigo, month=month), codigo, month)
    listing = "; ".join(tried) or _("no hay meses")
    note = ""
    for codigo in months_of:  # a corrected código modular changes every month's code (it is sealed in it)
        info = committee_service.current(db, codigo)
        fixes = committee_service.code_corrections(db, info.id) if info is not None else []
        if fixes:
            note += " " + "; ".join(
                _("El código modular se corrigió el {fromisoformat:%d/%m/%Y} (asiento n.º {seq}, de {old} a {new}): un código impreso antes de esa corrección ya no coincide aunque nada más haya cambiado; compruebe ese informe con «verify --anchor» y el paquete que se envió.").format(fromisoformat=date.fromisoformat(c.day), seq=c.seq, old=c.old, new=c.new) for c in fixes)
    return CodeMatch(False, _("Ningún mes de esta base tiene el código {strip}: el diario o los registros cambiaron después de imprimirse, o el código es de otro comité. Códigos actuales: {listing}.{note}").format(strip=code.strip(), listing=listing, note=note))


def check_anchor(db: Database, bundle_path) -> CodeMatch:
    """Compare the database's chain with the journal of a bundle exported earlier (the anchor): the
    database must hold every entry of the bundle, unchanged. Names the last good entry otherwise."""
    from ..io.bundle import read_bundle

    bundle = read_bundle(bundle_path)
    codigo, month = bundle.manifest["committee"]["codigo_modular"], bundle.manifest["month"]
    chain = bundle.manifest["committee"].get("chain_id") or codigo
    rows = bundle.journal()
    with db.session() as s:  # the committee by its code, or by its chain (a bundle from before a correction)
        cid = s.scalar(select(Committee.id).where(Committee.codigo_modular == codigo)) or s.scalar(
            select(Committee.id).where(Committee.chain_id == chain).order_by(Committee.id).limit(1))
        if cid is None:
            return CodeMatch(False, _("la base no tiene el comité {codigo} del paquete {name}.").format(codigo=codigo, name=bundle.path.name))
        hashes = list(s.scalars(select(JournalEntry.hash).where(JournalEntry.committee_id == cid)
                                .order_by(JournalEntry.seq)))
    for i, row in enumerate(rows):
        if i >= len(hashes):
            return CodeMatch(False, _("la cadena de la base es más corta que el ancla ({name}, {month}): termina en el asiento n.º {len} y el paquete llega al n.º {len2}. Último asiento bueno: n.º {len}.").format(name=bundle.path.name, month=month, len=len(hashes), len2=len(rows)), codigo, month)
        if hashes[i] != row.get("hash"):
            return CodeMatch(False, _("la cadena de la base no continúa el ancla ({name}, {month}): el asiento n.º {value} es distinto. Último asiento bueno: n.º {i}.").format(name=bundle.path.name, month=month, value=i + 1, i=i), codigo, month)
    return CodeMatch(True, _("la base contiene, sin cambios, los {len} asientos del paquete {name} ({month}).").format(len=len(rows), name=bundle.path.name, month=month), codigo, month)


_CHECKING = threading.Lock()  # one whole check at a time: a second caller waits and takes the first one's result


def _kept(db: Database, committee_id: int, token) -> CommitteeCheck | None:
    kept = db.memo.get(("integrity", committee_id)) if token is not None else None
    return kept[1] if kept is not None and kept[0] == token else None


def _code(db: Database, committee_id: int) -> str:
    with db.session() as s:
        return s.scalar(select(Committee.codigo_modular).where(Committee.id == committee_id)) or ""


def check_one(db: Database, committee_id: int, *, again: bool = False) -> CommitteeCheck:
    """The chain and every projection of one committee (what ``verify`` says of it).

    The whole check is made again whenever anything in the database may have changed since the last one
    (``Database.change_token``: any commit by anyone, the file written or replaced); while nothing has, the
    last result stands, so the Cierre page, the monthly report and the export of the same month, and the
    check made when the window opens (``check_in_steps``), check the history once between two changes.
    ``again``: check the history even so (printing and exporting: what leaves for the supervisor).
    """
    with _CHECKING:
        token = db.change_token()  # taken before reading: a commit during the check makes it differ next time
        kept = None if again else _kept(db, committee_id, token)
        if kept is not None:
            return kept.copy()
        code = _code(db, committee_id)
        with db.session() as s:
            result = check_committee(s, committee_id, code)
        if token is not None:
            db.memo[("integrity", committee_id)] = (token, result.copy())
        return result


def check_in_steps(db: Database, committee_id: int) -> Generator[None, None, CommitteeCheck | None]:
    """``check_one`` in short steps (a generator: each ``next`` reads, hashes and compares a part, a unit of
    work of its own), for a program that runs other work between them (the window, when it opens, checks
    the history this way on its worker, so a page asked for meanwhile waits for one step, not for the whole
    history). Its result is kept as ``check_one``'s only if nothing changed in the database from its first
    step to its last; it stops early when ``check_one`` has meanwhile checked the data as it is. Returns the
    result (the generator's value), or None when the data changed while it was being read."""
    token = db.change_token()
    kept = _kept(db, committee_id, token)
    if kept is not None:
        return kept.copy()
    steps = _check_steps(db.session, committee_id, _code(db, committee_id))
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            result = stop.value
            break
        yield
        kept = _kept(db, committee_id, db.change_token())
        if kept is not None:
            return kept.copy()
    with _CHECKING:
        if token is None or db.change_token() != token:
            return None
        db.memo[("integrity", committee_id)] = (token, result.copy())
    return result


def check_money_since_closing(db: Database, committee_id: int, month: str) -> CommitteeCheck:
    """What a month's treasury balance rests on, checked from the last month closed before it: the chain from that
    closing entry (its own hash, then every later entry's) and the expenses and transfers recorded since, against
    their entries; the headings and the rendiciones against theirs. The balance carries the figures of that
    closing forward and sums only what came after, so this check, like the balance, does not grow with the
    history (issue 17: `treasury balance` had checked every entry since the first, 0.7 s of a 1.2 s call for a
    year of 10,000 expenses). Without a closing before the month, the whole history, as the balance sums it.
    ``qaliwarma verify`` still checks everything."""
    from ..domain.treasury import HEADINGS_KIND
    from .periods import month_bounds

    first_day, _last = month_bounds(month)
    with db.session() as s:
        journal = Journal(s, committee_id)
        journal.write()
        chain_id = journal.chain_id
        closing = s.execute(select(JournalEntry.seq, JournalEntry.prev_hash, JournalEntry.entry_date).where(
            JournalEntry.committee_id == committee_id, JournalEntry.kind == CLOSING,
            JournalEntry.entry_date < first_day).order_by(JournalEntry.seq.desc()).limit(1)).first()
        after_seq, after_hash = (closing.seq - 1, closing.prev_hash) if closing is not None else (0, GENESIS)
        chain = ChainVerifier(chain_id, after_seq=after_seq, after_hash=after_hash)
        entries: list[_Head] = []
        payloads: dict[int, Any] = {}
        findings: list[Finding] = []

        def take(row) -> None:
            entries.append(_Head(row.seq, row.kind, row.entry_date, row.corrects_seq, row.correction_type))
            try:
                payloads[row.seq] = json.loads(row.payload)
            except ValueError:
                findings.append(Finding("diario", _("asiento n.º {seq}").format(seq=row.seq),
                                        _("su contenido no es legible")))
                payloads[row.seq] = {}

        # the few entries the headings and the rendiciones are checked against, from the whole history
        for row in s.connection().execute(select(*_CHAIN_COLUMNS).where(
                JournalEntry.committee_id == committee_id, JournalEntry.seq <= after_seq,
                JournalEntry.kind.in_((CLOSING, HEADINGS_KIND, "tesoreria.estado"))).order_by(JournalEntry.seq)):
            take(row)
        for row in s.connection().execute(select(*_CHAIN_COLUMNS).where(
                JournalEntry.committee_id == committee_id, JournalEntry.seq > after_seq)
                .order_by(JournalEntry.seq).execution_options(yield_per=2000)):
            chain.feed(row._mapping)
            take(row)
        result = CommitteeCheck(_code(db, committee_id), chain.result(), findings)
        reversed_seqs = {e.corrects_seq for e in entries if e.correction_type == REVERSAL}
        since = (closing.seq, closing.entry_date) if closing is not None else None
        _expenses(s, committee_id, entries, payloads, reversed_seqs, findings, since)
        _transfers(s, committee_id, entries, payloads, reversed_seqs, findings, since)
        _cycles(s, committee_id, entries, payloads, findings)
        _headings(s, committee_id, entries, payloads, findings)
    return result


def require_intact(db: Database, committee_id: int) -> CommitteeCheck:
    """Refuse to print or export a committee's records when they no longer agree with its journal.

    A report or bundle built from a table edited behind the application's back would carry the edit to the
    supervisor under a new, valid-looking code; the journal is the record, so its disagreement stops here.
    """
    from ..errors import JournalError
    from ..i18n import _

    # always the whole history: the token cannot see a file rewritten in place by another program with its
    # times put back (on Windows), and the report and the bundle are what reach the supervisor
    result = check_one(db, committee_id, again=True)
    if not result.ok:
        first = result.first_problem()
        raise JournalError(_(
            "Los registros del comité no coinciden con su diario ({n} diferencia(s); la primera: {first}). "
            "No se imprime ni se exporta un mes con datos cambiados fuera del programa: ejecute "
            "«qaliwarma verify» para verlos todos y avise al supervisor.").format(
                n=len(result.findings) or 1, first=first))
    return result


GRAM = Decimal("0.001")  # the kardex keeps grams to the milligram (Numeric(14, 3))


def _grams(value: Any) -> Decimal | None:
    d = _dec(value)
    return None if d is None else d.quantize(GRAM)


def _dosage(entries, payloads) -> dict[int, dict[str, Decimal]]:
    """What each «servicio» entry took from the store, per product, as the entry states it
    (``from_store``). An entry written before entries stated it is not rebuilt: its dosage would have to
    be read again from today's recipe bank, and a bank whose doses changed since (an upgrade re-dosed the
    shipped preparations) would make every honest past service look altered and stop the committee's
    exports. Those movements keep the checks they had: each lot's balance against its movements."""
    out: dict[int, dict[str, Decimal]] = {}
    for e in entries:
        if e.kind != "servicio" or e.correction_type is not None:
            continue
        stated = payloads[e.seq].get("from_store")
        if isinstance(stated, dict):
            grams = {c: _grams(g) for c, g in stated.items()}
            if all(g is not None for g in grams.values()):
                out[e.seq] = {c: g for c, g in grams.items() if g > 0}
    return out


def _expected_moves(entries, payloads) -> tuple[dict[tuple[int, str, str], Decimal], set[int], dict]:
    """The kardex as the journal writes it: grams per (entry, product, kind of movement), rebuilt entry by
    entry in the journal's order with the rules that wrote it (receptions' lines, the dosage of each
    service, the issues the storekeeper recorded and what they put back, adjustments and counts, losses of
    incidents, reversals). Returns it, the entries it could rebuild, and why each one moves (for the message)."""
    dosage = _dosage(entries, payloads)
    want: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    rebuilt: set[int] = set()
    why: dict[int, str] = {}
    replaced: set[tuple[int, str]] = set()  # (entry, product) whose issue a recorded one put back
    gone: set[int] = set()  # entries reversed so far
    by_entry: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(dict)

    def put(seq: int, code: Any, kind: str, grams: Decimal) -> None:
        want[(seq, str(code), kind)] += grams
        by_entry[seq][(str(code), kind)] = want[(seq, str(code), kind)]

    for e in entries:
        p = payloads[e.seq]
        try:
            if e.correction_type == REVERSAL:
                gone.add(e.corrects_seq)
                if e.corrects_seq not in rebuilt:
                    continue
                for (code, kind), grams in by_entry.get(e.corrects_seq, {}).items():
                    if kind == "salida" and (e.corrects_seq, code) in replaced:
                        continue  # that issue went back to the store already
                    put(e.seq, code, "correccion", -grams)
                why[e.seq] = _("revierte el asiento n.º {seq}").format(seq=e.corrects_seq)
            elif e.correction_type is not None:
                continue
            elif e.kind == "recepcion":
                for ln in p.get("lines", []):
                    units = Decimal(str(ln["accepted_units"]))
                    if units > 0:
                        put(e.seq, ln["food_code"], "recepcion",
                            (units * Decimal(str(ln["net_grams_per_unit"]))).quantize(GRAM))
                why[e.seq] = _("recepción")
            elif e.kind == "servicio":
                if e.seq not in dosage:
                    continue
                for code, grams in dosage[e.seq].items():
                    put(e.seq, code, "salida", -grams)
                why[e.seq] = _("servicio del {day} {meal} {level}: {rations} raciones").format(day=p.get("day"), meal=p.get("meal"), level=p.get("level"), rations=p.get("rations"))
            elif e.kind == "stock.salida":
                codes = set()
                for ln in p.get("lines", []):
                    put(e.seq, ln["food_code"], "salida", -_grams(ln["grams"]))
                    codes.add(str(ln["food_code"]))
                for q in p.get("replaces", []):
                    for code in sorted(codes):
                        if q in gone or (q, code) in replaced:
                            continue
                        if q not in rebuilt:
                            raise KeyError(q)  # what it put back cannot be rebuilt either
                        issued = by_entry[q].get((code, "salida"))
                        if issued is not None:
                            put(e.seq, code, "retorno", -issued)
                            replaced.add((q, code))
                why[e.seq] = _("salida a cocina registrada")
            elif e.kind == "stock.ajuste":
                put(e.seq, p["food_code"], "ajuste", _grams(p["grams"]))
                why[e.seq] = _("ajuste")
            elif e.kind == "incidencia":
                if p.get("lost_grams") is not None:
                    put(e.seq, p["food_code"], "ajuste", -_grams(p["lost_grams"]))
                why[e.seq] = _("merma de la incidencia")
            else:
                continue
        except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
            continue  # an unreadable entry is named by the checks above; it is not rebuilt
        rebuilt.add(e.seq)
    return want, rebuilt, why


def _kardex(s, committee_id, entries, payloads, moves, out) -> None:
    """Every kardex line of an entry the journal can rebuild, against what the journal says it moved:
    each (entry, product, kind) that differs names its rows (id, lot, product, day, grams) with the
    grams expected and found; a line the journal never wrote, or one it wrote that is missing, too."""
    want, rebuilt, why = _expected_moves(entries, payloads)
    lots = dict(s.execute(select(StockLot.id, StockLot.lot).where(StockLot.committee_id == committee_id)).all())
    found: dict[tuple[int, str, str], list] = defaultdict(list)
    for m in moves:
        if m.journal_seq in rebuilt:
            found[(m.journal_seq, m.food_code, m.kind)].append(m)
    by_seq = {e.seq: e for e in entries}
    for key in sorted(set(want) | set(found)):
        seq, code, kind = key
        rows = found.get(key, [])
        have = sum((Decimal(m.grams) for m in rows), Decimal(0)).quantize(GRAM)
        expected = want.get(key)
        if expected is not None and have == expected:
            continue
        day = by_seq[seq].entry_date
        if expected is None:
            for m in rows:
                out.append(Finding("stock_movements", _("id {id}").format(id=m.id), _(
                    "{kind} de {code}, lote {lot}, del {day:%d/%m/%Y}: {grams:f} g, pero el asiento n.º {seq} ({why}) "
                    "no mueve {code} así: fila que el diario no escribió").format(
                    kind=kind, code=code, lot=lots.get(m.lot_id, m.lot_id), day=m.day, grams=Decimal(m.grams),
                    seq=seq, why=why.get(seq, ""))))
            continue
        if not rows:
            out.append(Finding("stock_movements", _("asiento n.º {seq}").format(seq=seq), _(
                "falta el movimiento ({kind}) de {code} del {day:%d/%m/%Y}: el asiento ({why}) mueve {want:f} g "
                "y no hay ninguna fila").format(kind=kind, code=code, day=day, why=why.get(seq, ""), want=expected)))
            continue
        named = "; ".join(_("id {id} (lote {lot}, {day:%d/%m/%Y}, {grams:f} g)").format(
            id=m.id, lot=lots.get(m.lot_id, m.lot_id), day=m.day, grams=Decimal(m.grams)) for m in rows)
        out.append(Finding("stock_movements", ", ".join(_("id {id}").format(id=m.id) for m in rows), _(
            "{kind} de {code} del asiento n.º {seq} ({why}): las filas {named} suman {have:f} g, pero el asiento "
            "da {want:f} g").format(kind=kind, code=code, seq=seq, why=why.get(seq, ""), named=named, have=have,
                                   want=expected)))
