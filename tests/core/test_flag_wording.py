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
