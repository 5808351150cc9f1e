"""The committee (CAE) and its school: the registration form and its validation, field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..i18n import _
from .identifiers import check_codigo_modular, check_dni, check_ubigeo
from .levels import LEVELS, REGIONS

MODALITIES = {
    "productos": "Productos (el CAE recibe, almacena, cocina y sirve)",
    "raciones": "Raciones (el CAE recibe raciones listas y las sirve)",
    "compras_locales": "Subvención: compras locales (el CAE recibe dinero y compra)",
}
# The programme's name by period (DOMAIN.md §1): the committee chooses the one for its printouts.
PROGRAMME_NAMES = {
    "Programa de Alimentación Escolar": "desde 2026 (PAE)",
    "Wasi Mikuna": "diciembre de 2024 a abril de 2025",
    "Qali Warma": "2012 a 2024",
}
DEFAULT_PROGRAMME_NAME = "Programa de Alimentación Escolar"
# Who may hold each role (DOMAIN.md §3: the director presides; a teacher — or administrative staff, a
# parent or a community worker — is secretary; parents are vocales; the treasurer is a member the
# assembly elects where money is handled).
ROLE_STAKEHOLDERS = {
    "presidente": ("director",),
    "secretario": ("docente", "administrativo", "padre_madre", "comunidad"),
    "vocal": ("padre_madre",),
    "tesorero": ("docente", "administrativo", "padre_madre", "comunidad"),
}
MONEY_MODALITIES = ("compras_locales",)
ROLES = {
    "presidente": "Presidente(a)",
    "secretario": "Secretario(a)",
    "vocal": "Vocal",
    "tesorero": "Tesorero(a)",
    "almacenero": "Almacenero(a)",
}
STAKEHOLDERS = {
    "director": "Director(a) de la institución educativa",
    "docente": "Docente",
    "administrativo": "Personal administrativo",
    "padre_madre": "Madre o padre de familia",
    "comunidad": "Agente de la comunidad",
}
SINGLE_ROLES = ("presidente", "secretario", "tesorero")


@dataclass
class LevelForm:
    level: str
    enrolment: int
    codigo_modular: str = ""


@dataclass
class MemberForm:
    name: str
    dni: str
    role: str
    stakeholder: str
    start_date: date
    end_date: date | None = None


@dataclass
class CommitteeForm:
    school_name: str
    codigo_modular: str
    ugel: str
    region: str
    department: str
    province: str
    district: str
    ubigeo: str
    quintile: int
    modality: str
    levels: list[LevelForm] = field(default_factory=list)
    members: list[MemberForm] = field(default_factory=list)
    programme_name: str = DEFAULT_PROGRAMME_NAME
    logo_path: str | None = None
    amazonian_indigenous: bool = False  # escuela de comunidad nativa amazónica: almuerzo en todo quintil


FIELD_LABELS = {
    "school_name": "Nombre de la institución educativa",
    "codigo_modular": "Código modular",
    "ugel": "UGEL",
    "region": "Región natural",
    "department": "Departamento",
    "province": "Provincia",
    "district": "Distrito",
    "ubigeo": "Ubigeo",
    "quintile": "Quintil de pobreza",
    "modality": "Modalidad",
    "levels": "Niveles",
    "members": "Integrantes",
    "programme_name": "Nombre del programa",
}


def validate_member(member: MemberForm) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(member.name.strip()) < 3:
        errors["name"] = _("Escriba nombres y apellidos.")
    problem = check_dni(member.dni)
    if problem:
        errors["dni"] = problem
    if member.role not in ROLES:
        errors["role"] = _("Elija el cargo: presidente(a), secretario(a), vocal, tesorero(a) o almacenero(a).")
    if member.stakeholder not in STAKEHOLDERS:
        errors["stakeholder"] = _("Elija si es director(a), docente, madre o padre de familia, etc.")
    if member.end_date is not None and member.end_date < member.start_date:
        errors["end_date"] = _("La fecha de fin es anterior a la de inicio.")
    return errors


def validate_committee(form: CommitteeForm, places: dict[str, tuple[str, str, str]] | None = None) -> dict[str, str]:
    """Field key → Spanish message, for every field that is wrong. Empty when the form is valid.

    Member problems are keyed ``members.N.field`` (N from 1). ``places`` maps ubigeo → (department,
    province, district) to check the location is consistent.
    """
    errors: dict[str, str] = {}
    if len(form.school_name.strip()) < 3:
        errors["school_name"] = _("Escriba el nombre de la institución educativa.")
    problem = check_codigo_modular(form.codigo_modular)
    if problem:
        errors["codigo_modular"] = problem
    if not form.ugel.strip():
        errors["ugel"] = _("Escriba la UGEL (por ejemplo «UGEL Huancavelica»).")
    if form.region not in REGIONS:
        errors["region"] = _("Elija costa, sierra o selva.")
    problem = check_ubigeo(form.ubigeo)
    if problem:
        errors["ubigeo"] = problem
    elif places is not None:
        place = places.get(form.ubigeo)
        if place is None:
            errors["ubigeo"] = _("El ubigeo {ubigeo} no está en la lista del INEI.").format(ubigeo=form.ubigeo)
        elif (form.department, form.province, form.district) != place:
            errors["district"] = (
                _("El ubigeo {ubigeo} corresponde a {value} ({value2}, {value3}), no a {district} ({province}, {department}).").format(ubigeo=form.ubigeo, value=place[2], value2=place[1], value3=place[0], district=form.district, province=form.province, department=form.department)
            )
    for key, choose in (("department", _("Elija el departamento.")), ("province", _("Elija la provincia.")),
                        ("district", _("Elija el distrito."))):
        if not getattr(form, key).strip() and key not in errors:
            errors[key] = choose
    if not isinstance(form.quintile, int) or not 1 <= form.quintile <= 5:
        errors["quintile"] = _("El quintil de pobreza del distrito va de 1 (más pobre) a 5.")
    if form.modality not in MODALITIES:
        errors["modality"] = _("Elija la modalidad: productos, raciones o compras locales.")
    if not form.programme_name.strip():
        errors["programme_name"] = _("Escriba el nombre del programa que saldrá en los impresos.")
    if not form.levels:
        errors["levels"] = _("Marque al menos un nivel (inicial, primaria o secundaria) con sus matriculados.")
    seen_levels: set[str] = set()
    for lv in form.levels:
        if lv.level not in LEVELS or lv.level in seen_levels:
            errors["levels"] = _("Nivel «{level}» desconocido o repetido.").format(level=lv.level)
        seen_levels.add(lv.level)
        if not isinstance(lv.enrolment, int) or lv.enrolment <= 0:
            errors[f"levels.{lv.level}"] = _("Escriba cuántos niños están matriculados en {level} (más de 0).").format(level=lv.level)
        elif lv.enrolment > 5000:
            errors[f"levels.{lv.level}"] = _("{enrolment} matriculados en {level} parece un error (máximo 5000).").format(enrolment=lv.enrolment, level=lv.level)
        if lv.codigo_modular:
            problem = check_codigo_modular(lv.codigo_modular)
            if problem:
                errors[f"levels.{lv.level}"] = _("Código modular de {level}: {problem}").format(level=lv.level, problem=problem)
    dnis: dict[str, int] = {}
    for n, member in enumerate(form.members, start=1):
        for key, message in validate_member(member).items():
            errors[f"members.{n}.{key}"] = message
        if member.dni in dnis:
            errors[f"members.{n}.dni"] = _("El DNI {dni} ya está en el integrante {value}.").format(dni=member.dni, value=dnis[member.dni])
        dnis.setdefault(member.dni, n)
    active = [m for m in form.members if m.end_date is None]
    for role in SINGLE_ROLES:
        if sum(1 for m in active if m.role == role) > 1:
            errors["members"] = _("Hay más de un(a) {lower} en funciones.").format(lower=ROLES[role].lower())
    for n, member in enumerate(form.members, start=1):
        allowed = ROLE_STAKEHOLDERS.get(member.role)
        if member.end_date is None and allowed and member.stakeholder in STAKEHOLDERS \
                and member.stakeholder not in allowed and f"members.{n}.stakeholder" not in errors:
            errors[f"members.{n}.stakeholder"] = (
                _("{value}: debe ser ").format(value=ROLES[member.role]) + " o ".join(STAKEHOLDERS[s].lower() for s in allowed)
                + _(", no {lower} (composición del CAE).").format(lower=STAKEHOLDERS[member.stakeholder].lower()))
    if form.modality in MONEY_MODALITIES and form.members and not any(m.role == "tesorero" for m in active):
        errors.setdefault("members", _("La modalidad de subvención maneja dinero: el comité necesita un(a) "
                                     "tesorero(a) en funciones."))
    return errors


def composition_gaps(form: CommitteeForm) -> list[str]:
    """What the committee still lacks to be complete as the programme defines it (not an error:
    a committee may register first and add its members later)."""
    active = [m for m in form.members if m.end_date is None]
    gaps = []
    if not any(m.role == "presidente" for m in active):
        gaps.append(_("falta el(la) presidente(a): el(la) director(a)"))
    if not any(m.role == "secretario" for m in active):
        gaps.append(_("falta el(la) secretario(a): un(a) docente"))
    vocales = sum(1 for m in active if m.role == "vocal")
    if vocales < 3:
        gaps.append(_("hay {vocales} vocal(es): el comité tiene tres madres o padres de familia como vocales").format(vocales=vocales))
    if form.modality in MONEY_MODALITIES and not any(m.role == "tesorero" for m in active):
        gaps.append(_("falta el(la) tesorero(a): la subvención maneja dinero"))
    return gaps


def serves_lunch(quintile: int, amazonian_indigenous: bool = False) -> bool:
    """Breakfast for every pupil; districts in quintiles 1–2 and the schools of Amazonian indigenous
    communities, whatever their quintile, also get lunch (DOMAIN.md §1)."""
    return quintile <= 2 or amazonian_indigenous


# --- The código modular as data (issue 14) ---------------------------------------------------------
# The chain's identity is the code the committee registered with (``committees.chain_id``), hashed in
# every journal entry; the código modular itself is corrected by journal entries of this kind, each
# with its reason. Both sides (the committee's ``verify`` and the supervisor reading a bundle) read
# the identity and the corrections from the entries themselves with the two functions below.
CODE_CORRECTION_KIND = "comite.codigo"


@dataclass(frozen=True)
class CodeCorrection:
    seq: int
    day: str  # ISO date of the entry
    old: str
    new: str
    reason: str
    user: str

    def as_json(self) -> dict:
        return {"seq": self.seq, "date": self.day, "from": self.old, "to": self.new, "reason": self.reason,
                "user": self.user}


def registered_code(rows) -> str | None:
    """The código modular the registration entry (the chain's first, «comite.registro») states: the
    chain's identity. ``rows``: journal entries as mappings (kind, payload as JSON text, …), in order."""
    import json

    for row in rows:
        if row["kind"] != "comite.registro":
            return None
        try:
            code = json.loads(row["payload"]).get("codigo_modular")
        except (ValueError, AttributeError, TypeError):
            return None
        return code.strip() if isinstance(code, str) else None
    return None


def code_history(rows) -> list[CodeCorrection]:
    """Every correction of the código modular in ``rows`` (journal entries as mappings), in order."""
    import json

    out = []
    for row in rows:
        if row["kind"] != CODE_CORRECTION_KIND:
            continue
        try:
            p = json.loads(row["payload"])
            out.append(CodeCorrection(int(row["seq"]), str(row["entry_date"])[:10], str(p["from"]), str(p["to"]),
                                      str(row["reason"]), str(row["user"])))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # an unreadable entry: verify names it
    return out


@dataclass(frozen=True)
class CommitteeInfo:
    """A registered committee: its id in the database and its form (services.committee reads it)."""

    id: int
    form: CommitteeForm

    @property
    def name(self) -> str:
        return self.form.school_name

    @property
    def levels(self) -> list[str]:
        return [lv.level for lv in self.form.levels]

    def enrolment(self, level: str) -> int:
        return next((lv.enrolment for lv in self.form.levels if lv.level == level), 0)
