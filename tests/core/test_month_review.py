"""The month's review (services.month_review): the physical count is part of closing, and a partly
recorded month is never «bien»."""

from __future__ import annotations

from datetime import date

from qaliwarma.services import month_review, stock

AFTER = date(2026, 12, 2)  # November's last school day (Monday 30) has passed


def _codes(review) -> set[str]:
    return {f.code for f in review.flags}


def test_a_month_whose_last_school_day_passed_asks_for_the_physical_count(demo_copy):
    db, info = demo_copy
    review = month_review.review(db, info, "2026-11", today=AFTER)
    assert "conteo_pendiente" in _codes(review)
    assert review.sections["almacen"].rating != "bien" and not review.complete
    # the storekeeper counts and every lot agrees with the kardex: no adjustment, but the count is recorded
    counts = [stock.CountLine(lot.id, lot.balance_grams) for lot in stock.lots(db, info.id)]
    assert stock.physical_count(db, info.id, counts, day=date(2026, 11, 30), user="almacén") == []
    after = month_review.review(db, info, "2026-11", today=AFTER)
    assert "conteo_pendiente" not in _codes(after)


def test_before_the_last_school_day_the_count_is_not_asked_for(demo_copy):
    db, info = demo_copy
    review = month_review.review(db, info, "2026-11", today=date(2026, 11, 20))
    assert "conteo_pendiente" not in _codes(review)
    assert "dias_por_llegar" in _codes(review) and review.sections["registro"].rating == "incompleto"


def test_a_month_that_may_not_be_closed_yet_is_named_as_people_say_it(demo_copy):
    from qaliwarma.services import periods

    db, info = demo_copy
    ok, why = periods.may_close(db, info.id, "2026-11", date(2026, 11, 20))
    assert not ok and why.startswith("No se puede cerrar noviembre de 2026 todavía: su último día de clases es el")
    ok, why = periods.may_close(db, info.id, "2027-01", date(2026, 11, 20))
    assert not ok and why == "No se puede cerrar enero de 2027: todavía no empieza."


def test_a_school_days_meal_left_without_a_plan_keeps_the_menu_and_nutrition_from_bien(demo_copy):
    """«Sin preparación» for inicial's breakfast on the 26th: the compliance check covers planned meals only, so
    the month still read «Las 83 comidas del plan cumplen» and the nutrition section was «Bien» over a meal
    nobody checked."""
    from qaliwarma.domain.flags import RATINGS
    from qaliwarma.services import planning

    db, info = demo_copy
    before = month_review.review(db, info, "2026-11", today=AFTER)
    assert before.sections["nutricion"].rating == "bien" and before.sections["nutricion"].facts["unplanned"] == 0
    [plan] = [p for p in planning.list_plans(db, info.id) if p.start <= date(2026, 11, 26) <= p.end]
    planning.assign(db, info, plan.id, date(2026, 11, 26), "desayuno", "inicial", None)
    after = month_review.review(db, info, "2026-11", today=AFTER)
    assert after.sections["nutricion"].facts["unplanned"] == 1
    for section in ("menu", "nutricion"):
        assert RATINGS.index(after.sections[section].rating) >= RATINGS.index("incompleto"), section
