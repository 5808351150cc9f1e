"""A table of thousands of rows opened in a view (part of `make bench`): a year's kardex of one product
(5,000 movements) in the Almacén page's table, from handing the rows to the model to the view painted.

    python -m bench.tables      → the time in ms on stdout
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from decimal import Decimal

ROWS = 5000


def measure(rows: int = ROWS, wrap: bool = False) -> float:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from qaliwarma.services.store_views import KardexRow
    from ui import theme
    from ui.models.stock_store import KardexModel
    from ui.widgets.table import DataTable

    app = QApplication.instance() or QApplication(sys.argv[:1])
    theme.apply(app)
    balance, data = Decimal(0), []
    for n in range(rows):
        grams = Decimal(25000) if n % 20 == 0 else Decimal(-(1200 + n % 700))
        balance += grams
        data.append(KardexRow(date(2027, 3, 1) + timedelta(days=n // 20), n + 1,
                              "Recepción" if grams > 0 else "Salida a cocina (servicio)", f"L-{n // 20:03d}", grams,
                              balance))
    model = KardexModel()
    table = DataTable(stretch_column=1, wrap=wrap)
    table.setModel(model)
    table.resize(1100, 600)
    table.show()
    app.processEvents()
    start = time.perf_counter()
    model.set_rows(data)
    app.processEvents()  # laid out and painted
    took = time.perf_counter() - start
    table.close()
    return took


def report() -> None:
    import os
    import subprocess

    from bench.table import record

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-m", "bench.tables"], capture_output=True, text=True, env=env, timeout=300)
    try:
        took = float(out.stdout.split()[-1]) / 1000
    except (IndexError, ValueError):
        print(f"  tabla de {ROWS:,} filas: no medida ({out.stderr[-800:]})")
        return
    print(f"  kárdex de un año ({ROWS:,} movimientos) mostrado en su tabla: {took * 1000:.0f} ms")
    record(f"tabla de {ROWS:,} filas (kárdex de un año) abierta", "≤ 0,2 s", f"{took:.2f} s", took <= 0.2)


if __name__ == "__main__":
    print(f"{measure(wrap='--wrap' in sys.argv) * 1000:.1f}")
