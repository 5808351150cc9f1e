"""What came into the school in a month, for the monthly report: the programme's deliveries (actas, with
their partial and rejected lines) and the committee's receipts (comprobantes), with food received from
the programme and food bought with the committee's money as separate figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from ..domain.stock import OutsideFood
from ..persistence.engine import Database
from ..persistence.journal import Journal
from ..persistence.models import JournalEntry, StockMovement, TreasuryExpense
from . import periods
from .receiving import reception_of

ZERO = Decimal(0)


@dataclass(frozen=True)
class DeliveryLine:
    food_code: str
    product: str
    unit: str
    quantity: Decimal
    accepted_units: Decimal
    conformity: str  # conforme | parcial | rechazado
    observation: str

    @property
    def rejected_units(self) -> Decimal:
        return self.quantity - self.accepted_units


@dataclass(frozen=True)
class Delivery:
    acta: str
    day: date
    supplier: str
    conformity: str  # the acta's verdict: conforme | parcial | rechazado
    lines: tuple[DeliveryLine, ...]
    accepted_g: Decimal

    @property
    def not_accepted(self) -> list[DeliveryLine]:
        """The lines partly or wholly refused."""
        return [ln for ln in self.lines if ln.conformity != "conforme" or ln.rejected_units > 0]


@dataclass(frozen=True)
class Receipt:
    number: int
    day: date
    doc_type: str
    doc_number: str
    party_id: str
    party_name: str
    detail: str
    heading: str
    amount: Decimal
    payment: str
    food: bool  # bought food that entered the store


@dataclass(frozen=True)
class MonthSupplies:
    month: str
    deliveries: list[Delivery] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    programme_g: Decimal = ZERO  # food accepted from the programme's deliveries
    bought_g: Decimal = ZERO  # food bought with the committee's money that entered the store
    bought_amount: Decimal = ZERO  # what the receipts of that food cost
    outside: list[OutsideFood] = field(default_factory=list)  # food the services used from outside the store

    @property
    def outside_g(self) -> Decimal:
        return sum((o.grams for o in self.outside), ZERO)

    def outside_by_product(self) -> list[tuple[str, str, int, Decimal]]:
        """(origin, food code, services, grams) of the food from outside the store, per origin and product."""
        sums: dict[tuple[str, str], list] = {}
        for o in self.outside:
            entry = sums.setdefault((o.origin, o.food_code), [0, ZERO])
            entry[0] += 1
            entry[1] += o.grams
        return [(origin, code, n, g) for (origin, code), (n, g) in sorted(sums.items())]

    @property
    def partial_lines(self) -> int:
        return sum(1 for d in self.deliveries for ln in d.not_accepted if ln.accepted_units > 0)

    @property
    def rejected_lines(self) -> int:
        return sum(1 for d in self.deliveries for ln in d.not_accepted if ln.accepted_units == 0)

    @property
    def receipts_total(self) -> Decimal:
        return sum((r.amount for r in self.receipts), ZERO)


def month_supplies(db: Database, committee_id: int, month: str) -> MonthSupplies:
    start, end = periods.month_bounds(month)
    with db.session() as s:
        journal = Journal(s, committee_id)
        reversed_ = set(s.scalars(select(JournalEntry.corrects_seq).where(
            JournalEntry.committee_id == committee_id, JournalEntry.correction_type == "reversal")))
        entries = [e for e in journal.entries("recepcion", start=start, end=end)
                   if e.correction_type is None and e.seq not in reversed_]
        bought_seqs = set()
        for e in journal.entries("tesoreria.gasto", start=start, end=end):
            if e.correction_type is None and e.seq not in reversed_ and e.payload.get("items"):
                bought_seqs.add(e.seq)
        received = dict(s.execute(select(StockMovement.journal_seq, func.sum(StockMovement.grams)).where(
            StockMovement.committee_id == committee_id, StockMovement.kind == "recepcion",
            StockMovement.day >= start, StockMovement.day <= end).group_by(StockMovement.journal_seq)).all())
        expenses = s.scalars(select(TreasuryExpense).where(
            TreasuryExpense.committee_id == committee_id, TreasuryExpense.active.is_(True),
            TreasuryExpense.day >= start, TreasuryExpense.day <= end).order_by(TreasuryExpense.day,
                                                                              TreasuryExpense.number)).all()
        receipts = [Receipt(x.number, x.day, x.doc_type, x.doc_number, x.party_id, x.party_name, x.detail,
                            x.heading, Decimal(x.amount), x.payment, x.journal_seq in bought_seqs) for x in expenses]
    deliveries = []
    for e in sorted(entries, key=lambda e: (e.entry_date, e.seq)):
        rec = reception_of(e.payload)
        lines = tuple(DeliveryLine(ln.food_code, ln.product_name or ln.food_code, ln.unit, ln.quantity,
                                   ln.accepted_units, ln.conformity, ln.observation) for ln in rec.lines)
        deliveries.append(Delivery(rec.acta, rec.day, rec.supplier, rec.conformity, lines,
                                   sum((ln.accepted_grams for ln in rec.lines), ZERO)))
    bought_g = sum((Decimal(g) for seq, g in received.items() if seq in bought_seqs), ZERO)
    from .serving import outside_food

    return MonthSupplies(month, deliveries, receipts,
                         programme_g=sum((d.accepted_g for d in deliveries), ZERO), bought_g=bought_g,
                         bought_amount=sum((r.amount for r in receipts if r.food), ZERO),
                         outside=outside_food(db, committee_id, start, end))
