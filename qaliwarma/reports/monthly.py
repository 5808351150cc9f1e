"""The monthly accountability report ("Informe mensual del CAE") that the committee signs and a
supervisor reads in five minutes.

Pages, in order: the cover (programme, school, period, committee, whether the month is closed); a
one-page "Resumen" with the month's figures and "lo que no cuadra"; menus planned vs served; the
nutrition compliance with its charts; rations per day and level against enrolment; the store (per
product: opening, received, used, lost, closing) and the yield check; lots near expiry and incidents;
the money (only when the school manages money); the flags in full; the signature lines.

Every page carries the month's verification code and a QR code that encodes
"QWCAE|<código modular>|<mes>|<código completo del paquete>": the same code ``qaliwarma export`` prints
for the month when nothing changed, so a printout can be matched to the exported file. The flags are
those the supervisor's import finds (``services.supervision.measure`` on the month's bundle, built
in memory), written in plain Spanish.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)
from reportlab.platypus.flowables import Flowable, Image

from ..domain.committee import MODALITIES, ROLES, STAKEHOLDERS, serves_lunch
from ..domain.flags import RATING_LABELS, SECTION_LABELS, Flag, flag_kind, word
from ..domain.levels import LEVELS, MEALS, REGION_LABELS
from ..domain.menus import STATUS_LABELS
from ..domain.stock import INCIDENT_TYPES, deviation_percent
from ..domain.treasury import CYCLE_STATES, DOC_TYPES
from ..i18n import N_, _, current
from ..money import format_soles
from ..services.month_rations import MonthRecord
from ..services.month_report import MonthFacts, month_facts
from .base import (
    FONT,
    FONT_BOLD,
    FOOTER_EDGE,
    HEAD_BG,
    INK,
    MONTHS,
    MUTED,
    NO_SERVICE_BG,
    NO_SERVICE_INK,
    PAGE_MARGIN,
    RULE,
    STATUS_COLOURS,
    Letterhead,
    _bottom_margin,
    _canvas_class,
    _draw_letterhead,
    _logo,
    _top_margin,
    escape,
    format_date,
    format_day_month,
    format_number,
    format_weight,
    join_words,
    level_label,
    meal_label,
    register_fonts,
    story_height,
    style,
    table_style,
    weekday_name,
)
from .parts import (
    Signer,
    cancelled_lines,
    column_widths,
    committee_signers,
    compliance_boxes,
    fitting_size,
    grid,
    kg,
    percent_chart,
    signature_table,
)

TITLE = N_("Informe mensual del Comité de Alimentación Escolar")
SHORT_TITLE = N_("Informe mensual")
QR_SIZE = 2.1 * cm
STAMP_HEIGHT = QR_SIZE + 0.45 * cm
SOON_DAYS = 30
ZERO = Decimal(0)
CENT = Decimal(100)
TOTAL_BG = colors.HexColor("#fff6d6")
LEVEL_BG = colors.HexColor("#2f5d8a")
SIGN_ROLES = ("presidente", "secretario", "tesorero")


# --------------------------------------------------------------------------------------- small helpers
def _pct(part, whole, decimals: int = 1) -> str:
    if not whole:
        return "—"
    return f"{format_number(Decimal(part) * CENT / Decimal(whole), decimals)} %"


def _nb(text: str) -> str:
    """Amounts never break between "S/" and the figure."""
    return text.replace("S/ ", "S/\u00a0")


def _soles(amount) -> str:
    return _nb(format_soles(amount))


def _pick(one: str, many: str, n: int) -> str:
    """The singular or the plural (each already translated, each its own msgid as the catalogue keeps them)."""
    return one if n == 1 else many


def _count(n: int, one: str, many: str) -> str:
    """«1 lote», «3 lotes»: the singular or the plural (each translated, with «{n}») with the count."""
    return _pick(one, many, n).format(n=format_number(n))


def _day(iso: str) -> str:
    try:
        return format_date(date.fromisoformat(iso))
    except ValueError:
        return iso


def flag_label(code: str) -> str:
    return flag_kind(code).title


def _grouped_flags(flags: list[Flag]) -> dict[str, list[Flag]]:
    grouped: dict[str, list[Flag]] = {}
    for flag in flags:
        grouped.setdefault(flag.code, []).append(flag)
    return grouped


def _section(title: str, note: str = "") -> list:
    items: list = [CondPageBreak(6 * cm), Paragraph(escape(title), style("title", fontSize=19, leading=24,
                                                                         spaceBefore=16, spaceAfter=4))]
    if note:
        items.append(Paragraph(note, style("small")))
    return items


def _status_cell(status: str, text: str, size: float = 11.5) -> Paragraph:
    _bg, ink = COLOURS[status]
    return Paragraph(f"<b>{escape(text)}</b>", style("cell_center", fontSize=size, leading=size * 1.25,
                                                     textColor=ink))


def _box(paragraphs: list, width: float, status: str) -> Table:
    bg, ink = COLOURS[status]
    table = Table([[p] for p in paragraphs], colWidths=[width])
    table.setStyle(table_style([("BACKGROUND", (0, 0), (-1, -1), bg), ("BOX", (0, 0), (-1, -1), 1.4, ink),
                                ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                                ("TOPPADDING", (0, 0), (0, 0), 7), ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                                ("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -2), 1)]))
    return table


# ---------------------------------------------------------------------------------------------- cover
COVER_LAYOUTS = ((2.8 * cm, 22), (2.0 * cm, 20), (0, 20))  # (logo's size on the cover, title size)


def month_label(facts: MonthFacts) -> str:
    return _("{month} de {year}").format(month=_(MONTHS[facts.start.month - 1]), year=facts.start.year)


def _cover(facts: MonthFacts, committee, width: float, height: float) -> list:
    """The cover, with the largest logo and title at which it fits one page."""
    for logo_size, title_size in COVER_LAYOUTS:
        story = _cover_story(facts, committee, width, logo_size, title_size)
        if story_height(story, width) <= height:
            break
    return story


def _cover_story(facts: MonthFacts, committee, width: float, logo_size: float, title_size: float) -> list:
    form = committee.form
    head = Letterhead.of(committee)
    story: list = []
    logo = _logo(head.logo_path)
    if logo is not None and logo_size:  # the letterhead has it small; the cover, large
        iw, ih = logo.getSize()
        scale = min(logo_size / iw, logo_size / ih)
        story += [Image(head.logo_path, iw * scale, ih * scale), Spacer(1, 0.15 * cm)]
    story += [
        Paragraph(_("Programa {name}").format(name=escape(head.programme))
                  if not head.programme.lower().startswith("programa")
                  else escape(head.programme), style("subtitle", fontSize=14, leading=18, alignment=TA_CENTER,
                                                     spaceAfter=2)),
        Paragraph(_(TITLE), style("title", fontSize=title_size, leading=title_size * 1.23, alignment=TA_CENTER)),
        Paragraph(_("Rendición de cuentas de <b>{month}</b>").format(month=month_label(facts)),
                  style("subtitle", fontSize=16, leading=20, alignment=TA_CENTER, textColor=INK, spaceAfter=0)),
        Paragraph(_("del {start} al {end}").format(start=format_date(facts.start), end=format_date(facts.end)),
                  style("subtitle", fontSize=13, leading=17, alignment=TA_CENTER)),
    ]
    if facts.closed:
        when = facts.closing_day
        text = _("<b>MES CERRADO</b>") + (_(" el {day}").format(day=format_date(when)) if when else "")
        if facts.closing_seq is not None:
            text += _(" (asiento n.º {seq})").format(seq=facts.closing_seq)
        text += _(". Sus registros ya no se pueden cambiar; las correcciones van en un mes abierto.")
        story.append(_box([Paragraph(text, style("body", fontSize=12.5, leading=16,
                                                 textColor=STATUS_COLOURS["ok"][1]))], width, "ok"))
    else:
        story.append(_box([Paragraph(_("<b>MES ABIERTO.</b> Sus registros todavía pueden cambiar, y con ellos el "
                                       "código de verificación. Cierre el mes antes de firmar y enviar este "
                                       "informe."),
                                     style("body", fontSize=12.5, leading=16,
                                           textColor=STATUS_COLOURS["unknown"][1]))], width, "unknown"))
    story.append(Spacer(1, 0.3 * cm))
    label = style("cell", fontSize=11, leading=13.5, textColor=MUTED)
    value = style("cell_bold", fontSize=12.5, leading=15.5)
    plain = style("cell", fontSize=12, leading=15)
    codes = escape(form.codigo_modular)
    others = [f"{level_label(lv.level).lower()} {escape(lv.codigo_modular)}" for lv in form.levels
              if lv.codigo_modular and lv.codigo_modular != form.codigo_modular]
    if others:
        codes += f" <font name='{FONT}' size=11>" + _("(otros niveles: {codes})").format(
            codes=", ".join(others)) + "</font>"
    levels = " · ".join(f"{level_label(lv.level)} {format_number(lv.enrolment)}" for lv in form.levels)
    total = sum(lv.enrolment for lv in form.levels)
    meals = _("desayuno y almuerzo") if serves_lunch(form.quintile) else _("desayuno")
    place = " · ".join(p for p in (_("Distrito {name}").format(name=escape(form.district)) if form.district else "",
                                   _("provincia {name}").format(name=escape(form.province)) if form.province else "",
                                   _("departamento {name}").format(name=escape(form.department))
                                   if form.department else "") if p)
    rows = [
        (_("Institución educativa"), Paragraph(escape(form.school_name), value)),
        (_("Código modular"), Paragraph(codes, value)),
        (_("UGEL"), Paragraph(escape(form.ugel) or "—", value)),
        (_("Lugar"), Paragraph(place + (_(" (ubigeo {code})").format(code=escape(form.ubigeo)) if form.ubigeo else "")
                               or "—", plain)),
        (_("Región y quintil"), Paragraph(_("{region} · quintil de pobreza {quintile} · {meals}").format(
            region=_(REGION_LABELS.get(form.region, form.region)), quintile=form.quintile, meals=meals), plain)),
        (_("Modalidad"), Paragraph(escape(_(MODALITIES.get(form.modality, form.modality))), plain)),
        (_("Matrícula"), Paragraph(_("{levels} · <b>total {total} niños</b>").format(
            levels=levels, total=format_number(total)), plain)),
    ]
    info = Table([[Paragraph(k, label), v] for k, v in rows], colWidths=[0.24 * width, 0.76 * width])
    info.setStyle(table_style([("BOX", (0, 0), (-1, -1), 1.2, INK), ("INNERGRID", (0, 0), (-1, -1), 0.6, RULE),
                               ("BACKGROUND", (0, 0), (0, -1), HEAD_BG), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    story += [info, Paragraph(_("Integrantes del comité"), style("heading", fontSize=15, spaceBefore=8, spaceAfter=4))]
    members = [m for m in form.members
               if m.start_date <= facts.end and (m.end_date is None or m.end_date >= facts.start)] or list(form.members)
    order = {r: i for i, r in enumerate(("presidente", "secretario", "tesorero", "vocal"))}
    members.sort(key=lambda m: order.get(m.role, 9))
    head_style = style("cell_head", fontSize=11, leading=13.5)
    cell = style("cell", fontSize=11.5, leading=14)
    heads = (_("Cargo"), _("Nombre"), _("DNI"), _("Representa a"))
    table = [[Paragraph(t, head_style) for t in heads]]
    for m in members:
        table.append([Paragraph(f"<b>{escape(_(ROLES[m.role]) if m.role in ROLES else m.role.capitalize())}</b>",
                                cell),
                      Paragraph(escape(m.name), cell), Paragraph(escape(m.dni), cell),
                      Paragraph(escape(_(STAKEHOLDERS.get(m.stakeholder, m.stakeholder))), cell)])
    if not members:
        table.append([Paragraph("<i>" + _("El comité no tiene integrantes registrados.") + "</i>", cell), "", "", ""])
    widest_role = max((_(r) for r in ROLES.values()), key=lambda t: pdfmetrics.stringWidth(t, FONT_BOLD, 11.5))
    columns = ((heads[0], (widest_role, FONT_BOLD, 11.5)), (heads[1], None), (heads[2], ("00000000", FONT, 11.5)),
               (heads[3], (_("Madre o padre de familia"), FONT, 11.5)))
    story.append(grid(table, column_widths(columns, width, head_size=11),
                      [("TOPPADDING", (0, 1), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 1), (-1, -1), 3.5)]))
    story += [
        Spacer(1, 0.3 * cm),
        Paragraph(_("Código de verificación del mes: <b>{code}</b>").format(code=facts.code),
                  style("body", fontSize=14.5, leading=18, alignment=TA_CENTER, spaceAfter=2)),
        Paragraph(_("Va impreso, con su código QR, al pie de cada página. Es el mismo código que da el archivo "
                    "del mes exportado para el supervisor: si no coinciden, el informe o el archivo cambió."),
                  style("small", alignment=TA_CENTER)),
    ]
    return story


# -------------------------------------------------------------------------------------------- summary
@dataclass(frozen=True)
class _Line:
    topic: str
    text: str
    status: str  # ok | unknown | fail | none


RATING_STATUS = {"bien": "ok", "revisar": "unknown", "incompleto": "incomplete", "no_cuadra": "fail"}
COLOURS = {**STATUS_COLOURS, "incomplete": (NO_SERVICE_BG, colors.HexColor("#37474f"))}


def _days_text(days: list[str], limit: int = 8) -> str:
    shown = [format_day_month(date.fromisoformat(d)) for d in days[:limit]]
    return ", ".join(shown) + ("…" if len(days) > limit else "")


def _summary_lines(facts: MonthFacts, committee) -> list[_Line]:
    """One line per section of the month's review (``services.month_review``): its rating and, in
    words, the facts behind it."""
    review = facts.review
    sec = review.sections
    lines: list[_Line] = []

    def add(name: str, text: str) -> None:
        lines.append(_Line(name, text, sec[name].rating))

    f = sec["raciones"].facts
    per_level = "; ".join(_("{level} {served} de {expected}").format(
        level=level_label(lv), served=format_number(v["served"]), expected=format_number(v["expected"]))
        for lv, v in f["levels"].items())
    pct = f"{format_number(Decimal(f['pct']), 1)} %" if f["pct"] is not None else "—"
    meals = f["meals"]
    extra = f.get("rations_without_classes", 0)
    split = _(" ({school} en días de clase y {other} en días sin clases, que no cuentan para lo previsto)").format(
        school=format_number(f["rations"] - extra), other=format_number(extra)) if extra else ""
    add("raciones", _pick(_("<b>{rations}</b> raciones{split}: <b>{pct}</b> de lo previsto ({expected} = "
                            "matriculados × {days} días de clase × {meals} comida). {levels}."),
                          _("<b>{rations}</b> raciones{split}: <b>{pct}</b> de lo previsto ({expected} = "
                            "matriculados × {days} días de clase × {meals} comidas). {levels}."), meals).format(
        rations=format_number(f["rations"]), split=split, pct=pct, expected=format_number(f["expected"]),
        days=f["school_days"], meals=meals, levels=per_level))
    f = sec["registro"].facts
    text = _("<b>{recorded}</b> de <b>{days}</b> días de clase tienen registro de raciones.").format(
        recorded=f["recorded_school_days"], days=f["school_days"])
    if f["missing_days"]:
        text += " <b>" + _("Sin registro: {days}.").format(days=_days_text(f["missing_days"])) + "</b>"
    if f["days_to_come"]:
        n = len(f["days_to_come"])
        text += " " + _pick(_("{n} día todavía no llega: {days}."), _("{n} días todavía no llegan: {days}."),
                            n).format(n=format_number(n), days=_days_text(f["days_to_come"]))
    if f["days_without_classes"]:
        n = len(f["days_without_classes"])
        text += " " + _count(n, _("Servicio en {n} día sin clases."), _("Servicio en {n} días sin clases."))
    add("registro", text)
    f = sec["menu"].facts
    if not f["planned"] and not f["served"]:
        add("menu", _("No hay menú planificado ni servicios registrados en el mes."))
    else:
        text = _("Se sirvieron <b>{served}</b> de {planned} comidas planificadas (cada nivel cuenta aparte): "
                 "<b>{as_planned}</b> como se planificó").format(
            served=format_number(f["served"]), planned=format_number(f["planned"]),
            as_planned=format_number(f["as_planned"]))
        text += _(", <b>{n} con otra preparación</b>").format(n=f["changed"]) if f["changed"] else ""
        text += _(", <b>{n} sin plan</b>").format(n=f["unplanned_served"]) if f["unplanned_served"] else ""
        n = f["planned_not_recorded"]
        text += "." + (" " + _count(n, _("{n} comida planificada sin registro."),
                                    _("{n} comidas planificadas sin registro.")) if n else "")
        if f["unplanned"]:
            n = f["unplanned"]
            text += " <b>" + _count(n, _("{n} comida de día de clase sin plan."),
                                    _("{n} comidas de días de clase sin plan.")) + "</b>"
        add("menu", text)
    f = sec["nutricion"].facts
    if not f["entries"]:
        add("nutricion", _("No hay menú planificado para el mes: no se puede revisar."))
    else:
        detail = ", ".join(f"{f[k]} {_(STATUS_LABELS[k]).lower()}" for k in ("low", "high", "unknown") if f[k])
        text = _("<b>{pct} %</b> cumple: {ok} de {entries} comidas planificadas llegan al estándar "
                 "nutricional").format(pct=format_number(Decimal(f["pct"]), 0), ok=f["ok"],
                                       entries=f["entries"]) + (f" ({detail})." if detail else ".")
        n = f.get("unplanned", 0)  # bundles made before this count was kept have none
        if n:
            text += " <b>" + _count(n, _("{n} comida de día de clase no tiene plan y no se revisó."),
                                    _("{n} comidas de días de clase no tienen plan y no se revisaron.")) + "</b>"
        add("nutricion", text)
    f = sec["almacen"].facts
    text = _("Recibido <b>{received}</b> · salió a cocina <b>{issued}</b> · perdido <b>{lost}</b> · queda "
             "<b>{left}</b> ({products}).").format(
        received=format_weight(Decimal(f["received_g"])), issued=format_weight(Decimal(f["issued_g"])),
        lost=format_weight(Decimal(f["losses_g"])), left=format_weight(Decimal(f["closing_g"])),
        products=_count(f["products"], _("{n} producto"), _("{n} productos")))
    n = f["products_off"]
    text += (" " + _pick(_("<b>{n} producto con diferencia de más del {pct} %</b> entre lo que salió y las "
                           "raciones servidas."),
                         _("<b>{n} productos con diferencia de más del {pct} %</b> entre lo que salió y las "
                           "raciones servidas."), n).format(n=format_number(n),
                                                           pct=format_number(Decimal(f["threshold_pct"])))
             if n else " " + _("Lo que salió del almacén coincide con las raciones servidas."))
    add("almacen", text)
    f = sec["vencimientos"].facts
    if f["lots"]:
        first = f["first"]
        text = _("<b>{lots}</b> con saldo vencen hasta {days} días después del cierre; el primero: {product}, el "
                 "{day}.").format(lots=_count(f["lots"], _("{n} lote"), _("{n} lotes")), days=f["soon_days"],
                                  product=escape(facts.names.get(first["product"], first["product"])),
                                  day=_day(first["expiry"]))
        if f["expired_with_stock"]:
            n = f["expired_with_stock"]
            text += " <b>" + _count(n, _("{n} lote ya vencido con saldo."),
                                    _("{n} lotes ya vencidos con saldo.")) + "</b>"
        add("vencimientos", text)
    else:
        add("vencimientos", _("Ningún lote con saldo vence en los {days} días después del cierre.").format(
            days=f["soon_days"]))
    f = sec["incidencias"].facts
    if f["incidents"]:
        kinds = ", ".join((_(INCIDENT_TYPES.get(k, k)).lower() if n == 1
                           else f"{_(INCIDENT_TYPES.get(k, k)).lower()} ({n})") for k, n in f["kinds"].items())
        text = _("<b>{incidents}</b>: {kinds}. Niños afectados: <b>{children}</b>.").format(
            incidents=_count(f["incidents"], _("{n} incidencia"), _("{n} incidencias")), kinds=kinds,
            children=format_number(f["children_affected"]))
        if f["not_reported"]:
            text += " " + _("Sin reportar al programa: <b>{n}</b>.").format(n=f["not_reported"])
        add("incidencias", text)
    else:
        add("incidencias", _("Ninguna incidencia registrada."))
    f = sec["dinero"].facts
    if not f["manages_money"]:
        lines.append(_Line("dinero", _("La escuela no maneja dinero del programa."), "none"))
    else:
        add("dinero", _("Recibido <b>{received}</b> · gastado <b>{spent}</b> · saldo <b>{balance}</b> (banco {bank}, "
                        "efectivo {cash}).").format(
            received=_soles(Decimal(f["transferred"])), spent=_soles(Decimal(f["spent"])),
            balance=_soles(Decimal(f["balance"])), bank=_soles(Decimal(f["bank"])), cash=_soles(Decimal(f["cash"]))))
    f = sec["cierre"].facts
    add("cierre", (_("Mes <b>cerrado</b>: sus registros ya no cambian.") if f["closed"] else
                   _("Mes <b>abierto</b>: sus registros todavía pueden cambiar."))
        + ("" if f["journal_ok"] is not False else " <b>" + _("El diario no pasa la verificación.") + "</b>"))
    return lines


def _menu_rows(facts: MonthFacts) -> dict[tuple, tuple[str | None, str | None]]:
    """(day, meal, level) → (planned recipe, served recipe)."""
    rows: dict[tuple, list] = {}
    for day, meal, level, recipe, _plan, _std in facts.plan:
        rows.setdefault((day, meal, level), [None, None])[0] = recipe
    for (day, level, meal), _n in facts.record.rations.items():
        rows.setdefault((day, meal, level), [None, None])
    for s in facts.served:
        rows.setdefault((s[0], s[1], s[2]), [None, None])[1] = s[3]
    return {k: (v[0], v[1]) for k, v in rows.items()}


# (type size, flag details shown; 0: titles only)
SUMMARY_SIZES = ((12.5, 3), (12, 2), (11.5, 2), (11, 1), (10.5, 1), (10, 1), (10, 0), (9.5, 0), (9, 0), (8.5, 0))


def _summary(facts: MonthFacts, committee, width: float, height: float) -> list:
    """The one page a supervisor reads first: the largest type at which it fits one page."""
    lines = _summary_lines(facts, committee)
    for size, limit in SUMMARY_SIZES:
        story = _summary_story(facts, committee, lines, width, size, limit)
        if story_height(story, width) <= height:
            break
    return story


def _summary_story(facts: MonthFacts, committee, lines: list[_Line], width: float, size: float,
                   limit: int) -> list:
    review = facts.review
    form = committee.form
    state = (_("<b>Mes completo</b>") if review.complete else
             _("<b>MES INCOMPLETO</b>: faltan registros (vea «Incompleto» abajo); no es una rendición final"))
    story: list = [
        Paragraph(_("Resumen de {month}").format(month=month_label(facts)), style("title")),
        Paragraph(_("{school} · código modular {code} · del {start} al {end}, revisado el {today}. El detalle de "
                    "cada punto y la identificación del comité siguen en las páginas siguientes.").format(
            school=escape(form.school_name), code=escape(form.codigo_modular), start=format_date(facts.start),
            end=format_date(facts.end), today=format_date(facts.today)), style("small")),
        _box([Paragraph(state + ".", style("body", fontSize=size, leading=size * 1.3,
                                           textColor=COLOURS["ok" if review.complete else "incomplete"][1]))],
             width, "ok" if review.complete else "incomplete"),
        Spacer(1, 0.15 * cm),
    ]
    topic = style("cell_bold", fontSize=size, leading=size * 1.24)
    text = style("cell", fontSize=size, leading=size * 1.28)
    data = []
    commands = []
    for r, line in enumerate(lines):
        if line.status == "none":
            mark = Paragraph("—", style("cell_center", fontSize=12, leading=15, textColor=MUTED))
        else:
            status = RATING_STATUS[line.status]
            mark = _status_cell(status, _(RATING_LABELS[line.status]), min(size, 12))
            commands.append(("BACKGROUND", (2, r), (2, r), COLOURS[status][0]))
        data.append([Paragraph(_(SECTION_LABELS.get(line.topic, line.topic)), topic), Paragraph(_nb(line.text), text),
                     mark])
    mark_w, topic_w = 3.2 * cm, 3.3 * cm
    table = Table(data, colWidths=[topic_w, width - topic_w - mark_w, mark_w])
    pad = size * 0.45
    table.setStyle(table_style([("BOX", (0, 0), (-1, -1), 1.2, INK), ("INNERGRID", (0, 0), (-1, -1), 0.6, RULE),
                                ("BACKGROUND", (0, 0), (0, -1), HEAD_BG), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.7), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                                *commands]))
    story += [Spacer(1, 0.1 * cm), table, Spacer(1, 0.3 * cm), _flag_box(facts, width, size, limit)]
    return story


def _flag_box(facts: MonthFacts, width: float, size: float = 12.5, limit: int = 3) -> Table:
    grouped = _grouped_flags(facts.flags)
    if not grouped:
        return _box([Paragraph(_("<b>Lo que no cuadra: nada.</b> Las revisiones del supervisor no encuentran "
                                 "observaciones en este mes."), style("body", fontSize=size, leading=size * 1.3,
                                                                   textColor=STATUS_COLOURS["ok"][1]))],
                    width, "ok")
    ink = STATUS_COLOURS["fail"][1]
    n = len(facts.flags)
    items = [Paragraph(_count(n, _("<b>Lo que no cuadra</b> ({n} observación; las mismas que verá el supervisor)"),
                              _("<b>Lo que no cuadra</b> ({n} observaciones; las mismas que verá el supervisor)")),
                       style("body", fontSize=size + 1, leading=(size + 1) * 1.25, textColor=ink))]
    bullet = style("body", fontSize=size, leading=size * 1.27, leftIndent=12, bulletIndent=0, bulletFontName=FONT,
                   bulletFontSize=size, spaceAfter=1)
    for kind, details in grouped.items():
        count = f" ({len(details)})" if len(details) > 1 else ""
        if not limit:  # a crowded month: the titles here, the details under «Lo que no cuadra»
            items.append(Paragraph(f"<b>{escape(flag_label(kind))}{count}</b>", bullet, bulletText="•"))
            continue
        shown = "; ".join(escape(word(d, facts.names, limit=8)) for d in details[:limit])
        if len(details) > limit:
            shown += _("; y {n} más").format(n=len(details) - limit)
        items.append(Paragraph(_nb(f"<b>{escape(flag_label(kind))}{count}:</b> {shown}."), bullet, bulletText="•"))
    if not limit:
        items.append(Paragraph(_("El detalle de cada observación está en «Lo que no cuadra», al final del informe."),
                               style("body", fontSize=size, leading=size * 1.27)))
    return _box(items, width, "fail")


# ----------------------------------------------------------------------------------------------- menus
def _menu_cell(facts: MonthFacts, day: date, items: list[tuple[str, tuple]]) -> tuple[list, str | None]:
    """The paragraphs of one day × meal (levels that planned and served the same share a line) and the
    cell's status: "fail" (another preparation was served), "unknown" (not recorded, or no plan)."""
    groups: dict[tuple, list[str]] = {}
    for level, pair in items:
        groups.setdefault(pair, []).append(level)
    ok_ink, fail_ink, warn_ink = (STATUS_COLOURS[k][1].hexval()[2:] for k in ("ok", "fail", "unknown"))
    text = style("cell", fontSize=11, leading=13.5)
    found: list = []
    status = None
    for (planned, served), levels in groups.items():
        prefix = f"<b>{escape(join_words([level_label(lv) for lv in levels]))}:</b> " if len(groups) > 1 else ""
        name = escape(facts.recipe_names.get(planned, planned)) if planned else "<i>" + _("sin plan") + "</i>"
        served_name = escape(facts.recipe_names.get(served, served)) if served else ""
        if served and planned == served:
            line = f"{prefix}{name} <font color='#{ok_ink}'><b>✓</b></font>"
        elif served and planned:
            line = (f"{prefix}{name}<br/><font color='#{fail_ink}'><b>"
                    + _("Se sirvió: {name}").format(name=served_name) + "</b></font>")
            status = "fail"
        elif served:
            line = (f"{prefix}<font color='#{warn_ink}'><b>" + _("Sin plan.") + "</b></font> "
                    + _("Se sirvió: {name}").format(name=served_name))
            status = status or "unknown"
        elif day > facts.today:
            line = f"{prefix}{name} <font color='#555555'><i>" + _("(todavía no llega el día)") + "</i></font>"
        else:
            line = (f"{prefix}{name}<br/><font color='#{warn_ink}'><b>" + _("No se registró el servicio")
                    + "</b></font>")
            status = status or "unknown"
        found.append(Paragraph(line, text))
    return found, status


def _menus(facts: MonthFacts, width: float) -> list:
    rows = _menu_rows(facts)
    story = _section(_("Menú planificado y menú servido"),
                     _("Por día y comida, la preparación del plan del mes. <b>✓</b>: se sirvió lo planificado. "
                       "Rojo: se sirvió otra preparación. Ámbar: no se registró el servicio, o se sirvió sin plan. "
                       "Si los niveles comen distinto, cada nivel va en su línea."))
    if not rows:
        return story + [Paragraph(_("No hay menú planificado ni servicios registrados en el mes."), style("body"))]
    meal_order = {m: i for i, m in enumerate(MEALS)}
    level_order = {lv: i for i, lv in enumerate(LEVELS)}
    meals = sorted({k[1] for k in rows}, key=lambda m: meal_order.get(m, 9))
    by_cell: dict[tuple, list] = defaultdict(list)
    for (day, meal, level), pair in sorted(rows.items(), key=lambda kv: level_order.get(kv[0][2], 9)):
        by_cell[(day, meal)].append((level, pair))
    head = style("cell_head", fontSize=11.5, leading=14)
    day_style = style("cell", fontSize=11.5, leading=14)
    data = [[Paragraph(_("Día"), head)] + [Paragraph(meal_label(m), head) for m in meals]]
    commands: list = []
    school = set(facts.record.school_days)
    for day in sorted({k[0] for k in rows}):
        r = len(data)
        name = f"<b>{weekday_name(day)}</b><br/>{format_date(day)}"
        if day not in school:
            name += "<br/><font size=9.5 color='#6d4c00'>" + _("día sin clases") + "</font>"
        row: list = [Paragraph(name, day_style)]
        for c, meal in enumerate(meals, 1):
            items = by_cell.get((day, meal))
            if not items:
                row.append(Paragraph("—", style("cell", fontSize=11, leading=13.5, textColor=MUTED)))
                continue
            paragraphs, status = _menu_cell(facts, day, items)
            row.append(paragraphs)
            if status:
                commands.append(("BACKGROUND", (c, r), (c, r), STATUS_COLOURS[status][0]))
        data.append(row)
    # the day column takes the widest weekday name too («Wednesday» in bold is wider than a date)
    samples = [("00/00/0000", FONT)] + [(weekday_name(date(2026, 11, d)), FONT_BOLD) for d in range(2, 9)]
    day_w = column_widths(((_("Día"), (*max(samples, key=lambda s: pdfmetrics.stringWidth(s[0], s[1], 11.5)),
                                       11.5)),), width)[0]
    widths = [day_w] + [(width - day_w) / len(meals)] * len(meals)
    return story + [grid(data, widths, [("VALIGN", (0, 1), (-1, -1), "TOP"), ("TOPPADDING", (0, 1), (-1, -1), 3),
                                        ("BOTTOMPADDING", (0, 1), (-1, -1), 4), *commands])]


# ---------------------------------------------------------------------------------------- compliance
def _compliance(facts: MonthFacts, width: float) -> list:
    check = facts.check
    story = _section(_("Cumplimiento nutricional del menú"),
                     _("El menú planificado del mes frente al estándar nutricional, comida por comida (energía, "
                       "proteínas, grasas, azúcar añadido, hierro)."))
    if check is None:
        return story + [Paragraph(_("No hay menú planificado para el mes: no se puede revisar."), style("body"))]
    story.append(Paragraph(_("<b>Estándar:</b> {name}").format(name=escape(check.standard_name or check.standard_id)),
                           style("body", fontSize=12, leading=15.5)))
    story += compliance_boxes(check, width)
    # per meal and level
    groups: dict[tuple, dict[str, int]] = {}
    for e in check.entries:
        counts = groups.setdefault((e.meal, e.level), defaultdict(int))
        counts[e.status] += 1
        counts["entries"] += 1
    order = {m: i for i, m in enumerate(MEALS)} | {lv: i for i, lv in enumerate(LEVELS)}
    head = style("cell_head", fontSize=11, leading=13.5)
    head_r = style("cell_head", fontSize=11, leading=13.5, alignment=TA_RIGHT)
    cell = style("cell", fontSize=11.5, leading=14)
    num = style("cell", fontSize=11.5, leading=14, alignment=TA_RIGHT)
    heads = (_("Comida y nivel"), _("Comidas"), _("Cumplen"), _("Bajo"), _("Alto"), _("Sin datos"), _("% que cumple"))
    data = [[Paragraph(heads[0], head)] + [Paragraph(h, head_r) for h in heads[1:]]]
    for meal, level in sorted(groups, key=lambda k: (order.get(k[0], 9), order.get(k[1], 9))):
        c = groups[(meal, level)]
        data.append([Paragraph(f"{meal_label(meal)} · {level_label(level)}", cell)]
                    + [Paragraph(format_number(c[k]), num) for k in ("entries", "ok", "low", "high", "unknown")]
                    + [Paragraph(f"<b>{_pct(c['ok'], c['entries'], 0)}</b>", num)])
    number = ("100 %", FONT_BOLD, 11.5)
    columns = ((heads[0], None), *((h, number) for h in heads[1:]))
    story.append(KeepTogether([Spacer(1, 0.25 * cm),
                               grid(data, column_widths(columns, width, head_size=11),
                                    [("TOPPADDING", (0, 1), (-1, -1), 2.5),
                                     ("BOTTOMPADDING", (0, 1), (-1, -1), 3.5)])]))
    # the charts (reports/compliance.py): % of the minimum target per day, per level
    levels = sorted({e.level for e in check.entries}, key=lambda lv: order.get(lv, 9))
    for level in levels:
        charts = [percent_chart(check, meal, level, width) for meal in MEALS
                  if any(e.meal == meal and e.level == level for e in check.entries)]
        charts = [c for c in charts if c is not None]
        if charts:
            story.append(KeepTogether([
                Paragraph(_("Porcentaje de la meta por día · {level}").format(level=escape(level_label(level))),
                          style("heading")),
                Paragraph(_("Cada barra es lo que da la comida frente a la meta mínima del estándar "
                            "(100 % = llega justo a la meta)."), style("small")),
                charts[0]]))
            story += charts[1:]
    # the meals that do not comply: one row per preparation, meal, level and verdict, with its days
    bad: dict[tuple, list[date]] = {}
    for e in sorted(check.entries, key=lambda e: e.day):
        if e.status != "ok":
            bad.setdefault((e.meal, e.level, e.recipe_name or e.recipe_id, e.status, e.problems), []).append(e.day)
    if bad:
        small = style("cell", fontSize=10.5, leading=13)
        heads = (_("Comida y nivel"), _("Preparación"), _("Resultado"), _("Qué pasa"), _("Días"))
        rows = [[Paragraph(t, head) for t in heads]]
        commands = []
        for r, ((meal, level, recipe, status, problems), days) in enumerate(
                sorted(bad.items(), key=lambda kv: (kv[1][0], order.get(kv[0][0], 9), order.get(kv[0][1], 9))), 1):
            rows.append([Paragraph(f"{meal_label(meal)}<br/>{level_label(level)}", small),
                         Paragraph(escape(recipe), small),
                         _status_cell(status, _(STATUS_LABELS.get(status, status)), 10.5),
                         [Paragraph(escape(p), small) for p in problems] or Paragraph("—", small),
                         Paragraph(", ".join(format_day_month(d) for d in days), small)])
            commands.append(("BACKGROUND", (2, r), (2, r), STATUS_COLOURS.get(status, STATUS_COLOURS["unknown"])[0]))
        columns = ((heads[0], (level_label("secundaria"), FONT, 10.5)), (heads[1], ("Api de maíz morado", FONT, 10.5)),
                   (heads[2], (heads[2], FONT_BOLD, 11)), (heads[3], None),
                   (heads[4], ("00/00, 00/00,", FONT, 10.5)))
        story += [CondPageBreak(4 * cm), Paragraph(_("Detalle por día: comidas que no cumplen"), style("heading")),
                  grid(rows, column_widths(columns, width, head_size=11),
                       [("VALIGN", (0, 1), (-1, -1), "TOP"), *commands], zebra=False)]
    return story


# -------------------------------------------------------------------------------------------- rations
# (heading, numbers) type sizes, from roomy to crowded (three levels with lunch); the day one point
# smaller than the numbers. Below ``WITH_PRESENT_MIN`` the children present give way to the rations.
RATION_SIZES = ((10.5, 12), (10, 12), (9.5, 11.5), (9, 11.5), (9, 11), (8.5, 10.5), (8, 10), (8, 9))
WITH_PRESENT_MIN = 5


def _ration_columns(rec: MonthRecord, head_size: float, size: float, present: bool, width: float) -> list[float]:
    number = ("99,999", FONT_BOLD, size)
    columns = [(_("Día"), (weekday_name(date(2026, 11, 25)) + " 00/00", FONT, size - 1))]
    for _level in rec.levels:
        columns += [(meal_label(m), number) for m in rec.meals] + ([(_("Presentes"), number)] if present else [])
    columns.append((_("Total del día"), number))
    return column_widths(columns, width, head_size=head_size)


def _rations_layout(rec: MonthRecord, width: float) -> tuple[float, float, bool, list[float]]:
    """The roomiest (heading size, number size, with the children present) at which every heading word
    and number fits its column; what is left over is shared out evenly."""
    tries = [(h, n, True) for h, n in RATION_SIZES[:WITH_PRESENT_MIN]] + [(h, n, False) for h, n in RATION_SIZES]
    for head_size, size, present in tries:
        widths = _ration_columns(rec, head_size, size, present, width)
        if sum(widths) <= width:
            break
    total = sum(widths)
    if total > width:  # still too wide: shrink evenly rather than run off the page
        return head_size, size, present, [w * width / total for w in widths]
    return head_size, size, present, [w + (width - total) / len(widths) for w in widths]


def _rations(facts: MonthFacts, committee, width: float) -> list:
    rec = facts.record
    story = _section(_("Raciones por día y nivel"),
                     _("Raciones servidas en cada comida, frente a la matrícula. Rojo: más "
                       "raciones que matriculados. Gris: día de clase sin registro. Ámbar: servicio en un día sin "
                       "clases."))
    head_size, number_size, with_present, widths = _rations_layout(rec, width)
    size = number_size - 1  # the day, the labels
    head = style("cell_head", fontSize=head_size, leading=head_size * 1.22, alignment=TA_CENTER)
    band_size = min(11.5, head_size + 1)
    band = style("cell_head", fontSize=band_size, leading=band_size * 1.22, alignment=TA_CENTER, textColor=colors.white)
    day_style = style("cell", fontSize=size, leading=size * 1.2)
    num = style("cell", fontSize=number_size, leading=number_size * 1.18, alignment=TA_RIGHT)
    bold_num = style("cell_bold", fontSize=number_size, leading=number_size * 1.18, alignment=TA_RIGHT)
    over_num = style("cell_bold", fontSize=number_size, leading=number_size * 1.18, alignment=TA_RIGHT,
                     textColor=STATUS_COLOURS["fail"][1])
    dash = style("cell_center", fontSize=size, leading=size * 1.2, textColor=MUTED)
    label = style("cell_bold", fontSize=size, leading=size * 1.2)
    per_level = len(rec.meals) + (1 if with_present else 0)
    n_cols = 2 + per_level * len(rec.levels)
    row0 = [Paragraph(_("Día"), style("cell_head", fontSize=head_size, leading=head_size * 1.22))]
    row1 = [""]
    commands: list = [("SPAN", (0, 0), (0, 1)), ("SPAN", (n_cols - 1, 0), (n_cols - 1, 1)),
                      ("LINEBELOW", (0, 1), (-1, 1), 1.2, INK)]
    for i, level in enumerate(rec.levels):
        first = 1 + i * per_level
        band_text = _("{level} · {n} matriculados").format(level=level_label(level).upper(),
                                                            n=format_number(committee.enrolment(level)))
        row0 += [Paragraph(band_text, band)] + [""] * (per_level - 1)
        row1 += [Paragraph(meal_label(m), head) for m in rec.meals]
        row1 += [Paragraph(_("Presentes"), head)] if with_present else []
        commands += [("SPAN", (first, 0), (first + per_level - 1, 0)),
                     ("BACKGROUND", (first, 0), (first + per_level - 1, 0), LEVEL_BG),
                     ("LINEBEFORE", (first, 0), (first, -1), 1.4, INK)]
    row0.append(Paragraph(_("Total del día"), head))
    row1.append("")
    commands.append(("LINEBEFORE", (n_cols - 1, 0), (n_cols - 1, -1), 1.4, INK))
    data = [row0, row1]
    school = set(rec.school_days)
    for day in rec.days:
        r = len(data)
        name = f"{weekday_name(day)} {format_day_month(day)}"
        if day not in rec.recorded_days:
            why = _("Sin registro") if day <= facts.today else _("Todavía no llega el día")
            data.append([Paragraph(name, day_style),
                         Paragraph(f"<i>{why}</i>", style("cell_center", fontSize=size, leading=size * 1.2,
                                                          textColor=NO_SERVICE_INK))] + [""] * (n_cols - 2))
            commands += [("SPAN", (1, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), NO_SERVICE_BG)]
            continue
        if day not in school:
            name += "<br/><font size=9.5 color='#6d4c00'>" + _("día sin clases") + "</font>"
            commands.append(("BACKGROUND", (0, r), (0, r), STATUS_COLOURS["unknown"][0]))
        row = [Paragraph(name, day_style)]
        for i, level in enumerate(rec.levels):
            enrolled = committee.enrolment(level)
            for j, meal in enumerate(rec.meals):
                n = rec.rations.get((day, level, meal))
                if n is None:
                    row.append(Paragraph("—", dash))
                elif n > enrolled:
                    row.append(Paragraph(format_number(n), over_num))
                    col = 1 + i * per_level + j
                    commands.append(("BACKGROUND", (col, r), (col, r), STATUS_COLOURS["fail"][0]))
                else:
                    row.append(Paragraph(format_number(n), num))
            if with_present:
                present = rec.attendance.get((day, level))
                row.append(Paragraph(format_number(present), num) if present is not None else Paragraph("—", dash))
        row.append(Paragraph(format_number(rec.day_total(day)), bold_num))
        data.append(row)
    n_days = len(rec.school_days)
    # «% de lo previsto» counts the rations of school days only, as page 1 and the rations register do: the 60
    # rations of a Saturday were in this table's percentages (84 %) while page 1 said they do not count (80.7 %)
    apart = rec.outside_school_days > 0
    total_row = [Paragraph(_("Total del mes"), label)]
    school_row = [Paragraph(_("En días de clase"), label)]
    expected_row = [Paragraph(_("Previsto"), label)]
    pct_row = [Paragraph(_("% de lo previsto"), label)]
    for level in rec.levels:
        expected = committee.enrolment(level) * n_days
        for meal in rec.meals:
            total_row.append(Paragraph(format_number(rec.total(level, meal)), bold_num))
            on_school = rec.total(level, meal, school_only=True)
            school_row.append(Paragraph(format_number(on_school), num))
            expected_row.append(Paragraph(format_number(expected), num))
            pct_row.append(Paragraph(_pct(on_school, expected, 0), bold_num))
        if with_present:
            present_school = rec.total_attendance(level, school_only=True)
            total_row.append(Paragraph(format_number(rec.total_attendance(level)), bold_num))
            school_row.append(Paragraph(format_number(present_school), num))
            expected_row.append(Paragraph(format_number(expected), num))
            pct_row.append(Paragraph(_pct(present_school, expected, 0), bold_num))
    expected_total = sum(committee.enrolment(lv) for lv in rec.levels) * n_days * len(rec.meals)
    total_row.append(Paragraph(format_number(rec.grand_total), bold_num))
    school_row.append(Paragraph(format_number(rec.school_days_total), num))
    expected_row.append(Paragraph(format_number(expected_total), num))
    pct_row.append(Paragraph(_pct(rec.school_days_total, expected_total, 0), bold_num))
    first_foot = len(data)
    data += [total_row] + ([school_row] if apart else []) + [expected_row, pct_row]
    commands += [("BACKGROUND", (0, first_foot), (-1, first_foot), TOTAL_BG),
                 ("LINEABOVE", (0, first_foot), (-1, first_foot), 1.4, INK),
                 ("BACKGROUND", (0, first_foot + 1), (-1, -1), HEAD_BG),
                 ("TOPPADDING", (0, 2), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 2), (-1, -1), 2.5),
                 ("NOSPLIT", (0, first_foot - 1), (-1, -1))]
    story.append(grid(data, widths, commands, head_rows=2))
    story.append(Paragraph(_("Previsto: matriculados × {n} días de clase del mes. «—»: no se anotó esa comida.").format(
        n=n_days) + (" " + _("El % cuenta solo las raciones de los días de clase.") if apart else "")
        + (" " + _("Presentes: niños presentes ese día en el nivel.") if with_present else ""),
                           style("small", spaceBefore=3)))
    return story


# ---------------------------------------------------------------------------------------------- store
def _store(facts: MonthFacts, width: float) -> list:
    story = _section(_("Almacén: movimientos por producto"),
                     _("En kilos, del {start} al {end}. Saldo final = saldo inicial + ingresos − salidas a cocina "
                       "− pérdidas").format(start=format_date(facts.start), end=format_date(facts.end))
                     + (_(" ± correcciones.") if any(r.other for r in facts.stock_rows) else "."))
    rows = facts.stock_rows
    if not rows:
        story.append(Paragraph(_("El almacén no tuvo productos en el mes."), style("body")))
    else:
        with_other = any(r.other for r in rows)
        head = style("cell_head", fontSize=10.5, leading=13)
        head_r = style("cell_head", fontSize=10.5, leading=13, alignment=TA_RIGHT)
        cell = style("cell", fontSize=11, leading=13.5)
        num = style("cell", fontSize=11, leading=13.5, alignment=TA_RIGHT)
        bold = style("cell_bold", fontSize=11, leading=13.5, alignment=TA_RIGHT)
        loss = style("cell_bold", fontSize=11, leading=13.5, alignment=TA_RIGHT, textColor=STATUS_COLOURS["fail"][1])
        heads = [_("Saldo inicial"), _("Ingresos"), _("Salidas a cocina"), _("Pérdidas")] + (
            [_("Correcciones")] if with_other else [])
        heads.append(_("Saldo final"))
        data = [[Paragraph(_("Producto"), head)] + [Paragraph(h, head_r) for h in heads]]
        for r in rows:
            values = [r.opening, r.received, r.used, r.losses] + ([r.other] if with_other else []) + [r.closing]
            line = [Paragraph(f"{escape(r.name)} <font size=9 color='#555555'>{escape(r.food_code)}</font>", cell)]
            for k, v in enumerate(values):
                text = kg(v) if v or k == len(values) - 1 else "—"
                line.append(Paragraph(text, bold if k == len(values) - 1 else loss if k == 3 and v else num))
            data.append(line)
        totals = [sum((getattr(r, f) for r in rows), ZERO) for f in
                  ("opening", "received", "used", "losses") + (("other",) if with_other else ()) + ("closing",)]
        data.append([Paragraph("<b>" + _("Total") + "</b>", cell)] + [Paragraph(kg(t) if t or k == len(totals) - 1
                                                                                else "—", bold)
                                                         for k, t in enumerate(totals)])
        last = len(data) - 1
        sample = (max((kg(t) for t in totals), key=len), FONT_BOLD, 11)
        columns = [(_("Producto"), None)] + [(h, sample) for h in heads]
        story.append(grid(data, column_widths(columns, width, head_size=10.5),
                          [("BACKGROUND", (0, last), (-1, last), TOTAL_BG),
                           ("LINEABOVE", (0, last), (-1, last), 1.2, INK),
                           ("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), 3),
                           ("NOSPLIT", (0, last - 1), (-1, last))]))
        if any(v % 1 for r in rows for v in (r.opening, r.received, r.used, r.losses, r.other, r.closing)):
            # a reader adding the printed kilos found 9.000 − 7.586 printed as 1.415, and a total 0.001 off
            story.append(Paragraph(_("Los kilos se muestran al gramo y se calculan con los medios gramos que "
                                     "tienen: una resta o un total puede diferir en 0.001 de lo que suman las cifras "
                                     "impresas."), style("small", spaceBefore=3)))
    story += _yields(facts, width)
    return story


def _yields(facts: MonthFacts, width: float) -> list:
    story: list = [CondPageBreak(5 * cm), Paragraph(_("Control de rendimiento"), style("heading")),
                   Paragraph(_("Por producto: lo que debía salir del almacén según las raciones servidas y la "
                               "dosificación, frente a lo que salió. Una diferencia de más del 5 % se marca en rojo."),
                             style("small"))]
    if not facts.yields:
        return story + [Paragraph(_("No hubo salidas a cocina ni raciones servidas con productos del almacén."),
                                  style("body"))]
    head = style("cell_head", fontSize=10.5, leading=13)
    head_r = style("cell_head", fontSize=10.5, leading=13, alignment=TA_RIGHT)
    cell = style("cell", fontSize=11, leading=13.5)
    num = style("cell", fontSize=11, leading=13.5, alignment=TA_RIGHT)
    heads = (_("Producto"), _("Según raciones (kg)"), _("Salió (kg)"), _("Diferencia"), _("Resultado"))
    data = [[Paragraph(heads[0], head)] + [Paragraph(h, head_r) for h in heads[1:4]] + [Paragraph(heads[4], head)]]
    commands = []
    for r, y in enumerate(facts.yields, 1):
        if y.deviation is None:
            diff = _("sin raciones") if y.issued_grams else "—"
        else:
            pct = deviation_percent(y.expected_grams, y.issued_grams)
            sign = "+" if pct > 0 else ""
            diff = f"{sign}{format_number(pct, 1)} %"
        status = "fail" if y.flagged else "ok"
        data.append([Paragraph(escape(y.name), cell), Paragraph(kg(y.expected_grams), num),
                     Paragraph(kg(y.issued_grams), num), Paragraph(diff, num),
                     _status_cell(status, _("No cuadra") if y.flagged else _("Cuadra"), 10.5)])
        commands.append(("BACKGROUND", (4, r), (4, r), STATUS_COLOURS[status][0]))
    sample = (max((kg(max(y.expected_grams, y.issued_grams)) for y in facts.yields), key=len), FONT, 11)
    columns = ((heads[0], None), (heads[1], sample), (heads[2], sample),
               (heads[3], (_("sin raciones"), FONT, 11)), (heads[4], (_("No cuadra"), FONT_BOLD, 10.5)))
    return story + [grid(data, column_widths(columns, width, head_size=10.5),
                         [("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), 3), *commands])]


# ---------------------------------------------------------------------------------- expiry, incidents
def _expiry_and_incidents(facts: MonthFacts, width: float) -> list:
    story = _section(_("Vencimientos e incidencias"))
    story.append(Paragraph(_("Lotes por vencer al cierre del mes ({day})").format(day=format_date(facts.end)),
                           style("heading", spaceBefore=0)))
    if not facts.expiring:
        story.append(Paragraph(_("Ningún lote con saldo vence en los {days} días después del cierre.").format(
            days=SOON_DAYS),
                               style("body")))
    else:
        head = style("cell_head", fontSize=10.5, leading=13)
        head_r = style("cell_head", fontSize=10.5, leading=13, alignment=TA_RIGHT)
        cell = style("cell", fontSize=11, leading=13.5)
        heads = (_("Producto y lote"), _("Vence"), _("Estado al cierre"), _("Saldo a fin de mes (kg)"))
        data = [[Paragraph(h, head) for h in heads[:3]] + [Paragraph(heads[3], head_r)]]
        commands = []
        for r, row in enumerate(sorted(facts.expiring, key=lambda x: x["vencimiento"]), 1):
            days = (date.fromisoformat(row["vencimiento"]) - facts.end).days
            if days < 0:
                state, status = _count(-days, _("Vencido hace {n} día"), _("Vencido hace {n} días")), "fail"
            else:
                state, status = _count(days, _("Vence {n} día después"), _("Vence {n} días después")), "unknown"
            brand = f" · {escape(row['marca'])}" if row["marca"] else ""
            data.append([Paragraph(f"<b>{escape(row['producto'])}</b><br/><font size=10 color='#555555'>"
                                   + _("lote {lot}").format(lot=escape(row["lote"])) + f"{brand}</font>", cell),
                         Paragraph(f"<b>{_day(row['vencimiento'])}</b>", cell),
                         Paragraph(f"<b>{state}</b>", style("cell", fontSize=11, leading=13.5,
                                                            textColor=STATUS_COLOURS[status][1])),
                         Paragraph(kg(Decimal(row["saldo_fin_de_mes_g"])),
                                   style("cell_bold", fontSize=11, leading=13.5, alignment=TA_RIGHT))])
            commands.append(("BACKGROUND", (2, r), (2, r), STATUS_COLOURS[status][0]))
        columns = ((heads[0], None), (heads[1], ("00/00/0000", FONT_BOLD, 11)),
                   (heads[2], (_count(30, _("Vence {n} día después"), _("Vence {n} días después")), FONT_BOLD, 11)),
                   (heads[3], ("12,345.678", FONT_BOLD, 11)))
        story.append(grid(data, column_widths(columns, width, head_size=10.5),
                          [("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), 3), *commands]))
        story.append(Paragraph(_("Se usa primero el lote que vence antes; un lote vencido no sale a cocina."),
                               style("small", spaceBefore=3)))
    heading = Paragraph(_("Incidencias del mes"), style("heading"))
    if not facts.incidents:
        return story + [KeepTogether([heading, Paragraph(_("No se registraron incidencias en el mes."),
                                                         style("body"))])]
    head = style("cell_head", fontSize=10.5, leading=13)
    cell = style("cell", fontSize=11, leading=13.5)
    small = style("cell", fontSize=10.5, leading=13)
    heads = (_("Fecha"), _("Tipo"), _("Qué pasó"), _("Niños afectados"), _("Reportado al programa"))
    data = [[Paragraph(t, head) for t in heads]]
    commands = []
    for r, rec in enumerate(facts.incidents, 1):
        inc = rec.incident
        what = escape(inc.description.strip())
        if inc.food_code or inc.lot:
            product = facts.names.get(inc.food_code, inc.food_code)
            what += f"<br/><font size=9.5 color='#555555'>{escape(product)}" + (
                ", " + _("lote {lot}").format(lot=escape(inc.lot)) if inc.lot else "") + "</font>"
        children = format_number(inc.children_affected) if inc.children_affected else _("Ninguno")
        if inc.referred_to_health_post:
            children += "<br/><font size=9.5>" + _("derivados al puesto de salud") + "</font>"
        if inc.reported_to_programme:
            reported = _("Sí") + (_(", ref. {ref}").format(ref=escape(inc.programme_reference))
                                  if inc.programme_reference else "")
        else:
            reported = f"<font color='#{STATUS_COLOURS['fail'][1].hexval()[2:]}'><b>" + _("No") + "</b></font>"
        status = "fail" if inc.children_affected else "unknown"
        data.append([Paragraph(format_date(inc.day), cell), Paragraph(escape(_(INCIDENT_TYPES.get(inc.kind, inc.kind))),
                                                                      cell),
                     Paragraph(what, small), Paragraph(children, cell), Paragraph(reported, cell)])
        commands.append(("BACKGROUND", (1, r), (1, r), STATUS_COLOURS[status][0]))
    columns = ((heads[0], ("00/00/0000", FONT, 11)), (heads[1], ("Producto en mal", FONT, 11)), (heads[2], None),
               (heads[3], ("afectados", FONT_BOLD, 10.5)),
               (heads[4], (_("Sí") + _(", ref. {ref}").format(ref="00000000"), FONT, 11)))
    table = grid(data, column_widths(columns, width, head_size=10.5), [("VALIGN", (0, 1), (-1, -1), "TOP"), *commands],
                 zebra=False)
    return story + [CondPageBreak(4 * cm), heading, table]


# ---------------------------------------------------------------------------------------------- money
def _heading_table(b, width: float) -> Table:
    """Per budget heading: allotted to date, spent in the month, spent to date, balance; with totals (as the
    treasury's balance prints it)."""
    head = style("cell_head", fontSize=11.5, leading=14)
    head_r = style("cell_head", fontSize=11.5, leading=14, alignment=TA_RIGHT)
    cell = style("cell", fontSize=12, leading=15)
    columns = [(_("Asignado"), "allotted"), (_("Gastado en el mes"), "spent_in_month"),
               (_("Gastado acumulado"), "spent"), (_("Saldo"), "balance")]
    totals = [sum((getattr(h, f) for h in b.headings), ZERO) for _t, f in columns]
    texts = [format_soles(getattr(h, f)) for h in b.headings for _t, f in columns] + [format_soles(t) for t in totals]
    # the figures at 12 pt, smaller when the widest would leave the heading's name less than 3.5 cm
    size = fitting_size(texts, FONT_BOLD, 12, (width - 3.5 * cm) / len(columns) - 2 * 5 - 2)
    money = style("cell", fontSize=size, leading=size * 15 / 12, alignment=TA_RIGHT)
    money_b = style("cell_bold", fontSize=size, leading=size * 15 / 12, alignment=TA_RIGHT)
    money_w = min(max(max((pdfmetrics.stringWidth(t, FONT_BOLD, size) for t in texts), default=0.0),
                      max(pdfmetrics.stringWidth(w, FONT_BOLD, 11.5) for head_text, _f in columns
                          for w in head_text.split())) + 2 * 5 + 2, (width - 3.5 * cm) / len(columns))
    widths = [width - money_w * len(columns)] + [money_w] * len(columns)
    data = [[Paragraph(_("Rubro"), head)] + [Paragraph(text, head_r) for text, _f in columns]]
    commands: list = [("TOPPADDING", (0, 1), (-1, -1), 3), ("BOTTOMPADDING", (0, 1), (-1, -1), 4)]
    for h in b.headings:
        if h.balance < 0:
            commands.append(("TEXTCOLOR", (len(columns), len(data)), (len(columns), len(data)),
                             STATUS_COLOURS["fail"][1]))
        data.append([Paragraph(escape(h.name), cell)]
                    + [Paragraph(format_soles(getattr(h, f)), money_b if f == "balance" else money)
                       for _t, f in columns])
    data.append([Paragraph("<b>" + _("Total") + "</b>", style("cell_bold", fontSize=12, leading=15))]
                + [Paragraph(format_soles(t), money_b) for t in totals])
    last = len(data) - 1
    return grid(data, widths, [*commands, ("BACKGROUND", (0, last), (-1, last), TOTAL_BG),
                               ("LINEABOVE", (0, last), (-1, last), 1.2, INK),
                               ("NOSPLIT", (0, max(1, last - 1)), (-1, last))])


def _money(facts: MonthFacts, width: float) -> list:
    b = facts.money
    if b is None:
        return []
    state = (_("por presentar") if facts.closed and b.state == "borrador" else _(CYCLE_STATES.get(b.state, b.state)))
    # a closed month's report keeps its code: it says the rendición as it stood when the month was closed
    said = (_("Estado de la rendición al cerrar el mes: <b>{state}</b>.") if facts.closed
            else _("Estado de la rendición del mes: <b>{state}</b>."))
    story = [CondPageBreak(16 * cm)] + _section(_("Dinero del programa (tesorería)"), said.format(
        state=escape(state)))
    previous = b.previous if b.previous is not None else b.balance - b.transferred_in_month + b.spent_in_month
    label = style("cell", fontSize=12.5, leading=16)
    value = style("cell_bold", fontSize=13, leading=16, alignment=TA_RIGHT)
    rows = [
        (_("Saldo del mes anterior"), previous),
        (_count(len(b.transfers), _("Recibido en el mes ({n} transferencia)"),
                _("Recibido en el mes ({n} transferencias)")), b.transferred_in_month),
        (_count(len(b.expenses), _("Gastado en el mes ({n} comprobante)"),
                _("Gastado en el mes ({n} comprobantes)")), b.spent_in_month),
        *([(_("Devuelto al anular registros de meses anteriores"), b.returned_in_month)] if b.returned_in_month else []),
        (_("Saldo al {day}").format(day=format_date(facts.end)), b.balance),
        ("   " + _("en el banco"), b.bank),
        ("   " + _("en efectivo"), b.cash),
    ]
    data = [[Paragraph(escape(k).replace("   ", "&nbsp;" * 6), label), Paragraph(_soles(v), value)] for k, v in rows]
    total = len(rows) - 3  # «Saldo al …», above the bank and the cash
    box = Table(data, colWidths=[width * 0.6, width * 0.4])
    box.setStyle(table_style([("BOX", (0, 0), (-1, -1), 1.2, INK), ("INNERGRID", (0, 0), (-1, -1), 0.6, RULE),
                              ("BACKGROUND", (0, total), (-1, total), TOTAL_BG),
                              ("LINEABOVE", (0, total), (-1, total), 1.2, INK),
                              ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    story += [box, Paragraph(_("Saldo = todo lo recibido − todo lo gastado hasta el fin de mes."),
                             style("small", spaceBefore=3))]
    table = _heading_table(b, width)
    story.append(KeepTogether([Paragraph(_("Saldo por rubro"), style("heading")), table]))  # one page: the headings
    if b.warnings:
        ink = STATUS_COLOURS["unknown"][1]
        story += [Spacer(1, 0.2 * cm)] + [Paragraph(_nb(f"• {escape(w)}"), style("body", fontSize=12, leading=15.5,
                                                                                  textColor=ink))
                                          for w in b.warnings]
    return story


# ------------------------------------------------------------------------------ deliveries and receipts
VERDICTS = {"conforme": N_("Conforme"), "parcial": N_("PARCIAL"), "rechazado": N_("RECHAZADO")}


def _supplies(facts: MonthFacts, width: float) -> list:
    """The programme's deliveries (actas, partial and rejected lines), and food from the programme
    apart from food bought with the committee's money."""
    sup = facts.supplies
    if sup is None:
        return []
    note = _("Alimentos recibidos del programa: <b>{received} kg</b> ({actas}). Alimentos comprados con el dinero "
             "del comité: <b>{bought} kg</b>, por <b>{amount}</b>.").format(
        received=kg(sup.programme_g), actas=_count(len(sup.deliveries), _("{n} acta"), _("{n} actas")),
        bought=kg(sup.bought_g), amount=_soles(sup.bought_amount))
    if sup.outside:
        note += " " + _("Alimentos de fuera del almacén (no entraron al almacén; su origen, abajo): "
                        "<b>{kg} kg</b>.").format(kg=kg(sup.outside_g))
    story = [CondPageBreak(8 * cm)] + _section(_("Entregas del programa y compras del comité"), note)
    if not sup.deliveries:
        return story + [Paragraph(_("No se registraron actas de entrega del programa en el mes."), style("body")),
                        *_outside_food(facts, width)]
    head = style("cell_head", fontSize=10.5, leading=13)
    head_r = style("cell_head", fontSize=10.5, leading=13, alignment=TA_RIGHT)
    cell = style("cell", fontSize=11, leading=13.5)
    num = style("cell", fontSize=11, leading=13.5, alignment=TA_RIGHT)
    bad = style("cell_bold", fontSize=11, leading=13.5, textColor=STATUS_COLOURS["fail"][1])
    heads = (_("Acta"), _("Fecha"), _("Proveedor"), _("Productos"), _("Aceptado (kg)"), _("Resultado"))
    data = [[Paragraph(h, head) for h in heads[:3]] + [Paragraph(h, head_r) for h in heads[3:5]]
            + [Paragraph(heads[5], head)]]
    for d in sup.deliveries:
        data.append([Paragraph(escape(d.acta), cell), Paragraph(format_date(d.day), cell),
                     Paragraph(escape(d.supplier), cell), Paragraph(str(len(d.lines)), num),
                     Paragraph(kg(d.accepted_g), num),
                     Paragraph(_(VERDICTS.get(d.conformity, d.conformity)),
                               cell if d.conformity == "conforme" else bad)])
    columns = [(heads[0], ("AER-2026-000000", FONT, 11)), (heads[1], ("00/00/0000", FONT, 11)), (heads[2], None),
               (heads[3], ("000", FONT, 11)), (heads[4], ("0,000.000", FONT, 11)),
               (heads[5], (_(VERDICTS["rechazado"]), FONT_BOLD, 11))]
    story.append(grid(data, column_widths(columns, width, head_size=10.5)))
    refused = [(d, ln) for d in sup.deliveries for ln in d.not_accepted]
    if refused:
        story.append(Paragraph(
            _("Productos no aceptados o aceptados en parte: {partial} en parte, {rejected} rechazados").format(
                partial=sup.partial_lines, rejected=sup.rejected_lines), style("heading")))
        heads = (_("Acta"), _("Producto"), _("Unidades en el acta"), _("Aceptadas"), _("No aceptadas"), _("Motivo"))
        data = [[Paragraph(h, head) for h in heads[:2]] + [Paragraph(h, head_r) for h in heads[2:5]]
                + [Paragraph(heads[5], head)]]
        for d, ln in refused:
            name = facts.names.get(ln.food_code, ln.product)
            data.append([Paragraph(escape(d.acta), cell), Paragraph(escape(name), cell),
                         Paragraph(format_number(ln.quantity, 0), num),
                         Paragraph(format_number(ln.accepted_units, 0), num),
                         Paragraph(format_number(ln.rejected_units, 0), bad),
                         Paragraph(escape(ln.observation) or "—", cell)])
        columns = [(heads[0], ("AER-2026-000000", FONT, 11)), (heads[1], ("Leche en polvo", FONT, 11)),
                   (heads[2], ("0000", FONT, 11)), (heads[3], ("0000", FONT, 11)),
                   (heads[4], ("0000", FONT_BOLD, 11)), (heads[5], None)]
        story.append(grid(data, column_widths(columns, width, head_size=10.5)))
    return story + _outside_food(facts, width)


def _outside_food(facts: MonthFacts, width: float) -> list:
    """Food the services used that never entered the store, per origin and product (services.serving)."""
    rows = facts.supplies.outside_by_product() if facts.supplies is not None else []
    if not rows:
        return []
    head = style("cell_head", fontSize=10.5, leading=13)
    head_r = style("cell_head", fontSize=10.5, leading=13, alignment=TA_RIGHT)
    cell = style("cell", fontSize=11, leading=13.5)
    num = style("cell", fontSize=11, leading=13.5, alignment=TA_RIGHT)
    heads = (_("De dónde vino"), _("Producto"), _("Servicios"), _("Cantidad (kg)"))
    data = [[Paragraph(h, head) for h in heads[:2]] + [Paragraph(h, head_r) for h in heads[2:]]]
    for origin, code, n, grams in rows:
        data.append([Paragraph(escape(origin), cell), Paragraph(escape(facts.names.get(code, code)), cell),
                     Paragraph(str(n), num), Paragraph(kg(grams), num)])
    columns = [(heads[0], (_("Compra con dinero del comité"), FONT, 11)), (heads[1], None),
               (heads[2], ("000", FONT, 11)), (heads[3], ("0,000.000", FONT, 11))]
    return [Paragraph(_("Alimentos de fuera del almacén"), style("heading")),
            Paragraph(_("Los usó la cocina sin que salieran del almacén (los trajeron los padres, se donaron o se "
                        "compraron aparte): cada registro de raciones dice de dónde vinieron."), style("small")),
            grid(data, column_widths(columns, width, head_size=10.5))]


RECEIPTS_LISTED = 60  # more receipts than this: a table per heading here, each receipt in the «Balance de gastos»


def _receipts(facts: MonthFacts, width: float) -> list:
    """The month's receipts (comprobantes), food bought marked; a month of very many receipts gets their
    count and amount per heading instead (every receipt, one by one, is in the month's «Balance de
    gastos», which the committee prints from Tesorería)."""
    sup = facts.supplies
    if sup is None or not sup.receipts:
        return []
    if len(sup.receipts) > RECEIPTS_LISTED:
        return _receipts_by_heading(facts, width)
    names = {h.code: h.name for h in facts.money.headings} if facts.money is not None else {}
    head = style("cell_head", fontSize=10, leading=12.5)
    head_r = style("cell_head", fontSize=10, leading=12.5, alignment=TA_RIGHT)
    cell = style("cell", fontSize=10.5, leading=13)
    num = style("cell", fontSize=10.5, leading=13, alignment=TA_RIGHT)
    bold = style("cell_bold", fontSize=10.5, leading=13, alignment=TA_RIGHT)
    heads = (_("N.º"), _("Fecha"), _("Comprobante y RUC o DNI"), _("Proveedor y detalle"), _("Rubro"), _("Monto"))
    data = [[Paragraph(h, head) for h in heads[:5]] + [Paragraph(heads[5], head_r)]]
    for r in sup.receipts:
        detail = escape(r.detail) + (" <b>" + _("(alimentos al almacén)") + "</b>" if r.food else "")
        data.append([Paragraph(str(r.number), cell), Paragraph(format_date(r.day), cell),
                     Paragraph(f"{escape(_(DOC_TYPES.get(r.doc_type, r.doc_type)))} {escape(r.doc_number)}"
                               f"<br/><font size=9>{escape(r.party_id) or '—'}</font>", cell),
                     Paragraph(f"{escape(r.party_name)}: {detail}", cell),
                     Paragraph(escape(names.get(r.heading, r.heading)), cell), Paragraph(_soles(r.amount), num)])
    data.append([Paragraph("<b>" + _("Total") + "</b>", cell), "", "", "", "", Paragraph(_soles(sup.receipts_total),
                                                                                           bold)])
    last = len(data) - 1
    columns = [(heads[0], ("000", FONT, 10.5)), (heads[1], ("00/00/0000", FONT, 10.5)),
               (heads[2], (_(DOC_TYPES["boleta"]), FONT, 10.5)),
               (heads[3], None), (heads[4], ("Transporte", FONT, 10.5)),
               (heads[5], ("S/ 0,000.00", FONT_BOLD, 10.5))]
    return [CondPageBreak(6 * cm), Paragraph(_("Comprobantes del mes ({n})").format(n=len(sup.receipts)),
                                             style("heading")),
            grid(data, column_widths(columns, width, head_size=10),
                 [("BACKGROUND", (0, last), (-1, last), TOTAL_BG), ("LINEABOVE", (0, last), (-1, last), 1.2, INK),
                  ("SPAN", (0, last), (-2, last))]), *_cancelled(facts)]


def _cancelled(facts: MonthFacts) -> list:
    """The month's receipts cancelled by its end: the numbers the list skips, and why (as on the balance)."""
    if facts.money is None or not facts.money.cancelled:
        return []
    small = style("small", spaceBefore=4)
    return [Paragraph("<b>" + escape(_("Anulados en el mes (sus números no figuran en la lista):")) + "</b>", small),
            *(Paragraph("• " + escape(line), small) for line in cancelled_lines(facts.money))]


def _receipts_by_heading(facts: MonthFacts, width: float) -> list:
    sup = facts.supplies
    names = {h.code: h.name for h in facts.money.headings} if facts.money is not None else {}
    order = {h.code: i for i, h in enumerate(facts.money.headings)} if facts.money is not None else {}
    groups: dict[str, list] = {}
    for r in sup.receipts:
        groups.setdefault(r.heading, []).append(r)
    head = style("cell_head", fontSize=11, leading=13.5)
    head_r = style("cell_head", fontSize=11, leading=13.5, alignment=TA_RIGHT)
    cell = style("cell", fontSize=11.5, leading=14)
    num = style("cell", fontSize=11.5, leading=14, alignment=TA_RIGHT)
    bold = style("cell_bold", fontSize=11.5, leading=14, alignment=TA_RIGHT)
    heads = (_("Rubro"), _("Comprobantes"), _("Con alimentos"), _("Monto"))
    data = [[Paragraph(heads[0], head)] + [Paragraph(h, head_r) for h in heads[1:]]]
    for code in sorted(groups, key=lambda c: (order.get(c, len(order)), c)):
        rows = groups[code]
        data.append([Paragraph(escape(names.get(code, code)), cell), Paragraph(format_number(len(rows)), num),
                     Paragraph(format_number(sum(1 for r in rows if r.food)), num),
                     Paragraph(_soles(sum((r.amount for r in rows), ZERO)), num)])
    data.append([Paragraph("<b>" + _("Total") + "</b>", cell), Paragraph(format_number(len(sup.receipts)), bold),
                 Paragraph(format_number(sum(1 for r in sup.receipts if r.food)), bold),
                 Paragraph(_soles(sup.receipts_total), bold)])
    last = len(data) - 1
    number = ("0,000", FONT_BOLD, 11.5)
    columns = [(heads[0], None), (heads[1], number), (heads[2], number),
               (heads[3], (_soles(sup.receipts_total), FONT_BOLD, 11.5))]
    first, last_number = min(r.number for r in sup.receipts), max(r.number for r in sup.receipts)
    note = _("El mes tiene {n} comprobantes (n.º {first} a {last}): aquí van por rubro, con cuántos compraron "
             "alimentos que entraron al almacén. Cada comprobante, con su fecha, RUC o DNI, proveedor, detalle y "
             "monto, está en el «Balance de gastos» del mes (Tesorería).").format(
        n=format_number(len(sup.receipts)), first=first, last=last_number)
    return [KeepTogether([
        Paragraph(_("Comprobantes del mes ({n})").format(n=format_number(len(sup.receipts))), style("heading")),
        Paragraph(note, style("small", spaceAfter=4)),
        grid(data, column_widths(columns, width, head_size=11),
             [("BACKGROUND", (0, last), (-1, last), TOTAL_BG), ("LINEABOVE", (0, last), (-1, last), 1.2, INK)]),
        *_cancelled(facts)])]


# ---------------------------------------------------------------------------------------------- flags
def _flags(facts: MonthFacts, width: float) -> list:
    story = _section(_("Lo que no cuadra"),
                     _("Las mismas revisiones que hace el supervisor al importar el archivo del mes, con qué hacer "
                       "en cada caso."))
    grouped = _grouped_flags(facts.flags)
    if not grouped:
        return story + [Paragraph(_("<b>Nada que observar.</b> Ninguna revisión encontró problemas en el mes."),
                                  style("body", fontSize=13.5, leading=17))]
    head = style("cell_head", fontSize=11, leading=13.5)
    cell = style("cell", fontSize=11, leading=13.5)
    advice = style("cell", fontSize=10.5, leading=13, textColor=MUTED)
    data = [[Paragraph(_("Qué"), head), Paragraph(_("Dónde y cuánto"), head)]]
    commands = []
    for kind, details in grouped.items():
        r = len(data)
        items = [Paragraph(_nb(f"• {escape(word(d, facts.names))}"), cell) for d in details]
        data.append([[Paragraph(f"<b>{escape(flag_label(kind))}</b>",
                                style("cell", fontSize=11.5, leading=14, textColor=STATUS_COLOURS["fail"][1])),
                      Paragraph(escape(flag_kind(kind).advice), advice)], items])
        commands.append(("BACKGROUND", (0, r), (0, r), STATUS_COLOURS["fail"][0]))
    return story + [grid(data, [0.38 * width, 0.62 * width], [("VALIGN", (0, 1), (-1, -1), "TOP"), *commands],
                         zebra=False)]


# -------------------------------------------------------------------------------------------- signing
def _signatures(facts: MonthFacts, committee, width: float) -> list:
    signers = committee_signers(committee, facts.end, roles=SIGN_ROLES)
    if not signers:  # no members on record: lines to fill in by hand
        signers = [Signer(_("{role} del CAE").format(role=_(ROLES[role]))) for role in SIGN_ROLES[:2]]
    body = style("body", fontSize=12.5, leading=16.5)
    items: list = [
        Spacer(1, 0.3 * cm),
        Paragraph(_("Firmas del comité"), style("heading")),
        Paragraph(_("Damos fe de que este informe corresponde a los registros del comité de {month} (código de "
                    "verificación <b>{code}</b>).").format(month=month_label(facts), code=facts.code), body),
        Paragraph(_("Lugar y fecha:") + " ______________________________________", body),
        Spacer(1, 0.2 * cm),
        *signature_table(signers, width, columns=3, space=1.6 * cm),
    ]
    return items


# ---------------------------------------------------------------------------------------- the document
class _Stamp:
    """The verification code and its QR code, drawn at the foot of every page."""

    def __init__(self, code: str, payload: str, month_label: str) -> None:
        self.code, self.month_label = code, month_label
        widget = QrCodeWidget(payload, barLevel="M", barBorder=0)
        x0, y0, x1, y1 = widget.getBounds()
        self.drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0],
                               initialFontName=FONT)
        self.drawing.add(widget)

    def draw(self, canvas: Canvas) -> None:
        width = canvas._pagesize[0]
        bottom = FOOTER_EDGE + 14 + 0.2 * cm
        right = width - PAGE_MARGIN
        form = f"qwStampQr{id(self)}"
        drawn = canvas.__dict__.setdefault("_qw_forms", set())
        if form not in drawn:  # the QR code's thousands of squares drawn once, as a form every page shows
            canvas.beginForm(form, lowerx=0, lowery=0, upperx=QR_SIZE, uppery=QR_SIZE)
            renderPDF.draw(self.drawing, canvas, 0, 0)
            canvas.endForm()
            drawn.add(form)
        canvas.saveState()
        canvas.translate(right - QR_SIZE, bottom)
        canvas.doForm(form)
        canvas.restoreState()
        x = right - QR_SIZE - 0.35 * cm
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 9.5)
        canvas.drawRightString(x, bottom + QR_SIZE - 9, _("Código de verificación"))
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, 15)
        canvas.drawRightString(x, bottom + QR_SIZE - 28, self.code)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 9)
        canvas.drawRightString(x, bottom + 13, _("El mismo del archivo exportado de {month}:").format(
            month=self.month_label))
        canvas.drawRightString(x, bottom + 2, _("si no coinciden, el informe o el archivo cambió."))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        top = bottom + QR_SIZE + 0.25 * cm
        canvas.line(PAGE_MARGIN, top, width - PAGE_MARGIN, top)


def _frame_size() -> tuple[float, float]:
    width, height = A4
    return (width - 2 * PAGE_MARGIN - 12,
            height - _top_margin() - _bottom_margin() - STAMP_HEIGHT - 12)


def _build(out: Path, story: list[Flowable], *, committee, title: str, subject: str, stamp: _Stamp,
           printed: date) -> Path:
    """``base.build_pdf`` with room at the foot of every page for the verification stamp."""
    register_fonts()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    head = Letterhead.of(committee)
    logo = _logo(head.logo_path)
    doc = SimpleDocTemplate(
        str(out), pagesize=A4, leftMargin=PAGE_MARGIN, rightMargin=PAGE_MARGIN, topMargin=_top_margin(),
        bottomMargin=_bottom_margin() + STAMP_HEIGHT, title=title, author=head.programme, subject=subject,
        creator="Qali Warma CAE", lang="es-PE" if current() == "es" else "en", initialFontName=FONT, initialFontSize=12,
    )

    def on_page(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        _draw_letterhead(canvas, head, logo)
        stamp.draw(canvas)
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=_canvas_class(title, printed))
    return out


def build_monthly_report(db, committee, month: str, out, *, today: date | None = None) -> str:
    """Write the month's accountability report (A4 portrait, in the language in use) to ``out`` and return the
    verification code printed on every page (``services.export.verification_code`` of the month's
    bundle code, as ``qaliwarma export`` prints it).

    ``today`` (default: the day it is printed) decides which school days are already past (a day
    still to come is not "sin registro") and is the print date in the footer.
    """
    register_fonts()  # the layout measures text before the document is built
    from ..services.committee import for_month

    committee = for_month(db, committee, month)  # a closed month: its enrolment and school as closed
    facts = month_facts(db, committee, month, today=today)
    width, height = _frame_size()
    story: list = [*_summary(facts, committee, width, height), PageBreak(),
                   *_cover(facts, committee, width, height), PageBreak()]
    story += _menus(facts, width)
    story += _compliance(facts, width)
    story += _rations(facts, committee, width)
    story += _store(facts, width)
    story += _supplies(facts, width)
    story += _expiry_and_incidents(facts, width)
    story += _money(facts, width)
    story += _receipts(facts, width)
    flags, signatures = _flags(facts, width), _signatures(facts, committee, width)
    if story_height(flags[1:] + signatures, width) <= height:  # what does not add up, on the page it is signed
        story += [flags[0], KeepTogether(flags[1:] + signatures)]
    else:
        story += flags + [KeepTogether(signatures)]
    title = f"{_(SHORT_TITLE)} · {month_label(facts)}"
    stamp = _Stamp(facts.code, facts.qr_payload, month_label(facts))
    _build(Path(out), story, committee=committee, title=title, stamp=stamp, printed=facts.today,
           subject=_("{title} · {school} · {month} · código {code}").format(
               title=_(TITLE), school=committee.form.school_name, month=month_label(facts), code=facts.code))
    return facts.code
