"""The journal: append-only, hash-chained operational facts, one chain per committee.

Receptions, stock movements, servings, transfers and expenses are written through ``Journal.append``.
An entry is never updated or deleted (the database refuses it too, with triggers); a correction is a
new entry that reverses or adjusts an earlier one, with a reason and the user. Each entry stores
SHA-256(previous hash + canonical content), so ``verify_chain`` detects any edit made behind the
application's back and names the first altered entry. A closed month accepts nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, func, insert, select, update
from sqlalchemy.orm import Session

from ..domain.people import SUPERVISOR_STATES, Signature, action_of_kind
from ..errors import InvalidInput, JournalError, NotAllowed, NotFound, PeriodClosed
from ..i18n import N_, _
from .models import ClosedPeriod, Committee, JournalEntry

GENESIS = "0" * 64
CLOSING = "periodo.cierre"  # the entry that closes a month (payload: {"month": "YYYY-MM", …})
REVERSAL = "reversal"
ADJUSTMENT = "adjustment"
# What a closed month still takes: the course of its rendición (presentado → aprobado / observado), an
# answer about the month that changes none of its records.
CODE_CORRECTION = "comite.codigo"  # the código modular corrected (payload: {"from": …, "to": …}), with its reason
# what happened on the entry's day (food received, served, moved or lost; money received, taken out or spent):
# never dated after today (clock.future_problem). Plans, the calendar, settings and closings may be.
FACTS = ("recepcion", "raciones.recepcion", "servicio", "stock.salida", "stock.ajuste", "stock.conteo", "incidencia",
         "tesoreria.transferencia", "tesoreria.retiro", "tesoreria.gasto")
AFTER_CLOSING = ("tesoreria.estado", "tesoreria.rubros", "comite.nombre_local", "comite.lengua",
                 CODE_CORRECTION)  # settings and identity, not the month's facts (the headings' shares may not
# change once a month is closed: treasury.set_headings refuses; their entry as found may come after)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(_("valor no serializable en el diario: {value!r}").format(value=value))


def canonical_json(payload: Mapping[str, Any]) -> str:
    """Stable text of a payload: sorted keys, no spaces, Decimals and dates as strings."""
    return _CANONICAL.encode(payload)


# one encoder for every entry (json.dumps with options builds a new one per call: a supervisor hashes tens
# of thousands of entries); the same options, so the same text
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    text = canonical_json(fields)
    return hashlib.sha256((prev_hash + "\n" + text).encode("utf-8")).hexdigest()


# verify_chain's encoder: _CANONICAL's very options, built once (JSONEncoder.encode builds it again for every
# entry), without the check for circular values, which rows read from JSON or from the database cannot have
_C_ENCODER = (json.encoder.c_make_encoder(None, _json_default, json.encoder.encode_basestring, None, ":", ",",
                                          True, False, True) if json.encoder.c_make_encoder is not None else None)


def _row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """entry_hash, with the encoder made once."""
    text = "".join(_C_ENCODER(fields, 0)) if _C_ENCODER is not None else canonical_json(fields)
    return hashlib.sha256((prev_hash + "\n" + text).encode("utf-8")).hexdigest()


def hashed_fields(
    *,
    committee: str,
    seq: int,
    kind: str,
    entry_date: str,
    payload: str,
    corrects_seq: int | None,
    correction_type: str | None,
    reason: str,
    user: str,
    recorded_at: str,
) -> dict[str, Any]:
    """Everything an entry's hash covers. ``committee`` is the chain's identity (``committees.chain_id``:
    the código modular the committee registered with, fixed for ever), not a row id, so a chain exported
    to a supervisor verifies there too; and not the current código modular, which a journaled correction
    may change without touching a single hash."""
    return {
        "committee": committee,
        "seq": seq,
        "kind": kind,
        "entry_date": entry_date,
        "payload": payload,
        "corrects_seq": corrects_seq,
        "correction_type": correction_type,
        "reason": reason,
        "user": user,
        "recorded_at": recorded_at,
    }


@dataclass(frozen=True)
class Entry:
    seq: int
    kind: str
    entry_date: date
    payload: dict[str, Any]
    corrects_seq: int | None
    correction_type: str | None
    reason: str
    user: str
    recorded_at: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    head: str
    first_bad_seq: int | None = None
    problem: str = ""

    def message(self) -> str:
        if self.ok:
            return _("Diario íntegro: {n} asientos verificados. Código de la cadena: {head}").format(
                n=self.entries, head=self.head[:16])
        return _("Diario alterado en el asiento n.º {seq}: {problem}").format(seq=self.first_bad_seq,
                                                                               problem=_(self.problem))


from ..vocab import period_of as month_of  # noqa: E402,F401  (one vocabulary)


def _to_entry(row: JournalEntry) -> Entry:
    return Entry(
        seq=row.seq,
        kind=row.kind,
        entry_date=row.entry_date,
        payload=json.loads(row.payload),
        corrects_seq=row.corrects_seq,
        correction_type=row.correction_type,
        reason=row.reason,
        user=row.user,
        recorded_at=row.recorded_at,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def lock_committee(session: Session, committee_id: int) -> None:
    """Take the committee's write lock for the rest of the unit of work, before any check that
    depends on existing rows (duplicate document, balance, numbering, stock): concurrent writers of
    the same committee then run one after the other, each seeing what the previous one committed.

    PostgreSQL: ``SELECT … FOR UPDATE`` on the committee's row (READ COMMITTED: later statements see
    rows committed before the lock was granted). SQLite: a no-op write on that row opens the write
    transaction (what ``BEGIN IMMEDIATE`` does); another writer waits for the busy timeout and then
    gets a clear message (``Database.session``). Taken once per session."""
    locked = session.info.setdefault("qw_locked_committees", set())
    if committee_id in locked:
        return
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(Committee).where(Committee.id == committee_id)
                        .values(programme_name=Committee.programme_name))
    else:
        session.execute(select(Committee.id).where(Committee.id == committee_id).with_for_update())
    locked.add(committee_id)


class Journal:
    """The journal of one committee, inside a unit of work (the caller's session)."""

    def __init__(self, session: Session, committee_id: int, *, lock: bool = False, batch: bool = False) -> None:
        """``lock=True``: a unit of work that writes takes the committee's lock first (lock_committee).

        ``batch=True``: for a unit of work that appends many entries (a file import) and writes the chain
        only through this object. It takes the committee's lock now, reads the closed months and the
        chain's head once and keeps them in memory (each append moves the head), and leaves the rows to
        be written with the unit of work instead of one flush per entry: the entries are collected as plain
        rows and inserted in one statement by ``write()`` (which the unit of work also calls before it
        commits, and every read of the journal calls first). Every entry is still checked (signature,
        closed month, correction) and hashed exactly as ``append`` does one by one."""
        if lock or batch:
            lock_committee(session, committee_id)
        committee = session.get(Committee, committee_id)
        if committee is None:
            raise NotFound(_("No existe el comité n.º {committee_id}.").format(committee_id=committee_id))
        self.session = session
        self.committee_id = committee_id
        self.committee_code = committee.codigo_modular  # the current código modular (data)
        self.chain_id = committee.chain_id  # the chain's identity, hashed in every entry
        self._batch = batch
        self._closed: set[str] | None = None  # batch: the closed months, read once
        self._head: tuple[int, str] | None = None  # batch: (seq, hash) of the chain's last entry
        self._pending: list[dict[str, Any]] = []  # batch: entries appended, not yet inserted
        if batch:
            event.listen(session, "before_commit", self._before_commit)

    def _before_commit(self, _session: Session) -> None:
        self.write()

    def write(self) -> None:
        """Insert the entries a batch appended (one statement); nothing to do otherwise."""
        if self._pending:
            rows, self._pending = self._pending, []
            self.session.connection().execute(insert(JournalEntry.__table__), rows)  # Core: no ORM bookkeeping

    # -- periods -----------------------------------------------------------------------------
    def closed_months(self) -> set[str]:
        """Months closed by a ``periodo.cierre`` entry (the fact) or listed in ``closed_periods`` (its
        projection): deleting the projection's row does not reopen a month."""
        if self._closed is not None:
            return set(self._closed)
        rows = self.session.scalars(
            select(ClosedPeriod.month).where(ClosedPeriod.committee_id == self.committee_id)
        )
        months = set(rows) | self.closed_months_in_journal()
        if self._batch:
            self._closed = set(months)
        return months

    def closed_months_in_journal(self) -> set[str]:
        self.write()
        payloads = self.session.scalars(
            select(JournalEntry.payload).where(
                JournalEntry.committee_id == self.committee_id, JournalEntry.kind == CLOSING
            )
        )
        months = set()
        for text in payloads:
            try:
                months.add(str(json.loads(text)["month"]))
            except (ValueError, KeyError, TypeError):
                continue  # an altered entry: verify names it
        return months

    def is_closed(self, day: date) -> bool:
        if self._closed is not None:
            return month_of(day) in self._closed
        return month_of(day) in self.closed_months()

    def is_frozen(self, day: date) -> bool:
        """True when ``day`` is in a closed month or before one: a closed month's figures (its opening stock
        and money, carried from the months before it) and its printed code hold only while nothing earlier
        changes, so a month left open before a closed one takes no more records either."""
        months = self._closed if self._closed is not None else self.closed_months()
        return bool(months) and month_of(day) <= max(months)

    def close_month(self, month: str, *, user: str) -> None:
        """Record ``month`` in the ``closed_periods`` projection (the service appends the closing
        entry, the fact, first)."""
        if self.session.get(ClosedPeriod, (self.committee_id, month)) is not None:
            raise JournalError(_("El mes {month} ya está cerrado.").format(month=month))
        self.session.add(
            ClosedPeriod(committee_id=self.committee_id, month=month, closed_at=datetime.now(), closed_by=user)
        )
        self.session.flush()
        if self._closed is not None:
            self._closed.add(month)

    # -- writing -----------------------------------------------------------------------------
    def append(
        self,
        kind: str,
        entry_date: date,
        payload: Mapping[str, Any],
        *,
        user: str,
        corrects_seq: int | None = None,
        correction_type: str | None = None,
        reason: str = "",
    ) -> Entry:
        if not user.strip():
            raise JournalError(_("Falta el nombre de quien registra el asiento."))
        _check_signature(user, kind, payload)
        if kind in FACTS and corrects_seq is None:  # a correction may still cancel what an older version let in
            from .. import clock

            why = clock.future_problem(entry_date)
            if why:
                raise InvalidInput(_("No se registró: {why}.").format(why=why))
        if kind == CLOSING:  # an earlier month may still be closed after a later one (it adds no facts)
            if self.is_closed(entry_date):
                raise PeriodClosed(_("El mes {month} ya está cerrado.").format(month=month_of(entry_date)))
        elif kind not in AFTER_CLOSING and self.is_frozen(entry_date):
            if self.is_closed(entry_date):
                raise PeriodClosed(
                    _("El mes {month} está cerrado: no acepta registros. Registre la corrección en un mes abierto.").format(
                        month=month_of(entry_date)))
            raise PeriodClosed(
                _("El mes {month} ya no acepta registros: {closed}, un mes posterior, está cerrado y sus cifras "
                  "dependen de las de antes. Registre la corrección en un mes abierto.").format(
                    month=month_of(entry_date), closed=max(self.closed_months())))
        if corrects_seq is not None:
            self._check_correctable(corrects_seq, correction_type, reason)
        # Serialise writers of this committee's chain (services lock earlier, before their checks).
        lock_committee(self.session, self.committee_id)
        if self._head is not None:
            seq, prev = self._head[0] + 1, self._head[1]
        else:
            last = self.session.execute(
                select(JournalEntry.seq, JournalEntry.hash)
                .where(JournalEntry.committee_id == self.committee_id)
                .order_by(JournalEntry.seq.desc())
                .limit(1)
            ).first()
            seq = (last.seq + 1) if last else 1
            prev = last.hash if last else GENESIS
        payload_text = canonical_json(payload)
        recorded_at = datetime.now(UTC).isoformat(timespec="microseconds")
        fields = hashed_fields(
            committee=self.chain_id,
            seq=seq,
            kind=kind,
            entry_date=entry_date.isoformat(),
            payload=payload_text,
            corrects_seq=corrects_seq,
            correction_type=correction_type,
            reason=reason,
            user=user,
            recorded_at=recorded_at,
        )
        values = dict(
            committee_id=self.committee_id,
            seq=seq,
            kind=kind,
            entry_date=entry_date,
            payload=payload_text,
            corrects_seq=corrects_seq,
            correction_type=correction_type,
            reason=reason,
            user=str(user),
            recorded_at=recorded_at,
            prev_hash=prev,
            hash=entry_hash(prev, fields),
        )
        if self._batch:  # inserted with the others by write(); the head stays here
            self._pending.append(values)
            self._head = (seq, values["hash"])
            if kind == CLOSING and self._closed is not None and payload.get("month"):
                self._closed.add(str(payload["month"]))
            return Entry(seq, kind, entry_date, json.loads(payload_text), corrects_seq, correction_type, reason, user,
                         recorded_at, prev, values["hash"])
        row = JournalEntry(**values)
        self.session.add(row)
        self.session.flush()
        return _to_entry(row)

    def _check_correctable(self, seq: int, correction_type: str | None, reason: str) -> None:
        if correction_type not in (REVERSAL, ADJUSTMENT):
            raise JournalError(_("Una corrección debe ser una reversión o un ajuste."))
        if not reason.strip():
            raise JournalError(_("Toda corrección necesita el motivo."))
        original = self._row(seq)
        if original is None:
            raise NotFound(_("No existe el asiento n.º {seq} que se quiere corregir.").format(seq=seq))
        if original.correction_type == REVERSAL:
            raise JournalError(_("El asiento n.º {seq} es una reversión: no se corrige una reversión.").format(seq=seq))
        if correction_type == REVERSAL and self._reversal_of(seq) is not None:
            raise JournalError(_("El asiento n.º {seq} ya fue revertido.").format(seq=seq))

    def reverse(self, seq: int, *, user: str, reason: str, entry_date: date) -> Entry:
        """Cancel entry ``seq``: a new entry of the same kind that carries the original payload."""
        original = self._row(seq)
        if original is None:
            raise NotFound(_("No existe el asiento n.º {seq} que se quiere revertir.").format(seq=seq))
        return self.append(
            original.kind,
            entry_date,
            json.loads(original.payload),
            user=user,
            corrects_seq=seq,
            correction_type=REVERSAL,
            reason=reason,
        )

    def adjust(self, seq: int, payload: Mapping[str, Any], *, user: str, reason: str, entry_date: date) -> Entry:
        """Correct entry ``seq`` by a new entry whose payload is the difference or the new value
        (the kind's service decides which)."""
        original = self._row(seq)
        if original is None:
            raise NotFound(_("No existe el asiento n.º {seq} que se quiere ajustar.").format(seq=seq))
        return self.append(
            original.kind,
            entry_date,
            payload,
            user=user,
            corrects_seq=seq,
            correction_type=ADJUSTMENT,
            reason=reason,
        )

    # -- reading -----------------------------------------------------------------------------
    def _row(self, seq: int) -> JournalEntry | None:
        self.write()
        return self.session.scalar(
            select(JournalEntry).where(JournalEntry.committee_id == self.committee_id, JournalEntry.seq == seq)
        )

    def _reversal_of(self, seq: int) -> JournalEntry | None:
        self.write()
        return self.session.scalar(
            select(JournalEntry).where(
                JournalEntry.committee_id == self.committee_id,
                JournalEntry.corrects_seq == seq,
                JournalEntry.correction_type == REVERSAL,
            )
        )

    def get(self, seq: int) -> Entry:
        row = self._row(seq)
        if row is None:
            raise NotFound(_("No existe el asiento n.º {seq}.").format(seq=seq))
        return _to_entry(row)

    def entries(
        self, kind: str | None = None, *, start: date | None = None, end: date | None = None
    ) -> list[Entry]:
        self.write()
        query = select(JournalEntry).where(JournalEntry.committee_id == self.committee_id)
        if kind is not None:
            query = query.where(JournalEntry.kind == kind)
        if start is not None:
            query = query.where(JournalEntry.entry_date >= start)
        if end is not None:
            query = query.where(JournalEntry.entry_date <= end)
        return [_to_entry(r) for r in self.session.scalars(query.order_by(JournalEntry.seq))]

    def count(self) -> int:
        self.write()
        return self.session.scalar(
            select(func.count()).select_from(JournalEntry).where(JournalEntry.committee_id == self.committee_id)
        ) or 0

    def verify(self) -> ChainCheck:
        self.write()
        # plain rows streamed (not ORM objects held by the session): a long chain is hashed, not kept
        rows = self.session.execute(
            select(*_CHAIN_COLUMNS).where(JournalEntry.committee_id == self.committee_id).order_by(JournalEntry.seq)
            .execution_options(yield_per=2000)
        )
        return verify_chain(self.chain_id, (_row_dict(r) for r in rows))


def _check_signature(user: str, kind: str, payload: Mapping[str, Any]) -> None:
    """A signed-in member (``domain.people.Signature``) records only what their role may; the
    supervisor's answer to a rendición comes only from an imported answer (issue 13)."""
    if not isinstance(user, Signature):
        return
    if kind == "tesoreria.estado" and payload.get("state") in SUPERVISOR_STATES:
        if not user.supervisor_answer:
            raise NotAllowed(_("La aprobación u observación de la rendición la da el supervisor, desde su lado; "
                               "el comité no la escribe."))
        return
    action = action_of_kind(kind)
    if not user.may(action):
        raise NotAllowed(user.refusal(action))


_CHAIN_COLUMNS = (JournalEntry.seq, JournalEntry.kind, JournalEntry.entry_date, JournalEntry.payload,
                  JournalEntry.corrects_seq, JournalEntry.correction_type, JournalEntry.reason, JournalEntry.user,
                  JournalEntry.recorded_at, JournalEntry.prev_hash, JournalEntry.hash)


def _row_dict(row: JournalEntry) -> dict[str, Any]:
    """An entry (an ORM object, or a row of ``_CHAIN_COLUMNS``) as the plain mapping a chain is verified from."""
    return {
        "seq": row.seq,
        "kind": row.kind,
        "entry_date": row.entry_date.isoformat(),
        "payload": row.payload,
        "corrects_seq": row.corrects_seq,
        "correction_type": row.correction_type,
        "reason": row.reason,
        "user": row.user,
        "recorded_at": row.recorded_at,
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


class ChainVerifier:
    """``verify_chain`` one row at a time, for a caller that reads the rows once for more than the chain
    (``integrity.check_committee`` parses each payload as it goes). ``feed`` returns False from the first bad
    row on (later rows are then only counted out); ``result()`` is what ``verify_chain`` returns."""

    __slots__ = ("chain_id", "prev", "expected_seq", "count", "failed")

    def __init__(self, chain_id: str, *, after_seq: int = 0, after_hash: str = GENESIS) -> None:
        self.chain_id = chain_id
        self.prev = after_hash
        self.expected_seq = after_seq + 1
        self.count = after_seq
        self.failed: ChainCheck | None = None

    def feed(self, row: Mapping[str, Any]) -> bool:
        if self.failed is not None:
            return False
        prev, count = self.prev, self.count
        seq = int(row["seq"])
        if seq != self.expected_seq:
            self.failed = ChainCheck(False, count, prev, self.expected_seq, _("falta el asiento n.º {expected_seq}").format(expected_seq=self.expected_seq))
            return False
        if row["prev_hash"] != prev:
            self.failed = ChainCheck(False, count, prev, seq, N_("no enlaza con el asiento anterior"))
            return False
        fields = hashed_fields(
            committee=self.chain_id,
            seq=seq,
            kind=row["kind"],
            entry_date=str(row["entry_date"]),
            payload=row["payload"],
            corrects_seq=row["corrects_seq"],
            correction_type=row["correction_type"],
            reason=row["reason"],
            user=row["user"],
            recorded_at=row["recorded_at"],
        )
        if _row_hash(prev, fields) != row["hash"]:
            self.failed = ChainCheck(False, count, prev, seq, N_("su contenido fue modificado después de registrarse"))
            return False
        self.prev = row["hash"]
        self.expected_seq += 1
        self.count += 1
        return True

    def result(self) -> ChainCheck:
        return self.failed if self.failed is not None else ChainCheck(True, self.count, self.prev)


def verify_chain(chain_id: str, rows: Iterable[Mapping[str, Any]], *, after_seq: int = 0,
                 after_hash: str = GENESIS) -> ChainCheck:
    """Check a chain given as plain mappings (from the database or from an export bundle).

    Names the first entry whose content no longer matches its hash, whose link to the previous
    entry is broken, or that is missing from the sequence.

    ``after_seq``/``after_hash``: ``rows`` continue a chain already verified up to entry ``after_seq``,
    whose hash is ``after_hash`` (a supervisor verifies a school's new entries from its last verified
    one); every row given is checked, linked from there.
    """
    verifier = ChainVerifier(chain_id, after_seq=after_seq, after_hash=after_hash)
    for row in rows:
        if not verifier.feed(row):
            break
    return verifier.result()
