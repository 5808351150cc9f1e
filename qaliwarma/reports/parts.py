"""The reports toolkit: the parts every printed document is made of, in one place.

- ``title_block``: the document's title, its subject (a person, a product, a month) and the period;
- ``section_heading``;
- ``grid`` (the plain table: blue head rows, thin rules, light stripes) and ``column_widths`` (widths so
  that no heading word nor sample value is cut); ``tick`` for check boxes; ``kg`` for quantities;
- ``Signer``, ``committee_signers`` and ``signature_table``: signature lines with the role, the name and
  the DNI (blank lines to fill by hand when nobody is in office);
- the page template itself (letterhead, "Impreso el … · título · Página x de y", and the verification
  code when the document has one) is ``base.build_pdf``.

A report is a document definition: it takes its data from a service and lays it out with these parts;
it imports no other report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, Table

from ..domain.committee import ROLES
from .base import (
    FONT_BOLD,
    HEAD_BG,
    INK,
    MUTED,
    RULE,
    ZEBRA,
    escape,
    format_number,
    style,
    table_style,
)

CHECKED, UNCHECKED = "☒", "☐"
CELL_PADDING = 5
HEAD_SIZE = 9.5


# ---------------------------------------------------------------------------------------------- titles
def title_block(title: str, subject: str = "", period: str = "") -> list:
    """The title in large type; under it the subject (a product, a plan…) and the period, if any."""
    story: list = []
    if subject:
        story.append(Paragraph(escape(title), style("title", fontSize=16, leading=20, textColor=MUTED, spaceAfter=2)))
        story.append(Paragraph(escape(subject), style("title")))
    else:
        story.append(Paragraph(escape(title), style("title")))
    if period:
        story.append(Paragraph(escape(period), style("subtitle")))
    return story


def section_heading(text: str) -> Paragraph:
    return Paragraph(escape(text), style("heading"))


# ---------------------------------------------------------------------------------------------- tables
def grid(data, widths, commands=(), head_rows: int = 1, zebra: bool = True) -> Table:
    """A plain table: blue head rows, thin rules, a thicker box, light stripes."""
    table = Table(data, colWidths=widths, repeatRows=head_rows)
    stripes = [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(head_rows + 1, len(data), 2)] if zebra else []
    table.setStyle(table_style([
        ("BACKGROUND", (0, 0), (-1, head_rows - 1), HEAD_BG),
        ("GRID", (0, 0), (-1, -1), 0.6, RULE),
        ("BOX", (0, 0), (-1, -1), 1.2, INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        *stripes,
        *commands,
    ]))
    return table


def tick(value: bool, label: str = "") -> str:
    """A box marked with an X (or empty) and its label: "☒ Sí"."""
    return f"{CHECKED if value else UNCHECKED} {label}".strip()


@dataclass(frozen=True)
class Signer:
    """One signature line: the role it is for, and the person (empty name: blank fields to fill by hand)."""

    role: str
    name: str = ""
    dni: str = ""
    extra: str = ""


def committee_signers(committee, day: date | None = None, roles: tuple[str, ...] | None = None, *,
                      blank_for_missing: bool = False) -> list[Signer]:
    """The committee's members in office on ``day`` (all, or only those with ``roles``, in that order).
    With ``blank_for_missing`` a single role nobody holds (presidente, secretario, tesorero; not vocal)
    still gets a blank line to fill by hand: documents that need those signatures."""
    form = getattr(committee, "form", None)
    members = list(form.members) if form is not None else []
    if day is not None:
        current = [m for m in members if m.start_date <= day and (m.end_date is None or m.end_date >= day)]
        members = current or [m for m in members if m.end_date is None] or members
    if roles is None:
        return [Signer(_role_label(m.role), m.name, m.dni) for m in members]
    signers = []
    for role in roles:
        held = [m for m in members if m.role == role]
        signers += [Signer(_role_label(role), m.name, m.dni) for m in held]
        if not held and blank_for_missing and role != "vocal":
            signers.append(Signer(_role_label(role)))
    return signers


def _role_label(role: str) -> str:
    return f"{ROLES.get(role, role.capitalize())} del CAE"


def _signature_cell(signer: Signer, width: float, space: float, size: float, dni_apart: bool) -> Table:
    text = style("cell", fontSize=size, leading=size + 3)
    rows = [[""], [Paragraph(f"<b>{escape(signer.role)}</b>", text)]]
    commands = [("LINEABOVE", (0, 1), (0, 1), 0.9, INK)]
    if signer.name and dni_apart:
        rows.append([Paragraph(escape(signer.name), text)])
        rows.append([Paragraph(f"DNI {escape(signer.dni)}" if signer.dni else "DNI:", text)])
    elif signer.name:
        who = escape(signer.name) + (f" · DNI {escape(signer.dni)}" if signer.dni else "")
        rows.append([Paragraph(who, text)])
    else:
        if signer.extra:
            rows.append([Paragraph(escape(signer.extra), style("cell", fontSize=10.5, leading=13, textColor=MUTED))])
        for label in ("Nombre:", "DNI:"):
            rows.append([Paragraph(label, text)])
            commands.append(("LINEBELOW", (0, len(rows) - 1), (0, len(rows) - 1), 0.5, RULE))
    heights = [space] + [None] * (len(rows) - 1)
    cell = Table(rows, colWidths=[width], rowHeights=heights)
    cell.setStyle(table_style([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *commands,
    ]))
    return cell


def signature_table(signers: list[Signer], width: float, columns: int = 3, *, space: float = 1.5 * cm,
                    size: float = 11.5, gap: float = 0.8 * cm, dni_apart: bool = False) -> list:
    """Signature lines, ``columns`` to a row: ``space`` to sign, the line, the role, the name and DNI (on
    the name's line, or on its own with ``dni_apart``). A list of flowables (empty without signers)."""
    if not signers:
        return []
    cell_width = (width - gap * (columns - 1)) / columns
    rows, widths = [], []
    for c in range(columns):
        widths += [cell_width] + ([gap] if c < columns - 1 else [])
    for i in range(0, len(signers), columns):
        chunk = signers[i:i + columns]
        row: list = []
        for c in range(columns):
            row.append(_signature_cell(chunk[c], cell_width, space, size, dni_apart) if c < len(chunk) else "")
            if c < columns - 1:
                row.append("")
        rows.append(row)
    table = Table(rows, colWidths=widths)
    table.setStyle(table_style([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return [table]



def kg(grams: Decimal) -> str:
    """Kilograms to the gram: "78.000", "1,234.567"."""
    return format_number(Decimal(grams) / 1000, 3)


def column_widths(columns, width: float, *, head_size: float = HEAD_SIZE) -> list[float]:
    """Widths for a table's ``columns`` — (heading, (widest text, font, size)) each, or (heading,
    None) for the one column that takes what is left — so that no heading word and no sample text
    is cut. Headings are bold at ``head_size``; "<br/>" and "<b>" in them are allowed."""
    widths = []
    for heading, sample in columns:
        if sample is None:
            widths.append(0.0)
            continue
        text, font, size = sample
        words = heading.replace("<br/>", " ").replace("<b>", "").replace("</b>", "").split()
        longest = max((pdfmetrics.stringWidth(w, FONT_BOLD, head_size) for w in words), default=0)
        widths.append(max(longest, pdfmetrics.stringWidth(text, font, size)) + 2 * CELL_PADDING + 1)
    flexible = [i for i, (_, sample) in enumerate(columns) if sample is None]
    for i in flexible:
        widths[i] = (width - sum(widths)) / len(flexible)
    return widths
