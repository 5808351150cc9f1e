"""Foods of the composition table and their groups."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

FOOD_GROUPS: dict[str, str] = {
    "A": "Cereales y derivados",
    "B": "Verduras, hortalizas y derivados",
    "C": "Frutas y derivados",
    "D": "Grasas, aceites y oleaginosas",
    "E": "Pescados y mariscos",
    "F": "Carnes y derivados",
    "G": "Leche y derivados",
    "H": "Bebidas (alcohólicas y analcohólicas)",
    "J": "Huevos y derivados",
    "K": "Productos azucarados",
    "L": "Misceláneos",
    "Q": "Alimentos infantiles",
    "T": "Leguminosas y derivados",
    "U": "Tubérculos, raíces y derivados",
}


@dataclass(frozen=True)
class FoodRow:
    """A food as read from a table file: values per 100 g edible portion, None = unknown."""

    code: str
    name: str
    group_code: str
    values: dict[str, float | None]


@dataclass(frozen=True)
class FoodSummary:
    code: str
    name: str
    group_code: str
    group_name: str


def fold(text: str) -> str:
    """Lower case without accents, for accent- and case-insensitive search ("ñ" stays "n")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def search_order(code: str, name: str, needle: str) -> tuple[int, int]:
    """Where a food found by the folded ``needle`` goes in a search's list (smaller first): its code typed; its
    name beginning with the word searched («Azúcar rubia» for «azucar», before «Chicha … con azúcar»); its name
    beginning with the letters («Papaya» for «papa», after «Papa blanca»); the word elsewhere in its name; the
    letters elsewhere. Within each, raw foods before cooked or prepared ones: preparations are weighed raw."""
    folded = fold(name)
    words = re.findall(r"\w+", folded)
    if needle and code.casefold() == needle:
        rank = 0
    elif folded.startswith(needle) and (len(folded) == len(needle) or not folded[len(needle)].isalnum()):
        rank = 1
    elif folded.startswith(needle):
        rank = 2
    elif needle in words or re.search(rf"\b{re.escape(needle)}\b", folded):
        rank = 3
    else:
        rank = 4
    return rank, int(is_cooked_or_prepared(code, name))


_COOKED_WORDS = ("cocido", "cocida", "cocidos", "cocidas", "sancochado", "sancochada", "frito", "frita", "fritos",
                 "fritas", "asado", "asada", "hervido", "hervida", "guisado", "guisada")


def is_cooked_or_prepared(code: str, name: str) -> bool:
    """A food of the table that is already cooked or a prepared dish (groups SE/SS of the TPCA, or a
    name that says «cocido», «sancochado», «frito», «asado»…). Recipes weigh food as the cook buys it,
    raw: with such a code the nutrients would be those of the cooked weight."""
    if code.upper().startswith("S"):
        return True
    words = set("".join(c if c.isalpha() else " " for c in fold(name)).split())
    return any(w in words for w in _COOKED_WORDS)


def named_foods(codes, names: dict[str, str]) -> str:
    """«Aguaymanto (C75), Harina de trigo (A138)»: a list of foods as a cook reads it, the code after the name (a
    list of bare codes, «B11, A138, E21, C75», told the committee nothing)."""
    return ", ".join(f"{names[c]} ({c})" if names.get(c) else c for c in codes)

