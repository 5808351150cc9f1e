"""Quantities: the one pint registry (built lazily, only for ``parse_quantity``), Spanish unit names, presentations, household measures.

Every quantity a committee types ("2 arrobas", "1,5 kg", "3 latas", "1 cucharada colmada") becomes exact
grams (``Decimal``) through :func:`to_grams`: a volume needs a density, a commercial unit (lata, saco …) the
product's presentation, a household measure (cucharada, puñado …) the food. Grams per household measure
and the presentations are data: resources/household_measures.toml and resources/presentations.toml.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from qaliwarma.errors import Problem, UnitError
from qaliwarma.paths import resources_dir

from .i18n import _

if TYPE_CHECKING:
    import pint

    _Measures = dict[str, tuple["HouseholdMeasure", ...]]



def _household_file() -> Path:
    return resources_dir() / "household_measures.toml"


def _presentations_file() -> Path:
    return resources_dir() / "presentations.toml"

MASS, VOLUME, OTHER, HOUSEHOLD, COMMERCIAL = "masa", "volumen", "otra", "medida casera", "presentación"

# kind, pint definition, symbol shown to users, spellings users write (accents and case are ignored)
_PHYSICAL: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (MASS, "gram = [mass] = g", "g", ("g", "gr", "grs", "gramo", "gramos")),
    (MASS, "kilogram = 1000 * gram = kg", "kg", ("kg", "kgs", "kilo", "kilos", "kilogramo", "kilogramos")),
    (MASS, "milligram = gram / 1000 = mg", "mg", ("mg", "miligramo", "miligramos")),
    (MASS, "tonne = 1000 * kilogram", "t", ("t", "tn", "tm", "ton", "tonelada", "toneladas")),
    (MASS, "pound = 0.45359237 * kilogram = lb", "lb", ("lb", "lbs", "libra", "libras")),
    (MASS, "ounce = pound / 16 = oz", "oz", ("oz", "onza", "onzas")),
    (MASS, "arroba = 11.5 * kilogram", "arroba", ("arroba", "arrobas", "@")),
    (VOLUME, "liter = [volume] = l", "L", ("l", "lt", "lts", "litro", "litros")),
    (VOLUME, "milliliter = liter / 1000 = ml", "ml", ("ml", "mililitro", "mililitros", "cc", "cm3")),
    (VOLUME, "gallon = 3.785411784 * liter", "gal", ("gal", "galon", "galones")),
    (OTHER, "meter = [length] = m", "m", ("m", "metro", "metros")),
    (OTHER, "centimeter = meter / 100 = cm", "cm", ("cm", "centimetro", "centimetros")),
    (OTHER, "second = [time] = s", "s", ("s", "seg", "segundo", "segundos")),
    (OTHER, "minute = 60 * second", "min", ("min", "minuto", "minutos")),
    (OTHER, "hour = 60 * minute = h", "h", ("h", "hora", "horas")),
)
# household measures: the name used in household_measures.toml -> extra spellings (plurals are automatic)
HOUSEHOLD_NAMES: dict[str, tuple[str, ...]] = {
    "cucharadita": ("cdta", "cdtas", "cdita", "cditas"),
    "cucharada llena": ("cucharada", "cucharadas", "cda", "cdas", "cda llena", "cdas llenas"),
    "cucharada colmada": ("cda colmada", "cdas colmadas"),
    "cucharón": (),
    "puñado": (),
    "taza al ras": ("taza rasa", "tazas rasas"),
    "taza": ("taza llena", "tazas llenas"),
    "vaso": (),
    "tajada": (),
    "unidad": ("und", "unds", "unid", "uni", "un"),
}
COMMERCIAL_NAMES: dict[str, tuple[str, ...]] = {
    "lata": ("hojalata", "hojalatas"),
    "bolsa": (),
    "botella": (),
    "paquete": ("paq", "pqt"),
    "tarro": (),
    "saco": (),
    "atado": (),
    "caja": (),
    "sobre": (),
    "frasco": (),
    "balde": (),
}


@dataclass(frozen=True)
class _Unit:
    kind: str
    pint_name: str
    label: str  # symbol or Spanish name shown to users


def _norm(text: str) -> str:
    """Lower case, no accents (ñ → n), single spaces, no trailing period: how spellings are compared."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(text.replace(".", " ").split())


def _plural(name: str) -> str:
    """Spanish plural of a measure name: "cucharada llena" → "cucharadas llenas", "taza al ras" → "tazas al ras"."""
    words = name.split()
    for i, word in enumerate(words):
        if word in ("al", "de", "con", "a"):
            break
        if word.endswith("ón"):
            words[i] = word[:-2] + "ones"
        elif word[-1] in "aeiouáéó":
            words[i] = word + "s"
        else:
            words[i] = word + "es"
    return " ".join(words)


@functools.cache
def _unit_table() -> dict[str, _Unit]:
    table: dict[str, _Unit] = {}
    for kind, definition, label, spellings in _PHYSICAL:
        unit = _Unit(kind, definition.split("=")[0].strip(), label)
        for spelling in spellings:
            table[_norm(spelling)] = unit
    for kind, names in ((HOUSEHOLD, HOUSEHOLD_NAMES), (COMMERCIAL, COMMERCIAL_NAMES)):
        for name, extra in names.items():
            unit = _Unit(kind, _norm(name).replace(" ", "_"), name)
            for spelling in (name, _plural(name), *extra):
                table[_norm(spelling)] = unit
    return table


@functools.cache
def registry() -> pint.UnitRegistry:
    """The application's one pint registry (exact ``Decimal`` magnitudes), built on first use."""
    import pint

    reg = pint.UnitRegistry(None, non_int_type=Decimal)
    for _kind, definition, _label, _spellings in _PHYSICAL:
        reg.define(definition)
    for name in sorted({u.pint_name for u in _unit_table().values() if u.kind in (HOUSEHOLD, COMMERCIAL)}):
        reg.define(f"{name} = [{name}]")  # each its own dimension: a lata never converts to a bolsa
    return reg


@functools.cache
def _factors() -> dict[str, Decimal]:
    """Each mass unit in grams and each volume unit in litres, exact, from the same definitions the pint
    registry is built from ("kilogram = 1000 * gram", "ounce = pound / 16"). Converting a weight or a volume
    to grams needs no registry: importing pint (with numpy) and building it cost half a second, and the
    first page a committee sees (what is short for the menu) converts presentations to grams."""
    factors: dict[str, Decimal] = {}
    for _kind, definition, _label, _spellings in _PHYSICAL:
        name, rhs = (part.strip() for part in definition.split("=")[:2])
        if rhs.startswith("["):
            factors[name] = Decimal(1)
        elif " * " in rhs:
            number, base = rhs.split(" * ")
            factors[name] = Decimal(number) * factors[base]
        else:
            base, number = rhs.split(" / ")
            factors[name] = factors[base] / Decimal(number)
    return factors


@functools.cache
def _by_pint_name() -> dict[str, _Unit]:
    return {u.pint_name: u for u in _unit_table().values()}


def _resolve_unit(unit_text: str, whole_text: str | None = None) -> _Unit:
    key = _norm(unit_text)
    unit = _unit_table().get(key)
    if unit is not None:
        return unit
    where = _(" en «{whole_text}»").format(whole_text=whole_text) if whole_text and whole_text.strip() != unit_text.strip() else ""
    message = _("Unidad desconocida «{strip}»{where}.").format(strip=unit_text.strip(), where=where)
    close = difflib.get_close_matches(key, list(_unit_table()), n=1, cutoff=0.75)
    if close:
        message += _(" ¿Quiso decir «{label}»?").format(label=_unit_table()[close[0]].label)
    message += _(" Use, por ejemplo: kg, g, libra, arroba, L, ml, lata, bolsa, cucharada llena.")
    raise UnitError(message)


def unit_kind(unit_text: str) -> str:
    """MASS, VOLUME, HOUSEHOLD, COMMERCIAL or OTHER for a unit as a user writes it ("kilos" → MASS)."""
    return _resolve_unit(unit_text).kind


# ---------------------------------------------------------------------------------------------- numbers
_FRACTION_CHARS = {"½": " 1/2", "¼": " 1/4", "¾": " 3/4", "⅓": " 1/3", "⅔": " 2/3"}
_NUMBER = r"\d+\s+\d+/\d+|\d+/\d+|\d[\d.,]*|[.,]\d+"
_QUANTITY_RE = re.compile(rf"^\s*(?P<sign>[-+]?)\s*(?P<num>{_NUMBER})?\s*(?P<unit>.*?)\s*$", re.ASCII)


def _prep(text: str) -> str:
    for char, repl in _FRACTION_CHARS.items():
        text = text.replace(char, repl)
    return " ".join(text.split())


def parse_number(text: str) -> Decimal:
    """A quantity's number as people write it: "1,5" and "1.5" are one and a half; "1,234.5", "1.234,5",
    "1/2", "1 1/2". A lone separator is always decimal ("0.170 kg" is 170 g, not 170 kg)."""
    raw = _prep(text)
    bad = UnitError(_("Número no válido «{strip}».").format(strip=text.strip()))
    try:
        if "/" in raw:
            whole, _unused, frac = raw.rpartition(" ")
            value = Fraction(frac) + (int(whole) if whole else 0)
            return Decimal(value.numerator) / Decimal(value.denominator)
        seps = [c for c in raw if c in ",."]
        if len(seps) > 1:  # "1,234.5", "1.234,5", "1,234,567": groups of three, then maybe a decimal part
            thousands, last = seps[0], seps[-1]
            tail = rf"(\{last}[0-9]+)?" if last != thousands else ""
            if not re.fullmatch(rf"[0-9]{{1,3}}(\{thousands}[0-9]{{3}})+{tail}", raw):
                raise bad
            raw = raw.replace(thousands, "").replace(",", ".")
        else:
            raw = raw.replace(",", ".")
        if not re.fullmatch(r"[0-9]*\.?[0-9]*", raw):
            raise bad
        return Decimal(raw)
    except (ValueError, ZeroDivisionError, InvalidOperation):
        raise bad from None


def _as_decimal(amount: object) -> Decimal:
    """Decimal, int, Fraction, text ("1,5") or float (read as printed: 0.1 is 0.1) → Decimal."""
    if isinstance(amount, Decimal) and amount.is_finite() or isinstance(amount, int) and not isinstance(amount, bool):
        return Decimal(amount)  # type: ignore[arg-type]
    if isinstance(amount, Fraction):
        return Decimal(amount.numerator) / Decimal(amount.denominator)
    if isinstance(amount, float | str):
        text = str(amount).strip()
        return -parse_number(text[1:]) if text.startswith("-") else parse_number(text)
    raise UnitError(_("Cantidad no válida «{amount!r}».").format(amount=amount))


def _tidy(value: Decimal) -> Decimal:
    """23000 rather than 2.30E+4; 170 rather than 170.000; 16.25 stays 16.25."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


# ---------------------------------------------------------------------------------------------- parsing
def parse_quantity(text: str) -> pint.Quantity:
    """"2 arrobas", "1,5 kg", "3 latas", "1 1/2 tazas al ras" → a pint Quantity with a Decimal magnitude."""
    value, unit = _split_quantity(text)
    return registry().Quantity(value, unit.pint_name)


def _split_quantity(text: str) -> tuple[Decimal, _Unit]:
    """The number and the unit of a quantity as a user writes it (messages as :func:`parse_quantity`)."""
    if not isinstance(text, str) or not text.strip():
        raise UnitError(_("Falta la cantidad: escriba un número y una unidad, por ejemplo «2 kg»."))
    match = _QUANTITY_RE.match(_prep(text))
    assert match is not None  # the pattern matches any string
    if not match["num"]:
        raise UnitError(_("Falta la cantidad en «{strip}»: escriba un número y una unidad, por ejemplo «2 kg».").format(strip=text.strip()))
    if not match["unit"]:
        raise UnitError(_("Falta la unidad en «{strip}»: escriba por ejemplo «{num} kg».").format(strip=text.strip(), num=match['num']))
    value = parse_number(match["num"])
    if match["sign"] == "-":
        value = -value
    return value, _resolve_unit(match["unit"], text)


# ---------------------------------------------------------------------------------------------- presentations
@dataclass(frozen=True)
class Presentation:
    """How a product comes: e.g. LATA of 0.170 kg net. ``density_kg_per_l`` is needed when the net is a volume."""

    name: str
    net_amount: Decimal
    net_unit: str
    density_kg_per_l: Decimal | None = None
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "net_amount", _as_decimal(self.net_amount))
        if self.density_kg_per_l is not None:
            object.__setattr__(self, "density_kg_per_l", _as_decimal(self.density_kg_per_l))
            if self.density_kg_per_l <= 0:
                raise UnitError(_("La densidad de {name} debe ser mayor que cero.").format(name=self.name))
        if self.net_amount <= 0:
            raise UnitError(_("El contenido neto de {name} debe ser mayor que cero.").format(name=self.name))
        if _resolve_unit(self.net_unit).kind not in (MASS, VOLUME):
            raise UnitError(_("El contenido neto de {name} debe estar en peso o volumen, no en «{net_unit}».").format(name=self.name, net_unit=self.net_unit))

    @property
    def net_text(self) -> str:
        return f"{self.net_amount} {_resolve_unit(self.net_unit).label}"

    def __str__(self) -> str:
        return _("{name} de {net_text}").format(name=self.name, net_text=self.net_text)

    def grams(self) -> Decimal:
        """Net grams in one unit of this presentation."""
        unit = _resolve_unit(self.net_unit)
        if unit.kind == VOLUME and self.density_kg_per_l is None:
            raise UnitError(
                _("{self2}: para saber cuántos gramos contiene hace falta la densidad del producto (kg/L), por ejemplo aceite 0.92.").format(self2=self)
            )
        return _physical_grams(self.net_amount, unit, self.density_kg_per_l, str(self))


def presentation(name: str, net_text: str, density: object = None, description: str = "") -> Presentation:
    """``presentation("LATA", "0.170 kg")``; ``presentation("BOTELLA", "1 L", density="0.92")``."""
    value, unit = _split_quantity(net_text)
    return Presentation(name, value, unit.label, None if density is None else _as_decimal(density), description)


@functools.cache
def default_presentations() -> dict[str, Presentation]:
    """The presentations in resources/presentations.toml, keyed by their table name (e.g. "lata-pescado")."""
    presentations_file = _presentations_file()
    data = _read_toml(presentations_file)
    result: dict[str, Presentation] = {}
    problems: list[Problem] = []
    for key, entry in data.items():
        try:
            result[key] = presentation(str(entry["name"]), str(entry["net"]), entry.get("density_kg_per_l"),
                                       str(entry.get("description", "")))
        except (KeyError, TypeError, AttributeError):
            problems.append(Problem(f"{presentations_file.name} [{key}]", _("faltan «name» o «net»")))
        except UnitError as exc:
            problems.append(Problem(f"{presentations_file.name} [{key}]", exc.summary))
    if problems:
        raise UnitError(_("El archivo de presentaciones tiene errores."), problems)
    return result


# ---------------------------------------------------------------------------------------------- household measures
@dataclass(frozen=True)
class HouseholdMeasure:
    """Grams in one household measure of one food (``grams`` is the midpoint when a range is known)."""

    name: str
    grams: Decimal
    source: str
    grams_min: Decimal | None = None
    grams_max: Decimal | None = None


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh, parse_float=Decimal)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UnitError(_("No se puede leer {name}: {exc}").format(name=path.name, exc=exc)) from None


def load_household_measures(path: Path) -> tuple[_Measures, _Measures]:
    """Read and check a household-measures file: (measures by food code, default measures by group)."""
    by_code: _Measures = {}
    by_group: _Measures = {}
    problems: list[Problem] = []
    for i, entry in enumerate(_read_toml(path).get("set", []), start=1):
        where = _("{name}, grupo de medidas n.º {i} ({get})").format(name=path.name, i=i, get=entry.get('label', ''))
        measures = []
        for m in entry.get("measures", []):
            name = m.get("name", "")
            try:
                low, high = (None if m.get(k) is None else Decimal(m[k]) for k in ("min", "max"))
                grams = Decimal(m["grams"]) if "grams" in m else (low + high) / 2  # type: ignore[operator]
                valid = grams > 0 and (low is None or high is None or low <= grams <= high)
            except (TypeError, ValueError, InvalidOperation):
                valid = False
            if name not in HOUSEHOLD_NAMES:
                problems.append(Problem(where, _("medida desconocida «{name}»").format(name=name)))
            elif not valid:
                problems.append(Problem(where, _("«{name}»: indique los gramos (grams) o un rango válido (min, max)").format(name=name)))
            else:
                source = str(m.get("source", entry.get("source", "")))
                measures.append(HouseholdMeasure(name, _tidy(grams), source, low, high))
        measures.sort(key=lambda m: m.grams)
        for code in entry.get("codes", []):
            by_code[code.upper()] = tuple(measures)
        for group in entry.get("groups", []):
            by_group[group.upper()] = tuple(measures)
        if not entry.get("codes") and not entry.get("groups"):
            problems.append(Problem(where, _("indique los códigos de alimento (codes) o los grupos (groups)")))
    if problems:
        raise UnitError(_("El archivo de medidas caseras tiene errores."), problems)
    return by_code, by_group


@functools.cache
def _default_household() -> tuple[_Measures, _Measures]:
    return load_household_measures(_household_file())


def household_measures(food_code: str) -> list[HouseholdMeasure]:
    """The known household measures of a food, lightest first: its own, else its group's defaults, else []."""
    code = (food_code or "").strip().upper()
    by_code, by_group = _default_household()
    if code in by_code:
        return list(by_code[code])
    group = re.match(r"[A-Z]+", code)
    return list(by_group.get(group[0], ())) if group else []


def suggest_household(food_code: str, grams: float) -> list[tuple[Fraction, HouseholdMeasure]] | None:
    """The simplest combination (one measure, or one plus a smaller one) near ``grams``; None if none known."""
    measures = [m for m in household_measures(food_code) if m.grams > 0]
    if not measures or grams <= 0:
        return None
    counts = [Fraction(k, 2) for k in range(1, 21)] + [Fraction(k) for k in range(11, 51)]
    best: tuple[float, list[tuple[Fraction, HouseholdMeasure]]] | None = None

    def consider(parts: list[tuple[Fraction, HouseholdMeasure]]) -> None:
        nonlocal best
        total = sum(float(n) * float(m.grams) for n, m in parts)
        cost = abs(total - grams) / grams + 0.04 * (len(parts) - 1)
        cost += sum(0.03 * (n.denominator != 1) + 0.015 * max(0, float(n) - 3) for n, _m in parts)
        if best is None or cost < best[0]:
            best = (cost, parts)

    for big in measures:
        for n in counts:
            consider([(n, big)])
            if n.denominator == 1 and n <= 10:
                for small in (m for m in measures if m.grams < big.grams):
                    for k in counts[:6]:
                        consider([(n, big), (k, small)])
    assert best is not None
    return best[1]


def _count_text(n: Fraction) -> str:
    whole, rest = divmod(n, 1)
    parts = ([str(whole)] if whole else []) + ([f"{rest.numerator}/{rest.denominator}"] if rest else [])
    return " ".join(parts)


def household_hint(food_code: str, grams: float) -> str | None:
    """A cook's hint: A3, 25 g → "1 cucharada colmada". None when the food has no known measure."""
    measures = household_measures(food_code)
    if not measures or grams <= 0:
        return None
    smallest = measures[0]
    if grams < float(smallest.grams) * 0.35:
        return _("menos de 1/2 {name}").format(name=smallest.name)
    parts = suggest_household(food_code, grams) or []
    return " y ".join(f"{_count_text(n)} {m.name if n <= 1 else _plural(m.name)}" for n, m in parts)


# ---------------------------------------------------------------------------------------------- grams
def _physical_grams(value: Decimal, unit: _Unit, density: Decimal | None, what: str) -> Decimal:
    if unit.kind == MASS:
        return _tidy(value * _factors()[unit.pint_name])
    if unit.kind == VOLUME:
        if density is None:
            raise UnitError(
                _("«{what}» es un volumen: para pasarlo a gramos hace falta la densidad del producto (kg/L), por ejemplo aceite 0.92. Elija la presentación del producto o indique la densidad.").format(what=what)
            )
        liters = value * _factors()[unit.pint_name]
        return _tidy(liters * density * 1000)
    raise UnitError(_("«{what}» no es un peso ni un volumen: no se puede pasar a gramos. Use kg, g, L o ml.").format(what=what))


def to_grams(
    amount: object,
    unit: str,
    *,
    food_code: str | None = None,
    presentation: Presentation | None = None,
    density_kg_per_l: object = None,
) -> Decimal:
    """Exact grams in ``amount`` ``unit``: ``to_grams(3, "lata", presentation=p)``, ``to_grams("1,5", "kilos")``."""
    value = _as_decimal(amount)
    what = f"{amount} {unit}".strip()
    resolved = _resolve_unit(unit, what)
    density = _as_decimal(density_kg_per_l) if density_kg_per_l is not None else None
    if density is None and presentation is not None:
        density = presentation.density_kg_per_l
    if density is not None and density <= 0:
        raise UnitError(_("La densidad debe ser mayor que cero (se indicó {density}).").format(density=density))
    if resolved.kind in (MASS, VOLUME, OTHER):
        return _physical_grams(value, resolved, density, what)
    if resolved.kind == COMMERCIAL or (presentation is not None and resolved.label == "unidad"):
        if presentation is None:
            raise UnitError(
                _("«{what}»: ¿cuánto contiene cada {label}? Elija la presentación del producto (cuántos kg o litros trae cada una).").format(what=what, label=resolved.label)
            )
        declared = _unit_table().get(_norm(presentation.name))
        if resolved.kind == COMMERCIAL and declared is not None and declared.kind == COMMERCIAL and declared != resolved:
            raise UnitError(_("«{what}» no corresponde a la presentación elegida ({presentation}).").format(what=what, presentation=presentation))
        return _tidy(value * presentation.grams())
    # household measure
    if not food_code:
        raise UnitError(_("«{what}»: el peso de «{label}» depende del alimento; indique el alimento.").format(what=what, label=resolved.label))
    known = household_measures(food_code)
    for measure in known:
        if measure.name == resolved.label:
            return _tidy(value * measure.grams)
    extra = _(" o elija la presentación del producto") if resolved.label == "unidad" else ""
    names = _(" Medidas conocidas para este alimento: {join}.").format(join=', '.join(m.name for m in known)) if known else ""
    raise UnitError(
        _("No se conoce el peso de «{label}» para el alimento {upper}. Pese el alimento y escriba los gramos{extra}.{names}").format(label=resolved.label, upper=food_code.strip().upper(), extra=extra, names=names)
    )


def quantity_to_grams(quantity: pint.Quantity, **kwargs: object) -> Decimal:
    """Exact grams in a Quantity from :func:`parse_quantity` (same keyword arguments as :func:`to_grams`)."""
    unit = _by_pint_name().get(str(quantity.units))
    if unit is None:
        raise UnitError(_("«{quantity}» no se puede pasar a gramos. Use kg, g, L o ml.").format(quantity=quantity))
    return to_grams(quantity.magnitude, unit.label, **kwargs)  # type: ignore[arg-type]


def text_to_grams(text: str, **kwargs: object) -> Decimal:
    """``text_to_grams("2 arrobas")`` → Decimal("23000"); messages repeat the unit as the user wrote it."""
    magnitude, _unit = _split_quantity(text)
    return to_grams(magnitude, _QUANTITY_RE.match(_prep(text))["unit"], **kwargs)  # type: ignore[arg-type,index]
