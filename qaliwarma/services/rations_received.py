"""Raciones modality: ready-to-eat rations received each day and level, checked like any delivery
(accepted, partly accepted or rejected with the reason), and reconciled with the rations served and
left over. Each reception is a journal entry ("raciones.recepcion")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

from ..domain.rations import RationReception  # noqa: F401  (the record lives in the domain)
from ..domain.stock import CONFORMITY
from ..errors import InvalidInput, Problem
from ..i18n import _
from ..persistence.engine import Database
from ..persistence.journal import Journal, lock_committee
from .committee import CommitteeInfo

KIND = "raciones.recepcion"


def validate(committee: CommitteeInfo, items: list[RationReception], where: list[str] | None = None,
             already: set[tuple[date, str, str]] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    seen = set(already or ())
    for n, r in enumerate(items):
        place = where[n] if where else f"{r.day:%d/%m/%Y} {r.level}"
        if r.level not in committee.levels:
            problems.append(Problem(place, _("la escuela no tiene el nivel «{level}»").format(level=r.level)))
        if r.meal not in ("desayuno", "almuerzo"):
            problems.append(Problem(place, _("comida «{meal}»: use desayuno o almuerzo").format(meal=r.meal)))
        if (r.day, r.meal, r.level) in seen:
            problems.append(Problem(place, _("ya se registró la recepción de raciones de ese día, comida y nivel")))
        seen.add((r.day, r.meal, r.level))
        if not r.product.strip():
            problems.append(Problem(place, _("escriba qué raciones llegaron (p. ej. leche con pan)")))
        if r.received < 0 or r.accepted < 0:
            problems.append(Problem(place, _("las cantidades no pueden ser negativas")))
        if r.conformity not in CONFORMITY:
            problems.append(Problem(place, _("conformidad «{conformity}»: use conforme, parcial o rechazado").format(conformity=r.conformity)))
        elif r.conformity == "conforme" and r.accepted != r.received:
            problems.append(Problem(place, _("si es conforme, se aceptan todas las raciones recibidas")))
        elif r.conformity == "rechazado" and r.accepted != 0:
            problems.append(Problem(place, _("si se rechaza, no se acepta ninguna ración")))
        elif r.conformity == "parcial" and not 0 < r.accepted < r.received:
            problems.append(Problem(place, _("en una recepción parcial se acepta una parte de las raciones")))
        if r.conformity in ("parcial", "rechazado") and not r.observation.strip():
            problems.append(Problem(place, _("escriba por qué se rechazan raciones")))
        enrolled = committee.enrolment(r.level)
        if r.level in committee.levels and r.received > 2 * enrolled:
            problems.append(Problem(place, _("{received} raciones para {enrolled} matriculados parece un error").format(received=r.received, enrolled=enrolled)))
    return problems


def received(db: Database, committee_id: int, start: date | None = None, end: date | None = None
             ) -> list[tuple[int, RationReception]]:
    with db.session() as s:
        entries = Journal(s, committee_id).entries(KIND, start=start, end=end)
        everything = Journal(s, committee_id).entries(KIND)
    reversed_ = {e.corrects_seq for e in everything if e.correction_type == "reversal"}
    out = []
    for e in entries:
        if e.correction_type is None and e.seq not in reversed_:
            p = dict(e.payload)
            p["day"] = date.fromisoformat(p["day"])
            p.setdefault("meal", "desayuno")
            out.append((e.seq, RationReception(**p)))
    return out


def record(db: Database, committee: CommitteeInfo, items: list[RationReception], *, user: str,
           where: list[str] | None = None) -> list[int]:
    """Record receptions of ready rations, all or nothing."""
    already = {(r.day, r.meal, r.level) for _unused, r in received(db, committee.id)}
    problems = validate(committee, items, where, already)
    if problems:
        raise InvalidInput(_("La recepción de raciones tiene errores; no se registró nada."), problems)
    with db.session() as s:
        lock_committee(s, committee.id)  # before the checks that read existing rows
        journal = Journal(s, committee.id)
        return [journal.append(KIND, r.day, asdict(r), user=user).seq for r in sorted(items, key=lambda x: x.day)]


@dataclass(frozen=True)
class RationBalance:
    day: date
    level: str
    accepted: int
    served: int
    leftovers: int
    meal: str = "desayuno"

    @property
    def difference(self) -> int:
        """Rations accepted that were neither served nor recorded as left over (or the reverse)."""
        return self.accepted - self.served - self.leftovers


def reconcile(db: Database, committee: CommitteeInfo, start: date, end: date) -> list[RationBalance]:
    """Per day, meal and level: rations accepted vs served + left over (the raciones' yield check).
    In the raciones modality a service with nothing received shows too; for other modalities only
    the days that did receive ready rations are reconciled."""
    from .serving import services_in

    accepted: dict[tuple[date, str, str], int] = defaultdict(int)
    for _unused, r in received(db, committee.id, start, end):
        accepted[(r.day, r.meal, r.level)] += r.accepted
    served: dict[tuple[date, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in services_in(db, committee.id, start, end):
        served[(row.day, row.meal, row.level)][0] += row.rations
        served[(row.day, row.meal, row.level)][1] += row.leftovers
    keys = set(accepted) | (set(served) if committee.form.modality == "raciones" else set())
    order = sorted(keys, key=lambda k: (k[0], k[1] != "desayuno", k[2]))
    return [RationBalance(d, lv, accepted.get((d, m, lv), 0), served[(d, m, lv)][0], served[(d, m, lv)][1], m)
            for d, m, lv in order]
