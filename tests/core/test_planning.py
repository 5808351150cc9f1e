"""Calendar, plans, plan files and needs: what a committee planning a month relies on."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import pytest

from qaliwarma.domain.calendar import easter
from qaliwarma.domain.menus import PlanEntry
from qaliwarma.errors import InvalidInput
from qaliwarma.io.plan_files import read_plan_file, write_plan_toml
from qaliwarma.services import calendar, committee, needs, planning
from qaliwarma.services.setup import demo_form


@pytest.fixture
def school(db):
    return committee.register(db, demo_form(), user="Rosa")


def test_easter_and_national_holidays():
    assert easter(2027) == date(2027, 3, 28)
    holidays = {h.day: h.name for h in calendar.national_holidays(2027)}
    assert holidays[date(2027, 3, 25)] == "Jueves Santo"
    assert holidays[date(2027, 7, 28)] == "Fiestas Patrias"
    assert date(2027, 8, 6) in holidays and date(2021, 8, 6) not in {h.day for h in calendar.national_holidays(2021)}


def test_suggested_school_calendar_excludes_weekends_holidays_and_vacations():
    cal = calendar.suggested_calendar(2027)
    assert cal.is_school_day(date(2027, 3, 24))
    assert "feriado (Viernes Santo)" in cal.why_not(date(2027, 3, 26))
    assert "sábado o domingo" in cal.why_not(date(2027, 3, 27))
    assert "vacaciones" in cal.why_not(date(2027, 7, 26))
    assert "fuera del año escolar" in cal.why_not(date(2027, 1, 15))
    assert 175 <= len(cal.school_days()) <= 195


def _entries(day: date, breakfast="sierra-api-pan-queso", lunch="sierra-patachi"):
    return [PlanEntry(day, "desayuno", lv, breakfast) for lv in ("inicial", "primaria")] + [
        PlanEntry(day, "almuerzo", lv, lunch) for lv in ("inicial", "primaria")]


def test_a_plan_with_bad_entries_is_refused_whole(db, school):
    bad = [
        PlanEntry(date(2027, 3, 26), "desayuno", "inicial", "sierra-api-pan-queso"),  # Viernes Santo
        PlanEntry(date(2027, 3, 24), "desayuno", "secundaria", "sierra-api-pan-queso"),  # level not in school
        PlanEntry(date(2027, 3, 24), "desayuno", "inicial", "no-existe"),
        PlanEntry(date(2027, 3, 23), "almuerzo", "inicial", "sierra-api-pan-queso"),  # a breakfast at lunch
    ]
    with pytest.raises(InvalidInput) as err:
        planning.create_plan(db, school, "Marzo", date(2027, 3, 22), date(2027, 3, 31), bad)
    text = str(err.value)
    assert "no es día de clases: es feriado (Viernes Santo)" in text
    assert "no tiene el nivel «secundaria»" in text
    assert "preparación desconocida «no-existe»" in text
    assert "es un desayuno, no un almuerzo" in text
    assert planning.list_plans(db, school.id) == []


def test_copy_week_repeat_cycle_and_swap(db, school):
    week = [date(2027, 3, 15) + timedelta(days=i) for i in range(5)]
    lunches = ["sierra-patachi", "sierra-olluquito-charqui", "sierra-aji-pollo", "sierra-chuno-charqui",
               "sierra-sopa-quinua-alpaca"]
    entries = [e for d, lunch in zip(week, lunches, strict=True) for e in _entries(d, lunch=lunch)]
    info = planning.create_plan(db, school, "Marzo", date(2027, 3, 15), date(2027, 4, 9), entries)
    plan = planning.copy_week(db, school, info.id, date(2027, 3, 15), date(2027, 3, 22), user="Rosa")
    assert {e.recipe_id for e in plan.entries if e.day == date(2027, 3, 24) and e.meal == "almuerzo"} == {
        "sierra-aji-pollo"}
    plan = planning.swap_days(db, school, info.id, date(2027, 3, 15), date(2027, 3, 16), user="Julio")
    monday = {e.recipe_id for e in plan.entries if e.day == date(2027, 3, 15) and e.meal == "almuerzo"}
    assert monday == {"sierra-olluquito-charqui"}
    # each change of many cells is in the menu's history, cell by cell, with who did it and what
    history = planning.pick_history(db, school.id, info.id)
    swapped = [line for line in history if line.operation == "intercambio"]
    assert {(line.day, line.meal, line.recipe_id, line.before) for line in swapped if line.meal == "almuerzo"} == {
        (date(2027, 3, 15), "almuerzo", "sierra-olluquito-charqui", "sierra-patachi"),
        (date(2027, 3, 16), "almuerzo", "sierra-patachi", "sierra-olluquito-charqui")}
    assert len(swapped) == 2 * 2 and {line.user for line in swapped} == {"Julio"}  # 2 lunches × 2 levels: same breakfasts
    copied = [line for line in history if line.operation == "copia_semana"]
    school_days = {date(2027, 3, 22), date(2027, 3, 23), date(2027, 3, 24)}  # 25–26/03: Jueves y Viernes Santo
    assert len(copied) == 3 * 4 and {line.day for line in copied} == school_days
    assert "Julio, intercambió el 15/03/2027 y el 16/03/2027" in planning.pick_text(swapped[0])
    plan = planning.repeat_cycle(db, school, info.id, date(2027, 3, 15), 8, user="Rosa")
    # Holy Thursday and Friday (25–26/03/2027) are skipped: the cycle continues on the next school day
    assert not [e for e in plan.entries if e.day in (date(2027, 3, 25), date(2027, 3, 26))]
    assert {e.day for e in plan.entries} >= {date(2027, 3, 29), date(2027, 4, 9)}
    with pytest.raises(InvalidInput, match="fuera del plan"):
        planning.assign(db, school, info.id, date(2027, 5, 3), "desayuno", "inicial", "sierra-api-pan-queso")


def test_plan_files_round_trip_and_bad_rows_are_all_named(db, school, tmp_path):
    entries = _entries(date(2027, 3, 15)) + _entries(date(2027, 3, 16))
    text = write_plan_toml("Semana 1", date(2027, 3, 15), date(2027, 3, 19), entries, committee="0456789")
    path = tmp_path / "semana.toml"
    path.write_text(text, encoding="utf-8")
    back = read_plan_file(path, ["inicial", "primaria"])
    assert sorted(back.entries, key=str) == sorted(entries, key=str)
    csv = tmp_path / "plan.csv"
    csv.write_text("fecha;comida;nivel;preparacion\n15/03/2027;desayuno;todos;sierra-api-pan-queso\n"
                   "31/02/2027;desayuno;inicial;sierra-api-pan-queso\n16/03/2027;once;inicial;x\n",
                   encoding="latin-1")
    with pytest.raises(InvalidInput) as err:
        read_plan_file(csv, ["inicial", "primaria"])
    text = str(err.value)
    assert "fila 3, columna fecha: «31/02/2027» no es una fecha" in text
    assert "fila 4, columna comida" in text


def test_needs_round_up_to_commercial_units_and_cost_is_exact(db, school):
    day = date(2027, 3, 15)
    info = planning.create_plan(db, school, "Un día", day, day, _entries(day))
    plan = planning.get_plan(db, info.id)
    needs.set_prices(db, school.id, [needs.PriceItem("A69", "BOLSA", "1 kg", Decimal("5.00")),
                                     needs.PriceItem("D9", "BOTELLA", "1 L", Decimal("9.50"), Decimal("0.92"))])
    result = needs.plan_needs(db, plan, school)
    wheat = next(ln for ln in result.lines if ln.code == "A69")
    from qaliwarma.services import recipes

    patachi = recipes.get_recipe(db, "sierra-patachi")
    grams = {lv: next(i.doses[lv].grams for i in patachi.ingredients if i.code == "A69") for lv in ("inicial", "primaria")}
    expected = grams["inicial"] * 38 + grams["primaria"] * 142
    assert wheat.total_grams == expected
    assert expected % 1000 != 0  # the recipe's grams do not fill whole bags: the rounding is exercised
    assert wheat.units == math.ceil(expected / 1000)  # whole bags, rounded up (60 g × 38 + 90 g × 142 = 15.06 kg → 16)
    assert wheat.cost == Decimal("5.00") * wheat.units
    assert result.total_cost is None and "A69" not in result.missing_prices  # other foods lack prices
    assert result.rations == 2 * (38 + 142)


def test_needs_of_a_plan_naming_a_missing_preparation_say_which_one(db, school):
    """The preparations are read together; one that no longer exists is named, as when it is read alone."""
    from qaliwarma.domain.menus import Plan, PlanInfo
    from qaliwarma.errors import NotFound

    day = date(2027, 3, 15)
    plan = planning.get_plan(db, planning.create_plan(db, school, "Un día", day, day, _entries(day)).id)
    broken = Plan(PlanInfo(0, "", day, day, None, 1), (*plan.entries, PlanEntry(day, "desayuno", "primaria",
                                                                                "costa-no-existe")))
    with pytest.raises(NotFound, match="No existe la preparación «costa-no-existe»"):
        needs.plan_needs(db, broken, school)
    assert needs.plan_needs(db, plan, school).rations == 2 * (38 + 142)


def test_a_bad_price_saves_nothing(db, school):
    with pytest.raises(InvalidInput) as err:
        needs.set_prices(db, school.id, [needs.PriceItem("A69", "BOLSA", "1 kg", Decimal("5")),
                                         needs.PriceItem("ZZ1", "BOLSA", "1 kg", Decimal("5")),
                                         needs.PriceItem("D9", "BOTELLA", "1 L", Decimal("9.50"))])
    assert "ZZ1" in str(err.value) and "densidad" in str(err.value)
    assert needs.price_list(db, school.id) == {}


def test_a_pick_and_its_undo_are_journal_entries_saved_with_the_plan(ready_db):
    from qaliwarma.errors import JournalError
    from qaliwarma.services import integrity

    db = ready_db
    school = committee.register(db, demo_form(), user="Rosa")
    day = date(2027, 3, 15)
    info = planning.create_plan(db, school, "Marzo", day, date(2027, 3, 19), _entries(day))
    before = next(e.recipe_id for e in planning.get_plan(db, info.id).entries
                  if (e.day, e.meal, e.level) == (day, "almuerzo", "primaria"))
    picked = planning.pick(db, school, info.id, day, "almuerzo", "primaria", "sierra-aji-pollo", user="Julio")
    assert picked.seq == 2  # after the registration
    assert {(e.meal, e.level): e.recipe_id for e in picked.plan.entries if e.day == day}[("almuerzo", "primaria")] \
        == "sierra-aji-pollo"
    # nothing is saved when the journal refuses the entry: the plan's change goes back with it
    with pytest.raises(JournalError):
        planning.pick(db, school, info.id, day, "almuerzo", "primaria", "sierra-olluquito-charqui", user="  ")
    assert next(e.recipe_id for e in planning.get_plan(db, info.id).entries
                if (e.day, e.meal, e.level) == (day, "almuerzo", "primaria")) == "sierra-aji-pollo"

    with pytest.raises(InvalidInput, match=f"motivo para deshacer la elección n.º {picked.seq}"):
        planning.undo_pick(db, school, picked.seq, user="Rosa", reason="   ")  # no reason: nothing undone
    assert len(planning.pick_history(db, school.id, info.id)) == 1
    plan = planning.undo_pick(db, school, picked.seq, user="Rosa", reason="me equivoqué")
    assert next(e.recipe_id for e in plan.entries if (e.day, e.meal, e.level) == (day, "almuerzo", "primaria")) \
        == before
    undo, pick = planning.pick_history(db, school.id, info.id)
    assert (pick.user, pick.recipe_id, pick.before) == ("Julio", "sierra-aji-pollo", before)
    assert (undo.user, undo.undoes, undo.reason) == ("Rosa", picked.seq, "me equivoqué")
    assert integrity.check_one(db, school.id).ok


def test_a_closed_months_plan_is_neither_deleted_nor_judged_by_another_standard(demo_copy):
    """Deleting November's plan after closing November, or giving it another standard, changed the closed month's
    verification code (the paper signed and the package sent no longer matched) and `verify` said nothing."""
    from qaliwarma.services import export, periods

    db, info = demo_copy
    plan = planning.get_plan(db, planning.list_plans(db, info.id)[0].id)
    periods.close(db, info.id, "2026-11", user="Rosa", today=date(2026, 12, 1))
    code = export.month_code(db, info, "2026-11")
    with pytest.raises(InvalidInput, match="2026-11, ya cerrado: no se elimina"):
        planning.delete_plan(db, info.id, plan.info.id, user="Rosa")
    with pytest.raises(InvalidInput, match="su estándar ya no se cambia"):
        planning.set_standard(db, info, plan.info.id, "auditoria-lima-raciones")
    assert export.month_code(db, info, "2026-11") == code
    assert planning.get_plan(db, plan.info.id).entries == plan.entries


def test_deleting_a_plan_is_journaled_with_its_whole_content(db, school):
    from qaliwarma.persistence.journal import Journal

    entries = _entries(date(2027, 3, 15)) + _entries(date(2027, 3, 16))
    info = planning.create_plan(db, school, "Semana", date(2027, 3, 15), date(2027, 3, 19), entries)
    planning.delete_plan(db, school.id, info.id, user="Julio")
    assert planning.list_plans(db, school.id) == []
    with db.session() as s:
        [entry] = Journal(s, school.id).entries(planning.PLAN_DELETED)
    assert entry.user == "Julio" and entry.payload["plan_name"] == "Semana"
    kept = {(e["day"], e["meal"], e["level"], e["recipe_id"]) for e in entry.payload["entries"]}
    assert kept == {(e.day.isoformat(), e.meal, e.level, e.recipe_id) for e in entries}  # restorable from the journal


def test_a_standard_that_judged_a_closed_month_keeps_its_targets(demo_copy):
    """Raising the energy minimum of the committee's own standard after closing November changed November's
    verification code: the month's report judged its meals again by the new targets."""
    import dataclasses

    from qaliwarma.services import export, periods, standards

    db, info = demo_copy
    plan = planning.get_plan(db, planning.list_plans(db, info.id)[0].id)
    own = standards.copy_standard(db, info.id, "qw-2014", "Nuestro estándar")
    planning.set_standard(db, info, plan.info.id, own.id)
    periods.close(db, info.id, "2026-11", user="Rosa", today=date(2026, 12, 1))
    code = export.month_code(db, info, "2026-11")
    targets = tuple(dataclasses.replace(t, ranges={**t.ranges, "energy_kcal": dataclasses.replace(
        t.ranges["energy_kcal"], min=t.ranges["energy_kcal"].max - 1)}) if "energy_kcal" in t.ranges and
        t.ranges["energy_kcal"].max else t for t in own.targets)
    with pytest.raises(InvalidInput, match="juzga el plan «Menú de noviembre 2026», que tiene preparaciones de 2026-11"):
        standards.save_standard(db, info.id, dataclasses.replace(own, targets=targets))
    renamed = dataclasses.replace(standards.get_standard(db, own.id), name="Nuestro estándar (2026)")
    with pytest.raises(InvalidInput, match="ya no se cambia"):  # the month's report prints its name too
        standards.save_standard(db, info.id, renamed)
    assert export.month_code(db, info, "2026-11") == code
    copied = standards.copy_standard(db, info.id, own.id, "Nuestro estándar 2027")  # the way forward
    standards.save_standard(db, info.id, dataclasses.replace(copied, targets=targets))


def test_a_closed_months_code_keeps_the_enrolment_and_school_it_was_closed_with(demo_copy, tmp_path):
    """Raising the enrolment (and renaming the UGEL) in December changed November's verification code after it
    was closed: its «previsto» was recomputed with December's children. A committee whose data did not change
    keeps exactly the code it had (the upgrade does not move the codes already printed)."""
    import dataclasses

    from qaliwarma.reports.monthly import build_monthly_report
    from qaliwarma.services import committee, export, periods
    from tests.core.test_reports import pdf_text, squeeze

    db, info = demo_copy
    open_code = export.month_code(db, info, "2026-11")
    periods.close(db, info.id, "2026-11", user="Rosa", today=date(2026, 12, 1))
    code = export.month_code(db, info, "2026-11")
    assert code != open_code  # closing is in the month's journal
    assert committee.for_month(db, info, "2026-11").form == info.form  # unchanged data: the very same form
    more = [dataclasses.replace(lv, enrolment=lv.enrolment + 10) for lv in info.form.levels]
    committee.update(db, info.id, dataclasses.replace(info.form, levels=more, ugel="UGEL Nueva"), user="Rosa")
    now = committee.current(db)
    assert now.enrolment("primaria") == info.enrolment("primaria") + 10
    assert export.month_code(db, now, "2026-11") == code
    out = build_monthly_report(db, now, "2026-11", tmp_path / "nov.pdf", today=date(2026, 12, 5))
    assert out == export.verification_code(code)
    text = squeeze(pdf_text(tmp_path / "nov.pdf"))
    assert f"Primaria {info.enrolment('primaria')}" in text and "UGEL Nueva" not in text
    assert export.month_code(db, now, "2026-12") != code and committee.for_month(db, now, "2026-12").form == now.form


def test_an_own_preparation_planned_in_a_closed_month_is_neither_changed_nor_deleted(demo_copy):
    import dataclasses

    from qaliwarma.services import export, periods, recipes

    db, info = demo_copy
    plan = planning.get_plan(db, planning.list_plans(db, info.id)[0].id)
    day = date(2026, 11, 27)
    cell = next(e for e in plan.entries if e.day == day and e.meal == "almuerzo")
    base = recipes.get_recipe(db, cell.recipe_id)
    own = recipes.save_own_recipe(db, info.id, dataclasses.replace(base, id="", name="Nuestro almuerzo"))
    planning.pick(db, info, plan.info.id, day, "almuerzo", cell.level, own.id, user="Rosa")
    periods.close(db, info.id, "2026-11", user="Rosa", today=date(2026, 12, 1))
    code = export.month_code(db, info, "2026-11")
    heavier = dataclasses.replace(own, ingredients=tuple(
        dataclasses.replace(i, doses={lv: dataclasses.replace(d, grams=d.grams * 2) for lv, d in i.doses.items()})
        for i in own.ingredients))
    with pytest.raises(InvalidInput, match="está en el menú de 2026-11, ya cerrado"):
        recipes.save_own_recipe(db, info.id, heavier)
    with pytest.raises(InvalidInput, match="ya no se cambia ni se elimina"):
        recipes.delete_own_recipe(db, info.id, own.id)
    assert export.month_code(db, info, "2026-11") == code
    again = recipes.save_own_recipe(db, info.id, dataclasses.replace(heavier, id="", name="Nuestro almuerzo 2"))
    assert again.id != own.id  # saved under another name, for the coming months
