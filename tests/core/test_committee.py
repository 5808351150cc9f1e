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
