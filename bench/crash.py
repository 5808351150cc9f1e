"""Crash test (issue 11): kill -9 `init`, `init --demo` and each importer at a random moment, then check
that the database is still whole and that the operation happened entirely or not at all.

    python -m bench.crash [--trials 60] [--seed 11]

After each kill: `PRAGMA integrity_check` is «ok»; `qaliwarma verify` exits 0; and all-or-nothing:
- `init`: either no database file, or one that the next `init` completes to exactly the reference
  data of an uninterrupted run (foods, recipes, standards);
- `init --demo`: either no demo committee or the whole demo (same journal length as an uninterrupted
  run), and the next `init --demo` leaves the whole demo;
- importers (actas, services, expenses): the journal grew by 0 or by exactly the file's entries.
A trial that breaks any of these is «missed». Prints trials, caught (all checks held) and missed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = str(Path(sys.executable).with_name("qaliwarma"))
# the demo as of 25/11; the files record December 2026, imported as of its end (nothing is recorded ahead of today)
ENV = {**os.environ, "QALIWARMA_DEMO_TODAY": "2026-11-25", "QALIWARMA_TODAY": "2026-12-31", "QT_QPA_PLATFORM": "offscreen"}
# The demo's members have PINs (issue 13): each command is signed by the member whose role may record it
SIGNS = {"receive": "42345678", "serve": "42345678", "treasury": "45678901"}  # secretary, treasurer


def _env(args) -> dict[str, str]:
    return {**ENV, "QALIWARMA_MEMBER": SIGNS.get(args[0] if args else "", "41234567"), "QALIWARMA_PIN": "1234"}


def _run(db: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, "--db", str(db), *args], capture_output=True, text=True, env=_env(args),
                          timeout=timeout)


def _killed_at(db: Path, delay: float, *args: str) -> bool:
    """Start the command, kill -9 it after ``delay`` seconds; True if it was still running (a run
    that finished first is undone by the caller and drawn again, so every trial is a real kill)."""
    proc = subprocess.Popen([EXE, "--db", str(db), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=_env(args))
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return True


def _until_killed(db: Path, rng: random.Random, latest: float, args: tuple[str, ...], *,
                  template: Path | None = None, tries: int = 4) -> bool:
    """Run the command on a fresh database (none, or a copy of ``template``) and kill it at a random
    moment before ``latest`` seconds, again if it finished first; True once a run was killed."""
    for _ in range(tries):
        for old in db.parent.glob(db.name + "*"):
            old.unlink()
        if template is not None:
            shutil.copy(template, db)
        if _killed_at(db, rng.uniform(0.05, latest), *args):
            return True
    return False


def _count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def _reference(db: Path) -> tuple[int, int, int]:
    return (_count(db, "SELECT COUNT(*) FROM foods"), _count(db, "SELECT COUNT(*) FROM recipes"),
            _count(db, "SELECT COUNT(*) FROM standard_sets"))


def _journal(db: Path) -> int:
    return _count(db, "SELECT COUNT(*) FROM journal_entries")


def _files(folder: Path) -> dict[str, Path]:
    acta = ["fecha;acta;proveedor_ruc;proveedor;producto;marca;presentacion;unidad;cantidad;lote;fecha_produccion;"
            "fecha_vencimiento;registro_sanitario;estado_envase;conformidad;observacion"]
    for n in range(40):
        acta.append(f"{1 + n % 20:02d}/12/2026;CR-{n};20604512370;Distribuidora Sur;Lentejas;Don Grano;1 kg;BOLSA;"
                    f"{10 + n};LEN-{n};01/09/2026;01/09/2027;A111N/NADSA;bueno;conforme;")
    services = ["fecha,comida,nivel,preparacion,raciones_servidas,asistentes,origen_fuera"]
    for day in range(1, 3):
        for level in ("inicial", "primaria"):
            services.append(f"{day:02d}/12/2026,desayuno,{level},sierra-api-pan-queso,10,11,aporte de padres")
    expenses = ["fecha;rubro;tipo_documento;numero_documento;ruc_dni;proveedor;detalle;monto"]
    for n in range(30):
        expenses.append(f"{1 + n % 20:02d}/12/2026;Gas;boleta;B001-{900000 + n};20604512370;Gas SAC;Balón;1,00")
    out = {}
    for name, lines in (("actas.csv", acta), ("servicios.csv", services), ("gastos.csv", expenses)):
        out[name] = folder / name
        out[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


IMPORTERS = {  # name → (command, file, journal entries it adds)
    "receive import": (("receive", "import"), "actas.csv", 40),
    "serve import": (("serve", "import"), "servicios.csv", 4),
    "treasury import": (("treasury", "import"), "gastos.csv", 30),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="qw-crash-"))
    try:
        # Uninterrupted runs: how long each takes and what it leaves.
        clean = tmp / "clean.sqlite3"
        started = time.perf_counter()
        _run(clean, "init").check_returncode()
        t_init = time.perf_counter() - started
        reference = _reference(clean)
        demo = tmp / "demo.sqlite3"
        started = time.perf_counter()
        _run(demo, "init", "--demo").check_returncode()
        t_demo = time.perf_counter() - started
        demo_journal = _journal(demo)
        files = _files(tmp)
        t_import = {}
        for name, (command, file, added) in IMPORTERS.items():
            probe = tmp / "probe.sqlite3"
            shutil.copy(demo, probe)
            started = time.perf_counter()
            r = _run(probe, *command, str(files[file]))
            if r.returncode != 0 or _journal(probe) != demo_journal + added:
                raise SystemExit(f"{name} does not import the bench file: {r.stderr}")
            t_import[name] = time.perf_counter() - started
            probe.unlink()
        print(f"uninterrupted: init {t_init:.1f} s, init --demo {t_demo:.1f} s, "
              + ", ".join(f"{k} {v:.1f} s" for k, v in t_import.items()))

        kinds = ["init", "init --demo", *IMPORTERS]
        trials, caught, missed, not_killed, failures = 0, 0, 0, 0, []
        for n in range(args.trials):
            kind = kinds[n % len(kinds)]
            db = tmp / f"t{n}.sqlite3"
            problems: list[str] = []
            if kind == "init":
                killed = _until_killed(db, rng, 0.8 * t_init, ("init",))
                if db.exists():
                    if _integrity(db) != "ok":
                        problems.append("integrity_check")
                    if _run(db, "verify").returncode != 0:
                        problems.append("verify after the kill")
                    _run(db, "init").check_returncode()
                    if _reference(db) != reference:
                        problems.append(f"reference data {_reference(db)} != {reference}")
            elif kind == "init --demo":
                killed = _until_killed(db, rng, 0.8 * t_demo, ("init", "--demo"))
                if db.exists():
                    if _integrity(db) != "ok":
                        problems.append("integrity_check")
                    if _run(db, "verify").returncode != 0:
                        problems.append("verify after the kill")
                    entries = _journal(db)
                    if entries not in (0, demo_journal):
                        problems.append(f"partial demo: {entries} of {demo_journal} entries")
                    _run(db, "init", "--demo").check_returncode()
                    if _journal(db) != demo_journal:
                        problems.append(f"the next init --demo left {_journal(db)} entries")
            else:
                command, file, added = IMPORTERS[kind]
                killed = _until_killed(db, rng, 0.8 * t_import[kind], (*command, str(files[file])), template=demo)
                if _integrity(db) != "ok":
                    problems.append("integrity_check")
                if _run(db, "verify").returncode != 0:
                    problems.append("verify after the kill")
                if _journal(db) - demo_journal not in (0, added):
                    problems.append(f"partial import: {_journal(db) - demo_journal} of {added} entries")
            trials += 1
            not_killed += not killed
            if problems:
                missed += 1
                failures.append(f"trial {n} ({kind}): {'; '.join(problems)}")
            else:
                caught += 1
            for leftover in tmp.glob(f"t{n}.sqlite3*"):
                leftover.unlink()
        print(f"crash test: {trials} trials ({trials - not_killed} killed with kill -9, {not_killed} finished "
              f"first), {caught} caught "
              f"(whole or nothing, integrity ok, verify ok), {missed} missed")
        for line in failures:
            print("  MISSED", line)
        if missed:
            raise SystemExit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
