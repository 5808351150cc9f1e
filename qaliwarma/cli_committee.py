"""`qaliwarma committee`: the committee's data, its journaled history, and the correction of its
código modular (issue 14).

    qaliwarma committee show [--json]                          the school's data, código modular and chain
    qaliwarma committee history [--json]                       registration, changes and code corrections
    qaliwarma committee code --new CÓDIGO --reason MOTIVO      correct the código modular (journaled)
"""

from __future__ import annotations

import getpass
from datetime import date

from .i18n import _


def add_parsers(sub, parser_class) -> None:
    com = sub.add_parser("committee", help=_("datos del comité, su historial y la corrección del código modular")
                         ).add_subparsers(dest="action", required=True, parser_class=parser_class)
    s = com.add_parser("show", help=_("datos del comité: institución, código modular (y con qué código se registró)"))
    s.add_argument("--json", action="store_true")
    s = com.add_parser("history", help=_("registro, cambios de datos y correcciones del código modular, con quién "
                                         "y por qué"))
    s.add_argument("--json", action="store_true")
    s = com.add_parser("code", help=_("corregir el código modular: queda en el diario con el motivo y quién lo "
                                      "corrigió (el presidente)"))
    s.add_argument("--new", required=True, metavar=_("CÓDIGO"), help=_("el código modular correcto (7 números)"))
    s.add_argument("--reason", required=True, help=_("por qué se corrige (queda en el diario)"))
    s.add_argument("--user")
    s.add_argument("--json", action="store_true")


def run(args, emit, open_db) -> int:
    from .services import committee

    db = open_db(args)
    info = committee.require(db, args.committee)
    if args.action == "code":
        user = getattr(args, "user", None) or getpass.getuser()
        old = info.form.codigo_modular
        new = committee.correct_code(db, info.id, args.new, reason=args.reason, user=user)
        emit(args, {"committee": new.form.codigo_modular, "previous": old, "chain_id": committee.chain_id(db, info.id),
                    "reason": args.reason.strip(), "user": str(user)},
             _("Código modular corregido: {old} → {new}. Motivo: {reason}. La corrección queda en el diario; "
               "la cadena del diario sigue siendo la misma (se registró con {chain}).").format(
                 old=old, new=new.form.codigo_modular, reason=args.reason.strip(),
                 chain=committee.chain_id(db, info.id)))
        return 0
    if args.action == "history":
        lines = committee.history(db, info.id)
        emit(args, [line.as_json() for line in lines],
             "\n".join([_("Historial del comité {code} ({school}):").format(code=info.form.codigo_modular,
                                                                        school=info.form.school_name)]
                       + [f"  {line.day:%d/%m/%Y}  n.º {line.seq:<4} {line.what} — {line.user}"
                          + (_(" — motivo: {reason}").format(reason=line.reason) if line.reason else "")
                          for line in lines]))
        return 0
    chain = committee.chain_id(db, info.id)
    corrections = committee.code_corrections(db, info.id)
    f = info.form
    doc = {"codigo_modular": f.codigo_modular, "chain_id": chain, "school_name": f.school_name, "ugel": f.ugel,
           "region": f.region, "district": f.district, "ubigeo": f.ubigeo, "quintile": f.quintile,
           "modality": f.modality, "levels": [{"level": lv.level, "enrolment": lv.enrolment} for lv in f.levels],
           "code_history": [c.as_json() for c in corrections]}
    lines = [f"{f.school_name}", _("Código modular: {code}").format(code=f.codigo_modular),
             f"UGEL: {f.ugel}", _("Distrito: {district} ({ubigeo}), quintil {q}").format(
                 district=f.district, ubigeo=f.ubigeo, q=f.quintile)]
    if corrections:
        lines.append(_("Se registró con el código {chain} (la cadena del diario lleva ese código); correcciones:")
                     .format(chain=chain))
        lines += [_("  {day}  {old} → {new} — {user} — motivo: {reason}").format(
            day=f"{date.fromisoformat(c.day):%d/%m/%Y}", old=c.old, new=c.new, user=c.user, reason=c.reason) for c in corrections]
    emit(args, doc, "\n".join(lines))
    return 0
