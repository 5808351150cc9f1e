"""The one number parser: every reader (CSV/XLSX/TOML) and every CLI option reads numbers here.

How a Peruvian user writes numbers, and how they are read:

- «1200», «1200.5», «1200,5»: plain numbers; a single separator followed by 1, 2 or 4+ digits is
  the decimal separator (point or comma).
- «1,200», «1,234,567», «1.234.567»: thousands separators (groups of three digits).
- «1,200.50» and «1.200,50»: both separators; the last one is the decimal separator.
- «1,250» (one comma, then exactly three digits) is read as 1250, the Peruvian way, **unless** the
  other numbers of the same sheet use the decimal comma (e.g. «3,5»): then it is refused as
  ambiguous (rule ``ambiguous-comma``), because it could be 1250 or 1.25.
- «1.250» (one point, then exactly three digits) is ambiguous on its own (rule ``ambiguous-point``):
  it is read as 1.25 when the sheet's other numbers use the decimal point, as 1250 when they use the
  decimal comma, and refused otherwise.
- Scientific notation, «Inf», «NaN», more than 30 characters: refused before any arithmetic (a
  «1E+999999999» never reaches ``Decimal``).

Every quantity has explicit limits (``Limit``): a range, whether negatives are allowed, whether it
must be whole, and how many decimals it may carry. Refusals are ``NumberRefused`` (an InvalidInput)
with the rule that refused, so a reader can put it in a ``Problem`` with file, row and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import InvalidInput
from .i18n import N_, _, ngettext

MAX_TEXT = 30  # characters of a number as typed (spaces removed): 1,000,000,000.000000 fits

_PLAIN = re.compile(r"[0-9]+")
_GROUPED = {",": re.compile(r"[0-9]{1,3}(,[0-9]{3})+"), ".": re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")}


@dataclass(frozen=True)
class Limit:
    """What a quantity may be: ``low`` ≤ value ≤ ``high``, at most ``decimals`` decimals."""

    name: str  # Spanish, what the cell holds: "monto", "cantidad", …
    the: str  # the same with its article, for messages: "el monto", "la cantidad" (singular: messages agree)
    low: Decimal
    high: Decimal
    decimals: int
    whole: bool = False


def _limit(name: str, the: str, low: str, high: str, decimals: int, whole: bool = False) -> Limit:
    return Limit(name, the, Decimal(low), Decimal(high), decimals, whole)


MONEY_TEXT = _limit(N_("monto"), N_("el monto"), "-1000000000", "1000000000", 10)  # what to_money reads, before rounding
AMOUNT = _limit(N_("monto"), N_("el monto"), "-10000000", "10000000", 2)  # soles: no committee handles S/ 10 million
POSITIVE_AMOUNT = _limit(N_("monto"), N_("el monto"), "0", "10000000", 2)
SHARE = _limit(N_("porcentaje"), N_("el porcentaje"), "0", "100", 2)  # a budget heading's share of the money
QUANTITY = _limit(N_("cantidad"), N_("la cantidad"), "0", "1000000", 3)  # units, kg or litres delivered
GRAMS = _limit(N_("gramos"), N_("el peso en gramos"), "-100000000", "100000000", 3)  # a stock adjustment (100 t either way)
COUNT = _limit(N_("número"), N_("el número"), "0", "100000", 0, whole=True)  # rations, attendance, children
NUTRIENT = _limit(N_("valor nutricional"), N_("el valor nutricional"), "0", "100000", 6)  # per 100 g: nothing is negative
RATION_GRAMS = _limit(N_("gramos"), N_("el peso en gramos"), "0", "2000", 1)  # one food per child, as the recipe editor takes it
FACTOR = _limit(N_("factor"), N_("el factor"), "0", "1000", 6)

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)


class NumberRefused(InvalidInput):
    """A number that cannot be read for certain; ``rule`` names why (for tests and messages)."""

    def __init__(self, text: object, why: str, rule: str) -> None:
        super().__init__(_("falta el número: el dato está vacío") if rule == "empty" else
                         _("«{text}» no es un número válido: {why}").format(text=text, why=why))
        self.rule = rule
        self.why = why


@dataclass(frozen=True)
class Style:
    """Which decimal separator the numbers of one sheet use ({","}, {"."}, both or none)."""

    decimal_marks: frozenset[str] = frozenset()

    @classmethod
    def of(cls, texts) -> Style:
        """Learn the sheet's decimal separator from the numbers that show it unambiguously."""
        marks = set()
        for text in texts:
            mark = _decimal_mark(_clean(str(text)))
            if mark:
                marks.add(mark)
        return cls(frozenset(marks))


NO_STYLE = Style()
# A number typed in one of the application's own boxes reads the way the application writes numbers
# (S/ 1,234.50, 9.709 kg: decimal point), so «9.709» typed where the app showed «9.709 kg» is 9.709.
APP_STYLE = Style(frozenset({"."}))


def _clean(text: str) -> str:
    return text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")


def _decimal_mark(t: str) -> str | None:
    """The decimal separator a single number shows for certain, if any."""
    t = t.lstrip("+-")
    seps = [c for c in t if c in ",."]
    if not seps or not re.fullmatch(r"[0-9.,]+", t):
        return None
    if len(set(seps)) == 2:
        return seps[-1]
    if len(seps) > 1:
        return "." if seps[0] == "," else ","  # "1,234,567": comma is thousands, so point is decimal
    whole, _unused, decimals = t.partition(seps[0])
    if len(decimals) != 3 or not whole or len(whole) > 3 or whole.startswith("0"):
        return seps[0]
    return None


def read_number(text: object, limit: Limit, style: Style | None = None) -> Decimal:
    """Read ``text`` as a ``limit`` quantity; NumberRefused says exactly what is wrong."""
    if isinstance(text, bool):
        raise NumberRefused(text, _("no es un número."), "not-a-number")
    if isinstance(text, int):
        if abs(text) > 10**12:
            raise _out_of_range(text, limit)
        return check(Decimal(text), limit, text)
    if isinstance(text, float):
        if not math.isfinite(text) or abs(text) > 1e12:
            raise _out_of_range(text, limit)
        return check(Decimal(repr(text)), limit, text)
    if isinstance(text, Decimal):
        if not text.is_finite() or text.adjusted() > 12:
            raise _out_of_range(text, limit)
        return check(text, limit, text)
    if not isinstance(text, str):
        raise NumberRefused(text, _("no es un número."), "not-a-number")
    t = _clean(text)
    if not t:
        raise NumberRefused(text, _("está vacío."), "empty")
    if len(t) > MAX_TEXT:
        raise NumberRefused(text[:40], _("tiene más de {MAX_TEXT} caracteres.").format(MAX_TEXT=MAX_TEXT), "too-long")
    sign = ""
    if t[0] in "+-":
        sign, t = t[0], t[1:]
    if not re.fullmatch(r"[0-9.,]+", t) or not re.search("[0-9]", t):
        if re.fullmatch(r"[0-9.,]*[eE][+-]?[0-9]+", t):
            # a numeric spreadsheet cell too big to write out arrives as Python writes it («1e+308»,
            # io.tabular._cell_text): it is a number, out of range, not notation someone typed
            if re.fullmatch(r"[0-9](\.[0-9]+)?e\+[0-9]+", t) and float(t) > 1e12:
                raise _out_of_range(text, limit)
            why = _("no se acepta la notación científica (como 1E+5); escriba el número completo.")
            raise NumberRefused(text, why, "scientific")
        raise NumberRefused(text, _("escriba solo cifras, por ejemplo 1250.50 o 1250,50."), "not-a-number")
    value = Decimal(sign + _digits(t, text, style or NO_STYLE))
    return check(value, limit, text)


def _digits(t: str, original: object, style: Style) -> str:
    """The number in plain ``1234.5`` form, separators resolved."""
    seps = [c for c in t if c in ",."]
    if not seps:
        return t
    if len(set(seps)) == 2:
        dec, thou = seps[-1], seps[0]
        if seps.count(dec) != 1 or not re.fullmatch(rf"[0-9]{{1,3}}(\{thou}[0-9]{{3}})*\{dec}[0-9]+", t):
            raise NumberRefused(original, _("los separadores de miles y de decimales están mal puestos."), "separators")
        return t.replace(thou, "").replace(",", ".")
    sep = seps[0]
    if len(seps) > 1:
        if not _GROUPED[sep].fullmatch(t):
            raise NumberRefused(original, _("los separadores de miles están mal puestos (grupos de tres cifras)."),
                                "separators")
        return t.replace(sep, "")
    whole, _unused, decimals = t.partition(sep)
    if not _PLAIN.fullmatch(decimals) or (whole and not _PLAIN.fullmatch(whole)):
        raise NumberRefused(original, _("escriba solo cifras, por ejemplo 1250.50 o 1250,50."), "not-a-number")
    if len(decimals) == 3 and whole and len(whole) <= 3 and not whole.startswith("0"):
        other = "." if sep == "," else ","
        uses_this = sep in style.decimal_marks
        uses_other = other in style.decimal_marks
        if sep == ",":
            if uses_this:
                raise NumberRefused(
                    original, _("es ambiguo: otras cifras de la hoja usan la coma decimal, así que podría ser {whole}{decimals} o {whole}.{decimals}. Escriba {whole}{decimals} o {whole},{decimals}0.").format(whole=whole, decimals=decimals),
                    "ambiguous-comma")
            return whole + decimals  # Peru: "1,250" is one thousand two hundred fifty
        if uses_other and not uses_this:
            return whole + decimals  # the sheet writes "3,5": the point groups thousands
        if uses_this and not uses_other:
            return f"{whole}.{decimals}"
        raise NumberRefused(
            original, _("es ambiguo: no se sabe si es {whole}{decimals} o {whole}.{decimals}. Escriba {whole}{decimals} o {whole}.{decimals}0.").format(whole=whole, decimals=decimals), "ambiguous-point")
    return f"{whole or '0'}.{decimals}"


def _out_of_range(value: object, limit: Limit) -> NumberRefused:
    return NumberRefused(value, _("{name} debe estar entre {plain} y {plain2}.").format(name=_(limit.the), plain=_plain(limit.low), plain2=_plain(limit.high)),
                         "out-of-range")


def _plain(value: Decimal) -> str:
    return f"{value:,f}"


def check(value: Decimal, limit: Limit, original: object = None) -> Decimal:
    """Refuse a value outside ``limit``: range, sign, whole, decimals."""
    shown = value if original is None else original
    if not value.is_finite():
        raise NumberRefused(shown, _("no es un número finito."), "not-finite")
    if value < 0 and limit.low >= 0:
        raise NumberRefused(shown, _("{name} no puede ser menor que cero.").format(name=_(limit.the)), "negative")
    if not limit.low <= value <= limit.high:
        raise _out_of_range(shown, limit)
    if limit.whole and value != value.to_integral_value():
        raise NumberRefused(shown, _("{name} debe ser un número entero.").format(name=_(limit.the)), "not-whole")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > limit.decimals:
        raise NumberRefused(shown, ngettext(_("{name} admite como máximo {decimals} decimal."),
                                            _("{name} admite como máximo {decimals} decimales."),
                                            limit.decimals).format(name=_(limit.the), decimals=limit.decimals),
                            "decimals")
    return value


def check_date(day: date, what: str = "fecha") -> date:
    """Refuse a date outside 2000–2100 (a typo such as year 9999 or 0202)."""
    if not MIN_DATE <= day <= MAX_DATE:
        raise InvalidInput(_("La {what} {isoformat} no es plausible: debe estar entre {year} y {year2}.").format(what=what, isoformat=day.isoformat(), year=MIN_DATE.year, year2=MAX_DATE.year))
    return day
