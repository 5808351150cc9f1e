"""Printed documents follow the language: `qaliwarma --lang en report …` prints the reports toolkit's
documents (reception record, kardex, rations register, expiry and incident reports, treasury balance,
cash book and assembly minutes, menu poster, dosing sheet, compliance report, monthly report) in English; without
--lang they stay in Spanish, what a committee hands to a Peruvian supervisor. Read back with pdftotext;
the expected words are written here, not taken from the catalogue."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from tests.core.test_reports import pages, squeeze
from tests.e2e.conftest import run

SPANISH_WORDS = re.compile(r"\b(Página|Impreso el|Firmas?|Fecha|Saldo|Total del mes|Productos recibidos|Lote|"
                           r"Vence|Comité saliente|Conformidad|Registro mensual|Balance de gastos)\b")

# (report arguments, words of the English document, its Spanish title)
DOCUMENTS = [
    (("reception", "AER-2026-000731"), ["Food reception record", "Products received", "Before receiving, it was "
                                        "checked that:", "Page 1 of"], "Acta de recepción de alimentos"),
    (("kardex", "A52"), ["Store kardex", "Issued to the kitchen: lunch, primary", "Entry by acta AER-2026-000731"],
     "Kárdex de almacén"),
    (("rations", "--month", "2026-11"), ["Monthly rations register", "Total rations of the day", "November 2026"],
     "Registro mensual de raciones"),
    (("expiry", "--days", "30"), ["Expired and expiring products", "What to do"], "Productos vencidos y por vencer"),
    (("incidents", "--month", "2026-11"), ["Incident report", "What happened", "Referred to the health post"],
     "Informe de incidencias"),
    (("balance", "--month", "2026-11"), ["Expense balance", "Expenses per heading", "State: Draft"], "Balance de gastos"),
    (("cash-book", "--month", "2026-11"), ["Cash book", "Transfer Banco de la Nación"], "Libro caja"),
    (("acta-rendicion", "--month", "2026-11"), ["Assembly record", "1. Money received from the programme"],
     "Acta de asamblea"),
    (("menu-poster", "1"), ["School menu from 02/11 to 06/11", "Breakfast", "Pre-school and Primary"],
     "Menú escolar"),
    (("dosing", "costa-causa-atun", "--level", "primaria", "--children", "120"),
     ["Dosing sheet", "Weight per child", "Total for 120 children"], "Ficha de dosificación"),
    (("compliance", "1"), ["Nutrition compliance report", "Rule"], "Informe de cumplimiento nutricional"),
    (("monthly", "--month", "2026-11"), ["Summary of November 2026", "What does not add up", "Verification code"],
     "Resumen de noviembre de 2026"),
]


@pytest.mark.parametrize(("args", "english", "spanish_title"), DOCUMENTS, ids=[d[0][0] for d in DOCUMENTS])
def test_a_document_prints_in_english_under_lang_en_and_in_spanish_by_default(dbfile, tmp_path, args, english,
                                                                             spanish_title):
    out_en, out_es = tmp_path / "en.pdf", tmp_path / "es.pdf"
    done = run("--lang", "en", "report", *args, "--out", out_en, db=dbfile)
    assert done.returncode == 0, done.stderr
    text = squeeze(" ".join(pages(out_en)))
    for words in english:
        assert words in text, (words, text[:600])
    assert spanish_title not in text
    assert not SPANISH_WORDS.findall(text), SPANISH_WORDS.findall(text)
    assert run("report", *args, "--out", out_es, db=dbfile).returncode == 0
    spanish = squeeze(" ".join(pages(out_es)))
    assert spanish_title in spanish and "Página 1 de" in spanish and "Page 1 of" not in spanish


def test_the_month_exported_in_english_is_the_same_bundle_with_the_same_verification_code(dbfile, tmp_path):
    """The bundle is the programme's record: exported from an English window or command line it holds the
    same files as in Spanish, so the verification code printed on a report in either language matches it."""
    codes = {}
    for lang in ("es", "en"):
        out = tmp_path / f"{lang}.zip"
        done = run("--lang", lang, "export", "--month", "2026-11", "--out", out, "--json", db=dbfile)
        assert done.returncode == 0, done.stderr
        codes[lang] = json.loads(done.stdout)
    assert codes["es"]["verification_code"] == codes["en"]["verification_code"]
    with zipfile.ZipFile(tmp_path / "es.zip") as es, zipfile.ZipFile(tmp_path / "en.zip") as en:
        assert es.read("cumplimiento.json") == en.read("cumplimiento.json")
        assert "se cumple en todo el plan" in en.read("cumplimiento.json").decode("utf-8")  # a rule, in Spanish
    printed = run("--lang", "en", "report", "monthly", "--month", "2026-11", "--out", tmp_path / "m.pdf", db=dbfile)
    assert codes["es"]["verification_code"] in printed.stdout
