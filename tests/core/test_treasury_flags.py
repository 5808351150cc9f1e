"""The treasury's red flags in the month's review: one RUC under several business names, payments to a
member of the committee, food bought that expired unused (flags of the catalogue, same facts for the
committee and the supervisor)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from qaliwarma.domain.flags import word
from qaliwarma.domain.treasury import Expense, PurchaseItem, Transfer
from qaliwarma.services import committee, month_review, treasury
from qaliwarma.services.setup import demo_form

RUC = "20604512370"
DAY = date(2026, 11, 2)
AFTER = date(2026, 12, 2)


@pytest.fixture
def school(db):
    info = committee.register(db, demo_form(), user="Yolanda")
    treasury.record_transfer(db, info.id, Transfer(DAY, Decimal("1000.00"), "BN 1"), user="Yolanda")
    treasury.record_withdrawal(db, info.id, DAY, Decimal("400.00"), user="Yolanda")
    return info


def _flags(db, info, code):
    return [f for f in month_review.review(db, info, "2026-11", today=AFTER).flags if f.code == code]


def test_one_ruc_under_two_business_names_is_flagged_not_its_spelling(db, school):
    treasury.record_expenses(db, school.id, [
        Expense(DAY, "gas", "boleta", "B001-1", RUC, "Gas SAC", "Balón de gas", Decimal("30.00")),
        Expense(DAY, "gas", "boleta", "B001-2", RUC, "GAS S.A.C.", "Balón de gas", Decimal("30.00"))],
        user="Yolanda")
    assert _flags(db, school, "ruc_varios_nombres") == []  # the same name, written twice differently
    treasury.record_expenses(db, school.id, [
        Expense(DAY + timedelta(days=1), "limpieza", "boleta", "B001-3", RUC, "Distribuidora Norte EIRL",
                "Lejía", Decimal("12.00"))], user="Yolanda")
    [flag] = _flags(db, school, "ruc_varios_nombres")
    assert flag.facts["ruc"] == RUC and flag.facts["count"] == 2
    assert "Distribuidora Norte EIRL" in word(flag) and "Gas SAC" in word(flag)
    assert flag.severity == "revisar"


def test_a_stipend_to_a_vocal_is_shown_for_the_assembly(db, school):
    # Marcelina Taipe Soto, DNI 43456789, is a vocal of the demo committee; the gas seller is not a member
    treasury.record_expenses(db, school.id, [
        Expense(DAY, "estipendio", "recibo", "R-1", "43456789", "Marcelina Taipe Soto", "estipendio de cocina",
                Decimal("40.00")),
        Expense(DAY, "gas", "boleta", "B001-9", RUC, "Gas SAC", "Balón de gas", Decimal("50.00"))],
        user="Yolanda")
    review = month_review.review(db, school, "2026-11", today=AFTER)
    [flag] = [f for f in review.flags if f.code == "pago_a_miembro"]
    assert flag.facts["dni"] == "43456789" and flag.facts["amount"] == "40.00"
    assert word(flag) == "02/11/2026: S/ 40.00 a Marcelina Taipe Soto (vocal, DNI 43456789) por estipendio de cocina"
    assert review.sections["dinero"].rating == "revisar"


def test_a_payment_to_a_members_personal_ruc_is_a_payment_to_the_member(db, school):
    # a RUC of a person is 10 + DNI + a check digit: 10-45678901-9 belongs to the treasurer
    treasury.record_expenses(db, school.id, [
        Expense(DAY, "transporte", "recibo", "R-2", "10456789019", "Yolanda Curi Ramos", "movilidad al almacén",
                Decimal("15.00"))], user="Yolanda")
    [flag] = _flags(db, school, "pago_a_miembro")
    assert flag.facts["member"] == "Yolanda Curi Ramos" and flag.facts["role"] == "tesorero"


def test_food_bought_that_expired_unused_is_flagged(db, school):
    items = (PurchaseItem("U19", "KILO", "1 kg", Decimal("50"), Decimal("1.60")),
             PurchaseItem("G14", "KILO", "1 kg", Decimal("10"), Decimal("18.00"), expiry=DAY + timedelta(days=7)))
    treasury.record_expenses(db, school.id, [Expense(DAY, "alimentos", "boleta", "B003-1", RUC, "Mercado",
                                                     "papa y queso", Decimal("260.00"), items=items)], user="Yolanda")
    [flag] = _flags(db, school, "compra_vencida")
    assert flag.facts["product"] == "G14" and flag.facts["expiry"] == "2026-11-09"
    assert Decimal(flag.facts["left_g"]) == 10 * 1000  # ten 1 kg units, none used
    assert "venció el 09/11/2026 y quedaban 10 kg" in word(flag) and "boleta B003-1 del 02/11/2026" in word(flag)
    # the flag belongs to the month the food expired in, not to every month after
    assert _flags(db, school, "compra_vencida") != []
    december = month_review.review(db, school, "2026-12", today=date(2027, 1, 5))
    assert not any(f.code == "compra_vencida" for f in december.flags)


def test_the_names_a_ruc_had_in_earlier_months_count_however_they_were_written(db, school):
    # October's receipts are read from the journal's text, not parsed whole: a name with quotes or an
    # accent, or another RUC, must come out as written
    october = date(2026, 10, 5)
    treasury.record_transfer(db, school.id, Transfer(october, Decimal("500.00"), "BN 0"), user="Yolanda")
    treasury.record_expenses(db, school.id, [
        Expense(october, "gas", "boleta", "B001-1", RUC, 'Gas "El Sol" SAC', "Balón de gas", Decimal("30.00"),
                payment="banco"),
        Expense(october, "gas", "boleta", "B001-2", RUC, "Gás Andino", "Balón de gas", Decimal("30.00"),
                payment="banco"),
        Expense(october, "limpieza", "boleta", "B9-1", "20100070970", "Otro Nombre", "Lejía", Decimal("5.00"),
                payment="banco"),
        Expense(october, "limpieza", "boleta", "B9-2", "20100070970", "Otro nombre distinto", "Lejía",
                Decimal("5.00"), payment="banco")], user="Yolanda")
    assert _flags(db, school, "ruc_varios_nombres") == []  # November has no receipt of those RUCs yet
    treasury.record_expenses(db, school.id, [
        Expense(DAY, "gas", "boleta", "B001-3", RUC, "GÁS ANDINO", "Balón de gas", Decimal("30.00"))], user="Yolanda")
    [flag] = _flags(db, school, "ruc_varios_nombres")  # the other RUC bought nothing in November
    assert flag.facts["ruc"] == RUC and flag.facts["count"] == 2
    assert flag.facts["names"] == 'Gas "El Sol" SAC / Gás Andino'  # as first written, in October


def test_food_bought_the_month_before_that_expired_unused_is_flagged(db, school):
    october = date(2026, 10, 20)
    treasury.record_transfer(db, school.id, Transfer(october, Decimal("500.00"), "BN 0"), user="Yolanda")
    treasury.record_expenses(db, school.id, [
        Expense(october, "gas", "boleta", "B001-1", RUC, "Gas SAC", "Balón de gas", Decimal("30.00"),
                payment="banco"),
        Expense(october, "alimentos", "boleta", "B003-1", RUC, "Mercado", "queso", Decimal("180.00"), payment="banco",
                items=(PurchaseItem("G14", "KILO", "1 kg", Decimal("10"), Decimal("18.00"),
                                    expiry=DAY + timedelta(days=7)),))], user="Yolanda")
    [flag] = _flags(db, school, "compra_vencida")
    assert flag.facts["product"] == "G14" and flag.facts["expiry"] == "2026-11-09"
    assert flag.facts["bought"] == "2026-10-20" and flag.facts["receipt"] == "boleta B003-1"
    assert Decimal(flag.facts["left_g"]) == 10 * 1000
