"""The compliance engine: each plan entry's nutrients per child against the standard's range, the
rules over the week and the period, and period averages — explained in plain Spanish.

Missing data never passes silently: a value that depends on an unknown table value is "unknown"
unless what is known already settles it (e.g. the known part already exceeds the minimum).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from fnmatch import fnmatch

from ..domain.calendar import monday_of
from ..domain.menus import (
    STATUS_HIGH,
    STATUS_LOW,
    STATUS_OK,
    STATUS_UNKNOWN,
    EntryCheck,
    MetricCheck,
    Plan,
    PlanCheck,
    RuleCheck,
    worst,
)
from ..domain.nutrients import BY_KEY, format_amount
from ..domain.recipes import RecipeDef
from ..domain.standards import ABOVE_IS_NOTICE, DERIVED_METRICS, Range, StandardSet
from ..errors import QaliwarmaError
from ..i18n import N_, _
from ..persistence.engine import Database
from . import analysis
from . import recipes as recipe_service
from .committee import CommitteeInfo

ADVICE = {
    ("energy_kcal", STATUS_LOW): N_("aumente la porción de cereal, tubérculo o pan"),
    ("energy_kcal", STATUS_HIGH): N_("reduzca la porción de cereal, azúcar o aceite"),
    ("protein_g", STATUS_LOW): N_("agregue huevo, leche, queso, menestras, pescado o carne"),
    ("protein_g", STATUS_HIGH): N_("reduzca la porción de carne, pescado o menestras"),
    ("fat_g", STATUS_LOW): N_("agregue un poco de aceite o palta"),
    ("fat_g", STATUS_HIGH): N_("reduzca el aceite y las frituras"),
    ("fat_pct_energy", STATUS_LOW): N_("agregue un poco de aceite o palta"),
    ("fat_pct_energy", STATUS_HIGH): N_("reduzca el aceite y las frituras"),
    ("protein_pct_energy", STATUS_LOW): N_("agregue huevo, leche, queso, menestras o pescado"),
    ("iron_mg", STATUS_LOW): N_("agregue sangrecita, hígado, bazo, charqui o menestras"),
    ("added_sugar_g", STATUS_HIGH): N_("reduzca el azúcar"),
    ("vitamin_a_ug", STATUS_LOW): N_("agregue zanahoria, zapallo, hígado o verduras de hoja"),
    ("vitamin_c_mg", STATUS_LOW): N_("agregue una fruta o verdura fresca"),
    ("calcium_mg", STATUS_LOW): N_("agregue leche, queso o quinua"),
}
# A target whose minimum is only a notice says why, instead of advice that does not fit: lunch fat below 25 %
# with the dosing sheets' 5–6 g of oil (resources/standards/qw-2014.toml, docs/recipe-bank.md).
NOTICE_ADVICE = {
    "fat_pct_energy": N_("no es un problema: el 25–35 % es para la dieta del día entero y la hoja de "
                         "dosificación da 5–6 g de aceite por almuerzo"),
}


METRIC_ORDER = ("energy_kcal", "protein_g", "protein_pct_energy", "fat_g", "fat_pct_energy", "added_sugar_g",
                "iron_mg", "vitamin_a_ug", "calcium_mg", "zinc_mg", "vitamin_c_mg")


def ordered_ranges(ranges: dict[str, Range]) -> list[tuple[str, Range]]:
    """A target's ranges in the order a nutritionist reads them (energy first, then micronutrients)."""
    rank = {m: i for i, m in enumerate(METRIC_ORDER)}
    return sorted(ranges.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


class CancelledCheck(QaliwarmaError):
    """The user cancelled a long check."""


def _fmt_value(metric: str, value: float) -> str:
    if metric in BY_KEY:
        return format_amount(metric, value).rsplit(" ", 1)[0]
    return f"{value:.0f}" if metric.endswith("pct_energy") else f"{value:.1f}"


def _label_unit(metric: str) -> tuple[str, str]:
    if metric in BY_KEY:
        return _(BY_KEY[metric].label_es), BY_KEY[metric].unit
    label, unit = DERIVED_METRICS[metric]
    return _(label), unit


class _Profile:
    """Nutrients and derived metrics of one preparation for one level, with what is incomplete and
    which foods give each metric (to name the food behind a problem)."""

    def __init__(self, db: Database, recipe: RecipeDef, level: str, sugar_codes: set[str] | None = None,
                 names: dict[str, str] | None = None) -> None:
        from . import substitutes, sugars

        result = analysis.analyse_recipe(db, recipe, level)
        self.nutrients = result.nutrients
        self.incomplete = {k: tuple(v) for k, v in result.incomplete.items()}
        values: dict[str, float | None] = dict(result.nutrients)
        self.estimated: dict[str, tuple[str, ...]] = {}
        self.bounds: dict[str, tuple[float, float]] = {}
        grams_of: dict[str, float] = {}
        for code, grams in recipe.edible_items(level):
            grams_of[code] = grams_of.get(code, 0.0) + grams
        for key, est in substitutes.fill(result.nutrients, result.incomplete, grams_of).items():
            values[key] = substitutes.shown_value(est)
            self.incomplete[key] = est.still_missing
            self.estimated[key] = est.codes
            if not est.still_missing:
                self.bounds[key] = (est.low, est.high)
        energy, fat, protein = values.get("energy_kcal"), values.get("fat_g"), values.get("protein_g")
        values["fat_pct_energy"] = fat * 9 / energy * 100 if energy and fat is not None else None
        values["protein_pct_energy"] = protein * 4 / energy * 100 if energy and protein is not None else None
        self.incomplete["fat_pct_energy"] = self.incomplete.get("fat_g", ()) + self.incomplete.get("energy_kcal", ())
        self.incomplete["protein_pct_energy"] = (self.incomplete.get("protein_g", ())
                                                 + self.incomplete.get("energy_kcal", ()))
        sugar = sugars.added_sugar(db, recipe.edible_items(level))
        values["added_sugar_g"] = sugar.grams
        self.incomplete["added_sugar_g"] = tuple(sugar.incomplete)
        self.estimated["added_sugar_g"] = tuple(sugar.estimated)
        self.values = values
        # what screens, averages and reports show for each nutrient: the table's value, or with the substitutes'
        # estimate where it has none (the figure the judgement used; the known part alone read 1.19 mg of zinc
        # beside a «cumple» judged on 2.0 mg)
        self.shown = {k: values.get(k) for k in self.nutrients}
        labels = {i.code: i.label for i in recipe.ingredients if i.label}
        table_names = names or {}

        def label(code: str) -> str:
            text = labels.get(code) or table_names.get(code, code)
            return text[:1].upper() + text[1:].lower() if text.isupper() else text

        per_item: dict[str, list[tuple[str, float]]] = {}
        for key in result.nutrients:
            amounts: dict[str, float] = {}
            for item in result.items:
                v = item.nutrients.get(key)
                if v:
                    amounts[item.code] = amounts.get(item.code, 0.0) + v
            per_item[key] = [(label(c), v) for c, v in sorted(amounts.items(), key=lambda kv: -kv[1])]
        per_item["fat_pct_energy"] = per_item.get("fat_g", [])
        per_item["protein_pct_energy"] = per_item.get("protein_g", [])
        per_item["added_sugar_g"] = [(label(c), v) for c, v in sugar.parts]
        self.contributors = per_item


def _who_gives(metric: str, contributors: list[tuple[str, float]] | None) -> str:
    """«viene sobre todo de Queso fresco (6.2 g de 14.8 g)»: the foods behind a metric."""
    if not contributors:
        return ""
    total = sum(v for _unused, v in contributors) or 1.0
    unit = "g" if metric.endswith("pct_energy") else _label_unit(metric)[1]
    base = metric.replace("_pct_energy", "_g") if metric.endswith("pct_energy") else metric
    top = [(n, v) for n, v in contributors[:2] if v / total >= 0.2] or contributors[:1]
    parts = " y ".join(f"{n} ({_fmt_value(base, v)} {unit})" for n, v in top)
    return _("viene sobre todo de {parts}").format(parts=parts)


def _judge(metric: str, value: float | None, rng: Range, lacking: tuple[str, ...],
           names: dict[str, str], contributors: list[tuple[str, float]] | None = None,
           estimated: tuple[str, ...] = (), bounds: tuple[float, float] | None = None) -> MetricCheck:
    label, unit = _label_unit(metric)
    target = rng.describe(unit, lambda v: f"{v:g}")
    base = rng.min if rng.min is not None else rng.max
    percent = (value / base * 100) if value is not None and base else None
    lacking_text = ", ".join(f"{c} ({names.get(c, c)})" for c in lacking)
    if value is None:
        return MetricCheck(metric, label, unit, None, rng.min, rng.max, STATUS_UNKNOWN, lacking, None,
                           _("{label}: sin datos en la tabla para {value}; meta {target}. No se puede comprobar.").format(label=label, value=lacking_text or _('ningún ingrediente'), target=target))
    shown = f"{_fmt_value(metric, value)} {unit}"
    above_max = rng.max is not None and value > rng.max
    below_min = rng.min is not None and value < rng.min
    if lacking:
        # The true value is at least `value`: it settles "high" and "reaches the minimum", nothing else.
        if above_max and rng.above != ABOVE_IS_NOTICE:
            status = STATUS_HIGH
        elif not below_min and (rng.max is None or rng.above == ABOVE_IS_NOTICE):
            status = STATUS_OK
        else:
            return MetricCheck(metric, label, unit, value, rng.min, rng.max, STATUS_UNKNOWN, lacking, percent,
                               _("{label}: {shown} sin contar {lacking_text} (sin dato en la tabla); meta {target}. No se puede confirmar.").format(label=label, shown=shown, lacking_text=lacking_text, target=target))
    elif bounds is not None and bounds[0] != bounds[1]:
        # Some foods' values are substitutes: judge by the whole plausible range of the true value.
        low, high = bounds
        if rng.min is not None and high < rng.min:
            status = STATUS_LOW
        elif rng.max is not None and low > rng.max and rng.above != ABOVE_IS_NOTICE:
            status = STATUS_HIGH
        elif (rng.min is None or low >= rng.min) and (rng.max is None or high <= rng.max
                                                      or rng.above == ABOVE_IS_NOTICE):
            status = STATUS_OK
        else:
            subs = ", ".join(f"{c} ({names.get(c, c)})" for c in estimated)
            return MetricCheck(metric, label, unit, value, rng.min, rng.max, STATUS_UNKNOWN, estimated, percent,
                               _("{label}: ≈ {shown} (estimado: la tabla no tiene dato de {subs}; valor plausible {fmt_value}–{fmt_value2} {unit}); meta {target}. No se puede confirmar.").format(label=label, shown=shown, subs=subs, fmt_value=_fmt_value(metric, low), fmt_value2=_fmt_value(metric, high), unit=unit, target=target),
                               estimated)
    elif below_min:
        status = STATUS_LOW
    elif above_max:
        status = STATUS_OK if rng.above == ABOVE_IS_NOTICE else STATUS_HIGH
    else:
        status = STATUS_OK
    below_notice = status == STATUS_LOW and rng.below == ABOVE_IS_NOTICE
    if below_notice:
        status = STATUS_OK
    message = ""
    if estimated:
        shown += _(" (estimado)")
    who = _who_gives(metric, contributors)
    if status == STATUS_LOW:
        message = (_("{label}: {shown}, por debajo de la meta {target}: {get}").format(label=label, shown=shown, target=target, get=_(ADVICE.get((metric, STATUS_LOW), N_('aumente la porción'))))
                   + (_(" (hoy el aporte mayor es {value})").format(value=contributors[0][0]) if contributors else "") + ".")
    elif status == STATUS_HIGH:
        message = (_("{label}: {shown}, por encima de la meta {target}: ").format(label=label, shown=shown, target=target)
                   + (_("{who}; reduzca esa porción o cámbiela.").format(who=who) if who
                      else _(ADVICE.get((metric, STATUS_HIGH), N_('reduzca la porción'))) + "."))
    elif below_notice and metric in NOTICE_ADVICE:
        message = (_("{label}: {shown}, por debajo de la meta {target} (aviso: {get}).").format(
            label=label, shown=shown, target=target, get=_(NOTICE_ADVICE[metric])).rstrip(".")
            + (_(" (hoy el aporte mayor es {value})").format(value=contributors[0][0]) if contributors else "") + ".")
    elif below_notice:
        message = (_("{label}: {shown}, por debajo de la meta {target} (aviso: {get}).").format(label=label, shown=shown, target=target, get=_(ADVICE.get((metric, STATUS_LOW), N_('aumente la porción')))))
    elif above_max:
        message = _("{label}: {shown}, por encima de la meta {target} (aviso: no es un problema").format(label=label, shown=shown, target=target) + (
            f"; {who})." if who else ").")
    return MetricCheck(metric, label, unit, value, rng.min, rng.max, status, lacking, percent, message,
                       estimated if bounds is not None and bounds[0] != bounds[1] else ())


def _haem_grams(recipe: RecipeDef, level: str, patterns: tuple[str, ...]) -> float:
    return sum(g for code, g in recipe.edible_items(level) if any(fnmatch(code, p) for p in patterns))


def _base_cereal(recipe: RecipeDef, level: str) -> str | None:
    cereals = [(g, code) for code, g in recipe.edible_items(level) if code.startswith("A")]
    return max(cereals)[1] if cereals else None


def _preformed_vitamin_a(db: Database | None, recipe: RecipeDef, level: str, patterns: tuple[str, ...],
                         cache: dict) -> float:
    """Vitamin A (µg RE) of the preparation's foods that match ``patterns`` (animal foods: the
    tolerable upper level is for preformed vitamin A, not for the carotenes of plants)."""
    key = (recipe.id, level)
    if key not in cache:
        items = [(c, g) for c, g in recipe.edible_items(level) if not patterns or any(fnmatch(c, p) for p in patterns)]
        cache[key] = (analysis.analyse_items(db, items).nutrients.get("vitamin_a_ug") or 0.0) if items else 0.0
    return cache[key]


def _check_rules(plan: Plan, standard: StandardSet, recipes: dict[str, RecipeDef],
                 names: dict[str, str], profiles: dict | None = None, db: Database | None = None) -> list[RuleCheck]:
    results: list[RuleCheck] = []
    levels = sorted({e.level for e in plan.entries})
    for rule in standard.rules:
        entries = [e for e in plan.entries if not rule.meals or e.meal in rule.meals]
        failures: list[RuleCheck] = []
        if rule.kind == "haem_iron_per_week":
            weeks: dict[tuple[date, str], list] = defaultdict(list)
            for e in entries:
                weeks[(monday_of(e.day), e.level)].append(e)
            for (monday, level), week in sorted(weeks.items()):
                days = len({e.day for e in week})
                hits = len({e.day for e in week if _haem_grams(recipes[e.recipe_id], level, rule.foods) >= rule.min_grams})
                needed = min(rule.times, days)
                if hits < needed:
                    failures.append(RuleCheck(rule.kind, rule.description, "fail",
                                              _("semana del {monday:%d/%m/%Y}, {level}: {hits} día(s) con hierro hemínico; se pide(n) {needed}").format(monday=monday, level=level, hits=hits, needed=needed), f"{monday:%d/%m/%Y} {level}"))
        elif rule.kind == "no_repeat_within_days":
            series: dict[tuple[str, str], list] = defaultdict(list)
            for e in sorted(entries, key=lambda x: x.day):
                series[(e.meal, e.level)].append(e)
            for (meal, level), items in sorted(series.items()):
                last: dict[str, tuple[int, date]] = {}
                for i, e in enumerate(items):
                    if e.recipe_id in last and i - last[e.recipe_id][0] < rule.days:
                        prev = last[e.recipe_id][1]
                        failures.append(RuleCheck(rule.kind, rule.description, "fail",
                                                  _("{get} se repite el {day:%d/%m/%Y} ({meal}, {level}); ya se sirvió el {prev:%d/%m/%Y}").format(get=names.get(e.recipe_id, e.recipe_id), day=e.day, meal=meal, level=level, prev=prev),
                                                  f"{e.day:%d/%m/%Y} {meal} {level}"))
                    last[e.recipe_id] = (i, e.day)
        elif rule.kind == "same_base_cereal_per_week":
            counts: dict[tuple, set] = defaultdict(set)
            for e in entries:
                cereal = _base_cereal(recipes[e.recipe_id], e.level)
                if cereal:
                    counts[(monday_of(e.day), e.meal, e.level, cereal)].add(e.day)
            for (monday, meal, level, cereal), days in sorted(counts.items()):
                if len(days) > rule.times:
                    failures.append(RuleCheck(rule.kind, rule.description, "fail",
                                              _("semana del {monday:%d/%m/%Y}, {meal} {level}: {get} como cereal base {len} días (máximo {times})").format(monday=monday, meal=meal, level=level, get=names.get(cereal, cereal), len=len(days), times=rule.times),
                                              f"{monday:%d/%m/%Y} {meal} {level}"))
        elif rule.kind == "vitamin_a_per_week":
            totals: dict[tuple[date, str], float] = defaultdict(float)
            richest: dict[tuple[date, str], tuple[float, str]] = {}
            preformed: dict = {}
            for e in entries:
                key = (monday_of(e.day), e.level)
                vit = _preformed_vitamin_a(db, recipes[e.recipe_id], e.level, rule.foods, preformed)
                totals[key] += vit
                if vit > richest.get(key, (-1.0, ""))[0]:
                    richest[key] = (vit, names.get(e.recipe_id, e.recipe_id))
            for (monday, level), total in sorted(totals.items()):
                limit = rule.limit_for(level)
                if limit is not None and total > limit:
                    vit, dish = richest[(monday, level)]
                    failures.append(RuleCheck(rule.kind, rule.description, "fail",
                                              _("semana del {monday:%d/%m/%Y}, {level}: {total:,.0f} µg de vitamina A preformada (máximo {limit:,.0f} µg por semana); la que más aporta: {dish} ({vit:,.0f} µg)").format(monday=monday, level=level, total=total, limit=limit, dish=dish, vit=vit), f"{monday:%d/%m/%Y} {level}"))
        results += failures or [RuleCheck(rule.kind, rule.description, "ok", _("se cumple en todo el plan")
                                          + (f" ({', '.join(levels)})" if levels else ""))]
    return results


def check_plan(db: Database, plan: Plan, standard: StandardSet, committee: CommitteeInfo, *,
               progress: Callable[[int, int], None] | None = None,
               cancel: Callable[[], bool] | None = None) -> PlanCheck:
    """Check every entry of ``plan`` against ``standard``; rules over weeks and the period."""
    from .catalog import food_names

    names = food_names(db)
    recipes: dict[str, RecipeDef] = {}
    for rid in {e.recipe_id for e in plan.entries}:
        recipes[rid] = recipe_service.get_recipe(db, rid)
    profiles: dict[tuple[str, str], _Profile] = {}
    checks: list[EntryCheck] = []
    total = len(plan.entries)
    for n, e in enumerate(plan.entries):
        if cancel and cancel():
            raise CancelledCheck(_("Revisión cancelada."))
        key = (e.recipe_id, e.level)
        if key not in profiles:
            profiles[key] = _Profile(db, recipes[e.recipe_id], e.level, names=names)
        prof = profiles[key]
        target = standard.target_for(e.level, e.meal, committee.form.quintile, committee.form.region)
        if target is None:
            checks.append(EntryCheck(e.day, e.meal, e.level, e.recipe_id, recipes[e.recipe_id].name, prof.shown,
                                     STATUS_UNKNOWN, (), (_("El estándar «{name}» no tiene meta para {meal} de {level}.").format(name=standard.name, meal=e.meal, level=e.level),)))
        else:
            metrics = tuple(_judge(m, prof.values.get(m), rng, prof.incomplete.get(m, ()), names,
                                   prof.contributors.get(m), prof.estimated.get(m, ()), prof.bounds.get(m))
                            for m, rng in ordered_ranges(target.ranges))
            status = worst(m.status for m in metrics)
            problems = tuple(m.message for m in metrics if m.status != STATUS_OK and m.message)
            notices = tuple(m.message for m in metrics if m.status == STATUS_OK and m.message)
            checks.append(EntryCheck(e.day, e.meal, e.level, e.recipe_id, recipes[e.recipe_id].name,
                                     prof.shown, status, metrics, problems, notices))
        if progress and (n % 50 == 0 or n == total - 1):
            progress(n + 1, total)
    rules = _check_rules(plan, standard, recipes, {**names, **{r.id: r.name for r in recipes.values()}}, profiles, db)
    averages: dict[tuple[str, str], dict[str, float | None]] = {}
    groups: dict[tuple[str, str], list[EntryCheck]] = defaultdict(list)
    for c in checks:
        groups[(c.meal, c.level)].append(c)
    for key, items in groups.items():
        avg: dict[str, float | None] = {}
        for metric in items[0].nutrients:
            vals = [i.nutrients[metric] for i in items if i.nutrients.get(metric) is not None]
            avg[metric] = sum(vals) / len(vals) if vals else None
        averages[key] = avg
    return PlanCheck(plan.info, standard.id, standard.name, tuple(checks), tuple(rules), averages)


def entry_json(c: EntryCheck) -> dict:
    return {"date": c.day.isoformat(), "meal": c.meal, "level": c.level, "recipe": c.recipe_id,
            "recipe_name": c.recipe_name,
            "nutrients": {k: (None if v is None else round(v, 3)) for k, v in c.nutrients.items()},
            "status": c.status, "problems": list(c.problems), "notices": list(c.notices)}


def check_json(check: PlanCheck) -> dict:
    return {
        "plan": {"id": check.plan.id, "name": check.plan.name, "start": check.plan.start.isoformat(),
                 "end": check.plan.end.isoformat()},
        "standard": check.standard_id,
        "standard_name": check.standard_name,
        "entries": [entry_json(c) for c in check.entries],
        "rules": [{"rule": r.rule, "status": r.status, "detail": r.detail, "description": r.description}
                  for r in check.rules],
        "summary": check.summary(),
    }


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(5)]


def judge_recipe(db: Database, recipe: RecipeDef, level: str, standard: StandardSet,
                 quintile: int | None = None, region: str | None = None) -> tuple[MetricCheck, ...] | None:
    """One preparation at one level against ``standard``'s target for its meal (None: no target)."""
    from .catalog import food_names

    target = standard.target_for(level, recipe.meal, quintile, region or recipe.region)
    if target is None:
        return None
    names = food_names(db)
    prof = _Profile(db, recipe, level, names=names)
    return tuple(_judge(m, prof.values.get(m), rng, prof.incomplete.get(m, ()), names,
                        prof.contributors.get(m), prof.estimated.get(m, ()), prof.bounds.get(m))
                 for m, rng in ordered_ranges(target.ranges))
