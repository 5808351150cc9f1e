"""Command line: menu planning and compliance (CLI.md "Menu planning and compliance")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from .domain.foods import named_foods
from .domain.levels import LEVEL_LABELS, MEAL_LABELS
from .domain.menus import STATUS_LABELS, Plan, PlanInfo
from .errors import InvalidInput
from .i18n import _
from .vocab import weekday_name


def add_parsers(sub, parser_class) -> None:
    menu = sub.add_parser("menu", help=_("planes de menú")).add_subparsers(dest="action", required=True,
                                                                        parser_class=parser_class)
    s = menu.add_parser("list", help=_("planes del comité"))
    s.add_argument("--json", action="store_true")
    s = menu.add_parser("import", help=_("cargar un archivo de plan (TOML, CSV o XLSX)"))
    s.add_argument("file", type=Path)
    s.add_argument("--name", help=_("nombre del plan (por defecto, el del archivo)"))
    s.add_argument("--standard", help=_("estándar nutricional del plan"))
    s.add_argument("--json", action="store_true")
    s = menu.add_parser("check", help=_("revisar un plan contra el estándar nutricional"))
    s.add_argument("plan", help=_("número del plan o archivo de plan"))
    s.add_argument("--standard", help=_("estándar (por defecto, el del plan o qw-2014)"))
    s.add_argument("--json", action="store_true")
    s = menu.add_parser("needs", help=_("alimentos que necesita el plan y su costo"))
    s.add_argument("plan", help=_("número del plan o archivo de plan"))
    s.add_argument("--attendance", default="1", help=_("asistencia esperada, de 0 a 1 (por defecto 1)"))
    s.add_argument("--json", action="store_true")
    s = menu.add_parser("export", help=_("guardar un plan como archivo TOML para compartirlo"))
    s.add_argument("plan", type=int)
    s.add_argument("--out", type=Path, required=True)
    s = menu.add_parser("pick", help=_("elegir la preparación de un día, comida y nivel (queda en el diario)"))
    s.add_argument("plan", type=int)
    s.add_argument("--day", required=True, help=_("dd/mm/aaaa o aaaa-mm-dd"))
    s.add_argument("--meal", required=True, choices=["desayuno", "almuerzo"])
    s.add_argument("--level", required=True, choices=["inicial", "primaria", "secundaria"])
    pick = s.add_mutually_exclusive_group(required=True)
    pick.add_argument("--recipe", help=_("código de la preparación"))
    pick.add_argument("--clear", action="store_true", help=_("quitar la preparación de ese día, comida y nivel"))
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")
    s = menu.add_parser("undo", help=_("deshacer una elección (la anula en el diario con el motivo)"))
    s.add_argument("seq", type=int, help=_("número de asiento de la elección"))
    s.add_argument("--reason", required=True)
    s.add_argument("--user")
    s = menu.add_parser("history", help=_("quién eligió cada preparación y quién deshizo una elección"))
    s.add_argument("plan", type=int, nargs="?", help=_("número del plan (por defecto, todos)"))
    s.add_argument("--json", action="store_true")
    s = menu.add_parser("standards", help=_("estándares nutricionales disponibles"))
    s.add_argument("--json", action="store_true")
    s = menu.add_parser("propose", help=_("proponer un menú que cumpla el estándar al menor costo"))
    s.add_argument("--from", dest="start", required=True, help=_("primer día (aaaa-mm-dd o dd/mm/aaaa)"))
    s.add_argument("--to", dest="end", required=True, help=_("último día (aaaa-mm-dd o dd/mm/aaaa)"))
    s.add_argument("--standard", help=_("estándar nutricional (por defecto qw-2014)"))
    s.add_argument("--keep", help=_("número de un plan cuyos días del periodo se conservan tal como están"))
    s.add_argument("--budget", help=_("soles para comprar alimentos en el periodo"))
    s.add_argument("--portions", help=_("ajustar porciones: los gramos de una preparación pueden moverse ±PCT %% "
                                        "(p. ej. 15) para cumplir el estándar; se guardan como preparaciones propias"))
    s.add_argument("--out", type=Path, help=_("guardar la propuesta como archivo de plan (.toml) para «menu import»"))
    s.add_argument("--json", action="store_true")


def _committee(args, db):
    from .services import committee

    return committee.require(db, args.committee)


def resolve_plan(args, db, info) -> Plan:
    """A plan id in the database, or a plan file checked against the committee (not saved)."""
    from .services import planning

    text = str(args.plan)
    if text.isdigit():
        return planning.get_plan(db, int(text), info.id)
    path = Path(text)
    if not path.exists():
        raise InvalidInput(_("«{text}» no es un número de plan ni un archivo que exista.").format(text=text))
    from .domain.menus import PlanEntry  # noqa: F401 - documents what the file holds
    from .io.plan_files import read_plan_file

    pf = read_plan_file(path, info.levels)
    problems = planning.validate_entries(db, info, pf.entries, pf.where)
    if problems:
        raise InvalidInput(_("{file} tiene errores.").format(file=path.name), problems)
    days = [e.day for e in pf.entries]
    start, end = pf.start or min(days), pf.end or max(days)
    return Plan(PlanInfo(0, pf.name, start, end, pf.standard, len(pf.entries)), tuple(pf.entries))


def run(args, emit, ready_db) -> int:
    db = ready_db(args)
    info = _committee(args, db)
    from .services import planning

    if args.action == "list":
        plans = planning.list_plans(db, info.id)
        doc = [{"id": p.id, "name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat(),
                "standard": p.standard_id, "entries": p.entries} for p in plans]
        emit(args, doc, "\n".join(f"{p.id:>4}  {p.name:<30} " + _("{start} al {end}  {n} preparaciones").format(
            start=f"{p.start:%d/%m/%Y}", end=f"{p.end:%d/%m/%Y}", n=p.entries) for p in plans)
             or _("El comité aún no tiene planes."))
        return 0
    if args.action in ("pick", "undo", "history"):
        return _run_picks(args, emit, db, info)
    if args.action == "standards":
        from .services import standards

        found = standards.list_standards(db, info.id)
        doc = [{"id": s.id, "name": s.name, "source": s.source, "own": s.committee_own} for s in found]
        emit(args, doc, "\n".join(f"{s.id:<28} {s.name}" for s in found))
        return 0
    if args.action == "import":
        created = planning.import_plan_file(db, info, args.file, name=args.name, standard=args.standard)
        emit(args, {"id": created.id, "name": created.name, "entries": created.entries},
             _("Plan n.º {id} «{name}» cargado: {n} preparaciones.").format(id=created.id, name=created.name,
                                                                             n=created.entries))
        return 0
    if args.action == "export":
        planning.export_plan_file(db, info, args.plan, args.out)
        print(_("Plan n.º {id} guardado en {path}.").format(id=args.plan, path=args.out))
        return 0
    if args.action == "propose":
        return _propose(args, db, info, emit)
    plan = resolve_plan(args, db, info)
    if args.action == "check":
        return _check(args, db, info, plan, emit)
    return _needs(args, db, info, plan, emit)


def _check(args, db, info, plan, emit) -> int:
    from .services import compliance, standards

    standard = standards.get_standard(db, args.standard or plan.info.standard_id)
    result = compliance.check_plan(db, plan, standard, info)
    summary = result.summary()
    lines = [_("Plan «{name}» ({start} al {end}) contra «{standard}»").format(
                 name=plan.info.name, start=f"{plan.info.start:%d/%m/%Y}", end=f"{plan.info.end:%d/%m/%Y}",
                 standard=standard.name),
             _("{entries} preparaciones: {ok} cumplen, {low} bajas, {high} altas, {unknown} sin datos "
               "suficientes.").format(**summary)]
    for c in result.entries:
        if c.status != "ok":
            lines.append(f"  {c.day:%d/%m/%Y} {_(MEAL_LABELS.get(c.meal, c.meal)).lower()} {_(LEVEL_LABELS.get(c.level, c.level)).lower()}: {c.recipe_name} — {_(STATUS_LABELS[c.status])}")
            lines += [f"      {p}" for p in c.problems]
    for r in result.rules:
        mark = "✓" if r.status == "ok" else "✗"
        lines.append(f"  {mark} {r.description}: {r.detail}")
    emit(args, compliance.check_json(result), "\n".join(lines))
    return 0 if result.ok else 1


def _needs(args, db, info, plan, emit) -> int:
    from .money import format_soles
    from .services import needs

    try:
        attendance = Decimal(str(args.attendance).replace(",", "."))
    except InvalidOperation as exc:
        raise InvalidInput(_("Asistencia «{value}» no es un número (use por ejemplo 0.9).").format(
            value=args.attendance)) from exc
    from .services import stock

    result = needs.plan_needs(db, plan, info, attendance=attendance)
    from .clock import today

    day = today()
    held = stock.on_hand(db, info.id)
    usable = stock.usable_on(db, info.id, day)  # an expired or suspended lot is not available
    short: dict[str, Decimal] = {}
    if held:  # compare what is still to be cooked (from today) with what the store can still give
        remaining = needs.plan_needs(db, plan, info, attendance=attendance, since=day,
                                     stock=lambda code: usable.get(code, Decimal(0)))
        short = {ln.code: ln.short_grams for ln in remaining.lines if ln.short_grams}
    doc = {
        "plan": plan.info.id, "children": result.children, "rations": result.rations,
        "total_cost": None if result.total_cost is None else str(result.total_cost),
        "cost_per_ration": None if result.cost_per_ration is None else str(result.cost_per_ration),
        "missing_prices": list(result.missing_prices),
        "foods": [{"code": ln.code, "name": ln.name,
                   "grams_per_child": {lv: float(g) for lv, g in ln.grams_per_child.items()},
                   "total_kg": float(ln.total_kg), "presentation": ln.presentation, "units": ln.units,
                   "cost": None if ln.cost is None else str(ln.cost),
                   "short_kg": float(short[ln.code] / 1000) if ln.code in short else (0.0 if held else None)}
                  for ln in result.lines],
    }
    lines = [_("Necesidades del plan «{name}» para {children} ({rations} raciones)").format(
        name=plan.info.name, rations=result.rations,
        children=", ".join(_("{n} niños de {level}").format(n=n, level=lv) for lv, n in result.children.items()))]
    for ln in result.lines:
        units = f"{ln.units} {ln.presentation}" if ln.units is not None else _("sin precio")
        cost = format_soles(ln.cost) if ln.cost is not None else ""
        missing = "  " + _("falta en almacén {kg} kg").format(kg=f"{short[ln.code] / 1000:.3f}") if ln.code in short else ""
        lines.append(f"  {ln.code:<5} {ln.name[:38]:<38} {ln.total_kg:>10} kg  {units:<14} {cost}{missing}")
    if result.total_cost is not None:
        lines.append(_("Costo total: {total}; por ración: {each}").format(
            total=format_soles(result.total_cost), each=format_soles(result.cost_per_ration)))
    else:
        lines.append(_("Falta el precio de: {codes}").format(codes=named_foods(
            result.missing_prices, {ln.code: ln.name for ln in result.lines})))
    emit(args, doc, "\n".join(lines))
    return 0






def _day(text: str, flag: str):
    from .io.tabular import parse_date

    day = parse_date(text)
    if day is None:
        raise InvalidInput(_("{flag}: «{text}» no es una fecha (use 2027-03-15 o 15/03/2027).").format(flag=flag, text=text))
    return day


def _propose(args, db, info, emit) -> int:
    from datetime import date

    from .io.plan_files import write_plan_toml
    from .money import format_soles
    from .services import planning
    from .services import propose as propose_service

    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    budget = None
    if args.budget is not None:
        try:
            budget = Decimal(str(args.budget).replace(",", "."))
        except InvalidOperation as exc:
            raise InvalidInput(_("--budget: «{text}» no es un monto en soles (use por ejemplo 12000).").format(
                text=args.budget)) from exc
    portions = 0.0
    if args.portions is not None:
        text = str(args.portions).strip().lstrip("±+").rstrip("%").strip().replace(",", ".")
        try:
            portions = float(text) / 100
        except ValueError as exc:
            raise InvalidInput(_("--portions: «{text}» no es un porcentaje (use por ejemplo 15).").format(
                text=args.portions)) from exc
        if not 0 <= portions <= 0.5:
            raise InvalidInput(_("--portions: {text} está fuera de 0 a 50 %.").format(text=args.portions))
    keep = []
    if args.keep is not None:
        if not str(args.keep).isdigit():
            raise InvalidInput(_("--keep: «{text}» no es un número de plan (vea «qaliwarma menu list»).").format(
                text=args.keep))
        keep = list(planning.get_plan(db, int(args.keep), info.id).entries)
    if args.out is not None and args.out.suffix.lower() != ".toml":
        raise InvalidInput(_("--out: {file} debe terminar en .toml (el formato que lee «menu import»).").format(
            file=args.out.name))
    result = propose_service.propose(db, info, start, end, standard_id=args.standard, keep=keep, budget=budget,
                                     today=date.today(), portions=portions)
    doc = propose_service.proposal_json(result, info.form.codigo_modular)
    current = next((p for p in planning.list_plans(db, info.id)
                    if p.start <= end and p.end >= start and (args.keep is None or p.id != int(args.keep))), None)
    comparison = None
    if current is not None:
        comparison = propose_service.compare_cost(db, info, result, planning.get_plan(db, current.id))
        doc["compared_with"] = {
            "plan": current.id, "name": comparison.plan_name,
            "cost_per_ration": None if comparison.current is None else str(comparison.current),
            "percent": None if comparison.percent is None else round(comparison.percent, 2),
            "dearer": list(comparison.dearer)}
    if args.out is not None:
        text = write_plan_toml(result.name, result.start, result.end, list(result.entries),
                               committee=info.form.codigo_modular, standard=result.standard_id)
        tmp = args.out.with_name(args.out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.out)
    lines = [_("{name} ({start} al {end}): ").format(name=result.name, start=f"{result.start:%d/%m/%Y}",
                                                     end=f"{result.end:%d/%m/%Y}")
             + (_("cumple todo.") if result.ok else _("el más cercano posible; no cumple {n} requisito(s).").format(
                 n=len(result.unmet)))]
    days = sorted({e.day for e in result.entries})
    for day in days:
        cells = [f"{e.meal} {e.level}: {result.names.get(e.recipe_id, e.recipe_id)}"
                 for e in result.entries if e.day == day]
        lines.append(f"  {weekday_name(day)[:3]} {day:%d/%m}  " + "; ".join(cells))
    for u in result.unmet:
        lines.append(f"  ✗ {u.text}")
    foreign = propose_service.foreign_text(result, info.form.region)
    if foreign:
        lines.append(foreign)
    if result.cost_per_ration is not None:
        lines.append(_("Costo: {total}; por ración: {each} ({n} raciones).").format(
            total=format_soles(result.cost_total), each=format_soles(result.cost_per_ration), n=result.rations))
    elif result.missing_prices:
        lines.append(_("Falta el precio de: {codes}").format(codes=named_foods(result.missing_prices, result.names))
                     + " " + _("(la propuesta los contó con el precio por gramo más alto de la lista)."))
    if comparison is not None and comparison.percent is not None:
        lines.append(_("El plan «{name}» cuesta {cost} por ración: la propuesta cuesta {percent} %").format(
            name=comparison.plan_name, cost=format_soles(comparison.current), percent=f"{comparison.percent:+.1f}")
                     + (_("; la encarecen: {foods}.").format(foods="; ".join(comparison.dearer)) if comparison.dearer
                        else "."))
    buy = [b for b in result.purchases]
    if buy:
        lines.append(_("Para comprar (lo que el almacén no cubre en el periodo; incluye lo que falta en el almacén): {foods}").format(foods=", ".join(
            f"{b.name} {float(b.grams) / 1000:.1f} kg" for b in buy[:12]))
                     + (" " + _("y {n} más").format(n=len(buy) - 12) if len(buy) > 12 else "") + ".")
    used = [lt for lt in result.lots if lt.used_grams > 0]
    if used:
        lines.append(_("Del almacén (primero lo que vence antes): {lots}.").format(lots=", ".join(
            _("{code} lote {lot} {kg} kg").format(code=lt.food_code, lot=lt.lot, kg=f"{float(lt.used_grams) / 1000:.1f}")
            for lt in used)))
    for vid, base, pct in result.adjusted:
        lines.append(_("Porciones ajustadas: «{name}» ({id}) es {base} al {pct} %; se guardó como preparación "
                       "propia del comité (su hoja de dosificación ya la usa).").format(
            name=result.names.get(vid, vid), id=vid, base=base, pct=pct))
    if args.out is not None:
        lines.append(_("Guardado en {path}: cárguelo con «qaliwarma menu import {path}».").format(path=args.out))
    lines.append(_("Calculado en {seconds} s.").format(seconds=f"{result.seconds:.2f}"))
    emit(args, doc, "\n".join(lines))
    return 0 if result.ok else 1


def _run_picks(args, emit, db, info) -> int:
    """`menu pick`, `menu undo`, `menu history`: picks journaled with who made them (services.planning)."""
    import getpass

    from .io.tabular import parse_date
    from .services import planning
    from .services.menu_views import recipe_names

    user = getattr(args, "user", None) or getpass.getuser()
    if args.action == "pick":
        day = parse_date(args.day)
        if day is None:
            raise InvalidInput(_("Fecha «{text}» mal escrita: use dd/mm/aaaa.").format(text=args.day))
        picked = planning.pick(db, info, args.plan, day, args.meal, args.level, None if args.clear else args.recipe,
                               user=user)
        emit(args, {"seq": picked.seq, "plan": args.plan},
             _("Elección registrada (asiento n.º {seq}).").format(seq=picked.seq) if picked.seq is not None
             else _("Ese día, comida y nivel ya tenía esa preparación: no cambió nada."))
        return 0
    if args.action == "undo":
        if not args.reason.strip():  # the window's default reason names the window: never the command line's
            raise InvalidInput(_("menu undo, opción --reason: escriba el motivo para deshacer la elección n.º {seq} "
                                 "(queda en el diario); no se deshizo nada.").format(seq=args.seq))
        planning.undo_pick(db, info, args.seq, user=user, reason=args.reason.strip())
        print(_("Elección n.º {seq} deshecha: el día volvió a lo que tenía antes.").format(seq=args.seq))
        return 0
    lines = planning.pick_history(db, info.id, args.plan)
    names = recipe_names(db, info)
    emit(args, [line.as_json() for line in lines],
         "\n".join(planning.pick_text(line, names) for line in lines) or _("Todavía no hay elecciones registradas."))
    return 0
