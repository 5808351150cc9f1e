"""Comité: first-run registration, a message beside each wrong field, saving, the school on top."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from qaliwarma.services import committee
from ui.main_window import MainWindow
from ui.pages.committee import CommitteePage


def _page(qtbot, ui_db, runner) -> CommitteePage:
    page = CommitteePage(ui_db, runner, committee.places())
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    return page


def _fill_valid(qtbot, page: CommitteePage) -> None:
    page.school_name.setText("I.E. N.° 123 Señor de los Milagros")
    page.codigo_modular.setText("0123456")
    page.ugel.setText("UGEL Acobamba")
    page.region.setCurrentIndex(page.region.findData("sierra"))
    page.quintile.setCurrentIndex(page.quintile.findData(1))
    page.modality.setCurrentIndex(page.modality.findData("productos"))
    assert page.places.set_ubigeo("090201")  # Acobamba, Acobamba, Huancavelica
    page.level_rows["primaria"].check.setChecked(True)
    page.level_rows["primaria"].enrolment.setValue(85)
    card = page.members.cards[0]
    card.name.setText("Rosa Quispe Huamán")
    card.dni.setText("41234567")
    card.role.setCurrentIndex(card.role.findData("presidente"))
    card.stakeholder.setCurrentIndex(card.stakeholder.findData("director"))
    card.pin.setText("4821")
    card.pin_again.setText("4821")


def test_first_run_explains_what_to_do(qtbot, ui_db, runner):
    page = _page(qtbot, ui_db, runner)
    assert "Bienvenido" in page.title.text()
    assert "Registrar comité" in page.intro.text()
    assert page.save_button.text() == "Registrar comité"
    assert not any(label.isVisible() for label in page._messages.values())  # nothing red before typing


def test_a_short_codigo_modular_gets_a_message_beside_it(qtbot, ui_db, runner):
    page = _page(qtbot, ui_db, runner)
    qtbot.keyClicks(page.codigo_modular, "12345")
    message = page._messages["codigo_modular"]
    qtbot.waitUntil(message.isVisible)  # shown when the user pauses typing
    assert "tiene 5 dígitos; debe tener 7" in message.text()
    assert page._messages["school_name"].text() == ""  # untouched fields are not scolded
    qtbot.keyClicks(page.codigo_modular, "67")
    qtbot.waitUntil(lambda: not message.isVisible())  # gone as soon as it is right


def test_choosing_the_district_fills_the_ubigeo(qtbot, ui_db, runner):
    page = _page(qtbot, ui_db, runner)
    places = page.places
    places.department.setCurrentIndex(places.department.findData("Huancavelica"))
    places.province.setCurrentIndex(places.province.findData("Huancavelica"))
    places.district.setCurrentIndex(places.district.findText("Huancavelica"))
    assert places.ubigeo_label.text() == "090101"
    assert page.form().ubigeo == "090101"


def test_save_refuses_an_incomplete_form_and_points_at_each_field(qtbot, ui_db, runner, wait_idle):
    page = _page(qtbot, ui_db, runner)
    page.members.cards[0].dni.setText("123")
    page.save_button.click()
    wait_idle()
    assert committee.current(ui_db) is None
    assert "por corregir" in page.status.text()
    assert page._messages["school_name"].isVisible()
    assert page._messages["levels"].isVisible()
    dni_message = page.members.cards[0].messages["dni"]
    assert dni_message.isVisible() and "debe tener 8" in dni_message.text()


def test_registering_shows_the_school_in_the_window(qtbot, db_file, runner):
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=20000) as loaded:
        window.start(f"sqlite:///{db_file}")
    assert loaded.args == [True]
    assert window.current_area() == "comite"  # nothing registered: the window starts there
    assert "sin registrar" in window.school_label.text()
    page = window.pages["comite"]
    _fill_valid(qtbot, page)
    assert page.errors() == {}
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.school_label.text() == "I.E. N.° 123 Señor de los Milagros", timeout=5000)
    assert page.save_button.text() == "Guardar cambios"
    assert page.next_banner.isVisible()
    assert window.pages["recetas"].new_button.isEnabled()  # own preparations are now possible
    saved = committee.current(window.db)
    assert saved.form.ubigeo == "090201" and saved.form.members[0].dni == "41234567"

    page.next_banner.action_clicked.emit()
    assert window.current_area() == "recetas"


def test_changes_to_a_registered_committee_are_saved(qtbot, db_file, runner):
    from qaliwarma.persistence.engine import open_database
    from qaliwarma.services.setup import demo_form

    db = open_database(f"sqlite:///{db_file}")
    committee.register(db, demo_form(), user="prueba")
    db.dispose()
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=20000):
        window.start(f"sqlite:///{db_file}")
    # a registered committee opens on «Inicio» (what needs attention today), or on the recipes
    assert window.current_area() == ("inicio" if "inicio" in window.pages else "recetas")
    assert window.school_label.text() == demo_form().school_name
    window.nav_buttons["comite"].click()
    page = window.pages["comite"]
    assert window.current_area() == "comite"
    assert page.codigo_modular.isReadOnly()
    page.members.add_member()
    page.save_button.click()  # the new member is empty: refused
    qtbot.waitUntil(page.members.cards[-1].messages["name"].isVisible)
    assert committee.current(window.db).form.members == demo_form().members
    page.members._remove(page.members.cards[-1])
    page.ugel.setText("UGEL Huancavelica (sede)")
    with qtbot.waitSignal(page.committee_saved, timeout=5000):
        page.save_button.click()
    assert committee.current(window.db).form.ugel == "UGEL Huancavelica (sede)"
    # said with the time, so that a second save reads as a new one
    import re

    assert re.fullmatch(r"✓ Datos guardados a las \d\d:\d\d\.", page.status.text()), page.status.text()


def test_registering_needs_the_presidents_pin_and_signs_the_president_in(qtbot, db_file, runner, wait_idle,
                                                                         monkeypatch):
    from qaliwarma.errors import SignInError
    from qaliwarma.services import people

    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=20000):
        window.start(f"sqlite:///{db_file}")
    page = window.pages["comite"]
    _fill_valid(qtbot, page)
    president = page.members.cards[0]
    assert president.pin.isVisible() and president.pin.echoMode() == president.pin.EchoMode.Password
    president.pin.clear()
    president.pin_again.clear()
    page.save_button.click()  # no PIN for the president: refused, said beside the field
    wait_idle()
    assert committee.current(window.db) is None
    message = president.messages["pin"]
    assert message.isVisible() and "presidente(a) necesita un PIN" in message.text()
    assert "por corregir" in page.status.text()

    president.pin.setText("48")  # too short
    president.pin.textEdited.emit("48")
    page.save_button.click()
    wait_idle()
    assert committee.current(window.db) is None and "de 4 a 6 números" in message.text()

    president.pin.setText("4821")
    president.pin_again.setText("4812")  # typed differently the second time
    president.pin.textEdited.emit("4821")
    page.save_button.click()
    wait_idle()
    assert committee.current(window.db) is None and not message.isVisible()
    assert "no son iguales" in president.messages["pin_again"].text()

    vocal = page.members.add_member()  # another member may get a PIN too, or none
    vocal.name.setText("Marcelina Taipe Soto")
    vocal.dni.setText("43456789")
    vocal.role.setCurrentIndex(vocal.role.findData("vocal"))
    vocal.stakeholder.setCurrentIndex(vocal.stakeholder.findData("padre_madre"))
    assert "Personas y copias" in vocal.pin_hint.text()
    president.pin_again.setText("4821")
    assert page.errors() == {}
    with qtbot.waitSignal(page.committee_saved, timeout=10000):
        page.save_button.click()
    info = committee.current(window.db)
    assert info is not None
    assert people.sign_in(window.db, info.id, "41234567", "4821").name == "Rosa Quispe Huamán"
    with pytest.raises(SignInError, match="PIN equivocado"):
        people.sign_in(window.db, info.id, "41234567", "4812")
    with pytest.raises(SignInError, match="todavía no tiene PIN"):
        people.sign_in(window.db, info.id, "43456789", "4821")
    assert window.signature.dni == "41234567" and window.ctx.user == window.signature
    assert "Rosa Quispe Huamán" in window.member_label.text()
    assert not page.members.cards[0].pin_box.isVisible()  # from now on PINs are set in «Personas y copias»

    monkeypatch.delenv("QALIWARMA_MEMBER", raising=False)
    monkeypatch.delenv("QALIWARMA_PIN", raising=False)
    asked = []  # the next start asks who signs in
    monkeypatch.setattr(MainWindow, "ask_sign_in", lambda self, loaded: asked.append(
        [m.dni for m in loaded.members]) or None)
    again = MainWindow(runner)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.loaded, timeout=20000) as loaded:
        again.start(f"sqlite:///{db_file}")
    assert loaded.args == [False] and asked and "41234567" in asked[0]


def test_a_members_start_date_that_cannot_be_kept_is_said_under_it_and_nothing_is_saved(qtbot, ui_db, runner):
    """«Desde» typed as 31/02 became 28/02 with a tooltip gone with the next key, and was saved so."""
    from datetime import date

    from tests.ui.conftest import type_date

    page = _page(qtbot, ui_db, runner)
    page.activateWindow()
    qtbot.waitExposed(page)
    _fill_valid(qtbot, page)
    card = page.members.cards[0]
    type_date(qtbot, card.start, "31/02/2026")
    card.name.setFocus()
    page.save_button.click()
    qtbot.waitUntil(card.messages["end_date"].isVisible)
    assert "El día 31 no existe en febrero de 2026" in card.messages["end_date"].text()
    assert committee.current(ui_db) is None  # nothing registered with 28/02
    type_date(qtbot, card.start, "28/02/2026")  # typed again: now it is the date meant
    with qtbot.waitSignal(page.committee_saved, timeout=10000):
        page.save_button.click()
    assert committee.current(ui_db).form.members[0].start_date == date(2026, 2, 28)
