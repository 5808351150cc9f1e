"""Command line: treasury (CLI.md "Treasury")."""

from __future__ import annotations

import getpass
from pathlib import Path

from .domain.treasury import CYCLE_STATES
from .errors import InvalidInput
from .i18n import _


def add_parsers(sub, parser_class) -> None:
    tr = sub.add_parser("treasury", help=_("tesorería del comité")).add_subparsers(
        dest="action", required=True, parser_class=parser_class)
    s = tr.add_parser("transfer", help=_("registrar una transferencia recibida"))
    s.add_argument("--date", required=True, help=_("dd/mm/aaaa"))
    s.add_argument("--amount", required=True, help=_("monto en soles, p. ej. 4500.00"))
    s.add_argument("--reference", default="")
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")
    s = tr.add_parser("import", help=_("registrar gastos desde una hoja CSV o XLSX"))
    s.add_argument("file", type=Path)
    s.add_argument("--dry-run", action="store_true", help=_("solo revisar, sin registrar"))
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")
    s = tr.add_parser("balance", help=_("balance del mes: transferido, gastado por rubro, caja, saldo"))
    s.add_argument("--month", required=True, help=_("AAAA-MM"))
    s.add_argument("--json", action="store_true")
    s = tr.add_parser("withdraw", help=_("registrar un retiro del banco a caja"))
    s.add_argument("--date", required=True)
    s.add_argument("--amount", required=True)
    s.add_argument("--user")
    s = tr.add_parser("reverse", help=_("anular una transferencia, un retiro o un gasto mal registrado (queda en el "
                                        "diario, con el motivo)"))
    s.add_argument("entry", type=_entry_number, help=_("número de asiento, el que se dijo al registrarlo"))
    s.add_argument("--reason", required=True, help=_("por qué se anula (queda en el diario)"))
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")
    s = tr.add_parser("state", help=_("presentar, aprobar u observar la rendición de un mes"))
    s.add_argument("--month", required=True)
    s.add_argument("state", choices=["presentado", "aprobado", "observado"])
    s.add_argument("--observations", default="")
    s.add_argument("--user")


def _entry_number(text: str) -> int:
    """A journal entry's number as typed: a whole number from 1 (an absurd one is named, never a traceback)."""
    import argparse

    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= 2**63 - 1:
        raise argparse.ArgumentTypeError(_("«{text}» no es un número de asiento (1, 2, 3…)").format(text=text))
    return number


def _user(args) -> str:
    return args.user or getpass.getuser()


def _date(text: str):
    from .io.tabular import parse_date

    day = parse_date(text)
    if day is None:
        raise InvalidInput(_("Fecha «{text}» mal escrita: use dd/mm/aaaa.").format(text=text))
    return day


def run(args, emit, ready_db) -> int:
    from .money import format_soles
    from .services import committee, treasury

    db = ready_db(args)
    info = committee.require(db, args.committee)
    if args.action == "reverse":
        from .clock import today
        from .services.corrections import MONEY_KINDS, reverse

        if not args.reason.strip():
            raise InvalidInput(_("Escriba el motivo (--reason): queda en el diario."))
        seq = reverse(db, info.id, args.entry, user=_user(args), reason=args.reason.strip(), today=today(),
                      only=MONEY_KINDS)
        emit(args, {"entry": seq, "reverses": args.entry},
             _("Asiento n.º {entry} anulado (asiento n.º {seq}, con el motivo).").format(entry=args.entry, seq=seq))
        return 0
    if args.action == "transfer":
        from .domain.treasury import Transfer
        from .numbers import APP_STYLE, POSITIVE_AMOUNT, read_number

        # read as every amount of a sheet is: «1,000.005» is refused (céntimos only), never rounded
        try:
            amount = read_number(args.amount.replace("S/.", "").replace("S/", ""), POSITIVE_AMOUNT, APP_STYLE)
        except InvalidInput as exc:
            raise InvalidInput(_("Transferencia, opción --amount: {why} No se registró nada.").format(why=exc.message)) from exc
        seq = treasury.record_transfer(db, info.id, Transfer(_date(args.date), amount, args.reference),
                                       user=_user(args))
        emit(args, {"entry": seq}, _("Transferencia registrada (asiento n.º {seq}).").format(seq=seq))
        return 0
    if args.action == "withdraw":
        from .numbers import APP_STYLE, POSITIVE_AMOUNT, read_number

        # read as every amount of a sheet is: «1,000.005» is refused (céntimos only), never rounded
        try:
            amount = read_number(args.amount.replace("S/.", "").replace("S/", ""), POSITIVE_AMOUNT, APP_STYLE)
        except InvalidInput as exc:
            raise InvalidInput(_("Retiro, opción --amount: {why} No se registró nada.").format(why=exc.message)) from exc
        seq = treasury.record_withdrawal(db, info.id, _date(args.date), amount, user=_user(args))
        print(_("Retiro registrado (asiento n.º {seq}).").format(seq=seq))
        return 0
    if args.action == "state":
        treasury.set_cycle_state(db, info.id, args.month, args.state, user=_user(args), observations=args.observations)
        print(_("Rendición de {month}: {state}.").format(
            month=args.month, state=_(CYCLE_STATES.get(args.state, args.state)).lower()))
        return 0
    if args.action == "import":
        result = treasury.import_expense_sheet(db, info.id, args.file, user=_user(args), dry_run=args.dry_run)
        expenses, total = result.expenses, result.total
        doc = {"expenses": len(expenses), "total": str(total), "dry_run": args.dry_run, "warnings": result.warnings,
               "heading_warnings": [{**n, "left": str(n["left"])} for n in result.heading_notes]}
        if len(expenses) == 1:
            text = (_("1 gasto revisado (no se registró nada): {total}.") if args.dry_run else
                    _("1 gasto registrado: {total}.")).format(total=format_soles(total))
        else:
            text = (_("{n} gastos revisados (no se registró nada): {total}.") if args.dry_run else
                    _("{n} gastos registrados: {total}.")).format(n=len(expenses), total=format_soles(total))
        emit(args, doc, text + "".join("\n" + _("Aviso: {warning}").format(warning=w) for w in result.warnings))
        return 0
    from .cli_stock import month_range

    month_range(args.month)
    b = treasury.balance(db, info.id, args.month)
    from .services import periods

    closed = b.month in periods.closed_months(db, info.id)
    from .services.integrity import check_money_since_closing

    # an amount edited with sqlite3 was printed as the month's, exit 0, no word; checked from the last closing,
    # as the balance is summed from it
    checked = check_money_since_closing(db, info.id, b.month)
    warnings = ([_("los registros del comité no coinciden con su diario (la primera diferencia: {first}): estas "
                   "cifras pueden estar alteradas; «qaliwarma verify» las muestra todas").format(
        first=checked.first_problem())] if not checked.ok else []) + list(b.warnings)
    state = (_("mes cerrado; rendición por presentar") if closed and b.state == "borrador"
             else _(CYCLE_STATES.get(b.state, b.state)).lower())
    doc = {"month": b.month, "state": b.state, "month_closed": closed, "transferred": str(b.transferred_in_month),
           "transferred_to_date": str(b.transferred_to_date), "spent": str(b.spent_in_month),
           "spent_to_date": str(b.spent_to_date), "bank": str(b.bank), "cash_on_hand": str(b.cash),
           "balance": str(b.balance),
           "headings": [{"code": h.code, "name": h.name, "allotted": str(h.allotted), "spent": str(h.spent),
                         "spent_in_month": str(h.spent_in_month), "balance": str(h.balance)} for h in b.headings],
           "warnings": warnings}
    lines = [_("Balance de {month} ({state})").format(month=b.month, state=state),
             "  " + _("Transferido en el mes: {transferred}; gastado: {spent}").format(
                 transferred=format_soles(b.transferred_in_month), spent=format_soles(b.spent_in_month)),
             "  " + _("Banco: {bank}; efectivo en caja: {cash}; saldo: {balance}").format(
                 bank=format_soles(b.bank), cash=format_soles(b.cash), balance=format_soles(b.balance))]
    lines += [f"  {h.name:<12} " + _("asignado {allotted} gastado {spent} saldo {balance}").format(
        allotted=f"{format_soles(h.allotted):>14}", spent=f"{format_soles(h.spent):>14}",
        balance=f"{format_soles(h.balance):>14}") for h in b.headings]
    lines += [_("Aviso: {warning}").format(warning=w) for w in warnings]
    emit(args, doc, "\n".join(lines))
    return 0
