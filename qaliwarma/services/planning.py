"""Menu plans: per school day × meal × level, a preparation. Create, assign, copy a week, repeat a
cycle, swap two days, import and export plan files. Every change is validated whole first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select

from ..domain.committee import serves_lunch
from ..domain.menus import Plan, PlanEntry, PlanInfo
from ..errors import InvalidInput, NotFound, Problem
from ..i18n import _, ngettext
from ..persistence.engine import Database
from ..persistence.journal import lock_committee
from ..persistence.models import MenuEntry, MenuPlan, Recipe
from ..vocab import period_label
from . import calendar as calendar_service
from .committee import CommitteeInfo


def _info(row: MenuPlan, count: int = 0) -> PlanInfo:
    return PlanInfo(row.id, row.name, row.start, row.end, row.standard_id, count)


def list_plans(db: Database, committee_id: int) -> list[PlanInfo]:
    with db.session() as s:
        counts = dict(s.execute(select(MenuEntry.plan_id, func.count()).group_by(MenuEntry.plan_id)).all())
        rows = s.scalars(select(MenuPlan).where(MenuPlan.committee_id == committee_id).order_by(MenuPlan.start)).all()
        return [_info(r, counts.get(r.id, 0)) for r in rows]


def get_plan(db: Database, plan_id: int, committee_id: int | None = None) -> Plan:
    with db.session() as s:
        row = s.get(MenuPlan, plan_id)
        if row is None or (committee_id is not None and row.committee_id != committee_id):
            raise NotFound(_("No existe el plan de menú n.º {plan_id}. Vea la lista con «qaliwarma menu list».").format(plan_id=plan_id))
        entries = tuple(
            PlanEntry(e.day, e.meal, e.level, e.recipe_id)
            for e in sorted(row.entries, key=lambda e: (e.day, e.meal != "desayuno", e.level))
        )
        return Plan(_info(row, len(entries)), entries)


def validate_entries(db: Database, committee: CommitteeInfo, entries: list[PlanEntry],
                     where: dict[PlanEntry, str] | None = None) -> list[Problem]:
    """Every problem of a set of entries: unknown preparation, day outside the calendar, a level the
    school doesn't have, a meal the school doesn't serve, a preparation not dosed for the level."""
    where = where or {}
    problems: list[Problem] = []
    levels = set(committee.levels)
    lunch = serves_lunch(committee.form.quintile, committee.form.amazonian_indigenous)
    with db.session() as s:
        recipes = {r.id: r for r in s.scalars(select(Recipe).where(
            Recipe.committee_id.is_(None) | (Recipe.committee_id == committee.id)))}
    calendars: dict[int, object] = {}
    seen: dict[tuple, str] = {}
    from ..persistence.journal import Journal, month_of

    with db.session() as s:
        closed = Journal(s, committee.id).closed_months()
    for e in entries:
        place = where.get(e, f"{e.day:%d/%m/%Y} {e.meal} {e.level}")
        key = (e.day, e.meal, e.level)
        if key in seen:
            problems.append(Problem(place, _("ya hay una preparación para ese día, comida y nivel ({value})").format(value=seen[key])))
        seen.setdefault(key, place)
        if e.level not in levels:
            problems.append(Problem(place, _("la escuela no tiene el nivel «{level}» (tiene {join})").format(level=e.level, join=', '.join(sorted(levels)))))
        if e.meal not in ("desayuno", "almuerzo"):
            problems.append(Problem(place, _("comida «{meal}» desconocida (desayuno o almuerzo)").format(meal=e.meal)))
        elif e.meal == "almuerzo" and not lunch:
            problems.append(Problem(place, _("la escuela (quintil {quintile}) no sirve almuerzo").format(quintile=committee.form.quintile)))
        recipe = recipes.get(e.recipe_id)
        if recipe is None:
            problems.append(Problem(place, _("preparación desconocida «{recipe_id}»").format(recipe_id=e.recipe_id)))
        else:
            if e.level not in recipe.levels.split(","):
                problems.append(Problem(place, _("«{recipe_id}» no tiene dosificación para {level}").format(recipe_id=e.recipe_id, level=e.level)))
            if recipe.meal != e.meal:
                problems.append(Problem(place, _("«{recipe_id}» es un {meal}, no un {meal2}").format(recipe_id=e.recipe_id, meal=recipe.meal, meal2=e.meal)))
        cal = calendars.get(e.day.year)
        if cal is None:
            cal = calendars[e.day.year] = calendar_service.school_calendar(db, committee.id, e.day.year)
        if month_of(e.day) in closed:
            problems.append(Problem(place, _("el mes {month_of} está cerrado: su menú ya no se cambia").format(month_of=month_of(e.day))))
        reason = cal.why_not(e.day)
        if reason:
            problems.append(Problem(place, _("el {day:%d/%m/%Y} no es día de clases: {reason}").format(day=e.day, reason=reason)))
    return problems


def create_plan(db: Database, committee: CommitteeInfo, name: str, start: date, end: date,
                entries: list[PlanEntry] | None = None, *, standard_id: str | None = None,
                where: dict[PlanEntry, str] | None = None) -> PlanInfo:
    entries = list(entries or [])
    problems = []
    if not name.strip():
        problems.append(Problem("Nombre", _("escriba un nombre para el plan (p. ej. «Menú de marzo»)")))
    if start > end:
        problems.append(Problem("Fechas", _("el inicio {start:%d/%m/%Y} es posterior al fin {end:%d/%m/%Y}").format(start=start, end=end)))
    for e in entries:
        if not start <= e.day <= end:
            problems.append(Problem((where or {}).get(e, f"{e.day:%d/%m/%Y}"),
                                    _("el día está fuera del plan ({start:%d/%m/%Y} al {end:%d/%m/%Y})").format(start=start, end=end)))
    problems += validate_entries(db, committee, entries, where)
    if standard_id:
        from .standards import get_standard

        get_standard(db, standard_id)
    if problems:
        raise InvalidInput(_("El plan tiene errores; no se guardó nada."), problems)
    now = datetime.now()
    with db.session() as s:
        row = MenuPlan(committee_id=committee.id, name=name.strip(), start=start, end=end,
                       standard_id=standard_id, created_at=now, updated_at=now)
        row.entries = [MenuEntry(day=e.day, meal=e.meal, level=e.level, recipe_id=e.recipe_id) for e in entries]
        s.add(row)
        s.flush()
        return _info(row, len(entries))


def _replace_entries(db: Database, committee: CommitteeInfo, plan_id: int, remove: list[tuple],
                     add: list[PlanEntry], record=None) -> Plan:
    """``record(session)``: a journal entry written in the same unit of work as the plan's change (a pick
    and its undoing), so the change and its record are saved together or not at all."""
    plan = get_plan(db, plan_id, committee.id)
    from ..persistence.journal import Journal, month_of

    with db.session() as s:
        closed = Journal(s, committee.id).closed_months()
    frozen = sorted({month_of(d) for d, _unused, _unused in remove} & closed)
    if frozen:
        raise InvalidInput(_("El mes {join} está cerrado: su menú ya no se cambia.").format(join=', '.join(frozen)))
    removed = set(remove)
    kept = [e for e in plan.entries if (e.day, e.meal, e.level) not in removed
            and (e.day, e.meal, e.level) not in {(a.day, a.meal, a.level) for a in add}]
    for e in add:
        if not plan.info.start <= e.day <= plan.info.end:
            raise InvalidInput(_("El {day:%d/%m/%Y} está fuera del plan ({start:%d/%m/%Y} al {end:%d/%m/%Y}); no se cambió nada.").format(day=e.day, start=plan.info.start, end=plan.info.end))
    problems = validate_entries(db, committee, add)
    if problems:
        raise InvalidInput(_("No se puede hacer ese cambio; el plan quedó como estaba."), problems)
    with db.session() as s:
        lock_committee(s, committee.id)  # no month closes between the comparison below and the change
        shown = _closed_menus(s, committee.id, plan_id)
        row = s.get(MenuPlan, plan_id)
        s.execute(delete(MenuEntry).where(MenuEntry.plan_id == plan_id))
        s.flush()
        for e in kept + add:
            s.add(MenuEntry(plan_id=plan_id, day=e.day, meal=e.meal, level=e.level, recipe_id=e.recipe_id))
        row.updated_at = datetime.now()
        s.flush()
        if shown and _closed_menus(s, committee.id, plan_id) != shown:
            raise InvalidInput(_(
                "No se cambió nada: el plan «{name}» también tiene comidas de {months}, mes ya cerrado que "
                "muestra el menú de otro plan. Si se cambia este plan, {months} pasaría a mostrar sus comidas y ya "
                "no el menú con que se cerró. Haga el cambio en un plan sin días de meses cerrados (cree uno nuevo "
                "para los días que faltan).").format(
                    name=row.name, months=", ".join(period_label(m) for m in shown)))
        if record is not None:
            record(s)
    return get_plan(db, plan_id)


def _closed_menus(s, committee_id: int, plan_id: int) -> dict[str, list[tuple]]:
    """The menu each closed month in which plan ``plan_id`` has meals shows (its report, its bundle, its seal):
    where plans overlap, each day × meal × level is the most recently changed plan's, so changing this plan could
    make a closed month show other meals."""
    from .export import plan_entries_in
    from .periods import month_bounds

    return {month: plan_entries_in(s, committee_id, *month_bounds(month))
            for month in _closed_in(s, committee_id, plan_id)}


def assign(db: Database, committee: CommitteeInfo, plan_id: int, day: date, meal: str, level: str,
           recipe_id: str | None) -> Plan:
    """Put a preparation on a day × meal × level (None clears it)."""
    if recipe_id is None:
        return _replace_entries(db, committee, plan_id, [(day, meal, level)], [])
    return _replace_entries(db, committee, plan_id, [], [PlanEntry(day, meal, level, recipe_id)])


def copy_week(db: Database, committee: CommitteeInfo, plan_id: int, from_monday: date, to_monday: date, *,
              user: str, served_ok: bool = False) -> Plan:
    """Copy Monday–Friday of one week onto another; days that are not school days are skipped. Journaled as one
    «menu.cambios» entry (``change_many``)."""
    plan = get_plan(db, plan_id, committee.id)
    shift = to_monday - from_monday
    source = [e for e in plan.entries if from_monday <= e.day < from_monday + timedelta(days=7)]
    if not source:
        raise InvalidInput(_("La semana del {from_monday:%d/%m/%Y} no tiene preparaciones para copiar.").format(from_monday=from_monday))
    targets = set(calendar_service.school_days(db, committee.id, to_monday, to_monday + timedelta(days=6)))
    add = [PlanEntry(e.day + shift, e.meal, e.level, e.recipe_id) for e in source if e.day + shift in targets]
    return change_many(db, committee, plan, [], add, "copia_semana",
                       {"from": from_monday.isoformat(), "to": to_monday.isoformat()}, user=user, served_ok=served_ok)


def repeat_cycle(db: Database, committee: CommitteeInfo, plan_id: int, cycle_start: date, cycle_days: int, *,
                 user: str, served_ok: bool = False) -> Plan:
    """Repeat the first ``cycle_days`` school days from ``cycle_start`` over the rest of the plan (journaled as one
    «menu.cambios» entry)."""
    plan = get_plan(db, plan_id, committee.id)
    days = calendar_service.school_days(db, committee.id, cycle_start, plan.info.end)
    if cycle_days < 1 or len(days) <= cycle_days:
        raise InvalidInput(_("El ciclo debe tener al menos 1 día y ser más corto que lo que queda del plan."))
    cycle = days[:cycle_days]
    by_day: dict[date, list[PlanEntry]] = {}
    for e in plan.entries:
        by_day.setdefault(e.day, []).append(e)
    empty = [d for d in cycle if d not in by_day]
    if empty:
        raise InvalidInput(_("El ciclo tiene días sin preparaciones: {join}.").format(join=', '.join(f'{d:%d/%m}' for d in empty)))
    add = [PlanEntry(day, e.meal, e.level, e.recipe_id)
           for n, day in enumerate(days[cycle_days:]) for e in by_day[cycle[n % cycle_days]]]
    return change_many(db, committee, plan, [], add, "ciclo", {"start": cycle_start.isoformat(), "days": cycle_days},
                       user=user, served_ok=served_ok)


def swap_days(db: Database, committee: CommitteeInfo, plan_id: int, a: date, b: date, *, user: str,
              served_ok: bool = False) -> Plan:
    """The preparations of day ``a`` go to day ``b`` and those of ``b`` to ``a`` (one «menu.cambios» entry)."""
    plan = get_plan(db, plan_id, committee.id)
    moved = [PlanEntry(b if e.day == a else a, e.meal, e.level, e.recipe_id) for e in plan.entries if e.day in (a, b)]
    remove = [(e.day, e.meal, e.level) for e in plan.entries if e.day in (a, b)]
    return change_many(db, committee, plan, remove, moved, "intercambio", {"a": a.isoformat(), "b": b.isoformat()},
                       user=user, served_ok=served_ok)


# ----------------------------------------------------------------------------------- changes of many cells
# Copying a week, repeating a cycle, swapping two days and accepting a proposal (replace_days) change many cells
# at once: each is one journal entry «menu.cambios» saved with the plan's change, listing every cell that changed
# (before and after) and what was done. Without it the plan of days already served changed without a trace (the month's
# report then compared the rations with another menu) and the history said «no elections».
CHANGES_KIND = "menu.cambios"


class ServedChange(InvalidInput):
    """The change would alter the plan of meals already served: the caller asks first, then passes
    ``served_ok=True``. ``served``: (day, meal, level, rations, recipe served) of each such meal."""

    def __init__(self, served: list[tuple[date, str, str, int, str]]) -> None:
        from ..domain.levels import LEVEL_LABELS, MEAL_LABELS

        self.served = served
        shown = [_("{day} {meal} de {level} ({n} raciones)").format(
            day=f"{d:%d/%m/%Y}", meal=_(MEAL_LABELS.get(m, m)).lower(), level=_(LEVEL_LABELS.get(lv, lv)).lower(), n=n)
            for d, m, lv, n, _r in served[:MAX_SERVED_SHOWN]]
        if len(served) > MAX_SERVED_SHOWN:
            shown.append(_("y {n} comidas más").format(n=len(served) - MAX_SERVED_SHOWN))
        super().__init__(ngettext(
            _("Este cambio toca {n} comida que ya tiene raciones registradas: {list}. Si cambia ahora su menú, "
              "cambia lo que el informe del mes compara con lo servido; el cambio queda en el historial del menú, "
              "con su nombre."),
            _("Este cambio toca {n} comidas que ya tienen raciones registradas: {list}. Si cambia ahora su menú, "
              "cambia lo que el informe del mes compara con lo servido; el cambio queda en el historial del menú, "
              "con su nombre."), len(served)).format(n=len(served), list="; ".join(shown)))


MAX_SERVED_SHOWN = 4


def _cells(entries) -> dict[tuple[date, str, str], str]:
    return {(e.day, e.meal, e.level): e.recipe_id for e in entries}


OPERATIONS = ("copia_semana", "ciclo", "intercambio", "propuesta")


def change_many(db: Database, committee: CommitteeInfo, plan: Plan, remove: list[tuple], add: list[PlanEntry],
                operation: str, detail: dict, *, user: str, served_ok: bool = False) -> Plan:
    """Take ``remove`` out of the plan and put ``add`` in, journaled as one «menu.cambios» entry: the
    ``operation`` (OPERATIONS) with its ``detail`` (dates, as text), and every cell that changed, before and
    after; nothing is journaled when nothing changes. Meals already served among the cells that change raise
    ServedChange unless ``served_ok``."""
    from ..persistence.journal import Journal

    before = _cells(plan.entries)
    after = {k: v for k, v in before.items() if k not in set(remove)}
    after.update(_cells(add))
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if not changed:
        return plan
    if not served_ok:
        from .serving import services_in

        wanted = set(changed)
        served = [(r.day, r.meal, r.level, r.rations, r.recipe_id)
                  for r in services_in(db, committee.id, changed[0][0], changed[-1][0])
                  if (r.day, r.meal, r.level) in wanted]
        if served:
            raise ServedChange(served)
    payload = {"plan": plan.info.id, "plan_name": plan.info.name, "operation": operation, "detail": detail,
               "changes": [{"day": d.isoformat(), "meal": m, "level": lv, "recipe_id": after.get((d, m, lv)),
                            "before": before.get((d, m, lv))} for d, m, lv in changed]}

    def record(s) -> None:
        Journal(s, committee.id, lock=True).append(CHANGES_KIND, changed[0][0], payload, user=user)

    return _replace_entries(db, committee, plan.info.id, remove, add, record)


PLAN_DELETED = "menu.plan_eliminado"  # a plan deleted: its whole content is in the entry (who, when, what)


def planned_in_closed_months(s, committee_id: int, *, plan_id: int | None = None, recipe_id: str | None = None,
                             standard_id: str | None = None) -> list[tuple[str, str]]:
    """(closed month, plan name) where the committee's plans have preparations — of plan ``plan_id``, of preparation
    ``recipe_id``, of the plans judged by ``standard_id`` —, earliest first. What such a month's report and its
    verification code compare with what was served: the plan, its standard and its own preparations stay as they
    were when it closed (a deleted plan, another standard, a renamed standard or doubled grams changed its code)."""
    from ..persistence.journal import Journal, month_of

    closed = Journal(s, committee_id).closed_months()
    if not closed:
        return []
    query = select(MenuPlan.name, MenuEntry.day).join(MenuEntry, MenuEntry.plan_id == MenuPlan.id).where(
        MenuPlan.committee_id == committee_id)
    if plan_id is not None:
        query = query.where(MenuPlan.id == plan_id)
    if recipe_id is not None:
        query = query.where(MenuEntry.recipe_id == recipe_id)
    if standard_id is not None:
        query = query.where(MenuPlan.standard_id == standard_id)
    return sorted({(month_of(day), name) for name, day in s.execute(query) if month_of(day) in closed})


def _closed_in(s, committee_id: int, plan_id: int) -> list[str]:
    return sorted({month for month, _name in planned_in_closed_months(s, committee_id, plan_id=plan_id)})


def delete_plan(db: Database, committee_id: int, plan_id: int, *, user: str) -> None:
    """Delete a plan, journaled with its whole content (who deleted it, when, what it had). Refused when it has
    preparations in a closed month: that month's report and code compare them with what was served."""
    from ..persistence.journal import Journal

    with db.session() as s:
        row = s.get(MenuPlan, plan_id)
        if row is None or row.committee_id != committee_id:
            raise NotFound(_("No existe el plan de menú n.º {plan_id}.").format(plan_id=plan_id))
        closed = _closed_in(s, committee_id, plan_id)
        if closed:
            raise InvalidInput(_("El plan «{name}» tiene preparaciones de {months}, ya cerrado: no se elimina (el "
                                 "informe de ese mes compara lo servido con este plan).").format(
                name=row.name, months=", ".join(closed)))
        entries = s.scalars(select(MenuEntry).where(MenuEntry.plan_id == plan_id)
                            .order_by(MenuEntry.day, MenuEntry.meal, MenuEntry.level)).all()
        payload = {"plan": plan_id, "plan_name": row.name, "start": row.start.isoformat(), "end": row.end.isoformat(),
                   "standard_id": row.standard_id,
                   "entries": [{"day": e.day.isoformat(), "meal": e.meal, "level": e.level, "recipe_id": e.recipe_id}
                               for e in entries]}
        Journal(s, committee_id, lock=True).append(PLAN_DELETED, row.start, payload, user=user)
        s.delete(row)


def set_standard(db: Database, committee: CommitteeInfo, plan_id: int, standard_id: str) -> PlanInfo:
    """Check the plan against another standard from now on (the standard must exist). Refused when the plan has
    preparations in a closed month: that month's report would judge them by another standard."""
    from .standards import get_standard

    get_standard(db, standard_id)
    with db.session() as s:
        row = s.get(MenuPlan, plan_id)
        if row is None or row.committee_id != committee.id:
            raise NotFound(_("No existe el plan de menú n.º {plan_id}.").format(plan_id=plan_id))
        closed = _closed_in(s, committee.id, plan_id) if row.standard_id != standard_id else []
        if closed:
            raise InvalidInput(_("El plan «{name}» tiene preparaciones de {months}, ya cerrado: su estándar ya no se "
                                 "cambia (el informe de ese mes ya lo juzgó). Para los meses abiertos, cree un plan "
                                 "nuevo con el otro estándar.").format(name=row.name, months=", ".join(closed)))
        row.standard_id, row.updated_at = standard_id, datetime.now()
    return get_plan(db, plan_id).info


# ----------------------------------------------------------------------------------- plan files
def import_plan_file(db: Database, committee: CommitteeInfo, path, *, name: str | None = None,
                     standard: str | None = None) -> PlanInfo:
    """Read a plan file (TOML, CSV or XLSX) and save it as a new plan, all or nothing; every problem is
    reported with its place. The command line and the Menú page both call this."""
    from pathlib import Path

    from ..i18n import _
    from ..io.plan_files import read_plan_file

    path = Path(path)
    plan_file = read_plan_file(path, committee.levels)
    code = committee.form.codigo_modular
    from .committee import code_corrections

    former = {c.old for c in code_corrections(db, committee.id)} if plan_file.committee else set()
    if plan_file.committee and plan_file.committee != code and plan_file.committee not in former:
        raise InvalidInput(_("{file} es el plan de otro comité (código modular {other}); este comité es {code}. "
                             "Pida el archivo de su propio comité.").format(
                                 file=path.name, other=plan_file.committee, code=code))
    days = [e.day for e in plan_file.entries]
    return create_plan(db, committee, name or plan_file.name, plan_file.start or min(days),
                       plan_file.end or max(days), plan_file.entries, standard_id=standard or plan_file.standard,
                       where=plan_file.where)


def export_plan_file(db: Database, committee: CommitteeInfo, plan_id: int, path):
    """Write the plan as a TOML file another committee (or this one, later) can import."""
    from pathlib import Path

    from ..errors import cannot_save
    from ..io.plan_files import write_plan_toml

    plan = get_plan(db, plan_id, committee.id)
    text = write_plan_toml(plan.info.name, plan.info.start, plan.info.end, list(plan.entries),
                           committee=committee.form.codigo_modular, standard=plan.info.standard_id)
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise cannot_save(path, exc) from exc
    return Path(path)


def replace_days(db: Database, committee: CommitteeInfo, plan_id: int, days: set[date],
                 entries: list[PlanEntry], *, user: str, served_ok: bool = False) -> Plan:
    """Put ``entries`` in place of whatever the plan has on ``days`` (e.g. a proposal accepted day by
    day); validated whole first, nothing changes on a problem. One «menu.cambios» entry (``change_many``)."""
    plan = get_plan(db, plan_id, committee.id)
    remove = [(e.day, e.meal, e.level) for e in plan.entries if e.day in days]
    return change_many(db, committee, plan, remove, [e for e in entries if e.day in days], "propuesta",
                       {"days": sorted(d.isoformat() for d in days)}, user=user, served_ok=served_ok)


# ----------------------------------------------------------------------------------- journaled picks
# A pick on the Menú page (one preparation for a day × meal × level) is a journal entry «menu.eleccion»
# saved with the plan's change; «Deshacer» is that entry's reversal (the journal's own correction, with
# who undid it and why) saved with the plan put back. The history then says who picked and who undid.
PICK_KIND = "menu.eleccion"
UNDO_REASON = "Deshacer en la página Menú"


@dataclass(frozen=True)
class Picked:
    plan: Plan
    seq: int | None  # the pick's journal entry (None: the cell already held that preparation)


def _cell(plan: Plan, day: date, meal: str, level: str) -> str | None:
    return next((e.recipe_id for e in plan.entries if (e.day, e.meal, e.level) == (day, meal, level)), None)


def pick(db: Database, committee: CommitteeInfo, plan_id: int, day: date, meal: str, level: str,
         recipe_id: str | None, *, user: str) -> Picked:
    """Put a preparation on a day × meal × level (None clears it) and journal the pick: what was there
    before, what is there now, who chose it. Validated like ``assign``; nothing is saved on a problem."""
    from ..persistence.journal import Journal

    plan = get_plan(db, plan_id, committee.id)
    before = _cell(plan, day, meal, level)
    if before == recipe_id:
        return Picked(plan, None)
    payload = {"plan": plan_id, "plan_name": plan.info.name, "day": day.isoformat(), "meal": meal, "level": level,
               "recipe_id": recipe_id, "before": before}
    written: list[int] = []

    def record(s) -> None:
        written.append(Journal(s, committee.id, lock=True).append(PICK_KIND, day, payload, user=user).seq)

    add = [PlanEntry(day, meal, level, recipe_id)] if recipe_id else []
    remove = [] if recipe_id else [(day, meal, level)]
    new_plan = _replace_entries(db, committee, plan_id, remove, add, record)
    return Picked(new_plan, written[0])


def undo_pick(db: Database, committee: CommitteeInfo, seq: int, *, user: str, reason: str = UNDO_REASON) -> Plan:
    """Undo the pick journaled as entry ``seq``: the plan gets back what it had before, and the pick is
    reversed in the journal (who undid it, why). Refused when the entry is not a pick, was already undone,
    or the day has changed since (then undoing would lose the later choice)."""
    from ..i18n import _
    from ..persistence.journal import Journal

    if not reason.strip():  # a reason nobody gave is never journaled (the window passes its own, UNDO_REASON)
        raise InvalidInput(_("Escriba el motivo para deshacer la elección n.º {seq}; no se deshizo nada.").format(seq=seq))
    with db.session() as s:
        journal = Journal(s, committee.id)
        entry = journal.get(seq)
        undone = [e for e in journal.entries(PICK_KIND) if e.corrects_seq == seq]
    if entry.kind != PICK_KIND or entry.correction_type is not None:
        raise InvalidInput(_("El asiento n.º {seq} no es una elección del menú: no se deshace aquí.").format(seq=seq))
    if undone:
        raise InvalidInput(_("La elección n.º {seq} ya se deshizo (asiento n.º {undo}, {user}).").format(
            seq=seq, undo=undone[0].seq, user=undone[0].user))
    p = entry.payload
    day, meal, level = date.fromisoformat(p["day"]), p["meal"], p["level"]
    plan = get_plan(db, int(p["plan"]), committee.id)
    now = _cell(plan, day, meal, level)
    if now != p.get("recipe_id"):
        raise InvalidInput(_("El {day} ({meal}, {level}) cambió después de esa elección: no se deshace, para no "
                             "perder el cambio posterior. Elija allí la preparación que corresponda.").format(
                                 day=f"{day:%d/%m/%Y}", meal=meal, level=level))

    def record(s) -> None:
        Journal(s, committee.id, lock=True).reverse(seq, user=user, reason=reason.strip(), entry_date=day)

    before = p.get("before")
    add = [PlanEntry(day, meal, level, before)] if before else []
    remove = [] if before else [(day, meal, level)]
    return _replace_entries(db, committee, int(p["plan"]), remove, add, record)


@dataclass(frozen=True)
class PickLine:
    seq: int
    recorded_at: str
    user: str
    undoes: int | None  # the pick this line undoes (None: a pick)
    reason: str
    day: date
    meal: str
    level: str
    recipe_id: str | None
    before: str | None
    plan: int
    plan_name: str
    operation: str | None = None  # a change of many cells («menu.cambios»): OPERATIONS; None for a pick
    detail: dict | None = None  # its dates

    def as_json(self) -> dict:
        return {"seq": self.seq, "recorded_at": self.recorded_at, "user": self.user, "undoes": self.undoes,
                "reason": self.reason, "day": self.day.isoformat(), "meal": self.meal, "level": self.level,
                "recipe_id": self.recipe_id, "before": self.before, "plan": self.plan, "plan_name": self.plan_name,
                "operation": self.operation, "detail": self.detail}


def pick_history(db: Database, committee_id: int, plan_id: int | None = None) -> list[PickLine]:
    """The journaled picks and their undoing, newest first (optionally of one plan)."""
    from ..persistence.journal import Journal

    with db.session() as s:
        journal = Journal(s, committee_id)
        entries = sorted([*journal.entries(PICK_KIND), *journal.entries(CHANGES_KIND)], key=lambda e: e.seq)
    lines = []
    for e in entries:
        p = e.payload
        if plan_id is not None and p.get("plan") != plan_id:
            continue
        if e.kind == CHANGES_KIND:  # one line per cell changed, in the day's order, under the same entry
            lines += [PickLine(e.seq, e.recorded_at, e.user, None, e.reason, date.fromisoformat(c["day"]), c["meal"],
                               c["level"], c.get("recipe_id"), c.get("before"), int(p["plan"]), p.get("plan_name", ""),
                               p.get("operation"), p.get("detail"))
                      for c in reversed(p.get("changes", []))]
            continue
        lines.append(PickLine(e.seq, e.recorded_at, e.user, e.corrects_seq, e.reason, date.fromisoformat(p["day"]),
                              p["meal"], p["level"], p.get("recipe_id"), p.get("before"), int(p["plan"]),
                              p.get("plan_name", "")))
    return lines[::-1]


def pick_text(line: PickLine, names: dict[str, str] | None = None) -> str:
    """One line of the history in words: when, who, what was chosen or undone, and why."""
    from ..domain.levels import LEVEL_LABELS, MEAL_LABELS
    from ..i18n import _

    names = names or {}
    when = datetime.fromisoformat(line.recorded_at).astimezone()
    where = _("{meal} de {level}, {day}").format(meal=_(MEAL_LABELS.get(line.meal, line.meal)).lower(),
                                                 level=_(LEVEL_LABELS.get(line.level, line.level)).lower(),
                                                 day=f"{line.day:%d/%m/%Y}")

    def name(recipe: str | None) -> str:
        return f"«{names.get(recipe, recipe)}»" if recipe else _("nada")

    if line.operation is not None:
        text = _("{user}, {operation}: {after} para {where} (antes: {before})").format(
            user=line.user, operation=operation_text(line.operation, line.detail or {}),
            after=name(line.recipe_id), where=where, before=name(line.before))
    elif line.undoes is not None:
        text = _("{user} deshizo la elección n.º {seq} ({where}: volvió a {before}). Motivo: {reason}").format(
            user=line.user, seq=line.undoes, where=where, before=name(line.before), reason=line.reason)
    elif line.recipe_id:
        text = _("{user} eligió {recipe} para {where} (antes: {before})").format(
            user=line.user, recipe=name(line.recipe_id), where=where, before=name(line.before))
    else:
        text = _("{user} quitó {before} de {where}").format(user=line.user, before=name(line.before), where=where)
    return f"{when:%d/%m/%Y %H:%M} — n.º {line.seq} — {text}"


def operation_text(operation: str, detail: dict) -> str:
    """What a change of many cells was, in words («intercambió el 02/11/2026 y el 03/11/2026»)."""
    from ..i18n import _

    def day(key: str) -> str:
        value = detail.get(key)
        return f"{date.fromisoformat(value):%d/%m/%Y}" if value else "?"

    if operation == "intercambio":
        return _("intercambió el {a} y el {b}").format(a=day("a"), b=day("b"))
    if operation == "copia_semana":
        return _("copió la semana del {a} en la del {b}").format(a=day("from"), b=day("to"))
    if operation == "ciclo":
        return _("repitió un ciclo de {n} días de clase desde el {start}").format(n=detail.get("days", "?"),
                                                                                 start=day("start"))
    if operation == "propuesta":
        return _("aceptó la propuesta de menú")
    return operation
