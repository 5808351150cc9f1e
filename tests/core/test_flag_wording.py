"""Flags are worded in one place (resources/checks/flags.toml) in both languages: a committee using the
application in English reads every flag's title, meaning, advice and occurrence in English, with the
same facts; in Spanish, as before."""

from __future__ import annotations

import re
import tomllib

from qaliwarma.domain.flags import Flag, flag_kind, word
from qaliwarma.i18n import language
from qaliwarma.paths import resources_dir

SPANISH = re.compile(r"[áéíóúñ¿¡]|\b(de|del|los|las|para|sin|que|niños|raciones|salieron|días)\b", re.I)


def _file() -> dict:
    return tomllib.loads((resources_dir() / "checks" / "flags.toml").read_text(encoding="utf-8"))


def test_every_flag_has_english_with_the_same_facts():
    for code, entry in _file().items():
        for what in ("title", "meaning", "advice", "text"):
            english = entry.get(f"{what}_en", "")
            assert english.strip(), f"{code}: {what}_en is missing"
            assert sorted(re.findall(r"\{\w+\}", english)) == sorted(re.findall(r"\{\w+\}", entry[what])), code
            assert not SPANISH.search(english.replace("rendición de cuentas", "").replace("mermas", "")), \
                (code, what, english)


def test_a_flag_reads_in_the_language_in_use():
    flag = Flag("raciones_sobre_matricula", {"day": "2026-11-02", "meal": "almuerzo", "level": "primaria",
                                             "rations": 130, "enrolled": 120})
    assert word(flag) == "02/11/2026, almuerzo de primaria: 130 raciones para 120 matriculados"
    assert flag_kind(flag.code).title == "Raciones por encima de la matrícula"
    with language("en"):
        assert word(flag) == "02/11/2026, lunch for primary: 130 rations for 120 enrolled"
        assert flag_kind(flag.code).title == "Rations above enrolment"
        assert flag_kind(flag.code).advice.startswith("No more rations can be served")


def test_the_facts_words_follow_the_language_too():
    flag = Flag("rendimiento", {"product": "D9", "expected_g": "1000", "issued_g": "1300", "deviation_pct": "30",
                                "by_day": [{"day": "2026-11-03", "expected_g": "500", "issued_g": "650"},
                                           {"day": "2026-11-04", "expected_g": "500", "issued_g": "650"}]})
    names = {"D9": "Aceite vegetal"}
    with language("en"):
        text = word(flag, names, limit=1)
    assert text == ("Aceite vegetal: in the month, according to the rations 1 kg should have left and 1.3 kg left "
                    "(+30.0 %); on 03/11 500 g should have left and 650 g left; and 1 more day")
    days = Flag("dias_sin_registro", {"count": 3, "days": ["2026-11-02", "2026-11-03", "2026-11-04"]})
    with language("en"):
        assert word(days) == "3 days: 02/11, 03/11 and 04/11"
    assert word(days) == "3 días: 02/11, 03/11 y 04/11"


def test_one_of_a_counted_flag_reads_in_the_singular_in_both_languages():
    """«1 comidas sin plan» (seen on the Menú page and in the month's checklist)."""
    one_meal = Flag("menu_incompleto", {"count": 1, "days": ["2026-11-26"]})
    assert word(one_meal) == "1 comida sin plan, el 26/11"
    with language("en"):
        assert word(one_meal) == "1 meal without a plan, on 26/11"
    assert word(Flag("menu_incompleto", {"count": 2, "days": ["2026-11-26"]})) == "2 comidas sin plan, en 26/11"
    one_day = Flag("dias_sin_registro", {"count": 1, "days": ["2026-11-02"]})
    assert word(one_day) == "1 día: 02/11"
    for code, entry in _file().items():  # every singular has its English, with the same facts
        if "text_one" in entry:
            assert sorted(re.findall(r"\{\w+\}", entry["text_one_en"])) == sorted(
                re.findall(r"\{\w+\}", entry["text_one"])), code
