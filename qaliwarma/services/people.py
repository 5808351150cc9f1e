"""Members sign in with a PIN; roles' permissions as data; membership history; the yearly handover.

PINs are stored as Argon2 hashes (argon2-cffi) in ``member_credentials``; five wrong tries in a row
lock that member for ``LOCK_MINUTES``. Signing in gives a ``domain.people.Signature``: the front end
passes it as ``user`` to every service, and the journal records the member's name and DNI and refuses
what the member's role may not record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select

from ..domain.committee import ROLES, MemberForm
from ..domain.people import (
    ACTIONS,
    DEFAULT_PERMISSIONS,
    LOCK_MINUTES,
    MAX_TRIES,
    MemberInfo,
    Signature,
    check_pin,
    role_label,
)
from ..errors import InvalidInput, NotAllowed, NotFound, SignInError
from ..i18n import _
from ..persistence.engine import Database
from ..persistence.models import Committee, CommitteeMember, MemberCredential, RolePermission


def _hasher():
    """Argon2id with OWASP's recommended minimum (Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1).
    argon2-cffi's default (RFC 9106's low-memory profile, 64 MiB, t = 3, p = 4) made each sign-in take
    64 MB more at its peak and 0.2 s on the start-up's critical path of an old laptop; a 4–6 digit PIN is
    guarded by the five-tries lock, not by the hash's cost. Hashes made with the old profile still verify
    and are rewritten with this one at the member's next sign-in (``sign_in``)."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def _today() -> date:
    return date.today()


def members(db: Database, committee_id: int) -> list[MemberInfo]:
    """Every member ever recorded (those who left have an end date), in order of registration."""
    with db.session() as s:
        creds = {c.dni: c for c in s.scalars(select(MemberCredential).where(
            MemberCredential.committee_id == committee_id))}
        rows = s.scalars(select(CommitteeMember).where(CommitteeMember.committee_id == committee_id)
                         .order_by(CommitteeMember.id)).all()
        return [MemberInfo(m.name, m.dni, m.role, m.stakeholder, m.start_date, m.end_date, m.dni in creds,
                           creds[m.dni].locked_until if m.dni in creds else None) for m in rows]


def active_members(db: Database, committee_id: int, on: date | None = None) -> list[MemberInfo]:
    day = on or _today()
    return [m for m in members(db, committee_id) if m.end_date is None or m.end_date >= day]


def history(db: Database, committee_id: int) -> list[MemberInfo]:
    """Who was a member when: every member with the dates they served, earliest first."""
    return sorted(members(db, committee_id), key=lambda m: (m.start_date, m.end_date or date.max, m.name))


# ---------------------------------------------------------------------------------- permissions
def permissions(db: Database, committee_id: int) -> dict[str, tuple[str, ...]]:
    """Action → roles that may do it (the committee's table; the defaults until it has one)."""
    with db.session() as s:
        rows = s.execute(select(RolePermission.action, RolePermission.role).where(
            RolePermission.committee_id == committee_id)).all()
        if not rows:
            _seed(s, committee_id)
            return dict(DEFAULT_PERMISSIONS)
    out: dict[str, list[str]] = {}
    for action, role in rows:
        out.setdefault(action, []).append(role)
    order = list(ROLES)
    return {a: tuple(sorted(r, key=lambda x: order.index(x) if x in order else 99)) for a, r in out.items()}


def _seed(s, committee_id: int) -> None:
    for action, roles in DEFAULT_PERMISSIONS.items():
        for role in roles:
            s.add(RolePermission(committee_id=committee_id, action=action, role=role))
    s.flush()


def set_permission(db: Database, committee_id: int, action: str, roles: list[str], *, user: str) -> None:
    """Change which roles may do ``action`` (the president's decision)."""
    _require(user, "comite")
    if action not in ACTIONS:
        raise InvalidInput(_("Acción «{action}» desconocida: use una de {join}.").format(action=action, join=', '.join(ACTIONS)))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise InvalidInput(f"Cargo desconocido: {', '.join(unknown)}.")
    if action == "comite" and not roles:
        raise InvalidInput(_("Alguien debe poder administrar el comité."))
    permissions(db, committee_id)  # seeds the defaults first
    with db.session() as s:
        s.execute(delete(RolePermission).where(RolePermission.committee_id == committee_id,
                                               RolePermission.action == action))
        for role in dict.fromkeys(roles):
            s.add(RolePermission(committee_id=committee_id, action=action, role=role))


def _require(user: str, action: str) -> None:
    if isinstance(user, Signature) and not user.may(action):
        raise NotAllowed(user.refusal(action))


# ---------------------------------------------------------------------------------- PINs and sign-in
def _member_row(s, committee_id: int, dni: str) -> CommitteeMember | None:
    return s.scalars(select(CommitteeMember).where(CommitteeMember.committee_id == committee_id,
                                                   CommitteeMember.dni == dni)
                     .order_by(CommitteeMember.id.desc())).first()


def has_pins(db: Database, committee_id: int) -> bool:
    """Whether sign-in is in force: some member of the committee has a PIN."""
    with db.session() as s:
        return s.scalar(select(MemberCredential.dni).where(MemberCredential.committee_id == committee_id)
                        .limit(1)) is not None


def set_pin(db: Database, committee_id: int, dni: str, pin: str, *, user: str) -> None:
    """Give a member a PIN (4–6 digits). Allowed to the member themself, to whoever manages the
    committee (the president by default), and to anyone while no member has a PIN yet (first use)."""
    problem = check_pin(pin)
    if problem:
        raise InvalidInput(problem)
    with db.session() as s:
        row = _member_row(s, committee_id, dni)
        if row is None:
            raise NotFound(_("No hay un integrante con DNI {dni} en el comité.").format(dni=dni))
        if isinstance(user, Signature) and user.dni != dni and not user.may("comite"):
            raise NotAllowed(_("{name} solo puede cambiar su propio PIN. Puede asignar el PIN de otros: {who}.")
                             .format(name=user.name, who=user.who_may("comite")))
        if not isinstance(user, Signature) and has_pins_in(s, committee_id) and user != SETUP_USER:
            raise NotAllowed(_("Para asignar un PIN, firme primero como presidente(a) del comité."))
        cred = s.get(MemberCredential, (committee_id, dni))
        if cred is None:
            cred = MemberCredential(committee_id=committee_id, dni=dni)
            s.add(cred)
        cred.pin_hash = _hasher().hash(pin)
        cred.failed_tries, cred.locked_until = 0, None
        cred.set_at, cred.set_by = datetime.now(), str(user)[:160]


SETUP_USER = "configuracion"  # the demo's and the installer's set-up, which give the first PINs


def has_pins_in(s, committee_id: int) -> bool:
    return s.scalar(select(MemberCredential.dni).where(MemberCredential.committee_id == committee_id)
                    .limit(1)) is not None


def signature(db: Database, committee_id: int, dni: str, *, supervisor_answer: bool = False) -> Signature:
    """The signature of member ``dni`` (no PIN asked: for a member already signed in)."""
    perms = permissions(db, committee_id)
    today = _today()
    everyone = members(db, committee_id)
    member = next((m for m in reversed(everyone) if m.dni == dni), None)
    if member is None:
        raise NotFound(_("No hay un integrante con DNI {dni} en el comité.").format(dni=dni))
    holders: dict[str, list[str]] = {}
    for m in everyone:
        if m.active(today):
            holders.setdefault(m.role, []).append(m.name)
    return Signature(member.name, member.dni, member.role, perms, holders, supervisor_answer=supervisor_answer)


def sign_in(db: Database, committee_id: int, dni: str, pin: str, *, now: datetime | None = None) -> Signature:
    """Check member ``dni``'s PIN. Refused (SignInError, Spanish message) when the member is not in
    the committee or no longer serves, has no PIN yet, is locked, or the PIN is wrong; five wrong
    tries in a row lock the member for LOCK_MINUTES."""
    from argon2.exceptions import InvalidHashError, VerificationError

    now = now or datetime.now()
    refusal = None
    with db.session() as s:
        row = _member_row(s, committee_id, dni)
        if row is None:
            raise SignInError(_("El DNI {dni} no es de un integrante del comité.").format(dni=dni))
        if row.end_date is not None and row.end_date < now.date():
            raise SignInError(_("{name} dejó el comité el {day}: ya no puede firmar.").format(
                name=row.name, day=f"{row.end_date:%d/%m/%Y}"))
        cred = s.get(MemberCredential, (committee_id, dni))
        if cred is None:
            raise SignInError(_("{name} todavía no tiene PIN. El presidente(a) se lo asigna en «Personas y copias».")
                              .format(name=row.name))
        if cred.locked_until is not None and cred.locked_until > now:
            minutes = max(1, int((cred.locked_until - now).total_seconds() // 60) + 1)
            raise SignInError(_("{name} está bloqueado(a) por {n} PIN equivocados seguidos. Espere {minutes} "
                                "minuto(s) y vuelva a intentar.").format(name=row.name, n=MAX_TRIES, minutes=minutes))
        hasher = _hasher()
        try:
            ok = hasher.verify(cred.pin_hash, pin)
        except (VerificationError, InvalidHashError):
            ok = False
        if ok:
            cred.failed_tries, cred.locked_until = 0, None
            if hasher.check_needs_rehash(cred.pin_hash):  # made with an earlier profile: same PIN, new hash
                cred.pin_hash = hasher.hash(pin)
        else:
            cred.failed_tries += 1
            if cred.failed_tries >= MAX_TRIES:
                cred.failed_tries, cred.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
                refusal = _("PIN equivocado. {name} queda bloqueado(a) {minutes} minutos por {n} intentos fallidos "
                            "seguidos.").format(name=row.name, minutes=LOCK_MINUTES, n=MAX_TRIES)
            else:
                left = MAX_TRIES - cred.failed_tries
                refusal = _("PIN equivocado. Le quedan {n} intento(s) antes de que se bloquee.").format(n=left)
    if refusal:
        raise SignInError(refusal)
    return signature(db, committee_id, dni)


def unlock(db: Database, committee_id: int, dni: str, *, user: str) -> None:
    _require(user, "comite")
    with db.session() as s:
        cred = s.get(MemberCredential, (committee_id, dni))
        if cred is not None:
            cred.failed_tries, cred.locked_until = 0, None


# ---------------------------------------------------------------------------------- handover
@dataclass(frozen=True)
class Handover:
    day: date
    outgoing: list[MemberInfo]
    incoming: list[MemberInfo]
    seq: int


def handover(db: Database, committee_id: int, day: date, outgoing: list[str], incoming: list[MemberForm], *,
             user: str, incoming_pins: dict[str, str] | None = None) -> Handover:
    """The committee changes: ``outgoing`` members (DNIs) serve until ``day``; ``incoming`` members
    start then. Recorded in the journal («comite.entrega»); the members who left stay in the history."""
    from ..persistence.journal import Journal
    from . import committee as committee_service

    _require(user, "entrega")
    info = committee_service.require_id(db, committee_id)
    form = info.form
    known = {m.dni for m in form.members if m.end_date is None}
    missing = [d for d in outgoing if d not in known]
    if missing:
        raise InvalidInput(_("No están en funciones en el comité: DNI {dnis}.").format(dnis=", ".join(missing)))
    if not outgoing and not incoming:
        raise InvalidInput(_("Indique quién sale del comité o quién entra."))
    pins = incoming_pins or {}
    for dni, pin in pins.items():
        problem = check_pin(pin)
        if problem:
            raise InvalidInput(_("PIN del integrante con DNI {dni}: {problem}").format(dni=dni, problem=problem))
    members_after = [replace(m, end_date=max(m.start_date, day - timedelta(days=1)))
                     if m.dni in outgoing and m.end_date is None else m for m in form.members]
    members_after += [replace(m, start_date=day) for m in incoming]
    new_form = replace(form, members=members_after)
    committee_service._check(new_form)
    with db.session() as s:
        row = s.get(Committee, committee_id)
        committee_service._apply(row, new_form)
        s.flush()
        payload = {"day": day, "outgoing": [{"name": m.name, "dni": m.dni, "role": m.role}
                                            for m in form.members if m.dni in outgoing],
                   "incoming": [{"name": m.name, "dni": m.dni, "role": m.role} for m in incoming]}
        seq = Journal(s, committee_id).append("comite.entrega", day, payload, user=user).seq
        for dni, pin in pins.items():
            cred = s.get(MemberCredential, (committee_id, dni)) or MemberCredential(committee_id=committee_id, dni=dni)
            cred.pin_hash, cred.failed_tries, cred.locked_until = _hasher().hash(pin), 0, None
            cred.set_at, cred.set_by = datetime.now(), str(user)[:160]
            s.add(cred)
    after = {m.dni: m for m in members(db, committee_id)}
    return Handover(day, [after[d] for d in outgoing if d in after],
                    [after[m.dni] for m in incoming if m.dni in after], seq)


def handovers(db: Database, committee_id: int) -> list[dict]:
    """The recorded changes of committee, oldest first (journal «comite.entrega»)."""
    from ..persistence.journal import Journal

    with db.session() as s:
        return [{"seq": e.seq, "day": e.entry_date, "user": e.user, **e.payload}
                for e in Journal(s, committee_id).entries("comite.entrega")]


def describe_role(role: str) -> str:
    return role_label(role)
