"""What every printed document shares: embedded fonts, the page (letterhead, "Página x de y", print
date), large readable styles, and Spanish/Peruvian dates and numbers ("02/03/2026", "1,234.50", "2.5 kg").
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, SimpleDocTemplate, TableStyle
from reportlab.platypus.flowables import Flowable

from ..domain.levels import LEVEL_LABELS, MEAL_LABELS
from ..i18n import _
from ..i18n import current as current_language
from ..paths import resources_dir
from ..vocab import MONTHS, WEEKDAYS, format_date, format_number, long_date  # noqa: F401  (one vocabulary)

FONT, FONT_BOLD, FONT_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"

#: Every document is printed in the language in use (``qaliwarma.i18n``: the CLI's --lang, the window's
#: language), Spanish by default.
DEFAULT_PROGRAMME = "Qali Warma"


INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9e9e9e")
HEAD_BG = colors.HexColor("#e3ecf5")
ZEBRA = colors.HexColor("#f4f4f4")
NO_SERVICE_BG = colors.HexColor("#e0e0e0")
NO_SERVICE_INK = colors.HexColor("#6b6b6b")
# Status → (background, text colour). Red for low/high, amber for missing data, green for ok.
STATUS_COLOURS = {
    "ok": (colors.HexColor("#c8e6c9"), colors.HexColor("#1b5e20")),
    "unknown": (colors.HexColor("#ffe08a"), colors.HexColor("#6d4c00")),
    "low": (colors.HexColor("#ffcdd2"), colors.HexColor("#b71c1c")),
    "high": (colors.HexColor("#ffcdd2"), colors.HexColor("#b71c1c")),
    "fail": (colors.HexColor("#ffcdd2"), colors.HexColor("#b71c1c")),
}


# --------------------------------------------------------------------------------------- dates, numbers
def format_day_month(day: date) -> str:
    """02/03"""
    return day.strftime("%d/%m")


def weekday_name(day: date) -> str:
    """Lunes, Martes, … (capitalised, as a column title)."""
    from ..vocab import weekday_name as name

    return name(day).capitalize()


def format_grams(grams) -> str:
    """Grams per child as the recipe gives them: "65 g", "8.5 g", "3.25 g"."""
    return f"{format_number(grams, 2, trim=True)} g"


def format_weight(grams) -> str:
    """A total for the kitchen: under 1 kg in whole grams ("247 g"), else kg ("4.26 kg", "13.1 kg")."""
    grams = Decimal(str(grams))
    if grams < 1000:
        return f"{format_number(grams, 0)} g"
    return f"{format_number(grams / 1000, 2, trim=True)} kg"


def level_label(level: str) -> str:
    return _(LEVEL_LABELS[level]) if level in LEVEL_LABELS else level.capitalize()


def meal_label(meal: str) -> str:
    return _(MEAL_LABELS[meal]) if meal in MEAL_LABELS else meal.capitalize()


def join_words(items: list[str]) -> str:
    """["Inicial", "Primaria", "Secundaria"] → "Inicial, Primaria y Secundaria"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("{first} y {last}").format(first=", ".join(items[:-1]), last=items[-1])


def escape(text: str) -> str:
    """Text for a Paragraph (which reads a little XML)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -------------------------------------------------------------------------------------------- fonts
@functools.cache
def register_fonts() -> str:
    """Register the DejaVu TTFs (embedded in every PDF, so ñ and accents print). Returns the family."""
    folder = resources_dir() / "fonts"
    for name in (FONT, FONT_BOLD, FONT_ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)
    return FONT


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """Large, plain styles: body 13 pt, table cells 13 pt, titles 22 pt."""
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=13, leading=17, textColor=INK, spaceAfter=4)
    made = {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=10.5, leading=13.5, textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=22, leading=27, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=18, textColor=MUTED,
                                   spaceAfter=8),
        "heading": ParagraphStyle("heading", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20,
                                  spaceBefore=12, spaceAfter=6),
        "cell": ParagraphStyle("cell", parent=base, fontSize=12, leading=15, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15,
                                    spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=14,
                                    spaceAfter=0),
        "cell_center": ParagraphStyle("cell_center", parent=base, fontSize=12, leading=15, spaceAfter=0,
                                      alignment=TA_CENTER),
    }
    return made


def style(name: str, **changes) -> ParagraphStyle:
    """A named style, optionally with changes (``style("cell", fontSize=18)``)."""
    parent = styles()[name]
    if not changes:
        return parent
    return ParagraphStyle(f"{name}-{id(changes)}", parent=parent, **changes)


def table_style(commands: list) -> TableStyle:
    """A TableStyle in the embedded font (a Table otherwise sets Helvetica, which is not embedded)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


# ------------------------------------------------------------------------------------------- the page
@dataclass(frozen=True)
class Letterhead:
    programme: str
    school: str = ""
    codigo_modular: str = ""
    ugel: str = ""
    district: str = ""
    logo_path: str | None = None

    @classmethod
    def of(cls, committee) -> Letterhead:
        """From a ``CommitteeInfo`` (or None: the programme's name only)."""
        form = getattr(committee, "form", None)
        if form is None:
            return cls(DEFAULT_PROGRAMME)
        return cls(
            (form.programme_name or "").strip() or DEFAULT_PROGRAMME,
            form.school_name, form.codigo_modular, form.ugel, form.district, form.logo_path,
        )

    def details(self) -> str:
        parts = []
        if self.codigo_modular:
            parts.append(_("Código modular {code}").format(code=self.codigo_modular))
        if self.ugel:
            parts.append(self.ugel)
        if self.district:
            parts.append(_("Distrito {name}").format(name=self.district))
        return "  ·  ".join(parts)


HEADER_HEIGHT = 2.2 * cm
LOGO_BOX = 1.9 * cm
PAGE_MARGIN = 1.4 * cm
TOP_EDGE = 0.9 * cm
FOOTER_EDGE = 0.8 * cm


def _logo(path: str | None) -> ImageReader | None:
    if not path or not Path(path).is_file():
        return None
    try:
        return ImageReader(path)
    except Exception:  # a broken or unreadable image: print without it rather than fail
        return None


def _fit_text(text: str, font: str, size: float, width: float) -> float:
    """The largest size ≤ ``size`` (down to 7 pt) at which ``text`` fits ``width``."""
    while size > 7 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with "…" so that it fits ``width``."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw_letterhead(canvas: Canvas, head: Letterhead, logo: ImageReader | None) -> None:
    width, height = canvas._pagesize
    top = height - TOP_EDGE
    x = PAGE_MARGIN
    if logo is not None:
        iw, ih = logo.getSize()
        scale = min(LOGO_BOX / iw, LOGO_BOX / ih)
        w, h = iw * scale, ih * scale
        canvas.drawImage(logo, x, top - h, w, h, mask="auto")
        x += w + 0.4 * cm
    room = width - PAGE_MARGIN - x
    lines = [(head.programme, FONT_BOLD, 15), (head.school, FONT_BOLD, 12.5), (head.details(), FONT, 10.5)]
    y = top - 14
    canvas.setFillColor(INK)
    for text, font, size in lines:
        if not text:
            continue
        size = _fit_text(text, font, size, room)
        canvas.setFont(font, size)
        canvas.drawString(x, y, text)
        y -= size + 5
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    line_y = height - TOP_EDGE - HEADER_HEIGHT
    canvas.line(PAGE_MARGIN, line_y, width - PAGE_MARGIN, line_y)


def _canvas_class(title: str, printed: date, verification: str = ""):
    """A canvas that holds its pages until the end to write "Página x de y" on each."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width = self._pagesize[0]
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            self.line(PAGE_MARGIN, FOOTER_EDGE + 14, width - PAGE_MARGIN, FOOTER_EDGE + 14)
            self.setFillColor(MUTED)
            self.setFont(FONT, 10)
            self.drawString(PAGE_MARGIN, FOOTER_EDGE, _("Impreso el {day}").format(day=format_date(printed)))
            room = width - 2 * PAGE_MARGIN - 2 * 5.2 * cm
            if verification:  # the code a supervisor types to check the paper against the data
                self.setFont(FONT_BOLD, 10.5)
                self.setFillColor(INK)
                self.drawCentredString(width / 2, FOOTER_EDGE, _("Código de verificación: {code}").format(
                    code=verification))
                self.setFillColor(MUTED)
            else:
                self.drawCentredString(width / 2, FOOTER_EDGE, ellipsize(title, FONT, 10, room))
            self.setFont(FONT_BOLD, 11)
            self.drawRightString(width - PAGE_MARGIN, FOOTER_EDGE, _("Página {n} de {total}").format(
                n=self._pageNumber, total=total))
            self.restoreState()

    return NumberedCanvas


def page_frame_size(*, wide: bool = False) -> tuple[float, float]:
    """Width and height of the area the story flows into (inside the frame's 6 pt padding)."""
    width, height = landscape(A4) if wide else A4
    return width - 2 * PAGE_MARGIN - 12, height - _top_margin() - _bottom_margin() - 12


def _top_margin() -> float:
    return TOP_EDGE + HEADER_HEIGHT + 0.35 * cm


def _bottom_margin() -> float:
    return FOOTER_EDGE + 14 + 0.4 * cm


def story_height(flowables: list[Flowable], width: float) -> float:
    """The height ``flowables`` take in a column ``width`` wide (spaces between them included)."""
    total = 0.0
    scratch = Canvas(io.BytesIO())
    for f in flowables:
        if isinstance(f, KeepTogether):  # its wrap() answers "too tall" on purpose, to force a split
            total += story_height(f._content, width)
            continue
        _unused, h = f.wrapOn(scratch, width, 10_000)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def build_pdf(
    out: Path,
    story: list[Flowable],
    *,
    title: str,
    committee=None,
    wide: bool = False,
    printed: date | None = None,
    subject: str = "",
    verification: str = "",
) -> Path:
    """Write ``story`` to ``out`` (A4, portrait or ``wide`` landscape) with the letterhead on every page
    and "Impreso el … · title · Página x de y" at the foot (the ``verification`` code in the title's
    place when the document has one). The document's language is the one in use (``qaliwarma.i18n``).
    Returns ``out``."""
    register_fonts()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    head = Letterhead.of(committee)
    logo = _logo(head.logo_path)
    printed = printed or date.today()
    doc = SimpleDocTemplate(
        str(out),
        pagesize=landscape(A4) if wide else A4,
        leftMargin=PAGE_MARGIN, rightMargin=PAGE_MARGIN,
        topMargin=_top_margin(), bottomMargin=_bottom_margin(),
        title=title, author=head.programme, subject=subject or title, creator="Qali Warma CAE",
        lang="en" if current_language() == "en" else "es-PE", initialFontName=FONT, initialFontSize=12,
    )

    def on_page(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        _draw_letterhead(canvas, head, logo)
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=_canvas_class(title, printed, verification))
    return out


def records_intact(db, committee) -> None:
    """Refuse to print an accountability document (balance, cash book, acta, kardex, rations register,
    reception record, hand-over) from records that no longer agree with the committee's journal: a table or a
    closing edited behind the application's back would otherwise be printed, signed and handed over as true.
    The same whole-history check as the monthly report and the bundle (``integrity.require_intact``)."""
    from ..services.integrity import require_intact

    require_intact(db, committee.id)
