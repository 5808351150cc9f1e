"""Preparations' names in the community's language, and the door poster that prints them."""

from __future__ import annotations

from datetime import date

import pytest

from qaliwarma.errors import InvalidInput, NotFound
from qaliwarma.persistence.journal import Journal
from qaliwarma.reports.menu_poster import build_menu_poster
from qaliwarma.services import committee, local_names, recipes
from qaliwarma.services.setup import demo_form
from tests.core.test_reports import april_plan, pages, squeeze


@pytest.fixture
def school(db):
    return committee.register(db, demo_form(), user="prueba")


def kinds(db, school) -> list[tuple[str, dict]]:
    with db.session() as s:
        return [(e.kind, e.payload) for e in Journal(s, school.id).entries() if e.kind.startswith("comite.")
                and e.kind != "comite.registro"]


def test_set_list_and_clear_local_names_are_journaled(db, school):
    assert local_names.list_local_names(db, school.id).names == []
    local_names.set_local_name(db, school.id, "sierra-patachi", "  Patachi   lawa ", user="ana", language="Quechua")
    found = local_names.set_local_name(db, school.id, "sierra-aji-pollo", "Wallpa uchu", user="ana")
    assert found.language == "quechua"
    assert [(n.recipe_id, n.name) for n in found.names] == [("sierra-aji-pollo", "Wallpa uchu"),
                                                             ("sierra-patachi", "Patachi lawa")]
    assert found.names[0].spanish.startswith("Ají de pollo")
    # the same name again records nothing; a new one replaces it
    local_names.set_local_name(db, school.id, "sierra-patachi", "Patachi lawa", user="ana")
    local_names.set_local_name(db, school.id, "sierra-patachi", "Trigo lawa", user="ana")
    cleared = local_names.clear_local_name(db, school.id, "sierra-aji-pollo", user="ana")
    assert cleared.as_dict() == {"sierra-patachi": "Trigo lawa"} and cleared.language == "quechua"
    assert kinds(db, school) == [
        ("comite.lengua", {"language": "quechua"}),
        ("comite.nombre_local", {"recipe_id": "sierra-patachi", "name": "Patachi lawa"}),
        ("comite.nombre_local", {"recipe_id": "sierra-aji-pollo", "name": "Wallpa uchu"}),
        ("comite.nombre_local", {"recipe_id": "sierra-patachi", "name": "Trigo lawa"}),
        ("comite.nombre_local", {"recipe_id": "sierra-aji-pollo", "name": ""}),
    ]
    with db.session() as s:
        assert Journal(s, school.id).verify().ok


def test_bad_local_names_are_refused_and_nothing_is_written(db, school):
    with pytest.raises(NotFound, match="no-existe"):
        local_names.set_local_name(db, school.id, "no-existe", "Suti", user="ana")
    with pytest.raises(InvalidInput, match="máximo es 80"):
        local_names.set_local_name(db, school.id, "sierra-patachi", "a" * 81, user="ana")
    assert kinds(db, school) == []


def test_names_can_change_in_a_closed_month(db, school):
    with db.session() as s:
        Journal(s, school.id).close_month(date.today().strftime("%Y-%m"), user="ana")
    found = local_names.set_local_name(db, school.id, "sierra-patachi", "Patachi lawa", user="ana", language="aimara")
    assert found.as_dict() == {"sierra-patachi": "Patachi lawa"} and found.language == "aimara"


def test_poster_prints_the_local_name_below_the_spanish_one(db, school, tmp_path):
    local_names.set_local_name(db, school.id, "sierra-patachi", "Patachi lawa", user="ana", language="quechua")
    local_names.set_local_name(db, school.id, "sierra-api-pan-queso", "Api tantawan kesuwan", user="ana")
    local = local_names.list_local_names(db, school.id)
    names = {r.id: r.name for r in recipes.list_recipes(db)}
    out = build_menu_poster(april_plan(), names, tmp_path / "menu.pdf", committee=school, weeks=[date(2026, 4, 6)],
                            local_names=local.as_dict(), language=local.language)
    (sheet,) = pages(out)
    text = squeeze(sheet)
    assert "debajo, su nombre en quechua" in text
    spanish_patachi = squeeze(names["sierra-patachi"])
    assert spanish_patachi in text and "Patachi lawa" in text
    assert text.index("Patachi lawa") > text.index(spanish_patachi)  # below the Spanish name
    assert "Api tantawan kesuwan" in text
    # a poster without local names says nothing about them
    plain = pages(build_menu_poster(april_plan(), names, tmp_path / "plain.pdf", committee=school,
                                    weeks=[date(2026, 4, 6)]))[0]
    assert "lawa" not in plain and "debajo" not in plain


def test_long_local_names_everywhere_still_fit_one_page_per_week(db, school, tmp_path):
    names = {r.id: r.name for r in recipes.list_recipes(db)}
    long = "Wallpa uchu kinwawan papawan ch'uñuwan ima mikhuna sumaq wawakunapaq yachay wasipi"[:80]
    out = build_menu_poster(april_plan(), names, tmp_path / "largo.pdf", committee=school,
                            local_names={rid: long for rid in names}, language="quechua")
    sheets = pages(out)
    assert len(sheets) == 5  # the same five weeks as without local names
    # every preparation of the week of 06/04 shows its local name: 5 breakfasts + 5 lunches
    assert len(long) == 80 and squeeze(sheets[1]).count("wawakunapaq") == 10
