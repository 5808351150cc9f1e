"""`qaliwarma --lang en` speaks English: the help of every command, what each command prints, and the
refusals (the same catalogue as the desktop app)."""

from __future__ import annotations

import argparse

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
])
def test_commands_print_english(dbfile, args, english):
    r = run("--lang", "en", *args, db=dbfile)
    assert r.returncode in (0, 1), r.stderr
    assert english in r.stdout


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
