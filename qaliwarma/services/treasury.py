"""Treasury: transfers received, expenses with their receipts under budget headings, food purchases
entering the store, the cash book and the monthly cycle (borrador → presentado → aprobado/observado).

Money is Decimal end to end. Transfers, expenses and withdrawals are journal entries; the tables
behind them are projections written in the same unit of work.
"""

from __future__ import annotations

import bisect
import calendar as cal
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, true

from .. import clock
from ..domain.treasury import (
    CYCLE_STATES,
    DEFAULT_HEADINGS,
    HEADINGS_KIND,
    Expense,
    Heading,
    Transfer,
    check_expense,
    duplicate_key,
    headings_payload,
    rendiciones,
)
from ..errors import InvalidInput, Problem, problem_at
from ..i18n import _
from ..money import format_soles
from ..numbers import POSITIVE_AMOUNT, SHARE
from ..numbers import check as check_number
from ..persistence.engine import Database
from ..persistence.journal import Journal, lock_committee, month_of
from ..persistence.journal import _to_entry as _journal_entry
from ..persistence.models import (
    BudgetHeading,
    Food,
    FoodPrice,
    JournalEntry,
    StockLot,
    TreasuryCycle,
    TreasuryExpense,
    TreasuryTransfer,
)
from ..vocab import period_range
from . import stock, treasury_figures
from .treasury_figures import cents as _cents

ZERO = Decimal("0.00")
FROZEN = ("presentado", "aprobado")
LOW_SHARE = Decimal("0.10")


def headings(db: Database, committee_id: int) -> list[Heading]:
    """The committee's headings as ``set_headings`` left them (each change is a ``tesoreria.rubros`` journal
    entry, which ``verify`` compares the table with); none set yet, the defaults. Nothing is written here:
    reading them (a balance, a report) must not add to the journal."""
    with db.session() as s:
        rows = _heading_rows(s, committee_id)
    return rows or [Heading(c, n, sh) for c, n, sh in DEFAULT_HEADINGS]


def _heading_rows(s, committee_id: int) -> list[Heading]:
    return [Heading(r.code, r.name, r.share_percent, r.fixed_amount) for r in s.scalars(
        select(BudgetHeading).where(BudgetHeading.committee_id == committee_id).order_by(BudgetHeading.position))]


def _write_headings(s, committee_id: int, items: list[Heading]) -> None:
    for row in s.scalars(select(BudgetHeading).where(BudgetHeading.committee_id == committee_id)):
        s.delete(row)
    s.flush()
    for n, h in enumerate(items):
        s.add(BudgetHeading(committee_id=committee_id, code=h.code, name=h.name, position=n,
                            share_percent=h.share_percent, fixed_amount=h.fixed_amount))


def set_headings(db: Database, committee_id: int, items: list[Heading], *, user: str) -> None:
    """Set the headings and their shares: a ``tesoreria.rubros`` journal entry and the table behind it."""
    problems = []
    shares = sum((h.share_percent for h in items if h.share_percent is not None and h.share_percent.is_finite()), ZERO)
    if shares > 100:
        problems.append(Problem("Rubros", _("los porcentajes suman {shares} %, más de 100 %").format(shares=shares)))
    for h in items:
        if (h.share_percent is None) == (h.fixed_amount is None):
            problems.append(Problem(h.name, _("indique un porcentaje o un monto fijo por ciclo (uno de los dos)")))
        for value, limit in ((h.share_percent, SHARE), (h.fixed_amount, POSITIVE_AMOUNT)):
            try:  # the number rules every typed amount follows: finite, in range, céntimos at most
                if value is not None:
                    check_number(value, limit)
            except InvalidInput as refused:
                problems.append(Problem(h.name, str(refused)))
    if len({h.code for h in items}) != len(items):
        problems.append(Problem("Rubros", _("hay rubros repetidos")))
    with db.session() as s:
        lock_committee(s, committee_id)
        frozen = sorted(s.scalars(select(TreasuryCycle.cycle).where(TreasuryCycle.committee_id == committee_id,
                                                                    TreasuryCycle.state.in_(FROZEN))))
        journal = Journal(s, committee_id)
        closed = sorted(journal.closed_months())
        if frozen:
            problems.append(Problem("Rubros", _("ya se presentó la rendición de {join}: cambiar los rubros cambiaría lo que se presentó").format(join=', '.join(frozen))))
        elif closed:  # each month's share of the money is printed on its balance and sealed by its code
            problems.append(Problem("Rubros", _("ya se cerró {join}: cambiar los rubros cambiaría lo asignado en esos meses, ya impreso y sellado con su código").format(join=', '.join(closed))))
        kept = {h.code for h in items}
        for code in sorted(set(s.scalars(select(TreasuryExpense.heading).where(
                TreasuryExpense.committee_id == committee_id, TreasuryExpense.active.is_(True)).distinct())) - kept):
            problems.append(Problem("Rubros", _("el rubro «{code}» tiene gastos registrados: no se quita (sus gastos "
                                                "quedarían sin rubro en el balance)").format(code=code)))
        if problems:
            raise InvalidInput(_("Los rubros tienen errores; no se guardaron."), problems)
        journal.append(HEADINGS_KIND, clock.today(), headings_payload(items), user=user)
        _write_headings(s, committee_id, items)


def cycle_state(db: Database, committee_id: int, cycle: str) -> str:
    with db.session() as s:
        row = s.get(TreasuryCycle, (committee_id, cycle))
        return row.state if row else "borrador"


def state_when_closed(db: Database, committee_id: int, cycle: str, closing_seq: int) -> str:
    """The month's rendición as it stood when the month was closed (entry ``closing_seq``): what a closed month's
    report and bundle carry, so that presenting, approving or observing it afterwards (which a closed month
    accepts: ``tesoreria.estado``) leaves the code printed on its report as it was."""
    with db.session() as s:
        texts = s.scalars(select(JournalEntry.payload).where(
            JournalEntry.committee_id == committee_id, JournalEntry.kind == "tesoreria.estado",
            JournalEntry.correction_type.is_(None), JournalEntry.seq < closing_seq).order_by(JournalEntry.seq))
        payloads = []
        for text in texts:
            try:
                payloads.append(json.loads(text))
            except ValueError:
                continue  # an altered entry: verify names it
    state = rendiciones(payloads).get(cycle, {}).get("state")
    return state if state in CYCLE_STATES else "borrador"


def cycle_observations(db: Database, committee_id: int, cycle: str) -> str:
    """The supervisor's observations of a cycle ('' when there are none)."""
    with db.session() as s:
        row = s.get(TreasuryCycle, (committee_id, cycle))
        return row.observations if row else ""


def _frozen(s, committee_id: int, cycle: str) -> bool:
    row = s.get(TreasuryCycle, (committee_id, cycle))
    return row is not None and row.state in FROZEN


def default_deadline(day: date) -> date:
    """Accounts for a transfer are rendered by the 10th of the following month."""
    nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt.replace(day=10)


def record_transfer(db: Database, committee_id: int, transfer: Transfer, *, user: str) -> int:
    """A transfer received from the programme: more than zero, soles and céntimos, up to the limit of every
    amount (``numbers.POSITIVE_AMOUNT``, S/ 10 million), at most 4 per cycle."""
    from ..numbers import POSITIVE_AMOUNT, check

    if transfer.amount <= 0 or transfer.amount != transfer.amount.quantize(Decimal("0.01")):
        raise InvalidInput(_("El monto de la transferencia debe ser mayor que cero, en soles y céntimos (se leyó {amount}).").format(amount=transfer.amount))
    try:
        check(transfer.amount, POSITIVE_AMOUNT)
    except InvalidInput as exc:
        raise InvalidInput(_("La transferencia del {day:%d/%m/%Y} no se registró: {why}").format(day=transfer.day, why=exc.message)) from exc
    cycle = month_of(transfer.day)
    deadline = transfer.deadline or default_deadline(transfer.day)
    with db.session() as s:
        lock_committee(s, committee_id)  # before the checks that read existing rows
        if _frozen(s, committee_id, cycle):
            raise InvalidInput(_("La rendición de {cycle} ya fue presentada: no acepta más registros.").format(cycle=cycle))
        count = s.scalar(select(func.count()).select_from(TreasuryTransfer).where(
            TreasuryTransfer.committee_id == committee_id, TreasuryTransfer.cycle == cycle,
            TreasuryTransfer.active.is_(True))) or 0
        if count >= 4:
            raise InvalidInput(_("El ciclo {cycle} ya tiene 4 transferencias, el máximo del programa.").format(cycle=cycle))
        reference = " ".join(transfer.reference.split()).upper()
        if reference:  # a bank operation's number is its own: the same one twice is the same money twice
            same = s.scalar(select(TreasuryTransfer.journal_seq).where(
                TreasuryTransfer.committee_id == committee_id, TreasuryTransfer.active.is_(True),
                TreasuryTransfer.day == transfer.day, TreasuryTransfer.amount == transfer.amount,
                func.upper(TreasuryTransfer.reference) == reference))
            if same is not None:
                raise InvalidInput(_("Ya está registrada una transferencia del {day:%d/%m/%Y} por {amount} con la "
                                     "referencia «{reference}» (asiento n.º {seq}); no se registró otra vez.").format(
                    day=transfer.day, amount=format_soles(transfer.amount), reference=transfer.reference.strip(),
                    seq=same))
        entry = Journal(s, committee_id).append("tesoreria.transferencia", transfer.day,
                                                {**asdict(transfer), "deadline": deadline}, user=user)
        s.add(TreasuryTransfer(committee_id=committee_id, journal_seq=entry.seq, day=transfer.day, cycle=cycle,
                               amount=transfer.amount, reference=transfer.reference, deadline=deadline, active=True))
        return entry.seq


def _allotted(heading: Heading, transferred: Decimal, cycles: int) -> Decimal:
    if heading.fixed_amount is not None:
        return (heading.fixed_amount * cycles).quantize(Decimal("0.01"))
    return (transferred * (heading.share_percent or ZERO) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class HeadingBalance:
    code: str
    name: str
    allotted: Decimal  # to date
    spent: Decimal  # to date
    spent_in_month: Decimal

    @property
    def balance(self) -> Decimal:
        return self.allotted - self.spent


def _cash_totals(s, committee_id: int, last_day: date, reversals_until: date) -> tuple[Decimal, Decimal]:
    """(bank, cash) of every transfer, withdrawal and expense dated up to ``last_day`` that no reversal
    dated up to ``reversals_until`` cancels: what ``cash_book`` adds up line by line, carried forward from the
    last closed month (``treasury_figures``) instead of reading the whole journal."""
    figures, _reversed, _carry = treasury_figures.figures(s, committee_id, last_day, reversals_until)
    return figures.bank, figures.cash


def _standing(model, reversed_: set[int]):
    """The rows no reversal in ``reversed_`` cancels."""
    return model.journal_seq.not_in(reversed_) if reversed_ else true()


def _heading_balances(hs: list[Heading], figures: treasury_figures.Figures, in_month: dict[str, Decimal],
                      pending: dict[str, Decimal] | None = None) -> dict[str, HeadingBalance]:
    """Allotted and spent per heading from the ``figures`` as of a day (what was transferred, in how many
    cycles, spent per heading), with the month's spending ``in_month`` and ``pending`` new expenses."""
    spent = defaultdict(lambda: ZERO, figures.spent)
    for heading, amount in (pending or {}).items():
        spent[heading] += amount
    return {h.code: HeadingBalance(h.code, h.name, _allotted(h, figures.transferred, figures.cycles), spent[h.code],
                                   in_month.get(h.code, ZERO))
            for h in hs}


class _Ledger:
    """Transfers and recorded expenses loaded once, so checking thousands of new expenses against
    their heading's balance stays fast (bisect over prefix sums, not a query per expense)."""

    def __init__(self, s, committee_id: int, hs: list[Heading]) -> None:
        import bisect

        self._bisect = bisect.bisect_right
        self.headings = {h.code: h for h in hs}
        rows = s.execute(select(TreasuryTransfer.day, TreasuryTransfer.amount, TreasuryTransfer.cycle).where(
            TreasuryTransfer.committee_id == committee_id, TreasuryTransfer.active.is_(True))
            .order_by(TreasuryTransfer.day)).all()
        self.t_days = [r[0] for r in rows]
        self.t_sums, self.t_cycles, total, seen = [], [], ZERO, set()
        for _unused, amount, cycle in rows:
            total += Decimal(amount)
            seen.add(cycle)
            self.t_sums.append(total)
            self.t_cycles.append(len(seen))
        self.e_days: dict[str, list[date]] = defaultdict(list)
        self.e_sums: dict[str, list[Decimal]] = defaultdict(list)
        self.all_days: list[date] = []  # every heading's expenses, for the money received minus spent
        self.all_sums: list[Decimal] = []
        # one sum per heading and day, added up in the database (a year of receipts is a few hundred days)
        standing = (TreasuryExpense.committee_id == committee_id, TreasuryExpense.active.is_(True))
        for heading, day, amount in s.execute(select(TreasuryExpense.heading, TreasuryExpense.day,
                                                     func.sum(TreasuryExpense.amount)).where(*standing)
                                              .group_by(TreasuryExpense.heading, TreasuryExpense.day)
                                              .order_by(TreasuryExpense.day)):
            prev = self.e_sums[heading][-1] if self.e_sums[heading] else ZERO
            self.e_days[heading].append(day)
            self.e_sums[heading].append(prev + _cents(amount))
        for day, amount in s.execute(select(TreasuryExpense.day, func.sum(TreasuryExpense.amount)).where(*standing)
                                     .group_by(TreasuryExpense.day).order_by(TreasuryExpense.day)):
            self.all_days.append(day)
            self.all_sums.append((self.all_sums[-1] if self.all_sums else ZERO) + _cents(amount))

    def balance(self, heading: str, until: date, pending: Decimal) -> tuple[Decimal, Decimal]:
        """(allotted, balance) of a heading up to ``until``, with ``pending`` new expenses counted."""
        n = self._bisect(self.t_days, until)
        transferred = self.t_sums[n - 1] if n else ZERO
        allotted = _allotted(self.headings[heading], transferred, self.t_cycles[n - 1] if n else 0)
        m = self._bisect(self.e_days[heading], until)
        spent = (self.e_sums[heading][m - 1] if m else ZERO) + pending
        return allotted, allotted - spent

    def unspent(self, until: date, pending: Decimal) -> Decimal:
        """Money received up to ``until`` minus every heading's expenses to then (``pending`` counted)."""
        n = self._bisect(self.t_days, until)
        m = self._bisect(self.all_days, until)
        return ((self.t_sums[n - 1] if n else ZERO) - (self.all_sums[m - 1] if m else ZERO)) - pending


class _Money:
    """The cash on hand and the bank balance day by day, loaded once. Cash: withdrawals in, cash payments
    out. Bank: transfers in, bank payments and withdrawals out. A payment (or a withdrawal) may not take
    more than its place holds on its day, nor on any later day (a back-dated payment must not leave a
    later payment without the money it was made with)."""

    def __init__(self, s, committee_id: int) -> None:
        # entry → the day of the reversal that cancels it. A reversal dated after the entry (a closed month's
        # entry corrected in an open month) gives the money back from its own day, as the cash book shows it:
        # until then the entry still counts. One dated on the entry's day or before cancels it altogether.
        undone = dict(s.execute(select(JournalEntry.corrects_seq, JournalEntry.entry_date).where(
            JournalEntry.committee_id == committee_id, JournalEntry.correction_type == "reversal")).all())
        cash: dict[date, Decimal] = defaultdict(lambda: ZERO)
        bank: dict[date, Decimal] = defaultdict(lambda: ZERO)

        def move(place: dict, day: date, amount: Decimal, seq: int | None = None) -> None:
            until = undone.get(seq) if seq is not None else None
            if until is not None and until <= day:
                return
            place[day] += amount
            if until is not None:
                place[until] -= amount

        # one sum per day and way of paying, added up in the database, not every receipt of the history
        for day, payment, amount in s.execute(select(TreasuryExpense.day, TreasuryExpense.payment,
                                                     func.sum(TreasuryExpense.amount))
                                              .where(TreasuryExpense.committee_id == committee_id,
                                                     TreasuryExpense.active.is_(True))
                                              .group_by(TreasuryExpense.day, TreasuryExpense.payment)):
            move(bank if payment == "banco" else cash, day, -_cents(amount))
        for seq, day, payment, amount in s.execute(select(TreasuryExpense.journal_seq, TreasuryExpense.day,
                                                          TreasuryExpense.payment, TreasuryExpense.amount).where(
                TreasuryExpense.committee_id == committee_id, TreasuryExpense.active.is_(False))):
            if seq in undone:
                move(bank if payment == "banco" else cash, day, -_cents(amount), seq)  # cancelled: until when
        for seq, day, amount, active in s.execute(select(TreasuryTransfer.journal_seq, TreasuryTransfer.day,
                                                         TreasuryTransfer.amount, TreasuryTransfer.active).where(
                TreasuryTransfer.committee_id == committee_id)):
            if active or seq in undone:
                move(bank, day, Decimal(amount), seq)
        for seq, day, payload in s.execute(select(JournalEntry.seq, JournalEntry.entry_date, JournalEntry.payload)
                                           .where(JournalEntry.committee_id == committee_id,
                                                  JournalEntry.kind == "tesoreria.retiro",
                                                  JournalEntry.correction_type.is_(None))):
            amount = Decimal(json.loads(payload)["amount"])
            move(cash, day, amount, seq)
            move(bank, day, -amount, seq)
        self.cash, self.bank = _Daily(cash), _Daily(bank)


class _Daily:
    """End-of-day balances from day-by-day changes, and the lowest of them from each day on."""

    def __init__(self, deltas: dict[date, Decimal]) -> None:
        self.days = sorted(deltas)
        balances, running = [], ZERO
        for day in self.days:
            running += deltas[day]
            balances.append(running)
        self.balances = balances
        self.later_min = balances[:]
        for i in range(len(balances) - 2, -1, -1):
            self.later_min[i] = min(balances[i], self.later_min[i + 1])

    def on_day(self, day: date, pending: Decimal) -> Decimal:
        """The balance at the end of ``day``, with ``pending`` new payments counted (later days not looked at)."""
        n = bisect.bisect_right(self.days, day)
        return (self.balances[n - 1] if n else ZERO) - pending

    def available(self, day: date, pending: Decimal) -> Decimal:
        """What may still be taken on ``day``, with ``pending`` new payments (on that day or before)
        already counted."""
        n = bisect.bisect_right(self.days, day)
        on_day = self.balances[n - 1] if n else ZERO
        later = self.later_min[n] if n < len(self.days) else on_day
        return min(on_day, later) - pending


@dataclass(frozen=True)
class ExpenseResult:
    seqs: list[int]
    warnings: list[str]
    # the facts behind the headings' warnings: {"heading", "kind" (poco|sobregirado), "rows", "left"}
    heading_notes: list[dict] = field(default_factory=list)


def _rows_text(places: list) -> str:
    """«gastos.csv: filas 12, 15–18 y 40» for places of a sheet (consecutive rows as ranges; the first 12
    runs, then how many more), else the places joined."""
    rows = sorted({p.row for p in places if getattr(p, "row", None) is not None})
    if len(rows) != len(places) or not rows:
        names = [str(p) for p in places]
        return ", ".join(names[:12]) + (_(" y {value} más").format(value=len(names) - 12) if len(names) > 12 else "")
    runs: list[str] = []
    start = prev = rows[0]
    for row in rows[1:] + [None]:
        if row is not None and row == prev + 1:
            prev = row
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if row is not None:
            start = prev = row
    shown = runs[:12]
    text = ", ".join(shown[:-1]) + _(" y ") + shown[-1] if len(shown) > 1 else shown[0]
    if len(runs) > 12:
        text = ", ".join(shown) + _(" y {value} tramos más ({len} filas en total)").format(value=len(runs) - 12, len=len(rows))
    file = getattr(places[0], "file", None)
    return _("{file}: filas {rows}").format(file=file, rows=text) if file else _("filas {rows}").format(rows=text)


def _heading_warnings(names: dict[str, str], hits: dict[tuple[str, str], list]) -> tuple[list[str], list[dict]]:
    """One warning per heading and kind, whatever the rows it concerns: a heading left under 10 % of what
    it was allotted («poco»), a heading spent beyond its share («sobregirado»). ``hits``: (heading, kind) →
    [(place, amount, available, left)] in the order recorded (by date): the last one says what is left."""
    warnings, notes = [], []
    for (code, kind), found in hits.items():
        name = names[code]
        place, amount, available, left = found[-1]
        if len(found) == 1 and kind == "sobregirado":
            warnings.append(_("{place}: {format_soles} supera el saldo del rubro {name} ({format_soles2}); el rubro queda sobregirado (el reparto por rubros es del comité, no una norma del programa)").format(place=place, format_soles=format_soles(amount), name=name, format_soles2=format_soles(available)))
        elif len(found) == 1:
            warnings.append(_("{place}: al rubro {name} le queda {format_soles}, menos del 10 %").format(place=place, name=name, format_soles=format_soles(left)))
        elif kind == "sobregirado":
            warnings.append(_("{rows_text}: {len} gastos superan el saldo del rubro {name}; tras el último queda sobregirado en {format_soles} (el reparto por rubros es del comité, no una norma del programa)").format(rows_text=_rows_text([f[0] for f in found]), len=len(found), name=name, format_soles=format_soles(-left)))
        else:
            warnings.append(_("{rows_text}: tras cada uno de estos {len} gastos al rubro {name} le queda menos del 10 %; tras el último, {format_soles}").format(rows_text=_rows_text([f[0] for f in found]), len=len(found), name=name, format_soles=format_soles(left)))
        notes.append({"heading": code, "kind": kind, "left": left,
                      "rows": [getattr(f[0], "row", None) or str(f[0]) for f in found]})
    return warnings, notes


def record_expenses(db: Database, committee_id: int, expenses: list[Expense], *, user: str,
                    where: list[str] | None = None, dry_run: bool = False) -> ExpenseResult:
    """Record expenses (all or nothing). Refuses what the rules forbid: an unknown heading, a bad
    document, more than the money received and not yet spent, a duplicated document, a presented cycle, a
    closed month. A heading spent beyond its share is a warning (the shares are the committee's split)."""
    hs = headings(db, committee_id)
    codes = {h.code for h in hs}
    names = {h.code: h.name for h in hs}
    problems: list[Problem] = []
    warnings: list[str] = []
    order = sorted(range(len(expenses)), key=lambda i: expenses[i].day)
    with db.session() as s:
        lock_committee(s, committee_id)  # before the checks that read existing rows
        # the documents already recorded from these expenses' suppliers (a duplicate has the same RUC or DNI):
        # one receipt no longer reads every receipt of the history
        parties = sorted({e.party_id for e in expenses})
        used = set()
        for start in range(0, len(parties), 500):
            used |= {duplicate_key(p, t, n) for p, t, n in s.execute(select(
                TreasuryExpense.party_id, TreasuryExpense.doc_type, TreasuryExpense.doc_number).where(
                TreasuryExpense.committee_id == committee_id, TreasuryExpense.active.is_(True),
                TreasuryExpense.party_id.in_(parties[start:start + 500])))}
        pending: dict[str, Decimal] = defaultdict(lambda: ZERO)
        pending_total = ZERO
        ledger = _Ledger(s, committee_id, hs)
        money = _Money(s, committee_id)
        cash_pending = bank_pending = ZERO
        frozen: dict[str, bool] = {}  # by month: its rendición presented (read once per month)
        months = Journal(s, committee_id, batch=True)  # which days take no records (read once): said row by row
        hits: dict[tuple[str, str], list] = defaultdict(list)  # the headings' warnings, said once per heading
        for i in order:
            e = expenses[i]
            place = where[i] if where else _("gasto {value}").format(value=i + 1)
            for fld, message in check_expense(e, codes).items():
                problems.append(problem_at(place, fld, message))
            key = duplicate_key(e.party_id, e.doc_type, e.doc_number)
            if key in used:
                problems.append(problem_at(place, "numero_documento",
                                           _("el documento {doc_number} de {party_id} ya está registrado").format(doc_number=e.doc_number, party_id=e.party_id)))
            used.add(key)
            future = clock.future_problem(e.day)
            if future:
                problems.append(problem_at(place, "fecha", future))
            if months.is_frozen(e.day):
                problems.append(problem_at(place, "fecha", (
                    _("el mes {month} está cerrado: no acepta registros") if months.is_closed(e.day) else
                    _("el mes {month} ya no acepta registros: un mes posterior está cerrado")).format(
                        month=month_of(e.day))))
            cycle = month_of(e.day)
            if cycle not in frozen:
                frozen[cycle] = _frozen(s, committee_id, cycle)
            if frozen[cycle]:
                problems.append(Problem(place, _("la rendición de {month_of} ya fue presentada").format(month_of=month_of(e.day)),
                                        file=getattr(place, "file", None), row=getattr(place, "row", None)))
            if e.payment != "banco" and e.amount > 0:
                in_hand = money.cash.available(e.day, cash_pending)
                if e.amount > in_hand:
                    held = money.cash.on_day(e.day, cash_pending)
                    if held > in_hand:  # there was more that day, but payments dated later already use it
                        said = _("{amount} en efectivo supera lo que queda libre en caja el {day:%d/%m/%Y} ({free}): ese día había {held}, pero pagos ya registrados con fecha posterior usan el resto; registre antes el retiro del banco, o anote el pago como pagado por banco").format(
                            amount=format_soles(e.amount), day=e.day, free=format_soles(max(in_hand, ZERO)), held=format_soles(held))
                    else:
                        said = _("{format_soles} en efectivo supera el efectivo en caja el {day:%d/%m/%Y} ({format_soles2}): registre antes el retiro del banco, o anote el pago como pagado por banco").format(format_soles=format_soles(e.amount), day=e.day, format_soles2=format_soles(max(in_hand, ZERO)))
                    problems.append(problem_at(place, "monto", said))
                else:
                    cash_pending += e.amount
            if e.payment == "banco" and e.amount > 0:
                in_bank = money.bank.available(e.day, bank_pending)
                if e.amount > in_bank:
                    if money.cash.available(e.day, cash_pending) >= e.amount:  # the box could pay it
                        said = _("{format_soles} por banco supera el saldo de la cuenta el {day:%d/%m/%Y} ({format_soles2}): el dinero retirado a caja ya no está en el banco; anote el pago como pagado en efectivo").format(format_soles=format_soles(e.amount), day=e.day, format_soles2=format_soles(max(in_bank, ZERO)))
                    else:
                        said = _("{amount} por banco supera el saldo de la cuenta el {day:%d/%m/%Y} ({left}), y en caja tampoco alcanza: registre antes la transferencia recibida, o revise la fecha y el monto").format(
                            amount=format_soles(e.amount), day=e.day, left=format_soles(max(in_bank, ZERO)))
                    problems.append(problem_at(place, "monto", said))
                else:
                    bank_pending += e.amount
            if e.heading in codes and e.amount > 0:
                # The money received is a hard limit; a heading's share is the committee's own split (no
                # published programme rule fixes it: see DEFAULT_HEADINGS), so overspending it is a warning.
                unspent = min(ledger.unspent(e.day, pending_total), ledger.unspent(date.max, pending_total))
                allotted, available = ledger.balance(e.heading, e.day, pending[e.heading])
                _unused, final = ledger.balance(e.heading, date.max, pending[e.heading])
                available = min(available, final)  # later expenses may already use this money
                if e.amount > unspent:
                    problems.append(problem_at(place, "monto",
                                               _("{format_soles} supera el dinero recibido que queda sin gastar el {day:%d/%m/%Y} ({format_soles2})").format(format_soles=format_soles(e.amount), day=e.day, format_soles2=format_soles(max(unspent, ZERO)))))
                else:
                    pending[e.heading] += e.amount
                    pending_total += e.amount
                    left = available - e.amount
                    if left < 0:
                        hits[(e.heading, "sobregirado")].append((place, e.amount, available, left))
                    elif allotted > 0 and left < allotted * LOW_SHARE:
                        hits[(e.heading, "poco")].append((place, e.amount, available, left))
        if problems:
            raise InvalidInput(_("Los gastos tienen errores; no se registró ninguno."), problems)
        said, notes = _heading_warnings(names, hits)
        warnings += said
        if dry_run:
            s.rollback()
            return ExpenseResult([], warnings, notes)
        journal = Journal(s, committee_id, batch=True)  # one unit: closed months and chain head read once
        number = (s.scalar(select(func.max(TreasuryExpense.number)).where(
            TreasuryExpense.committee_id == committee_id)) or 0)
        seqs, rows = [], []
        for i in order:
            e = expenses[i]
            number += 1
            entry = journal.append("tesoreria.gasto", e.day, _expense_payload(e, number), user=user)
            seqs.append(entry.seq)
            rows.append(dict(committee_id=committee_id, journal_seq=entry.seq, number=number, day=e.day,
                             cycle=month_of(e.day), heading=e.heading, doc_type=e.doc_type,
                             doc_number=e.doc_number.strip(), party_id=e.party_id, party_name=e.party_name,
                             detail=e.detail, amount=e.amount, payment=e.payment, active=True))
            if e.items:
                _purchase_to_stock(s, committee_id, entry.seq, e)
        journal.write()  # the entries, then their projection: one insert each for the whole sheet
        if rows:
            s.connection().execute(insert(TreasuryExpense.__table__), rows)
    return ExpenseResult(seqs, warnings, notes)


_EXPENSE_FIELDS = tuple(f.name for f in fields(Expense))


def _expense_payload(e: Expense, number: int) -> dict:
    """The journal's payload of an expense: ``asdict(e)`` plus its number, without asdict's deep copy of
    every field (the same keys and values, so the same canonical text)."""
    payload = {name: getattr(e, name) for name in _EXPENSE_FIELDS}
    payload["extra"] = dict(e.extra)
    payload["items"] = [asdict(item) for item in e.items]
    payload["number"] = number
    return payload


def _purchase_to_stock(s, committee_id: int, seq: int, e: Expense) -> None:
    """Food bought enters the store as lots and sets the committee's price list."""
    from ..units import presentation as make_presentation
    from .products import densities

    for item in e.items:
        unit = make_presentation(item.presentation, item.net, densities().get(item.food_code))
        grams = unit.grams() * item.units
        lot_code = item.lot or f"COMPRA-{e.doc_number}"
        key = stock.lot_key(item.food_code, item.brand, lot_code, item.expiry)
        lot = s.scalar(select(StockLot).where(StockLot.committee_id == committee_id, StockLot.lot_key == key))
        if lot is None:
            name = s.scalar(select(Food.name).where(Food.code == item.food_code)) or item.food_code
            lot = StockLot(committee_id=committee_id, lot_key=key, food_code=item.food_code,
                           product_name=name, brand=item.brand, lot=lot_code, expiry=item.expiry,
                           production=None, sanitary_registration=item.sanitary_registration,
                           presentation=f"{item.presentation} {item.net}", received_grams=ZERO, balance_grams=ZERO,
                           first_received=e.day, suspended=False, suspension_reason="")
            s.add(lot)
            s.flush()
        lot.received_grams = Decimal(lot.received_grams) + grams
        stock.move(s, committee_id, seq, e.day, lot, grams, "recepcion", "compra", f"{e.doc_type} {e.doc_number}")
        s.merge(FoodPrice(committee_id=committee_id, food_code=item.food_code, presentation=item.presentation,
                          net=item.net, density_kg_per_l=None, price=item.unit_price, updated_at=datetime.now(),
                          source=f"compra {e.doc_type} {e.doc_number} del {e.day:%d/%m/%Y}"))


def check_money_reversal(s, committee_id: int, kind: str, amount: Decimal, effect_day: date) -> None:
    """Refuse to cancel a transfer or a withdrawal whose money was spent: from ``effect_day`` on (the entry's
    day when the correction is in its own month, else the correction's day) the bank, or the cash box, would hold
    less than nothing on some day. The same day-by-day balances as a payment's check (``_Money``)."""
    money = _Money(s, committee_id)
    place, refusal = {
        "tesoreria.transferencia": (money.bank, _(
            "No se anuló la transferencia de {amount}: desde el {day:%d/%m/%Y} el banco quedaría sin dinero para lo "
            "que ya se pagó con ella (alcanza para quitar {left}). Anule antes los gastos o el retiro que la usaron, "
            "o revise qué transferencia anula.")),
        "tesoreria.retiro": (money.cash, _(
            "No se anuló el retiro de {amount}: desde el {day:%d/%m/%Y} ese efectivo ya se gastó (en caja alcanza "
            "para quitar {left}). Anule antes los gastos en efectivo que pagó, o revise qué retiro anula.")),
    }.get(kind, (None, ""))
    if place is None:
        return
    left = place.available(effect_day, ZERO)
    if amount > left:
        raise InvalidInput(refusal.format(amount=format_soles(amount), day=effect_day,
                                          left=format_soles(max(left, ZERO))))


def month_withdrawals(db: Database, committee_id: int, month: str) -> list[tuple[int, date, Decimal]]:
    """(journal seq, day, amount) of each withdrawal dated in ``month`` that no reversal dated up to the month's
    end cancels, as the month's balance counts them."""
    start, end = treasury_figures.month_days(month)
    with db.session() as s:
        reversed_ = treasury_figures.reversed_until(s, committee_id, end)
        rows = s.execute(select(JournalEntry.seq, JournalEntry.entry_date, JournalEntry.payload).where(
            JournalEntry.committee_id == committee_id, JournalEntry.kind == "tesoreria.retiro",
            JournalEntry.correction_type.is_(None), JournalEntry.entry_date >= start,
            JournalEntry.entry_date <= end).order_by(JournalEntry.entry_date, JournalEntry.seq)).all()
    return [(seq, day, Decimal(json.loads(payload)["amount"])) for seq, day, payload in rows if seq not in reversed_]


def record_withdrawal(db: Database, committee_id: int, day: date, amount: Decimal, *, user: str) -> int:
    """Cash taken from the bank account to pay in cash: more than zero, soles and céntimos, up to the limit of
    every amount (``numbers.POSITIVE_AMOUNT``, S/ 10 million), and never more than the bank holds."""
    from ..numbers import POSITIVE_AMOUNT, check

    if amount <= 0:
        raise InvalidInput(_("El retiro debe ser mayor que cero."))
    try:
        check(amount, POSITIVE_AMOUNT)
    except InvalidInput as exc:
        raise InvalidInput(_("El retiro del {day:%d/%m/%Y} no se registró: {why}").format(day=day, why=exc.message)) from exc
    with db.session() as s:
        lock_committee(s, committee_id)  # before the checks that read existing rows
        if _frozen(s, committee_id, month_of(day)):
            raise InvalidInput(_("La rendición de {month_of} ya fue presentada: no acepta más registros.").format(month_of=month_of(day)))
        in_bank = _Money(s, committee_id).bank.available(day, ZERO)
        if amount > in_bank:
            raise InvalidInput(_("El retiro de {amount} supera el saldo del banco el {day:%d/%m/%Y} ({balance}): registre antes la transferencia recibida, o revise la fecha y el monto.").format(
                amount=format_soles(amount), day=day, balance=format_soles(max(in_bank, ZERO))))
        return Journal(s, committee_id).append("tesoreria.retiro", day, {"amount": amount}, user=user).seq


def set_cycle_state(db: Database, committee_id: int, cycle: str, state: str, *, user: str,
                    observations: str = "") -> None:
    """borrador → presentado → aprobado u observado (observed goes back to the committee)."""
    if state not in CYCLE_STATES:
        raise InvalidInput(_("Estado «{state}» desconocido.").format(state=state))
    current = cycle_state(db, committee_id, cycle)
    allowed = {"borrador": {"presentado"}, "observado": {"presentado"}, "presentado": {"aprobado", "observado"},
               "aprobado": set()}
    if state not in allowed[current]:
        raise InvalidInput(_("La rendición de {cycle} está «{value}»: no puede pasar a «{value2}».").format(cycle=cycle, value=_(CYCLE_STATES[current]), value2=_(CYCLE_STATES[state])))
    if state == "observado" and not observations.strip():
        raise InvalidInput(_("Anote las observaciones del supervisor."))
    year, month = (int(x) for x in cycle.split("-"))
    with db.session() as s:
        Journal(s, committee_id).append("tesoreria.estado", date(year, month, cal.monthrange(year, month)[1])
                                        if state == "presentado" else date.today(),
                                        {"cycle": cycle, "state": state, "observations": observations}, user=user)
        row = s.get(TreasuryCycle, (committee_id, cycle))
        if row is None:
            row = TreasuryCycle(committee_id=committee_id, cycle=cycle)
            s.add(row)
        row.state, row.observations, row.updated_at = state, observations, datetime.now()


@dataclass(frozen=True)
class CashLine:
    day: date
    seq: int
    concept: str
    bank_in: Decimal
    bank_out: Decimal
    cash_in: Decimal
    cash_out: Decimal
    bank_balance: Decimal
    cash_balance: Decimal


CASH_KINDS = treasury_figures.CASH_KINDS


def cash_book(db: Database, committee_id: int, until: date, start: date | None = None) -> list[CashLine]:
    """The cash book's lines up to ``until`` (running balances from zero); with ``start``, only the lines
    from that day (their running balances then start at zero too: ``opening_balances`` gives what comes
    from before). An entry reversed by a reversal dated up to ``until`` has no line. With ``start``, a
    reversal dated from ``start`` on of an entry dated before it (an entry of a closed month, corrected in an
    open one) is a line of its own, the entry's movement the other way: the balance carried in stays what the
    earlier months closed with."""
    with db.session() as s:
        query = select(JournalEntry).where(JournalEntry.committee_id == committee_id,
                                           JournalEntry.kind.in_(CASH_KINDS), JournalEntry.entry_date <= until)
        if start is not None:
            query = query.where(JournalEntry.entry_date >= start)
        entries = [_journal_entry(r) for r in s.scalars(query.order_by(JournalEntry.seq))]
        # the month's lines: checked against the reversals since the last closed month before them
        reversed_ = (treasury_figures.reversed_until(s, committee_id, until) if start is None
                     else treasury_figures.reversed_from(s, committee_id, start, until))
        earlier: dict[int, object] = {}  # entries before ``start`` that a reversal in the period cancels
        if start is not None:
            wanted = {e.corrects_seq for e in entries if e.correction_type == "reversal" and e.corrects_seq}
            if wanted:
                earlier = {r.seq: _journal_entry(r) for r in s.scalars(select(JournalEntry).where(
                    JournalEntry.committee_id == committee_id, JournalEntry.seq.in_(wanted),
                    JournalEntry.entry_date < start))}
    lines, bank, cash = [], ZERO, ZERO
    for e in sorted(entries, key=lambda x: (x.entry_date, x.seq)):
        undone = None
        if e.correction_type == "reversal" and e.corrects_seq in earlier:
            undone, e = e, earlier[e.corrects_seq]  # the earlier entry's movement, undone on this day
        elif e.correction_type is not None or e.seq in reversed_:
            continue
        p = e.payload
        b_in = b_out = c_in = c_out = ZERO
        if e.kind == "tesoreria.transferencia":
            b_in, concept = Decimal(p["amount"]), _("Transferencia {reference}").format(reference=p.get('reference', '')).strip()
        elif e.kind == "tesoreria.retiro":
            b_out = c_in = Decimal(p["amount"])
            concept = _("Retiro del banco")
        elif e.kind == "tesoreria.gasto":
            amount = Decimal(p["amount"])
            concept = _("Gasto n.º {number}: {detail}").format(number=p['number'], detail=p['detail'])
            if p.get("payment") == "banco":
                b_out = amount
            else:
                c_out = amount
        else:
            continue
        if undone is not None:
            b_in, b_out, c_in, c_out = b_out, b_in, c_out, c_in
            concept = _("Anulación del asiento n.º {seq} ({day:%d/%m/%Y}): {concept}").format(
                seq=e.seq, day=e.entry_date, concept=concept)
            e = undone
        bank += b_in - b_out
        cash += c_in - c_out
        lines.append(CashLine(e.entry_date, e.seq, concept, b_in, b_out, c_in, c_out, bank, cash))
    return lines


def cash_span(db: Database, committee_id: int, until: date) -> tuple[date, date] | None:
    """(first day, last day) of the cash book's lines up to ``until`` (None: no line), from the database's
    min and max, without building the book."""
    with db.session() as s:
        reversed_ = select(JournalEntry.corrects_seq).where(
            JournalEntry.committee_id == committee_id, JournalEntry.correction_type == "reversal",
            JournalEntry.entry_date <= until, JournalEntry.corrects_seq.is_not(None))
        first, last = s.execute(select(func.min(JournalEntry.entry_date), func.max(JournalEntry.entry_date)).where(
            JournalEntry.committee_id == committee_id, JournalEntry.kind.in_(CASH_KINDS),
            JournalEntry.correction_type.is_(None), JournalEntry.entry_date <= until,
            JournalEntry.seq.not_in(reversed_))).one()
    return (first, last) if first is not None else None


def opening_balances(db: Database, committee_id: int, start: date, until: date) -> tuple[Decimal, Decimal]:
    """(bank, cash) carried into ``start``: the lines dated before it that no reversal dated before it cancels,
    what the months before closed with. A reversal dated from ``start`` to ``until`` of an earlier entry is a line
    of ``cash_book(…, until, start=start)`` instead, so the opening plus the lines still end where the figures
    as of ``until`` do."""
    del until  # kept for the callers: the period's reversals are its lines, not part of the opening
    with db.session() as s:
        return _cash_totals(s, committee_id, start - timedelta(days=1), start - timedelta(days=1))


@dataclass(frozen=True)
class CancelledExpense:
    number: int
    day: date
    doc_type: str
    doc_number: str
    amount: Decimal
    cancelled_on: date  # the reversal's date (the day its money counts from)
    reason: str
    recorded_on: date | None = None  # the day the cancellation was made, when it is not ``cancelled_on``


@dataclass(frozen=True)
class Balance:
    month: str
    state: str
    transferred_in_month: Decimal
    transferred_to_date: Decimal
    spent_in_month: Decimal
    spent_to_date: Decimal
    bank: Decimal
    cash: Decimal
    headings: list[HeadingBalance]
    expenses: list[TreasuryExpense] = field(default_factory=list)
    transfers: list[TreasuryTransfer] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    observations: str = ""
    previous: Decimal | None = None  # bank + cash the months before ended with (no later cancellation counted)
    # the month's expenses cancelled by the month's end: their numbers are missing from ``expenses``, and a
    # balance that skips n.º 10 must say why (the journal keeps it; the paper must not look like a deletion)
    cancelled: list[CancelledExpense] = field(default_factory=list)

    @property
    def returned_in_month(self) -> Decimal:
        """Money given back in the month by cancelling earlier months' entries (an expense of a closed month
        cancelled now: +; a transfer: −): what, with the month's transfers and expenses, leads from ``previous``
        to the balance."""
        if self.previous is None:
            return ZERO
        return self.balance - self.previous - self.transferred_in_month + self.spent_in_month

    @property
    def balance(self) -> Decimal:
        """Money that should be on hand: everything received minus everything spent, to date."""
        return self.transferred_to_date - self.spent_to_date


def _cancelled_in_month(s, committee_id: int, month: str, start: date, end: date) -> list[CancelledExpense]:
    """The month's expenses cancelled by its end, with when and why. Read by the month's own rows: the
    inactive expenses of its days, then the month's reversals of receipts (by kind and date, an index), never
    the whole journal (joined on ``corrects_seq``, which has no index, SQLite took 2.5 s on a 10,000-receipt
    year)."""
    rows = s.execute(select(TreasuryExpense.journal_seq, TreasuryExpense.number, TreasuryExpense.day,
                            TreasuryExpense.doc_type, TreasuryExpense.doc_number, TreasuryExpense.amount).where(
        TreasuryExpense.committee_id == committee_id, TreasuryExpense.day >= start, TreasuryExpense.day <= end,
        TreasuryExpense.cycle == month, TreasuryExpense.active.is_(False)).order_by(TreasuryExpense.number)).all()
    if not rows:
        return []
    undone = {r.corrects_seq: r for r in s.execute(select(
        JournalEntry.corrects_seq, JournalEntry.entry_date, JournalEntry.reason, JournalEntry.recorded_at).where(
        JournalEntry.committee_id == committee_id, JournalEntry.kind == "tesoreria.gasto",
        JournalEntry.entry_date >= start, JournalEntry.entry_date <= end, JournalEntry.correction_type == "reversal"))}
    def made(entry) -> date | None:
        try:
            day = datetime.fromisoformat(entry.recorded_at).astimezone().date()
        except (TypeError, ValueError):
            return None
        return day if day != entry.entry_date else None

    return [CancelledExpense(r.number, r.day, r.doc_type, r.doc_number, _cents(r.amount),
                             undone[r.journal_seq].entry_date, undone[r.journal_seq].reason, made(undone[r.journal_seq]))
            for r in rows if r.journal_seq in undone]


def balance(db: Database, committee_id: int, month: str) -> Balance:
    """The month's money as of its end: its own transfers and expenses, and the figures to date carried
    forward from the last month closed before it (``treasury_figures``). A reversal dated later (in an open
    month) does not rewrite this month."""
    start, end = period_range(month)  # the one rule for reading a month: a bad or absurd one is named
    hs = headings(db, committee_id)
    with db.session() as s:
        figures, reversed_, _carry = treasury_figures.figures(s, committee_id, end, end,
                                                              carry_by=start - timedelta(days=1))
        before = _cash_totals(s, committee_id, start - timedelta(days=1), start - timedelta(days=1))
        expenses = s.scalars(select(TreasuryExpense).where(
            TreasuryExpense.committee_id == committee_id, _standing(TreasuryExpense, reversed_),
            TreasuryExpense.cycle == month, TreasuryExpense.day >= start, TreasuryExpense.day <= end).order_by(TreasuryExpense.number)).all()
        transfers = s.scalars(select(TreasuryTransfer).where(
            TreasuryTransfer.committee_id == committee_id, _standing(TreasuryTransfer, reversed_),
            TreasuryTransfer.cycle == month, TreasuryTransfer.day >= start, TreasuryTransfer.day <= end).order_by(TreasuryTransfer.day)).all()
        cancelled = _cancelled_in_month(s, committee_id, month, start, end)
        s.expunge_all()
    in_month: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for e in expenses:
        in_month[e.heading] += Decimal(e.amount)
    by_heading = _heading_balances(hs, figures, in_month)
    bank, cash = figures.bank, figures.cash  # the cash book's last balances
    warnings = []
    if cash < 0:
        warnings.append(_("El efectivo queda en {format_soles}: falta registrar un retiro del banco.").format(format_soles=format_soles(cash)))
    for hb in by_heading.values():
        if hb.balance < 0:
            warnings.append(_("El rubro {name} está sobregirado en {format_soles}.").format(name=hb.name, format_soles=format_soles(-hb.balance)))
        elif hb.allotted > 0 and hb.balance < hb.allotted * LOW_SHARE:
            warnings.append(_("Al rubro {name} le queda {format_soles}, menos del 10 %.").format(name=hb.name, format_soles=format_soles(hb.balance)))
    return Balance(
        month, cycle_state(db, committee_id, month),
        sum((Decimal(t.amount) for t in transfers), ZERO),
        figures.transferred,
        sum((Decimal(e.amount) for e in expenses), ZERO),
        sum((hb.spent for hb in by_heading.values()), ZERO),
        bank, cash, list(by_heading.values()), list(expenses), list(transfers), warnings,
        cycle_observations(db, committee_id, month), sum(before, ZERO), cancelled)


# ------------------------------------------------------------------------------- an expense sheet
@dataclass(frozen=True)
class ExpenseSheet:
    """A sheet of expenses read and checked (``recorded``: the journal entries, empty on a dry run)."""

    path: str
    expenses: list[Expense]
    where: list[str]
    warnings: list[str]
    heading_names: dict[str, str]
    recorded: list[int] = field(default_factory=list)
    heading_notes: list[dict] = field(default_factory=list)  # the facts of the headings' warnings

    @property
    def total(self) -> Decimal:
        return sum((e.amount for e in self.expenses), Decimal("0.00"))


def import_expense_sheet(db: Database, committee_id: int, path, *, user: str, dry_run: bool = False) -> ExpenseSheet:
    """Read a sheet of expenses (CSV or XLSX) and record them all or none; with ``dry_run`` only check
    them (the Tesorería page shows that check before the user confirms; ``treasury import --dry-run``)."""
    from pathlib import Path

    from ..io.treasury_files import read_expenses

    hs = headings(db, committee_id)
    expenses, where = read_expenses(Path(path), hs)
    result = record_expenses(db, committee_id, expenses, user=user, where=where, dry_run=dry_run)
    return ExpenseSheet(str(path), expenses, where, list(result.warnings), {h.code: h.name for h in hs},
                        list(result.seqs), list(result.heading_notes))
