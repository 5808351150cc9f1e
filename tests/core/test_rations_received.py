"""Raciones modality: ready rations received per day and level, reconciled with what was served."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from qaliwarma.domain.stock import ServiceInput
from qaliwarma.errors import InvalidInput
from qaliwarma.services import committee, rations_received, serving
from qaliwarma.services.rations_received import RationReception
from qaliwarma.services.setup import demo_form

DAY = date(2026, 11, 3)


@pytest.fixture
def school(db):
    return committee.register(db, dataclasses.replace(demo_form(), modality="raciones"), user="Rosa")


def test_received_rations_are_recorded_and_reconciled_with_service(db, school):
    rations_received.record(db, school, [
        RationReception(DAY, "inicial", "Leche con cereal y pan con queso", 38, 38, "conforme", "Proveedor SAC"),
        RationReception(DAY, "primaria", "Leche con cereal y pan con queso", 142, 130, "parcial", "Proveedor SAC",
                        "12 panes aplastados"),
    ], user="Rosa")
    serving.record(db, school, [ServiceInput(DAY, "desayuno", "inicial", "sierra-api-pan-queso", 36, 36, 2,
                                             outside_origin="Aporte de padres"),
                                ServiceInput(DAY, "desayuno", "primaria", "sierra-api-pan-queso", 125, 125, 0,
                                             outside_origin="Aporte de padres")],
                   user="Cocina")
    lines = {b.level: b for b in rations_received.reconcile(db, school, DAY, DAY)}
    assert lines["inicial"].difference == 0  # 38 accepted = 36 served + 2 left over
    assert lines["primaria"].accepted == 130 and lines["primaria"].difference == 5  # 5 rations unaccounted


def test_bad_ration_receptions_are_refused_whole(db, school):
    bad = [RationReception(DAY, "secundaria", "Leche", 10, 10, "conforme"),
           RationReception(DAY, "inicial", "Leche", 38, 30, "conforme"),
           RationReception(date(2026, 11, 4), "inicial", "Leche", 38, 0, "rechazado")]
    with pytest.raises(InvalidInput) as err:
        rations_received.record(db, school, bad, user="Rosa")
    text = str(err.value)
    assert "no tiene el nivel «secundaria»" in text and "se aceptan todas" in text and "por qué se rechazan" in text
    assert rations_received.received(db, school.id) == []
    rations_received.record(db, school, [RationReception(DAY, "inicial", "Leche", 38, 38, "conforme")], user="R")
    with pytest.raises(InvalidInput, match="ya se registró"):
        rations_received.record(db, school, [RationReception(DAY, "inicial", "Leche", 38, 38, "conforme")], user="R")
