"""Registering the committee: every field checked, with a message that says what to fix."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from qaliwarma.domain.committee import LevelForm, MemberForm, validate_committee
from qaliwarma.errors import InvalidInput
from qaliwarma.persistence.journal import Journal
from qaliwarma.services import committee
from qaliwarma.services.setup import demo_form


def test_the_demo_form_is_valid_against_the_inei_list():
    assert validate_committee(demo_form(), committee.place_index()) == {}


def test_each_wrong_field_gets_its_own_message():
    form = dataclasses.replace(
        demo_form(),
        codigo_modular="12345",
        quintile=7,
        ubigeo="090101",
        district="Acobamba",
        levels=[LevelForm("inicial", 0)],
        members=[
            MemberForm("Rosa Quispe", "4123", "presidente", "director", date(2026, 3, 1)),
            MemberForm("Ana Soto", "41234567", "presidente", "padre_madre", date(2026, 3, 1)),
        ],
    )
    errors = validate_committee(form, committee.place_index())
    assert "debe tener 7" in errors["codigo_modular"]
    assert "1 (más pobre) a 5" in errors["quintile"]
    assert "corresponde a Huancavelica" in errors["district"]
    assert "inicial" in errors["levels.inicial"]
    assert "debe tener 8" in errors["members.1.dni"]
    assert "más de un(a) presidente(a)" in errors["members"]


def test_registration_is_refused_whole_and_saves_nothing(db):
    form = dataclasses.replace(demo_form(), codigo_modular="abc")
    with pytest.raises(InvalidInput) as err:
        committee.register(db, form, user="Rosa")
    assert "Código modular" in str(err.value)
    assert committee.current(db) is None


def test_registration_and_changes_are_on_the_journal(db):
    info = committee.register(db, demo_form(), user="Rosa")
    assert committee.current(db).form.school_name == demo_form().school_name
    assert committee.current(db).enrolment("primaria") == 142
    changed = dataclasses.replace(demo_form(), levels=[LevelForm("inicial", 40), LevelForm("primaria", 150)])
    committee.update(db, info.id, changed, user="Julio")
    assert committee.current(db).enrolment("primaria") == 150
    with db.session() as s:
        entries = Journal(s, info.id).entries()
        assert [e.kind for e in entries] == ["comite.registro", "comite.cambio"]
        assert entries[1].user == "Julio" and entries[1].payload["levels"][1]["enrolment"] == 150
        assert Journal(s, info.id).verify().ok


def test_the_same_school_cannot_be_registered_twice(db):
    committee.register(db, demo_form(), user="Rosa")
    with pytest.raises(InvalidInput, match="Ya está registrado"):
        committee.register(db, demo_form(), user="Rosa")


def test_places_cover_peru():
    places = committee.places()
    assert len(places) > 1800
    assert {p.department for p in places} >= {"Lima", "Cusco", "Loreto", "Huancavelica", "Callao"}


def test_composition_president_is_the_director_vocales_are_parents():
    from qaliwarma.domain.committee import MemberForm as M

    start = date(2026, 3, 2)
    form = dataclasses.replace(demo_form(), members=[
        M("Julio Ccanto Paucar", "42345678", "presidente", "docente", start),
        M("Rosa Quispe Huamán", "41234567", "secretario", "director", start),
        M("Marcelina Taipe Soto", "43456789", "vocal", "docente", start),
    ])
    errors = validate_committee(form, committee.place_index())
    assert "debe ser director(a)" in errors["members.1.stakeholder"]
    assert "no director(a)" in errors["members.2.stakeholder"]
    assert "madre o padre de familia" in errors["members.3.stakeholder"]


def test_a_committee_that_handles_money_needs_a_treasurer():
    no_treasurer = [m for m in demo_form().members if m.role != "tesorero"]
    form = dataclasses.replace(demo_form(), modality="compras_locales", members=no_treasurer)
    assert "tesorero" in validate_committee(form, committee.place_index())["members"]
    products = dataclasses.replace(demo_form(), modality="productos", members=no_treasurer)
    assert "members" not in validate_committee(products, committee.place_index())


def test_the_demo_committee_is_complete_and_names_the_current_programme():
    from qaliwarma.domain.committee import PROGRAMME_NAMES, composition_gaps

    form = demo_form()
    assert composition_gaps(form) == []
    assert [m.role for m in form.members].count("vocal") == 3
    assert form.programme_name == "Programa de Alimentación Escolar"
    assert {"Qali Warma", "Wasi Mikuna"} <= set(PROGRAMME_NAMES)
    half = dataclasses.replace(form, members=form.members[:1])
    assert any("secretario" in g for g in composition_gaps(half))


def test_amazonian_indigenous_schools_get_lunch_whatever_the_quintile(db):
    from qaliwarma.domain.committee import serves_lunch
    from qaliwarma.services import menu_views

    assert not serves_lunch(4) and serves_lunch(4, amazonian_indigenous=True) and serves_lunch(2)
    form = dataclasses.replace(demo_form(), quintile=4, amazonian_indigenous=True)
    info = committee.register(db, form, user="Rosa")
    assert committee.current(db).form.amazonian_indigenous
    assert "almuerzo" in menu_views.meals_served(info)
