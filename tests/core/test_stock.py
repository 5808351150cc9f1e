"""Reception, stock and service: from the supplier's truck to the child's plate, traceable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from qaliwarma.domain.stock import Reception, ReceptionLine, ServiceInput
from qaliwarma.errors import InvalidInput, PeriodClosed
from qaliwarma.persistence.journal import Journal
from qaliwarma.services import committee, receiving, serving, stock
from qaliwarma.services.setup import demo_form

RUC = "20604512370"
DAY = date(2026, 11, 2)


@pytest.fixture
def school(db):
    return committee.register(db, demo_form(), user="Rosa")


def line(code="A52", units="20", accepted=None, lot="L-1", expiry=date(2027, 5, 1), conformity="conforme",
         state="bueno", note="", net="1000", reg="A123N/NADSA"):
    return ReceptionLine(code, code, "Marca", "BOLSA 1 kg", "BOLSA", Decimal(net), Decimal(units),
                         Decimal(accepted if accepted is not None else (units if conformity == "conforme" else 0)),
                         lot, date(2026, 9, 1), expiry, reg, state, conformity, note)


def receive(db, school, *lines, acta="A-1", day=DAY):
    return receiving.record(db, school.id, [Reception(day, acta, RUC, "Proveedor", tuple(lines))], user="Rosa")


def test_accepted_quantities_enter_stock_and_rejected_never_do(db, school):
    receive(db, school, line("A52", "20"), line("T49", "10", accepted="7", conformity="parcial", lot="H-1",
                                                note="3 bolsas rotas", state="roto"),
            line("A69", "5", conformity="rechazado", lot="T-1", note="producto con gorgojo"))
    held = stock.on_hand(db, school.id)
    assert held["A52"] == Decimal("20000")
    assert held["T49"] == Decimal("7000")
    assert "A69" not in held  # the rejected line never reaches the store


def test_a_reception_with_problems_is_refused_whole_naming_each(db, school):
    bad = [line("A52", lot=""), line("T49", expiry=date(2026, 10, 1), lot="H-1"),
           line("K1", state="hinchado", lot="K-1"), line("G5", conformity="rechazado", lot="G-1"),
           line("A7", reg="", lot="O-1")]
    with pytest.raises(InvalidInput) as err:
        receiving.record(db, school.id, [Reception(DAY, "A-1", "20604512371", "Proveedor", tuple(bad))], user="Rosa")
    text = str(err.value)
    assert "RUC «20604512371» no es válido" in text
    assert "falta el lote" in text
    assert "venció el 01/10/2026: debe rechazarse" in text
    assert "un envase «hinchado» no se recibe conforme" in text
    assert "por qué se rechaza" in text
    assert "registro sanitario" in text
    assert stock.on_hand(db, school.id) == {}


def test_the_same_acta_cannot_be_recorded_twice(db, school):
    receive(db, school, line(), acta="AER-2026-000731")
    for same in ("AER-2026-000731", "aer-2026-000731", " Aer-2026-000731  "):  # lower case slipped through
        with pytest.raises(InvalidInput, match="ya fue registrada"):
            receive(db, school, line(lot="L-2"), acta=same)
    assert receiving.find_acta(db, school.id, "aer-2026-000731")[0].payload["acta"] == "AER-2026-000731"
    with pytest.raises(InvalidInput, match="ya fue registrada"):  # twice in one file, too
        receiving.record(db, school.id, [Reception(DAY, "B-1", RUC, "Proveedor", (line(lot="L-3"),)),
                                         Reception(DAY, "b-1", RUC, "Proveedor", (line(lot="L-4"),))], user="Rosa")


def _serve(db, school, day=date(2026, 11, 3), rations=30, recipe="sierra-quinua-atamalada", level="primaria",
           meal="almuerzo", **kw):
    kw.setdefault("outside_origin", "Aporte de padres")  # what the store never received: the parents bring it
    return serving.record(db, school, [ServiceInput(day, meal, level, recipe, rations, rations, **kw)], user="Cocina")


def test_service_issues_by_dosing_oldest_expiry_first(db, school):
    receive(db, school, line("A52", "2", lot="NUEVO", expiry=date(2027, 9, 1)),
            line("A52", "2", lot="VIEJO", expiry=date(2027, 1, 1)))
    from qaliwarma.services import recipes

    recipe = recipes.get_recipe(db, "sierra-quinua-atamalada")
    per_child = next(i.doses["primaria"].grams for i in recipe.ingredients if i.code == "A52")
    result = _serve(db, school, rations=30)[0]
    assert result.issued == {"A52": per_child * 30}  # only the stocked product leaves the store
    by_lot = {lot.lot: lot.balance_grams for lot in stock.lots(db, school.id, with_empty=True)}
    assert per_child * 30 > Decimal(2000)  # more than the older lot holds
    assert by_lot["VIEJO"] == 0  # the lot expiring first is used up first
    assert by_lot["NUEVO"] == Decimal(4000) - per_child * 30


def test_an_expired_lot_cannot_be_issued(db, school):
    receive(db, school, line("A52", "5", lot="CORTO", expiry=date(2026, 11, 4)))
    _serve(db, school, day=date(2026, 11, 3), rations=10)  # still good the day before it expires
    with pytest.raises(InvalidInput) as err:
        _serve(db, school, day=date(2026, 11, 5), rations=10)
    assert "lote CORTO vencido el 04/11/2026 no se puede usar" in str(err.value)
    assert len(serving.services_in(db, school.id, DAY, date(2026, 11, 30))) == 1  # nothing half-written


def test_a_suspended_lot_is_blocked(db, school):
    receive(db, school, line("A52", "5", lot="SOSPECHOSO"))
    stock.suspend(db, school.id, user="Rosa", day=DAY, reason="Comunicado del programa n.º 12", lot="sospechoso")
    with pytest.raises(InvalidInput, match="SOSPECHOSO suspendido"):
        _serve(db, school, rations=5)


def test_stock_never_goes_negative(db, school):
    receive(db, school, line("A52", "1", lot="UNO"))
    with pytest.raises(InvalidInput, match="faltan"):
        _serve(db, school, rations=142)
    lots = stock.lots(db, school.id)
    with pytest.raises(InvalidInput, match="nunca puede quedar negativo"):
        stock.adjust(db, school.id, lots[0].id, Decimal("-1500"), "perdida", day=DAY, user="Rosa")
    assert stock.on_hand(db, school.id)["A52"] == Decimal(1000)


def test_recall_finds_every_serving_of_a_lot(db, school):
    receive(db, school, line("A52", "60", lot="Q-77"))
    for d in (3, 4, 5):
        _serve(db, school, day=date(2026, 11, d), rations=25 + d, level="inicial")
        _serve(db, school, day=date(2026, 11, d), rations=100 + d)
    found = stock.recall(db, school.id, "q-77")
    assert [(s.day.day, s.level, s.rations) for s in found.servings] == [
        (3, "inicial", 28), (3, "primaria", 103), (4, "inicial", 29), (4, "primaria", 104),
        (5, "inicial", 30), (5, "primaria", 105)]
    assert found.children_served == sum(s.rations for s in found.servings)
    assert found.lots[0].balance_grams == Decimal(60000) - sum(s.grams for s in found.servings)


def test_a_correction_leaves_the_original_and_the_chain_verifies(db, school):
    receive(db, school, line("A52", "10", lot="Q-1"))
    seq = _serve(db, school, rations=40)[0].seq
    before = stock.on_hand(db, school.id)["A52"]
    serving.reverse(db, school.id, seq, user="Rosa", reason="Se anotó en el día equivocado", day=date(2026, 11, 4))
    assert stock.on_hand(db, school.id)["A52"] == Decimal(10000)
    assert before < Decimal(10000)
    with db.session() as s:
        j = Journal(s, school.id)
        assert j.get(seq).kind == "servicio" and j.get(seq).payload["rations"] == 40
        assert j.verify().ok
    assert serving.services_in(db, school.id, DAY, date(2026, 11, 30)) == []
    _serve(db, school, day=date(2026, 11, 4), rations=40)  # the right day can now be recorded


def test_cook_corrected_issue_needs_a_reason_and_shows_in_the_yield_check(db, school):
    receive(db, school, line("A52", "10", lot="Q-1"))
    with pytest.raises(InvalidInput, match="escriba el motivo"):
        _serve(db, school, rations=40, issued_override={"A52": Decimal(5000)})
    _serve(db, school, rations=40, issued_override={"A52": Decimal(5000)}, override_reason="se quemó una olla")
    report = {y.food_code: y for y in serving.yield_check(db, school, DAY, date(2026, 11, 30))}
    assert report["A52"].issued_grams == Decimal(5000)
    assert report["A52"].flagged and report["A52"].deviation > Decimal("0.05")


def test_no_entry_in_a_closed_month(db, school):
    with db.session() as s:
        Journal(s, school.id).close_month("2026-11", user="Rosa")
    with pytest.raises(PeriodClosed):
        receive(db, school, line())
    assert stock.on_hand(db, school.id) == {}


def test_kardex_running_balance(db, school):
    receive(db, school, line("A52", "3", lot="K-1"))
    _serve(db, school, rations=20)
    lots = stock.lots(db, school.id)
    stock.adjust(db, school.id, lots[0].id, Decimal("-250"), "deterioro", day=date(2026, 11, 4), user="Rosa",
                 note="humedad")
    lines = stock.kardex(db, school.id, "A52")
    assert [k.kind for k in lines] == ["recepcion", "salida", "ajuste"]
    assert lines[-1].balance == stock.on_hand(db, school.id)["A52"]
    assert lines[-1].reason == "Deterioro (malogrado)"


def test_physical_count_records_differences(db, school):
    receive(db, school, line("A52", "3", lot="K-1"))
    lot = stock.lots(db, school.id)[0]
    diffs = stock.physical_count(db, school.id, [stock.CountLine(lot.id, Decimal(2800))], day=DAY, user="Rosa")
    assert [(d[0].lot, d[1]) for d in diffs] == [("K-1", Decimal(-200))]
    assert stock.on_hand(db, school.id)["A52"] == Decimal(2800)


def test_expiry_alerts(db, school):
    receive(db, school, line("A52", "3", lot="PRONTO", expiry=date(2026, 11, 20)),
            line("T49", "3", lot="LUEGO", expiry=date(2027, 6, 1)))
    soon = stock.expiring(db, school.id, DAY, 30)
    assert [lot.lot for lot in soon] == ["PRONTO"]


def test_more_than_a_hundred_tonnes_of_one_product_in_an_acta_or_a_count_is_refused(db, school):
    """100000 bags of 50 kg went into the store as 5,000,000 kg, and a count of 99,999,999 kg went into the kardex
    as a difference, without a word."""
    with pytest.raises(InvalidInput) as refused:
        receive(db, school, line("U19", "100000", net="50000"))
    assert ("100,000 × 50 kg suman 5,000,000 kg: más de 100,000 kg de un producto en un acta. Revise la cantidad y "
            "la presentación.") in str(refused.value)
    assert stock.on_hand(db, school.id) == {}
    receive(db, school, line("U19", "40", net="50000"))  # two tonnes: a real delivery
    [lot] = stock.lots(db, school.id, food_code="U19")
    with pytest.raises(InvalidInput) as refused:
        stock.physical_count(db, school.id, [stock.CountLine(lot.id, Decimal("99999999000"))], day=DAY, user="x")
    assert "se contaron 99,999,999 kg: más de 100,000 kg en un lote; revise lo escrito" in str(refused.value)
    assert stock.on_hand(db, school.id)["U19"] == Decimal("2000000")


def test_a_count_dated_before_later_issues_is_compared_with_that_days_balance(demo_copy):
    """November's count typed on 2 December: compared with today's balance (after December's issues) it recorded
    a false difference; it is compared with what the lot held at the end of the count's day."""
    import sqlite3

    db, info = demo_copy
    path = db.url.split("///", 1)[1] if isinstance(db.url, str) else str(db.url).split("///", 1)[1]
    day = date(2026, 11, 20)
    lot = next(lt for lt in stock.lots(db, info.id) if lt.food_code == "G5")
    con = sqlite3.connect(path)
    on_day, after = con.execute("SELECT COALESCE(SUM(CASE WHEN day <= ? THEN grams END), 0), "
                                "COALESCE(SUM(CASE WHEN day > ? THEN grams END), 0) FROM stock_movements "
                                "WHERE lot_id = ?", (day.isoformat(), day.isoformat(), lot.id)).fetchone()
    con.close()
    assert after < 0  # milk left the store after the 20th: what the test is about
    [(found, diff)] = stock.physical_count(db, info.id, [stock.CountLine(lot.id, Decimal(str(on_day)) - 100)],
                                           day=day, user="Julio")
    assert diff == Decimal(-100)
    assert next(lt for lt in stock.lots(db, info.id) if lt.id == lot.id).balance_grams == lot.balance_grams - 100
    with pytest.raises(InvalidInput, match="después del 20/11/2026 salieron de este lote"):
        stock.physical_count(db, info.id, [stock.CountLine(lot.id, Decimal(0))], day=day, user="Julio")
