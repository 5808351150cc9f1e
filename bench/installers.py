"""What the committee downloads and how fast the installed program opens (part of `make bench`).

- the frozen folder's size (dist/QaliWarmaCAE, built by `make dist`) and the installers' sizes where
  built (the .deb here; the Windows installer only on a Windows runner);
- start-up to the main window shown (offscreen), frozen vs the source checkout, and to the committee's
  data loaded: one warm-up each, then runs alternating frozen and source (so both meet the same load),
  medians. Goal: the frozen program no slower than the source.

    python -m bench.installers      # only these figures, on a fresh demo database
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "dist" / "QaliWarmaCAE"


def _probe(exe: Path, db_path: Path, data_dir: Path) -> tuple[float, float]:
    """Seconds from process start to the window shown and to the data loaded (``--startup-probe``)."""
    import time

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    if exe.parent != FROZEN:
        env["PYTHONPATH"] = str(ROOT)  # the source checkout's code, as `make run` runs it
    env.update(QT_QPA_PLATFORM="offscreen", QALIWARMA_DATA_DIR=str(data_dir))
    start = time.time()
    out = subprocess.run([str(exe), "--db", str(db_path), "--startup-probe"], capture_output=True, text=True,
                         env=env, timeout=180, cwd=data_dir)
    marks = dict(ln.split() for ln in out.stdout.splitlines() if ln.startswith(("window-shown", "data-ready")))
    if "window-shown" not in marks or "data-ready" not in marks:
        raise RuntimeError(f"{exe.name} did not report the window: {out.stdout[-500:]} {out.stderr[-1500:]}")
    return float(marks["window-shown"]) - start, float(marks["data-ready"]) - start


def _size(path: Path) -> tuple[int, int]:
    files = [f for f in path.rglob("*") if f.is_file() and not f.is_symlink()]
    return sum(f.stat().st_size for f in files), len(files)


def report(db_path: Path, runs: int = 3) -> None:
    if not (FROZEN / "qaliwarma-gui").exists() and not (FROZEN / "qaliwarma-gui.exe").exists():
        print("  instaladores: no medidos (dist/QaliWarmaCAE no existe: corra `make dist`)")
        return
    size, count = _size(FROZEN)
    print(f"  carpeta congelada dist/QaliWarmaCAE: {size / 2**20:.0f} MB en {count:,} archivos")
    for pattern in ("qaliwarma-cae_*.deb", "QaliWarmaCAE-*-instalador.exe"):
        for built in sorted((ROOT / "dist").glob(pattern)):
            print(f"  instalador {built.name}: {built.stat().st_size / 2**20:.0f} MB")
    suffix = ".exe" if os.name == "nt" else ""
    programs = {"congelado": FROZEN / f"qaliwarma-gui{suffix}",
                "código fuente": Path(sys.executable).with_name(f"qaliwarma-gui{suffix}")}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in programs}
    with tempfile.TemporaryDirectory() as data:
        for exe in programs.values():
            _probe(exe, db_path, Path(data))  # warm-up: the disk cache, as a second opening
        for _ in range(runs):
            for name, exe in programs.items():
                times[name].append(_probe(exe, db_path, Path(data)))
    for name, pairs in times.items():
        shown = [s for s, _r in pairs]
        print(f"  arranque ({name}) hasta la ventana visible: {statistics.median(shown):.2f} s "
              f"(cada una: {', '.join(f'{t:.2f}' for t in shown)}); con los datos cargados: "
              f"{statistics.median(r for _s, r in pairs):.2f} s")
    frozen = statistics.median(s for s, _r in times["congelado"])
    source = statistics.median(s for s, _r in times["código fuente"])
    print(f"  congelado / código fuente (ventana visible): {frozen / source:.2f}×")


def main() -> None:
    from qaliwarma.persistence.engine import open_database
    from qaliwarma.services.setup import initialise

    print("Qali Warma CAE — instaladores (python -m bench.installers)")
    with tempfile.TemporaryDirectory() as name:
        db_path = Path(name) / "bench.sqlite3"
        db = open_database(f"sqlite:///{db_path}")
        initialise(db, demo=True)
        db.dispose()
        report(db_path)


if __name__ == "__main__":
    main()
