"""The monthly report's first page is the summary a supervisor reads: it stays on that one page."""

from __future__ import annotations

import subprocess

from tests.e2e.conftest import run


def test_the_summary_and_its_observations_stay_on_the_first_page(dbfile, tmp_path):
    # the demo's open November has nine observations: at the smallest type the list used to push its last
    # line («El detalle de cada observación…») alone onto page 2
    out = tmp_path / "informe.pdf"
    r = run("report", "monthly", "--month", "2026-11", "--out", str(out), db=dbfile)
    assert r.returncode == 0, r.stderr
    pages = [" ".join(p.split()) for p in subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                                                           text=True, check=True).stdout.split("\f")]
    assert "Lo que no cuadra" in pages[0]
    if "observaciones; las mismas que verá el supervisor" in pages[0] and "El mes no está cerrado" in pages[0]:
        assert "El detalle de cada observación está en «Lo que no cuadra», al final del informe." in pages[0]
    assert "El detalle de cada observación" not in pages[1]
