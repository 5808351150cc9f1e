"""Build the Debian/Ubuntu package from the frozen folder (`make dist` runs it after PyInstaller).

    python installer/build_deb.py dist/QaliWarmaCAE dist     # → dist/qaliwarma-cae_VERSION_ARCH.deb

Layout: the frozen folder as /opt/qaliwarma-cae/, /usr/bin/qaliwarma and /usr/bin/qaliwarma-gui (small
scripts that run the programs there), a desktop entry in the applications menu, the icon. The
committee's data is never in the package: it lives in ~/.local/share/QaliWarmaCAE, which removing or
upgrading the package does not touch.

Depends: the system libraries Qt's xcb (X11) and Wayland platforms load that PyInstaller does not bundle.
Found with `ldd` on the frozen Qt plugins (platforms/libqxcb.so, xcbglintegrations/, libQt6XcbQpa,
platforms/libqwayland.so…) with the bundle on LD_LIBRARY_PATH: libxcb-icccm.so.4, libxcb-keysyms.so.1,
libwayland-cursor.so.0, libwayland-egl.so.1 are "not found" on a bare system; libxcb.so.1, libEGL, libGL,
libwayland-client are taken from the system. The rest of Qt's documented xcb requirements are listed
too, so a system copy exists when the bundled one is not usable. `--check` repeats that ldd check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "qaliwarma-cae"
DEPENDS = [
    "libc6 (>= 2.31)",
    "libxcb1", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxcb-image0", "libxcb-render-util0",
    "libxcb-randr0", "libxcb-shape0", "libxcb-xkb1", "libxcb-xfixes0", "libxkbcommon-x11-0", "libx11-xcb1",
    "libegl1", "libgl1", "libglx0", "libglvnd0", "libdrm2", "libfontconfig1", "libdbus-1-3",
    "libwayland-client0", "libwayland-cursor0", "libwayland-egl1",
]
# Library file → the Debian package that ships it, for every library the frozen Qt may look for on the
# system (used by --check to prove DEPENDS covers what ldd reports).
PROVIDERS = {
    "libxcb.so.1": "libxcb1", "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1", "libGLX.so.0": "libglx0", "libGLdispatch.so.0": "libglvnd0",
    "libwayland-client.so.0": "libwayland-client0", "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1", "libdrm.so.2": "libdrm2",
}
BASE = ("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libresolv.so.2",
        "ld-linux-x86-64.so.2", "linux-vdso.so.1")
DESKTOP = """[Desktop Entry]
Type=Application
Name=Qali Warma CAE
GenericName=Comité de Alimentación Escolar
Comment=Menús, almacén, raciones y rendición de cuentas del CAE (Qali Warma / PAE)
Exec=/usr/bin/qaliwarma-gui
Icon={package}
Terminal=false
Categories=Office;Education;
Keywords=Qali Warma;PAE;CAE;menú;almacén;raciones;
StartupWMClass=qaliwarma-gui
"""
LAUNCHER = """#!/bin/sh
exec /opt/{package}/{program} "$@"
"""


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from qaliwarma import __version__

    return __version__


def system_libraries(folder: Path) -> dict[str, str]:
    """Library → where the system resolves it ("not found" included), for the frozen Qt plugins."""
    internal = folder.resolve() / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    qt = internal / "PySide6" / "Qt"
    files = [*qt.glob("plugins/platforms/*.so"), *qt.glob("plugins/xcbglintegrations/*.so"),
             *qt.glob("plugins/wayland-*/*.so"), *qt.glob("lib/*.so*"), *internal.glob("PySide6/*.so*")]
    found: dict[str, str] = {}
    for f in files:
        out = subprocess.run(["ldd", str(f)], capture_output=True, text=True, env=env).stdout
        for line in out.splitlines():
            parts = line.split()
            if "=>" in parts and len(parts) >= 3 and not parts[2].startswith(str(internal)):
                found.setdefault(parts[0], "not found" if parts[2] == "not" else parts[2])
    return found


def check(folder: Path) -> list[str]:
    """Libraries the frozen Qt takes from the system that no package in DEPENDS provides."""
    names = {d.split()[0] for d in DEPENDS}
    return [f"{lib} ({where})" for lib, where in sorted(system_libraries(folder).items())
            if lib not in BASE and PROVIDERS.get(lib) not in names]


def build(folder: Path, out_dir: Path) -> Path:
    if not (folder / "qaliwarma").is_file() or not (folder / "qaliwarma-gui").is_file():
        raise SystemExit(f"{folder} no es la carpeta congelada (faltan qaliwarma y qaliwarma-gui): corra make dist")
    missing = check(folder)
    if missing:
        raise SystemExit("Depends no cubre estas bibliotecas que Qt busca en el sistema: " + ", ".join(missing))
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as name:
        root = Path(name) / "pkg"
        shutil.copytree(folder, root / "opt" / PACKAGE, symlinks=True)
        for program in ("qaliwarma", "qaliwarma-gui"):
            launcher = root / "usr" / "bin" / program
            launcher.parent.mkdir(parents=True, exist_ok=True)
            launcher.write_text(LAUNCHER.format(package=PACKAGE, program=program), encoding="utf-8")
            launcher.chmod(0o755)
        apps = root / "usr" / "share" / "applications"
        apps.mkdir(parents=True)
        (apps / f"{PACKAGE}.desktop").write_text(DESKTOP.format(package=PACKAGE), encoding="utf-8")
        icons = root / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps"
        icons.mkdir(parents=True)
        shutil.copy(ROOT / "resources" / "icons" / "qaliwarma.png", icons / f"{PACKAGE}.png")
        size_kb = sum(f.stat().st_size for f in root.rglob("*") if f.is_file() and not f.is_symlink()) // 1024
        control = root / "DEBIAN" / "control"
        control.parent.mkdir()
        control.write_text(
            f"Package: {PACKAGE}\nVersion: {version()}\nArchitecture: {arch}\n"
            f"Maintainer: Qali Warma CAE <qaliwarma-cae@users.noreply.github.com>\n"
            f"Installed-Size: {size_kb}\nSection: misc\nPriority: optional\nDepends: {', '.join(DEPENDS)}\n"
            "Description: Comité de Alimentación Escolar (Qali Warma / PAE)\n"
            " Aplicación de escritorio y línea de comandos para los comités: tabla peruana de\n"
            " composición de alimentos, recetario regional, menús y su cumplimiento, almacén,\n"
            " raciones, tesorería y rendición de cuentas. Funciona sin internet. Los datos del\n"
            " comité quedan en ~/.local/share/QaliWarmaCAE y no se borran al desinstalar.\n",
            encoding="utf-8")
        for d in [root, *(p for p in root.rglob("*") if p.is_dir())]:
            d.chmod(0o755)
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{PACKAGE}_{version()}_{arch}.deb"
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", str(root), str(target)], check=True,
                       stdout=subprocess.DEVNULL)
    return target


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--check":
        missing = check(Path(argv[1]))
        print("\n".join(missing) if missing else "Depends cubre todas las bibliotecas del sistema que Qt busca.")
        return 1 if missing else 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    target = build(Path(argv[0]), Path(argv[1]))
    print(f"{target} ({target.stat().st_size / 2**20:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
