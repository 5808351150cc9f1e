"""Command line: members and sign-in, backups, the committee's handover (issue 13).

    qaliwarma --member DNI …          sign in (PIN from QALIWARMA_PIN, else asked)
    qaliwarma backup [--out DIR]      a self-verifying backup file
    qaliwarma restore FILE            verify a backup, then put it in place of the current data
    qaliwarma member list|history|roles|pin DNI|unlock DNI
    qaliwarma handover record …       record who leaves and who joins the committee
    qaliwarma handover acta --out F   the «Acta de entrega» PDF
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from .errors import InvalidInput, SignInError
from .i18n import _


def add_parsers(sub, parser_class) -> None:
    s = sub.add_parser("backup", help=_("copia de seguridad en un solo archivo que se verifica solo"))
    s.add_argument("--out", type=Path, help=_("carpeta donde guardarla (p. ej. una memoria USB); por defecto, "
                                              "la carpeta de copias junto a los datos"))
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("restore", help=_("restaurar una copia: se verifica y solo entonces reemplaza los datos"))
    s.add_argument("file", type=Path)
    s.add_argument("--check", action="store_true", help=_("solo mostrar y verificar la copia, sin restaurar"))
    s.add_argument("--json", action="store_true")

    mem = sub.add_parser("member", help=_("integrantes del comité: lista, historial, cargos, PIN")).add_subparsers(
        dest="action", required=True, parser_class=parser_class)
    s = mem.add_parser("list", help=_("integrantes en funciones y si tienen PIN"))
    s.add_argument("--json", action="store_true")
    s = mem.add_parser("history", help=_("quién fue integrante y cuándo"))
    s.add_argument("--json", action="store_true")
    s = mem.add_parser("roles", help=_("qué puede hacer cada cargo"))
    s.add_argument("--json", action="store_true")
    s = mem.add_parser("pin", help=_("asignar o cambiar el PIN de un integrante (nuevo PIN: QALIWARMA_NEW_PIN "
                                     "o se pregunta)"))
    s.add_argument("dni")
    s = mem.add_parser("unlock", help=_("desbloquear a un integrante bloqueado por PIN equivocados"))
    s.add_argument("dni")

    ho = sub.add_parser("handover", help=_("cambio de comité y acta de entrega")).add_subparsers(
        dest="action", required=True, parser_class=parser_class)
    s = ho.add_parser("record", help=_("registrar quién sale y quién entra al comité"))
    s.add_argument("--date", required=True, help=_("dd/mm/aaaa: el día del cambio"))
    s.add_argument("--leaves", action="append", default=[], metavar="DNI", help=_("DNI de quien sale (repetible)"))
    s.add_argument("--joins", action="append", default=[], metavar="NOMBRE;DNI;CARGO;TIPO[;PIN]",
                   help=_("quien entra, p. ej. «Ana Pari Quispe;47890123;tesorero;padre_madre;4821» (repetible; "
                          "sin PIN, se lo asigna después el presidente)"))
    s.add_argument("--json", action="store_true")
    s = ho.add_parser("acta", help=_("acta de entrega (PDF) con stock por lote, dinero, pendientes y firmas"))
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--date", help=_("dd/mm/aaaa (por defecto, hoy)"))

    ans = sub.add_parser("answer", help=_("respuesta del supervisor a una rendición (aprobada u observada)")).add_subparsers(
        dest="action", required=True, parser_class=parser_class)
    s = ans.add_parser("write", help=_("(supervisor) escribir la respuesta a un paquete importado"))
    s.add_argument("--bundle", required=True, help=_("código de verificación del paquete que se responde"))
    s.add_argument("state", choices=["aprobado", "observado"])
    s.add_argument("--observations", default="")
    s.add_argument("--supervisor", required=True, help=_("nombre del supervisor que responde"))
    s.add_argument("--out", type=Path, required=True)
    s = ans.add_parser("import", help=_("(comité) registrar la respuesta que envió el supervisor"))
    s.add_argument("file", type=Path)


def _date(text: str) -> date:
    from .io.tabular import parse_date

    day = parse_date(text)
    if day is None:
        raise InvalidInput(_("Fecha «{text}» mal escrita: use dd/mm/aaaa.").format(text=text))
    return day


def _pin(variable: str, prompt: str) -> str:
    pin = os.environ.get(variable)
    if pin is not None:
        return pin.strip()
    if not sys.stdin.isatty():
        raise SignInError(_("Falta el PIN: defina {variable} o escríbalo cuando se le pida (en una terminal).")
                          .format(variable=variable))
    import getpass

    return getpass.getpass(prompt).strip()


def member_dni(args) -> str | None:
    return getattr(args, "member", None) or os.environ.get("QALIWARMA_MEMBER") or None


def sign_in(args, db, info, *, required: bool = True):
    """The signed-in member (``Signature``) from ``--member``/QALIWARMA_MEMBER and the PIN; None when the
    committee has no PIN yet (sign-in not in force) or, if not ``required``, when no member was named."""
    from .services import people

    signed = getattr(args, "signature", None)
    if signed is not None:
        return signed
    dni = member_dni(args)
    if not people.has_pins(db, info.id):
        return None
    if dni is None:
        if not required:
            return None
        raise SignInError(_("Firme como integrante del comité con --member DNI "
                            "(o QALIWARMA_MEMBER) y su PIN (QALIWARMA_PIN, o se lo pide)."))
    signed = people.sign_in(db, info.id, dni, _pin("QALIWARMA_PIN", _("PIN: ")))
    args.signature = signed
    return signed


SELF_SIGNED = ("backup", "restore", "member", "handover", "answer")  # these commands sign in themselves


def enforce(args, db_factory) -> None:
    """Every command that records (those with ``--user``) is signed: once a committee's members have
    PINs, the member named by --member/QALIWARMA_MEMBER signs in with the PIN and their Signature
    replaces ``--user``, so the journal names them and refuses what their role may not do. Also the
    day's automatic backup, before the first record of the day."""
    if args.command in SELF_SIGNED or not hasattr(args, "user"):
        return
    from .errors import QaliwarmaError
    from .services import backup, committee, people

    db = db_factory(args)
    info = committee.current(db, args.committee)
    if info is None or not people.has_pins(db, info.id):
        return  # no committee yet, or nobody has a PIN yet: nothing to sign with
    given = args.user
    signed = sign_in(args, db, info)
    if given and given != signed:
        print(_("Aviso: --user ya no se usa; se registra a nombre de quien firmó: {name}.").format(name=signed),
              file=sys.stderr)
    args.user = signed
    try:
        backup.automatic(db, "diaria")
    except (QaliwarmaError, OSError) as error:
        print(_("Aviso: no se pudo hacer la copia de seguridad diaria: {error}").format(error=error), file=sys.stderr)


def _require(signed, action: str) -> None:
    from .errors import NotAllowed

    if signed is not None and not signed.may(action):
        raise NotAllowed(signed.refusal(action))


def run_backup(args, emit, ready_db) -> int:
    from .services import backup, committee

    db = ready_db(args)
    info = committee.current(db, args.committee)
    if info is not None:
        _require(sign_in(args, db, info, required=False), "copias")
    if args.out is not None and not args.out.is_dir():
        raise InvalidInput(_("No existe la carpeta {folder}: conecte la memoria USB o elija otra carpeta.").format(
            folder=args.out))
    made = backup.create(db, folder=args.out)
    db.dispose()
    emit(args, _backup_doc(made), _("Copia de seguridad guardada: {path}").format(path=made.path) + "\n" + made.describe())
    return 0


def _backup_doc(b) -> dict:
    return {"file": str(b.path), "created_at": b.created_at, "reason": b.reason, "size": b.size,
            "committees": [vars(c) for c in b.committees]}


def run_restore(args, emit, db_factory) -> int:
    from .paths import database_url
    from .persistence.engine import sqlite_file
    from .services import backup, committee

    url = database_url(args.db)
    target = sqlite_file(url)
    if target is None:
        raise InvalidInput(_("Restaurar una copia es para la base SQLite del comité; una base PostgreSQL se "
                             "restaura con las herramientas del servidor."))
    held = backup.verify(args.file)  # shows nothing and changes nothing unless the copy is sound
    if args.check:
        emit(args, {**_backup_doc(held), "ok": True}, _("Copia íntegra.") + "\n" + held.describe())
        return 0
    if target.exists():
        db = db_factory(args)
        try:
            info = committee.current(db, args.committee)
            if info is not None:
                _require(sign_in(args, db, info), "restaurar")
        finally:
            db.dispose()
    lost = backup.losses(target, held)  # an older copy: what the data had that it has not, said with the result
    done = backup.restore(args.file, target)
    doc = {**_backup_doc(done.backup), "ok": True, "database": str(done.database),
           "replaced": str(done.replaced) if done.replaced else None, "losses": lost}
    emit(args, doc, done.backup.describe() + "\n" + _("Copia verificada y restaurada en {path}.").format(path=done.database)
         + ("\n" + _("Los datos que había quedaron aparte en {path}.").format(path=done.replaced) if done.replaced else "")
         + ("\n" + _("La copia era más antigua que los datos que había:") + "\n" + "\n".join("  " + line for line in lost)
            if lost else ""))
    return 0


def run_member(args, emit, ready_db) -> int:
    from .domain.people import ACTIONS
    from .services import committee, people

    db = ready_db(args)
    info = committee.require(db, args.committee)
    if args.action in ("list", "history"):
        rows = people.active_members(db, info.id) if args.action == "list" else people.history(db, info.id)
        doc = [{"name": m.name, "dni": m.dni, "role": m.role, "start": m.start_date.isoformat(),
                "end": m.end_date.isoformat() if m.end_date else None, "has_pin": m.has_pin} for m in rows]
        serving = _("en funciones")  # outside the f-string: the catalogue's extractor does not look inside one
        lines = [f"{m.dni}  {m.name:<32} {m.role_label:<15} "
                 f"{m.start_date:%d/%m/%Y} – {m.end_date.strftime('%d/%m/%Y') if m.end_date else serving}"
                 + ("" if m.has_pin or args.action == "history" else "  " + _("(sin PIN)")) for m in rows]
        emit(args, doc, "\n".join(lines) or _("El comité no tiene integrantes registrados."))
        return 0
    if args.action == "roles":
        perms = people.permissions(db, info.id)
        doc = {a: list(perms.get(a, ())) for a in ACTIONS}
        from .domain.committee import ROLES

        nobody = _("Nadie")
        emit(args, doc, "\n".join(f"{_(ACTIONS[a])}: {', '.join(_(ROLES.get(r, r)) for r in perms.get(a, ())) or nobody}"
                                  for a in ACTIONS))
        return 0
    signed = sign_in(args, db, info, required=people.has_pins(db, info.id))
    if args.action == "unlock":
        people.unlock(db, info.id, args.dni, user=signed or people.SETUP_USER)
        print(_("Integrante con DNI {dni} desbloqueado.").format(dni=args.dni))
        return 0
    pin = _pin("QALIWARMA_NEW_PIN", _("Nuevo PIN para {dni}: ").format(dni=args.dni))
    if "QALIWARMA_NEW_PIN" not in os.environ and _pin("QALIWARMA_NEW_PIN", _("Repita el PIN: ")) != pin:
        raise InvalidInput(_("Los dos PIN escritos no coinciden; no se cambió nada."))
    people.set_pin(db, info.id, args.dni, pin, user=signed or people.SETUP_USER)
    print(_("PIN guardado para el integrante con DNI {dni}.").format(dni=args.dni))
    return 0


def _joining(text: str):
    from .domain.committee import MemberForm

    parts = [p.strip() for p in text.split(";")]
    if len(parts) not in (4, 5):
        raise InvalidInput(_("«{text}»: escriba NOMBRE;DNI;CARGO;TIPO[;PIN], p. ej. «Ana Pari Quispe;47890123;"
                             "tesorero;padre_madre;4821».").format(text=text))
    return MemberForm(parts[0], parts[1], parts[2], parts[3], date.today()), (parts[4] if len(parts) == 5 else None)


def run_handover(args, emit, ready_db) -> int:
    from .services import committee, people

    db = ready_db(args)
    info = committee.require(db, args.committee)
    if args.action == "acta":
        from .reports.handover import build_handover_acta

        if args.out.suffix.lower() != ".pdf":
            raise InvalidInput(_("El archivo de salida «{path}» debe terminar en .pdf.").format(path=args.out))
        if not args.out.parent.exists():
            raise InvalidInput(_("No existe la carpeta {folder}.").format(folder=args.out.parent))
        build_handover_acta(db, info, args.out, day=_date(args.date) if args.date else None)
        print(_("Acta de entrega guardada en {path}").format(path=args.out))
        return 0
    signed = sign_in(args, db, info)
    day = _date(args.date)
    joining = [_joining(j) for j in args.joins]
    done = people.handover(db, info.id, day, list(args.leaves), [m for m, _pin in joining],
                           user=signed or people.SETUP_USER,
                           incoming_pins={m.dni: pin for m, pin in joining if pin})
    doc = {"entry": done.seq, "date": day.isoformat(),
           "outgoing": [{"name": m.name, "dni": m.dni, "role": m.role} for m in done.outgoing],
           "incoming": [{"name": m.name, "dni": m.dni, "role": m.role} for m in done.incoming]}
    emit(args, doc, _("Cambio de comité registrado (asiento n.º {seq}): salen {out}; entran {inc}.").format(
        seq=done.seq, out=", ".join(m.name for m in done.outgoing) or _("nadie"),
        inc=", ".join(m.name for m in done.incoming) or _("nadie"))
         + "\n" + _("Los integrantes nuevos reciben su PIN del presidente(a): «qaliwarma member pin DNI»."))
    return 0


def run_answer(args, emit, ready_db) -> int:
    """The supervisor's answer: written in supervisor mode, imported (never typed) by the committee."""
    from .services import answers, committee

    db = ready_db(args)
    if args.action == "write":
        doc = answers.write_answer(db, args.bundle, args.state, args.supervisor, args.out,
                                   observations=args.observations)
        emit(args, doc, _("Respuesta guardada en {path}: {school} {month}, {state}. Envíela al comité.").format(
            path=args.out, school=doc["codigo_modular"], month=doc["month"], state=doc["state"]))
        return 0
    info = committee.require(db, args.committee)
    signed = sign_in(args, db, info)
    doc = answers.import_answer(db, info.id, args.file, user=signed or answers.IMPORTED_BY_SETUP)
    emit(args, doc, _("Respuesta del supervisor {name} registrada: rendición de {month} {state}.").format(
        name=doc["supervisor"], month=doc["month"], state=doc["state"])
         + (("\n" + _("Observaciones: {text}").format(text=doc["observations"])) if doc.get("observations") else ""))
    return 0
