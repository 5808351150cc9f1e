"""The «Acta de entrega» when the committee changes: what the outgoing committee hands over.

The school and the date; who hands over and who receives (names, DNI, roles); the food in the store
lot by lot (product, brand, lot, expiry, kilos, suspended lots marked); the money (bank, cash, total, as
of the date); the accountings not yet approved; the incidents not yet reported to the programme; then
the signatures of both committees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table

from ..domain.committee import ROLES
from ..domain.treasury import CYCLE_STATES
from ..i18n import N_, _
from ..persistence.journal import Journal
from .base import (
    HEAD_BG,
    RULE,
    ZEBRA,
    build_pdf,
    escape,
    format_date,
    format_number,
    long_date,
    page_frame_size,
    records_intact,
    style,
    table_style,
)
from .reception import Signer, signature_table

TITLE = N_("Acta de entrega del comité")


@dataclass(frozen=True)
class Person:
    name: str
    dni: str
    role: str


@dataclass(frozen=True)
class HandoverFacts:
    day: date
    outgoing: list[Person]
    incoming: list[Person]
    lots: list  # LotInfo with a balance
    bank: Decimal
    cash: Decimal
    pending: list[tuple[str, str]]  # (month, state label)
    incidents: list  # IncidentRecord not reported to the programme
    recorded_seq: int | None


def _soles(amount: Decimal) -> str:
    return f"S/ {format_number(amount, 2)}"


def facts(db, committee, day: date | None = None) -> HandoverFacts:
    """What the acta says, read from the services. The people are those of the last recorded handover
    up to ``day``; without one, the members in office hand over and the receivers' lines are blank."""
    from ..services import incidents, people, stock, treasury

    day = day or date.today()
    recorded = [h for h in people.handovers(db, committee.id) if h["day"] <= day.isoformat()]
    if recorded:
        last = recorded[-1]
        outgoing = [Person(p["name"], p["dni"], p["role"]) for p in last["outgoing"]]
        incoming = [Person(p["name"], p["dni"], p["role"]) for p in last["incoming"]]
        seq = last["seq"]
    else:
        outgoing = [Person(m.name, m.dni, m.role) for m in people.active_members(db, committee.id, day)]
        incoming, seq = [], None
    lots = sorted((lot for lot in stock.lots(db, committee.id) if lot.balance_grams > 0),
                  key=lambda lot: (lot.product_name, lot.expiry or date.max, lot.lot))
    book = treasury.cash_book(db, committee.id, day)
    bank = book[-1].bank_balance if book else Decimal("0.00")
    cash = book[-1].cash_balance if book else Decimal("0.00")
    with db.session() as s:
        months = sorted({e.entry_date.strftime("%Y-%m") for e in Journal(s, committee.id).entries(end=day)
                         if e.kind.startswith("tesoreria.") and e.kind not in ("tesoreria.estado", "tesoreria.rubros")})
    pending = []
    for month in months:
        state = treasury.cycle_state(db, committee.id, month)
        if state != "aprobado":
            pending.append((month, CYCLE_STATES.get(state, state)))
    open_incidents = [i for i in incidents.list_incidents(db, committee.id, end=day)
                      if not i.incident.reported_to_programme]
    return HandoverFacts(day, outgoing, incoming, lots, bank, cash, pending, open_incidents, seq)


def _grid(header: list[str], rows: list[list], widths: list[float], right: tuple[int, ...] = (),
          size: float = 11.5) -> Table:
    head = style("cell_head", fontSize=size, leading=size + 2.5)
    cell = style("cell", fontSize=size, leading=size + 2.5)
    num = style("cell", fontSize=size, leading=size + 2.5, alignment=TA_RIGHT)
    data = [[Paragraph(escape(h), head) for h in header]]
    for row in rows:
        data.append([c if not isinstance(c, str) else Paragraph(escape(c), num if i in right else cell)
                     for i, c in enumerate(row)])
    table = Table(data, colWidths=widths, repeatRows=1)
    commands = [("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP")]
    commands += [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(2, len(data), 2)]
    table.setStyle(table_style(commands))
    return table


def _people_table(people: list[Person], width: float) -> Table:
    return _grid([_("Nombre"), "DNI", _("Cargo")], [[p.name, p.dni, ROLES.get(p.role, p.role)] for p in people],
                 [width * 0.55, width * 0.17, width * 0.28])


def _none(text: str) -> Paragraph:
    return Paragraph(escape(text), style("body"))


def build_handover_acta(db, committee, out: Path, *, day: date | None = None) -> Path:
    """Write the «Acta de entrega» to ``out`` (A4 portrait) and return its path."""
    records_intact(db, committee)  # never print figures from tables that disagree with the journal
    f = facts(db, committee, day)
    width, _unused = page_frame_size()
    form = committee.form
    body = style("body")
    story: list = [
        Paragraph(_(TITLE), style("title")),
        Paragraph(_("{escape} · código modular {escape2} · {long_date}").format(escape=escape(form.school_name), escape2=escape(form.codigo_modular), long_date=long_date(f.day)), style("subtitle")),
        Paragraph(_("En la fecha, el comité de alimentación escolar que termina sus funciones entrega al comité que "
                  "las asume los alimentos, el dinero y los asuntos pendientes que se detallan abajo, "
                  "revisados por ambos.") + (_(" El cambio está registrado en el diario (asiento n.º {recorded_seq}).").format(recorded_seq=f.recorded_seq)
                                            if f.recorded_seq else ""), body),
        Paragraph(_("Entregan (comité saliente)"), style("heading")),
        _people_table(f.outgoing, width) if f.outgoing else _none("—"),
        Paragraph(_("Reciben (comité entrante)"), style("heading")),
        _people_table(f.incoming, width) if f.incoming else _none(
            _("Todavía no se registró el comité entrante: escriba sus nombres al firmar.")),
        CondPageBreak(4 * cm),
        Paragraph(_("Alimentos en el almacén, por lote ({len} lotes)").format(len=len(f.lots)), style("heading")),
    ]
    if f.lots:
        rows = []
        for lot in f.lots:
            note = "SUSPENDIDO: " + lot.suspension_reason if lot.suspended else ""
            rows.append([lot.product_name, lot.brand, lot.lot, format_date(lot.expiry) if lot.expiry else "—",
                         format_number(lot.balance_grams / 1000, 2), note])
        story.append(_grid([_("Producto"), _("Marca"), _("Lote"), _("Vence"), _("Saldo (kg)"), _("Nota")], rows,
                           [width * 0.27, width * 0.14, width * 0.19, width * 0.15, width * 0.11, width * 0.14],
                           right=(4,), size=10.5))
    else:
        story.append(_none(_("No hay alimentos en el almacén.")))
    story += [
        KeepTogether([
            Paragraph(_("Dinero al {format_date}").format(format_date=format_date(f.day)), style("heading")),
            _grid([_("Cuenta"), _("Saldo")], [[_("En el banco"), _soles(f.bank)], [_("Efectivo en caja"), _soles(f.cash)],
                                        [_("Total"), _soles(f.bank + f.cash)]],
                  [width * 0.6, width * 0.4], right=(1,)),
        ]),
        Paragraph(_("Rendiciones de cuentas pendientes"), style("heading")),
        _grid([_("Mes"), _("Estado")], [[m, s] for m, s in f.pending], [width * 0.5, width * 0.5])
        if f.pending else _none(_("Todas las rendiciones están aprobadas.")),
    ]
    heading = Paragraph(_("Incidencias abiertas (sin reporte al programa)"), style("heading"))
    if f.incidents:
        story.append(KeepTogether([heading, _grid(
            [_("Fecha"), _("Qué pasó"), _("Registró")],
            [[format_date(i.incident.day), i.incident.description, i.user] for i in f.incidents],
            [width * 0.17, width * 0.53, width * 0.30])]))
    else:
        story += [heading, _none(_("No hay incidencias abiertas."))]
    outgoing = [Signer(_("{role} saliente").format(role=_(ROLES.get(p.role, p.role))), p.name, p.dni) for p in f.outgoing]
    incoming = ([Signer(_("{role} entrante").format(role=_(ROLES.get(p.role, p.role))), p.name, p.dni) for p in f.incoming]
                or [Signer(f"{ROLES[r]} entrante") for r in ("presidente", "secretario", "tesorero")])
    story += [
        CondPageBreak(8 * cm),
        Paragraph(_("Firmas"), style("heading")),
        Paragraph(_("Ambos comités declaran que revisaron lo entregado y que está conforme con lo que dice esta acta."),
                  body),
        Spacer(1, 0.3 * cm),
        Paragraph(_("Comité saliente"), style("cell_bold")),
        *signature_table(outgoing, width),
        Paragraph(_("Comité entrante"), style("cell_bold")),
        *signature_table(incoming, width),
    ]
    return build_pdf(out, story, title=_(TITLE), committee=committee)
