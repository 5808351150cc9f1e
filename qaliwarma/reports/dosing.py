"""The cooks' "Ficha de dosificación": per level, what to weigh per child and in total for N children.

One page per level (the cook of inicial takes the inicial page to the kitchen), each complete: the
preparation, the table in large type, the steps, and the note that weights are as bought (gross).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table

from ..domain.recipes import Ingredient, RecipeDef, ordered_levels
from ..errors import InvalidInput
from ..i18n import N_, _
from ..units import household_hint
from .base import (
    HEAD_BG,
    INK,
    MUTED,
    RULE,
    ZEBRA,
    build_pdf,
    escape,
    format_grams,
    format_number,
    format_weight,
    join_words,
    level_label,
    meal_label,
    page_frame_size,
    story_height,
    style,
    table_style,
)

TITLE = N_("Ficha de dosificación")
GROSS_NOTE = (
    N_("Los pesos son del alimento <b>tal como se compra o se recibe</b> (peso bruto), antes de pelarlo, "
    "lavarlo o quitarle hueso o cáscara. Pese primero y después limpie.")
)
SCALES = (1.0, 0.97, 0.94, 0.91, 0.88, 0.85, 0.82, 0.78)
TOTAL_BG = colors.HexColor("#fff6d6")
BAND_BG = colors.HexColor("#2f5d8a")
MEASURE_NOTE = N_("La medida casera es una ayuda: cuando pueda, pese en la balanza.")


def _food_name(ingredient: Ingredient, food_names: dict[str, str]) -> str:
    return (ingredient.label or "").strip() or food_names.get(ingredient.code, ingredient.code)


def _measure(ingredient: Ingredient, level: str) -> str:
    dose = ingredient.doses[level]
    if (dose.measure or "").strip():
        return dose.measure.strip()
    return household_hint(ingredient.code, float(dose.grams)) or "—"


def _levels_to_print(recipe: RecipeDef, children: dict[str, int]) -> list[tuple[str, int]]:
    bad = [f"{level}: {n}" for level, n in children.items() if not isinstance(n, int) or n < 0]
    if bad:
        raise InvalidInput(_("El número de niños debe ser 0 o más ({join}).").format(join=', '.join(bad)))
    wanted = [(level, children[level]) for level in ordered_levels(recipe.levels) if children.get(level, 0) > 0]
    if not wanted:
        asked = join_words([level_label(lv) for lv, n in children.items() if n > 0]) or _("ningún nivel")
        has = join_words([level_label(lv) for lv in ordered_levels(recipe.levels)])
        raise InvalidInput(
            _("La preparación «{name}» no tiene dosis para {asked}: tiene dosis para {has}. Elija uno de esos niveles e indique cuántos niños comen.").format(name=recipe.name, asked=asked, has=has)
        )
    return wanted


def _steps(text: str) -> list[str]:
    return [line.strip().lstrip("-•").strip() for line in (text or "").splitlines() if line.strip()]


def _st(name: str, size: float, k: float, **changes):
    """Style ``name`` at ``size`` points times the page's scale ``k``."""
    return style(name, fontSize=size * k, leading=size * k * 1.22, **changes)


def _table(recipe: RecipeDef, level: str, n: int, food_names: dict[str, str], width: float, k: float) -> Table:
    head, head_right = _st("cell_head", 12.5, k), _st("cell_head", 12.5, k, alignment=TA_RIGHT)
    food, measure = _st("cell", 15, k), _st("cell", 13.5, k)
    per_child, total = _st("cell_bold", 16, k, alignment=TA_RIGHT), _st("cell_bold", 17, k, alignment=TA_RIGHT)
    rows = [[
        Paragraph(_("Alimento"), head),
        Paragraph(_("Peso por niño"), head_right),
        Paragraph(_("Medida casera por niño"), head),
        Paragraph(_("Total para {format_number} niños").format(format_number=format_number(n)), head_right),
    ]]
    for ingredient, grams in recipe.gross_grams(level):
        rows.append([
            Paragraph(escape(_food_name(ingredient, food_names)), food),
            Paragraph(format_grams(grams), per_child),
            Paragraph(escape(_measure(ingredient, level)), measure),
            Paragraph(format_weight(Decimal(grams) * n), total),
        ])
    widths = [0.31 * width, 0.15 * width, 0.33 * width, 0.21 * width]
    table = Table(rows, colWidths=widths, repeatRows=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("GRID", (0, 0), (-1, -1), 0.7, RULE),
        ("BOX", (0, 0), (-1, -1), 1.4, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 1), (-1, -1), 5 * k),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 7 * k),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("BACKGROUND", (3, 1), (3, -1), TOTAL_BG),
    ]
    commands += [("BACKGROUND", (0, r), (2, r), ZEBRA) for r in range(2, len(rows), 2)]
    table.setStyle(table_style(commands))
    return table


def _band(level: str, n: int, width: float, k: float) -> Table:
    text = _st("body", 19, k, textColor=colors.white)
    band = Table(
        [[Paragraph(_("Nivel <b>{upper}</b>").format(upper=level_label(level).upper()), text),
          Paragraph(_("Para <b>{format_number}</b> niños").format(format_number=format_number(n)), _st("body", 19, k, textColor=colors.white,
                                                                 alignment=TA_RIGHT))]],
        colWidths=[width / 2, width / 2],
    )
    band.setStyle(table_style([
        ("BACKGROUND", (0, 0), (-1, -1), BAND_BG),
        ("TOPPADDING", (0, 0), (-1, -1), 7 * k), ("BOTTOMPADDING", (0, 0), (-1, -1), 9 * k),
        ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
    ]))
    return band


def _level_page(recipe: RecipeDef, level: str, n: int, food_names: dict[str, str], width: float,
                k: float = 1.0) -> list:
    story: list = [
        Paragraph(_(TITLE), _st("title", 16, k, textColor=MUTED, spaceAfter=2)),
        Paragraph(escape(recipe.name), _st("title", 23, k)),
        Paragraph(_("{meal_label}  ·  Región {escape}").format(meal_label=meal_label(recipe.meal), escape=escape(recipe.region)), _st("subtitle", 14, k)),
        _band(level, n, width, k),
        Spacer(1, 0.3 * cm * k),
        _table(recipe, level, n, food_names, width, k),
        Spacer(1, 0.25 * cm * k),
        Paragraph(f"{_(GROSS_NOTE)} {_(MEASURE_NOTE)}", _st("body", 12, k)),
    ]
    steps = _steps(recipe.preparation)
    if steps:
        step_style = _st("body", 13.5, k, leftIndent=0.7 * cm, firstLineIndent=-0.7 * cm)
        block = [Paragraph(_("Cómo se prepara"), _st("heading", 16, k, spaceBefore=10 * k))]
        block += [Paragraph(f"<b>{i}.</b>&nbsp;&nbsp;{escape(s)}", step_style) for i, s in enumerate(steps, 1)]
        story.append(KeepTogether(block))
    notes = []
    if recipe.note.strip():
        notes.append(_("Nota: {escape}").format(escape=escape(recipe.note.strip())))
    if recipe.source.strip():
        notes.append(_("Fuente: {escape}").format(escape=escape(recipe.source.strip())))
    if notes:
        story.append(Spacer(1, 0.2 * cm))
        story += [Paragraph(text, style("small")) for text in notes]
    return story


def _fitted_page(recipe: RecipeDef, level: str, n: int, food_names: dict[str, str], width: float,
                 height: float) -> list:
    """The level's page in the largest type (down to 78 %) that keeps it on one sheet; a very long
    preparation flows onto a second sheet at 78 % rather than printing smaller."""
    for k in SCALES:
        page = _level_page(recipe, level, n, food_names, width, k)
        if story_height(page, width) <= height:
            return page
    return page


def build_dosing_sheet(
    recipe: RecipeDef,
    food_names: dict[str, str],
    out: Path,
    *,
    children: dict[str, int],
    committee=None,
) -> Path:
    """Write the dosing sheet of ``recipe`` to ``out``: one page per level of ``children`` (level →
    number of children, e.g. ``{"inicial": 38, "primaria": 142}``) that the recipe has.

    Levels the recipe has no dose for, or with 0 children, are left out; ``InvalidInput`` when none is
    left or a number is negative. ``food_names`` (code → name) names ingredients without a label.
    """
    levels = _levels_to_print(recipe, children)
    width, height = page_frame_size()
    story: list = []
    for i, (level, n) in enumerate(levels):
        if i:
            story.append(PageBreak())
        story += _fitted_page(recipe, level, n, food_names, width, height - 4)
    return build_pdf(out, story, title=f"{_(TITLE)}: {recipe.name}", committee=committee)
