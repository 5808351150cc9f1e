"""Command line: printed documents (``qaliwarma report …``)."""

from __future__ import annotations

from pathlib import Path

from .domain.levels import LEVELS
from .errors import InvalidInput
from .i18n import _


def add_parsers(sub, parser_class) -> None:
    rep = sub.add_parser("report", help=_("documentos para imprimir (PDF)")).add_subparsers(
        dest="action", required=True, parser_class=parser_class)
    s = rep.add_parser("menu-poster", help=_("menú para publicar en la puerta de la escuela"))
    s.add_argument("plan", help=_("número del plan o archivo de plan"))
    s.add_argument("--out", type=Path, required=True)
    s = rep.add_parser("dosing", help=_("ficha de dosificación de una preparación"))
    s.add_argument("recipe")
    s.add_argument("--level", choices=LEVELS, required=True)
    s.add_argument("--children", type=int, required=True)
    s.add_argument("--out", type=Path, required=True)
    s = rep.add_parser("reception", help=_("acta de recepción para firmar"))
    s.add_argument("acta")
    s.add_argument("--out", type=Path, required=True)
    s = rep.add_parser("kardex", help=_("kárdex de un producto"))
    s.add_argument("product", help=_("código (A3) o nombre del producto"))
    s.add_argument("--out", type=Path, required=True)
    s = rep.add_parser("rations", help=_("registro mensual de raciones"))
    s.add_argument("--month", required=True, help=_("AAAA-MM"))
    s.add_argument("--out", type=Path, required=True)
    s = rep.add_parser("expiry", help=_("lotes vencidos o por vencer"))
    s.add_argument("--days", type=int, default=30)
    s.add_argument("--out", type=Path, required=True)
    s = rep.add_parser("incidents", help=_("informe de incidencias"))
    s.add_argument("--month", help=_("AAAA-MM (por defecto, todas)"))
    s.add_argument("--out", type=Path, required=True)
    s = rep.add_parser("balance", help=_("balance de gastos del mes"))
    s.add_argument("--month", required=True)
    s.add_argument("--out", type=Path, required=True)
    s = rep.add_parser("acta-rendicion", help=_("acta de asamblea de rendición de cuentas"))
    s.add_argument("--month", required=True)
    s.add_argument("--place", default="")
    s.add_argument("--out", type=Path, required=True)
    s = rep.add_parser("cash-book", help=_("libro caja del mes"))
    s.add_argument("--month", required=True)
    s.add_argument("--out", type=Path, required=True)
    s = rep.add_parser("monthly", help=_("informe mensual de rendición (imprime su código de verificación)"))
    s.add_argument("--month", required=True)
    s.add_argument("--out", type=Path, required=True)
    s = rep.add_parser("compliance", help=_("informe de cumplimiento nutricional de un plan"))
    s.add_argument("plan")
    s.add_argument("--standard")
    s.add_argument("--out", type=Path, required=True)


def _out(path: Path) -> Path:
    from .printing import pdf_path

    return pdf_path(path)


def run(args, emit, ready_db) -> int:
    from .services import committee

    db = ready_db(args)
    info = committee.require(db, args.committee)
    out = _out(args.out)
    if args.action in STOCK_REPORTS:
        STOCK_REPORTS[args.action](args, db, info, out)
    elif args.action == "dosing":
        from . import printing

        printing.dosing_sheet(db, info, args.recipe, args.level, out, children=args.children)
    else:
        from . import printing
        from .cli_menu import resolve_plan

        plan = resolve_plan(args, db, info)
        if args.action == "menu-poster":
            printing.menu_poster(db, info, plan, out)
        else:
            printing.compliance_report(db, info, plan, out, standard_id=args.standard)
    print(_("Documento guardado: {path}").format(path=out))
    return 0


def _reception(args, db, info, out) -> None:
    from .reports.reception import build_reception_record

    build_reception_record(db, info, args.acta, out)


def _kardex(args, db, info, out) -> None:
    from .reports.kardex import build_kardex
    from .services.products import ProductResolver

    code = ProductResolver(db).code(args.product)
    if code is None:
        raise InvalidInput(_("«{text}» no es un código ni un producto conocido.").format(text=args.product))
    build_kardex(db, info, code, out)


def _rations(args, db, info, out) -> None:
    from .reports.rations import build_rations_register
    from .services.periods import month_bounds

    start, _unused = month_bounds(args.month)
    build_rations_register(db, info, start.year, start.month, out)


def _expiry(args, db, info, out) -> None:
    from datetime import date

    from .reports.expiry import build_expiry_report

    build_expiry_report(db, info, date.today(), out, days=args.days)


def _incidents(args, db, info, out) -> None:
    from .reports.expiry import build_incident_report
    from .services.periods import month_bounds

    start, end = month_bounds(args.month) if args.month else (None, None)
    build_incident_report(db, info, out, start=start, end=end)


def _balance(args, db, info, out) -> None:
    from .reports.treasury import build_balance

    build_balance(db, info, args.month, out)


def _acta(args, db, info, out) -> None:
    from .reports.treasury import build_acta_rendicion

    build_acta_rendicion(db, info, args.month, out, place=args.place)


def _cash_book(args, db, info, out) -> None:
    from .reports.treasury import build_cash_book

    build_cash_book(db, info, args.month, out)


def _monthly(args, db, info, out) -> None:
    from .clock import today
    from .printing import monthly_report

    code = monthly_report(db, info, args.month, out, today=today())
    print(_("Código de verificación: {code}").format(code=code))


STOCK_REPORTS = {"balance": _balance, "acta-rendicion": _acta, "cash-book": _cash_book, "monthly": _monthly,
                 "reception": _reception, "kardex": _kardex, "rations": _rations, "expiry": _expiry,
                 "incidents": _incidents}
