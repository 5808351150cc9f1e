"""Smoke tests of what a committee installs, run by .ci/run from outside the checkout.

    python installer/smoke.py wheel              # build the wheel, pip install it into an empty venv, check
    python installer/smoke.py frozen dist/QaliWarmaCAE   # the PyInstaller folder
    python installer/smoke.py deb dist/qaliwarma-cae_0.1.0_amd64.deb   # install, check, uninstall (root)

Each check runs in a fresh temporary folder (the working directory, the data folder), with no
PYTHONPATH and no QALIWARMA_* overrides, so the application must find its food table, recipe bank,
fonts and translations by itself: `init --demo`, `report monthly` (a PDF with its verification code),
`verify` (the journal's chain intact) and the GUI's `--screenshot` offscreen (a 1366×768 PNG).
Exit 0 when everything passed; otherwise the failing step and its output, exit 1.
Only the standard library is used: the script must run before anything is installed.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_MONTH = "2026-11"  # qaliwarma/services/demo.py: DEMO_MONTH
SCREENSHOT_SIZE = (1366, 768)  # ui/app.py: SCREENSHOT_SIZE
FIRST_PAGE_FLAG = "--primera-pagina"  # ui/first_page.py: FLAG


class Failed(Exception):
    pass


def clean_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("QALIWARMA_")
           and k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE")}
    env.update(QALIWARMA_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen", QALIWARMA_DEMO_TODAY="2026-11-26")
    return env


def run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300) -> str:
    start = time.monotonic()
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    print(f"  {' '.join(str(c) for c in cmd)}  → {r.returncode} ({time.monotonic() - start:.1f} s)", flush=True)
    if r.returncode != 0:
        raise Failed(f"{cmd[0]} {' '.join(str(c) for c in cmd[1:])} terminó con {r.returncode}:\n"
                     f"{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return r.stdout


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failed(f"{path} no es una imagen PNG")
    return struct.unpack(">II", head[16:24])


def check_app(cli: Path | str, gui: Path | str, work: Path) -> None:
    """The four checks on a fresh data folder inside ``work`` (which must be outside the checkout)."""
    data = work / "datos"
    env = clean_env(data)
    out = run([cli, "init", "--demo"], cwd=work, env=env)
    if not (data / "qaliwarma.sqlite3").is_file():
        raise Failed(f"init --demo no creó la base en la carpeta de datos {data}:\n{out}")
    pdf = work / "informe.pdf"
    out = run([cli, "report", "monthly", "--month", DEMO_MONTH, "--out", pdf], cwd=work, env=env)
    if not pdf.is_file() or pdf.read_bytes()[:5] != b"%PDF-" or pdf.stat().st_size < 10_000:
        raise Failed(f"report monthly no escribió un PDF en {pdf}")
    if not out.strip():
        raise Failed("report monthly no imprimió su código de verificación")
    out = run([cli, "verify"], cwd=work, env=env)
    if "Comité" not in out:
        raise Failed(f"verify no informó del comité de demostración:\n{out}")
    shot = work / "ventana.png"
    # signed in as the demo's president (PIN 1234, README): the whole window loads, not the sign-in dialog
    run([gui, "--screenshot", shot], cwd=work, env={**env, "QALIWARMA_MEMBER": "41234567", "QALIWARMA_PIN": "1234"},
        timeout=180)
    if shot.stat().st_size < 50_000:  # «Abriendo…» over an empty window is about 25 KB; the filled Inicio ~190 KB
        raise SystemExit(f"La captura {shot} parece vacía ({shot.stat().st_size} bytes): la ventana no cargó.")
    if png_size(shot) != SCREENSHOT_SIZE:
        raise Failed(f"la captura mide {png_size(shot)}, no {SCREENSHOT_SIZE}")
    # the window's second process (ui/first_page.py), as this copy starts it: its first page, pickled, names the
    # demo's school (a copy where it fails still opens, reading everything itself, only later)
    first = subprocess.run([str(gui), FIRST_PAGE_FLAG], cwd=work, capture_output=True, timeout=180,
                           env={**env, "QALIWARMA_MEMBER": "41234567", "QALIWARMA_PIN": "1234"})
    if first.returncode != 0 or not first.stdout.startswith(b"\x80") or b"Candelaria" not in first.stdout:
        raise Failed(f"{gui} {FIRST_PAGE_FLAG} no leyó la primera página (código {first.returncode}, "
                     f"{len(first.stdout)} bytes)")
    print(f"  ok: init --demo, report monthly ({pdf.stat().st_size // 1024} KB), verify, "
          f"--screenshot ({shot.stat().st_size // 1024} KB), {FIRST_PAGE_FLAG} ({len(first.stdout)} bytes)")


def wheel(work: Path) -> None:
    """Build the wheel, install it into an empty virtual environment, run the checks."""
    wheels = work / "wheel"
    env = clean_env(work / "datos")  # no PYTHONPATH: pip must not take the checkout for an installed copy
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, ROOT], cwd=work, env=env,
        timeout=600)
    built = sorted(wheels.glob("qaliwarma_cae-*.whl"))
    if not built:
        raise Failed("pip wheel no produjo la rueda qaliwarma_cae-*.whl")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=work, env=env)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    run([bindir / "python", "-m", "pip", "install", "--quiet", built[0]], cwd=work, env=env, timeout=1800)
    for script in ("qaliwarma", "qaliwarma-gui"):
        if not (bindir / script).is_file():
            raise Failed(f"pip install de la rueda no creó el programa {bindir / script}")
    check_app(bindir / "qaliwarma", bindir / "qaliwarma-gui", work)


def frozen(folder: Path, work: Path) -> None:
    """The PyInstaller one-folder bundle: both programs side by side, nothing else needed."""
    suffix = ".exe" if os.name == "nt" else ""
    cli, gui = folder / f"qaliwarma{suffix}", folder / f"qaliwarma-gui{suffix}"
    for exe in (cli, gui):
        if not exe.is_file():
            raise Failed(f"falta {exe} en la carpeta congelada")
    copy = work / "QaliWarmaCAE"  # a copy elsewhere: nothing may point back into the checkout
    shutil.copytree(folder, copy, symlinks=True)
    # the compiled methods of the dataclasses (qaliwarma/codecache.py), shipped beside the bytecode: the copy
    # here is writable, so a table missing what the programs define would be written again by them
    tables = sorted(copy.glob("_internal/qaliwarma/__pycache__/dataclasses.*.marshal"))
    if len(tables) != 1 or tables[0].stat().st_size == 0:
        raise Failed(f"la carpeta congelada no trae la tabla de métodos compilados: {tables}")
    shipped = tables[0].read_bytes()
    check_app(copy / cli.name, copy / gui.name, work)
    if tables[0].read_bytes() != shipped:
        raise Failed(f"los programas compilaron métodos que {tables[0].name} no traía (make dist la construye)")


def deb(package: Path, work: Path) -> None:
    """Install the .deb, run the checks with the installed commands, uninstall: the data stays."""
    name = run(["dpkg-deb", "--field", package, "Package"], cwd=work).strip()
    home = work / "home"  # the data folder by default (no QALIWARMA_DATA_DIR): ~/.local/share/QaliWarmaCAE
    home.mkdir()
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package]  # Depends from the archive
    try:
        run(install, cwd=work, timeout=600)
    except Failed:  # an old package list: refresh it once
        run(["apt-get", "update", "-qq"], cwd=work, timeout=600)
        run(install, cwd=work, timeout=600)
    try:
        for path in ("/usr/bin/qaliwarma", "/usr/bin/qaliwarma-gui", f"/usr/share/applications/{name}.desktop"):
            if not Path(path).exists():
                raise Failed(f"el paquete no instaló {path}")
        check_app("/usr/bin/qaliwarma", "/usr/bin/qaliwarma-gui", work)
        env = {**clean_env(work), "HOME": str(home), "XDG_DATA_HOME": str(home / ".local/share")}
        env.pop("QALIWARMA_DATA_DIR")
        run(["/usr/bin/qaliwarma", "init"], cwd=work, env=env)
    finally:
        run(["dpkg", "--purge", name], cwd=work, timeout=300)
    for path in ("/usr/bin/qaliwarma", "/usr/bin/qaliwarma-gui", f"/opt/{name}"):
        if Path(path).exists():
            raise Failed(f"{path} sigue ahí después de desinstalar")
    if not (work / "datos" / "qaliwarma.sqlite3").is_file():
        raise Failed("desinstalar borró la carpeta de datos")
    if not (home / ".local/share/QaliWarmaCAE/qaliwarma.sqlite3").is_file():
        raise Failed("desinstalar borró ~/.local/share/QaliWarmaCAE")
    print("  ok: instalado, probado y desinstalado; la carpeta de datos sigue ahí")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("wheel", "frozen", "deb") or (argv[0] != "wheel" and len(argv) != 2):
        print(__doc__, file=sys.stderr)
        return 2
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="qaliwarma-smoke-") as name:
        work = Path(name)
        print(f"Prueba de humo ({argv[0]}) en {work}", flush=True)
        try:
            if argv[0] == "wheel":
                wheel(work)
            elif argv[0] == "frozen":
                frozen(Path(argv[1]).resolve(), work)
            else:
                deb(Path(argv[1]).resolve(), work)
        except (Failed, subprocess.TimeoutExpired) as exc:
            print(f"FALLÓ ({argv[0]}): {exc}", file=sys.stderr)
            return 1
    print(f"Prueba de humo ({argv[0]}) correcta en {time.monotonic() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
