"""The first page's data, read by a second process while the window is being built (issue 17).

The window needs Qt; the first page needs SQLAlchemy, the models and the services. Both are mostly Python
work, and one interpreter runs Python on one core at a time: on a thread of its own the load only took turns
with the window (measured: the two added up). A second process runs on the laptop's second core. At start
``qaliwarma-gui`` starts itself again with :data:`FLAG` (before it imports Qt); that process opens the
database and starts it exactly as the window would (``ui.startup.load``: the same migrations, the same checks,
the same PIN check of QALIWARMA_MEMBER/QALIWARMA_PIN), reads what Inicio shows (``attention`` and
``month_steps``, the same queries the page runs), writes it to its standard output, pickled, and ends.

The window shows that on Inicio, then opens the database itself (``load`` once more, now a few checks: the
other process did the work) for everything else; a click on another area meanwhile is kept and honoured once
it is open. Whatever goes wrong with the second process (it cannot start, it fails, it says something that
is not a first page) the window reads everything itself, as it did before, except QALIWARMA_PIN: the second
process may have counted it already (a wrong one, as one of the five tries), so the window asks for the PIN
instead of checking it a second time. When only Inicio's queries failed, the PIN's outcome is still handed
over and the window asks the queries itself. Nothing is read from it but the objects listed in ``_ALLOWED``;
it is started without the current folder on its module path (``-P``); closing the window ends it.

Used only when the laptop has two cores or more (on one, the second process would take turns with the window
just as the thread did, and the database would be opened twice), the database is a SQLite file and the window
opens on Inicio.
"""

from __future__ import annotations

import os
import sys

# This module is imported first thing at start: it imports nothing more until it is used.

FLAG = "--primera-pagina"  # qaliwarma-gui FLAG ARGS…: this module's second process (not for users)
# seconds the window waits for it; a first start (the food table loaded, the database made) takes a few
TIME_LIMIT = 60


class FirstPage:
    """What the second process read: the start-up's outcome without the database (``loaded.db`` is None;
    ``loaded.signature``: the member QALIWARMA_MEMBER/PIN signed in), the day it was read for, Inicio's two
    answers (domain.attention; None when they could not be read: the window asks them itself), and the
    refusal of QALIWARMA_PIN (the window says it and asks)."""

    def __init__(self, loaded, day, attention: list, steps: list, sign_in_error: str | None = None) -> None:
        self.loaded, self.day, self.attention, self.steps = loaded, day, attention, steps
        self.sign_in_error = sign_in_error


def wanted(page: str | None, url: str) -> bool:
    """Whether to start the second process: the window opens on Inicio (``--page``), the database ``url`` is a
    SQLite file (a PostgreSQL server out of reach would make the window wait for it twice) and the laptop has
    a second core."""
    return page in (None, "inicio") and url.startswith("sqlite") and _cores() >= 2


def _cores() -> int:
    """The cores this program may use (a laptop may leave it one of two), else those the laptop has."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return (os.process_cpu_count() if hasattr(os, "process_cpu_count") else os.cpu_count()) or 1


def command(argv: list[str]) -> list[str]:
    """This program again, with the window's own arguments, as the second process (the frozen application is
    its own interpreter). ``-P``: the folder the program was started from is not searched for modules, as it
    is not for ``qaliwarma-gui`` itself (a ``ui`` or ``decimal.py`` there would have run in its place)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, FLAG, *argv]
    return [sys.executable, "-P", "-m", "ui.app", FLAG, *argv]


def spawn(argv: list[str]):
    """Start the second process for the window's arguments ``argv``, first thing (it reads them as the window
    does). Returns a Future of the bytes it wrote, None when it failed (then the window reads the first page
    itself); or None: it could not be started."""
    import subprocess
    import threading
    from concurrent.futures import Future

    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # Windows: no console flashes up
    # a windowed program (the frozen application, pythonw) has no standard error to hand on: on Windows an
    # inherited handle that does not exist fails the start («WinError 6: the handle is invalid»)
    errors = None if sys.stderr is not None else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(command(argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors,
                                creationflags=flags)
    except OSError:
        return None
    future: Future = Future()

    def wait() -> None:
        try:
            data, _none = proc.communicate(timeout=TIME_LIMIT)
            ok = proc.returncode == 0
        except subprocess.TimeoutExpired:  # stopped, or stuck: ended, and the window reads everything itself
            proc.kill()
            proc.communicate()
            ok, data = False, b""
        except BaseException:  # noqa: BLE001 - the window reads the first page itself
            ok, data = False, b""
        future.set_result(data if ok and data else None)

    threading.Thread(target=wait, name="qaliwarma-primera-pagina", daemon=True).start()
    future.process = proc
    return future


def stop(future) -> None:
    """End the second process if it is still running (the window was closed before it answered)."""
    proc = getattr(future, "process", None)
    if proc is not None and proc.poll() is None:
        proc.kill()


# what a first page is made of; anything else in the bytes means they are not a first page
_ALLOWED = {
    ("ui.startup", "Loaded"),
    ("qaliwarma.domain.committee", "CommitteeInfo"), ("qaliwarma.domain.committee", "CommitteeForm"),
    ("qaliwarma.domain.committee", "LevelForm"), ("qaliwarma.domain.committee", "MemberForm"),
    ("qaliwarma.domain.people", "MemberInfo"), ("qaliwarma.domain.people", "_signature"),
    ("qaliwarma.domain.attention", "Attention"), ("qaliwarma.domain.attention", "MonthStep"),
    ("datetime", "date"), ("datetime", "datetime"), ("decimal", "Decimal"),
}


def read(data: bytes | None) -> FirstPage | None:
    """The first page in the second process's bytes; None when they are not one."""
    import io
    import pickle

    class Reader(pickle.Unpickler):
        def find_class(self, module: str, name: str):
            if (module, name) not in _ALLOWED:
                raise pickle.UnpicklingError(f"{module}.{name}")
            return super().find_class(module, name)

    if not data:
        return None
    from .startup import Loaded

    try:
        loaded, day, items, steps, refused = Reader(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - not a first page: the window reads it itself
        return None
    if not isinstance(loaded, Loaded) or loaded.db is not None:
        return None
    return FirstPage(loaded, day, items, steps, refused)


def first_page(url: str, *, demo: bool = False) -> FirstPage:
    """Open the database as the window does and read what Inicio shows (run in the second process)."""
    from qaliwarma import clock
    from qaliwarma.domain.attention import DAYS_AHEAD
    from qaliwarma.errors import QaliwarmaError
    from qaliwarma.services.month_steps import month_steps
    from qaliwarma.services.store_views import attention

    from .startup import load

    loaded = load(url, demo=demo)
    try:
        day = clock.today()
        info = loaded.committee
        try:
            items = attention(loaded.db, info, day, DAYS_AHEAD) if info is not None else []
            steps = month_steps(loaded.db, info.id, day) if info is not None else []
        except Exception:  # noqa: BLE001 - the window asks them itself and shows what went wrong
            items = steps = None  # the PIN checked meanwhile is still handed over: it counted one try
        refused = None
        if loaded.pin_check is not None:  # checked on its own thread meanwhile (Argon2 lets go of the interpreter)
            try:
                loaded.signature = loaded.pin_check.result()
            except QaliwarmaError as error:  # a wrong PIN: said by the window, which then asks
                refused = str(error)
    finally:
        loaded.db.dispose()
    loaded.db, loaded.pin_check = None, None
    return FirstPage(loaded, day, items, steps, refused)


def main(argv: list[str]) -> int:
    """The second process, with the window's arguments ``argv``: writes the first page, pickled, to its standard
    output and ends at once (``os._exit``: nothing is left to tidy, the database is closed)."""
    import gc
    import pickle

    gc.disable()  # as the window does while it starts
    try:
        from qaliwarma import codecache, deferred

        codecache.install()  # as ui.app.main does
        deferred.install()
        from qaliwarma.paths import database_url

        from . import i18n
        from .app import build_parser

        stderr, sys.stderr = sys.stderr, None  # a mistake in the arguments is said once, by the window
        try:
            args = build_parser().parse_args(argv)  # not arguments the window takes: nothing is read
        finally:
            sys.stderr = stderr
        i18n.install(args.lang)  # as the window chooses it
        page = first_page(database_url(args.db), demo=args.demo)
        data = pickle.dumps((page.loaded, page.day, page.attention, page.steps, page.sign_in_error),
                            protocol=pickle.HIGHEST_PROTOCOL)
        out = sys.stdout.buffer if sys.stdout is not None else open(1, "wb", closefd=False)  # noqa: SIM115
        out.write(data)
        out.flush()
    except BaseException:  # noqa: BLE001 - the window reads everything itself, and says what went wrong
        os._exit(1)
    os._exit(0)
