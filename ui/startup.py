"""What the window needs before it can show the areas: run on the worker thread, after it is shown.

Opening the database may upgrade it (Alembic is imported only then); the first run loads the food
table from the shipped workbook (pandas/openpyxl are imported only then). If the reference data cannot
all be loaded (say, a recipe file with a mistake), the committee is not kept out of the application: the
problem is reported and the food table still opens.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Loaded:
    db: object  # qaliwarma.persistence.engine.Database
    committee: object | None  # CommitteeInfo
    places: tuple
    food_count: int
    source_text: str
    warnings: list[str] = field(default_factory=list)
    backup_path: str | None = None
    has_bundles: bool = False  # committees' bundles imported: a supervisor's database
    members: list = field(default_factory=list)  # MemberInfo of the members in office (sign-in list)
    needs_sign_in: bool = False  # the committee's members have PINs: someone must sign in
    signature: object | None = None  # the member signed in from QALIWARMA_MEMBER/QALIWARMA_PIN, if given


def _daily_backup(db, warnings: list[str]) -> None:
    """The day's automatic backup, once a day the application is used (issue 13)."""
    from qaliwarma.errors import QaliwarmaError
    from qaliwarma.services import backup

    from .i18n import _

    try:
        backup.automatic(db, "diaria")
    except (QaliwarmaError, OSError) as error:
        warnings.append(_("No se pudo hacer la copia de seguridad diaria: {error}").format(error=error))


def load(url: str, *, demo: bool = False) -> Loaded:
    from qaliwarma.errors import QaliwarmaError
    from qaliwarma.services import catalog, committee, setup
    from qaliwarma.services.database import open_database

    db = open_database(url)
    try:
        warnings: list[str] = []
        try:
            setup.initialise(db, demo=demo)  # the same start-up as `qaliwarma init`
        except QaliwarmaError as error:  # e.g. a recipe file with a mistake: say so, keep the rest usable
            warnings.append(str(error))
            catalog.ensure_table(db)
        info = committee.current(db)
        _daily_backup(db, warnings)
        places = committee.places()
        source = catalog.active_source(db)
        from qaliwarma.services.supervision import has_bundles

        bundles = has_bundles(db)
    except BaseException:
        db.dispose()
        raise
    text = f"{source.name}, {source.edition}" if source else ""
    loaded = Loaded(db, info, places, source.food_count if source else 0, text, warnings,
                    str(db.backup_path) if db.backup_path else None, bundles)
    if info is not None:
        _sign_in_from_environment(db, info, loaded)
    return loaded


def _sign_in_from_environment(db, info, loaded: Loaded) -> None:
    """Who may sign in, and the member named by QALIWARMA_MEMBER with QALIWARMA_PIN (as on the command
    line), signed in at once; otherwise the window asks (issue 13)."""
    import os

    from qaliwarma.errors import QaliwarmaError
    from qaliwarma.services import people

    loaded.members = people.active_members(db, info.id)
    loaded.needs_sign_in = people.has_pins(db, info.id)
    dni, pin = os.environ.get("QALIWARMA_MEMBER"), os.environ.get("QALIWARMA_PIN")
    if loaded.needs_sign_in and dni and pin:
        try:
            loaded.signature = people.sign_in(db, info.id, dni, pin)
        except QaliwarmaError as error:
            loaded.warnings.append(str(error))


def warm_up(db) -> None:
    """Run on the worker once the first page is filled: what other pages would otherwise build on their first
    visit (the food matrix for analyses; the unit registry and presentations for purchases and receptions)."""
    from qaliwarma import units
    from qaliwarma.errors import QaliwarmaError
    from qaliwarma.services import analysis

    analysis.matrix(db)  # the food matrix, loaded once for every analysis that follows
    try:
        units.default_presentations()
    except QaliwarmaError:  # a broken presentations file is reported where it is used
        units.registry()
