"""The committee: first-run registration, its school's data and levels, its members.

Every change is also written to the journal (kind ``comite.*``), so that who changed the committee's
data, and when, is on record.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.committee import (
    CODE_CORRECTION_KIND,
    FIELD_LABELS,
    CodeCorrection,
    CommitteeForm,
    CommitteeInfo,
    LevelForm,
    MemberForm,
    code_history,
    validate_committee,
)
from ..domain.identifiers import check_codigo_modular
from ..domain.levels import LEVELS
from ..errors import InvalidInput, NotFound, Problem
from ..i18n import _
from ..paths import resources_dir
from ..persistence.engine import Database
from ..persistence.journal import ADJUSTMENT, Journal, _row_dict, lock_committee
from ..persistence.models import Committee, CommitteeLevel, CommitteeMember


@dataclass(frozen=True)
class Place:
    ubigeo: str
    department: str
    province: str
    district: str


@cache
def places() -> tuple[Place, ...]:
    """Peru's districts with their INEI ubigeo (resources/ubigeo)."""
    path = resources_dir() / "ubigeo" / "ubigeo_inei.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(Place(r["ubigeo"], r["departamento"], r["provincia"], r["distrito"]) for r in csv.DictReader(fh))


def place_index() -> dict[str, tuple[str, str, str]]:
    return {p.ubigeo: (p.department, p.province, p.district) for p in places()}


def _label(key: str) -> str:
    head, _unused, rest = key.partition(".")
    if head == "members" and rest:
        n, _unused, fld = rest.partition(".")
        names = {"name": "nombre", "dni": "DNI", "role": "cargo", "stakeholder": "tipo", "end_date": _("fecha de fin")}
        return f"Integrante {n}, {names.get(fld, fld)}"
    if head == "levels" and rest:
        return _("Nivel {rest}").format(rest=rest)
    return FIELD_LABELS.get(key, key)


def _check(form: CommitteeForm) -> None:
    errors = validate_committee(form, place_index())
    if errors:
        problems = [Problem(_label(k), v) for k, v in errors.items()]
        raise InvalidInput(_("Hay datos por corregir; no se guardó nada."), problems)


def _form_of(row: Committee) -> CommitteeForm:
    return CommitteeForm(
        school_name=row.school_name,
        codigo_modular=row.codigo_modular,
        ugel=row.ugel,
        region=row.region,
        department=row.department,
        province=row.province,
        district=row.district,
        ubigeo=row.ubigeo,
        quintile=row.quintile,
        modality=row.modality,
        levels=[LevelForm(lv.level, lv.enrolment, lv.codigo_modular or "") for lv in row.levels],
        members=[
            MemberForm(m.name, m.dni, m.role, m.stakeholder, m.start_date, m.end_date) for m in row.members
        ],
        programme_name=row.programme_name,
        logo_path=row.logo_path,
        amazonian_indigenous=bool(row.amazonian_indigenous),
    )


def _journal_payload(form: CommitteeForm) -> dict:
    return asdict(form)


RECORD_KINDS = ("comite.registro", "comite.cambio")
_RECORDED = ("school_name", "ugel", "region", "department", "province", "district", "ubigeo", "quintile",
             "modality", "programme_name", "logo_path", "amazonian_indigenous")


def for_month(db: Database, info: CommitteeInfo, month: str) -> CommitteeInfo:
    """The committee as a closed month's report and package see it: its data (school, levels and enrolment,
    quintile, members) as the last «comite.registro»/«comite.cambio» entry up to the month's closing recorded
    them; an open month sees the data of today. The código modular stays today's (its corrections are listed
    apart, code_history). Raising the enrolment in December changed November's code after it was closed: its
    «previsto» was recomputed with December's children."""
    import json

    from ..persistence.models import JournalEntry
    from .periods import month_bounds

    _start, end = month_bounds(month)
    with db.session() as s:
        closing = s.scalar(select(JournalEntry.seq).where(
            JournalEntry.committee_id == info.id, JournalEntry.kind == "periodo.cierre",
            JournalEntry.entry_date == end).order_by(JournalEntry.seq.desc()).limit(1))
        if closing is None:
            return info
        payload = s.scalar(select(JournalEntry.payload).where(
            JournalEntry.committee_id == info.id, JournalEntry.kind.in_(RECORD_KINDS), JournalEntry.seq < closing)
            .order_by(JournalEntry.seq.desc()).limit(1))
    if payload is None:
        return info
    return CommitteeInfo(info.id, form_as_recorded(info.form, json.loads(payload)))


def form_as_recorded(now: CommitteeForm, payload: dict) -> CommitteeForm:
    """``now`` with the data a committee entry's payload recorded (what it lacks, an older entry's, stays)."""
    from dataclasses import replace

    def day(text):
        return date.fromisoformat(text) if text else None

    # read back as the row was written (_apply: strings stripped, levels in LEVELS order), so that a committee
    # whose data did not change since the closing gets the very same form, and its closed months the same code
    order = {lv: i for i, lv in enumerate(LEVELS)}
    levels = sorted((LevelForm(lv["level"], int(lv["enrolment"]), (lv.get("codigo_modular") or "").strip())
                     for lv in payload.get("levels") or ()), key=lambda lv: order.get(lv.level, 99))
    members = [MemberForm(m["name"].strip(), m["dni"], m["role"], m["stakeholder"], day(m.get("start_date")),
                          day(m.get("end_date"))) for m in payload.get("members") or ()]
    recorded = {k: payload[k].strip() if isinstance(payload[k], str) else payload[k] for k in _RECORDED if k in payload}
    return replace(now, levels=levels or now.levels, members=members or now.members, **recorded)


def _apply(row: Committee, form: CommitteeForm) -> None:
    for key in ("school_name", "codigo_modular", "ugel", "region", "department", "province", "district",
                "ubigeo", "quintile", "modality", "programme_name", "logo_path", "amazonian_indigenous"):
        setattr(row, key, getattr(form, key).strip() if isinstance(getattr(form, key), str) else getattr(form, key))
    order = {lv: i for i, lv in enumerate(LEVELS)}
    row.levels = [
        CommitteeLevel(level=lv.level, position=order[lv.level], enrolment=lv.enrolment,
                       codigo_modular=lv.codigo_modular or None)
        for lv in sorted(form.levels, key=lambda x: order[x.level])
    ]
    row.members = [
        CommitteeMember(name=m.name.strip(), dni=m.dni, role=m.role, stakeholder=m.stakeholder,
                        start_date=m.start_date, end_date=m.end_date)
        for m in form.members
    ]


def current(db: Database, codigo_modular: str | None = None) -> CommitteeInfo | None:
    """The committee of this database (or the one with ``codigo_modular`` in a multi-school one)."""
    with db.session() as s:
        query = select(Committee).options(selectinload(Committee.levels), selectinload(Committee.members))
        if codigo_modular:
            query = query.where(Committee.codigo_modular == codigo_modular)
        row = s.scalars(query.order_by(Committee.id).limit(1)).first()
        return None if row is None else CommitteeInfo(row.id, _form_of(row))


def require(db: Database, codigo_modular: str | None = None) -> CommitteeInfo:
    info = current(db, codigo_modular)
    if info is None:
        if codigo_modular:
            with db.session() as s:
                ids = list(s.scalars(select(Committee.id).order_by(Committee.id)))
            for committee_id in ids:  # a code this committee had before a correction
                fix = next((c for c in reversed(code_corrections(db, committee_id)) if c.old == codigo_modular), None)
                if fix is not None:
                    raise NotFound(_("El código modular {old} se corrigió a {new} (asiento n.º {seq}): use {now}.")
                                   .format(old=codigo_modular, new=fix.new, seq=fix.seq,
                                           now=require_id(db, committee_id).form.codigo_modular))
            raise NotFound(_("No hay un comité con código modular {code} en esta base de datos.").format(
                code=codigo_modular))
        raise NotFound(_("Todavía no se ha registrado el comité. Regístrelo en «Comité» o con «qaliwarma init "
                         "--demo»."))
    return info


def require_id(db: Database, committee_id: int) -> CommitteeInfo:
    """The committee with row id ``committee_id``."""
    with db.session() as s:
        row = s.get(Committee, committee_id)
        if row is None:
            raise NotFound(_("No existe el comité n.º {committee_id}.").format(committee_id=committee_id))
        return CommitteeInfo(row.id, _form_of(row))


def register(db: Database, form: CommitteeForm, *, user: str, pins: dict[str, str] | None = None) -> CommitteeInfo:
    """First-run registration. Refused (nothing saved) when any field is wrong.

    ``pins`` (DNI → PIN) gives members their sign-in PIN in the same unit of work: every PIN is checked
    before anything is written, and the registration and the PINs are saved together or not at all.
    The president's PIN is set first (first use: no member has one yet); the president then gives the
    others theirs, so each credential says who set it."""
    _check(form)
    pins = {dni: pin for dni, pin in (pins or {}).items() if pin}
    if not pins:
        return _register(db, form, user=user)
    from ..domain.people import check_pin
    from . import people

    known = {m.dni: m for m in form.members}
    problems = []
    for dni, pin in pins.items():
        problem = check_pin(pin) if dni in known else _("no es de un integrante del comité.")
        if problem:
            problems.append(Problem(_("PIN del integrante con DNI {dni}").format(dni=dni), problem))
    if problems:
        raise InvalidInput(_("Hay PIN por corregir; no se guardó nada."), problems)
    president = next((m.dni for m in form.members if m.role == "presidente" and m.dni in pins), None)
    order = sorted(pins, key=lambda dni: dni != president)
    with db.atomic() as adb:
        info = _register(adb, form, user=user)
        setter = user
        for dni in order:
            people.set_pin(adb, info.id, dni, pins[dni], user=setter)
            if dni == president:
                setter = people.signature(adb, info.id, dni)
            elif setter == user:
                setter = people.SETUP_USER
    return info


def _register(db: Database, form: CommitteeForm, *, user: str) -> CommitteeInfo:
    with db.session() as s:
        if s.scalar(select(Committee.id).where(Committee.codigo_modular == form.codigo_modular)) is not None:
            raise InvalidInput(_("Ya está registrado un comité con el código modular {code}.").format(
                code=form.codigo_modular))
        row = Committee(created_at=datetime.now(), chain_id=form.codigo_modular.strip())
        _apply(row, form)
        s.add(row)
        s.flush()
        Journal(s, row.id).append("comite.registro", date.today(), _journal_payload(form), user=user)
        return CommitteeInfo(row.id, form)


def update(db: Database, committee_id: int, form: CommitteeForm, *, user: str) -> CommitteeInfo:
    """Change the committee's data (school, levels, members). The change is journaled."""
    _check(form)
    with db.session() as s:
        row = s.get(Committee, committee_id)
        if row is None:
            raise NotFound(_("No existe el comité n.º {committee_id}.").format(committee_id=committee_id))
        if form.codigo_modular != row.codigo_modular:
            raise InvalidInput(_(
                "El código modular no se cambia al guardar los datos: se corrige aparte, con el motivo, en "
                "«Corregir código modular» (o «qaliwarma committee code --new CÓDIGO --reason MOTIVO»), y la "
                "corrección queda en el diario. Si es otra institución, registre un comité nuevo."))
        before = _form_of(row)
        if before == form:
            return CommitteeInfo(committee_id, form)
        _apply(row, form)
        s.flush()
        Journal(s, row.id).append("comite.cambio", date.today(), _journal_payload(form), user=user)
        return CommitteeInfo(committee_id, form)


# --- Correcting the código modular (issue 14) --------------------------------------------------------
def correct_code(db: Database, committee_id: int, new_code: str, *, reason: str, user: str,
                 today: date | None = None) -> CommitteeInfo:
    """Correct the committee's código modular: a journal entry («comite.codigo», an adjustment of the
    registration, entry n.º 1) with the old and the new code, the reason and who corrected it, and the
    committee's row in the same unit of work. The chain's identity (``chain_id``) does not change, so
    every entry already hashed still verifies; ``verify`` checks the row against the entries.

    Refused, with nothing written, when the new code is not 7 digits, is the same as today's, belongs to
    another committee of this database, or the reason is empty; and (journal) when the signed-in member's
    role may not change the committee's data (the president, by default)."""
    from ..clock import today as clock_today

    new_code = (new_code or "").strip()
    problems = []
    problem = check_codigo_modular(new_code)
    if problem:
        problems.append(Problem(_("Código modular nuevo"), problem))
    if not (reason or "").strip():
        problems.append(Problem(_("Motivo"), _("escriba por qué se corrige el código (p. ej. «se registró con un "
                                                "dígito cambiado; el correcto figura en el padrón de MINEDU»).")))
    if problems:
        raise InvalidInput(_("No se corrigió el código modular."), problems)
    with db.session() as s:
        lock_committee(s, committee_id)
        row = s.get(Committee, committee_id)
        if row is None:
            raise NotFound(_("No existe el comité n.º {committee_id}.").format(committee_id=committee_id))
        old = row.codigo_modular
        if new_code == old:
            raise InvalidInput(_("El código modular ya es {code}: no hay nada que corregir.").format(code=old))
        other = s.scalar(select(Committee.school_name).where(Committee.codigo_modular == new_code,
                                                              Committee.id != committee_id))
        if other is not None:
            raise InvalidInput(_("El código modular {code} ya es de otro comité de esta base ({school}); no se "
                                 "corrigió nada.").format(code=new_code, school=other))
        journal = Journal(s, committee_id)
        journal.append(CODE_CORRECTION_KIND, today or clock_today(), {"from": old, "to": new_code},
                       user=user, corrects_seq=1, correction_type=ADJUSTMENT, reason=reason.strip())
        row.codigo_modular = new_code
        s.flush()
        return CommitteeInfo(row.id, _form_of(row))


def chain_id(db: Database, committee_id: int) -> str:
    """The chain's identity: the código modular the committee registered with (never changes)."""
    with db.session() as s:
        row = s.get(Committee, committee_id)
        if row is None:
            raise NotFound(_("No existe el comité n.º {committee_id}.").format(committee_id=committee_id))
        return row.chain_id


def code_corrections(db: Database, committee_id: int) -> list[CodeCorrection]:
    """Every correction of the código modular, oldest first (who, when, from, to and why)."""
    from ..persistence.models import JournalEntry

    with db.session() as s:
        rows = s.scalars(select(JournalEntry).where(JournalEntry.committee_id == committee_id,
                                                    JournalEntry.kind == CODE_CORRECTION_KIND)
                         .order_by(JournalEntry.seq)).all()
        return code_history(_row_dict(r) for r in rows)


@dataclass(frozen=True)
class HistoryLine:
    seq: int
    day: date
    recorded_at: str
    kind: str
    what: str
    user: str
    reason: str

    def as_json(self) -> dict:
        return {"seq": self.seq, "date": self.day.isoformat(), "recorded_at": self.recorded_at, "kind": self.kind,
                "what": self.what, "user": self.user, "reason": self.reason}


def history(db: Database, committee_id: int) -> list[HistoryLine]:
    """The committee's own journal: its registration, each change of its data and each correction of its
    código modular, with who recorded it and (for a correction) why. Oldest first."""
    from ..persistence.models import JournalEntry

    with db.session() as s:
        rows = s.scalars(select(JournalEntry).where(JournalEntry.committee_id == committee_id,
                                                    JournalEntry.kind.in_(("comite.registro", "comite.cambio",
                                                                           CODE_CORRECTION_KIND)))
                         .order_by(JournalEntry.seq)).all()
        lines = []
        for r in rows:
            if r.kind == CODE_CORRECTION_KIND:
                c = code_history([_row_dict(r)])
                what = (_("Código modular corregido: {old} → {new}").format(old=c[0].old, new=c[0].new) if c
                        else _("Código modular corregido"))
            elif r.kind == "comite.registro":
                what = _("Registro del comité")
            else:
                what = _("Cambio de los datos del comité")
            lines.append(HistoryLine(r.seq, r.entry_date, r.recorded_at, r.kind, what, r.user, r.reason))
        return lines
