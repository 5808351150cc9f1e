"""Corrections: reverse a journal entry and everything its projections did (stock movements,
service and treasury records). The original entry stays; the reversal carries the reason and user."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select, update

from ..errors import JournalError
from ..i18n import _
from ..persistence.engine import Database
from ..persistence.journal import Journal, lock_committee
from ..persistence.models import ServiceRecord, StockLot, StockMovement, TreasuryExpense, TreasuryTransfer
from . import stock

CORRECTABLE = ("recepcion", "servicio", "stock.ajuste", "stock.salida", "tesoreria.gasto",
               "tesoreria.transferencia", "tesoreria.retiro", "incidencia", "raciones.recepcion")
MONEY_KINDS = ("tesoreria.transferencia", "tesoreria.retiro", "tesoreria.gasto")  # `treasury reverse`


def reversal_day(entry_day: date, today: date, closed_months) -> date:
    """The date a reversal carries: the entry's own day while its month takes records (the month's figures
    are corrected where they were wrong), else today (a closed month, or one before a closed month, accepts
    nothing: ``Journal.is_frozen``)."""
    from ..vocab import period_of

    closed = set(closed_months)
    return entry_day if not closed or period_of(entry_day) > max(closed) else today


def reverse(db: Database, committee_id: int, seq: int, *, user: str, reason: str, day: date | None = None,
            today: date | None = None, only: tuple[str, ...] | None = None) -> int:
    """Cancel entry ``seq`` with a reversal (and undo what it did to stock, services, treasury), in one
    unit of work. ``day``: the reversal's date; when not given, ``reversal_day`` of the entry's date.
    ``only``: the kinds of entry the caller cancels (others are refused, naming what the entry is)."""
    with db.session() as s:
        lock_committee(s, committee_id)  # before the checks that read existing rows
        journal = Journal(s, committee_id)
        original = journal.get(seq)
        if only is not None and (original.kind not in only or original.correction_type is not None):
            raise JournalError(_("El asiento n.º {seq} ({kind}) no es una transferencia, un retiro ni un gasto: no se "
                                 "anula con este comando.").format(seq=seq, kind=original.kind))
        if day is None:
            day = reversal_day(original.entry_date, today or date.today(), journal.closed_months())
        if original.kind not in CORRECTABLE:
            raise JournalError(_("El asiento n.º {seq} ({kind}) no se corrige con una reversión.").format(seq=seq, kind=original.kind))
        if original.kind.startswith("tesoreria."):
            from ..persistence.journal import month_of
            from ..persistence.models import TreasuryCycle

            for cycle in {month_of(original.entry_date), month_of(day)}:
                row = s.get(TreasuryCycle, (committee_id, cycle))
                if row is not None and row.state in ("presentado", "aprobado"):
                    raise JournalError(_("La rendición de {cycle} ya fue presentada: no se corrige. Si el supervisor la observa, podrá corregirla.").format(cycle=cycle))
        from .kitchen_issue import replaced_ref

        returned = set(s.scalars(select(StockMovement.food_code).where(
            StockMovement.committee_id == committee_id, StockMovement.kind == "retorno",
            StockMovement.reference == replaced_ref(seq))))
        if returned and original.kind == "stock.salida":
            raise JournalError(_("La salida de almacén n.º {seq} ya fue reemplazada por otra: revierta esa.").format(seq=seq))
        if original.kind in ("tesoreria.transferencia", "tesoreria.retiro"):
            from decimal import InvalidOperation

            from .treasury import check_money_reversal

            try:
                amount = Decimal(str(original.payload["amount"]))
            except (KeyError, TypeError, InvalidOperation) as exc:  # an altered entry: verify names it
                raise JournalError(_("El asiento n.º {seq} no tiene un monto legible: no se corrige.").format(
                    seq=seq)) from exc
            check_money_reversal(s, committee_id, original.kind, amount, max(original.entry_date, day))
        entry = journal.reverse(seq, user=user, reason=reason, entry_date=day)
        moves = s.scalars(select(StockMovement).where(StockMovement.committee_id == committee_id,
                                                      StockMovement.journal_seq == seq)).all()
        # a service whose proposed issue of a product was replaced by the recorded one: that went back already
        moves = [m for m in moves if not (m.kind == "salida" and m.food_code in returned)]
        for m in moves:
            lot = s.get(StockLot, m.lot_id)
            stock.move(s, committee_id, entry.seq, day, lot, -Decimal(m.grams), "correccion", reason,
                       f"revierte asiento n.º {seq}")
            if m.kind == "recepcion":
                lot.received_grams = Decimal(lot.received_grams) - Decimal(m.grams)
        for model in (ServiceRecord, TreasuryExpense, TreasuryTransfer):
            s.execute(update(model).where(model.committee_id == committee_id, model.journal_seq == seq)
                      .values(active=False))
        return entry.seq
