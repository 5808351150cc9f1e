"""What the window needs before it can show the areas: run on the worker thread, after it is shown.

Opening the database may upgrade it (Alembic is imported only then); the first run loads the food
table from the shipped workbook (pandas/openpyxl are imported only then). If the reference data cannot
all be loaded (say, a recipe file with a mistake), the committee is not kept out of the application: the
problem is reported and the food table still opens.

``begin`` starts that load on a thread of its own once the window is shown (started earlier, it only took turns
with building the window: one interpreter runs Python on one core at a time). Where it can, the first page is
read meanwhile by a second process on the other core, with this same ``load`` (ui/first_page.py), and the
window's own ``load`` starts once that page is shown. A PIN given with QALIWARMA_MEMBER/QALIWARMA_PIN
is checked (Argon2, a third of a second or more on a committee's laptop) on another thread while the first
page is built and filled behind the «Preparando los datos…» notice; the window shows nothing of the
committee's data until the PIN is accepted.
"""

from __future__ import annotations

import logging
import threading
import typing  # noqa: F401 - imported whole before the loading thread starts (see below)
from concurrent.futures import Future
from dataclasses import dataclass, field

# Two threads import modules at once (this one Qt, the loading thread SQLAlchemy and the services). Python's
# import lock keeps each module whole, but ``dataclasses`` reads ``typing`` straight from sys.modules: typing
# half-imported by one thread broke a dataclass being defined in the other («partially initialized module
# 'typing'»). So typing is imported here, before either thread starts.

log = logging.getLogger(__name__)


@dataclass
class Loaded:
    db: object  # qaliwarma.persistence.engine.Database
    committee: object | None  # CommitteeInfo
    places: tuple  # Peru's districts: read by the committee page when it is first built, not at start
    food_count: int
    source_text: str
    warnings: list[str] = field(default_factory=list)
    backup_path: str | None = None
    has_bundles: bool = False  # committees' bundles imported: a supervisor's database
    members: list = field(default_factory=list)  # MemberInfo of the members in office (sign-in list)
    needs_sign_in: bool = False  # the committee's members have PINs: someone must sign in
    signature: object | None = None  # the member signed in (set by the window once the PIN is accepted)
    pin_check: Future | None = None  # the check of QALIWARMA_MEMBER/QALIWARMA_PIN: Future of a Signature


def in_thread(fn, name: str) -> Future:
    """Run ``fn`` on a thread of its own; its outcome (result or exception) in the returned Future."""
    future: Future = Future()

    def work() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = fn()
        except BaseException as exc:  # noqa: BLE001 - delivered to the window through the Future
            if not isinstance(exc, Exception) or type(exc).__module__.split(".")[0] != "qaliwarma":
                log.error("Fallo en %s", name, exc_info=True)
            future.set_exception(exc)
        else:
            future.set_result(result)

    threading.Thread(target=work, name=name, daemon=True).start()
    return future


def begin(url: str, *, demo: bool = False, check_pin: bool = True) -> Future:
    """Start :func:`load` now, on a thread of its own (``MainWindow.start(..., early=)`` takes the Future)."""
    return in_thread(lambda: load(url, demo=demo, check_pin=check_pin), "qaliwarma-arranque")


def daily_backup(db) -> str | None:
    """The day's automatic backup, once a day the application is used (issue 13); None, or what went wrong.
    The window queues it on the worker behind the first page's queries (``MainWindow._on_loaded``): the first
    start of a day does not wait for a copy of the whole database, and the copy is still made before any of
    the day's work, which the worker runs after it."""
    from qaliwarma.errors import QaliwarmaError
    from qaliwarma.services import backup

    from .i18n import _

    try:
        backup.automatic(db, "diaria")
    except (QaliwarmaError, OSError) as error:
        return _("No se pudo hacer la copia de seguridad diaria: {error}").format(error=error)
    return None


def load(url: str, *, demo: bool = False, check_pin: bool = True) -> Loaded:
    """Open the database, start it as ``qaliwarma init`` does, read the committee and who may sign in.
    ``check_pin``: check QALIWARMA_MEMBER/QALIWARMA_PIN (False once the first page's process has checked them:
    a wrong PIN is one wrong try, not two)."""
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
        loaded_members = _sign_in_from_environment(db, info, check_pin) if info is not None else ([], False, None)
        source = catalog.active_source(db)
        from qaliwarma.services.database import holds_bundles

        bundles = holds_bundles(db)
    except BaseException:
        db.dispose()
        raise
    text = f"{source.name}, {source.edition}" if source else ""
    members, needs_sign_in, pin_check = loaded_members
    return Loaded(db, info, (), source.food_count if source else 0, text, warnings,
                  str(db.backup_path) if db.backup_path else None, bundles, members, needs_sign_in,
                  pin_check=pin_check)


def _sign_in_from_environment(db, info, check_pin: bool = True) -> tuple[list, bool, Future | None]:
    """Who may sign in, whether someone must, and the check of the member named by QALIWARMA_MEMBER with
    QALIWARMA_PIN (as on the command line), started on a thread of its own; without them the window asks
    (issue 13). The PIN is checked by ``people.sign_in`` as always: same hash, same lock after wrong tries."""
    import os

    from qaliwarma.services import people

    members = people.active_members(db, info.id)
    needs_sign_in = people.has_pins(db, info.id)
    dni, pin = os.environ.get("QALIWARMA_MEMBER"), os.environ.get("QALIWARMA_PIN")
    check = None
    if needs_sign_in and dni and pin and check_pin:
        check = in_thread(lambda: people.sign_in(db, info.id, dni, pin), "qaliwarma-pin")
    return members, needs_sign_in, check


STEP_SECONDS = 0.04  # the worker's turn for the background check before a page's work queued meanwhile


def check_in_background(runner, db, committee_id: int, on_result=None) -> None:
    """The committee's whole journal and every table checked against it (``integrity.check_in_steps``) on the
    worker, a few hundredths of a second at a time: a page asked for meanwhile is queued behind one turn, not
    behind a history of thousands of entries. The result is kept while nothing in the database changes: the
    Cierre page then takes it instead of checking the history again. ``on_result(CommitteeCheck)`` is called
    on the GUI thread once it is known (not when the data changed while it was being read)."""
    import time

    from qaliwarma.services.integrity import check_in_steps

    steps = check_in_steps(db, committee_id)

    def turn() -> tuple[bool, object]:
        end = time.perf_counter() + STEP_SECONDS
        while True:
            try:
                next(steps)
            except StopIteration as stop:
                return True, stop.value
            if time.perf_counter() >= end:
                return False, None

    def next_turn(outcome: tuple[bool, object]) -> None:
        done, result = outcome
        if not done:
            runner.run(turn, next_turn, on_error=lambda _error: None)
        elif result is not None and on_result is not None:
            on_result(result)

    runner.run(turn, next_turn, on_error=lambda _error: None)


def warm_up(db) -> None:
    """Run on the worker once the first page is filled: what other pages would otherwise build on their first
    visit (the food matrix for analyses; the units and presentations for purchases and receptions)."""
    from qaliwarma import units
    from qaliwarma.errors import QaliwarmaError
    from qaliwarma.services import analysis

    analysis.matrix(db)  # the food matrix, loaded once for every analysis that follows
    try:
        units.default_presentations()
    except QaliwarmaError:  # a broken presentations file is reported where it is used
        units.unit_kind("kg")
