"""«Proponer menú»: the proposal meets the standard as the compliance service judges it, costs no more
than the hand-made plan, uses the lot nearest to expiry first and says what it cannot meet."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from qaliwarma.domain.stock import Reception, ReceptionLine
from qaliwarma.services import compliance, needs, planning, propose, receiving, recipes, standards

NOV_1, NOV_30 = date(2026, 11, 1), date(2026, 11, 30)


def _hand_plan(db, info):
    return planning.get_plan(db, planning.list_plans(db, info.id)[0].id, info.id)


def test_demo_month_proposal_passes_the_check_and_costs_less_than_the_hand_made_plan(demo):
    db, info = demo
    result = propose.propose(db, info, NOV_1, NOV_30, today=date(2026, 11, 26))
    assert result.status == "optimal" and result.unmet == ()
    hand = _hand_plan(db, info)
    # every school day × meal × level of the hand-made plan has a proposed preparation
    assert {(e.day, e.meal, e.level) for e in result.entries} == {(e.day, e.meal, e.level) for e in hand.entries}
    plan = planning.Plan(hand.info, result.entries)
    check = compliance.check_plan(db, plan, standards.get_standard(db, "qw-2014"), info)
    assert check.summary()["ok"] == len(hand.entries) == 84
    assert all(r.status == "ok" for r in check.rules)
    hand_check = compliance.check_plan(db, hand, standards.get_standard(db, "qw-2014"), info)
    assert hand_check.summary()["ok"] == len(hand.entries)  # the demo's sierra bank meets the standard too
    cost_hand = needs.plan_needs(db, hand, info).cost_per_ration
    cost_prop = needs.plan_needs(db, plan, info).cost_per_ration
    assert result.cost_per_ration == cost_prop
    assert cost_prop <= cost_hand
    # one dish per meal for the whole school: both levels eat the same preparation every day
    by_meal = defaultdict(set)
    for e in result.entries:
        by_meal[(e.day, e.meal)].add(e.recipe_id)
    assert all(len(v) == 1 for v in by_meal.values())
    # the region's preparations first: most entries are sierra dishes
    sierra = sum(1 for e in result.entries if e.recipe_id.startswith("sierra-"))
    assert sierra >= 0.75 * len(result.entries)


def test_the_lot_nearest_to_expiry_is_used_up_first(demo_copy):
    db, info = demo_copy
    today = date(2026, 11, 26)
    old = [lt for lt in propose.stock.lots(db, info.id) if lt.food_code == "K1"]
    assert old and all(lt.expiry > date(2027, 1, 1) for lt in old)
    receiving.record(db, info.id, [Reception(today, "AER-2026-000999", "20604512370", "Proveedor", (
        ReceptionLine("K1", "Azúcar", "Dulce Sur", "BOLSA 1 kg", "BOLSA", Decimal(1000), Decimal(2), Decimal(2),
                      "AZ-PRONTO", date(2026, 6, 1), date(2026, 12, 10), "X123", "bueno", "conforme"),))],
                     user="test")
    result = propose.propose(db, info, NOV_1, NOV_30, today=today)
    # sugar needed on the days the store feeds (26, 27 and 30 November), computed from the entries
    children = {lv: info.enrolment(lv) for lv in info.levels}
    need = Decimal(0)
    for e in result.entries:
        if e.day >= today:
            need += sum((g * children[e.level] for ing, g in recipes.get_recipe(db, e.recipe_id).gross_grams(e.level)
                         if ing.code == "K1"), Decimal(0))
    assert need > 2000  # more than the new lot holds, so both lots are used
    used = {lt.lot: lt.used_grams for lt in result.lots if lt.food_code == "K1"}
    assert used["AZ-PRONTO"] == Decimal(2000)  # the lot that expires first is used up
    others = sum(v for k, v in used.items() if k != "AZ-PRONTO")
    assert abs(others - (need - 2000)) < 1  # the rest from the later lots


def _haem_recipes(db, standard) -> set[str]:
    rule = next(r for r in standard.rules if r.kind == "haem_iron_per_week")
    out = set()
    for summary in recipes.list_recipes(db):
        rd = recipes.get_recipe(db, summary.id)
        for lv in rd.levels:
            grams = sum(float(g * ing.edible_factor) for ing, g in rd.gross_grams(lv) if ing.code[0] in "EF")
            if grams >= rule.min_grams:
                out.add(rd.id)
    return out


def test_without_haem_iron_preparations_the_proposal_is_closest_and_names_the_rule_and_days(demo):
    db, info = demo
    standard = standards.get_standard(db, "qw-2014")
    removed = _haem_recipes(db, standard)
    assert "sierra-patachi" in removed and "sierra-canihua-pan-queso" not in removed
    result = propose.propose(db, info, NOV_1, NOV_30, today=date(2026, 11, 26), exclude=removed)
    assert result.status == "closest"
    assert not {e.recipe_id for e in result.entries} & removed
    haem = [u for u in result.unmet if u.requirement.startswith("haem_iron_per_week")]
    assert {u.requirement for u in haem} == {"haem_iron_per_week inicial", "haem_iron_per_week primaria"}
    rule = next(r for r in standard.rules if r.kind == "haem_iron_per_week")
    for u in haem:
        assert rule.description in u.text and "hierro hemínico" in u.text
        assert u.days and min(u.days) == date(2026, 11, 2) and max(u.days) == date(2026, 11, 30)
        # 4 full weeks (2 servings each) and Monday 30/11 alone (1): 9 days missing per level
        assert u.shortfall == 9


def test_kept_days_stay_as_they_are(demo_copy):
    from dataclasses import replace

    db, info = demo_copy
    # the committee's own breakfast at 70 % of the bank's grams, kept on 06/11 for primaria
    base = recipes.get_recipe(db, "sierra-quinua-manzana-pan-huevo")
    small = replace(base, id="comite-quinua-chica", name="Quinua chica", committee_own=True, file_path=None,
                    ingredients=tuple(replace(i, doses={lv: replace(d, grams=(d.grams * Decimal("0.7")).quantize(
                        Decimal("0.1"))) for lv, d in i.doses.items()}) for i in base.ingredients))
    recipes.save_own_recipe(db, info.id, small)
    misses = {m.metric for m in compliance.judge_recipe(db, recipes.get_recipe(db, small.id), "primaria",
                                                        standards.get_standard(db, "qw-2014")) if m.status != "ok"}
    assert "energy_kcal" in misses
    hand = _hand_plan(db, info)
    keep = [e if (e.day, e.meal, e.level) != (date(2026, 11, 6), "desayuno", "primaria") else replace(e, recipe_id=small.id)
            for e in hand.entries if e.day < date(2026, 11, 9)]
    result = propose.propose(db, info, NOV_1, NOV_30, keep=keep, today=date(2026, 11, 26))
    mine = {(e.day, e.meal, e.level): e.recipe_id for e in result.entries}
    assert all(mine[(e.day, e.meal, e.level)] == e.recipe_id for e in keep)
    # the kept breakfast that misses the standard (06/11, primaria) is reported as a kept day, not silently
    # changed; the proposed days all meet it
    assert result.status == "closest"
    assert {(u.requirement, u.days) for u in result.unmet if u.kind == "nutrient"} == {
        (f"{metric} desayuno primaria conservado", (date(2026, 11, 6),)) for metric in misses}
    assert all("en los días que se conservan" in u.text for u in result.unmet if u.kind == "nutrient")


def test_the_proposal_keeps_the_weekly_vitamin_a_limit_a_committee_lowers(demo_copy):
    from dataclasses import replace

    db, info = demo_copy
    shipped = standards.get_standard(db, "qw-2014")
    copy = standards.copy_standard(db, info.id, "qw-2014", "Vitamina A más baja")
    # primaria: 3,500 µg a week instead of 4,500; the liver lunch alone gives about 2,981 µg
    rules = tuple(replace(r, limits=(("inicial", 4500.0), ("primaria", 3500.0), ("secundaria", 8500.0)))
                  if r.kind == "vitamin_a_per_week" else r for r in copy.rules)
    standards.save_standard(db, info.id, replace(copy, rules=rules))
    result = propose.propose(db, info, NOV_1, NOV_30, standard_id=copy.id, today=date(2026, 11, 26))
    hand = _hand_plan(db, info)
    check = compliance.check_plan(db, planning.Plan(hand.info, result.entries), standards.get_standard(db, copy.id), info)
    rule = next(r for r in check.rules if r.rule == "vitamin_a_per_week")
    # met, or named among what the proposal cannot meet: never an «optimal» plan that breaks it
    assert rule.status == "ok" or any(u.requirement.startswith("vitamin_a_per_week") for u in result.unmet)
    assert result.status == "optimal" and rule.status == "ok"
    # independent sum: liver (F38 beef liver, 4,968 µg/100 g in the TPCA) is served at most once a week
    liver = {e.day for e in result.entries if e.level == "primaria" and any(
        i.code in ("F38", "F28") for i in recipes.get_recipe(db, e.recipe_id).ingredients)}
    weeks = [sum(1 for d in liver if propose.monday_of(d) == m) for m in {propose.monday_of(d) for d in liver}]
    assert weeks and max(weeks) == 1
    assert shipped.rules == standards.get_standard(db, "qw-2014").rules


def test_adjusting_portions_serves_a_too_small_preparation_scaled_and_saves_it_for_the_dosing_sheets(demo_copy):
    from dataclasses import replace

    db, info = demo_copy
    base = recipes.get_recipe(db, "sierra-canihua-pan-queso")
    small = replace(base, id="comite-canihua-chica", name="Cañihua chica", committee_own=True, file_path=None,
                    ingredients=tuple(replace(i, doses={lv: replace(d, grams=(d.grams * Decimal("0.9")).quantize(
                        Decimal("0.1"))) for lv, d in i.doses.items()}) for i in base.ingredients))
    recipes.save_own_recipe(db, info.id, small)
    keep_breakfasts = {"sierra-avena-kiwicha-pan-sangrecita", "sierra-mazamorra-cebada-pan-palta",
                       "costa-soroco-pan-tortilla", "sierra-api-pan-queso",
                       "comite-canihua-chica"}
    exclude = {r.id for r in recipes.list_recipes(db, meal="desayuno")} - keep_breakfasts
    standard = standards.get_standard(db, "qw-2014")
    week = (date(2026, 11, 2), date(2026, 11, 6))  # 5 school days: 5 different breakfasts are needed
    plain = propose.propose(db, info, *week, today=date(2026, 12, 1), exclude=exclude)
    # without adjusting: the small breakfast misses the standard, so a breakfast repeats (or the small one
    # is served short): closest either way
    assert plain.status == "closest"
    assert plain.unmet and all(u.kind in ("rule", "nutrient") for u in plain.unmet)
    adjusted = propose.propose(db, info, *week, today=date(2026, 12, 1), exclude=exclude, portions=0.15)
    assert adjusted.status == "optimal", [u.text for u in adjusted.unmet]
    assert len(adjusted.adjusted) == 1
    vid, base_id, pct = adjusted.adjusted[0]
    assert base_id == "comite-canihua-chica" and 105 <= pct <= 115
    # saved as the committee's own preparation, grams scaled from the small one, and it passes the check
    saved = recipes.get_recipe(db, vid)
    assert saved.committee_own
    for ing, small_ing in zip(saved.ingredients, small.ingredients, strict=True):
        for lv in small_ing.doses:
            assert ing.doses[lv].grams == (small_ing.doses[lv].grams * pct / 100).quantize(Decimal("0.1"))
    check = compliance.check_plan(db, planning.Plan(_hand_plan(db, info).info, adjusted.entries), standard, info)
    assert check.summary()["ok"] == len(adjusted.entries) and vid in {c.recipe_id for c in check.entries}


def test_what_the_store_cannot_cover_is_named_with_the_food_and_days(demo_copy):
    db, info = demo_copy
    today = date(2026, 11, 26)
    for lot in [lt for lt in propose.stock.lots(db, info.id) if lt.food_code == "K1"]:  # the delivered sugar spoils
        propose.stock.adjust(db, info.id, lot.id, -lot.balance_grams, "deterioro", day=today, user="test")
    result = propose.propose(db, info, today, NOV_30, today=today)
    assert result.status == "closest"
    sugar = [u for u in result.unmet if u.requirement == "almacen K1"]
    assert len(sugar) == 1 and sugar[0].kind == "store"
    assert sugar[0].text.startswith("con lo que hay en el almacén no alcanza Azúcar")
    # the shortfall is the sugar of the breakfasts proposed, computed from their doses
    children = {lv: info.enrolment(lv) for lv in info.levels}
    need = sum((g * children[e.level] for e in result.entries
                for ing, g in recipes.get_recipe(db, e.recipe_id).gross_grams(e.level) if ing.code == "K1"), Decimal(0))
    assert need > 0 and abs(Decimal(str(sugar[0].shortfall)) - need / 1000) < Decimal("0.002")
    assert set(sugar[0].days) == {e.day for e in result.entries if e.meal == "desayuno"}


def test_a_dearer_proposal_says_which_foods_make_it_dearer(demo):
    db, info = demo
    hand = _hand_plan(db, info)
    result = propose.propose(db, info, NOV_1, NOV_30, today=date(2026, 12, 1))
    # a cheap plan that ignores the standard: the cheapest breakfast and lunch every day
    prices = needs.price_list(db, info.id)

    def cost(rid):
        return sum(g * prices[i.code].price / prices[i.code].unit().grams()
                   for i, g in recipes.get_recipe(db, rid).gross_grams("primaria"))

    cheapest = {meal: min((r.id for r in recipes.list_recipes(db, region="sierra", meal=meal)), key=cost)
                for meal in ("desayuno", "almuerzo")}
    cheap = planning.Plan(hand.info, tuple(planning.PlanEntry(e.day, e.meal, e.level, cheapest[e.meal])
                                           for e in hand.entries))
    comparison = propose.compare_cost(db, info, result, cheap)
    a, b = needs.plan_needs(db, cheap, info), needs.plan_needs(db, planning.Plan(hand.info, result.entries), info)
    assert comparison.current == a.cost_per_ration and comparison.proposed == b.cost_per_ration
    assert comparison.percent > 0
    increase = {ln.name: (ln.cost or 0) - next((o.cost or 0 for o in a.lines if o.code == ln.code), 0)
                for ln in b.lines}
    top = max(increase, key=increase.get)
    assert comparison.dearer and comparison.dearer[0].startswith(f"{top}: S/ ")


def test_liver_kept_twice_in_a_week_is_reported_against_the_weekly_vitamin_a_limit(demo):
    # the committee fixed the liver lunch on Monday and Wednesday: 2 × ≈ 3,000 µg of preformed vitamin A
    # passes the 4,500 µg a week (rule vitamin_a_per_week); the proposal says by how much, and every other
    # week it proposes stays within the limit
    from qaliwarma.domain.menus import PlanEntry

    db, info = demo
    standard = standards.get_standard(db, "qw-2014")
    rule = next(r for r in standard.rules if r.kind == "vitamin_a_per_week")
    keep = [PlanEntry(day, "almuerzo", lv, "sierra-higado-papa-quinua")
            for day in (date(2026, 11, 2), date(2026, 11, 4)) for lv in info.levels]
    result = propose.propose(db, info, NOV_1, NOV_30, today=date(2026, 11, 26), keep=keep)
    assert result.status == "closest"
    over = {u.requirement: u for u in result.unmet if u.requirement.startswith("vitamin_a_per_week")}
    assert set(over) == {f"vitamin_a_per_week {lv}" for lv in info.levels}
    assert [u.requirement for u in result.unmet if u.requirement not in over] == []  # nothing else given up
    entries = result.entries  # the kept entries among them
    cache: dict = {}
    for lv in info.levels:
        weeks: dict = defaultdict(float)
        for e in entries:
            if e.level == lv:
                monday = e.day - timedelta(days=e.day.weekday())
                weeks[monday] += compliance._preformed_vitamin_a(db, recipes.get_recipe(db, e.recipe_id), lv,
                                                                 rule.foods, cache)
        limit = rule.limit_for(lv)
        assert weeks[date(2026, 11, 2)] > limit
        assert over[f"vitamin_a_per_week {lv}"].shortfall == round(weeks[date(2026, 11, 2)] - limit)
        assert "µg" in over[f"vitamin_a_per_week {lv}"].text and rule.description in over[f"vitamin_a_per_week {lv}"].text
        assert all(total <= limit for monday, total in weeks.items() if monday != date(2026, 11, 2))


def test_foods_without_a_price_are_named_not_only_coded(demo):
    """«falta el precio de B11, A138, E21, C75» told the committee nothing: they are said by their names."""
    from qaliwarma.domain.foods import named_foods
    from qaliwarma.services import catalog

    db, info = demo
    result = propose.propose(db, info, date(2026, 12, 1), date(2026, 12, 31), today=date(2026, 12, 1))
    assert result.missing_prices  # December's proposal uses foods the demo's price list lacks
    names = catalog.food_names(db)
    said = named_foods(result.missing_prices, result.names)
    for code in result.missing_prices:
        assert f"{names[code]} ({code})" in said


def test_preparations_of_another_region_are_named_with_their_region(demo):
    """A sierra school was proposed selva and costa breakfasts without a word (its own picker offers only sierra
    dishes): the proposal now lists them, each with its region, and says why."""
    db, info = demo
    result = propose.propose(db, info, date(2026, 12, 1), date(2026, 12, 31), today=date(2026, 12, 1))
    regions = {e.recipe_id: recipes.get_recipe(db, e.recipe_id).region for e in result.entries}
    elsewhere = {rid: reg for rid, reg in regions.items() if reg != info.form.region}
    assert elsewhere  # what the test is about: the sierra bank lacks enough breakfasts for the weekly rules
    assert dict(result.foreign) == elsewhere
    text = propose.foreign_text(result, info.form.region)
    for rid, reg in elsewhere.items():
        assert f"{result.names[rid]} ({reg})" in text
    assert "El recetario de la sierra no tiene bastantes preparaciones distintas" in text


def test_what_to_buy_includes_what_the_store_lacks(demo):
    """«no alcanza Aceite… faltan 2.748 kg» beside «Para comprar: Aceite 8.7 kg» read as two figures that disagree:
    what to buy is what the store does not cover in the whole period, so it holds each shortfall."""
    db, info = demo
    result = propose.propose(db, info, date(2026, 12, 1), date(2026, 12, 31), today=date(2026, 12, 7))
    short = {u.requirement.split()[1]: u.shortfall for u in result.unmet if u.kind == "store"}
    assert short  # the demo's store cannot cover December
    bought = {p.food_code: p.grams for p in result.purchases}
    for code, kg in short.items():
        assert bought.get(code, Decimal(0)) / 1000 >= Decimal(str(kg)) - Decimal("0.001"), code


def test_accepting_while_keeping_past_days_leaves_every_past_day_as_it_was(demo_copy):
    """«Conservar los días que ya pasaron» ticked, past days that had no preparation were filled all the same."""
    import pytest

    from qaliwarma.errors import InvalidInput

    db, info = demo_copy
    hand = _hand_plan(db, info)
    today = date(2026, 11, 26)
    emptied = {date(2026, 11, 24), date(2026, 11, 25)}  # two past days left without preparations
    planning.replace_days(db, info, hand.info.id, emptied, [], user="prueba", served_ok=True)
    before = {(e.day, e.meal, e.level): e.recipe_id for e in _hand_plan(db, info).entries}
    result = propose.propose(db, info, NOV_1, NOV_30, today=today)
    assert {e.day for e in result.entries} & emptied  # the proposal fills them: what the test is about
    with pytest.raises(InvalidInput, match="ya pasaron y se pidió conservarlos"):
        propose.accept(db, info, hand.info.id, result, emptied, user="prueba", served_ok=True, keep_before=today)
    propose.accept(db, info, hand.info.id, result, None, user="prueba", served_ok=True, keep_before=today)
    after = {(e.day, e.meal, e.level): e.recipe_id for e in _hand_plan(db, info).entries}
    assert {k: r for k, r in after.items() if k[0] < today} == {k: r for k, r in before.items() if k[0] < today}
    assert any(k[0] >= today and after.get(k) != before.get(k) for k in after)  # the days ahead were taken
