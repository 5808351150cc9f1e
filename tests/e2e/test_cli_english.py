"""`qaliwarma --lang en` speaks English: the help of every command, what each command prints, and the
refusals (the same catalogue as the desktop app)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import run


def _helps(parser: argparse.ArgumentParser, path=()) -> dict[tuple, set[str]]:
    """Every help text of every (sub)command, by command path."""
    found = {path: {a.help for a in parser._actions if a.help and a.help != argparse.SUPPRESS}}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(_helps(sub, (*path, name)))
            found[path] |= {c.help for c in action._choices_actions if c.help}
    return found


def _parser_in(lang: str):
    from qaliwarma import cli, i18n

    i18n.install(lang)
    try:
        return _helps(cli.build_parser())
    finally:
        i18n.install("es")


def test_no_spanish_help_text_is_left_in_english():
    spanish, english = _parser_in("es"), _parser_in("en")
    assert set(spanish) == set(english) and len(spanish) > 40  # every command and subcommand
    untranslated = {path: texts & spanish[path] for path, texts in english.items()
                    if texts & spanish[path] - {"-h, --help", "show this help message and exit"}}
    assert not untranslated


def test_help_of_every_command_prints_in_english(dbfile):
    r = run("--lang", "en", "report", "--help", db=dbfile)
    assert r.returncode == 0
    assert "menu to post on the school door" in r.stdout and "kárdex" not in r.stdout


@pytest.mark.parametrize(("args", "english"), [
    (("menu", "list"), "01/11/2026 to 30/11/2026  84 preparations"),
    (("menu", "check", "1"), "84 preparations: "),
    (("stock",), " expires "),
    (("treasury", "balance", "--month", "2026-11"), "Balance for 2026-11 (draft)"),
    (("period", "list"), "No month closed."),
    (("calendar", "--year", "2026"), "Classes from 16/03/2026 to 18/12/2026: 172 school days."),
    (("foods", "search", "zzzz"), "No food contains «zzzz»."),
    (("stock", "kardex", "A52"), "balance"),
    (("verify",), "Committee 0456789: Journal intact: "),
    (("member", "list"), "Rosa Quispe Huamán               President "),
    (("menu", "check", "1"), "84 preparations: 84 comply, 0 low, 0 high, 0 without enough data."),
    # corn flour, bread and cheese: the classic costa breakfast stays short of iron (docs/recipe-bank.md)
    (("recipes", "show", "costa-leche-maiz-pan-queso", "--level", "primaria"),
     "below the target 4–5 mg: add sangrecita, liver, spleen, charqui or pulses"),
])
def test_commands_print_english(dbfile, args, english):
    r = run("--lang", "en", *args, db=dbfile)
    assert r.returncode in (0, 1), r.stderr
    assert english in r.stdout


def test_a_preparation_against_its_targets_reads_in_english_throughout(dbfile):
    """The standard's heading, «target», the verdicts and the estimate mark were printed in Spanish."""
    r = run("--lang", "en", "recipes", "show", "costa-leche-maiz-pan-queso", "--level", "primaria", db=dbfile)
    assert r.returncode == 0, r.stderr
    targets = r.stdout[r.stdout.index("Against the standard «"):]
    assert re.search(r"Iron +[0-9.]+ mg  target 4–5 mg +LOW", targets)
    assert re.search(r"Energy +[0-9.]+ kcal  target 355–405 kcal +meets", targets)
    assert "(estimate)" in targets
    assert not re.search(r"\b(meta|cumple|BAJO|estimado|Frente)\b", targets)


def test_refusals_are_in_english_and_spanish_stays_the_default(dbfile, tmp_path):
    out = tmp_path / "hoja.pdf"
    r = run("--lang", "en", "report", "dosing", "x", "--level", "primaria", "--children", "0", "--out", out, db=dbfile)
    assert r.returncode == 2 and r.stderr.strip() == "Error: The dosing sheet is for 1 child or more (0 was given)."
    r = run("report", "dosing", "x", "--level", "primaria", "--children", "0", "--out", out, db=dbfile)
    assert r.stderr.strip() == "Error: La hoja de dosificación es para 1 niño o más (se indicó 0)."
    r = run("--lang", "en", "stock", "kardex", "ZZZ", db=dbfile)
    assert r.returncode == 2 and "«ZZZ» is neither a code nor a known product." in r.stderr
    r = run("--lang", "en", "menu", "list", "--bogus", db=dbfile)
    assert r.returncode == 2 and "wrong usage" in r.stderr


def test_the_installed_script_follows_qaliwarma_lang(dbfile):
    """The console script itself (a real process), with the language from the environment."""
    r = run("period", "list", db=dbfile, subprocess=True, env={"QALIWARMA_LANG": "en"})
    assert r.returncode == 0 and r.stdout.strip() == "No month closed."


# ------------------------------------------------------------------------------------ refusals of the core
# What gives a Spanish sentence away, whatever it says: accents and ñ, ¿ ¡, and the small words every
# Spanish sentence has. Written here, not taken from the catalogue or the code under test.
SPANISH_MARKS = re.compile(r"[áéíóúñ¿¡]|\b(de|del|el|la|las|los|que|para|por|con|sin|una|está|están|debe|falta|"
                           r"faltan|escriba|elija|indique|fila|columna|archivo|niños|raciones|alimentos|ya|se|"
                           r"hay|tiene|es|son|mes|día|días)\b", re.I)
# Words kept in Spanish on purpose: what a user types (quoted «…»), the names of the spreadsheet columns
# (data: the sheet has them in Spanish), and Peruvian terms the English text uses as such.
KEPT = re.compile(r"«[^»]*»|\(use: [^)]*\)|\b\w+_\w+\b|\bcolumn \w+|expected: [\w, ]+|\b(céntimos|rendición|código modular)\b", re.I)


def spanish_left(text: str) -> list[str]:
    return SPANISH_MARKS.findall(KEPT.sub(" ", text))


def _files(folder: Path) -> dict[str, Path]:
    files = {
        "serve.csv": "fecha,comida,nivel,preparacion,raciones_servidas,asistentes,sobras\n"
                     "2026-11-05,desayuno,primaria,x,abc,1,0\n31/02/2026,desayuno,primaria,x,5,5,0\n",
        "gastos.csv": "fecha,rubro,tipo_documento,numero_documento,ruc_dni,proveedor,detalle,monto\n"
                      "2026-11-05,nada,boleta,B1,123,X,Y,1.250\n2026-11-06,alimentos,factura,F001-1,20604512371,,Papa,1e5\n",
        "acta.csv": "fecha,acta,producto\n2026-11-05,A-1,ZZ9\n",
        "plan.toml": '[[days]]\ndate = "2026-13-01"\n',
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return {name: folder / name for name in files}


REFUSED = [
    ("analyse", "A3"),
    ("analyse", "X9:10"),
    ("serve", "import", "{serve.csv}"),
    ("treasury", "import", "{gastos.csv}"),
    ("receive", "import", "{acta.csv}"),
    ("menu", "import", "{plan.toml}"),
    ("treasury", "transfer", "--date", "2026-11-05", "--amount", "-5"),
    ("treasury", "transfer", "--date", "2026-11-05", "--amount", "1.250,5,3"),
    ("treasury", "withdraw", "--date", "2026-11-05", "--amount", "0"),
    ("stock", "adjust", "--lot-id", "999", "--grams", "10", "--reason", "perdida"),
    ("stock", "adjust", "--lot-id", "1", "--grams", "0", "--reason", "perdida"),
    ("stock", "recall", "--lot", "NOEXISTE"),
    ("stock", "suspend", "--reason", "x"),
    ("stock", "kardex", "ZZZ"),
    ("incident", "record", "--kind", "otro", "--description", ""),
    ("incident", "record", "--kind", "ninos_enfermos", "--description", "Dolor", "--meal", "almuerzo"),
    ("recipes", "show", "nada", "--level", "primaria"),
    ("period", "close", "2026-12"),
    ("verify", "--code", "XYZ"),
    ("restore", "{nada.zip}"),
]


def test_the_cores_refusals_are_english_under_lang_en(dbfile, tmp_path):
    """Messages worded by the services, readers and domain checks (not by the command line): refused
    under --lang en, each says why in English; the same refusal without --lang is Spanish."""
    files = {**_files(tmp_path), "nada.zip": tmp_path / "nada.zip"}
    for command in REFUSED:
        args = [files[a[1:-1]] if a.startswith("{") else a for a in command]
        english = run("--lang", "en", *args, db=dbfile)
        assert english.returncode == 2, (command, english.stdout)
        assert english.stderr.startswith("Error: ") and len(english.stderr) > 20, (command, english.stderr)
        assert not spanish_left(english.stderr), (command, spanish_left(english.stderr), english.stderr)
        spanish = run(*args, db=dbfile)
        assert spanish.returncode == 2 and spanish_left(spanish.stderr), (command, spanish.stderr)
