"""Regenerate the pictures of the help guides from the application itself.

    python -m tools.help_screenshots            # every area
    python -m tools.help_screenshots menu raciones

Each area is opened on the demo committee at 1366×768 (offscreen, in a private data folder) with
``qaliwarma-gui --demo --screenshot``, and saved, scaled to 960 pixels wide, as
``resources/help/img/<area>.png``. Run it after changing what a page shows, and look at the pictures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "help" / "img"
WIDTH = 960


def shoot(areas: list[str]) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    OUT.mkdir(parents=True, exist_ok=True)
    saved = []
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QALIWARMA_DATA_DIR": data,
               "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        for n, area in enumerate(areas):
            raw = Path(data) / f"{area}.png"
            demo = ["--demo"] if n == 0 else []  # the demo committee is created once, by the first picture
            mode = ["--supervisor", "si" if area == "supervision" else "no"]  # Supervisión: supervisor mode only
            done = subprocess.run([sys.executable, "-m", "ui.app", *demo, "--screenshot", str(raw), "--page", area,
                                   *mode],
                                  cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
            if done.returncode != 0 or not raw.exists():
                print(f"{area}: no se pudo tomar la imagen\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            image = QImage(str(raw)).scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
            image = image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)
            target = OUT / f"{area}.png"
            image.save(str(target), "PNG")
            saved.append(target)
            print(target.relative_to(ROOT))
    return saved


def main(argv: list[str] | None = None) -> int:
    from ui.main_window import AREAS

    wanted = list(argv if argv is not None else sys.argv[1:]) or list(AREAS)
    unknown = [a for a in wanted if a not in AREAS]
    if unknown:
        print(f"Áreas desconocidas: {', '.join(unknown)} (hay: {', '.join(AREAS)})", file=sys.stderr)
        return 2
    return 0 if len(shoot(wanted)) == len(wanted) else 1


if __name__ == "__main__":
    sys.exit(main())
