"""Every page of the main window visited once, on a database with a school year of records, in a process
of its own: how long each page takes on its first visit (built, its queries back, shown), and the
process's peak memory once every page has been visited.

    python -m bench.pages DB.sqlite3 [--today 2027-12-10]   → one JSON line on stdout

Bytecode is written first, as an installed copy has it. «Today» is set to the last month of the year's records (pages show the current month), for the core
(QALIWARMA_TODAY) and for the pages.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from datetime import date


def _peak_mb() -> float:
    """This process's own peak resident memory. On Linux, VmHWM of /proc/self/status: ru_maxrss keeps, across
    exec, the resident size the parent had when it started this process (a bench process grown to 200 MB by
    the menu proposal made every page visit read at least 200 MB: 208 MB in `make bench` for 194 MB measured
    alone)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux, where VmHWM is missing


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.pages")
    p.add_argument("db")
    p.add_argument("--today", default="2027-12-10")
    args = p.parse_args(argv)
    os.environ["QALIWARMA_TODAY"] = args.today
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    today = date.fromisoformat(args.today)

    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication

    from ui import i18n, theme, wheel_guard
    from ui.widgets import stock_common

    stock_common.today = lambda: today
    app = QApplication(sys.argv[:1])
    i18n.install("es")
    theme.apply(app)
    wheel_guard.install(app)
    from ui.main_window import NAVIGATION, WARM_UP_DELAY_MS, MainWindow
    from ui.tasks import TaskRunner

    runner = TaskRunner(app)
    window = MainWindow(runner)
    window.resize(1366, 768)
    window.show()
    filled: list[bool] = []
    window.first_page_filled.connect(lambda: filled.append(True))

    def settle(until=lambda: not runner.is_busy(), timeout: float = 120) -> None:
        end = time.perf_counter() + timeout
        while not until():
            if time.perf_counter() > end:
                raise SystemExit("una página no terminó de llenarse en 2 minutos")
            app.processEvents()
            QThread.msleep(1)
        app.processEvents()

    start = time.perf_counter()
    window.start(f"sqlite:///{args.db}")
    settle(lambda: bool(filled))
    first = time.perf_counter() - start
    first_key = window.current_area()
    # the warm-up after the first page: queued WARM_UP_DELAY_MS after the fill (once it is painted), so wait for
    # it to be queued before waiting for the worker (settle() alone returned at once and the first page visited,
    # «Alimentos y recetas», was timed with the warm-up's numpy import and food matrix in it)
    queued = time.perf_counter() + (WARM_UP_DELAY_MS + 100) / 1000
    settle(lambda: time.perf_counter() > queued)
    settle()
    after_start = _peak_mb()
    pages: dict[str, float] = {}
    for key, _label, _icon, _target in NAVIGATION:
        if key == first_key or not window.nav_buttons[key].isVisible():  # e.g. Supervisión, supervisor mode only
            continue
        t = time.perf_counter()
        window._nav_clicked(key)
        settle()
        pages[key] = time.perf_counter() - t
    print(json.dumps({"first": first, "first_key": first_key, "pages": pages, "peak_start_mb": after_start,
                      "peak_mb": _peak_mb()}), flush=True)
    runner.shutdown()
    window.db.dispose()
    return 0


RUNS = 3


def report(label: str, db_path) -> dict:
    """Run the visit in a process of its own and add its lines to the bench table."""
    import subprocess
    from pathlib import Path

    from bench.table import not_measured, record

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QALIWARMA_DATA_DIR": str(Path(db_path).parent / "datos-paginas")}
    # as an installed copy runs (its modules compiled once, bench/startup.py does the same): with
    # PYTHONDONTWRITEBYTECODE set, each first visit also compiled its page's modules (15–25 ms for Tesorería)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", "import compileall, ui, qaliwarma; "
                    "[compileall.compile_dir(p, quiet=1) for m in (ui, qaliwarma) for p in m.__path__]"],
                   env=env, capture_output=True, timeout=300)
    # three runs, each page's first visit the median of its three (one run caught a slow second of this machine:
    # a page at 0.41 s that takes 0.24 s otherwise); the memory, the highest of the three
    results = []
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-m", "bench.pages", str(db_path)], capture_output=True, text=True,
                             env=env, timeout=600)
        lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
        if out.returncode or not lines:
            print(f"  páginas ({label}): no medido: {out.stderr[-1500:]}")
            not_measured(f"páginas ({label})", "≤ 0,3 s cada una", "falló")
            return {}
        results.append(json.loads(lines[-1]))
    r = {**results[-1], "pages": {page: statistics.median(x["pages"][page] for x in results)
                                  for page in results[-1]["pages"]},
         "peak_start_mb": max(x["peak_start_mb"] for x in results), "peak_mb": max(x["peak_mb"] for x in results)}
    slowest = max(r["pages"], key=r["pages"].get)
    print(f"  páginas ({label}), primera visita de cada una (mediana de {RUNS} arranques): "
          + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in r["pages"].items()))
    print(f"  memoria ({label}): pico {r['peak_start_mb']:.0f} MB tras abrir, {r['peak_mb']:.0f} MB tras visitar "
          f"todas las páginas")
    record(f"páginas ({label}): la más lenta en su primera visita ({slowest})", "≤ 0,3 s",
           f"{r['pages'][slowest]:.2f} s", r["pages"][slowest] <= 0.3)
    record(f"memoria ({label}): pico con todas las páginas visitadas", "≤ 200 MB", f"{r['peak_mb']:.0f} MB",
           r["peak_mb"] <= 200)
    return r


if __name__ == "__main__":
    sys.exit(main())
