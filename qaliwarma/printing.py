"""Printing: one function per document a committee prints from a menu or a recipe. Each gathers its data
from the services, has the report lay it out, and writes the PDF, refusing with the same words whether
the command line (``qaliwarma report …``) or the window asked.

This module sits above ``reports`` (it is the only core module besides the CLI that calls both services
and report builders for the menu documents).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from .errors import InvalidInput, cannot_save
from .i18n import _


def pdf_path(path) -> Path:
    """Where a document is written: a .pdf in a folder that exists."""
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise InvalidInput(_("El archivo de salida «{path}» debe terminar en .pdf.").format(path=path))
    if not path.parent.exists():
        raise InvalidInput(_("No existe la carpeta {folder}.").format(folder=path.parent))
    return path


def recipe_names(db, committee) -> dict[str, str]:
    from .services import recipes

    return {r.id: r.name for r in recipes.list_recipes(db, committee_id=committee.id)}


def menu_poster(db, committee, plan, out, months: list[date] | None = None) -> Path:
    """The menu poster of ``plan`` (a Plan or its number), only the weeks of ``months`` when given; the
    days without school say why."""
    from .domain.calendar import monday_of
    from .reports.menu_poster import build_menu_poster
    from .services import calendar, local_names, planning

    if not hasattr(plan, "info"):
        plan = planning.get_plan(db, int(plan), committee.id)
    days = [plan.info.start + timedelta(n) for n in range((plan.info.end - plan.info.start).days + 1)]
    closed = {}
    for d in days:
        if d.weekday() < 5:
            reason = calendar.why_not_school_day(db, committee.id, d)
            if reason:
                closed[d] = reason
    weeks = None
    if months:
        wanted = {(m.year, m.month) for m in months}
        weeks = sorted({monday_of(e.day) for e in plan.entries if (e.day.year, e.day.month) in wanted})
        if not weeks:
            raise InvalidInput(_("El mes que está viendo no tiene preparaciones: asígnelas antes de imprimir "
                                 "el menú."))
    local = local_names.list_local_names(db, committee.id)
    try:
        return build_menu_poster(plan, recipe_names(db, committee), Path(out), committee=committee, weeks=weeks,
                                 closed=closed, local_names=local.as_dict(), language=local.language)
    except OSError as exc:
        raise cannot_save(out, exc) from exc


def dosing_sheet(db, committee, recipe_id: str, level: str, out, children: int | None = None) -> Path:
    """The kitchen's dosing sheet of a preparation for ``children`` (default: the level's enrolment)."""
    from .domain.levels import LEVEL_LABELS
    from .reports.dosing import build_dosing_sheet
    from .services import recipes
    from .services.catalog import food_names

    if children is None:
        children = committee.enrolment(level)
        if children < 1:
            raise InvalidInput(_("No hay niños matriculados en {level}: anótelos en «Comité» antes de imprimir "
                                 "la hoja de dosificación.").format(level=_(LEVEL_LABELS.get(level, level)).lower()))
    elif children < 1:
        raise InvalidInput(_("La hoja de dosificación es para 1 niño o más (se indicó {n}).").format(n=children))
    recipe = recipes.get_recipe(db, recipe_id)
    try:
        return build_dosing_sheet(recipe, food_names(db), Path(out), children={level: children},
                                  committee=committee)
    except OSError as exc:
        raise cannot_save(out, exc) from exc


def compliance_report(db, committee, plan, out, *, standard_id: str | None = None, check=None, standard=None,
                      names: dict[str, str] | None = None, chart_level: str | None = None) -> Path:
    """The nutritional compliance report of a plan (checked here unless the caller already has the check)."""
    from .reports.compliance import build_compliance_report
    from .services import compliance, standards

    if check is None:
        standard = standards.get_standard(db, standard_id or plan.info.standard_id)
        check = compliance.check_plan(db, plan, standard, committee)
    names = names if names is not None else recipe_names(db, committee)
    try:
        return build_compliance_report(check, Path(out), committee=committee, recipe_names=names,
                                       standard_source=standard.source, chart_level=chart_level)
    except OSError as exc:
        raise cannot_save(out, exc) from exc


def monthly_report(db, committee, month: str, out, *, today: date | None = None) -> str:
    """The month's accountability report; returns its verification code."""
    from .reports.monthly import build_monthly_report
    from .services.integrity import require_intact

    require_intact(db, committee.id)  # never print figures from tables that disagree with the journal
    from .services.export import require_as_closed

    require_as_closed(db, committee, month)  # a closed month: never a report that differs from the one signed
    try:
        return build_monthly_report(db, committee, month, Path(out), today=today)
    except OSError as exc:
        raise cannot_save(out, exc) from exc
