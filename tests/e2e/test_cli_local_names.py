"""`qaliwarma recipes local-name`: preparations' names in the community's language on the door poster."""

from __future__ import annotations

import subprocess

from tests.e2e.conftest import run


def test_local_name_set_list_clear_and_printed_on_the_poster(dbfile, tmp_path):
    r = run("recipes", "local-name", "sierra-api-pan-queso", "Api tantawan kesuwan", "--language", "Quechua",
            "--json", db=dbfile, check_json=True)
    assert r.returncode == 0, r.stderr
    assert r.doc["language"] == "quechua"
    assert r.doc["names"] == [{"id": "sierra-api-pan-queso",
                               "name": "Api de maíz morado con leche y pan de cebada con queso",
                               "local_name": "Api tantawan kesuwan"}]
    assert run("recipes", "local-name", "sierra-aji-pollo", "Wallpa uchu", db=dbfile).returncode == 0
    r = run("recipes", "local-names", db=dbfile)
    assert "Lengua de la comunidad: quechua" in r.stdout and "Wallpa uchu" in r.stdout

    out = tmp_path / "menu.pdf"
    assert run("report", "menu-poster", "1", "--out", str(out), db=dbfile).returncode == 0
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Api tantawan kesuwan" in text and "Wallpa uchu" in text and "debajo, su nombre en quechua" in text

    r = run("recipes", "local-name", "sierra-aji-pollo", "--clear", "--json", db=dbfile, check_json=True)
    assert r.returncode == 0 and [n["id"] for n in r.doc["names"]] == ["sierra-api-pan-queso"]
    assert run("report", "menu-poster", "1", "--out", str(out), db=dbfile).returncode == 0
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Wallpa uchu" not in text and "Api tantawan kesuwan" in text


def test_local_name_refuses_bad_input_with_exit_2(dbfile):
    r = run("recipes", "local-name", "no-existe", "Suti", db=dbfile)
    assert r.returncode == 2 and "no-existe" in r.stderr
    r = run("recipes", "local-name", "sierra-patachi", db=dbfile)
    assert r.returncode == 2 and "Falta el nombre" in r.stderr
    r = run("recipes", "local-name", "sierra-patachi", "Suti", "--clear", db=dbfile)
    assert r.returncode == 2 and "no los dos" in r.stderr
    r = run("recipes", "local-names", "--json", db=dbfile, check_json=True)
    assert r.doc == {"language": "", "names": []}  # nothing was written by the refused commands
