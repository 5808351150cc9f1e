"""`qaliwarma calendar`: the year's school days, breaks and holidays with their sources, and the
committee's own adjustments (local holidays, the region's dates), recorded in the journal."""

from __future__ import annotations

import getpass
from datetime import date

from .errors import InvalidInput
from .i18n import _


def add_parsers(sub, parser_class) -> None:
    cal = sub.add_parser("calendar", help=_("calendario escolar: días de clase, feriados y vacaciones con su fuente"))
    cal.add_argument("--year", type=int, default=None, help=_("año (por defecto, el actual)"))
    cal.add_argument("--json", action="store_true")
    act = cal.add_subparsers(dest="action", required=False, parser_class=parser_class)
    s = act.add_parser("add", help=_("ajuste del comité: feriado local, fechas de la región, día de recuperación"))
    s.add_argument("--kind", required=True, choices=["sin_clases", "con_clases", "inicio", "fin"],
                   help=_("sin_clases (feriado local, día no laborable), con_clases (recuperación), "
                          "inicio o fin del año escolar fijado por la región"))
    s.add_argument("--from", dest="start", required=True, help=_("fecha dd/mm/aaaa o aaaa-mm-dd"))
    s.add_argument("--to", dest="end", help=_("último día (por defecto, el mismo)"))
    s.add_argument("--name", required=True, help=_("qué es, p. ej. «Aniversario del distrito»"))
    s.add_argument("--source", required=True, help=_("norma o acuerdo, p. ej. «Ordenanza municipal 012-2026»"))
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")
    s = act.add_parser("undo", help=_("anular un ajuste del comité (queda en el diario con el motivo)"))
    s.add_argument("seq", type=int, help=_("número de asiento del ajuste"))
    s.add_argument("--reason", required=True)
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")


def _date(text: str) -> date:
    from .io.tabular import parse_date

    day = parse_date(text)
    if day is None:
        raise InvalidInput(_("Fecha «{text}» mal escrita: use dd/mm/aaaa.").format(text=text))
    return day


def run(args, emit, open_db) -> int:
    from .services import calendar, committee

    user = getattr(args, "user", None) or getpass.getuser()
    if args.action == "add":
        db = open_db(args)
        info = committee.require(db, args.committee)
        start = _date(args.start)
        end = _date(args.end) if args.end else start
        a = calendar.add_adjustment(db, info.id, args.kind, start, end, name=args.name, source=args.source,
                                    user=user)
        emit(args, {"seq": a.seq, "action": a.action, "start": a.start.isoformat(), "end": a.end.isoformat(),
                    "name": a.name, "source": a.source},
             _("Ajuste del calendario registrado (asiento n.º {seq}): {action}, {days} — {name} ({source}).").format(
                 seq=a.seq, action=_(calendar.ADJUSTMENTS[a.action]), name=a.name, source=a.source,
                 days=f"{a.start:%d/%m/%Y}" + (_(" al {day}").format(day=f"{a.end:%d/%m/%Y}") if a.end != a.start
                                               else "")))
        return 0
    if args.action == "undo":
        db = open_db(args)
        info = committee.require(db, args.committee)
        calendar.undo_adjustment(db, info.id, args.seq, reason=args.reason, user=user)
        emit(args, {"undone": args.seq}, _("Ajuste n.º {seq} anulado.").format(seq=args.seq))
        return 0
    year = args.year or date.today().year
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("Año {year} fuera de rango (2000–2100).").format(year=year))
    db = open_db(args)
    info = committee.current(db, args.committee)
    x = calendar.listing(db, info.id if info else None, year)
    lines = [(_("Calendario escolar {year} — comité {code}").format(year=year, code=info.form.codigo_modular)
              if info else _("Calendario escolar {year} (nacional)").format(year=year)),
             _("Fuente: {source}").format(source=x.source),
             _("Clases del {start} al {end}: {n} días de clase.").format(
                 start=f"{x.start:%d/%m/%Y}", end=f"{x.end:%d/%m/%Y}", n=len(x.days)),
             _("Sin clases:")]
    lines += [f"  {b.start:%d/%m/%Y}–{b.end:%d/%m/%Y}  {b.name}  [{b.source}]" for b in x.breaks] or [
        "  " + _("(ninguno)")]
    lines.append(_("Feriados:"))
    for h in x.holidays:
        note = "" if h.day in x.holidays_in_term else " " + _("(no quita día de clase)")
        lines.append(f"  {h.day:%d/%m/%Y}  {h.name}  [{h.source}]" + note)
    if x.extra_days:
        lines.append(_("Días de clase agregados por el comité: {days}").format(
            days=", ".join(f"{d:%d/%m/%Y}" for d in x.extra_days)))
    if x.adjustments:
        lines.append(_("Ajustes del comité:"))
        lines += [f"  n.º {a.seq}: {a.action} {a.start:%d/%m/%Y}" + (f"–{a.end:%d/%m/%Y}" if a.end != a.start else "")
                  + f" {a.name} ({a.source})" + ("" if a.active else " — " + _("ANULADO: {reason}").format(reason=a.reversed_reason))
                  for a in x.adjustments]
    emit(args, calendar.listing_json(x), "\n".join(lines))
    return 0
