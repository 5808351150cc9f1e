"""People: who may do what (roles as data), PIN rules, and the signature a signed-in member carries.

A member signs in with a PIN; the front end then passes a :class:`Signature` as the ``user`` of every
service call. The journal refuses an entry whose kind the signature's role may not record, naming who
may (``Journal.append``), so the rule holds for the desktop and the command line alike, whatever
service writes the entry. Plain strings (the demo's set-up, scripts, tests) are not members and are
not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..i18n import _
from .committee import ROLES

PIN_MIN, PIN_MAX = 4, 6
MAX_TRIES = 5  # wrong PINs in a row before the member is locked
LOCK_MINUTES = 15

# What a member may do: action → description (Spanish, as the refusal says it).
ACTIONS = {
    "dinero": "registrar dinero (transferencias, retiros, gastos) y presentar la rendición",
    "almacen": "registrar recepciones, salidas del almacén, raciones y ajustes",
    "cierre": "cerrar el mes",
    "comite": "cambiar los datos del comité, sus integrantes y sus PIN",
    "incidencias": "registrar incidencias",
    "copias": "hacer copias de seguridad",
    "restaurar": "restaurar una copia de seguridad",
    "entrega": "registrar el cambio de comité (acta de entrega)",
    "lectura": "ver e imprimir",
}
ALL_ROLES = tuple(ROLES)
DEFAULT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "dinero": ("tesorero",),
    "almacen": ("almacenero", "secretario"),
    "cierre": ("presidente",),
    "comite": ("presidente",),
    "incidencias": ALL_ROLES,
    "copias": ALL_ROLES,
    "restaurar": ("presidente",),
    "entrega": ("presidente",),
    "lectura": ALL_ROLES,
}
# Journal kinds → the action that records them (longest prefix wins). Kinds not listed are ordinary
# records any member may make (an incident, a new kind of record added later).
KIND_ACTIONS = {
    "tesoreria.": "dinero",
    "recepcion": "almacen",
    "servicio": "almacen",
    "stock.": "almacen",
    "raciones.": "almacen",
    "periodo.": "cierre",
    "comite.": "comite",
    "comite.entrega": "entrega",
    "incidencia": "incidencias",
}
# Only the supervisor answers a rendición: these states come from an imported answer, never typed.
SUPERVISOR_STATES = ("aprobado", "observado")


def action_of_kind(kind: str) -> str:
    best = ""
    for prefix in KIND_ACTIONS:
        if kind.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return KIND_ACTIONS[best] if best else "incidencias"


def check_pin(pin: str) -> str | None:
    """None when the PIN is acceptable, else what is wrong (Spanish)."""
    if not pin.isdigit() or not PIN_MIN <= len(pin) <= PIN_MAX:
        return _("El PIN debe tener de {low} a {high} números (sin letras ni espacios).").format(low=PIN_MIN, high=PIN_MAX)
    return None


def role_label(role: str) -> str:
    return _(ROLES.get(role, role)).lower()


def signature_text(name: str, dni: str) -> str:
    """How a member is named in the journal and on printouts: «Yolanda Curi Ramos (DNI 45678901)»."""
    return f"{name.strip()[:100]} (DNI {dni})"


class Signature(str):
    """The ``user`` of a signed-in member: reads as «Nombre (DNI n.º)», knows the member's role and
    what that role may do (``allowed``: action → roles that may, with the members holding them)."""

    dni: str
    name: str
    role: str
    permissions: dict[str, tuple[str, ...]]
    holders: dict[str, list[str]]  # role → names of the active members with that role
    supervisor_answer: bool

    def __new__(cls, name: str, dni: str, role: str, permissions: dict[str, tuple[str, ...]],
                holders: dict[str, list[str]] | None = None, *, supervisor_answer: bool = False) -> Signature:
        self = super().__new__(cls, signature_text(name, dni))
        self.name, self.dni, self.role = name, dni, role
        self.permissions = permissions
        self.holders = holders or {}
        self.supervisor_answer = supervisor_answer
        return self

    def __reduce__(self):
        """Pickled whole (name, DNI, role, what each role may do): the first page's data is read by a second
        process at start (ui.startup) and handed to the window with the member it signed in."""
        return (_signature, (self.name, self.dni, self.role, self.permissions, self.holders, self.supervisor_answer))

    def may(self, action: str) -> bool:
        return self.role in self.permissions.get(action, ())

    def who_may(self, action: str) -> str:
        """«el/la tesorero(a) (Yolanda Curi Ramos)»: the roles allowed, with who holds them now."""
        parts = []
        for role in self.permissions.get(action, ()):
            names = self.holders.get(role, [])
            parts.append(role_label(role) + (f" ({', '.join(names)})" if names else ""))
        return _(" o ").join(parts) if parts else _("nadie del comité")

    def refusal(self, action: str) -> str:
        return _("{name}, {role}, no puede {action}. Puede hacerlo: {who}.").format(
            name=self.name, role=role_label(self.role), action=_(ACTIONS.get(action, action)), who=self.who_may(action))


def _signature(name, dni, role, permissions, holders, supervisor_answer) -> Signature:
    return Signature(name, dni, role, permissions, holders, supervisor_answer=supervisor_answer)


@dataclass(frozen=True)
class MemberInfo:
    """A member of the committee as the sign-in list and «Personas y copias» show them (services.people)."""

    name: str
    dni: str
    role: str
    stakeholder: str
    start_date: date
    end_date: date | None
    has_pin: bool
    locked_until: datetime | None

    @property
    def role_label(self) -> str:
        return _(ROLES[self.role]) if self.role in ROLES else self.role

    def active(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)
