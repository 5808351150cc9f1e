"""Backup and restore of a school year of records (issue 13), timed for `make bench`.

Uses the database `bench_stock` leaves behind (a year of deliveries and services imported from files),
or any SQLite file given: a backup to a folder (the online copy, its manifest and the zip), the complete
verification of that file, and its restore onto a fresh data folder (verification included).
"""

from __future__ import annotations

import time
from pathlib import Path

from qaliwarma.persistence.engine import open_database
from qaliwarma.services import backup


def bench_backup(db_path: Path, tmp: Path) -> None:
    db = open_database(f"sqlite:///{db_path}")
    folder = tmp / "usb"
    folder.mkdir(exist_ok=True)
    start = time.perf_counter()
    made = backup.create(db, folder=folder)
    backup_s = time.perf_counter() - start
    db.dispose()
    entries = sum(c.entries for c in made.committees)
    start = time.perf_counter()
    backup.verify(made.path)
    verify_s = time.perf_counter() - start
    start = time.perf_counter()
    done = backup.restore(made.path, tmp / "restaurada" / "qaliwarma.sqlite3")
    restore_s = time.perf_counter() - start
    print(f"  copia de seguridad de un año de registros ({entries:,} asientos, base de "
          f"{db_path.stat().st_size / 1e6:.1f} MB → archivo de {made.size / 1e6:.1f} MB): {backup_s:.2f} s; "
          f"verificarla: {verify_s:.2f} s; restaurarla en una carpeta nueva (con verificación): {restore_s:.2f} s")
    assert done.database.exists()
