"""Create or upgrade the database and load the reference data (and, on request, the demo committee)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.committee import CommitteeForm, LevelForm, MemberForm
from ..domain.people import signature_text
from ..persistence.engine import Database
from . import catalog, committee, people, recipes, standards

DEMO_USER = "demo"
DEMO_PIN = "1234"


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
            MemberForm("Gregoria Yauri Quispe", "46789012", "vocal", "padre_madre", start),
            MemberForm("Yolanda Curi Ramos", "45678901", "tesorero", "padre_madre", start),
        ],
    )


def initialise(db: Database, *, demo: bool = False) -> InitResult:
    """Load what is missing; running it again changes nothing. All of it is one transaction
    (Database.atomic): killed half-way, it leaves nothing of this run, and the next run does it all."""
    with db.atomic() as adb:
        loaded = catalog.ensure_table(adb)
        source = catalog.active_source(adb)
        synced = recipes.sync_bank(adb)
        changed = standards.sync_shipped(adb)
        created = False
        if demo:
            form = demo_form()
            if committee.current(adb, form.codigo_modular) is None:
                president = next(m for m in form.members if m.role == "presidente")
                info = committee.register(adb, form, user=signature_text(president.name, president.dni))
                from . import demo as demo_records  # imported only when asked for: not on every start-up

                demo_records.create(adb, info)
                for member in form.members:  # the demo's members all sign in with PIN 1234 (README)
                    people.set_pin(adb, info.id, member.dni, DEMO_PIN, user=people.SETUP_USER)
                created = True
    return InitResult(loaded, source.food_count if source else 0, synced, created, changed)
