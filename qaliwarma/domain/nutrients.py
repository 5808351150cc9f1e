"""The 17 nutrients the application tracks (CLI.md "Nutrient keys"), in a fixed order.

The order is the column order of the food × nutrient matrix used for analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import _


@dataclass(frozen=True)
class Nutrient:
    key: str
    label_es: str
    label_en: str
    unit: str
    tagname: str  # INFOODS tagname used by the Peruvian table's column titles
    decimals: int


NUTRIENTS: tuple[Nutrient, ...] = (
    Nutrient("energy_kcal", "Energía", "Energy", "kcal", "ENERC", 0),
    Nutrient("protein_g", "Proteínas", "Protein", "g", "PROCNT", 1),
    Nutrient("fat_g", "Grasa total", "Total fat", "g", "FAT", 1),
    Nutrient("carbohydrate_g", "Carbohidratos totales", "Carbohydrate", "g", "CHOCDF", 1),
    Nutrient("fiber_g", "Fibra dietaria", "Dietary fibre", "g", "FIBTG", 1),
    Nutrient("calcium_mg", "Calcio", "Calcium", "mg", "CA", 0),
    Nutrient("phosphorus_mg", "Fósforo", "Phosphorus", "mg", "P", 0),
    Nutrient("zinc_mg", "Zinc", "Zinc", "mg", "ZN", 2),
    Nutrient("iron_mg", "Hierro", "Iron", "mg", "FE", 2),
    Nutrient("vitamin_a_ug", "Vitamina A (equiv. retinol)", "Vitamin A (RE)", "µg", "VITA", 0),
    Nutrient("thiamine_mg", "Tiamina", "Thiamine", "mg", "THIA", 2),
    Nutrient("riboflavin_mg", "Riboflavina", "Riboflavin", "mg", "RIBF", 2),
    Nutrient("niacin_mg", "Niacina", "Niacin", "mg", "NIA", 2),
    Nutrient("vitamin_c_mg", "Vitamina C", "Vitamin C", "mg", "VITC", 1),
    Nutrient("folate_ug", "Ácido fólico", "Folate", "µg", "FOL", 0),
    Nutrient("sodium_mg", "Sodio", "Sodium", "mg", "NA", 0),
    Nutrient("potassium_mg", "Potasio", "Potassium", "mg", "K", 0),
)

NUTRIENT_KEYS: tuple[str, ...] = tuple(n.key for n in NUTRIENTS)
BY_KEY: dict[str, Nutrient] = {n.key: n for n in NUTRIENTS}


def label(key: str, lang: str = "es") -> str:
    n = BY_KEY[key]
    return n.label_en if lang == "en" else n.label_es


def format_amount(key: str, value: float | None, *, lang: str = "es") -> str:
    """'12.8 g', '1,234 kcal': Peru writes a decimal point and comma thousands (as in "S/ 1,234.50"),
    in Spanish and English alike; a missing value is written 'sin dato'."""
    n = BY_KEY[key]
    if value is None:
        return _("sin dato") if lang != "en" else _("no data")
    return f"{value:,.{n.decimals}f} {n.unit}"
