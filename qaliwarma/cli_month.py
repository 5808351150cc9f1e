"""Command line: month end and supervision (CLI.md "Month end and supervision")."""

from __future__ import annotations

import getpass
from pathlib import Path

from .errors import InvalidInput
from .i18n import _


def add_parsers(sub, parser_class) -> None:
    per = sub.add_parser("period", help=_("cierre de mes")).add_subparsers(dest="action", required=True,
                                                                        parser_class=parser_class)
    s = per.add_parser("close", help=_("cerrar un mes: sus registros quedan congelados"))
    s.add_argument("month", help=_("AAAA-MM"))
    s.add_argument("--user")
    s.add_argument("--early", action="store_true",
                   help=_("cerrar antes del último día de clases del mes (pide --reason)"))
    s.add_argument("--reason", default="", help=_("por qué se cierra antes (con --early)"))
    s = per.add_parser("summary", help=_("calificación y alertas del mes: la primera página del informe mensual"))
    s.add_argument("--month", required=True, help=_("AAAA-MM"))
    s.add_argument("--json", action="store_true")
    s = per.add_parser("list", help=_("meses cerrados"))
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("export", help=_("exportar el mes como un paquete para el supervisor"))
    s.add_argument("--month", required=True)
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--json", action="store_true")

    sup = sub.add_parser("supervise", help=_("modo supervisor")).add_subparsers(dest="action", required=True,
                                                                             parser_class=parser_class)
    s = sup.add_parser("import", help=_("cargar paquetes mensuales de los comités (cada uno verificado)"))
    s.add_argument("bundles", nargs="+", type=Path)
    s.add_argument("--json", action="store_true")
    s = sup.add_parser("summary", help=_("resumen por escuela y mes, con alertas"))
    s.add_argument("--month")
    s.add_argument("--ugel")
    s.add_argument("--flagged", action="store_true", help=_("solo escuelas con alertas"))
    s.add_argument("--xlsx", type=Path, help=_("guardar el resumen en una hoja de cálculo"))
    s.add_argument("--json", action="store_true")


def run_period(args, emit, ready_db) -> int:
    from .services import committee, periods

    db = ready_db(args)
    info = committee.require(db, args.committee)
    if args.action == "list":
        months = periods.closed_months(db, info.id)
        emit(args, months, "\n".join(months) or _("Ningún mes cerrado."))
        return 0
    if args.action == "summary":
        return _period_summary(args, emit, db, info)
    from .clock import today

    seq = periods.close(db, info.id, args.month, user=args.user or getpass.getuser(), today=today(),
                        early=args.early, reason=args.reason)
    print(_("Mes {month} cerrado (asiento n.º {seq}). Sus registros ya no se pueden cambiar; las correcciones van "
            "en un mes abierto.").format(month=args.month, seq=seq))
    return 0


def _period_summary(args, emit, db, info) -> int:
    from .clock import today
    from .domain.flags import RATING_LABELS, SECTION_LABELS, flag_kind, word
    from .services import month_review
    from .services.catalog import food_names

    result = month_review.review(db, info, args.month, today=today())
    names = food_names(db)
    lines = [_("Mes {month}: ").format(month=args.month) + (_("completo") if result.complete else _("INCOMPLETO"))]
    for name, section in result.sections.items():
        lines.append(f"  {_(SECTION_LABELS.get(name, name)):<18} {_(RATING_LABELS[section.rating])}")
    if result.flags:
        lines.append(_("Lo que no cuadra:"))
        lines += [f"  ⚠ {flag_kind(f.code).title}: {word(f, names, limit=10)}" for f in result.flags]
    else:
        lines.append(_("Lo que no cuadra: nada."))
    emit(args, result.as_json(names), "\n".join(lines))
    return 0 if result.all_good else 1


def run_export(args, emit, ready_db) -> int:
    from .services import committee, export

    if args.out.suffix.lower() != ".zip":
        raise InvalidInput(_("El archivo «{path}» debe terminar en .zip.").format(path=args.out))
    db = ready_db(args)
    info = committee.require(db, args.committee)
    manifest = export.export_month_file(db, info, args.month, args.out)
    code = export.verification_code(manifest["bundle_code"])
    emit(args, {"file": str(args.out), "bundle_code": manifest["bundle_code"], "verification_code": code,
                "closed": manifest["closed"], "counts": manifest["counts"]},
         _("Paquete guardado: {path}").format(path=args.out) + "\n" + _("Código de verificación: {code}").format(code=code)
         + ("" if manifest["closed"] else "\n" + _("Aviso: el mes no está cerrado; ciérrelo antes de enviarlo.")))
    return 0


def run_verify_bundle(args, emit) -> int:
    from .io.bundle import BundleRefused, read_bundle
    from .services.export import verification_code

    try:
        bundle = read_bundle(args.bundle)
    except BundleRefused as exc:
        emit(args, {"ok": False, "problem": exc.message}, _("NO VÁLIDO: {problem}").format(problem=exc.message))
        return 1
    man = bundle.manifest
    if getattr(args, "code", None):
        from .services.integrity import normalise_code

        if not man["bundle_code"].startswith(normalise_code(args.code)):
            problem = _("el código impreso {printed} no es el de este paquete ({actual}): no es el mes que se "
                        "firmó, o fue rehecho.").format(printed=args.code.strip(),
                                                       actual=verification_code(man["bundle_code"]))
            emit(args, {"ok": False, "problem": problem}, _("NO VÁLIDO: {problem}").format(problem=problem))
            return 1
    emit(args, {"ok": True, "committee": man["committee"]["codigo_modular"], "month": man["month"],
                "entries": bundle.chain.entries, "bundle_code": man["bundle_code"]},
         _("Paquete íntegro: {school} ({code}), {month}; {n} asientos verificados. Código de verificación: "
           "{verification}").format(school=man["committee"]["school_name"], code=man["committee"]["codigo_modular"],
                                    month=man["month"], n=bundle.chain.entries,
                                    verification=verification_code(man["bundle_code"])))
    return 0


def run_supervise(args, emit, db_factory) -> int:
    from .domain.flags import word
    from .services import supervision

    db = db_factory(args)
    if args.action == "import":
        results = supervision.import_bundles(db, args.bundles)
        doc = [vars(r) for r in results]
        labels = {"importado": _("importado"), "sin_cambios": _("sin cambios"), "reemplazado": _("REEMPLAZADO"),
                  "restablecido": _("restablecido"), "rechazado": _("RECHAZADO")}
        emit(args, doc, "\n".join(f"{Path(r.path).name}: {labels[r.status]} — {r.message}" for r in results))
        return 1 if any(r.status == "rechazado" for r in results) else 0
    rows = supervision.summary(db, month=args.month, ugel=args.ugel, flagged_only=args.flagged)
    if args.xlsx:
        supervision.export_summary_xlsx(rows, args.xlsx)
    doc = [{"codigo_modular": r.codigo_modular, "school": r.school_name, "ugel": r.ugel, "month": r.month,
            "enrolment": r.enrolment, "school_days": r.school_days, "days_with_service": r.days_with_service,
            "rations": r.rations, "rations_vs_enrolment": r.rations_vs_enrolment,
            "compliance_rate": r.compliance_rate, "lots_near_expiry": r.lots_near_expiry, "incidents": r.incidents,
            "treasury_balance": str(r.treasury_balance), "closed": r.closed, "missing_months": list(r.missing_months),
            "flags": [{"kind": f.code, "label": supervision.flag_label(f.code), "detail": word(f),
                       "code": f.code, "severity": f.severity, "facts": f.facts, "text": word(f)} for f in r.flags]}
           for r in rows]
    lines = []
    names: dict[str, str] = {}
    if any(r.flags for r in rows):  # products by name, as the report and the desktop write them
        from .services.catalog import food_names

        try:
            names = food_names(db)
        except Exception:  # noqa: BLE001 - a supervisor database without the food table: codes only
            names = {}
    for r in rows:
        ratio = "—" if r.rations_vs_enrolment is None else f"{r.rations_vs_enrolment:.0%}"
        comp = "—" if r.compliance_rate is None else f"{r.compliance_rate:.0%}"
        lines.append(f"{r.codigo_modular} {r.school_name:<34} {r.month}  " + _(
            "raciones/matrícula {ratio}  cumplimiento {compliance}  alertas {n}").format(
            ratio=f"{ratio:>5}", compliance=f"{comp:>5}", n=len(r.flags)))
        lines += [f"    ⚠ {supervision.flag_label(f.code)}: {word(f, names, limit=6)}" for f in r.flags]
    if args.xlsx:
        lines.append(_("Resumen guardado en {path}").format(path=args.xlsx))
    emit(args, doc, "\n".join(lines) or _("No hay paquetes importados."))
    return 0
