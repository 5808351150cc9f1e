"""Print the project's speed figures. Run with `make bench`.

- start-up: seconds from process start to the main window shown (offscreen), median of 3 runs;
- nutrient analysis for a school year of menus (190 days × 2 meals × 2 levels = 760 analyses):
  one by one (each with its incomplete-data report) and as one matrix product.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from qaliwarma.persistence.engine import open_database
from qaliwarma.services import analysis, recipes
from qaliwarma.services.setup import initialise

DAYS, MEALS, LEVELS = 190, ("desayuno", "almuerzo"), ("inicial", "primaria")


def bench_startup(db_path: Path, runs: int = 3) -> list[float]:
    exe = Path(sys.executable).with_name("qaliwarma-gui")
    times = []
    for _ in range(runs):
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        start = time.time()
        out = subprocess.run(
            [str(exe), "--db", str(db_path), "--startup-probe"], capture_output=True, text=True, env=env, timeout=120
        )
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("window-shown ")), None)
        if line is None:
            raise SystemExit(f"qaliwarma-gui did not report the window: {out.stdout} {out.stderr}")
        times.append(float(line.split()[1]) - start)
    return times


def year_of_menus(db) -> list[tuple]:
    """A plan that cycles through the sierra bank: (recipe, level) per day × meal × level."""
    bank = {m: [recipes.get_recipe(db, r.id) for r in recipes.list_recipes(db, region="sierra", meal=m)] for m in MEALS}
    return [(bank[m][d % len(bank[m])], lv) for d in range(DAYS) for m in MEALS for lv in LEVELS]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        t0 = time.perf_counter()
        db = open_database(f"sqlite:///{db_path}")
        initialise(db, demo=True)
        init_s = time.perf_counter() - t0
        plan = year_of_menus(db)
        m = analysis.matrix(db)

        t0 = time.perf_counter()
        for recipe, level in plan:
            analysis.analyse_recipe(db, recipe, level)
        single_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        grams = np.zeros((len(plan), len(m.codes)))
        for row, (recipe, level) in enumerate(plan):
            for code, g in recipe.edible_items(level):
                grams[row, m.index[code]] += g
        m.analyse_batch(grams)
        batch_s = time.perf_counter() - t0
        db.dispose()

        print("Qali Warma CAE — mediciones (make bench)")
        print(f"  init --demo sobre SQLite nueva (tabla de 928 alimentos + recetario): {init_s:.2f} s")
        print(f"  análisis de un año de menús ({len(plan)} = {DAYS} días × 2 comidas × 2 niveles):")
        print(f"    uno por uno, con detalle de datos faltantes: {single_s:.3f} s "
              f"= {len(plan) / single_s:,.0f} análisis/s")
        print(f"    como un producto de matrices:               {batch_s:.4f} s "
              f"= {len(plan) / batch_s:,.0f} análisis/s")
        try:
            times = bench_startup(db_path)
            print(f"  arranque hasta la ventana principal visible (offscreen, mediana de {len(times)}): "
                  f"{statistics.median(times):.2f} s  (cada una: {', '.join(f'{t:.2f}' for t in times)})")
        except (OSError, SystemExit, subprocess.SubprocessError) as exc:
            print(f"  arranque: no medido ({exc})")


if __name__ == "__main__":
    main()
