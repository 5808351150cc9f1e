"""Command line: reception, stock and service (CLI.md "Reception, stock and service")."""

from __future__ import annotations

import getpass
from datetime import date
from decimal import Decimal
from pathlib import Path

from .domain.stock import ADJUSTMENT_REASONS, deviation_percent
from .errors import InvalidInput
from .i18n import _
from .vocab import format_date


def add_parsers(sub, parser_class) -> None:
    rec = sub.add_parser("receive", help=_("recepción de entregas")).add_subparsers(
        dest="action", required=True, parser_class=parser_class)
    s = rec.add_parser("import", help=_("registrar actas de entrega desde un CSV o XLSX"))
    s.add_argument("file", type=Path)
    s.add_argument("--user", help=_("quién registra (por defecto, el usuario del sistema)"))
    s.add_argument("--json", action="store_true")

    s = rec.add_parser("rations", help=_("modalidad raciones: raciones listas recibidas por día y nivel"))
    s.add_argument("file", type=Path)
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")

    serve = sub.add_parser("serve", help=_("raciones servidas")).add_subparsers(
        dest="action", required=True, parser_class=parser_class)
    what = _("registrar raciones servidas desde un CSV o XLSX: fecha, comida, nivel, preparacion, "
             "raciones_servidas, asistentes (y si quiere sobras, y origen_fuera: de dónde vino lo que la "
             "preparación lleva y nunca entró al almacén, p. ej. «aporte de padres»); con las columnas producto, lote, cantidad, "
             "unidad (y motivo) también lo que salió del almacén para esa comida (reemplaza lo propuesto por la "
             "dosificación; lote en blanco: el que vence primero)")
    s = serve.add_parser("import", help=what, description=what)
    s.add_argument("file", type=Path)
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")
    s = serve.add_parser("record", help=_("registrar las raciones servidas de un día, comida y nivel"))
    s.add_argument("--date", required=True, help=_("fecha (dd/mm/aaaa)"))
    s.add_argument("--meal", required=True, choices=("desayuno", "almuerzo"))
    s.add_argument("--level", required=True, help=_("inicial, primaria o secundaria"))
    s.add_argument("--recipe", required=True, help=_("la preparación servida (su id, ver «recipes list»)"))
    s.add_argument("--rations", type=int, required=True, help=_("raciones servidas"))
    s.add_argument("--attendance", type=int, required=True, help=_("niños que asistieron"))
    s.add_argument("--leftovers", type=int, default=0, help=_("raciones que sobraron"))
    s.add_argument("--outside-origin", default="", metavar=_("ORIGEN"),
                   help=_("de dónde vinieron los alimentos de la preparación que nunca entraron al almacén "
                          "(«aporte de padres», «compra con dinero del comité», «donación»…); sin él, una "
                          "preparación con alimentos así se rechaza"))
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")

    st = sub.add_parser("stock", help=_("almacén: stock por producto y lote"))
    st.add_argument("--json", action="store_true")
    st.add_argument("--expiring", type=int, metavar=_("DÍAS"), help=_("solo lotes que vencen en esos días"))
    ss = st.add_subparsers(dest="action", parser_class=parser_class)
    s = ss.add_parser("recall", help=_("dónde está un lote y quiénes lo comieron"))
    s.add_argument("--lot", required=True)
    s.add_argument("--json", action="store_true")
    s = ss.add_parser("suspend", help=_("bloquear un lote, marca o producto suspendido por el programa"))
    s.add_argument("--lot")
    s.add_argument("--brand")
    s.add_argument("--product")
    s.add_argument("--reason", required=True)
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")
    s = ss.add_parser("adjust", help=_("registrar una pérdida, deterioro, diferencia o devolución"))
    s.add_argument("--lot-id", type=int, required=True)
    s.add_argument("--grams", required=True, help=_("negativo para una salida (p. ej. -500)"))
    s.add_argument("--reason", required=True, choices=sorted(ADJUSTMENT_REASONS))
    s.add_argument("--note", default="")
    s.add_argument("--date", help=_("fecha (dd/mm/aaaa); por defecto hoy"))
    s.add_argument("--user")
    s = ss.add_parser("kardex", help=_("movimientos de un producto con su saldo"))
    s.add_argument("product")
    s.add_argument("--json", action="store_true")
    iss = ss.add_parser("issue", help=_("salidas de almacén a cocina registradas por el almacenero"))
    issa = iss.add_subparsers(dest="issue_action", required=True, parser_class=parser_class)
    s = issa.add_parser("import", help=_("registrar lo que salió de verdad: fecha, comida, producto, lote, "
                                         "cantidad, unidad (reemplaza lo propuesto por la dosificación)"))
    s.add_argument("file", type=Path)
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")
    s = ss.add_parser("yield", help=_("control de rendimiento: lo que salió vs raciones × dosificación"))
    s.add_argument("--month", required=True, help=_("AAAA-MM"))
    s.add_argument("--json", action="store_true")
    add_incident_parsers(sub, parser_class)


def add_incident_parsers(sub, parser_class) -> None:
    from .domain.stock import INCIDENT_TYPES

    inc = sub.add_parser("incident", help=_("incidencias: producto dañado o perdido, niños enfermos, entregas"))
    ia = inc.add_subparsers(dest="action", required=True, parser_class=parser_class)
    s = ia.add_parser("record", help=_("registrar una incidencia; si se perdió comida, sale del almacén como merma"))
    s.add_argument("--date", help=_("fecha (dd/mm/aaaa); por defecto hoy"))
    s.add_argument("--kind", required=True, choices=sorted(INCIDENT_TYPES))
    s.add_argument("--description", required=True, help=_("qué pasó"))
    s.add_argument("--product", help=_("producto afectado (código o nombre)"))
    s.add_argument("--lot", help=_("lote afectado"))
    s.add_argument("--quantity", help=_("cantidad dañada o perdida: sale del almacén (merma)"))
    s.add_argument("--unit", default="kg", help=_("unidad de la cantidad (kg, g, L…); por defecto kg"))
    s.add_argument("--meal", choices=("desayuno", "almuerzo"), help=_("niños enfermos: después de qué comida"))
    s.add_argument("--children", type=int, default=0, help=_("niños afectados"))
    s.add_argument("--health-post", action="store_true", help=_("se derivó a los niños al puesto de salud"))
    s.add_argument("--reported", metavar="REF", help=_("referencia del reporte al programa"))
    s.add_argument("--notes", default="")
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")
    s = ia.add_parser("list", help=_("incidencias registradas"))
    s.add_argument("--month", help=_("AAAA-MM"))
    s.add_argument("--json", action="store_true")


def run_incident(args, emit, ready_db) -> int:
    from .io.tabular import parse_date
    from .services import committee, incidents
    from .services.products import ProductResolver, densities
    from .units import to_grams

    db = ready_db(args)
    info = committee.require(db, args.committee)
    if args.action == "list":
        start = end = None
        if args.month:
            start, end = month_range(args.month)
        found = incidents.list_incidents(db, info.id, start, end)
        doc = [{"entry": r.seq, "date": r.incident.day.isoformat(), "kind": r.incident.kind,
                "description": r.incident.description, "product": r.incident.food_code, "lot": r.incident.lot,
                "lost_g": None if r.incident.lost_grams is None else str(r.incident.lost_grams),
                "meal": r.incident.meal, "children_affected": r.incident.children_affected,
                "reported": r.incident.reported_to_programme} for r in found]
        emit(args, doc, "\n".join(f"{r.incident.day:%d/%m/%Y} {r.incident.kind}: {r.incident.description}"
                                  for r in found) or _("Ninguna incidencia registrada."))
        return 0
    day = parse_date(args.date) if args.date else date.today()
    if day is None:
        raise InvalidInput(_("Revise --date (dd/mm/aaaa)."))
    code = ""
    if args.product:
        code = ProductResolver(db).code(args.product) or ""
        if not code:
            raise InvalidInput(_("«{p}» no es un código ni un producto conocido.").format(p=args.product))
    lost = None
    if args.quantity:
        from .io.tabular import parse_decimal

        amount = parse_decimal(args.quantity)
        if amount is None:
            raise InvalidInput(_("Revise --quantity: escriba un número, por ejemplo 2.5."))
        lost = to_grams(amount, args.unit, food_code=code or None, density_kg_per_l=densities().get(code))
    incident = incidents.Incident(day=day, kind=args.kind, description=args.description, food_code=code,
                                  lot=args.lot or "", children_affected=args.children,
                                  referred_to_health_post=args.health_post, reported_to_programme=bool(args.reported),
                                  programme_reference=args.reported or "", notes=args.notes, meal=args.meal or "",
                                  lost_grams=lost)
    seq = incidents.record(db, info.id, incident, user=_user(args))
    emit(args, {"entry": seq, "lost_g": None if lost is None else str(lost)},
         _("Incidencia registrada (asiento n.º {seq}).").format(seq=seq)
         + ("" if lost is None else " " + _("Salieron del almacén {grams} como pérdida.").format(
             grams=stock_fmt(lost))))
    return 0


def _user(args) -> str:
    return getattr(args, "user", None) or getpass.getuser()


def _kg(grams) -> float:
    return float(grams / 1000)


def run_receive(args, emit, ready_db) -> int:
    if args.action == "rations":
        return _receive_rations(args, emit, ready_db)
    from .io.stock_files import read_receptions
    from .services import committee, receiving
    from .services.products import ProductResolver, densities

    db = ready_db(args)
    info = committee.require(db, args.committee)
    resolver = ProductResolver(db)
    receptions, where = read_receptions(args.file, resolver.code, densities())
    seqs = receiving.record(db, info.id, receptions, user=_user(args), where=where)
    accepted = sum(ln.accepted_grams for r in receptions for ln in r.lines)
    rejected = sum(ln.rejected_units * ln.net_grams_per_unit for r in receptions for ln in r.lines)
    doc = {"actas": [r.acta for r in receptions], "entries": seqs, "lines": sum(len(r.lines) for r in receptions),
           "accepted_kg": _kg(accepted), "rejected_kg": _kg(rejected),
           "conformity": {r.acta: r.conformity for r in receptions}}
    emit(args, doc, _("{n} acta(s) registradas ({lines} líneas): {accepted} kg ingresaron al almacén; {rejected} kg "
                      "rechazados.").format(n=len(receptions), lines=doc["lines"],
                                             accepted=f"{doc['accepted_kg']:.3f}", rejected=f"{doc['rejected_kg']:.3f}"))
    return 0


def _receive_rations(args, emit, ready_db) -> int:
    from .io.stock_files import read_ration_receptions
    from .services import committee, rations_received

    db = ready_db(args)
    info = committee.require(db, args.committee)
    items, where = read_ration_receptions(args.file)
    seqs = rations_received.record(db, info, items, user=_user(args), where=where)
    doc = {"entries": seqs, "received": sum(i.received for i in items), "accepted": sum(i.accepted for i in items)}
    emit(args, doc, _("{n} recepciones de raciones: {accepted} aceptadas de {received} recibidas.").format(
        n=len(seqs), accepted=doc["accepted"], received=doc["received"]))
    return 0


def run_serve(args, emit, ready_db) -> int:
    from .services import committee, service_import

    db = ready_db(args)
    info = committee.require(db, args.committee)
    if args.action == "record":
        from .services import serving

        items = [_one_service(args)]
        results, issues = serving.record(db, info, items, user=_user(args)), []
        warnings = [w for r in results for w in r.warnings]
    else:
        done = service_import.import_services(db, info, args.file, user=_user(args))
        results, items, warnings, issues = done.results, done.items, done.warnings, done.issues
    outside = _sum_issued(results, "outside")
    doc = {"records": len(results), "rations": sum(i.rations for i in items), "warnings": warnings,
           "issued_kg": {c: _kg(g) for c, g in _sum_issued(results).items()},
           "issues": [_issue_json(r) for r in issues],
           "outside_kg": {c: _kg(g) for c, g in outside.items()}}
    text = _("{n} registros de servicio, {rations} raciones.").format(n=len(results), rations=doc["rations"])
    if outside:
        text += "\n" + _("De fuera del almacén: {foods}.").format(foods=", ".join(
            f"{code} {stock_fmt(g)} ({origin})" for code, g, origin in _outside_lines(items, results)))
    emit(args, doc, text + "".join("\n" + _issue_text(r) for r in issues)
         + "".join("\n" + _("Aviso: {warning}").format(warning=w) for w in warnings))
    return 0


def _one_service(args):
    from .domain.stock import ServiceInput
    from .io.tabular import parse_date

    day = parse_date(args.date)
    if day is None:
        raise InvalidInput(_("Fecha «{date}»: use dd/mm/aaaa.").format(date=args.date))
    return ServiceInput(day, args.meal, args.level.strip().lower(), args.recipe.strip(), args.rations,
                        args.attendance, args.leftovers, outside_origin=args.outside_origin)


def _outside_lines(items, results):
    """(food code, grams, origin) of the food from outside the store, summed per product and origin."""
    from collections import defaultdict

    from .domain.stock import outside_origin

    total = defaultdict(Decimal)
    order = sorted(range(len(items)), key=lambda i: (items[i].day, items[i].meal != "desayuno", items[i].level))
    for i, result in zip(order, results, strict=True):
        for code, grams in result.outside.items():
            total[(code, outside_origin(items[i].outside_origin))] += grams
    return [(code, grams, origin) for (code, origin), grams in sorted(total.items())]


def _issue_json(r) -> dict:
    return {"entry": r.seq, "date": r.day.isoformat(), "meal": r.meal, "services": r.services,
            "issued_kg": {c: _kg(g) for c, g in r.issued.items()},
            "returned_kg": {c: _kg(g) for c, g in r.returned.items()}}


def _issue_text(r) -> str:
    return (_("{day} {meal}: salida registrada (asiento n.º {seq}); ").format(day=f"{r.day:%d/%m/%Y}", meal=r.meal,
                                                                               seq=r.seq)
            + ", ".join(f"{c} {stock_fmt(g)}" for c, g in r.issued.items())
            + ("" if r.services else _(" — aviso: no hay raciones registradas para esa comida")))


def _sum_issued(results, what: str = "issued"):
    from collections import defaultdict

    total = defaultdict(Decimal)
    for r in results:
        for code, grams in getattr(r, what).items():
            total[code] += grams
    return dict(total)


def _lot_json(lot, today: date) -> dict:
    return {"lot_id": lot.id, "product": lot.food_code, "name": lot.product_name, "brand": lot.brand, "lot": lot.lot,
            "expiry": lot.expiry.isoformat() if lot.expiry else None, "days_to_expiry": lot.days_to_expiry(today),
            "balance_kg": _kg(lot.balance_grams), "received_kg": _kg(lot.received_grams),
            "suspended": lot.suspended, "expired": lot.expired(today)}


def run_stock(args, emit, ready_db) -> int:
    from .services import committee, stock

    db = ready_db(args)
    info = committee.require(db, args.committee)
    today = date.today()
    action = getattr(args, "action", None)
    if action is None:
        found = stock.expiring(db, info.id, today, args.expiring) if args.expiring is not None else stock.lots(db, info.id)
        doc = [_lot_json(lot, today) for lot in found]
        lines = [f"{lot.food_code:<5} {lot.product_name[:30]:<30} " + _("lote {lot} vence {day}").format(
                     lot=f"{lot.lot:<12}", day=format_date(lot.expiry, "—")) + f"  {stock.fmt_grams(lot.balance_grams):>12}"
                 + ("  " + _("SUSPENDIDO") if lot.suspended else "") + ("  " + _("VENCIDO") if lot.expired(today) else "")
                 for lot in found]
        emit(args, doc, "\n".join(lines) or _("El almacén está vacío."))
        return 0
    if action == "recall":
        result = stock.recall(db, info.id, args.lot)
        doc = {"lot": args.lot, "in_store": [_lot_json(lot, today) for lot in result.lots],
               "servings": [{"date": s.day.isoformat(), "meal": s.meal, "level": s.level, "recipe": s.recipe_id,
                             "rations": s.rations, "grams": float(s.grams)} for s in result.servings],
               "rations": result.children_served}
        lines = [_("Lote {lot}:").format(lot=args.lot)] + ["  " + _("en almacén: {product} {brand}, {amount}").format(
            product=lot.product_name, brand=lot.brand, amount=stock.fmt_grams(lot.balance_grams)) for lot in result.lots]
        lines += [f"  {s.day:%d/%m/%Y} {s.meal} {s.level}: " + _("{n} raciones ({amount})").format(
            n=s.rations, amount=stock.fmt_grams(s.grams)) for s in result.servings]
        lines.append(_("Total: {n} raciones servidas con este lote.").format(n=result.children_served))
        emit(args, doc, "\n".join(lines))
        return 0
    if action == "suspend":
        found = stock.suspend(db, info.id, user=_user(args), day=today, reason=args.reason, lot=args.lot,
                              brand=args.brand, food_code=args.product)
        emit(args, [_lot_json(lot, today) for lot in found],
             _("{n} lote(s) bloqueado(s).").format(n=len(found)) if found else
             _("Ningún lote del almacén coincide; quedó anotado."))
        return 0
    if action == "adjust":
        from .io.tabular import parse_date, parse_decimal

        grams = parse_decimal(args.grams)
        day = parse_date(args.date) if args.date else today
        if grams is None or day is None:
            raise InvalidInput(_("Revise --grams (un número) y --date (dd/mm/aaaa)."))
        stock.adjust(db, info.id, args.lot_id, grams, args.reason, day=day, user=_user(args), note=args.note)
        print(_("Ajuste registrado."))
        return 0
    if action == "issue":
        return _issue_import(args, emit, db, info)
    if action == "kardex":
        from .services.products import ProductResolver

        code = ProductResolver(db).code(args.product)
        if code is None:
            raise InvalidInput(_("«{text}» no es un código ni un producto conocido.").format(text=args.product))
        lines_ = stock.kardex(db, info.id, code)
        doc = [{"date": k.day.isoformat(), "entry": k.seq, "kind": k.kind, "lot": k.lot, "grams": float(k.grams),
                "balance_grams": float(k.balance), "reason": k.reason, "reference": k.reference} for k in lines_]
        emit(args, doc, "\n".join(f"{k.day:%d/%m/%Y} {k.kind:<11} {k.lot:<12} {float(k.grams):>12,.1f} g "
                                  + _("saldo {grams} g").format(grams=f"{float(k.balance):>12,.1f}") + f"  {k.reference}"
                                  for k in lines_) or _("Sin movimientos."))
        return 0
    from .services import serving

    start, end = month_range(args.month)
    found = serving.yield_check(db, info, start, end)
    doc = [{"product": y.food_code, "name": y.name, "expected_kg": _kg(y.expected_grams),
            "issued_kg": _kg(y.issued_grams), "losses_kg": _kg(y.losses_grams),
            "deviation": None if y.deviation is None else float(y.deviation), "flagged": y.flagged,
            "expected_g": str(y.expected_grams), "issued_g": str(y.issued_grams),
            "difference_g": str(y.difference_grams),
            "deviation_pct": None if y.deviation is None else str(deviation_percent(y.expected_grams, y.issued_grams)),
            "days": [d.isoformat() for d in y.days],
            "by_day": [{"day": d.isoformat(), "expected_g": str(e), "issued_g": str(i)} for d, e, i in y.by_day]}
           for y in found]
    emit(args, doc, "\n".join(f"{'⚠' if y.flagged else ' '} {y.name[:34]:<34} " + _(
        "esperado {expected} kg salió {issued} kg  pérdidas {losses} kg").format(
        expected=f"{_kg(y.expected_grams):9.3f}", issued=f"{_kg(y.issued_grams):9.3f}",
        losses=f"{_kg(y.losses_grams):7.3f}") for y in found) or _("Sin movimientos en el mes."))
    return 1 if any(y.flagged for y in found) else 0


def _issue_import(args, emit, db, info) -> int:
    from .io.stock_files import read_issues
    from .services import kitchen_issue
    from .services.products import ProductResolver, densities

    resolver = ProductResolver(db)
    lines = read_issues(args.file, resolver.code, densities())
    results = kitchen_issue.record(db, info, lines, user=_user(args))
    emit(args, [_issue_json(r) for r in results], "\n".join(_issue_text(r) for r in results))
    return 0


def stock_fmt(grams) -> str:
    from .services.stock import fmt_grams

    return fmt_grams(grams)


def month_range(text: str) -> tuple[date, date]:
    from .vocab import period_range

    return period_range(text)
