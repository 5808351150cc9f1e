"""Comité: «Corregir código modular» (issue 14): the dialog asks for the correct code and the reason, refuses
an empty reason in Spanish without writing anything, and the president's correction is journaled, shown on
the page with who and why, and leaves the journal verifying."""

from __future__ import annotations

from qaliwarma.services import committee, integrity, people
from ui.pages.committee import CommitteePage

PRESIDENT, VOCAL = "41234567", "43456789"
OLD, NEW = "0456789", "0456798"


def _page(qtbot, demo_db, runner, dni: str) -> CommitteePage:
    info = committee.current(demo_db)
    page = CommitteePage(demo_db, runner, committee.places())
    qtbot.addWidget(page)
    page.user = people.signature(demo_db, info.id, dni)
    page.resize(1366, 768)
    page.show()
    page.set_committee(info)
    return page


def test_the_code_looks_fixed_and_offers_its_correction(qtbot, demo_db, runner):
    page = _page(qtbot, demo_db, runner, PRESIDENT)
    assert page.codigo_modular.isReadOnly() and page.codigo_modular.text() == OLD
    assert page.correct_code_button.isVisible() and page.correct_code_button.text() == "Corregir código modular…"
    assert "Corregir código modular" in page.intro.text()


def test_an_empty_reason_is_refused_in_spanish_and_nothing_is_written(qtbot, demo_db, runner, wait_idle):
    page = _page(qtbot, demo_db, runner, PRESIDENT)
    before = integrity.check_one(demo_db, committee.current(demo_db).id).chain.entries
    dialog = page.open_code_correction()
    qtbot.keyClicks(dialog.code, NEW)
    qtbot.keyClicks(dialog.reason, "   ")
    dialog.ok_button.click()
    wait_idle()
    assert dialog.isVisible() and dialog.message.isVisible()
    assert dialog.message.text() == "Escriba el motivo de la corrección: queda en el diario."
    assert dialog.reason.hasFocus() or not page.isActiveWindow()
    dialog.code.setText("04567")
    dialog.reason.setPlainText("dígito cambiado")
    dialog.ok_button.click()
    assert "tiene 5 dígitos; debe tener 7" in dialog.message.text()
    assert committee.current(demo_db).form.codigo_modular == OLD
    assert integrity.check_one(demo_db, committee.current(demo_db).id).chain.entries == before


def test_the_presidents_correction_is_journaled_and_shown_with_its_reason(qtbot, demo_db, runner, wait_idle):
    page = _page(qtbot, demo_db, runner, PRESIDENT)
    saved = []
    page.committee_saved.connect(saved.append)
    dialog = page.open_code_correction()
    qtbot.keyClicks(dialog.code, NEW)
    dialog.reason.setPlainText("Se registró con dos dígitos cambiados")
    closed = []
    dialog.finished.connect(closed.append)
    dialog.ok_button.click()
    wait_idle()
    qtbot.waitUntil(lambda: closed == [1])  # accepted (and closed) once the correction is saved
    info = committee.current(demo_db)
    assert info.form.codigo_modular == NEW and saved and saved[-1].form.codigo_modular == NEW
    assert page.codigo_modular.text() == NEW
    assert f"{OLD} → {NEW}" in page.status.text()
    qtbot.waitUntil(page.code_history.isVisible)
    history = page.code_history.text()
    assert f"{OLD} → {NEW}" in history and "Rosa Quispe Huamán" in history
    assert "Se registró con dos dígitos cambiados" in history
    check = integrity.check_one(demo_db, info.id)
    assert check.ok, check.lines()


def test_a_vocal_is_told_who_may_correct_the_code_before_typing_anything(qtbot, demo_db, runner, wait_idle):
    page = _page(qtbot, demo_db, runner, VOCAL)
    assert page.open_code_correction() is None  # no dialog to fill in vain
    assert "no puede cambiar los datos del comité" in page.status.text()
    assert "presidente(a) (Rosa Quispe Huamán)" in page.status.text()
    assert committee.current(demo_db).form.codigo_modular == OLD

