"""Raciones modality: what a day's delivery of ready-to-eat rations is (plain data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RationReception:
    day: date
    level: str
    product: str  # what came: "Leche con cereal + pan con queso"
    received: int  # rations in the supplier's record
    accepted: int  # rations accepted (0 when rejected)
    conformity: str  # conforme | parcial | rechazado
    supplier: str = ""
    observation: str = ""
    meal: str = "desayuno"  # a school served breakfast and lunch receives each meal's rations apart
