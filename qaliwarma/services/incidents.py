"""Incidents: product in bad condition, children ill, missing or late delivery. Journaled."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from ..domain.stock import INCIDENT_TYPES
from ..errors import InvalidInput, Problem
from ..persistence.engine import Database
from ..persistence.journal import Journal


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


def record(db: Database, committee_id: int, incident: Incident, *, user: str) -> int:
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
    with db.session() as s:
        return Journal(s, committee_id).append("incidencia", incident.day, asdict(incident), user=user).seq


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
