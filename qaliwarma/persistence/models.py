"""SQLAlchemy 2 models. Every operational row carries its committee's id (ARCHITECTURE.md §3).

Changing a model means writing an Alembic migration; tests/core/test_migrations.py checks they agree.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ..domain.nutrients import NUTRIENT_KEYS

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AppSetting(Base):
    __tablename__ = "app_settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class FoodSource(Base):
    """An edition of the food composition table that was loaded."""

    __tablename__ = "food_sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    edition: Mapped[str] = mapped_column(String(80))
    citation: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(String(260))
    file_sha256: Mapped[str] = mapped_column(String(64))
    food_count: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Food(Base):
    """A raw food of the table: values per 100 g of edible portion; NULL = unknown, never zero."""

    __tablename__ = "foods"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(200), index=True)
    group_code: Mapped[str] = mapped_column(String(4), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("food_sources.id"))


for _key in NUTRIENT_KEYS:
    setattr(Food, _key, mapped_column(_key, Float, nullable=True))
    Food.__annotations__[_key] = Mapped[float | None]
del _key


class Committee(Base):
    """A School Meals Committee (CAE) and its school."""

    __tablename__ = "committees"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codigo_modular: Mapped[str] = mapped_column(String(7), unique=True)  # data: corrected by a journal entry
    # The chain's identity, hashed in every journal entry: the código modular the committee registered
    # with, fixed for ever (a corrected código modular leaves it, and so the chain, as it was).
    chain_id: Mapped[str] = mapped_column(String(40), default=lambda ctx: ctx.get_current_parameters()["codigo_modular"])
    school_name: Mapped[str] = mapped_column(String(200))
    ugel: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(10))  # costa | sierra | selva
    department: Mapped[str] = mapped_column(String(80))
    province: Mapped[str] = mapped_column(String(80))
    district: Mapped[str] = mapped_column(String(120))
    ubigeo: Mapped[str] = mapped_column(String(6))
    quintile: Mapped[int] = mapped_column(Integer)
    modality: Mapped[str] = mapped_column(String(20))  # productos | raciones | compras_locales
    programme_name: Mapped[str] = mapped_column(String(120), default="Programa de Alimentación Escolar")
    logo_path: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # A school of an Amazonian indigenous community gets lunch whatever its district's quintile.
    amazonian_indigenous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime)
    levels: Mapped[list[CommitteeLevel]] = relationship(
        back_populates="committee", cascade="all, delete-orphan", order_by="CommitteeLevel.position"
    )
    members: Mapped[list[CommitteeMember]] = relationship(
        back_populates="committee", cascade="all, delete-orphan", order_by="CommitteeMember.id"
    )


class CommitteeLevel(Base):
    __tablename__ = "committee_levels"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    level: Mapped[str] = mapped_column(String(12), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    codigo_modular: Mapped[str | None] = mapped_column(String(7), nullable=True)
    enrolment: Mapped[int] = mapped_column(Integer)
    committee: Mapped[Committee] = relationship(back_populates="levels")


class CommitteeMember(Base):
    __tablename__ = "committee_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    dni: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(String(20))  # presidente | secretario | vocal | tesorero
    stakeholder: Mapped[str] = mapped_column(String(40))  # director | docente | padre_madre | ...
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    committee: Mapped[Committee] = relationship(back_populates="members")


class MemberCredential(Base):
    """A member's PIN (Argon2 hash) and wrong tries; kept apart from ``committee_members`` (rewritten
    when the committee's data is saved) and keyed by DNI, so a PIN survives edits of the member."""

    __tablename__ = "member_credentials"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    dni: Mapped[str] = mapped_column(String(8), primary_key=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    failed_tries: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    set_at: Mapped[datetime] = mapped_column(DateTime)
    set_by: Mapped[str] = mapped_column(String(160))


class RolePermission(Base):
    """What each role may do (people.ACTIONS): data, seeded with people.DEFAULT_PERMISSIONS."""

    __tablename__ = "role_permissions"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    action: Mapped[str] = mapped_column(String(40), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class Recipe(Base):
    """A preparation: from the regional bank (committee_id NULL) or a committee's own."""

    __tablename__ = "recipes"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"), nullable=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(10), index=True)
    meal: Mapped[str] = mapped_column(String(12), index=True)
    levels: Mapped[str] = mapped_column(String(60))  # comma-separated, in LEVELS order
    source: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    preparation: Mapped[str] = mapped_column(Text, default="")
    file_path: Mapped[str | None] = mapped_column(String(300), nullable=True)
    content_sha256: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    ingredients: Mapped[list[RecipeIngredient]] = relationship(
        back_populates="recipe", cascade="all, delete-orphan", order_by="RecipeIngredient.position"
    )


class RecipeIngredient(Base):
    __tablename__ = "recipe_ingredients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipe_id: Mapped[str] = mapped_column(ForeignKey("recipes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    food_code: Mapped[str] = mapped_column(String(12))
    label: Mapped[str] = mapped_column(String(200), default="")
    edible_factor: Mapped[Decimal] = mapped_column(Numeric(5, 3), default=Decimal("1"))
    recipe: Mapped[Recipe] = relationship(back_populates="ingredients")
    doses: Mapped[list[IngredientDose]] = relationship(
        back_populates="ingredient", cascade="all, delete-orphan"
    )


class IngredientDose(Base):
    """Grams per child (as weighed) of one ingredient for one level, with the household measure."""

    __tablename__ = "ingredient_doses"
    ingredient_id: Mapped[int] = mapped_column(
        ForeignKey("recipe_ingredients.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[str] = mapped_column(String(12), primary_key=True)
    grams: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    measure: Mapped[str] = mapped_column(String(120), default="")
    ingredient: Mapped[RecipeIngredient] = relationship(back_populates="doses")


class JournalEntry(Base):
    """An operational fact, appended and never changed (ARCHITECTURE.md §3, "the journal")."""

    __tablename__ = "journal_entries"
    __table_args__ = (UniqueConstraint("committee_id", "seq", name="uq_journal_entries_committee_seq"),
                      # a month's withdrawals and reversals, the closings: by kind and date, not the whole chain
                      Index("ix_journal_entries_committee_kind_date", "committee_id", "kind", "entry_date"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    entry_date: Mapped[date] = mapped_column(Date, index=True)
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    corrects_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    correction_type: Mapped[str | None] = mapped_column(String(12), nullable=True)  # reversal|adjustment
    reason: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[str] = mapped_column(String(32))  # ISO-8601 UTC, hashed as text
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ClosedPeriod(Base):
    __tablename__ = "closed_periods"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    closed_at: Mapped[datetime] = mapped_column(DateTime)
    closed_by: Mapped[str] = mapped_column(String(120))


class ClosedMonthFile(Base):
    """A file of a closed month's bundle as its closing made it (the month's menu, its compliance, its services,
    its store…), kept so that the month's bundle and verification code never change afterwards: not when the
    application ships corrected standards, preparations or holidays, not when a new edition of the food table is
    loaded. Its SHA-256 is in the closing entry (payload «archivos»): `verify` finds a row changed since."""

    __tablename__ = "closed_month_files"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    name: Mapped[str] = mapped_column(String(60), primary_key=True)  # the file's name in the bundle
    content: Mapped[bytes] = mapped_column(LargeBinary)


# --- Menu planning (issue 3) -------------------------------------------------------------------


class StandardSetRow(Base):
    """A nutrition standard set: shipped (committee_id NULL) or a committee's edited copy.
    ``content`` is the set as canonical JSON (targets and rules), the same shape as its TOML file."""

    __tablename__ = "standard_sets"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"), nullable=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    based_on: Mapped[str | None] = mapped_column(String(80), nullable=True)
    content: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class SchoolYear(Base):
    __tablename__ = "school_years"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)


class CalendarBreak(Base):
    """A day or range without school (feriado, vacaciones) or a worked recovery day (recuperacion)."""

    __tablename__ = "calendar_breaks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")


class DeliveryPeriodRow(Base):
    __tablename__ = "delivery_periods"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)


class MenuPlan(Base):
    __tablename__ = "menu_plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    standard_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    entries: Mapped[list[MenuEntry]] = relationship(back_populates="plan", cascade="all, delete-orphan")


class MenuEntry(Base):
    __tablename__ = "menu_entries"
    plan_id: Mapped[int] = mapped_column(ForeignKey("menu_plans.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    meal: Mapped[str] = mapped_column(String(12), primary_key=True)
    level: Mapped[str] = mapped_column(String(12), primary_key=True)
    recipe_id: Mapped[str] = mapped_column(ForeignKey("recipes.id"), index=True)
    plan: Mapped[MenuPlan] = relationship(back_populates="entries")


class FoodPrice(Base):
    """The committee's price list: what one commercial unit of a food costs (money is exact)."""

    __tablename__ = "food_prices"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    food_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    presentation: Mapped[str] = mapped_column(String(40))  # BOLSA, LATA, kg …
    net: Mapped[str] = mapped_column(String(40))  # "1 kg", "0.170 kg", "1 L"
    density_kg_per_l: Mapped[Decimal | None] = mapped_column(Numeric(6, 3), nullable=True)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(200), default="")


# --- Reception, stock and service (issue 4) ----------------------------------------------------
# These tables are PROJECTIONS of the journal: written in the same unit of work as the journal
# entry they come from, never edited otherwise, and rebuildable from the journal (stock.rebuild).


class StockLot(Base):
    __tablename__ = "stock_lots"
    __table_args__ = (UniqueConstraint("committee_id", "lot_key", name="uq_stock_lots_committee_lot"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    lot_key: Mapped[str] = mapped_column(String(200))  # product|brand|lot|expiry: one physical lot
    food_code: Mapped[str] = mapped_column(String(12), index=True)
    product_name: Mapped[str] = mapped_column(String(200))
    brand: Mapped[str] = mapped_column(String(120), default="")
    lot: Mapped[str] = mapped_column(String(80), index=True)
    expiry: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    production: Mapped[date | None] = mapped_column(Date, nullable=True)
    sanitary_registration: Mapped[str] = mapped_column(String(80), default="")
    presentation: Mapped[str] = mapped_column(String(80), default="")
    received_grams: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    balance_grams: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    first_received: Mapped[date] = mapped_column(Date)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    suspension_reason: Mapped[str] = mapped_column(Text, default="")


class StockMovement(Base):
    """A line of the kardex: + reception, − issue to the kitchen, ± adjustment (with its reason)."""

    __tablename__ = "stock_movements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    journal_seq: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date, index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("stock_lots.id"), index=True)
    food_code: Mapped[str] = mapped_column(String(12), index=True)
    grams: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    kind: Mapped[str] = mapped_column(String(20))  # recepcion | salida | ajuste | correccion
    reason: Mapped[str] = mapped_column(String(200), default="")
    reference: Mapped[str] = mapped_column(String(200), default="")  # acta, service day/meal/level …


class ServiceRecord(Base):
    """Rations served per day × meal × level (projection of the journal's "servicio" entries)."""

    __tablename__ = "service_records"
    __table_args__ = (UniqueConstraint("committee_id", "day", "meal", "level", "journal_seq",
                                       name="uq_service_records_entry"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    journal_seq: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date, index=True)
    meal: Mapped[str] = mapped_column(String(12))
    level: Mapped[str] = mapped_column(String(12))
    recipe_id: Mapped[str] = mapped_column(String(80))
    rations: Mapped[int] = mapped_column(Integer)
    attendance: Mapped[int] = mapped_column(Integer)
    leftovers: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False once reversed


# --- Treasury (issue 5) --------------------------------------------------------------------------
# Transfers and expenses are journal entries; these tables are their projections.


class BudgetHeading(Base):
    """A rubro and what it is allotted per monthly cycle: a share of the transfers or a fixed amount."""

    __tablename__ = "budget_headings"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    share_percent: Mapped[Decimal | None] = mapped_column(Numeric(6, 2), nullable=True)
    fixed_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)


class TreasuryTransfer(Base):
    __tablename__ = "treasury_transfers"
    __table_args__ = (Index("ix_treasury_transfers_committee_day", "committee_id", "day"),)  # a month's rows (issue 17)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    journal_seq: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date, index=True)
    cycle: Mapped[str] = mapped_column(String(7), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    reference: Mapped[str] = mapped_column(String(120), default="")
    deadline: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TreasuryExpense(Base):
    __tablename__ = "treasury_expenses"
    __table_args__ = (Index("ix_treasury_expenses_committee_day", "committee_id", "day"),)  # a month's rows (issue 17)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    journal_seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date, index=True)
    cycle: Mapped[str] = mapped_column(String(7), index=True)
    heading: Mapped[str] = mapped_column(String(30), index=True)
    doc_type: Mapped[str] = mapped_column(String(30))
    doc_number: Mapped[str] = mapped_column(String(40))
    party_id: Mapped[str] = mapped_column(String(11), index=True)  # RUC or DNI
    party_name: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    payment: Mapped[str] = mapped_column(String(10), default="efectivo")  # efectivo | banco
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TreasuryCycle(Base):
    """A monthly cycle's state: borrador → presentado → aprobado u observado. Presented = frozen."""

    __tablename__ = "treasury_cycles"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    cycle: Mapped[str] = mapped_column(String(7), primary_key=True)
    state: Mapped[str] = mapped_column(String(12))
    observations: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


# --- Supervision (issue 6): a supervisor's database of committees' monthly bundles ---------------


class SupBundle(Base):
    """A bundle imported into a supervisor database (verified first)."""

    __tablename__ = "sup_bundles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codigo_modular: Mapped[str] = mapped_column(String(7), index=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    bundle_code: Mapped[str] = mapped_column(String(64), unique=True)
    exported_at: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    file_name: Mapped[str] = mapped_column(String(260))
    entries: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    replaced_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Anchors (issue 11): the chain head the bundle ends with, whether its journal closes the month,
    # and a fingerprint of the chain's first entry without the school's code (a chain copied from
    # another school and re-hashed under this code keeps it).
    head: Mapped[str | None] = mapped_column(String(64), nullable=True)
    closed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    genesis: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    # The journal.jsonl bytes verified (issue 17): a later bundle starting with exactly them is verified
    # from there on. None for bundles imported before.
    journal_sha: Mapped[str | None] = mapped_column(String(64), nullable=True)
    journal_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Set aside by the supervisor, who went back to the month's genuine bundle (issue 10): why.
    refused_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The chain's identity its journal is hashed with (issue 14: the code the school registered with; a
    # corrected código modular does not change it).
    chain_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    # JSON {seq: hash} of the month closings its journal holds: an earlier month's bundle imported later
    # must end with the hash held here at its closing entry
    checkpoints: Mapped[str | None] = mapped_column(Text, nullable=True)
    # JSON: where the lines of its journal that the month's readers look for start (by what they look for:
    # «comite.», «tesoreria.gasto», …) and its latest entry date (io.bundle.Bundle.history). The school's
    # next bundle starts with these very bytes (journal_sha) and is read from here instead of searched.
    history: Mapped[str | None] = mapped_column(Text, nullable=True)


class SupSchoolMonth(Base):
    """One school × month as its current bundle says, with the figures a supervisor scans."""

    __tablename__ = "sup_school_months"
    codigo_modular: Mapped[str] = mapped_column(String(7), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True, index=True)
    bundle_id: Mapped[int] = mapped_column(ForeignKey("sup_bundles.id"))
    school_name: Mapped[str] = mapped_column(String(200))
    ugel: Mapped[str] = mapped_column(String(120), index=True)
    region: Mapped[str] = mapped_column(String(10))
    district: Mapped[str] = mapped_column(String(120))
    quintile: Mapped[int] = mapped_column(Integer)
    enrolment: Mapped[int] = mapped_column(Integer)
    school_days: Mapped[int] = mapped_column(Integer)
    days_with_service: Mapped[int] = mapped_column(Integer)
    rations: Mapped[int] = mapped_column(Integer)
    rations_vs_enrolment: Mapped[float | None] = mapped_column(Float, nullable=True)
    compliance_rate: Mapped[float | None] = mapped_column(Float, nullable=True)
    lots_near_expiry: Mapped[int] = mapped_column(Integer)
    incidents: Mapped[int] = mapped_column(Integer)
    children_affected: Mapped[int] = mapped_column(Integer)
    transferred: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    spent: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    treasury_balance: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    closed: Mapped[bool] = mapped_column(Boolean)
    flag_count: Mapped[int] = mapped_column(Integer)
    replacements: Mapped[int] = mapped_column(Integer, default=0)
    # The month's flags with their facts, JSON ``[[code, facts], …]`` (what the summary reads; sup_flags keeps
    # one row per flag too)
    flags: Mapped[str | None] = mapped_column(Text, nullable=True)


# The summary's order (most flagged first, then by school and month): a year's 10,000 rows are read in this
# index's order instead of sorted (PostgreSQL sorted them on disk: they are some 4 MB with their flags).
Index("ix_sup_school_months_rank", SupSchoolMonth.flag_count.desc(), SupSchoolMonth.codigo_modular,
      SupSchoolMonth.month)


class SupFlag(Base):
    __tablename__ = "sup_flags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codigo_modular: Mapped[str] = mapped_column(String(7), index=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    detail: Mapped[str] = mapped_column(Text)
    facts: Mapped[str | None] = mapped_column(Text, nullable=True)  # the flag's facts, JSON (domain.flags)
