"""Nothing a user reads names a design document («DOMAIN.md §4», «docs/recipe-bank.md»): the shipped data's
texts (standards' sources, the flags' wording, the ratings' rationale, the preparations' sources) are printed on
reports, dosing sheets and screens."""

from __future__ import annotations

import tomllib
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
RECIPES = Path(__file__).resolve().parents[2] / "recipes"
DESIGN = ("DOMAIN.md", "ARCHITECTURE.md", "CLI.md", "§", "docs/", ".md")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_no_shipped_text_names_a_design_document():
    found = []
    files = sorted(RESOURCES.rglob("*.toml")) + sorted(RECIPES.rglob("*.toml"))
    assert any(f.name == "flags.toml" for f in files) and any(f.name == "qw-2014.toml" for f in files)
    assert sum(f.is_relative_to(RECIPES) for f in files) >= 40  # the regional bank (the dosing sheets' sources)
    for path in files:
        data = tomllib.loads(path.read_text(encoding="utf-8"))  # comments are not read: they are not printed
        found += [f"{path.name}: {text[:60]}…" for text in _strings(data) if any(word in text for word in DESIGN)]
    assert found == []


def test_every_flag_has_its_meaning_advice_and_wording():
    from qaliwarma.domain.flags import RATINGS, SECTIONS, catalogue

    kinds = catalogue()
    assert {"rendimiento", "dias_sin_registro", "dias_por_llegar", "merma", "mes_sin_cerrar"} <= set(kinds)
    for code, kind in kinds.items():
        assert kind.severity in RATINGS[1:] and kind.section in SECTIONS, code
        assert kind.title and kind.meaning and kind.advice and kind.text, code
