"""Flags («lo que no cuadra») as data, and the month's ratings.

A flag is a stable code plus its facts as fields (``Flag("rendimiento", {"product": "D9", …})``).
What each code means, how serious it is, what to do and how one occurrence reads are in
``resources/checks/flags.toml``; the thresholds behind the ratings, with their rationale, in
``resources/checks/ratings.toml``. :func:`word` is the one place that turns a flag into a sentence:
every screen, report, bundle and summary calls it, and none reads another's sentences back.

Facts are JSON-safe (str, int, lists of them; dates as ISO text, grams and soles as decimal text), so
a flag goes into a bundle or the supervisor's database and comes back the same.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from ..i18n import _
from ..i18n import current as current_language
from ..money import format_soles
from ..paths import resources_dir
from .committee import ROLES
from .levels import LEVEL_LABELS, MEAL_LABELS

RATINGS = ("bien", "revisar", "incompleto", "no_cuadra")  # from best to worst
RATING_LABELS = {"bien": "Bien", "revisar": "Revisar", "incompleto": "Incompleto", "no_cuadra": "No cuadra"}
SECTIONS = ("raciones", "registro", "menu", "nutricion", "almacen", "vencimientos", "incidencias", "dinero",
            "cierre")
SECTION_LABELS = {"raciones": "Raciones", "registro": "Días con registro", "menu": "Menú",
                  "nutricion": "Nutrición", "almacen": "Alimentos", "vencimientos": "Por vencer",
                  "incidencias": "Incidencias", "dinero": "Dinero", "cierre": "Cierre del mes"}


WORDING = ("title", "meaning", "advice", "text")
SINGULAR = "text_one"  # optional: the text when the flag's «count» is 1 («1 comida sin plan», not «1 comidas»)


@dataclass(frozen=True)
class FlagKind:
    """A catalogue entry. ``title``, ``meaning``, ``advice`` and ``text`` are in the language in use
    (``qaliwarma.i18n``): Spanish as written in flags.toml, or its ``*_en`` English."""

    code: str
    severity: str
    section: str
    spanish: dict[str, str]  # title, meaning, advice, text
    english: dict[str, str] = field(default_factory=dict)

    def _in_use(self, what: str) -> str:
        if current_language() == "en" and self.english.get(what):
            return self.english[what]
        return self.spanish.get(what, "")

    @property
    def title(self) -> str:
        return self._in_use("title")

    @property
    def meaning(self) -> str:
        return self._in_use("meaning")

    @property
    def advice(self) -> str:
        return self._in_use("advice")

    @property
    def text(self) -> str:
        return self._in_use("text")


@dataclass(frozen=True, slots=True)  # slots: a supervisor's year holds tens of thousands (no dict each)
class Flag:
    code: str
    facts: dict = field(default_factory=dict)

    @property
    def kind(self) -> FlagKind:
        return flag_kind(self.code)

    @property
    def severity(self) -> str:
        return self.kind.severity

    def as_json(self, names: dict[str, str] | None = None) -> dict:
        return {"code": self.code, "severity": self.severity, "facts": self.facts, "text": word(self, names)}


@cache
def catalogue() -> dict[str, FlagKind]:
    data = tomllib.loads((resources_dir() / "checks" / "flags.toml").read_text(encoding="utf-8"))
    out = {}
    for code, d in data.items():
        if d["severity"] not in RATINGS[1:]:
            raise ValueError(_("flags.toml: «{code}» tiene una gravedad desconocida «{severity}»").format(code=code, severity=d['severity']))
        out[code] = FlagKind(code, d["severity"], d["section"],
                             {w: d[w] for w in (*WORDING, SINGULAR) if w in d},
                             {w: d[f"{w}_en"] for w in (*WORDING, SINGULAR) if d.get(f"{w}_en")})
    return out


def flag_kind(code: str) -> FlagKind:
    """The catalogue entry of ``code``; an unknown code (a newer bundle) reads as a plain «revisar»."""
    found = catalogue().get(code)
    if found is None:
        label = code.replace("_", " ").capitalize()
        return FlagKind(code, "revisar", "cierre", {"title": label})
    return found


@cache
def ratings() -> dict[str, dict]:
    """The thresholds of ``resources/checks/ratings.toml`` (each with its ``rationale``)."""
    return tomllib.loads((resources_dir() / "checks" / "ratings.toml").read_text(encoding="utf-8"))


def threshold(section: str, key: str) -> Decimal:
    return Decimal(str(ratings()[section][key]))


def worst(*ratings_: str) -> str:
    return max(ratings_, key=RATINGS.index, default="bien")


# ------------------------------------------------------------------------------------------ wording
def _number(value, decimals: int = 0) -> str:
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)
    return f"{amount:,.{decimals}f}"


def _weight(value) -> str:
    grams = Decimal(str(value))
    sign = "−" if grams < 0 else ""
    grams = abs(grams)
    if grams < 1000:
        return f"{sign}{_number(grams)} g"
    kg = grams / 1000
    text = _number(kg, 2)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{sign}{text} kg"


def _day(text) -> str:
    try:
        return date.fromisoformat(str(text)).strftime("%d/%m/%Y")
    except ValueError:
        return str(text)


def _days(items, limit: int | None) -> str:
    days = []
    for d in items:
        try:
            days.append(date.fromisoformat(str(d)).strftime("%d/%m"))
        except ValueError:
            days.append(str(d))
    if limit is not None and len(days) > limit:
        return _("{days} y {n} más").format(days=", ".join(days[:limit]), n=len(days) - limit)
    if len(days) > 1:
        return _("{days} y {last}").format(days=", ".join(days[:-1]), last=days[-1])
    return "".join(days)


def _fact(key: str, value, names: dict[str, str], limit: int | None) -> str:
    if value is None:
        return "—"
    try:
        if key in ("day", "expiry", "since", "until", "bought"):
            return _day(value)
        if key == "days":
            return _days(value, limit)
        if key == "by_day":  # [{"day", "expected_g", "issued_g"}]: each day's own figures
            shown = value if limit is None else value[:limit]
            text = "; ".join(_("el {day} debían salir {expected} y salieron {issued}").format(
                day=_days([d["day"]], None), expected=_weight(d["expected_g"]), issued=_weight(d["issued_g"]))
                for d in shown)
            more = len(value) - len(shown)
            if more:
                text += _("; y 1 día más") if more == 1 else _("; y {n} días más").format(n=more)
            return text
        if key == "meal":
            return _(MEAL_LABELS.get(value, str(value))).lower()
        if key == "role":
            return _(ROLES.get(value, str(value))).lower()
        if key == "level":
            return _(LEVEL_LABELS.get(value, str(value))).lower()
        if key == "product":
            return names.get(value, str(value))
        if key.endswith("_g"):
            return _weight(value)
        if key in ("amount", "balance"):
            return format_soles(Decimal(str(value)))
        if key.endswith("_pct"):
            pct = Decimal(str(value))
            return f"{'+' if pct > 0 else ''}{_number(pct, 1)} %"
        if isinstance(value, int) and not isinstance(value, bool):
            return _number(value)
    except (InvalidOperation, ValueError, TypeError):
        pass
    return str(value)


class _Facts(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def word(flag: Flag, names: dict[str, str] | None = None, *, limit: int | None = None) -> str:
    """One occurrence of a flag in the committee's words (``limit``: at most that many days listed)."""
    kind = flag_kind(flag.code)
    names = names or {}
    facts = _Facts({k: _fact(k, v, names, limit) for k, v in flag.facts.items()})
    if not kind.text:
        return "; ".join(f"{k}: {v}" for k, v in facts.items()) or kind.title
    one = kind._in_use(SINGULAR) if flag.facts.get("count") == 1 else ""
    return (one or kind.text).format_map(facts)
