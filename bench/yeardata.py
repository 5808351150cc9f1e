"""A school year of a selva school's records as the files committees fill by hand.

Used by `make bench` (7 deliveries × 40 lines; 190 days × 2 meals × 3 levels) and, smaller, by the
end-to-end test that imports a year from files and checks stock and kardex to the gram.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

from qaliwarma.domain.calendar import Holiday, SchoolCalendar
from qaliwarma.domain.committee import CommitteeForm, LevelForm, MemberForm
from qaliwarma.domain.recipes import Dose, RecipeDef
from qaliwarma.persistence.engine import Database
from qaliwarma.services import calendar, committee, recipes

YEAR = 2027
RUC = "20604512370"
ACTA_HEADER = ["fecha", "acta", "proveedor_ruc", "proveedor", "producto", "marca", "presentacion", "unidad",
               "cantidad", "lote", "fecha_produccion", "fecha_vencimiento", "registro_sanitario", "estado_envase",
               "conformidad", "observacion", "cantidad_aceptada"]
SERVICE_HEADER = ["fecha", "comida", "nivel", "preparacion", "raciones_servidas", "asistentes", "origen_fuera"]
OUTSIDE = "aporte de padres"  # the vegetables and fruit no acta delivers: the parents bring them
FRESH_BREAD = {"A49", "A138"}


def school_form() -> CommitteeForm:
    return CommitteeForm(
        school_name="I.E. N.° 60123 Comunidad Nativa Santa Rosa", codigo_modular="0611111", ugel="UGEL Maynas",
        region="selva", department="Loreto", province="Maynas", district="Iquitos", ubigeo="160101", quintile=1,
        modality="productos",
        levels=[LevelForm("inicial", 30), LevelForm("primaria", 120), LevelForm("secundaria", 80)],
        members=[MemberForm("Elena Ahuanari", "46543210", "presidente", "director", date(YEAR, 3, 1))])


@dataclass(frozen=True)
class YearFiles:
    actas: Path
    services: Path
    school_days: list[date]
    accepted_grams: dict[str, Decimal]  # by food code, from the acta rows (what the files say entered)
    expected_issue: dict[str, Decimal]  # by food code: rations × dosing over the year (what should leave)
    services_with_issue: Path | None = None  # the same services with the day's issue (producto, lote, …)


def setup_school(db: Database, days: int) -> committee.CommitteeInfo:
    """Register the school, its calendar (exactly ``days`` school days) and its own secundaria
    breakfasts (1.2 × primaria, as the bank's selva lunches are dosed)."""
    info = committee.register(db, school_form(), user="bench")
    start = date(YEAR, 3, 1)
    cal = SchoolCalendar(YEAR, start, date(YEAR, 12, 31), calendar.national_holidays(YEAR))
    school = cal.school_days()[:days]
    calendar.save_calendar(db, info.id, replace(cal, end=school[-1], holidays=tuple(
        h for h in cal.holidays if isinstance(h, Holiday))))
    for summary in recipes.list_recipes(db, region="selva", meal="desayuno"):
        r = recipes.get_recipe(db, summary.id)
        ingredients = tuple(replace(i, doses={**i.doses, "secundaria": Dose(
            (i.doses["primaria"].grams * Decimal("1.2")).quantize(Decimal("1")), i.doses["primaria"].measure)})
            for i in r.ingredients)
        recipes.save_own_recipe(db, info.id, RecipeDef(
            f"comite-{r.id}-3n", r.name + " (3 niveles)", r.region, r.meal, ("inicial", "primaria", "secundaria"),
            ingredients, source=r.source))
    return info


def write_year(db: Database, info: committee.CommitteeInfo, folder: Path, *, deliveries: int = 7,
               lines_per_delivery: int = 40) -> YearFiles:
    days = calendar.school_days(db, info.id, date(YEAR, 1, 1), date(YEAR, 12, 31))
    breakfasts = [r.id for r in recipes.list_recipes(db, committee_id=info.id, meal="desayuno") if r.committee_own]
    lunches = [r.id for r in recipes.list_recipes(db, region="selva", meal="almuerzo")]
    defs = {rid: recipes.get_recipe(db, rid) for rid in breakfasts + lunches}
    services, expected = [], {}
    per_day: dict[date, dict[str, Decimal]] = {}
    per_meal: dict[tuple[date, str], dict[str, Decimal]] = {}
    for n, day in enumerate(days):
        for meal, choices in (("desayuno", breakfasts), ("almuerzo", lunches)):
            rid = choices[n % len(choices)]
            for level in info.levels:
                rations = info.enrolment(level) - (n * 7 + len(level)) % 9
                services.append([day.strftime("%d/%m/%Y"), meal, level, rid, rations, rations + 1, OUTSIDE])
                for ing, grams in defs[rid].gross_grams(level):
                    per_day.setdefault(day, {}).setdefault(ing.code, Decimal(0))
                    per_day[day][ing.code] += grams * rations
                    per_meal.setdefault((day, meal), {}).setdefault(ing.code, Decimal(0))
                    per_meal[(day, meal)][ing.code] += grams * rations
    stocked = sorted({c for d in per_day.values() for c in d if c[0] in "ADGKT" and c not in FRESH_BREAD}
                     | ({"E20", "E21"} & {c for d in per_day.values() for c in d}))
    base, extra = divmod(lines_per_delivery, max(1, len(stocked)))
    actas, accepted = [], {}
    span = -(-len(days) // deliveries)
    for k in range(deliveries):
        period = days[k * span:(k + 1) * span]
        if not period:
            break
        delivery_day = period[0]
        for i, code in enumerate(stocked):
            need = sum(per_day[d].get(code, Decimal(0)) for d in period)
            lots = max(1, base + (1 if i < extra else 0))
            if need == 0:
                continue
            for j in range(lots):
                share = (need * Decimal("1.08") / lots / 1000).to_integral_value(ROUND_CEILING)
                lot = f"S{k + 1}-{code}-{j + 1}"
                expiry = delivery_day + timedelta(days=120 + 30 * j + i)
                actas.append([delivery_day.strftime("%d/%m/%Y"), f"ACTA-{YEAR}-{k + 1:02d}", RUC,
                              "Distribuidora Amazónica S.A.C.", code, f"Marca {code}", "1 kg", "BOLSA", str(share),
                              lot, (delivery_day - timedelta(days=30)).strftime("%d/%m/%Y"),
                              expiry.strftime("%d/%m/%Y"), f"R{k}{i}{j}N/NADSA", "bueno", "conforme", "", ""])
                accepted[code] = accepted.get(code, Decimal(0)) + share * 1000
    folder.mkdir(parents=True, exist_ok=True)
    acta_path, service_path = folder / "actas.csv", folder / "raciones.csv"
    with open(acta_path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([ACTA_HEADER] + actas)
    with open(service_path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([SERVICE_HEADER] + services)
    # the same services, and what left the store for each day × meal (what the dosing says, to the
    # tenth of a gram, oldest expiry first) on rows of their own: `serve import` with the issue columns
    issue_path = folder / "raciones-con-salidas.csv"
    blank_service = [""] * (len(SERVICE_HEADER) - 2)  # an issue-only row: no level, preparation, counts or origin
    issues = [[day.strftime("%d/%m/%Y"), meal, *blank_service, code, "", str(grams.quantize(Decimal("0.1"))), "g"]
              for (day, meal), codes in per_meal.items() for code, grams in sorted(codes.items())
              if code in accepted and grams > 0]
    with open(issue_path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([SERVICE_HEADER + ["producto", "lote", "cantidad", "unidad"]]
                                 + [row + ["", "", "", ""] for row in services] + issues)
    for d in per_day.values():
        for code, grams in d.items():
            if code in accepted:
                expected[code] = expected.get(code, Decimal(0)) + grams
    return YearFiles(acta_path, service_path, days, accepted, expected, issue_path)
