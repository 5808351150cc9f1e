"""Printed documents from the command line."""

from __future__ import annotations

from tests.e2e.conftest import run


def test_poster_dosing_and_compliance_pdfs(dbfile, tmp_path):
    for args in (("menu-poster", "1"), ("dosing", "sierra-patachi", "--level", "primaria", "--children", "142"),
                 ("compliance", "1")):
        out = tmp_path / f"{args[0]}.pdf"
        r = run("report", *args, "--out", str(out), db=dbfile)
        assert r.returncode == 0, r.stderr
        data = out.read_bytes()
        assert data.startswith(b"%PDF") and b"DejaVuSans" in data  # fonts embedded: ñ and accents print


def test_report_refuses_bad_output_and_unknown_recipe(dbfile, tmp_path):
    r = run("report", "dosing", "sierra-patachi", "--level", "primaria", "--children", "10",
            "--out", str(tmp_path / "ficha.txt"), db=dbfile)
    assert r.returncode == 2 and "debe terminar en .pdf" in r.stderr
    r = run("report", "dosing", "no-existe", "--level", "primaria", "--children", "10",
            "--out", str(tmp_path / "ficha.pdf"), db=dbfile)
    assert r.returncode == 2 and "no-existe" in r.stderr and not (tmp_path / "ficha.pdf").exists()
