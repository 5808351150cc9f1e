"""The month's ratings and flags: what the monthly report's first page, ``period summary`` and the
supervisor's summary say about a month.

Everything here is read from the month's bundle (what ``qaliwarma export`` would write), through the
supervisor's own checks (``services.supervision.measure``): the committee and the supervisor see the
same flags with the same facts. Each section gets a rating — «bien», «revisar», «incompleto» or «no
cuadra» — from its flags and the thresholds in ``resources/checks/ratings.toml``; a month partly
recorded is never «bien».
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ..domain.flags import SECTIONS, Flag, flag_kind, threshold, worst
from ..io.bundle import Bundle, bundle_code, sha256
from ..persistence.journal import ChainCheck, verify_chain
from . import export, periods
from .supervision import Metrics, measure

CHAIN_FLAG = "diario_alterado"
MEALS_OF = {1: ("desayuno",), 2: ("desayuno", "almuerzo")}


@dataclass(frozen=True)
class Section:
    name: str
    rating: str  # bien | revisar | incompleto | no_cuadra
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MonthReview:
    month: str
    today: date
    complete: bool
    sections: dict[str, Section]
    flags: list[Flag]
    bundle: Bundle
    bundle_code: str
    metrics: Metrics

    @property
    def all_good(self) -> bool:
        return all(s.rating == "bien" for s in self.sections.values())

    def flags_of(self, section: str) -> list[Flag]:
        return [f for f in self.flags if flag_kind(f.code).section == section]

    def as_json(self, names: dict[str, str] | None = None) -> dict:
        return {"month": self.month, "complete": self.complete,
                "sections": {n: {"rating": s.rating, "facts": s.facts} for n, s in self.sections.items()},
                "flags": [f.as_json(names) for f in self.flags]}


def month_bundle(db, committee, month: str, today: date, *, verified: ChainCheck | None = None
                 ) -> tuple[Bundle, str]:
    """The month's bundle built in memory as if exported ``today``, its journal verified, and its
    full bundle code (what ``qaliwarma export`` would print when nothing changed). The journal stays as
    entries (``Bundle.journal()``), not written out as journal.jsonl.

    ``verified``: the committee's whole chain, verified by the caller moments ago in the same task (the
    Cierre page checks everything with ``integrity.check_one`` first). When the bundle's journal is that
    chain — as many entries, ending on the same head — it is not verified a second time; a month whose
    journal stops earlier (a closed month), or a chain that did not verify, is verified here as always."""
    manifest, files, rows = export.bundle_parts(db, committee, month)
    codigo = committee.form.codigo_modular
    if (verified is not None and verified.ok and rows and verified.entries == len(rows)
            and verified.head == rows[-1]["hash"]):
        chain = verified
    else:
        chain = verify_chain(manifest["committee"]["chain_id"], rows)
    # the journal file's hash is the chain's: computed once per head (the chain was just verified up to it)
    digests = {n: sha256(d) for n, d in files.items()}
    digests[export.JOURNAL_FILE] = export.journal_digest(db, committee.id, rows, verified=chain.ok)
    full_code = bundle_code(manifest["journal"]["head"], digests)
    manifest = {**manifest, "exported_at": datetime.combine(today, datetime.min.time()).isoformat(),
                "reviewed_on": today.isoformat()}
    bundle = Bundle(Path(f"{codigo}-{month}.zip"), manifest, files, chain)
    bundle.__dict__["_journal_rows"] = rows  # what Bundle.journal() would read back from journal.jsonl
    return bundle, full_code


def review(db, committee, month: str, *, today: date | None = None) -> MonthReview:
    periods.month_bounds(month)  # refuses a badly written month
    today = today or date.today()
    bundle, code = month_bundle(db, committee, month, today)
    return review_bundle(bundle, code)


def _pct(part, whole) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")))


def _rating(flags: list[Flag], base: str = "bien") -> str:
    return worst(base, *(f.severity for f in flags))


def review_bundle(bundle: Bundle, code: str = "") -> MonthReview:
    """The ratings and flags of one month's bundle (as of its ``exported_at`` day)."""
    man = bundle.manifest
    end = date.fromisoformat(man["month_end"])
    today = date.fromisoformat(man.get("reviewed_on") or man["exported_at"][:10])
    m = measure(bundle)
    flags = list(m.flags)
    if bundle.chain is not None and not bundle.chain.ok:
        flags.insert(0, Flag(CHAIN_FLAG, {"message": bundle.chain.message()}))
    meals = MEALS_OF.get(m.meals, ("desayuno",))
    levels = sorted(m.levels)
    school_days = sorted(bundle.json("calendario.json")["school_days"])
    services = bundle.csv("servicios.csv")
    plan = bundle.csv("plan.csv")

    # the menu: every school day × meal × level planned?
    planned = {(p["fecha"], p["comida"], p["nivel"]): p["preparacion"] for p in plan}
    served = {(r["fecha"], r["comida"], r["nivel"]): r["preparacion"] for r in services}
    unplanned = [(d, meal, lv) for d in school_days for meal in meals for lv in levels
                 if (d, meal, lv) not in planned]
    by_section: dict[str, list[Flag]] = defaultdict(list)
    for f in flags:
        by_section[flag_kind(f.code).section].append(f)
    sections: dict[str, Section] = {}

    # rations
    per_level = {}
    for lv in levels:
        done = sum(int(r["raciones_servidas"]) for r in services if r["nivel"] == lv and r["fecha"] in school_days)
        per_level[lv] = {"served": done, "expected": m.levels[lv] * len(school_days) * len(meals)}
    pct = _pct(m.school_day_rations, m.expected_rations)  # what was planned: school days only
    base = "bien"
    if m.missing_days or m.days_to_come:
        base = "incompleto"
    elif pct is not None and Decimal(pct) < threshold("raciones", "revisar_below_pct"):
        base = "revisar"
    sections["raciones"] = Section("raciones", _rating(by_section["raciones"], base), {
        "rations": m.rations, "school_day_rations": m.school_day_rations,
        "rations_without_classes": m.rations - m.school_day_rations, "expected": m.expected_rations, "pct": pct, "enrolment": m.enrolment,
        "school_days": m.school_days, "meals": len(meals), "levels": per_level})

    # days with a record
    recorded = sorted({r["fecha"] for r in services})
    sections["registro"] = Section("registro", _rating(by_section["registro"]), {
        "school_days": m.school_days, "recorded_school_days": sum(1 for d in recorded if d in set(school_days)),
        "missing_days": m.missing_days, "days_to_come": m.days_to_come,
        "days_without_classes": sorted(d for d in recorded if d not in set(school_days))})

    # the menu
    changed = sum(1 for k, r in served.items() if k in planned and planned[k] != r)
    extra = sum(1 for k in served if k not in planned)
    not_served = sum(1 for k in planned if k not in served and k[0] < today.isoformat())
    base = "bien" if plan and not unplanned else "incompleto"  # a school day's meal without a plan: not «Bien»
    if changed or extra:
        base = worst(base, "revisar")
    sections["menu"] = Section("menu", _rating(by_section["menu"], base), {
        "planned": len(planned), "served": len(served), "as_planned": len(served) - changed - extra,
        "changed": changed, "unplanned_served": extra, "planned_not_recorded": not_served,
        "unplanned": len(unplanned)})

    # nutrition
    compliance = bundle.json("cumplimiento.json")["summary"]
    nut_pct = _pct(compliance["ok"], compliance["entries"])
    if not compliance["entries"]:
        base = "incompleto"
    elif Decimal(nut_pct) < threshold("nutricion", "bien_from_pct"):
        base = "revisar"
    else:
        base = "bien"
    if unplanned:  # the check covers the planned meals only: a meal with no plan was never checked
        base = worst(base, "incompleto")
    sections["nutricion"] = Section("nutricion", _rating(by_section["nutricion"], base),
                                    {**{k: compliance[k] for k in ("entries", "ok", "low", "high", "unknown")},
                                     "pct": nut_pct, "unplanned": len(unplanned)})

    # food in the store
    moves = bundle.csv("movimientos.csv")
    totals = defaultdict(Decimal)
    for mv in moves:
        grams = Decimal(mv["gramos"])
        if mv["tipo"] == "recepcion":
            totals["received_g"] += grams
        elif mv["tipo"] in ("salida", "retorno"):
            totals["issued_g"] += -grams
        elif mv["tipo"] == "ajuste" and grams < 0:
            totals["losses_g"] += -grams
    closing = sum((Decimal(r["saldo_fin_de_mes_g"]) for r in bundle.csv("lotes.csv")), Decimal(0))
    yields = bundle.csv("rendimiento.csv")
    sections["almacen"] = Section("almacen", _rating(by_section["almacen"]), {
        "received_g": str(totals["received_g"]), "issued_g": str(totals["issued_g"]),
        "losses_g": str(totals["losses_g"]), "closing_g": str(closing),
        "products": len({r["codigo"] for r in bundle.csv("lotes.csv")}),
        "products_off": sum(1 for y in yields if y["alerta"] == "1"),
        "threshold_pct": str(threshold("rendimiento", "threshold_pct"))})

    # expiry
    expiring = bundle.csv("por_vencer.csv")
    expired = [r for r in expiring if r["vencimiento"] and r["vencimiento"] < end.isoformat()]
    first = min(expiring, key=lambda r: r["vencimiento"]) if expiring else None
    base = "no_cuadra" if expired else ("revisar" if expiring else "bien")
    sections["vencimientos"] = Section("vencimientos", _rating(by_section["vencimientos"], base), {
        "lots": len(expiring), "expired_with_stock": len(expired),
        "soon_days": int(threshold("vencimientos", "soon_days")),
        "first": {"product": first["codigo"], "expiry": first["vencimiento"]} if first else None})

    # incidents
    found = bundle.csv("incidencias.csv")
    pending = sum(1 for i in found if i["reportado"] != "1")
    kinds: dict[str, int] = defaultdict(int)
    for i in found:
        kinds[i["tipo"]] += 1
    sections["incidencias"] = Section("incidencias", _rating(by_section["incidencias"],
                                                             "revisar" if pending else "bien"), {
        "incidents": len(found), "kinds": dict(kinds), "children_affected": m.children_affected,
        "not_reported": pending})

    # money
    treasury = bundle.json("tesoreria.json")
    if treasury.get("manages_money"):
        facts = {"manages_money": True, "state": treasury.get("state"), "transferred": treasury["transferred"],
                 "spent": treasury["spent"], "balance": treasury["balance"], "bank": treasury["bank"],
                 "cash": treasury["cash"]}
        base = "no_cuadra" if Decimal(treasury["cash"]) < 0 else "bien"
    else:
        facts, base = {"manages_money": False}, "bien"
    sections["dinero"] = Section("dinero", _rating(by_section["dinero"], base), facts)

    # closing
    sections["cierre"] = Section("cierre", _rating(by_section["cierre"]), {
        "closed": bool(man.get("closed")), "verification_code": export.verification_code(code) if code else None,
        "journal_ok": bundle.chain.ok if bundle.chain is not None else None})

    sections = {name: sections[name] for name in SECTIONS if name in sections}
    order = {name: i for i, name in enumerate(SECTIONS)}
    flags.sort(key=lambda f: order.get(flag_kind(f.code).section, 99))
    complete = all(s.rating != "incompleto" for s in sections.values())
    return MonthReview(man["month"], today, complete, sections, flags, bundle, code, m)
