"""School levels, meals and regions: fixed vocabularies of the programme."""

from __future__ import annotations

LEVELS: tuple[str, ...] = ("inicial", "primaria", "secundaria")
LEVEL_LABELS = {"inicial": "Inicial", "primaria": "Primaria", "secundaria": "Secundaria"}

MEALS: tuple[str, ...] = ("desayuno", "almuerzo")
MEAL_LABELS = {"desayuno": "Desayuno", "almuerzo": "Almuerzo"}

REGIONS: tuple[str, ...] = ("costa", "sierra", "selva")
REGION_LABELS = {"costa": "Costa", "sierra": "Sierra", "selva": "Selva"}
