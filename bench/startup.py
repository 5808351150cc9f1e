"""Start-up against a floor measured in the same run: a bare PySide6 window (QApplication + an empty
QMainWindow, shown and painted offscreen), started as a process the same way as the application.

Both are timed from just before the process is spawned to the mark each prints: the bare window's
«window-shown»; the application's «window-shown» and «data-ready» (its first page filled with the
committee's data: its own queries are back and shown), signed in with QALIWARMA_MEMBER/PIN; and, started
without them, its «sign-in-shown» (the PIN dialog a committee's member sees every day). Bytecode is written (PYTHONDONTWRITEBYTECODE is
dropped for the children, as an installed copy has its .pyc files) and one untimed run of each comes
first. Runs alternate (floor, application, …) so that a change in the machine's load hits both.

The application reads its first page in a second process on the other core while it builds the window
(ui/first_page.py): «primera página llena» is then about the data's own time (DATA_ONLY below) plus showing it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

FLOOR = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1366, 768)
window.show()
app.processEvents()
print(f"window-shown {time.time():.6f}", flush=True)
"""

# The same data the first page waits for, in a process that never imports Qt: the program's start (bytecode,
# method table, deferred modules), the database opened and checked as at start, the member signed in with QALIWARMA_MEMBER/PIN,
# then the first page's two queries. However the window is built, its first page cannot be filled sooner than
# this: it is the lower bound of «primera página llena» on this machine.
DATA_ONLY = """
import os, sys, time
from qaliwarma import codecache, deferred
codecache.install()
deferred.install()
import gc
gc.disable()  # as the window does while it starts
from qaliwarma import clock, i18n
i18n.install("es")
from qaliwarma.services import committee, people, setup
from qaliwarma.services.database import open_database
from qaliwarma.services.month_steps import month_steps
from qaliwarma.services.store_views import attention
db = open_database(sys.argv[1])
setup.initialise(db)
info = committee.current(db)
people.sign_in(db, info.id, os.environ["QALIWARMA_MEMBER"], os.environ["QALIWARMA_PIN"])
today = clock.today()
attention(db, info, today), month_steps(db, info.id, today)
print(f"data-ready {time.time():.6f}", flush=True)
"""


def _env(data_dir: Path | None = None, *, ask: bool = False) -> dict[str, str]:
    """The children's environment: offscreen, bytecode written, the demo's president signed in (README:
    DNI 41234567, PIN 1234), the bench's own data folder. ``ask``: no member given, so the window asks for a
    PIN, as it does for a committee's members every day."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("QALIWARMA_TODAY", None)  # the real day, as on a committee's laptop (the bench's own records are of 2027)
    env.setdefault("QALIWARMA_MEMBER", "41234567")
    env.setdefault("QALIWARMA_PIN", "1234")
    if ask:
        env.pop("QALIWARMA_MEMBER")
        env.pop("QALIWARMA_PIN")
    if data_dir is not None:
        env["QALIWARMA_DATA_DIR"] = str(data_dir)
    return env


def _marks(cmd: list[str], data_dir: Path | None = None, *, ask: bool = False) -> dict[str, float]:
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=_env(data_dir, ask=ask), timeout=180)
    marks = {k: float(v) - start for k, v in (ln.split() for ln in out.stdout.splitlines()
                                             if ln.startswith(("window-shown", "data-ready", "sign-in-shown")))}
    if out.returncode or "window-shown" not in marks:
        raise SystemExit(f"{cmd[0]} no informó la ventana: {out.stdout[-500:]} {out.stderr[-1500:]}")
    return marks


def _data_ready(cmd: list[str], data_dir: Path) -> float:
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=_env(data_dir), timeout=180)
    marks = [float(ln.split()[1]) - start for ln in out.stdout.splitlines() if ln.startswith("data-ready")]
    if out.returncode or not marks:
        raise SystemExit(f"los datos sin ventana no llegaron: {out.stderr[-1500:]}")
    return marks[0]


def measure(db_path: Path, runs: int = 5) -> dict[str, list[float]]:
    """{"floor": […], "shown": […], "ready": […], "data": […], "asked": […]} in seconds, ``runs`` of each
    ("data": the first page's data in a process without Qt, DATA_ONLY; "asked": the sign-in dialog shown,
    no member given)."""
    app = [str(Path(sys.executable).with_name("qaliwarma-gui")), "--db", str(db_path), "--startup-probe"]
    floor = [sys.executable, "-c", FLOOR]
    data = db_path.parent / "datos-arranque"
    _marks(floor), _marks(app, data)  # untimed: bytecode written, files in the page cache, the day's backup
    data_only = [sys.executable, "-c", DATA_ONLY, f"sqlite:///{db_path}"]
    _data_ready(data_only, data)
    out: dict[str, list[float]] = {"floor": [], "shown": [], "ready": [], "data": [], "asked": []}
    for _ in range(runs):
        out["floor"].append(_marks(floor)["window-shown"])
        marks = _marks(app, data)
        if "data-ready" not in marks:
            raise SystemExit("qaliwarma-gui no informó «data-ready» (¿no se abrió la base de datos?)")
        out["shown"].append(marks["window-shown"])
        out["ready"].append(marks["data-ready"])
        out["data"].append(_data_ready(data_only, data))
        asked = _marks(app, data, ask=True)
        if "sign-in-shown" not in asked:
            raise SystemExit("qaliwarma-gui no pidió el PIN sin QALIWARMA_MEMBER/PIN (¿la demostración no tiene PIN?)")
        out["asked"].append(asked["sign-in-shown"])
    return out


def _against_floor(m: dict[str, list[float]], key: str) -> tuple[float, float]:
    """The median of ``key`` and the median of its ratios to the floor, run by run."""
    return statistics.median(m[key]), statistics.median(x / f for x, f in zip(m[key], m["floor"], strict=True))


def report(db_path: Path, runs: int = 5) -> None:
    from bench.table import record

    m = measure(db_path, runs)
    floor, shown = statistics.median(m["floor"]), statistics.median(m["shown"])
    ready, ratio = _against_floor(m, "ready")
    data, data_ratio = _against_floor(m, "data")
    asked, asked_ratio = _against_floor(m, "asked")
    each = ", ".join(f"{t:.2f}" for t in m["ready"])
    print(f"  arranque (offscreen, mediana de {runs}): ventana PySide6 vacía (piso) {floor:.2f} s; ventana de la "
          f"aplicación {shown:.2f} s; primera página llena con los datos {ready:.2f} s (cada una: {each})")
    print(f"  los mismos datos en un proceso sin Qt (cota inferior de la primera página): {data:.2f} s = "
          f"{data_ratio:.1f}× piso")
    print(f"  sin QALIWARMA_MEMBER/PIN, la ventana pide el PIN a los {asked:.2f} s = {asked_ratio:.1f}× piso "
          f"(la primera página se llena detrás mientras se escribe)")
    record("arranque: piso (ventana PySide6 vacía)", "—", f"{floor:.2f} s", None)
    record("arranque: ventana visible", "—", f"{shown:.2f} s = {shown / floor:.1f}× piso", None)
    record("arranque: datos de la primera página sin ventana (cota inferior)", "—",
           f"{data:.2f} s = {data_ratio:.1f}× piso", None)
    record("arranque: pedido de PIN visible (uso diario de un comité con PIN)", "—",
           f"{asked:.2f} s = {asked_ratio:.1f}× piso", None)
    record("arranque: primera página llena", "≤ 0,6 s", f"{ready:.2f} s", ready <= 0.6)
    record("arranque: primera página llena / piso", "≤ 5×", f"{ratio:.1f}×", ratio <= 5)
