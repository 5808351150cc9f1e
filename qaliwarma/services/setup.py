"""Create or upgrade the database and load the reference data (and, on request, the demo committee)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..domain.committee import CommitteeForm, LevelForm, MemberForm
from ..domain.menus import PlanEntry
from ..paths import resources_dir
from ..persistence.engine import Database
from . import calendar, catalog, committee, needs, planning, recipes, standards

DEMO_USER = "demo"


@dataclass(frozen=True)
class InitResult:
    foods_loaded: bool
    food_count: int
    recipes: recipes.SyncResult
    demo_created: bool
    standards_changed: int = 0


def demo_form() -> CommitteeForm:
    """A sierra school with inicial and primaria, quintile 1 (breakfast and lunch), Huancavelica."""
    start = date(2026, 3, 2)
    return CommitteeForm(
        school_name="I.E. N.° 36009 Virgen de la Candelaria",
        codigo_modular="0456789",
        ugel="UGEL Huancavelica",
        region="sierra",
        department="Huancavelica",
        province="Huancavelica",
        district="Huancavelica",
        ubigeo="090101",
        quintile=1,
        modality="productos",
        levels=[LevelForm("inicial", 38, "0456771"), LevelForm("primaria", 142, "0456789")],
        members=[
            MemberForm("Rosa Quispe Huamán", "41234567", "presidente", "director", start),
            MemberForm("Julio Ccanto Paucar", "42345678", "secretario", "docente", start),
            MemberForm("Marcelina Taipe Soto", "43456789", "vocal", "padre_madre", start),
            MemberForm("Teodoro Huamaní Laura", "44567890", "vocal", "padre_madre", start),
            MemberForm("Yolanda Curi Ramos", "45678901", "tesorero", "padre_madre", start),
        ],
    )


def initialise(db: Database, *, demo: bool = False) -> InitResult:
    """Load what is missing; running it again changes nothing."""
    loaded = catalog.ensure_table(db)
    source = catalog.active_source(db)
    synced = recipes.sync_bank(db)
    changed = standards.sync_shipped(db)
    created = False
    if demo:
        form = demo_form()
        if committee.current(db, form.codigo_modular) is None:
            info = committee.register(db, form, user=DEMO_USER)
            _demo_records(db, info)
            created = True
    return InitResult(loaded, source.food_count if source else 0, synced, created, changed)


DEMO_MONTH = date(2026, 11, 1)


def _demo_records(db: Database, info: committee.CommitteeInfo) -> None:
    """A month of plausible records for the demo committee, for each capability that exists."""
    with open(resources_dir() / "demo" / "precios_sierra.csv", encoding="utf-8", newline="") as fh:
        items = [needs.PriceItem(r["codigo"], r["presentacion"], r["neto"], Decimal(r["precio"]),
                                 Decimal("0.92") if r["codigo"] == "D9" else None,
                                 "Precio de referencia estimado por el equipo (demostración)")
                 for r in csv.DictReader(fh)]
    needs.set_prices(db, info.id, items)
    start = DEMO_MONTH
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    days = calendar.school_days(db, info.id, start, end)
    breakfasts = [r.id for r in recipes.list_recipes(db, region="sierra", meal="desayuno")]
    lunches = [r.id for r in recipes.list_recipes(db, region="sierra", meal="almuerzo")]
    entries = [
        PlanEntry(day, meal, level, choices[n % len(choices)])
        for n, day in enumerate(days)
        for meal, choices in (("desayuno", breakfasts), ("almuerzo", lunches))
        for level in info.levels
    ]
    planning.create_plan(db, info, f"Menú de {_MONTHS[start.month - 1]} {start.year}", start, end, entries,
                         standard_id=standards.DEFAULT_STANDARD)


_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre")
