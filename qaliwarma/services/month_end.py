"""Cierre de mes: what a month of the committee has (the checklist shown before closing it), the months
it can choose, and its verification code. Plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from qaliwarma.persistence.journal import ChainCheck
from qaliwarma.services.supervision import flag_label
from qaliwarma.vocab import MONTHS as MONTH_NAMES  # noqa: F401  (one vocabulary)
from qaliwarma.vocab import add_months, capital, plural  # noqa: F401
from qaliwarma.vocab import format_date as short_date  # noqa: F401
from qaliwarma.vocab import period_label as month_label  # noqa: F401
from qaliwarma.vocab import period_of as month_of  # noqa: F401

from ..i18n import _

MONTHS_BACK = 24  # months offered before the current one at most














@dataclass(frozen=True)
class CheckItem:
    """One line of the checklist: ``state`` is "ok", "warn", "error" or "info"."""

    state: str
    text: str
    detail: str = ""


@dataclass(frozen=True)
class ClosedMonth:
    month: str
    closed_on: date | None
    closed_by: str

    @property
    def text(self) -> str:
        label = month_label(self.month)
        if self.closed_on is None:
            return label
        return _("{month} — cerrado el {day} por {user}").format(month=label, day=short_date(self.closed_on),
                                                                 user=self.closed_by)


@dataclass(frozen=True)
class MonthStatus:
    """The chosen month: its figures, the checklist and its verification code."""

    month: str
    closed: bool
    started: bool
    ended: bool
    school_days: int
    past_school_days: int
    days_with_service: int
    missing_days: tuple[date, ...]
    services: int
    rations: int
    receptions: int
    expenses: int
    spent: Decimal
    manages_money: bool
    incidents: int
    children_affected: int
    chain: ChainCheck
    bundle_code: str
    next_open: str
    items: tuple[CheckItem, ...]
    close_refusal: str = ""  # why a plain close is refused (before the month's last school day)

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def code(self) -> str:
        from qaliwarma.services.export import verification_code

        return verification_code(self.bundle_code)

    @property
    def days_to_come(self) -> int:
        return self.school_days - self.past_school_days


@dataclass(frozen=True)
class MonthEndData:
    months: tuple[tuple[str, bool], ...]  # (month, closed), most recent first
    closed: tuple[ClosedMonth, ...]
    status: MonthStatus | None
    suggested: str  # the month to show when the user has not chosen one


def choosable_months(first: date | None, today: date, closed: set[str]) -> list[str]:
    """From the month of the first record (at most MONTHS_BACK back) to the current month, and every
    closed month; most recent first."""
    current = month_of(today)
    oldest = add_months(current, -MONTHS_BACK)
    start = max(month_of(first), oldest) if first else current
    start = min(start, current)
    months = set(closed)
    month = start
    while month <= current:
        months.add(month)
        month = add_months(month, 1)
    return sorted(months, reverse=True)


def suggest(months: list[str], closed: set[str], today: date) -> str:
    """The oldest month that has ended and is still open (it is the one to close); else this month."""
    current = month_of(today)
    ended_open = sorted(m for m in months if m < current and m not in closed)
    return ended_open[0] if ended_open else current


def months_to_close(db, committee_id: int, today: date, closed: set[str] | None = None) -> list[str]:
    """The months that have ended and are still open, oldest first (the first is the one to close now).
    ``closed``: the committee's closed months, when the caller has read them already."""
    from qaliwarma.services import periods

    closed = set(periods.closed_months(db, committee_id)) if closed is None else closed
    months = choosable_months(_first_record(db, committee_id), today, closed)
    return sorted(m for m in months if m < month_of(today) and m not in closed)


def _closed_months(db, committee_id: int) -> tuple[ClosedMonth, ...]:
    from qaliwarma.persistence.journal import Journal
    from qaliwarma.services import periods

    months = periods.closed_months(db, committee_id)
    with db.session() as s:
        entries = Journal(s, committee_id).entries("periodo.cierre")
    who = {}
    for e in entries:
        who[e.payload.get("month")] = (date.fromisoformat(e.recorded_at[:10]), e.user)
    return tuple(ClosedMonth(m, *who.get(m, (None, ""))) for m in sorted(months, reverse=True))


def _first_record(db, committee_id: int) -> date | None:
    from sqlalchemy import func, select

    from qaliwarma.persistence.models import JournalEntry

    with db.session() as s:
        return s.scalar(select(func.min(JournalEntry.entry_date)).where(JournalEntry.committee_id == committee_id))


def _live_count(db, committee_id: int, kind: str, start: date, end: date) -> int:
    """Entries of ``kind`` dated in the month that are not corrections and were not reversed since."""
    from qaliwarma.persistence.journal import Journal

    with db.session() as s:
        entries = Journal(s, committee_id).entries(kind, start=start)
    reversed_ = {e.corrects_seq for e in entries if e.correction_type == "reversal"}
    return sum(1 for e in entries if e.correction_type is None and e.seq not in reversed_ and e.entry_date <= end)


#: flags the checklist already shows in its own words (missing days, the month still open)
OWN_LINES = ("dias_sin_registro", "dias_por_llegar", "mes_sin_cerrar", "incidencia_ninos", "diario_alterado")


def _grouped(flags: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, detail in flags:
        out.setdefault(kind, []).append(detail)
    return out


def _code_and_flags(db, info, month: str, today: date, chain: ChainCheck) -> tuple[str, list[tuple[str, str]]]:
    """The month's bundle code (what ``export`` will seal) and what the supervisor's import will flag in it
    (``services.month_review`` on the same bundle, built in memory as if exported today), worded once by
    ``domain.flags.word`` as on the monthly report."""
    from qaliwarma.domain.flags import word
    from qaliwarma.services.catalog import food_names
    from qaliwarma.services.month_review import month_bundle, review_bundle

    bundle, code = month_bundle(db, info, month, today, verified=chain)  # the chain month_status just verified
    flags = [f for f in review_bundle(bundle, code).flags if f.code not in OWN_LINES]
    names = food_names(db) if flags else {}
    return code, [(f.code, word(f, names, limit=6)) for f in flags]


def month_status(db, info, month: str, today: date, closed: set[str]) -> MonthStatus:
    from qaliwarma.money import format_soles
    from qaliwarma.services import calendar, incidents, periods, serving, treasury

    start, end = periods.month_bounds(month)
    days = calendar.school_days(db, info.id, start, end)
    # today's meals may still be recorded later today; a closed month takes no more records, so every one of its
    # school days counts (closed early, the days after the close vanished from «Raciones anotadas en 17 de 17»)
    past = list(days) if month in closed else [d for d in days if d < today]
    services = serving.services_in(db, info.id, start, end)
    served_days = {r.day for r in services}
    missing = tuple(d for d in past if d not in served_days)
    receptions = _live_count(db, info.id, "recepcion", start, end)
    money = treasury.balance(db, info.id, month)
    manages_money = bool(money.transfers or money.expenses or money.transferred_to_date)
    found = incidents.list_incidents(db, info.id, start, end)
    children = sum(r.incident.children_affected for r in found)
    from .integrity import check_one

    checked = check_one(db, info.id)  # the chain and every table against it, as `qaliwarma verify`
    chain = checked.chain
    code, flags = _code_and_flags(db, info, month, today, chain)
    next_open = add_months(month, 1)
    while next_open in closed:
        next_open = add_months(next_open, 1)

    items: list[CheckItem] = []
    if not days:
        items.append(CheckItem("warn", _("El calendario no tiene días de clase en este mes."),
                               _("Si hubo clases, revise el calendario escolar del comité.")))
    elif not past:
        items.append(CheckItem("info", _("El mes tiene {n} y todavía no empiezan.").format(
            n=plural(len(days), _("día de clase"), _("días de clase")))))
    else:
        text = _("Raciones anotadas en {n} de {m} días de clase").format(n=len(past) - len(missing), m=len(past))
        detail = ""
        if missing:
            shown = ", ".join(f"{d:%d/%m}" for d in missing[:6]) + ("…" if len(missing) > 6 else "")
            if month in closed:  # a closed month takes no more records: say so, ask for nothing
                detail = _("Sin registro: {days}. El mes está cerrado: ya no se anotan; explique la falta en la "
                           "rendición.").format(days=shown)
            else:
                detail = _("Faltan: {days}. Anote las raciones de esos días en «Raciones», o explique por qué no "
                           "hubo servicio.").format(days=shown)
        if len(days) > len(past) and month not in closed:
            detail = (detail + " " if detail else "") + _("Quedan {n} por venir en el mes.").format(
                n=plural(len(days) - len(past), _("día de clase"), _("días de clase")))
        items.append(CheckItem("warn" if missing else "ok", text, detail))
    rations = sum(r.rations for r in services)
    if services:
        items.append(CheckItem("info", _("{n} servidas en total").format(
            n=plural(rations, _("ración"), _("raciones")))))
    items.append(CheckItem("ok" if receptions else "info", _("Recepciones de alimentos: {n}").format(
        n=plural(receptions, _("acta"), _("actas"))),
        "" if receptions else _("Ninguna entrega registrada en este mes.")))
    if manages_money:
        items.append(CheckItem("warn" if money.warnings else "ok", _("Gastos: {n} por {amount}").format(
            n=plural(len(money.expenses), _("comprobante"), _("comprobantes")),
            amount=format_soles(money.spent_in_month)), " ".join(money.warnings)))
    else:
        items.append(CheckItem("info", _("Gastos: la escuela no maneja dinero este mes.")))
    if found:
        detail = _("{n} afectados.").format(n=plural(children, _("niño"), _("niños"))) if children else ""
        items.append(CheckItem("warn", _("Incidencias: {n}").format(n=len(found)), detail))
    else:
        items.append(CheckItem("ok", _("Incidencias: ninguna")))
    for kind, details in _grouped(flags).items():
        shown = "; ".join(details[:4]) + ("…" if len(details) > 4 else "")
        items.append(CheckItem("warn", _("Por revisar: {what}").format(what=_(flag_label(kind))),
                               shown))
    # what to do: a closed month cannot be closed again; its papers and package are what must wait
    advice = (_("Los registros fueron cambiados fuera del programa. No imprima ni exporte nada de este mes hasta "
                "aclararlo: avise al supervisor.") if month in closed else
              _("Los registros fueron cambiados fuera del programa. No cierre el mes: avise al supervisor."))
    if checked.findings:
        shown = "; ".join(f.plain() for f in checked.findings[:3]) + ("…" if len(checked.findings) > 3 else "")
        items.append(CheckItem("error", _("{n} dato(s) no coinciden con el diario").format(
            n=len(checked.findings)), shown + " " + advice))
    elif chain.ok:
        items.append(CheckItem("ok", _("Diario íntegro: {n}").format(
            n=plural(chain.entries, _("asiento verificado"), _("asientos verificados")))))
    else:
        items.append(CheckItem("error", chain.message(), advice))
    return MonthStatus(
        month=month, closed=month in closed, started=start <= today, ended=end < today,
        school_days=len(days), past_school_days=len(past), days_with_service=len(past) - len(missing),
        missing_days=missing, services=len(services), rations=rations, receptions=receptions,
        expenses=len(money.expenses), spent=money.spent_in_month, manages_money=manages_money,
        incidents=len(found), children_affected=children, chain=chain, bundle_code=code, next_open=next_open,
        items=tuple(items), close_refusal=periods.may_close(db, info.id, month, today)[1])


def load(db, info, month: str | None, today: date) -> MonthEndData:
    """Everything the page shows for ``month`` (None: the suggested month)."""
    from qaliwarma.services import periods

    closed_rows = _closed_months(db, info.id)
    closed = {c.month for c in closed_rows}
    months = choosable_months(_first_record(db, info.id), today, closed)
    suggested = suggest(months, closed, today)
    chosen = month or suggested
    if chosen not in months:
        periods.month_bounds(chosen)  # a badly written month says so
        months = sorted({*months, chosen}, reverse=True)
    status = month_status(db, info, chosen, today, closed) if chosen <= month_of(today) else None
    return MonthEndData(tuple((m, m in closed) for m in months), closed_rows, status, suggested)
