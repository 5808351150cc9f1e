"""Nutrition standard sets: the shipped ones (resources/standards) and committees' edited copies."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from ..domain.recipes import slugify
from ..domain.standards import StandardSet, StandardSummary
from ..errors import InvalidInput, NotFound
from ..i18n import _
from ..io.standard_files import parse_standard, read_standard_file, to_json
from ..paths import resources_dir
from ..persistence.engine import Database
from ..persistence.models import StandardSetRow

DEFAULT_STANDARD = "qw-2014"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def sync_shipped(db: Database) -> int:
    """Load resources/standards/*.toml; running it twice changes nothing. Returns how many changed."""
    files = sorted((resources_dir() / "standards").glob("*.toml"))
    sets = [read_standard_file(p) for p in files]
    changed = 0
    with db.session() as s:
        for standard in sets:
            content = to_json(standard)
            row = s.get(StandardSetRow, standard.id)
            if row is not None and row.committee_id is not None:
                raise InvalidInput(_("El id «{id}» del estándar ya lo usa una copia de un comité.").format(id=standard.id))
            if row is None:
                row = StandardSetRow(id=standard.id, committee_id=None)
                s.add(row)
            elif row.content_sha256 == _sha(content):
                continue
            row.name, row.source, row.based_on = standard.name, standard.source, None
            row.content, row.content_sha256, row.updated_at = content, _sha(content), datetime.now()
            changed += 1
    return changed


def _from_row(row: StandardSetRow) -> StandardSet:
    standard = parse_standard(json.loads(row.content), row.id)
    return replace(standard, committee_own=row.committee_id is not None, based_on=row.based_on)


def list_standards(db: Database, committee_id: int | None = None) -> list[StandardSummary]:
    with db.session() as s:
        query = select(StandardSetRow).where(
            StandardSetRow.committee_id.is_(None) | (StandardSetRow.committee_id == committee_id)
        )
        rows = s.scalars(query.order_by(StandardSetRow.committee_id.is_not(None), StandardSetRow.id)).all()
        out = []
        for row in rows:
            doc = json.loads(row.content)
            out.append(StandardSummary(row.id, row.name, row.source, row.committee_id is not None,
                                       len(doc.get("targets", [])), len(doc.get("rules", []))))
        return out


def get_standard(db: Database, standard_id: str | None = None) -> StandardSet:
    sid = standard_id or DEFAULT_STANDARD
    with db.session() as s:
        row = s.get(StandardSetRow, sid)
        if row is None:
            known = ", ".join(s.scalars(select(StandardSetRow.id)))
            raise NotFound(_("No existe el estándar «{sid}». Estándares disponibles: {value}.").format(sid=sid, value=known or 'ninguno'))
        return _from_row(row)


def copy_standard(db: Database, committee_id: int, standard_id: str, name: str) -> StandardSet:
    """A committee's editable copy of a standard set."""
    original = get_standard(db, standard_id)
    if not name.strip():
        raise InvalidInput(_("Escriba un nombre para la copia del estándar."))
    base = f"comite-{slugify(name)}"
    with db.session() as s:
        new_id, n = base, 2
        while s.get(StandardSetRow, new_id) is not None:
            new_id, n = f"{base}-{n}", n + 1
    copy = replace(original, id=new_id, name=name.strip(), committee_own=True, based_on=original.id)
    return save_standard(db, committee_id, copy)


def _refuse_if_it_judged_a_closed_month(s, committee_id: int, row: StandardSetRow) -> None:
    """A change to a standard (targets, rules, even its name) that judges a plan with preparations in a closed month
    would change that month's report and verification code (raising an energy minimum, or renaming it, changed
    November's code after closing)."""
    from .planning import planned_in_closed_months

    judged = planned_in_closed_months(s, committee_id, standard_id=row.id)
    if judged:
        month, name = judged[0]
        raise InvalidInput(_("El estándar «{standard}» juzga el plan «{plan}», que tiene preparaciones de {month}, ya "
                             "cerrado: ya no se cambia (ni sus metas ni su nombre: el informe de ese mes los lleva). "
                             "Cópielo con otro nombre y úselo en los planes de los meses que vienen.").format(standard=row.name, plan=name, month=month))


def save_standard(db: Database, committee_id: int, standard: StandardSet) -> StandardSet:
    """Save a committee's standard (validated whole; nothing saved when anything is wrong)."""
    from ..io.standard_files import to_document

    checked = parse_standard(to_document(standard), standard.id)  # validates every target and rule
    content = to_json(checked)
    with db.session() as s:
        row = s.get(StandardSetRow, standard.id)
        if row is not None and row.committee_id != committee_id:
            raise InvalidInput(_("«{id}» es un estándar del programa: haga una copia para editarlo.").format(id=standard.id))
        if row is None:
            row = StandardSetRow(id=standard.id, committee_id=committee_id)
            s.add(row)
        elif row.content != content:
            _refuse_if_it_judged_a_closed_month(s, committee_id, row)
        row.name, row.source, row.based_on = checked.name, checked.source, standard.based_on
        row.content, row.content_sha256, row.updated_at = content, _sha(content), datetime.now()
    return replace(checked, committee_own=True, based_on=standard.based_on)
