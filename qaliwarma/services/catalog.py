"""The food composition table: load the shipped edition, import another, search, read values."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select, update

from ..domain.foods import FOOD_GROUPS, FoodSummary, fold, search_order
from ..domain.nutrients import NUTRIENT_KEYS
from ..errors import InvalidInput, NotFound, Problem
from ..i18n import _
from ..io.tpca import read_table
from ..paths import food_table_file
from ..persistence.engine import Database
from ..persistence.models import Food, FoodSource, IngredientDose, RecipeIngredient

TPCA_NAME = "Tablas peruanas de composición de alimentos"
TPCA_EDITION = "10.ª edición, 2017"
TPCA_CITATION = (
    "Instituto Nacional de Salud. Tablas peruanas de composición de alimentos. "
    "10.ª ed. Lima: INS/CENAN; 2017."
)


@dataclass(frozen=True)
class SourceInfo:
    name: str
    edition: str
    citation: str
    file_name: str
    food_count: int
    loaded_at: datetime


@dataclass(frozen=True)
class FoodDetail:
    code: str
    name: str
    group_code: str
    group_name: str
    values: dict[str, float | None]  # per 100 g edible portion; None = unknown


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def active_source(db: Database) -> SourceInfo | None:
    with db.session() as s:
        src = s.scalar(select(FoodSource).where(FoodSource.active.is_(True)).order_by(FoodSource.id.desc()))
        if src is None:
            return None
        return SourceInfo(src.name, src.edition, src.citation, src.file_name, src.food_count, src.loaded_at)


def import_table(
    db: Database,
    path: Path,
    *,
    name: str = TPCA_NAME,
    edition: str | None = None,
    citation: str | None = None,
) -> SourceInfo:
    """Replace the food table with the edition in ``path`` (same layout). All or nothing.

    Refused, nothing changed, when the file has another layout or a bad row, or when it lacks a food
    that a preparation uses.
    """
    path = Path(path)
    table = read_table(path)
    codes = {f.code for f in table.foods}
    with db.session() as s:
        used = s.execute(
            select(RecipeIngredient.food_code, RecipeIngredient.recipe_id).join(IngredientDose)
        ).all()
        lacking = sorted({(code, rid) for code, rid in used if code not in codes})
        if lacking:
            raise InvalidInput(
                _("{name} no contiene alimentos que usan las preparaciones; no se cambió nada.").format(name=path.name),
                [Problem(_("preparación {rid}").format(rid=rid), _("usa el alimento {code}").format(code=code)) for code, rid in lacking],
            )
        s.execute(update(FoodSource).values(active=False))
        source = FoodSource(
            name=name,
            edition=edition or f"importada de {path.name}",
            citation=citation or f"{name} ({path.name})",
            file_name=path.name,
            file_sha256=_sha256(path),
            food_count=len(table.foods),
            loaded_at=datetime.now(),
            active=True,
        )
        s.add(source)
        s.flush()
        s.execute(delete(Food))
        s.execute(
            Food.__table__.insert(),
            [
                {
                    "code": f.code,
                    "name": f.name,
                    "search_name": fold(f.name),
                    "group_code": f.group_code,
                    "source_id": source.id,
                    **{k: f.values.get(k) for k in NUTRIENT_KEYS},
                }
                for f in table.foods
            ],
        )
        info = SourceInfo(source.name, source.edition, source.citation, source.file_name,
                          source.food_count, source.loaded_at)
    from .analysis import forget_matrix

    forget_matrix(db)
    return info


def ensure_table(db: Database) -> bool:
    """Load the shipped TPCA 2017 edition if no table is loaded yet. True if it loaded it."""
    if active_source(db) is not None:
        return False
    import_table(db, food_table_file(), edition=TPCA_EDITION, citation=TPCA_CITATION)
    return True


def search(db: Database, text: str, *, group: str | None = None, limit: int | None = None) -> list[FoodSummary]:
    """Foods whose name (or code) contains ``text``, accent- and case-insensitive; the closest first
    (``domain.foods.search_order``: «azucar» lists the sugars before a chicha made with sugar), then by the
    table's groups and order. Without ``text``, the whole table in its groups and order."""
    needle = fold(text)
    with db.session() as s:
        query = select(Food.code, Food.name, Food.group_code)
        if needle:
            query = query.where(
                Food.search_name.contains(needle, autoescape=True) | (Food.code == text.strip().upper())
            )
        if group:
            query = query.where(Food.group_code == group)
        query = query.order_by(Food.group_code, Food.id)
        if limit and not needle:
            query = query.limit(limit)
        rows = s.execute(query).all()
    if needle:  # sorted whole before the limit: the closest are never cut off (a few hundred rows at most)
        rows = sorted(rows, key=lambda row: search_order(row[0], row[1], needle))[:limit or None]
    return [FoodSummary(c, n, g, FOOD_GROUPS.get(g, g)) for c, n, g in rows]


def food(db: Database, code: str) -> FoodDetail:
    with db.session() as s:
        row = s.scalar(select(Food).where(Food.code == code.strip().upper()))
        if row is None:
            raise NotFound(_("No existe el alimento con código «{code}» en la tabla de composición.").format(code=code))
        return FoodDetail(
            row.code, row.name, row.group_code, FOOD_GROUPS.get(row.group_code, row.group_code),
            {k: getattr(row, k) for k in NUTRIENT_KEYS},
        )


def food_names(db: Database) -> dict[str, str]:
    with db.session() as s:
        return dict(s.execute(select(Food.code, Food.name)).all())
