"""Money in soles: exact ``Decimal`` céntimos, never floats; written the Peruvian way, "S/ 1,234.50".

``to_money`` reads what people type ("1234.5", "1,234.50", "1.234,50", "S/ 12,50", "S/. 3.00") and refuses
anything it cannot read for certain; ``format_soles`` writes amounts for screens and reports;
``split_evenly`` shares an amount so that the parts add up to it to the céntimo.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from qaliwarma.errors import InvalidInput

from .i18n import _

CENTIMO = Decimal("0.01")

_PREFIX_RE = re.compile(
    r"^(?P<sign1>[-+]?)\s*(?:s/\.?|pen)?\s*(?P<sign2>[-+]?)\s*(?P<number>.*?)\s*(?:soles|sol)?$", re.IGNORECASE
)


def _digits(text: str) -> bool:
    return bool(re.fullmatch("[0-9]+", text))


def _refuse(text: object, why: str) -> InvalidInput:
    return InvalidInput(_("Monto no válido «{text}»: {why}").format(text=text, why=why))


def _parse_number(text: str, original: object) -> Decimal:
    """Digits with thousands separators and a decimal separator: the one parser, qaliwarma/numbers.py."""
    from .numbers import MONEY_TEXT, NumberRefused, read_number

    try:
        return read_number(text, MONEY_TEXT)
    except NumberRefused as exc:
        raise _refuse(original, exc.why) from None


def to_money(value: object) -> Decimal:
    """An exact amount in soles, rounded to the céntimo (half up).

    Accepts ``Decimal``, ``int`` and text ("1234.5", "1,234.50", "1.234,50", "S/ 12,50", "S/. 3.00", "-S/ 5").
    Refuses floats (they cannot hold céntimos exactly) and anything unreadable, with ``InvalidInput``.
    """
    if isinstance(value, float):
        raise _refuse(value, _("los montos se escriben como texto o decimal exacto, no como número de coma flotante."))
    if isinstance(value, bool):
        raise _refuse(value, _("no es un monto de dinero."))
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        amount = _parse_text(value)
    else:
        raise _refuse(value, _("no es un monto de dinero."))
    if not amount.is_finite():
        raise _refuse(value, _("no es un monto de dinero."))
    if amount.adjusted() >= 9:  # checked before any arithmetic: «1E+999999999» is refused at once
        raise _refuse(value, _("es demasiado grande (el máximo es S/ 999,999,999.99)."))
    try:
        return amount.quantize(CENTIMO, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise _refuse(value, _("es demasiado grande.")) from None


def _parse_text(text: str) -> Decimal:
    cleaned = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    if not cleaned:
        raise InvalidInput(_("Falta el monto: escriba una cantidad en soles, por ejemplo 12.50."))
    match = _PREFIX_RE.match(cleaned)
    if match is None or (match["sign1"] and match["sign2"]) or not match["number"]:
        raise _refuse(text, _("escriba una cantidad en soles, por ejemplo S/ 12.50."))
    number = match["number"]
    if " " in number:  # "1 234.50": spaces only as thousands separators
        if not re.fullmatch(r"[0-9]{1,3}( [0-9]{3})+([.,][0-9]+)?", number):
            raise _refuse(text, _("sobran espacios entre las cifras."))
        number = number.replace(" ", "")
    if not re.fullmatch(r"[0-9.,]+", number) or not re.search("[0-9]", number):
        raise _refuse(text, _("escriba una cantidad en soles, por ejemplo S/ 12.50."))
    amount = _parse_number(number, text)
    return -amount if "-" in (match["sign1"], match["sign2"]) else amount


def format_soles(amount: object, lang: str = "es") -> str:
    """"S/ 1,234.50", "-S/ 12.00": the Peruvian way (the text of Babel's es_PE currency format, with a plain
    space: a comma every three digits, a point before the two céntimos, the sign before «S/»).

    Written by Python's exact Decimal formatting instead of Babel's, which loaded its locale data on first
    use and took 20 µs a call (a table of a month's expenses writes hundreds); tests/core/test_money.py holds
    the two to the same text. The sol is written the same way in the English interface, so ``lang`` changes
    nothing ("es", "en", "qu" all give the same text).
    """
    text = f"{to_money(amount):,.2f}"  # already exact to the céntimo: nothing is rounded here
    return f"-S/ {text[1:]}" if text.startswith("-") else f"S/ {text}"


def split_evenly(total: object, n: int) -> list[Decimal]:
    """Share ``total`` in ``n`` parts that differ by at most one céntimo and add up to it exactly."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InvalidInput(_("No se puede repartir en «{n}» partes: indique un número entero mayor que cero.").format(n=n))
    cents = int(to_money(total) / CENTIMO)
    base, extra = divmod(cents, n)
    return [(Decimal(base + (1 if i < extra else 0)) * CENTIMO) for i in range(n)]


def to_centimos(amount: object) -> int:
    """Whole céntimos in an amount (for storage as an integer)."""
    return int(to_money(amount) / CENTIMO)


def from_centimos(centimos: int) -> Decimal:
    """The amount in soles for a whole number of céntimos."""
    return Decimal(centimos) * CENTIMO
