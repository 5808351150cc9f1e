"""Incidents: product in bad condition, children ill, missing or late delivery. Journaled."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from ..domain.stock import INCIDENT_TYPES
from ..errors import InvalidInput, Problem
from ..persistence.engine import Database
from ..persistence.journal import Journal, lock_committee


@dataclass(frozen=True)
class Incident:
    day: date
    kind: str
    description: str
    food_code: str = ""
    lot: str = ""
    children_affected: int = 0
    referred_to_health_post: bool = False
    reported_to_programme: bool = False
    programme_reference: str = ""
    notes: str = ""


@dataclass(frozen=True)
class IncidentRecord:
    seq: int
    incident: Incident
    user: str


def _check(incident: Incident) -> None:
    problems = []
    if incident.kind not in INCIDENT_TYPES:
        problems.append(Problem("Tipo", f"use uno de: {', '.join(INCIDENT_TYPES.values())}"))
    if len(incident.description.strip()) < 5:
        problems.append(Problem("Descripción", "cuente qué pasó"))
    if incident.children_affected < 0:
        problems.append(Problem("Niños afectados", "no puede ser negativo"))
    if incident.kind == "ninos_enfermos" and incident.children_affected == 0:
        problems.append(Problem("Niños afectados", "indique cuántos niños se enfermaron"))
    if incident.reported_to_programme and not incident.programme_reference.strip():
        problems.append(Problem("Reporte al programa", "anote el número o referencia del reporte"))
    if problems:
        raise InvalidInput("La incidencia tiene datos por corregir; no se registró.", problems)


def record(db: Database, committee_id: int, incident: Incident, *, user: str) -> int:
    _check(incident)
    with db.session() as s:
        return Journal(s, committee_id).append("incidencia", incident.day, asdict(incident), user=user).seq


def mark_reported(db: Database, committee_id: int, seq: int, reference: str, *, user: str, today: date) -> int:
    """Note that incident ``seq`` was reported to the programme, with the reference it was given. The
    journal is never edited: in one unit of work the entry is reversed and the corrected incident
    appended (both or neither). Returns the new entry's number."""
    from dataclasses import replace

    from ..errors import NotFound
    from ..i18n import _
    from ..persistence.journal import REVERSAL

    with db.session() as s:
        lock_committee(s, committee_id)  # before the checks that read existing rows
        journal = Journal(s, committee_id)
        entries = journal.entries("incidencia")
        original = next((e for e in entries if e.seq == seq and e.correction_type is None), None)
        if original is None or any(e.correction_type == REVERSAL and e.corrects_seq == seq for e in entries):
            raise NotFound(_("La incidencia n.º {seq} no existe o ya fue anulada.").format(seq=seq))
        payload = dict(original.payload)
        payload["day"] = date.fromisoformat(payload["day"])
        updated = replace(Incident(**payload), reported_to_programme=True, programme_reference=reference.strip())
        _check(updated)
        journal.reverse(seq, user=user, reason=_("Se reportó al programa: {ref}").format(ref=reference.strip()),
                        entry_date=today)
        return journal.append("incidencia", updated.day, asdict(updated), user=user).seq


def list_incidents(db: Database, committee_id: int, start: date | None = None, end: date | None = None) -> list[IncidentRecord]:
    with db.session() as s:
        entries = Journal(s, committee_id).entries("incidencia", start=start, end=end)
    reversed_ = {e.corrects_seq for e in entries if e.correction_type == "reversal"}
    out = []
    for e in entries:
        if e.correction_type is None and e.seq not in reversed_:
            p = dict(e.payload)
            p["day"] = date.fromisoformat(p["day"])
            out.append(IncidentRecord(e.seq, Incident(**p), e.user))
    return out
