"""Printed documents follow the language: `qaliwarma --lang en report …` prints the reports toolkit's
documents (reception record, kardex, rations register, expiry and incident reports, treasury balance,
cash book and assembly minutes, menu poster, dosing sheet, compliance report) in English; without
--lang they stay in Spanish, what a committee hands to a Peruvian supervisor. Read back with pdftotext;
the expected words are written here, not taken from the catalogue."""

from __future__ import annotations

import re

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
    (("balance", "--month", "2026-11"), ["Expense balance", "Expenses per heading"], "Balance de gastos"),
    (("cash-book", "--month", "2026-11"), ["Cash book", "Transfer Banco de la Nación"], "Libro caja"),
    (("acta-rendicion", "--month", "2026-11"), ["Assembly record", "1. Money received from the programme"],
     "Acta de asamblea"),
    (("menu-poster", "1"), ["School menu from 02/11 to 06/11", "Breakfast", "Pre-school and Primary"],
     "Menú escolar"),
    (("dosing", "costa-causa-atun", "--level", "primaria", "--children", "120"),
     ["Dosing sheet", "Weight per child", "Total for 120 children"], "Ficha de dosificación"),
    (("compliance", "1"), ["Nutrition compliance report", "Rule"], "Informe de cumplimiento nutricional"),
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
