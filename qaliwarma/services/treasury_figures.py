"""The treasury's figures as of a day (bank, cash, transferred to date, standing transfers per cycle, spent
per heading), carried forward from the last closed month instead of summed over the whole history.

A month's closing entry (``periodo.cierre``) records the figures as of that month's end, computed from the
whole history (``full_history``); the hash chain protects them, and ``qaliwarma verify`` recomputes each
one (``expected_closings``: the first and last closings from the whole history, each one between from
the recomputed figures of the one before it plus its months, so the check stays linear in the history;
``check_closing`` names what differs). The figures as of a later day are then the closing's figures plus what the
history changed since, in the same "as of" terms as the whole-history sums: an entry counts when it is
dated up to ``last_day`` and no reversal dated up to ``reversals_until`` cancels it.

What "since the closing" holds, exactly (the closing C, entry n.º c, closes the month ending ``C.end``):

- the closing's figures are those of the entries numbered below c and dated up to ``C.end``, as of
  ``C.end`` (every reversal among them is dated up to ``C.end``, so each counts);
- the new entries are those dated after ``C.end`` (up to ``last_day``), and those recorded after the
  closing with an earlier date: the journal refuses entries dated in a closed month, so these lie in the
  months up to C that were not closed before C's closing (``open_ranges``: typically none, or the days
  before the first month ever closed);
- a new entry stands unless a reversal dated up to ``reversals_until`` cancels it: a reversal dated after
  ``C.end``, one recorded after the closing in an open earlier month, or one recorded before the closing
  with a date up to ``C.end`` of an entry dated later (``ahead``: kept in the closing, as it is rare and
  otherwise needs the whole history to find);
- an entry already in the closing's figures that a new reversal cancels is taken out again (the "as of"
  rule: a reversal dated after a closed month cancels, from its own date, an entry dated inside it).

With no closing that carries figures (closings written before they did), the whole history is summed.
The rules of what each entry adds (``_tally``) live once, for both ways.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from ..persistence.journal import CLOSING, REVERSAL
from ..persistence.models import JournalEntry, TreasuryExpense, TreasuryTransfer
from ..vocab import period_of

ZERO = Decimal("0.00")
CASH_KINDS = ("tesoreria.transferencia", "tesoreria.retiro", "tesoreria.gasto")
WITHDRAWAL = "tesoreria.retiro"
KEY = "treasury"  # the closing payload's key for the figures
VERSION = 1


def cents(total) -> Decimal:
    """A database sum (SQLite adds NUMERIC amounts as floats; every amount is whole cents) back to cents, exactly."""
    return Decimal(str(total or 0)).quantize(Decimal("0.01"))


@dataclass
class Figures:
    """What the treasury stands at on a day: bank and cash balances (what the cash book adds up), money
    transferred to date, standing transfers per cycle (a fixed-amount heading is allotted per cycle that had
    one) and spent per heading."""

    bank: Decimal = ZERO
    cash: Decimal = ZERO
    transferred: Decimal = ZERO
    transfers: Counter = field(default_factory=Counter)  # cycle → standing transfers
    spent: defaultdict = field(default_factory=lambda: defaultdict(lambda: ZERO))  # heading → spent

    @property
    def cycles(self) -> int:
        """The cycles with at least one standing transfer."""
        return sum(1 for n in self.transfers.values() if n > 0)

    def add(self, other: Figures, sign: int = 1) -> Figures:
        self.bank += sign * other.bank
        self.cash += sign * other.cash
        self.transferred += sign * other.transferred
        for cycle, n in other.transfers.items():
            self.transfers[cycle] += sign * n
        for heading, amount in other.spent.items():
            self.spent[heading] += sign * amount
        return self

    def as_payload(self) -> dict[str, Any]:
        """Exact decimal strings (money is never a float), zeros left out of the per-cycle and per-heading ones."""
        return {"bank": str(self.bank), "cash": str(self.cash), "transferred": str(self.transferred),
                "transfers": {c: n for c, n in sorted(self.transfers.items()) if n},
                "spent": {h: str(a) for h, a in sorted(self.spent.items()) if a}}

    @classmethod
    def from_payload(cls, p: dict[str, Any]) -> Figures:
        """Raises ValueError (or KeyError, TypeError, InvalidOperation) on anything not written by ``as_payload``."""
        f = cls(_money(p["bank"]), _money(p["cash"]), _money(p["transferred"]))
        for cycle, n in dict(p["transfers"]).items():
            if type(n) is not int:
                raise ValueError(n)
            f.transfers[str(cycle)] = n
        for heading, amount in dict(p["spent"]).items():
            f.spent[str(heading)] = _money(amount)
        return f


def _money(text: Any) -> Decimal:
    """A figure as ``as_payload`` writes it: céntimos, within what any amount may be (``numbers.MONEY_TEXT``); an
    absurd one (a closing altered outside the program) is unreadable: the balance is then summed over the whole
    history, and verify names the closing."""
    from ..numbers import MONEY_TEXT

    if type(text) is not str:
        raise ValueError(text)
    value = Decimal(text)
    if (not value.is_finite() or value != value.quantize(Decimal("0.01"))
            or not MONEY_TEXT.low <= value <= MONEY_TEXT.high):
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


Where = Callable[[Any, Any], list]  # (day column, entry number column) → the conditions selecting the entries


def _tally(s, committee_id: int, where: Where) -> Figures:
    """What the transfers, expenses and withdrawals selected by ``where`` add up to (the one home of these
    rules): a transfer puts its amount in the bank, counts for its cycle and for the money transferred; an
    expense is spent under its heading and leaves the bank (paid by bank) or the cash box; a withdrawal moves
    its amount from the bank to the cash box. Sums in the database from the projections (transfers,
    expenses), the withdrawals from their journal entries."""
    f = Figures()
    for cycle, n, total in s.execute(
            select(TreasuryTransfer.cycle, func.count(), func.sum(TreasuryTransfer.amount))
            .where(TreasuryTransfer.committee_id == committee_id,
                   *where(TreasuryTransfer.day, TreasuryTransfer.journal_seq))
            .group_by(TreasuryTransfer.cycle)):
        f.transfers[cycle] += n
        f.transferred += cents(total)
    f.bank += f.transferred
    for heading, payment, total in s.execute(
            select(TreasuryExpense.heading, TreasuryExpense.payment, func.sum(TreasuryExpense.amount))
            .where(TreasuryExpense.committee_id == committee_id,
                   *where(TreasuryExpense.day, TreasuryExpense.journal_seq))
            .group_by(TreasuryExpense.heading, TreasuryExpense.payment)):
        amount = cents(total)
        f.spent[heading] += amount
        if payment == "banco":
            f.bank -= amount
        else:
            f.cash -= amount
    for (payload,) in s.execute(select(JournalEntry.payload).where(
            JournalEntry.committee_id == committee_id, JournalEntry.kind == WITHDRAWAL,
            JournalEntry.correction_type.is_(None), *where(JournalEntry.entry_date, JournalEntry.seq))):
        amount = Decimal(json.loads(payload)["amount"])
        f.bank -= amount
        f.cash += amount
    return f


def _not_in(column, seqs: set[int]) -> list:
    return [column.not_in(seqs)] if seqs else []


def reversed_until(s, committee_id: int, day: date, before_seq: int | None = None) -> set[int]:
    """The entries cancelled by a reversal dated up to ``day`` (recorded before entry ``before_seq``)."""
    query = select(JournalEntry.corrects_seq).where(
        JournalEntry.committee_id == committee_id, JournalEntry.correction_type == REVERSAL,
        JournalEntry.entry_date <= day)
    if before_seq is not None:
        query = query.where(JournalEntry.seq < before_seq)
    return set(s.scalars(query))


def full_history(s, committee_id: int, last_day: date, reversals_until: date,
                 before_seq: int | None = None) -> Figures:
    """The figures summed over the whole history: every entry dated up to ``last_day`` that no reversal dated
    up to ``reversals_until`` cancels (with ``before_seq``: only entries recorded before that one, as a
    closing entry saw the history). The reference the carried figures must always equal."""
    reversed_ = reversed_until(s, committee_id, reversals_until, before_seq)

    def where(day, seq):
        return [day <= last_day, *_not_in(seq, reversed_), *([seq < before_seq] if before_seq is not None else [])]

    return _tally(s, committee_id, where)


def reversed_ahead(s, committee_id: int, end: date, before_seq: int | None = None) -> set[int]:
    """The cash entries dated after ``end`` that a reversal dated up to ``end`` cancels (recorded before entry
    ``before_seq``): a reversal back-dated before what it cancels."""
    target = aliased(JournalEntry)
    query = (select(JournalEntry.corrects_seq)
             .join(target, and_(target.committee_id == JournalEntry.committee_id,
                                target.seq == JournalEntry.corrects_seq))
             .where(JournalEntry.committee_id == committee_id, JournalEntry.correction_type == REVERSAL,
                    JournalEntry.kind.in_(CASH_KINDS), JournalEntry.entry_date <= end, target.entry_date > end))
    if before_seq is not None:
        query = query.where(JournalEntry.seq < before_seq)
    return set(s.scalars(query))


def closing_payload(s, committee_id: int, end: date) -> dict[str, Any]:
    """What a month's closing records of the treasury (under ``KEY``), from the whole history as it stands when
    the month ending ``end`` is closed (the caller holds the committee's lock and appends the closing next)."""
    return {"version": VERSION, **full_history(s, committee_id, end, end).as_payload(),
            "reversed_ahead": sorted(reversed_ahead(s, committee_id, end))}


# ----------------------------------------------------------------------------------- carried forward
@dataclass(frozen=True)
class Carry:
    seq: int  # the closing entry
    month: str
    end: date  # the closed month's last day
    figures: Figures
    ahead: frozenset[int]
    open_ranges: tuple[tuple[date | None, date], ...]  # where entries recorded after the closing may be dated

    def _late(self, day, seq) -> list:
        """Entries recorded after the closing, dated up to its month's end (in a month open at the time)."""
        return [seq > self.seq, or_(*(and_(day >= lo, day <= hi) if lo is not None else day <= hi
                                      for lo, hi in self.open_ranges))]

    def reversed_since(self, s, committee_id: int, reversals_until: date, before: int | None = None) -> set[int]:
        """The entries cancelled by a reversal dated up to ``reversals_until`` that are not already out of the
        closing's figures: everything a new entry (dated after the closing's month, or recorded after the
        closing) needs to be checked against, and the closing's entries cancelled since. ``before``: the
        history as it was before that entry (verify: as a later closing saw it)."""
        bound = [JournalEntry.seq < before] if before is not None else []
        reversal = (JournalEntry.committee_id == committee_id, JournalEntry.correction_type == REVERSAL,
                    JournalEntry.kind.in_(CASH_KINDS), *bound)
        rows = set(s.scalars(select(JournalEntry.corrects_seq).where(
            *reversal, JournalEntry.entry_date > self.end, JournalEntry.entry_date <= reversals_until)))
        rows |= set(s.scalars(select(JournalEntry.corrects_seq).where(
            *reversal, *self._late(JournalEntry.entry_date, JournalEntry.seq))))
        return rows | self.ahead

    def figures_until(self, s, committee_id: int, last_day: date, reversed_: set[int],
                      before: int | None = None) -> Figures:
        """The figures as of ``last_day`` (``reversed_``: ``reversed_since`` up to the reversals' limit)."""

        def bound(seq) -> list:
            return [seq < before] if before is not None else []

        f = Figures().add(self.figures)
        f.add(_tally(s, committee_id, lambda day, seq: [day > self.end, day <= last_day, *_not_in(seq, reversed_),
                                                         *bound(seq)]))
        f.add(_tally(s, committee_id, lambda day, seq: [*self._late(day, seq), *_not_in(seq, reversed_),
                                                         *bound(seq)]))
        # the closing's entries cancelled since: out again (found by number, then summed on their days)
        gone = dict(s.execute(select(JournalEntry.seq, JournalEntry.entry_date).where(
            JournalEntry.committee_id == committee_id, JournalEntry.seq.in_(reversed_ - self.ahead),
            JournalEntry.seq < self.seq, JournalEntry.entry_date <= self.end)).all()) if reversed_ - self.ahead else {}
        if gone:
            days = sorted(set(gone.values()))
            f.add(_tally(s, committee_id, lambda day, seq: [day.in_(days), seq.in_(gone)]), -1)
        return f


def month_days(month: str) -> tuple[date, date]:
    """First and last day of ``month`` (``vocab.period_range``: the one rule for reading a month)."""
    from ..vocab import period_range

    return period_range(month)


def _open_ranges(sealed: set[str], month: str) -> tuple[tuple[date | None, date], ...]:
    """The date ranges up to ``month``'s end outside the ``sealed`` months (``month`` among them)."""
    first = min(sealed)
    ranges: list[list] = []
    start, _end = month_days(first)
    ranges.append([None, start - timedelta(days=1)])
    m = first
    while m < month:
        lo, hi = month_days(m)
        if m not in sealed:
            if ranges and ranges[-1][1] == lo - timedelta(days=1):
                ranges[-1][1] = hi
            else:
                ranges.append([lo, hi])
        m = period_of(hi + timedelta(days=1))
    return tuple((lo, hi) for lo, hi in ranges)


def read_figures(payload: dict[str, Any]) -> tuple[Figures, frozenset[int]] | None:
    """A closing's treasury figures and its ``reversed_ahead``; None when it has none (written before closings
    carried them). Raises ValueError (KeyError, TypeError, InvalidOperation) when they are not readable."""
    p = payload.get(KEY)
    if p is None:
        return None
    if type(p) is not dict or p.get("version") != VERSION:
        raise ValueError(p)
    ahead = p["reversed_ahead"]
    if type(ahead) is not list or any(type(n) is not int for n in ahead):
        raise ValueError(ahead)
    return Figures.from_payload(p), frozenset(ahead)


def find_carry(s, committee_id: int, by: date) -> Carry | None:
    """The latest closing that carries figures and closes a month ending on or before ``by`` (None: none)."""
    closings = s.execute(select(JournalEntry.seq, JournalEntry.entry_date, JournalEntry.payload).where(
        JournalEntry.committee_id == committee_id, JournalEntry.kind == CLOSING)).all()
    closings.sort()  # by number here: ordered in SQL, SQLite walked the whole chain in its order
    months: dict[int, str] = {}
    best = None
    for seq, _day, text in closings:
        try:
            payload = json.loads(text)
            month = str(payload["month"])
            start, end = month_days(month)
        except (ValueError, KeyError, TypeError):
            continue  # an altered entry: verify names it
        months[seq] = month
        if end > by or (best is not None and end <= best[2]):
            continue
        try:
            figures = read_figures(payload)
        except (ValueError, KeyError, TypeError, InvalidOperation):
            continue  # unreadable figures: verify names them; an earlier closing, or the whole history
        if figures is not None:
            best = (seq, month, end, *figures)
    if best is None:
        return None
    seq, month, end, figures, ahead = best
    return _carry(seq, month, figures, ahead, months)


def _carry(seq: int, month: str, figures: Figures, ahead: frozenset[int], months: dict[int, str]) -> Carry:
    """The closing ``seq`` of ``month`` as a Carry; ``months``: every closing's month by entry number."""
    sealed = {m for n, m in months.items() if n < seq and m <= month} | {month}
    return Carry(seq, month, month_days(month)[1], figures, ahead, _open_ranges(sealed, month))


def figures(s, committee_id: int, last_day: date, reversals_until: date, *,
            carry_by: date | None = None) -> tuple[Figures, set[int] | None, Carry | None]:
    """(the figures as of ``last_day`` with the reversals up to ``reversals_until``, the reversals to check an
    entry dated after the carry's month against (None: whole history, every reversal up to the limit), the
    carry used). Carried from the latest closing whose month ends on or before ``carry_by`` (default: both
    days), else summed over the whole history. Always equal to ``full_history``."""
    limit = min(last_day, reversals_until, carry_by or date.max)
    carry = find_carry(s, committee_id, limit)
    if carry is None:
        reversed_ = reversed_until(s, committee_id, reversals_until)

        def where(day, seq):
            return [day <= last_day, *_not_in(seq, reversed_)]

        return _tally(s, committee_id, where), reversed_, None
    reversed_ = carry.reversed_since(s, committee_id, reversals_until)
    return carry.figures_until(s, committee_id, last_day, reversed_), reversed_, carry


def reversed_from(s, committee_id: int, first_day: date, reversals_until: date) -> set[int]:
    """A set holding every cash entry dated on or after ``first_day`` that a reversal dated up to
    ``reversals_until`` cancels (and maybe others): the reversals since the last month closed before
    ``first_day``, else every one up to the limit."""
    carry = find_carry(s, committee_id, min(first_day - timedelta(days=1), reversals_until))
    if carry is None:
        return reversed_until(s, committee_id, reversals_until)
    return carry.reversed_since(s, committee_id, reversals_until)


# ----------------------------------------------------------------------------------- verify
def expected_closings(s, committee_id: int, closings: list[tuple[int, str]]) -> dict[int, tuple[Figures, frozenset]]:
    """Entry number → the figures and ``reversed_ahead`` each closing (number, month) must carry, recomputed
    from the history as the closing saw it (the entries before it). The first closing and the last one are
    summed over the whole history (``full_history``); each one between is carried from the recomputed figures
    of the latest-ending closing before it, so the check reads each month's rows about once instead of the
    whole history once per closing, and a forged closing still differs (the base is recomputed, never read)."""
    expected: dict[int, tuple[Figures, frozenset]] = {}
    months: dict[int, str] = {}
    last = max((seq for seq, _m in closings), default=None)
    for seq, month in sorted(closings):
        end = month_days(month)[1]
        bases = [(month_days(months[n])[1], n) for n in expected if month_days(months[n])[1] <= end]
        if not bases or seq == last:
            figures = full_history(s, committee_id, end, end, before_seq=seq)
            ahead = frozenset(reversed_ahead(s, committee_id, end, before_seq=seq))
        else:
            _end, base = max(bases)
            carry = _carry(base, months[base], *expected[base], months)
            reversed_ = carry.reversed_since(s, committee_id, end, before=seq)
            figures = carry.figures_until(s, committee_id, end, reversed_, before=seq)
            ahead = frozenset(s.scalars(select(JournalEntry.seq).where(
                JournalEntry.committee_id == committee_id, JournalEntry.seq.in_(reversed_),
                JournalEntry.entry_date > end))) if reversed_ else frozenset()
        expected[seq] = (figures, ahead)
        months[seq] = month
    return expected


def check_closing(payload: dict[str, Any], expected: tuple[Figures, frozenset] | None) -> list[str]:
    """What differs between the treasury figures a closing entry carries and ``expected`` (recomputed by
    ``expected_closings``), each figure named in Spanish; [] when they agree or the closing carries none."""
    from ..i18n import _

    month = str(payload.get("month"))
    try:
        carried = read_figures(payload)
    except (ValueError, KeyError, TypeError, InvalidOperation, AttributeError):
        return [_("el cierre de {month} lleva cifras de tesorería ilegibles (alteradas fuera del programa)")
                .format(month=month)]
    if carried is None or expected is None:
        return []
    (have, ahead), (want, want_ahead) = carried, expected
    out = []

    def differ(name: str, h: Any, w: Any) -> None:
        if h != w:
            out.append(_("el cierre de {month} lleva {name} = {have}, pero el historial hasta ese cierre da {want}")
                       .format(month=month, name=name, have=h, want=w))

    h, w = have.as_payload(), want.as_payload()
    differ(_("el saldo del banco"), h["bank"], w["bank"])
    differ(_("el efectivo en caja"), h["cash"], w["cash"])
    differ(_("lo transferido a la fecha"), h["transferred"], w["transferred"])
    for cycle in sorted(set(h["transfers"]) | set(w["transfers"])):
        differ(_("las transferencias del ciclo {cycle}").format(cycle=cycle), h["transfers"].get(cycle, 0),
               w["transfers"].get(cycle, 0))
    for heading in sorted(set(h["spent"]) | set(w["spent"])):
        differ(_("lo gastado a la fecha en el rubro {heading}").format(heading=heading),
               h["spent"].get(heading, "0.00"), w["spent"].get(heading, "0.00"))
    differ(_("las reversiones anticipadas"), ", ".join(map(str, sorted(ahead))) or "—",
           ", ".join(map(str, sorted(want_ahead))) or "—")
    return out
