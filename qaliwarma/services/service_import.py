"""A file of services (`serve import`): the rations served per day ×
meal × level and, in optional columns, what left the store for the kitchen (salida de almacén: producto,
lote, cantidad, unidad). The whole file is one unit of work: every row checked first, then the services
(their proposed issue by the dosing) and the recorded issue that replaces it, all or nothing, each
journaled entry by entry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..domain.stock import ServiceInput
from ..errors import InvalidInput
from ..i18n import _
from ..persistence.engine import Database
from . import kitchen_issue, serving
from .committee import CommitteeInfo


@dataclass(frozen=True)
class ServiceImport:
    items: list[ServiceInput]
    results: list[serving.ServiceResult]
    issues: list[kitchen_issue.IssueResult]

    @property
    def warnings(self) -> list[str]:
        return [w for r in self.results for w in r.warnings]


class _Products:
    """Product names and densities, read only when the file has issue columns."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._resolver = None
        self._densities: dict[str, str] | None = None

    def code(self, text: str) -> str | None:
        if self._resolver is None:
            from .products import ProductResolver

            self._resolver = ProductResolver(self.db)
        return self._resolver.code(text)

    def get(self, code: str, default=None):
        if self._densities is None:
            from .products import densities

            self._densities = densities()
        return self._densities.get(code, default)


def import_services(db: Database, committee: CommitteeInfo, path, *, user: str) -> ServiceImport:
    """Read, check and record a file of services (and the day's issue when it has those columns)."""
    from ..io.stock_files import read_service_sheet

    products = _Products(db)
    sheet = read_service_sheet(Path(path), products.code, products)
    if not sheet.issues:
        results = serving.record(db, committee, sheet.items, user=user, where=sheet.where)
        return ServiceImport(sheet.items, results, [])
    problems = serving.validate(db, committee, sheet.items, sheet.where)[0] if sheet.items else []
    problems += kitchen_issue.check(db, committee, sheet.issues)
    if problems:
        raise InvalidInput(_("{name} tiene errores; no se registró nada.").format(name=Path(path).name), problems)
    with db.session() as s:  # one unit: the services, then what really left the store for them
        # the products whose issue the file declares: the stock check is on the declared lines, not on a
        # dosing the kitchen could not follow because the store was short
        declared = {(ln.day, ln.meal, ln.food_code) for ln in sheet.issues}
        results = serving.record(db, committee, sheet.items, user=user, where=sheet.where, session=s,
                                 declared=declared) if sheet.items else []
        issues = kitchen_issue.record_in(s, committee, sheet.issues, user=user)
    return ServiceImport(sheet.items, results, issues)
