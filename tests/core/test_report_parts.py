"""The reports toolkit: signature lines with names and DNI, the page's foot with its verification code,
and documents printed in the language in use."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Paragraph

from qaliwarma import i18n
from qaliwarma.reports import parts
from qaliwarma.reports.base import build_pdf, style
from qaliwarma.services.setup import demo_form
from tests.core.test_reports import pdf_text


class _Committee:
    def __init__(self, form):
        self.form = form


def test_signers_in_office_with_a_blank_line_for_a_role_nobody_holds():
    form = demo_form()
    members = [m for m in form.members if m.role != "tesorero"]
    committee = _Committee(type(form)(**{**form.__dict__, "members": members}))
    signers = parts.committee_signers(committee, date(2026, 11, 2), ("presidente", "tesorero"),
                                      blank_for_missing=True)
    president = next(m for m in members if m.role == "presidente")
    assert [(s.role, s.name, s.dni) for s in signers] == [
        ("Presidente(a) del CAE", president.name, president.dni), ("Tesorero(a) del CAE", "", "")]
    assert [s.role for s in parts.committee_signers(committee, date(2026, 11, 2), ("tesorero",))] == []


def test_the_foot_of_every_page_carries_the_verification_code(tmp_path):
    out = build_pdf(tmp_path / "doc.pdf", [Paragraph(f"Línea {n}", style("body")) for n in range(80)], title="Prueba",
                    printed=date(2026, 11, 30), verification="7K2P-91QX")
    text = pdf_text(out)
    assert text.count("Código de verificación: 7K2P-91QX") == text.count("Página ") >= 2
    assert "Impreso el 30/11/2026" in text


def test_a_document_printed_in_english_says_so_at_its_foot(tmp_path):
    i18n.install("en")
    try:
        out = build_pdf(tmp_path / "doc.pdf", [Paragraph("Hello", style("body"))], title="Test",
                        printed=date(2026, 11, 30))
    finally:
        i18n.install("es")
    text = pdf_text(out)
    assert "Printed on 30/11/2026" in text and "Page 1 of 1" in text and "Página" not in text


def test_a_language_switched_for_one_document_switches_only_its_thread(tmp_path):
    import threading

    seen = {}

    @i18n.language("es")
    def build():
        seen["inside"] = i18n._("Página {n} de {total}")
        other = threading.Thread(target=lambda: seen.setdefault("other thread", i18n._("Página {n} de {total}")))
        other.start()
        other.join()

    i18n.install("en")
    try:
        build()
        seen["after"] = i18n._("Página {n} de {total}")
    finally:
        i18n.install("es")
    assert seen == {"inside": "Página {n} de {total}", "other thread": "Page {n} of {total}",
                    "after": "Page {n} of {total}"}
