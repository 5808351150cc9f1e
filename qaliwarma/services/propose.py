"""«Proponer menú»: a period's menu as a mixed-integer programme solved by HiGHS (docs/menu-proposal.md).

One binary per school day × meal × level × candidate preparation. Every requirement is elastic: a
preparation that the compliance service would not judge "ok" for that meal and level, a weekly rule
broken, food the store cannot cover or money over the budget is allowed only at a large penalty, so the
solver always returns a plan, and whatever it could not meet comes back as ``Unmet`` items in plain
Spanish (which requirement, which days, by how much). Nutrition is judged exactly as
``compliance.check_plan`` judges it (same profiles, same ``_judge``), for whatever metrics the standard
lists; the weekly rules are read from the standard's data.

Long periods are solved a calendar month at a time, each month seeing the last days of the one before
(for the week and no-repeat rules), so a school year costs about ten months' solves.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..domain.calendar import monday_of
from ..domain.committee import serves_lunch
from ..domain.menus import STATUS_HIGH, STATUS_LOW, STATUS_OK, Plan, PlanEntry, PlanInfo
from ..domain.proposals import STATUS_CLOSEST, STATUS_OPTIMAL, Change, LotUse, Proposal, Purchase, Unmet
from ..domain.recipes import RecipeDef
from ..domain.standards import StandardSet
from ..errors import InvalidInput
from ..i18n import _, ngettext
from ..persistence.engine import Database
from ..vocab import month_name
from . import calendar as calendar_service
from . import compliance, needs, planning, standards, stock
from . import recipes as recipe_service
from .committee import CommitteeInfo

# Penalties (soles-equivalent in the objective). A requirement broken costs far more than any saving.
PEN_ENTRY = 100_000.0  # a preparation that does not meet the standard for that meal and level
PEN_MISS = 10_000_000.0  # a level left without a dish (only when the bank has none for it)
PEN_RULE = 100_000.0  # per unit of a weekly rule broken (a haem day missing, a repeat, a cereal day)
PEN_STORE_KG = 10_000.0  # per kg the store cannot cover (products modality, current month)
PEN_BUDGET_SOL = 1_000.0  # per sol over the budget
PEN_VARIETY = 10_000.0  # per serving over the monthly maximum of a preparation
PEN_DISH = 300.0  # per extra dish cooked for the same meal (one pot for the whole school is preferred)
PEN_PORTION = 100.0  # per serving of a preparation with its portions adjusted (--portions)
PEN_REGION = 300.0  # per serving of another region's preparation
MAX_PER_MONTH = 4  # a preparation at most this many times a month (per meal and level)
STORE_BONUS = (0.3, 0.5)  # store food is worth (base + earliness × extra) of its price less than buying it

MEAL_NAMES = {"desayuno": "desayuno", "almuerzo": "almuerzo"}

_highs_lock = threading.Lock()
_highs_ready = False


def _new_highs():
    """A silent HiGHS instance (the library prints a banner to stdout the first time: keep it out of --json)."""
    global _highs_ready
    import highspy

    with _highs_lock:
        if not _highs_ready:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as null:
                    os.dup2(null.fileno(), 1)
                    h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _highs_ready = True
        else:
            h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


class _Model:
    """Columns and rows of a MIP, passed whole to HiGHS."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.integer: list[bool] = []
        self.row_lo: list[float] = []
        self.row_hi: list[float] = []
        self.starts: list[int] = [0]
        self.index: list[int] = []
        self.value: list[float] = []

    def var(self, cost: float = 0.0, lb: float = 0.0, ub: float = 1.0, integer: bool = False) -> int:
        self.cost.append(cost)
        self.lb.append(lb)
        self.ub.append(ub)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, terms: dict[int, float], lo: float, hi: float) -> None:
        for i, v in terms.items():
            if v:
                self.index.append(i)
                self.value.append(v)
        self.starts.append(len(self.index))
        self.row_lo.append(lo)
        self.row_hi.append(hi)

    def solve(self, gap: float, time_limit: float) -> tuple[list[float], float, str]:
        import highspy
        import numpy as np

        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.cost)
        lp.num_row_ = len(self.row_lo)
        lp.col_cost_ = np.array(self.cost, dtype=float)
        lp.col_lower_ = np.array(self.lb, dtype=float)
        lp.col_upper_ = np.array([inf if u == float("inf") else u for u in self.ub], dtype=float)
        lp.row_lower_ = np.array([-inf if v == float("-inf") else v for v in self.row_lo], dtype=float)
        lp.row_upper_ = np.array([inf if v == float("inf") else v for v in self.row_hi], dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(self.starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(self.index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(self.value, dtype=float)
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in self.integer]
        h = _new_highs()
        h.setOptionValue("mip_rel_gap", gap)
        h.setOptionValue("time_limit", time_limit)
        h.setOptionValue("threads", 1)
        h.setOptionValue("random_seed", 1)
        h.passModel(lp)
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        values = list(h.getSolution().col_value)
        info = h.getInfo()
        if len(values) != len(self.cost):
            raise InvalidInput(_("El optimizador no encontró un menú ({status}).").format(status=status))
        mip_gap = float(info.mip_gap) if self.integer and any(self.integer) else 0.0
        return values, (0.0 if mip_gap != mip_gap else mip_gap), status


@dataclass
class _Judged:
    ok: bool
    fails: list[tuple[str, str, float | None, object, tuple[str, ...]]] = field(default_factory=list)
    # (metric, status, value, range, lacking foods)

    def penalty(self) -> float:
        if self.ok:
            return 0.0
        extra = 0.0
        for _unused, status, value, rng, _unused in self.fails:
            bound = (rng.min if status != STATUS_HIGH else rng.max) or 1.0
            short = _shortfall(status, value, rng)
            extra += min(1.0, abs(short) / abs(bound)) if bound else 1.0
        return PEN_ENTRY * (1.0 + extra)


def _shortfall(status: str, value: float | None, rng) -> float:
    if value is None:
        return float(rng.min or rng.max or 0.0)
    if status == STATUS_HIGH and rng.max is not None:
        return value - rng.max
    if rng.min is not None:
        return max(rng.min - value, 0.0)
    return 0.0


@dataclass
class _Bank:
    """Everything about the candidate preparations the model needs, computed once."""

    defs: dict[str, RecipeDef]
    judged: dict[tuple[str, str, str], _Judged]  # (recipe, level, meal)
    cost_per_child: dict[tuple[str, str], float]  # (recipe, level) → soles at the price list
    gross: dict[tuple[str, str], list[tuple[str, float]]]  # (recipe, level) → (food, grams per child)
    haem: dict[tuple[int, str, str], bool]  # (rule index, recipe, level)
    cereal: dict[tuple[str, str], str | None]
    candidates: dict[tuple[str, str], list[str]]  # (meal, level) → recipe ids
    ppg: dict[str, float]  # food → soles per gram (estimated where the list has no price)
    estimated: set[str]
    names: dict[str, str]
    variants: dict[str, tuple[str, int]] = field(default_factory=dict)  # scaled id → (base id, percent)
    # (rule index, recipe, level) → µg of preformed vitamin A (rule «vitamin_a_per_week»)
    vitamin_a: dict[tuple[int, str, str], float] = field(default_factory=dict)

    def base(self, rid: str) -> str:
        """The preparation a scaled one comes from (the same dish for the no-repeat and variety rules)."""
        return self.variants[rid][0] if rid in self.variants else rid


def _load_bank(db: Database, committee: CommitteeInfo, standard: StandardSet, meals: list[str],
               exclude: set[str], portions: float = 0.0) -> _Bank:
    from .catalog import food_names

    food = food_names(db)
    sugar_codes = {c for c in food if c.startswith("K")}
    defs = {r.id: r for r in recipe_service.usable_recipes(db, committee.id)
            if r.meal in meals and r.id not in exclude}
    prices = needs.price_list(db, committee.id)
    ppg: dict[str, float] = {}
    for code, item in prices.items():
        grams = float(item.unit().grams())
        if grams > 0:
            ppg[code] = float(item.price) / grams
    known = sorted(ppg.values())
    fallback = known[-1] if known else 0.05  # no price: counted at the dearest price per gram of the list
    estimated: set[str] = set()
    judged: dict[tuple[str, str, str], _Judged] = {}
    cost: dict[tuple[str, str], float] = {}
    gross: dict[tuple[str, str], list[tuple[str, float]]] = {}
    haem: dict[tuple[int, str, str], bool] = {}
    cereal: dict[tuple[str, str], str | None] = {}
    candidates: dict[tuple[str, str], list[str]] = defaultdict(list)
    variants: dict[str, tuple[str, int]] = {}
    vitamin_a: dict[tuple[int, str, str], float] = {}
    preformed: dict = {}

    def add(rid: str, rd: RecipeDef) -> None:
        for level in committee.levels:
            if level not in rd.levels:
                continue
            target = standard.target_for(level, rd.meal, committee.form.quintile, committee.form.region)
            if target is None:
                judged[(rid, level, rd.meal)] = _Judged(False, [("meta", "unknown", None, None, ())])
            else:
                prof = compliance._Profile(db, rd, level, sugar_codes)
                fails = []
                for metric, rng in target.ranges.items():
                    check = compliance._judge(metric, prof.values.get(metric), rng, prof.incomplete.get(metric, ()),
                                              food)
                    if check.status != STATUS_OK:
                        fails.append((metric, check.status, check.value, rng, check.incomplete_foods))
                judged[(rid, level, rd.meal)] = _Judged(not fails, fails)
            items = [(ing.code, float(g)) for ing, g in rd.gross_grams(level)]
            gross[(rid, level)] = items
            total = 0.0
            for code, g in items:
                if code not in ppg:
                    estimated.add(code)
                total += g * ppg.get(code, fallback)
            cost[(rid, level)] = total
            for n, rule in enumerate(standard.rules):
                if rule.kind == "haem_iron_per_week":
                    haem[(n, rid, level)] = compliance._haem_grams(rd, level, rule.foods) >= rule.min_grams
                elif rule.kind == "vitamin_a_per_week":
                    vitamin_a[(n, rid, level)] = compliance._preformed_vitamin_a(db, rd, level, rule.foods, preformed)
            cereal[(rid, level)] = compliance._base_cereal(rd, level)
            candidates[(rd.meal, level)].append(rid)

    for rid, rd in list(defs.items()):
        add(rid, rd)
    # «Ajustar porciones»: a preparation that misses the standard for some level may be served with its
    # grams scaled (5 % steps within ±portions), as the committee's own preparation, where that meets it.
    steps = int(round(portions / 0.05 + 1e-9))
    for rid, rd in list(defs.items()):
        failing = {lv for lv in committee.levels if (rid, lv, rd.meal) in judged and not judged[(rid, lv, rd.meal)].ok}
        if not steps or not failing:
            continue
        for k in [i for i in range(-steps, steps + 1) if i]:
            pct = 100 + 5 * k
            vid = f"comite-{rid.removeprefix('comite-')}-porcion-{pct}"
            scaled = _scaled(rd, vid, pct)
            add(vid, scaled)
            if not any(judged[(vid, lv, rd.meal)].ok for lv in failing):
                for lv in committee.levels:  # it does not help: forget it
                    key = (rd.meal, lv)
                    if vid in candidates.get(key, []):
                        candidates[key].remove(vid)
                continue
            defs[vid] = scaled
            variants[vid] = (rid, pct)
    # The region's preparations (and the committee's own) first: another region's only where those that
    # meet the standard are too few for the week's rules, and only those that meet it.
    region = committee.form.region
    enough = max([r.days for r in standard.rules if r.kind == "no_repeat_within_days"] + [1]) + 2
    for key, rids in candidates.items():
        local = [r for r in rids if defs[r].region == region or (defs[r].committee_own and r not in variants)
                 or (r in variants and (defs[variants[r][0]].region == region or defs[variants[r][0]].committee_own))]
        good = {variants[r][0] if r in variants else r for r in local if judged[(r, key[1], key[0])].ok}
        if len(good) < enough:
            local += [r for r in rids if r not in local and judged[(r, key[1], key[0])].ok]
        candidates[key] = local or rids
    for code in estimated:
        ppg[code] = fallback
    names = {**food, **{rid: rd.name for rid, rd in defs.items()}}
    return _Bank(defs, judged, cost, gross, haem, cereal, dict(candidates), ppg, estimated, names, variants,
                 vitamin_a)


def foreign_text(proposal: Proposal, region: str) -> str:
    """What the committee is told of the preparations of another region in a proposal ("" when none): each by
    name with its region, and why they are there. A sierra school got selva and costa breakfasts unannounced."""
    from ..domain.levels import REGION_LABELS

    if not proposal.foreign:
        return ""
    listed = ", ".join(_("{name} ({region})").format(name=proposal.names.get(rid, rid),
                                                      region=_(REGION_LABELS.get(reg, reg)).lower())
                       for rid, reg in proposal.foreign)
    return ngettext(
        _("Incluye {n} preparación de otra región: {list}. El recetario de la {region} no tiene bastantes "
          "preparaciones distintas que cumplan el estándar para no repetirlas; revísela antes de aceptar."),
        _("Incluye {n} preparaciones de otra región: {list}. El recetario de la {region} no tiene bastantes "
          "preparaciones distintas que cumplan el estándar para no repetirlas; revíselas antes de aceptar."),
        len(proposal.foreign)).format(n=len(proposal.foreign), list=listed,
                                      region=_(REGION_LABELS.get(region, region)).lower())


def _foreign(bank: _Bank, proposed: list[PlanEntry], region: str) -> tuple[tuple[str, str], ...]:
    """The proposed preparations of another region than ``region`` (a scaled one counts as its base), once each."""
    found: dict[str, str] = {}
    for e in proposed:
        base = bank.defs[bank.variants[e.recipe_id][0]] if e.recipe_id in bank.variants else bank.defs[e.recipe_id]
        if base.region != region and not base.committee_own:
            found.setdefault(e.recipe_id, base.region)
    return tuple(sorted(found.items(), key=lambda kv: bank.names.get(kv[0], kv[0])))


def _scaled(rd: RecipeDef, vid: str, pct: int) -> RecipeDef:
    """``rd`` with every dose scaled to ``pct`` % (grams to 0.1 g), as a committee's own preparation."""
    from dataclasses import replace

    factor = Decimal(pct) / 100
    ingredients = tuple(replace(i, doses={lv: replace(d, grams=(d.grams * factor).quantize(Decimal("0.1")),
                                                       measure="")
                                         for lv, d in i.doses.items()}) for i in rd.ingredients)
    return replace(rd, id=vid, name=f"{rd.name} (porción {pct} %)", ingredients=ingredients, committee_own=True,
                   file_path=None, source=f"«{rd.name}» ({rd.id}) con las porciones al {pct} %, propuesto por "
                                          "«Proponer menú» para cumplir el estándar")


@dataclass
class _Raw:
    """An unmet requirement while solving: merged across months, worded at the end."""

    kind: str
    key: tuple
    days: set[date] = field(default_factory=set)
    shortfall: float = 0.0
    detail: dict = field(default_factory=dict)


@dataclass
class _Chunk:
    entries: list[PlanEntry]
    raws: list[_Raw]
    lot_use: dict[int, float]
    bought: dict[str, float]
    seconds: float
    gap: float


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if abs(v) < 100 else f"{v:.0f}"


def _solve_chunk(db: Database, committee: CommitteeInfo, standard: StandardSet, bank: _Bank, days: list[date],
                 meals: list[str], fixed: dict[tuple[date, str, str], str], context: list[PlanEntry],
                 lots: list, store_days: set[date], managed: set[str], budget: float | None,
                 gap: float, time_limit: float) -> _Chunk:
    started = time.perf_counter()
    m = _Model()
    levels = list(committee.levels)
    children = {lv: committee.enrolment(lv) for lv in levels}
    region = committee.form.region
    # --- choice variables: the dish of each day × meal, eaten by every level it is dosed for ----------
    # z[r] = 1 means r is cooked that day for that meal; each level eats exactly one dish (or, when the
    # bank has none for it, nothing, at a penalty). So the kitchen cooks one dish for the whole school
    # unless the dosing forces another. Levels with a kept entry that day choose on their own.
    x: dict[tuple[date, str, str], dict[str, int]] = {}  # (day, meal, level) → recipe → variable
    misses: list[tuple[int, date, str, str]] = []
    raws: list[_Raw] = []
    for d in days:
        for meal in meals:
            free = [lv for lv in levels if (d, meal, lv) not in fixed]
            groups = [free] if len(free) == len(levels) else [[lv] for lv in free]
            for group in groups:
                covers: dict[str, list[str]] = defaultdict(list)
                for lv in group:
                    for rid in bank.candidates.get((meal, lv), []):
                        covers[rid].append(lv)
                for rid, lvs in covers.items():
                    c = PEN_DISH
                    for lv in lvs:
                        c += bank.cost_per_child[(rid, lv)] * children[lv] + bank.judged[(rid, lv, meal)].penalty()
                        base = bank.defs[bank.variants[rid][0]] if rid in bank.variants else bank.defs[rid]
                        if base.region != region and not base.committee_own:
                            c += PEN_REGION
                        if rid in bank.variants:
                            c += PEN_PORTION
                    v = m.var(c, 0, 1, integer=True)
                    for lv in lvs:
                        x.setdefault((d, meal, lv), {})[rid] = v
                for lv in group:
                    miss = m.var(PEN_MISS, 0, 1)
                    misses.append((miss, d, meal, lv))
                    m.row({**dict.fromkeys(x.get((d, meal, lv), {}).values(), 1.0), miss: 1.0}, 1, 1)
    # A known (fixed or earlier) entry: the recipe on that day × meal × level.
    known: dict[tuple[date, str, str], str] = {(e.day, e.meal, e.level): e.recipe_id for e in context}
    known.update(fixed)

    def served(d: date, meal: str, lv: str, pred) -> tuple[dict[int, float], float]:
        """Terms (variables whose recipe satisfies pred) and constant (a known entry that does)."""
        if (d, meal, lv) in known:
            rid = known[(d, meal, lv)]
            return {}, 1.0 if rid in bank.defs and pred(rid) else 0.0
        return {v: 1.0 for rid, v in x.get((d, meal, lv), {}).items() if pred(rid)}, 0.0

    # --- weekly rules, from the standard's data --------------------------------------------------
    all_days = sorted({d for d in days} | {e.day for e in context})
    weeks: dict[date, list[date]] = defaultdict(list)
    for d in all_days:
        weeks[monday_of(d)].append(d)
    chunk_weeks = {monday_of(d) for d in days}
    slot_days = {(meal, lv): [d for d in all_days if (d, meal, lv) in known or (d, meal, lv) in x]
                 for meal in meals for lv in levels}
    slacks: list[tuple[int, _Raw]] = []
    seen_rows: dict[tuple, int] = {}
    seen_h: dict[frozenset, int] = {}

    def elastic(terms: dict[int, float], lo: float, hi: float, penalty: float, ub: float, sign: float) -> int:
        """A row lo ≤ terms + sign·slack ≤ hi with its penalised slack; the same row for another level
        (the whole school eats the same dish) shares it."""
        key = (frozenset(terms.items()), lo, hi, sign)
        if key not in seen_rows:
            slack = m.var(penalty, 0, ub)
            m.row({**terms, slack: sign}, lo, hi)
            seen_rows[key] = slack
        return seen_rows[key]

    for n, rule in enumerate(standard.rules):
        rule_meals = [mm for mm in meals if not rule.meals or mm in rule.meals]
        if rule.kind == "haem_iron_per_week":
            for monday in sorted(chunk_weeks):
                for lv in levels:
                    wdays = [d for d in weeks[monday] if any(d in slot_days[(mm, lv)] for mm in rule_meals)]
                    if not wdays:
                        continue
                    need = min(rule.times, len(wdays))
                    terms: dict[int, float] = {}
                    hits = 0.0
                    for d in wdays:
                        const = 0.0
                        day_terms: dict[int, float] = {}
                        for mm in rule_meals:
                            t, c = served(d, mm, lv, lambda rid, lv=lv, n=n: bank.haem.get((n, rid, lv), False))
                            day_terms.update(t)
                            const += c
                        if const >= 1:
                            hits += 1
                        elif day_terms:
                            hkey = frozenset(day_terms)
                            if hkey not in seen_h:
                                seen_h[hkey] = m.var(0.0)
                                m.row({seen_h[hkey]: 1.0, **{v: -1.0 for v in day_terms}}, float("-inf"), 0)
                            terms[seen_h[hkey]] = 1.0
                    if hits >= need:
                        continue
                    s = elastic(terms, need - hits, float("inf"), PEN_RULE, need, 1.0)
                    slacks.append((s, _Raw("haem", (n, lv), set(d for d in wdays if d in days), 0.0,
                                           {"monday": monday})))
        elif rule.kind == "no_repeat_within_days" and rule.days > 1:
            for mm in rule_meals:
                for lv in levels:
                    series = slot_days[(mm, lv)]
                    for i in range(max(1, len(series) - rule.days + 1)):
                        window = series[i:i + rule.days]
                        if len(window) < 2 or not any((d, mm, lv) in x for d in window):
                            continue
                        for rid in dict.fromkeys(bank.base(r) for r in bank.candidates.get((mm, lv), [])):
                            terms, const = {}, 0.0
                            for d in window:
                                t, c = served(d, mm, lv, lambda r, rid=rid: bank.base(r) == rid)
                                terms.update(t)
                                const += c
                            if not terms or len(terms) + const < 2:
                                continue
                            s = elastic(terms, float("-inf"), max(1.0 - const, 0.0), PEN_RULE, len(window), -1.0)
                            slacks.append((s, _Raw("repeat", (n, mm, lv, rid), {d for d in window if d in days})))
        elif rule.kind == "same_base_cereal_per_week":
            for monday in sorted(chunk_weeks):
                for mm in rule_meals:
                    for lv in levels:
                        wdays = [d for d in weeks[monday] if d in slot_days[(mm, lv)]]
                        if len(wdays) <= rule.times:
                            continue
                        cereals = {bank.cereal.get((rid, lv)) for rid in bank.candidates.get((mm, lv), [])} - {None}
                        for cer in sorted(cereals):
                            terms, const = {}, 0.0
                            for d in wdays:
                                t, c = served(d, mm, lv, lambda rid, cer=cer, lv=lv: bank.cereal.get((rid, lv)) == cer)
                                terms.update(t)
                                const += c
                            if len(terms) + const <= rule.times:
                                continue
                            s = elastic(terms, float("-inf"), max(rule.times - const, 0.0), PEN_RULE, len(wdays), -1.0)
                            slacks.append((s, _Raw("cereal", (n, mm, lv, cer), {d for d in wdays if d in days}, 0.0,
                                                   {"monday": monday})))
        elif rule.kind == "vitamin_a_per_week":  # µg of the week's meals for a level, at most the limit
            for monday in sorted(chunk_weeks):
                for lv in levels:
                    limit = rule.limit_for(lv)
                    if limit is None:
                        continue
                    # in hundreds of µg: the slack's unit is 100 µg over, at the rules' penalty
                    terms, const, most = {}, 0.0, 0.0
                    for d in weeks[monday]:
                        for mm in rule_meals:
                            if (d, mm, lv) in known:
                                const += bank.vitamin_a.get((n, known[(d, mm, lv)], lv), 0.0) / 100
                                continue
                            day = {v: bank.vitamin_a.get((n, rid, lv), 0.0) / 100
                                   for rid, v in x.get((d, mm, lv), {}).items()}
                            most += max(day.values(), default=0.0)  # one dish a day: the richest bounds it
                            for v, a in day.items():
                                if a > 0:
                                    terms[v] = terms.get(v, 0.0) + a
                    if not terms or most + const <= limit / 100:
                        continue
                    # 1,000 µg over weighs as one rule-day broken: the week is kept whenever the bank allows it,
                    # and a kept liver week does not make the proposal repeat dishes to trim a few µg
                    s = elastic(terms, float("-inf"), limit / 100 - const, PEN_RULE / 10, most + const, -1.0)
                    slacks.append((s, _Raw("vitamin_a", (n, lv), {d for d in weeks[monday] if d in days}, 0.0,
                                           {"monday": monday})))
    # --- variety: a preparation at most MAX_PER_MONTH times a month --------------------------------
    months = sorted({(d.year, d.month) for d in days})
    for ym in months:
        for mm in meals:
            for lv in levels:
                mdays = [d for d in days if (d.year, d.month) == ym]
                for rid in dict.fromkeys(bank.base(r) for r in bank.candidates.get((mm, lv), [])):
                    terms, const = {}, 0.0
                    for d in mdays:
                        t, c = served(d, mm, lv, lambda r, rid=rid: bank.base(r) == rid)
                        terms.update(t)
                        const += c
                    if len(terms) + const <= MAX_PER_MONTH:
                        continue
                    s = elastic(terms, float("-inf"), max(MAX_PER_MONTH - const, 0.0), PEN_VARIETY, len(mdays), -1.0)
                    slacks.append((s, _Raw("variety", (mm, lv, rid, ym), set(mdays))))
    # --- food: the store first (earliest expiry first), within what it holds; purchases ------------
    food_terms: dict[str, dict[int, float]] = defaultdict(dict)  # grams on store-limited days
    food_by_day: dict[tuple[str, date], dict[int, float]] = defaultdict(dict)
    for (d, _meal, lv), choice in x.items():
        for rid, v in choice.items():
            for code, g in bank.gross[(rid, lv)]:
                if d in store_days:
                    food_terms[code][v] = food_terms[code].get(v, 0.0) + g * children[lv]
                    food_by_day[(code, d)][v] = food_by_day[(code, d)].get(v, 0.0) + g * children[lv]
    lot_vars: dict[int, tuple[int, object]] = {}
    short_vars: dict[str, int] = {}
    spend_terms: dict[int, float] = {}
    for (_d, _meal, lv), choice in x.items():
        for rid, v in choice.items():
            spend_terms[v] = spend_terms.get(v, 0.0) + bank.cost_per_child[(rid, lv)] * children[lv]
    first_store = min(store_days) if store_days else None
    horizon = max(((max(store_days) - first_store).days if store_days else 1), 1)
    by_food_lots: dict[str, list] = defaultdict(list)
    for lot in lots:
        if first_store is None or lot.suspended or lot.balance_grams <= 0:
            continue
        if lot.expiry is not None and lot.expiry < first_store:
            continue
        by_food_lots[lot.food_code].append(lot)
    for code, terms in food_terms.items():
        flots = sorted(by_food_lots.get(code, []), key=lambda lt: (lt.expiry or date.max, lt.id))
        price = bank.ppg.get(code, 0.0)
        use_terms: dict[int, float] = {}
        for lot in flots:
            days_left = ((lot.expiry - first_store).days if lot.expiry else 10 * horizon)
            earliness = max(0.0, 1.0 - days_left / (4.0 * horizon))
            bonus = price * (STORE_BONUS[0] + STORE_BONUS[1] * earliness) + 1e-6 * (1 + earliness)
            u = m.var(-bonus, 0, float(lot.balance_grams))
            lot_vars[lot.id] = (u, lot)
            use_terms[u] = 1.0
            spend_terms[u] = spend_terms.get(u, 0.0) - price
            if lot.expiry is not None and lot.expiry < max(store_days):
                # lots expiring by this one's date can only feed the days up to it
                earlier = {lot_vars[o.id][0]: 1.0 for o in flots
                           if o.id in lot_vars and (o.expiry or date.max) <= lot.expiry}
                need_then: dict[int, float] = {}
                for (c2, d2), t in food_by_day.items():
                    if c2 == code and d2 <= lot.expiry:
                        for v, g in t.items():
                            need_then[v] = need_then.get(v, 0.0) + g
                m.row({**earlier, **{v: -g for v, g in need_then.items()}}, float("-inf"), 0)
        if use_terms:
            m.row({**use_terms, **{v: -g for v, g in terms.items()}}, float("-inf"), 0)  # use ≤ need
        if code in managed:
            s = m.var(PEN_STORE_KG / 1000.0, 0, float("inf"))
            short_vars[code] = s
            m.row({**{v: g for v, g in terms.items()}, **{u: -1.0 for u in use_terms}, s: -1.0},
                  float("-inf"), 0)  # need − store ≤ short
    budget_slack = None
    if budget is not None:
        budget_slack = m.var(PEN_BUDGET_SOL, 0, float("inf"))
        m.row({**spend_terms, budget_slack: -1.0}, float("-inf"), budget)
    values, mip_gap, status = m.solve(gap, time_limit)
    # --- read the solution -----------------------------------------------------------------------
    entries: list[PlanEntry] = []
    chosen: dict[tuple[date, str, str], str] = {}
    for miss, d, meal, lv in misses:
        if values[miss] > 0.5:
            raws.append(_Raw("bank", (meal, lv), {d}, 1.0))
    for (d, meal, lv), choice in x.items():
        rid = max(choice, key=lambda r: values[choice[r]])
        if values[choice[rid]] < 0.5:
            continue
        chosen[(d, meal, lv)] = rid
        entries.append(PlanEntry(d, meal, lv, rid))
    for (d, meal, lv), rid in list(chosen.items()) + [(k, r) for k, r in fixed.items()]:
        j = bank.judged.get((rid, lv, meal))
        for metric, st, value, rng, lacking in (j.fails if j else ()):
            kept = (d, meal, lv) in fixed
            raws.append(_Raw("nutrient", (metric, st, meal, lv, kept), {d},
                             _shortfall(st, value, rng) if rng else 0.0, {"range": rng, "lacking": lacking}))
    for s, raw in slacks:
        if raw.kind == "vitamin_a" and values[s] > 0.005:  # in hundreds of µg: any µg over is reported
            raw.shortfall = round(values[s] * 100)
            raws.append(raw)
        elif values[s] > 0.5:
            raw.shortfall = round(values[s])
            if raw.kind in ("repeat", "variety"):  # the days it is served
                meal, lv, rid = (raw.key[1], raw.key[2], raw.key[3]) if raw.kind == "repeat" else raw.key[:3]
                raw.days = {d for d in raw.days if bank.base(chosen.get((d, meal, lv), "")) == rid}
            elif raw.kind == "cereal":
                _unused, meal, lv, cer = raw.key
                raw.days = {d for d in raw.days if bank.cereal.get((chosen.get((d, meal, lv)), lv)) == cer}
            raws.append(raw)
    for code, s in short_vars.items():
        if values[s] > 1.0:  # more than a gram short
            need_days = sorted({d for (c, d), t in food_by_day.items() if c == code and any(values[v] > 0.5 for v in t)})
            raws.append(_Raw("store", (code,), set(need_days), values[s]))
    if budget_slack is not None and values[budget_slack] > 0.005:
        raws.append(_Raw("budget", ("budget",), set(days), values[budget_slack], {"budget": budget}))
    lot_use = {lot_id: values[u] for lot_id, (u, _unused) in lot_vars.items() if values[u] > 0.5}
    bought: dict[str, float] = defaultdict(float)
    for (_d, _meal, lv), rid in chosen.items():
        for code, g in bank.gross[(rid, lv)]:
            bought[code] += g * children[lv]
    for lot_id, g in lot_use.items():
        bought[lot_vars[lot_id][1].food_code] -= g
    return _Chunk(entries, raws, lot_use, dict(bought), time.perf_counter() - started, mip_gap)


def _month_chunks(days: list[date]) -> list[list[date]]:
    chunks: dict[tuple[int, int], list[date]] = defaultdict(list)
    for d in days:
        chunks[(d.year, d.month)].append(d)
    return [chunks[k] for k in sorted(chunks)]


def propose(db: Database, committee: CommitteeInfo, start: date, end: date, *, standard_id: str | None = None,
            keep: list[PlanEntry] | None = None, budget: Decimal | None = None, today: date | None = None,
            exclude: set[str] | None = None, portions: float = 0.0, gap: float = 0.001, time_limit: float = 60.0,
            progress: Callable[[int, int], None] | None = None) -> Proposal:
    """Propose a plan for every school day × meal × level from ``start`` to ``end``.

    ``keep``: entries that stay as they are (days the committee fixed); they count for the weekly rules.
    ``budget``: soles for the food to buy over the period. ``today``: the store feeds the days from
    today to the end of today's month (its delivery is in the store; later months' deliveries are
    computed from the plan). ``exclude``: preparations not to use. ``portions`` (e.g. 0.15): a preparation
    that misses the standard may be served with its grams scaled within ±portions (5 % steps); the scaled
    preparations the proposal uses are saved as the committee's own (so the plan, its check and its
    dosing sheets use them).
    """
    began = time.perf_counter()
    if start > end:
        raise InvalidInput(_("El inicio {start:%d/%m/%Y} es posterior al fin {end:%d/%m/%Y}.").format(start=start, end=end))
    if budget is not None and budget <= 0:
        raise InvalidInput(_("El presupuesto debe ser mayor que cero (en soles, p. ej. 12000)."))
    if not 0 <= portions <= 0.5:
        raise InvalidInput(_("El ajuste de porciones va de 0 a 50 % (por ejemplo 15)."))
    standard = standards.get_standard(db, standard_id)
    meals = ["desayuno"] + (["almuerzo"] if serves_lunch(committee.form.quintile, committee.form.amazonian_indigenous) else [])
    days = calendar_service.school_days(db, committee.id, start, end)
    if not days:
        raise InvalidInput(_("No hay días de clase del {start:%d/%m/%Y} al {end:%d/%m/%Y} en el calendario del comité.").format(start=start, end=end))
    from ..persistence.journal import Journal, month_of

    with db.session() as s:
        closed = Journal(s, committee.id).closed_months()
    shut = sorted({month_of(d) for d in days} & closed)
    if shut:
        raise InvalidInput(_("El mes {join} está cerrado: su menú ya no se cambia. Proponga otro periodo.").format(join=', '.join(shut)))
    keep = list(keep or [])
    problems = planning.validate_entries(db, committee, [e for e in keep if start <= e.day <= end])
    if problems:
        raise InvalidInput(_("Los días a conservar tienen errores."), problems)
    bank = _load_bank(db, committee, standard, meals, set(exclude or ()), portions)
    today = today or date.today()
    store_days = {d for d in days if d >= today and (d.year, d.month) == (today.year, today.month)}
    lots = stock.lots(db, committee.id) if store_days else []
    managed: set[str] = set()
    if store_days and committee.form.modality == "productos":
        # What the programme delivers (received with an acta) comes only from the store; what the
        # committee buys (boleta, declaración jurada) can be bought again.
        from sqlalchemy import select

        from ..persistence.models import StockMovement

        with db.session() as s:
            managed = set(s.scalars(select(StockMovement.food_code).where(
                StockMovement.committee_id == committee.id, StockMovement.kind == "recepcion",
                StockMovement.reference.like("acta %")).distinct()))
    fixed_all = {(e.day, e.meal, e.level): e.recipe_id for e in keep if start <= e.day <= end}
    outside = [e for e in keep if not start <= e.day <= end]
    chunks = _month_chunks(days)
    total_rations = sum(committee.enrolment(lv) for lv in committee.levels) * len(days) * len(meals)
    proposed: list[PlanEntry] = []
    raws: list[_Raw] = []
    lot_use: dict[int, float] = {}
    bought: dict[str, float] = defaultdict(float)
    seconds_solver, worst_gap = 0.0, 0.0
    for n, cdays in enumerate(chunks):
        first = cdays[0]
        context = [e for e in outside + proposed if first - timedelta(days=14) <= e.day < first]
        context += [PlanEntry(d, mm, lv, r) for (d, mm, lv), r in fixed_all.items()
                    if first - timedelta(days=14) <= d < first]
        fixed = {k: r for k, r in fixed_all.items() if k[0] in set(cdays)}
        share = None
        if budget is not None:
            rations = sum(committee.enrolment(lv) for lv in committee.levels) * len(cdays) * len(meals)
            share = float(budget) * rations / total_rations
        chunk = _solve_chunk(db, committee, standard, bank, cdays, meals, fixed, context, lots,
                             store_days & set(cdays), managed, share, gap, time_limit)
        proposed += chunk.entries
        raws += chunk.raws
        for k, v in chunk.lot_use.items():
            lot_use[k] = lot_use.get(k, 0.0) + v
        for k, v in chunk.bought.items():
            bought[k] += v
        seconds_solver += chunk.seconds
        worst_gap = max(worst_gap, chunk.gap)
        if progress:
            progress(n + 1, len(chunks))
    entries = sorted(proposed + [PlanEntry(d, mm, lv, r) for (d, mm, lv), r in fixed_all.items()],
                     key=lambda e: (e.day, e.meal != "desayuno", e.level))
    adjusted = sorted({e.recipe_id for e in entries if e.recipe_id in bank.variants})
    for vid in adjusted:
        recipe_service.save_own_recipe(db, committee.id, bank.defs[vid])
    plan = Plan(PlanInfo(0, _name(start, end), start, end, standard.id, len(entries)), tuple(entries))
    result = needs.plan_needs(db, plan, committee)
    lots_by_id = {lt.id: lt for lt in lots}
    lot_lines = tuple(
        LotUse(lt.id, lt.food_code, lt.lot, lt.expiry, lt.balance_grams,
               Decimal(str(round(lot_use.get(lt.id, 0.0), 1))))
        for lt in sorted(lots_by_id.values(), key=lambda lt: (lt.food_code, lt.expiry or date.max, lt.id))
        if lt.food_code in bank.ppg or lot_use.get(lt.id))
    purchases = tuple(
        Purchase(code, bank.names.get(code, code), Decimal(str(round(g, 1))),
                 Decimal(str(g * bank.ppg.get(code, 0.0))).quantize(Decimal("0.01"), ROUND_HALF_UP),
                 code in bank.estimated)
        for code, g in sorted(bought.items(), key=lambda kv: bank.names.get(kv[0], kv[0])) if g > 0.5)
    unmet = _word(raws, standard, bank, meals, bool(store_days))
    return Proposal(STATUS_OPTIMAL if not unmet else STATUS_CLOSEST, plan.info.name, start, end, standard.id,
                    tuple(entries), tuple(PlanEntry(d, mm, lv, r) for (d, mm, lv), r in fixed_all.items()),
                    unmet, result.total_cost, result.cost_per_ration, result.rations, purchases, lot_lines,
                    tuple(result.missing_prices), time.perf_counter() - began, worst_gap,
                    {**{c: bank.names[c] for c in result.missing_prices if c in bank.names},  # said by name
                     **{rid: rd.name for rid, rd in bank.defs.items()}},
                    tuple((vid, *bank.variants[vid]) for vid in adjusted),
                    _foreign(bank, proposed, committee.form.region))


def _name(start: date, end: date) -> str:
    if (start.year, start.month) == (end.year, end.month):
        return f"Menú propuesto de {month_name(start.month)} {start.year}"
    return f"Menú propuesto del {start:%d/%m/%Y} al {end:%d/%m/%Y}"


def _days_text(days) -> str:
    days = sorted(days)
    if len(days) <= 6:
        return ", ".join(f"{d:%d/%m}" for d in days)
    return ", ".join(f"{d:%d/%m}" for d in days[:5]) + _(" y {value} más").format(value=len(days) - 5)


def _word(raws: list[_Raw], standard: StandardSet, bank: _Bank, meals: list[str], store: bool) -> tuple[Unmet, ...]:
    merged: dict[tuple, _Raw] = {}
    for r in raws:
        key = (r.kind, r.key)
        if key in merged:
            merged[key].days |= r.days
            merged[key].shortfall = (merged[key].shortfall + r.shortfall if r.kind in ("haem", "store", "budget",
                                                                                        "repeat", "cereal", "variety")
                                     else max(merged[key].shortfall, r.shortfall))
            merged[key].detail.setdefault("mondays", set()).update({r.detail.get("monday")} - {None})
        else:
            r.detail.setdefault("mondays", {r.detail.get("monday")} - {None})
            merged[key] = r
    out: list[Unmet] = []
    for (kind, key), r in sorted(merged.items(), key=lambda kv: (kv[0][0] != "nutrient", str(kv[0]))):
        days = tuple(sorted(r.days))
        n = len(days)
        if kind == "nutrient":
            metric, st, meal, lv, kept = key
            if metric == "meta":
                out.append(Unmet(_("meta {meal} {lv}").format(meal=meal, lv=lv), days, 0.0,
                                 _("el estándar «{name}» no tiene meta para el {meal} de {lv}: no se puede comprobar en {n} día(s)").format(name=standard.name, meal=meal, lv=lv, n=n), "nutrient"))
                continue
            label, unit = compliance._label_unit(metric)
            label = label[0].lower() + label[1:]
            rng = r.detail["range"]
            good = any(bank.judged[(rid, lv, meal)].ok for rid in bank.candidates.get((meal, lv), []))
            why = (_("en los días que se conservan, ") if kept else
                   _("con lo que hay en el almacén y las reglas de la semana, ") if store and good else
                   _("con las reglas de la semana (no repetir, cereal base), ") if good else
                   _("ninguna preparación del recetario para el {meal} de {lv} lo cumple: ").format(meal=meal, lv=lv))
            if st == STATUS_LOW:
                advice = _(compliance.ADVICE.get((metric, STATUS_LOW), "aumente la porción"))
                text = (_("{why}{label} del {meal} de {lv} no llega a {fmt} {unit} en {n} día(s) ({days_text}; falta hasta {fmt2} {unit}): {advice}").format(why=why, label=label, meal=meal, lv=lv, fmt=_fmt(rng.min), unit=unit, n=n, days_text=_days_text(days), fmt2=_fmt(r.shortfall), advice=advice))
            elif st == STATUS_HIGH:
                advice = _(compliance.ADVICE.get((metric, STATUS_HIGH), "reduzca la porción"))
                text = (_("{why}{label} del {meal} de {lv} pasa de {fmt} {unit} en {n} día(s) ({days_text}; sobra hasta {fmt2} {unit}): {advice}").format(why=why, label=label, meal=meal, lv=lv, fmt=_fmt(rng.max), unit=unit, n=n, days_text=_days_text(days), fmt2=_fmt(r.shortfall), advice=advice))
            else:
                lacking = ", ".join(bank.names.get(c, c) for c in r.detail.get("lacking", ())) or _("algún ingrediente")
                text = (_("{why}{label} del {meal} de {lv} no se puede confirmar en {n} día(s) ({days_text}): la tabla no tiene dato de {lacking}").format(why=why, label=label, meal=meal, lv=lv, n=n, days_text=_days_text(days), lacking=lacking))
            out.append(Unmet(f"{metric} {meal} {lv}" + (" conservado" if kept else ""), days, round(r.shortfall, 3),
                             text, "nutrient"))
        elif kind == "haem":
            rule = standard.rules[key[0]]
            lv = key[1]
            mondays = ", ".join(f"{d:%d/%m}" for d in sorted(r.detail["mondays"]))
            out.append(Unmet(f"{rule.kind} {lv}", days, r.shortfall,
                             _("«{description}»: en {lv} faltan {int} día(s) con hierro hemínico (semanas del {mondays}; días {days_text}): faltan preparaciones con sangrecita, hígado, charqui, carne o pescado").format(description=rule.description, lv=lv, int=int(r.shortfall), mondays=mondays, days_text=_days_text(days)), "rule"))
        elif kind == "vitamin_a":
            rule = standard.rules[key[0]]
            lv = key[1]
            mondays = ", ".join(f"{d:%d/%m}" for d in sorted(r.detail["mondays"]))
            out.append(Unmet(f"{rule.kind} {lv}", days, r.shortfall,
                             _("«{description}»: en {lv} la vitamina A preformada pasa el máximo por {int} µg (semanas del {mondays}): sirva el hígado una vez por semana y no junto a otras preparaciones con hígado, huevo o queso").format(description=rule.description, lv=lv, int=int(r.shortfall), mondays=mondays), "rule"))
        elif kind == "repeat":
            rule = standard.rules[key[0]]
            _unused, meal, lv, rid = key
            out.append(Unmet(f"{rule.kind} {meal} {lv}", days, r.shortfall,
                             _("«{description}»: {get} se repite en el {meal} de {lv} ({days_text}): no hay bastantes preparaciones distintas que cumplan").format(description=rule.description, get=bank.names.get(rid, rid), meal=meal, lv=lv, days_text=_days_text(days)), "rule"))
        elif kind == "cereal":
            rule = standard.rules[key[0]]
            _unused, meal, lv, cer = key
            out.append(Unmet(f"{rule.kind} {meal} {lv}", days, r.shortfall,
                             _("«{description}»: {get} como cereal base más de {times} días en el {meal} de {lv} ({days_text})").format(description=rule.description, get=bank.names.get(cer, cer), times=rule.times, meal=meal, lv=lv, days_text=_days_text(days)), "rule"))
        elif kind == "variety":
            meal, lv, rid, (y, mo) = key
            out.append(Unmet(f"variedad {meal} {lv}", days, r.shortfall,
                             _("{get} se sirve {int} {value} más que el máximo de {MAX_PER_MONTH} en {month_name} {y} ({meal} de {lv})").format(get=bank.names.get(rid, rid), int=int(r.shortfall), value='vez' if r.shortfall == 1 else 'veces', MAX_PER_MONTH=MAX_PER_MONTH, month_name=month_name(mo), y=y, meal=meal, lv=lv), "variety"))
        elif kind == "store":
            code = key[0]
            out.append(Unmet(f"almacen {code}", days, round(r.shortfall / 1000, 3),
                             _("con lo que hay en el almacén no alcanza {get} ({code}): faltan {value:.3f} kg para los días {days_text}").format(get=bank.names.get(code, code), code=code, value=r.shortfall / 1000, days_text=_days_text(days)), "store"))
        elif kind == "budget":
            out.append(Unmet("presupuesto", days, round(r.shortfall, 2),
                             _("el presupuesto de S/ {budget:,.2f} no alcanza: faltan S/ {shortfall:,.2f} para comprar los alimentos").format(budget=r.detail['budget'], shortfall=r.shortfall), "budget"))
        elif kind == "bank":
            meal, lv = key
            out.append(Unmet(f"recetario {meal} {lv}", days, float(n),
                             _("no hay preparación del recetario con dosificación para el {meal} de {lv}: {n} día(s) sin plato ({days_text})").format(meal=meal, lv=lv, n=n, days_text=_days_text(days)), "bank"))
    return tuple(out)


def plan_document(p: Proposal, committee_code: str | None = None) -> dict:
    """The proposal as the content of a plan file (docs/plan-format.md), dates as ISO text."""
    by_day: dict[date, dict[str, dict[str, str]]] = {}
    for e in p.entries:
        by_day.setdefault(e.day, {}).setdefault(e.meal, {})[e.level] = e.recipe_id
    doc = {"name": p.name, "standard": p.standard_id, "start": p.start.isoformat(), "end": p.end.isoformat(),
           "days": [{"date": d.isoformat(), **by_day[d]} for d in sorted(by_day)]}
    if committee_code:
        doc["committee"] = committee_code
    return doc


def proposal_json(p: Proposal, committee_code: str | None = None) -> dict:
    return {
        "status": p.status,
        "plan": plan_document(p, committee_code),
        "cost_per_ration": None if p.cost_per_ration is None else str(p.cost_per_ration),
        "cost_total": None if p.cost_total is None else str(p.cost_total),
        "rations": p.rations,
        "unmet": [{"requirement": u.requirement, "days": [d.isoformat() for d in u.days], "shortfall": u.shortfall,
                   "text": u.text} for u in p.unmet],
        "to_buy": [{"code": b.food_code, "name": b.name, "kg": round(float(b.grams) / 1000, 3), "cost": str(b.cost),
                    "estimated_price": b.estimated_price} for b in p.purchases],
        "store": [{"lot": lt.lot, "code": lt.food_code, "expiry": lt.expiry.isoformat() if lt.expiry else None,
                   "balance_kg": round(float(lt.balance_grams) / 1000, 3), "used_kg": round(float(lt.used_grams) / 1000, 3)}
                  for lt in p.lots],
        "missing_prices": list(p.missing_prices),
        "adjusted": [{"id": vid, "base": base, "percent": pct} for vid, base, pct in p.adjusted],
        "seconds": round(p.seconds, 3),
        "gap": p.gap,
    }


@dataclass(frozen=True)
class CostComparison:
    plan_name: str
    current: Decimal | None
    proposed: Decimal | None
    percent: float | None
    dearer: tuple[str, ...]  # foods that make the proposal dearer, biggest first, as text


def compare_cost(db: Database, committee: CommitteeInfo, proposal: Proposal, current: Plan) -> CostComparison:
    """Cost per ration of the proposal against the current plan on the same days, and what makes it dearer."""
    days = {e.day for e in proposal.entries}
    cur = Plan(current.info, tuple(e for e in current.entries if e.day in days))
    prop = Plan(PlanInfo(0, proposal.name, proposal.start, proposal.end, proposal.standard_id),
                proposal.entries)
    a, b = needs.plan_needs(db, cur, committee), needs.plan_needs(db, prop, committee)
    percent = None
    if a.cost_per_ration and b.cost_per_ration:
        percent = float((b.cost_per_ration - a.cost_per_ration) / a.cost_per_ration * 100)
    costs_a = {ln.code: (ln.cost or Decimal(0), ln.name) for ln in a.lines}
    costs_b = {ln.code: (ln.cost or Decimal(0), ln.name) for ln in b.lines}
    diffs = []
    for code in set(costs_a) | set(costs_b):
        d = costs_b.get(code, (Decimal(0), ""))[0] - costs_a.get(code, (Decimal(0), ""))[0]
        name = (costs_b.get(code) or costs_a.get(code))[1]
        if d > 0:
            diffs.append((d, _("{name}: S/ {d:,.2f} más").format(name=name, d=d)))
    dearer = tuple(t for _unused, t in sorted(diffs, reverse=True)[:5]) if percent is not None and percent > 0 else ()
    return CostComparison(current.info.name, a.cost_per_ration, b.cost_per_ration, percent, dearer)


def changes(db: Database, committee: CommitteeInfo, proposal: Proposal, current: Plan | None) -> list[Change]:
    """What the proposal changes in the current plan, each with why (the current entry's problem, a
    saving, or the week's rules)."""
    now = {(e.day, e.meal, e.level): e.recipe_id for e in (current.entries if current else ())}
    problems: dict[tuple, str] = {}
    if current is not None and now:
        days = {e.day for e in proposal.entries}
        cur = Plan(current.info, tuple(e for e in current.entries if e.day in days))
        check = compliance.check_plan(db, cur, standards.get_standard(db, proposal.standard_id), committee)
        problems = {(c.day, c.meal, c.level): c.problems[0] for c in check.entries if c.status != STATUS_OK
                    and c.problems}
    ppg: dict[str, Decimal] = {}
    for code, item in needs.price_list(db, committee.id).items():
        grams = item.unit().grams()
        if grams > 0:
            ppg[code] = item.price / grams
    defs: dict[str, RecipeDef] = {}

    def cost(rid: str, level: str) -> Decimal | None:
        if rid not in defs:
            defs[rid] = recipe_service.get_recipe(db, rid)
        items = defs[rid].gross_grams(level)
        if any(i.code not in ppg for i, _unused in items):
            return None
        return sum((g * ppg[i.code] for i, g in items), Decimal(0))

    out: list[Change] = []
    for e in proposal.entries:
        key = (e.day, e.meal, e.level)
        before = now.get(key)
        if before == e.recipe_id:
            continue
        if before is None:
            reason = _("el día no tenía preparación")
        elif key in problems:
            reason = _("la actual no cumple: {value}").format(value=problems[key])
        else:
            a, b = cost(before, e.level), cost(e.recipe_id, e.level)
            if a is not None and b is not None and a - b >= Decimal("0.01"):
                reason = _("cuesta S/ {value:.2f} menos por ración ({level})").format(value=a - b, level=e.level)
            else:
                reason = _("para cumplir las reglas de la semana (hierro hemínico, no repetir, cereal base)")
        out.append(Change(e.day, e.meal, e.level, before, e.recipe_id, reason))
    return out


def accept(db: Database, committee: CommitteeInfo, plan_id: int, proposal: Proposal,
           days: set[date] | None = None, *, user: str, served_ok: bool = False,
           keep_before: date | None = None) -> Plan:
    """Put the proposal into the plan: every proposed day, or only ``days`` (day by day). Days not
    accepted, and the days the proposal kept, stay as they are; so do the days before ``keep_before``
    («Conservar los días que ya pasaron»: an empty past day was filled all the same). Journaled («menu.cambios»,
    who accepted); meals already served that it would change raise planning.ServedChange unless ``served_ok``."""
    chosen = {e.day for e in proposal.entries} if days is None else set(days)  # kept entries are in it as they are
    if not chosen:
        raise InvalidInput(_("Marque al menos un día de la propuesta para aceptarlo."))
    if keep_before is not None:
        chosen = {d for d in chosen if d >= keep_before}
        if not chosen:
            raise InvalidInput(_("Los días marcados ya pasaron y se pidió conservarlos: no se cambió nada."))
    return planning.replace_days(db, committee, plan_id, chosen, list(proposal.entries), user=user,
                                 served_ok=served_ok)
