"""Supervisor mode: load committees' monthly bundles (each verified first) into a supervisor
database, and the per-school, per-month summary with its anomaly flags.

Figures come from the verified journal where it holds them (services, enrolment, money, incidents)
and from the bundle's files covered by the bundle code (calendar, compliance, lots, movements).
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import String, bindparam, delete, insert, select, type_coerce, update

from ..domain.committee import code_history, serves_lunch
from ..domain.flags import Flag, catalogue, flag_kind, threshold, word
from ..domain.stock import ADJUSTMENT_REASONS, deviation_percent
from ..errors import InvalidInput, QaliwarmaError
from ..i18n import _
from ..io.bundle import CLOSING_KIND, Anchor, Bundle, BundleRefused, Opened, open_bundle, verify_opened
from ..persistence.engine import Database
from ..persistence.models import SupBundle, SupFlag, SupSchoolMonth


def flag_label(code: str) -> str:
    """A flag's title (``resources/checks/flags.toml``)."""
    return flag_kind(code).title


#: every flag's Spanish title by code, as flags.toml words it (tests and callers that need the Spanish)
FLAG_LABELS = {code: kind.spanish["title"] for code, kind in catalogue().items()}


@dataclass
class ImportResult:
    path: str
    status: str  # importado | sin_cambios | reemplazado | restablecido | rechazado
    message: str
    codigo_modular: str = ""
    month: str = ""
    # where a refused bundle is wrong, as fields (io.bundle.BundleRefused.problem): the file inside the
    # bundle, its row (the journal's entry number for journal.jsonl) and the column
    part: str = ""
    row: int | None = None
    field: str = ""


@dataclass
class Metrics:
    enrolment: int = 0
    levels: dict[str, int] = field(default_factory=dict)
    school_days: int = 0
    days_with_service: int = 0
    rations: int = 0
    school_day_rations: int = 0  # rations served on school days (a service on a day without classes is a flag)
    compliance_rate: float | None = None
    lots_near_expiry: int = 0
    incidents: int = 0
    children_affected: int = 0
    transferred: Decimal = Decimal("0.00")
    spent: Decimal = Decimal("0.00")
    balance: Decimal = Decimal("0.00")
    flags: list[Flag] = field(default_factory=list)
    rations_per_meal: float = 0.0  # average rations served per day × meal, all levels
    meals: int = 1  # meals a day the school serves (breakfast; lunch too in quintiles 1–2)
    expected_rations: int = 0  # enrolment × school days × meals
    missing_days: list[str] = field(default_factory=list)  # past school days without a record
    days_to_come: list[str] = field(default_factory=list)  # school days after the export's day

    @property
    def rations_pct(self) -> Decimal | None:
        """Rations served over rations expected, in % (one decimal): the figure the committee's
        report and the supervisor's summary both print."""
        if not self.expected_rations:
            return None
        return (Decimal(self.school_day_rations) * 100 / Decimal(self.expected_rations)).quantize(Decimal("0.1"))


def _latest_levels(journal: list[dict]) -> dict[str, int]:
    levels: dict[str, int] = {}
    for row in journal:
        if row["kind"] in ("comite.registro", "comite.cambio"):
            levels = {lv["level"]: int(lv["enrolment"]) for lv in json.loads(row["payload"])["levels"]}
    return levels


#: what measure() reads from the entries before the month (levels and members, reversals, expenses); with
#: the entries dated in the month, they are the only entries of the history it needs (Bundle.journal_with)
_MEASURED = (b"comite.", b"tesoreria.gasto", b"reversal")
#: what the readers of a bundle look for in its history (measure, the closings, the code's corrections — in
#: «comite.» — and the escapes that could hide them): kept with each bundle imported (sup_bundles.history),
#: so that the school's next bundle, which starts with the same bytes, is not searched again
_KEPT = (*_MEASURED, CLOSING_KIND.encode(), b"\\u")


def measure(bundle: Bundle) -> Metrics:
    """The figures and anomaly flags of one school × month (flags with their facts as fields,
    ``domain.flags``): the committee's monthly summary and the supervisor's see the same ones."""
    m = Metrics()
    manifest = bundle.manifest
    start, end = date.fromisoformat(manifest["month_start"]), date.fromisoformat(manifest["month_end"])
    today = manifest.get("reviewed_on") or manifest["exported_at"][:10]
    journal = bundle.journal_with(*_MEASURED, dated=(start, end))
    m.levels = _latest_levels(journal)
    m.enrolment = sum(m.levels.values())
    quintile = manifest.get("committee", {}).get("quintile")
    m.meals = 2 if quintile is not None and serves_lunch(int(quintile)) else 1
    reversed_ = {r["corrects_seq"] for r in journal if r["correction_type"] == "reversal"}
    first_day, last_day = start.isoformat(), end.isoformat()
    live = [r for r in journal if r["correction_type"] is None and r["seq"] not in reversed_
            and first_day <= r["entry_date"] <= last_day]
    school_days = set(bundle.json("calendario.json")["school_days"])
    m.school_days = len(school_days)
    m.expected_rations = m.enrolment * m.school_days * m.meals
    service_days, service_seqs = set(), set()
    service_meals: set[tuple[str, str]] = set()
    issue_meals: dict[int, tuple[str, str]] = {}  # recorded issues to the kitchen: seq → (day, meal)
    per_meal: dict[tuple[str, str], int] = defaultdict(int)
    for r in live:
        p = bundle.payload(r)
        if r["kind"] == "servicio":
            service_days.add(p["day"])
            service_seqs.add(r["seq"])
            service_meals.add((p["day"], p["meal"]))
            m.rations += int(p["rations"])
            if p["day"] in school_days:
                m.school_day_rations += int(p["rations"])
            per_meal[(p["day"], p["meal"])] += int(p["rations"])
            enrolled = m.levels.get(p["level"], 0)
            if int(p["rations"]) > enrolled:
                m.flags.append(Flag("raciones_sobre_matricula", {
                    "day": p["day"], "meal": p["meal"], "level": p["level"], "rations": int(p["rations"]),
                    "enrolled": enrolled}))
            if p["day"] not in school_days:
                m.flags.append(Flag("servicio_dia_no_lectivo", {"day": p["day"], "meal": p["meal"],
                                                                "level": p["level"]}))
        elif r["kind"] == "stock.salida":
            issue_meals[r["seq"]] = (p["day"], p["meal"])
        elif r["kind"] == "incidencia":
            m.incidents += 1
            m.children_affected += int(p.get("children_affected", 0))
            if p.get("kind") == "ninos_enfermos":
                facts = {"day": p["day"], "children": int(p.get("children_affected", 0))}
                if p.get("meal"):
                    facts["meal"] = p["meal"]
                m.flags.append(Flag("incidencia_ninos", facts))
    m.days_with_service = len(service_days & school_days)  # school days only: «22 de 21» made no sense
    m.rations_per_meal = (sum(per_meal.values()) / len(per_meal)) if per_meal else 0.0
    m.missing_days = sorted(d for d in school_days if d not in service_days and d < today)
    m.days_to_come = sorted(d for d in school_days if d not in service_days and d >= today)
    if m.missing_days:
        m.flags.append(Flag("dias_sin_registro", {"count": len(m.missing_days), "days": m.missing_days}))
    if m.days_to_come:
        m.flags.append(Flag("dias_por_llegar", {"count": len(m.days_to_come), "days": m.days_to_come}))
    counted = any(r["kind"] == "stock.conteo" for r in live)
    if school_days and max(school_days) < today and not counted and bundle.csv("lotes.csv"):
        m.flags.append(Flag("conteo_pendiente", {"since": max(school_days), "until": manifest["month_end"]}))
    planned = {(p["fecha"], p["comida"], p["nivel"]) for p in bundle.csv("plan.csv")}
    meals = ("desayuno", "almuerzo")[:m.meals]
    unplanned = [(d, meal, lv) for d in sorted(school_days) for meal in meals for lv in sorted(m.levels)
                 if (d, meal, lv) not in planned]
    if unplanned:  # a day with some meal or level unplanned is never «bien»
        m.flags.append(Flag("menu_incompleto", {"count": len(unplanned),
                                                "days": sorted({d for d, _unused, _unused in unplanned})}))
    for mv in bundle.csv("movimientos.csv"):
        seq = int(mv["asiento"])
        if mv["tipo"] == "ajuste" and Decimal(mv["gramos"]) < 0 and seq not in reversed_:
            if mv["motivo"] == COUNT_REASON:
                m.flags.append(Flag("conteo_diferencia", {"day": mv["fecha"], "product": mv["codigo"],
                                                          "lot_id": int(mv["lote_id"]),
                                                          "difference_g": str(-Decimal(mv["gramos"]))}))
            else:
                reason = mv["motivo"] + (f": {mv['referencia']}" if mv.get("referencia") else "")
                m.flags.append(Flag("merma", {"day": mv["fecha"], "product": mv["codigo"],
                                              "grams_g": str(-Decimal(mv["gramos"])), "reason": reason}))
        if mv["tipo"] != "salida":
            continue
        seq = int(mv["asiento"])
        justified = seq in service_seqs or (seq in issue_meals and issue_meals[seq] in service_meals)
        if not justified and seq not in reversed_:
            m.flags.append(Flag("alimentos_sin_raciones", {"day": mv["fecha"], "product": mv["codigo"],
                                                           "grams_g": str(abs(Decimal(mv["gramos"])))}))
        if mv["vencimiento"] and mv["vencimiento"] < mv["fecha"]:
            m.flags.append(Flag("lote_vencido_usado", {"day": mv["fecha"], "product": mv["codigo"],
                                                       "lot_id": int(mv["lote_id"]), "expiry": mv["vencimiento"]}))
    for y in bundle.csv("rendimiento.csv"):
        if y["alerta"] == "1":
            m.flags.append(Flag("rendimiento", _yield_facts(y)))
    if "raciones_recibidas.csv" in bundle.files:  # raciones modality: received vs served + left over
        for b in bundle.csv("raciones_recibidas.csv"):
            if int(b["diferencia"]) != 0:
                m.flags.append(Flag("raciones_sin_cuadrar", {
                    "day": b["fecha"], "meal": b.get("comida", ""), "level": b["nivel"],
                    "accepted": int(b["aceptadas"]), "served": int(b["servidas"]), "leftovers": int(b["sobras"])}))
    m.lots_near_expiry = len(bundle.csv("por_vencer.csv"))
    compliance = bundle.json("cumplimiento.json")["summary"]
    m.compliance_rate = (compliance["ok"] / compliance["entries"]) if compliance["entries"] else None
    treasury = bundle.json("tesoreria.json")
    if treasury.get("manages_money"):
        m.transferred, m.spent = Decimal(treasury["transferred"]), Decimal(treasury["spent"])
        m.balance = Decimal(treasury["balance"])
        for h in treasury["headings"]:
            if Decimal(h["balance"]) < 0:
                m.flags.append(Flag("rubro_sobregirado", {"heading": h["name"], "balance": h["balance"]}))
    m.flags.extend(_treasury_flags(journal, reversed_, start, end, bundle.csv("lotes.csv")))
    for c in code_history(journal):  # the school's código modular corrected this month: check it in ESCALE
        if start.isoformat() <= c.day <= end.isoformat():
            m.flags.append(Flag("codigo_corregido", {"day": c.day, "old": c.old, "new": c.new, "reason": c.reason}))
    if not manifest.get("closed"):
        m.flags.append(Flag("mes_sin_cerrar", {}))
    else:
        m.flags.extend(_seal_flags(bundle, journal, manifest["month"]))
    return m


def _seal_flags(bundle: Bundle, journal: list[dict], month: str) -> list[Flag]:
    """The bundle's menu (plan.csv) and school days (calendario.json) against the seal the month's closing entry
    put on them (``domain.seal``): a package built after a closed month's menu or calendar was changed outside
    the application says so, day by day, whether or not the paper report is at hand."""
    from ..domain.seal import SEAL_KEY, differences, is_seal, make_seal

    closing = [r for r in journal if r["kind"] == CLOSING_KIND and isinstance(bundle.payload(r), dict)
               and bundle.payload(r).get("month") == month]
    if not closing:
        return []
    from .export import FILES_KEY

    kept = bundle.payload(closing[-1]).get(FILES_KEY)
    flags = []
    if isinstance(kept, dict):  # the files the closing kept, by SHA-256: the bundle must carry the very same
        other = sorted(name for name, digest in kept.items()
                       if name not in bundle.files or hashlib.sha256(bundle.files[name]).hexdigest() != digest)
        if other:
            flags.append(Flag("archivos_tras_cierre", {"count": len(other), "files": ", ".join(other),
                                                       "seq": closing[-1]["seq"]}))
    sealed = bundle.payload(closing[-1]).get(SEAL_KEY)
    if not is_seal(sealed):
        return flags  # closed before closings sealed the month: nothing more to compare with
    cells = [(r["fecha"], r["comida"], r["nivel"], r["preparacion"], r["plan"]) for r in bundle.csv("plan.csv")]
    found = differences(sealed, make_seal(cells, bundle.json("calendario.json")["school_days"]))
    if found.menu_days:
        flags.append(Flag("menu_tras_cierre", {"count": len(found.menu_days), "days": list(found.menu_days),
                                               "seq": closing[-1]["seq"]}))
    changed = sorted(found.school_days_added + found.school_days_removed)
    if changed:
        flags.append(Flag("dias_de_clase_tras_cierre", {"count": len(changed), "days": changed,
                                                        "seq": closing[-1]["seq"]}))
    return flags


def _plain_name(name: str) -> str:
    """A business name without case, spaces or punctuation: «Gas S.A.C.» and «GAS SAC» are one name."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def _member_dni(party_id: str) -> str:
    """The DNI inside a RUC of a person (10 + DNI + check digit); a DNI as it is."""
    party_id = party_id.strip()
    return party_id[2:10] if len(party_id) == 11 and party_id.startswith("10") else party_id


_PARTY_ID, _PARTY_NAME, _DAY, _NO_ITEMS = '"party_id":"', ',"party_name":"', '"day":"', '"items":[]'


def _party(payload: str, day: str) -> tuple[str, str] | None:
    """(RUC or DNI, business name) of an expense dated ``day``, read from its payload's text without parsing
    it: the payload as the journal writes it (canonical JSON: sorted keys, no spaces, so the name right
    after the RUC) with plain values. None when the text is anything else (read it whole then): a key
    written twice or not as expected, another day, a value with an escape (``\\``)."""
    if payload.count(_PARTY_ID) != 1 or payload.count(_DAY) != 1 or f'{_DAY}{day}"' not in payload:
        return None
    start = payload.index(_PARTY_ID) + len(_PARTY_ID)
    stop = payload.find('"', start)  # the RUC's closing quote, the name's key right after it
    if not payload.startswith(_PARTY_NAME, stop + 1):
        return None
    name_start = stop + 1 + len(_PARTY_NAME)
    party_id, name = payload[start:stop], payload[name_start:payload.find('"', name_start)]
    if "\\" in party_id or "\\" in name:
        return None
    return party_id, name


def _treasury_flags(journal: list[dict], reversed_: set, start: date, end: date, lots: list[dict]) -> list[Flag]:
    """The treasury's red flags of the month, read from the journal: one RUC under several business
    names, payments to a member of the committee, food bought that expired in the month unused.

    Only the month's expenses are parsed whole. Of the expenses before it, the RUC and the name are read
    from the payload's text (``_party``), and the purchased items only when a lot bought may have expired
    in the month: a year of receipts costs the report of December little more than that of March."""
    flags: list[Flag] = []
    members: dict[str, dict] = {}
    lo, hi = start.isoformat(), end.isoformat()
    # the lots a purchase may have left to expire in the month (product, lot, expiry)
    due = {(lot["codigo"], lot["lote"], lot["vencimiento"]) for lot in lots
           if lo <= lot["vencimiento"] < hi and Decimal(lot["saldo_fin_de_mes_g"]) > 0}
    in_month: list[dict] = []
    names: dict[str, dict[str, str]] = defaultdict(dict)  # RUC → plain name → as first written
    seen: set[tuple[str, str]] = set()
    bought = {}  # (product, lot, expiry) → the receipt that bought it
    for r in journal:
        if r["correction_type"] is not None or r["seq"] in reversed_:
            continue
        if r["kind"] in ("comite.registro", "comite.cambio"):  # the members as last written (like the levels)
            members = {m["dni"]: m for m in json.loads(r["payload"]).get("members", [])}
            continue
        if r["kind"] != "tesoreria.gasto" or r["entry_date"] > hi:
            continue
        payload, party = r["payload"], None
        if not lo <= r["entry_date"] and (not due or _NO_ITEMS in payload):
            party = _party(payload, r["entry_date"])
        if party is None:
            e = json.loads(payload)
            party = (e["party_id"], e["party_name"])
            if lo <= e["day"] <= hi:
                in_month.append(e)
            for item in e.get("items") or ():
                if item.get("expiry"):
                    bought[(item["food_code"], item.get("lot") or f"COMPRA-{e['doc_number']}", item["expiry"])] = e
        if party not in seen:  # the same RUC and name again: nothing new to learn
            seen.add(party)
            names[party[0]].setdefault(_plain_name(party[1]), party[1].strip())
    for ruc in sorted({e["party_id"] for e in in_month}):
        if len(names[ruc]) > 1:
            flags.append(Flag("ruc_varios_nombres", {"ruc": ruc, "count": len(names[ruc]),
                                                     "names": " / ".join(sorted(names[ruc].values()))}))
    for e in in_month:
        member = members.get(_member_dni(e["party_id"]))
        if member is not None:
            flags.append(Flag("pago_a_miembro", {
                "day": e["day"], "member": member["name"], "role": member["role"], "dni": member["dni"],
                "amount": str(Decimal(str(e["amount"]))), "heading": e["heading"], "detail": e["detail"]}))
    for lot in lots:
        e = bought.get((lot["codigo"], lot["lote"], lot["vencimiento"]))
        if (e is not None and start.isoformat() <= lot["vencimiento"] < end.isoformat()
                and Decimal(lot["saldo_fin_de_mes_g"]) > 0):
            flags.append(Flag("compra_vencida", {
                "product": lot["codigo"], "lot": lot["lote"], "expiry": lot["vencimiento"],
                "left_g": lot["saldo_fin_de_mes_g"], "receipt": f"{e['doc_type']} {e['doc_number']}",
                "bought": e["day"]}))
    return flags


COUNT_REASON = ADJUSTMENT_REASONS["diferencia_conteo"]


def _yield_facts(y: dict) -> dict:
    """A ``rendimiento.csv`` row as the facts of its flag (the days column is newer: may be absent)."""
    expected, issued = Decimal(y["esperado_g"]), Decimal(y["salio_g"])
    facts = {"product": y["codigo"], "expected_g": str(expected), "issued_g": str(issued),
             "difference_g": str(issued - expected)}
    if y.get("desvio"):
        facts["deviation_pct"] = str(deviation_percent(expected, issued))
    facts["days"] = (y.get("dias") or "").split()
    by_day = []
    for item in (y.get("dias_gramos") or "").split():
        day, _unused, figures = item.partition("=")
        exp, _unused, out = figures.partition("/")
        by_day.append({"day": day, "expected_g": exp, "issued_g": out})
    facts["by_day"] = by_day
    facts["threshold_pct"] = str(threshold("rendimiento", "threshold_pct"))
    return facts


#: bundles imported in one transaction: a commit per bundle waited for the disk as long as the rest of the
#: import took. A batch's bundles are read before the first is stored (what the supervisor holds of their
#: schools is then read at once), so a batch also stops at BATCH_BYTES of files: memory stays bounded
#: whatever the journals' length.
BATCH = 100
BATCH_BYTES = 32 * 1024 * 1024


def import_bundles(db: Database, paths: list[Path]) -> list[ImportResult]:
    """Import each bundle on its own: a refused one changes nothing and does not stop the others.

    Each bundle is verified from the last entry of its school verified here (``Anchor``: the journal
    bytes verified then must be where the new journal starts). Up to ``BATCH`` bundles share one
    transaction: what the supervisor holds of their schools is read in one query, and the new months'
    rows are written together; a bundle that replaces or restores one is stored in its own savepoint."""
    results: list[ImportResult] = []
    for batch in _batches(paths):
        with db.atomic() as unit, unit.session() as s:
            results += _Batch(s).run(batch)
    if not db.is_sqlite and sum(r.status == "importado" for r in results) >= BATCH:
        _refresh_statistics(db)
    return results


def _refresh_statistics(db: Database) -> None:
    """PostgreSQL's statistics of the summary's table brought up to date after many new months, so that it
    reads a year in the order of its index (ix_sup_school_months_rank) instead of sorting 10,000 rows with
    their flags on disk, as it did from a table never analysed (PostgreSQL's advice after a bulk load;
    autovacuum may not have come round yet, or be off). Best effort: an owner's right it may lack."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from ..errors import DatabaseBusy

    try:
        with db.session() as s:
            s.execute(text("ANALYZE sup_school_months"))
    except (DBAPIError, DatabaseBusy):  # the server busy or the right lacking: the summary still works, sorted
        pass


def _batches(paths):
    """The paths in batches of at most BATCH files and BATCH_BYTES (a larger file alone)."""
    batch, size = [], 0
    for path in paths:
        try:
            n = Path(path).stat().st_size
        except (OSError, TypeError, ValueError):
            n = 0  # not readable: refused when opened
        if batch and (len(batch) >= BATCH or size + n > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(path)
        size += n
    if batch:
        yield batch


@dataclass(frozen=True)
class _Held:
    """A bundle of the school held here (the columns the import needs)."""

    id: int
    codigo_modular: str
    month: str
    bundle_code: str
    exported_at: str
    entries: int
    head: str | None
    closed: bool | None
    current: bool
    journal_sha: str | None
    journal_size: int | None
    refused_reason: str | None
    checkpoints: str | None
    history: str | None


# The import's statements, built once (a statement built per bundle cost more than running it).
_BUNDLES, _MONTHS, _FLAGS = SupBundle.__table__, SupSchoolMonth.__table__, SupFlag.__table__
_SELECT_HELD = (select(*[_BUNDLES.c[f] for f in _Held.__dataclass_fields__])
                .where(_BUNDLES.c.chain_id == bindparam("chain")).order_by(_BUNDLES.c.entries, _BUNDLES.c.id))
_MONTH_COLUMNS = ("bundle_id", "school_name", "ugel", "region", "district", "quintile", "enrolment", "school_days",
                  "days_with_service", "rations", "rations_vs_enrolment", "compliance_rate", "lots_near_expiry",
                  "incidents", "children_affected", "transferred", "spent", "treasury_balance", "closed",
                  "flag_count", "flags")
_UPDATE_MONTH = (update(_MONTHS).where(_MONTHS.c.codigo_modular == bindparam("k_code"),
                                       _MONTHS.c.month == bindparam("k_month"))
                 .values(replacements=_MONTHS.c.replacements + 1, **{c: bindparam(c) for c in _MONTH_COLUMNS}))
_DELETE_FLAGS = delete(_FLAGS).where(_FLAGS.c.codigo_modular == bindparam("k_code"),
                                     _FLAGS.c.month == bindparam("k_month"))
_SET_ASIDE = (update(_BUNDLES).where(_BUNDLES.c.id == bindparam("k_id"))
              .values(current=bindparam("current"), replaced_by=bindparam("replaced_by"),
                      refused_reason=bindparam("refused_reason")))
_INSERT_BUNDLE, _INSERT_MONTH, _INSERT_FLAG = insert(_BUNDLES), insert(_MONTHS), insert(_FLAGS)
_REPLACED = (update(_BUNDLES).where(_BUNDLES.c.id == bindparam("k_id"))
             .values(current=False, replaced_by=bindparam("replaced_by")))


_RECODE = [update(t).where(t.c.codigo_modular == bindparam("k_old")).values(codigo_modular=bindparam("new"))
           for t in (_MONTHS, _FLAGS)]
_RECODE_BUNDLES = (update(_BUNDLES).where(_BUNDLES.c.chain_id == bindparam("k_chain"))
                   .values(codigo_modular=bindparam("new")))


def _held(s, chain: str) -> list[_Held]:
    """The bundles of one chain held here (a school under every código modular it had)."""
    return [_Held(*row) for row in s.connection().execute(_SELECT_HELD, {"chain": chain})]


_SELECT_HELD_MANY = (select(*[_BUNDLES.c[f] for f in _Held.__dataclass_fields__], _BUNDLES.c.chain_id)
                     .where(_BUNDLES.c.chain_id.in_(bindparam("chains", expanding=True)))
                     .order_by(_BUNDLES.c.entries, _BUNDLES.c.id))
_SELECT_GENESIS = (select(_BUNDLES.c.genesis, _BUNDLES.c.chain_id, _BUNDLES.c.codigo_modular)
                   .where(_BUNDLES.c.genesis.in_(bindparam("genesis", expanding=True))))
_INSERT_BUNDLES = insert(_BUNDLES).returning(_BUNDLES.c.id, sort_by_parameter_order=True)


def _anchors(held: list[_Held]) -> list[Anchor]:
    """The chain's bundles verified here (not one set aside), as anchors to verify a new bundle from."""
    return [Anchor(b.entries, b.head, b.journal_sha, b.journal_size, b.history) for b in held
            if b.head is not None and b.refused_reason is None]


class _Batch:
    """Up to BATCH bundles imported in one session (a savepoint inside import_bundles' transaction).

    What the supervisor holds of the batch's chains (their bundles, and the bundles whose first entry is
    one of theirs) is read in two queries before the first bundle. New months are written together at
    the end (or before the database is read again for a chain already stored in the batch); a bundle
    that changes rows already held (a replacement, a code corrected, going back) is written at once in
    its own savepoint. Nothing is written for a bundle before all its rows are built, so one that turns
    out malformed changes nothing."""

    def __init__(self, s) -> None:
        self.s, self.conn = s, s.connection()
        self.held: dict[str, list[_Held]] = {}
        self.touched: set[str] = set()  # chains stored in this batch (their held bundles changed)
        self.pending: list[tuple[dict, dict, list[dict]]] = []  # (bundle row, month row, flag rows)
        self.genesis: dict[str, list[tuple[str, str]]] = defaultdict(list)  # → [(chain_id, codigo_modular)]
        self.genesis_exact = True  # False once a code was corrected: then ask the database
        self.looked_up: set[str] = set()  # the first entries whose bundles were read before the batch

    def run(self, paths: list[Path]) -> list[ImportResult]:
        opened: list = []
        for path in paths:
            try:
                opened.append(open_bundle(path))
            except BundleRefused as exc:
                opened.append(_refused_result(path, exc))
            except QaliwarmaError as exc:
                opened.append(ImportResult(str(path), "rechazado", exc.message))
            except _MALFORMED as exc:
                opened.append(_malformed(path, exc))
            except _damaged() as exc:
                opened.append(_damaged_result(path, exc))
        ready = [o for o in opened if isinstance(o, Opened)]
        chains = sorted({o.chain_id for o in ready if o.chain_id})
        for chain in chains:
            self.held[chain] = []
        if chains:
            for row in self.conn.execute(_SELECT_HELD_MANY, {"chains": chains}):
                self.held[row[-1]].append(_Held(*row[:-1]))
        firsts = {g for g in (_fingerprint(o) for o in ready) if g is not None}
        self.looked_up = firsts
        if firsts:
            for genesis, chain, code in self.conn.execute(_SELECT_GENESIS, {"genesis": sorted(firsts)}):
                self.genesis[genesis].append((chain, code))
        results = [o if isinstance(o, ImportResult) else self._one(o) for o in opened]
        self._flush()
        return results

    def _held_of(self, chain: str) -> list[_Held]:
        if chain in self.touched or chain not in self.held:  # stored in this batch: read it again
            self._flush()
            self.held[chain] = _held(self.s, chain)
            self.touched.discard(chain)
        return self.held[chain]

    def _other_school(self, genesis: str, chain: str) -> str | None:
        if not self.genesis_exact or genesis not in self.looked_up:  # not read before: ask the database
            self._flush()
            return self.s.scalar(select(SupBundle.codigo_modular).where(SupBundle.genesis == genesis,
                                                                        SupBundle.chain_id != chain).limit(1))
        return next((code for other, code in self.genesis.get(genesis, ()) if other != chain), None)

    def _one(self, opened: Opened) -> ImportResult:
        path = opened.path
        try:
            chain = opened.chain_id
            held = self._held_of(chain) if chain else []
            try:
                bundle = verify_opened(opened, _anchors(held))
            except BundleRefused as exc:
                return _refused_result(path, exc)
            except QaliwarmaError as exc:
                return ImportResult(str(path), "rechazado", exc.message)
            plan = _plan(self, bundle, held)
            if isinstance(plan, ImportResult):
                return plan
            result, rows = plan
            if rows is None:  # rows already held change: written at once, in its own savepoint
                self._flush()
                self.genesis_exact = False
                with self.s.begin_nested():
                    result = _store(self.s, bundle, held)
        except _MALFORMED as exc:
            return _malformed(path, exc)
        except _damaged() as exc:
            return _damaged_result(path, exc)
        if rows is not None:  # a new month: written with the batch's
            self.pending.append(rows)
        self.touched.add(chain)
        genesis = genesis_fingerprint(bundle.entry(1))
        if genesis is not None:
            self.genesis[genesis].append((chain, result.codigo_modular))
        return result

    def _flush(self) -> None:
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        ids = self.conn.execute(_INSERT_BUNDLES, [b for b, _m, _f in pending]).scalars().all()
        self.conn.execute(_INSERT_MONTH, [{**m, "bundle_id": i} for (_b, m, _f), i in zip(pending, ids, strict=True)])
        flags = [f for _b, _m, fs in pending for f in fs]
        if flags:
            self.conn.execute(_INSERT_FLAG, flags)


#: content that is not what the application writes, although its hashes match: refused, nothing stored
_MALFORMED = (KeyError, ValueError, TypeError, IndexError, AttributeError)


def _malformed(path: Path, exc: BaseException) -> ImportResult:
    return ImportResult(str(path), "rechazado", _("el paquete está mal formado ({exc!r})").format(exc=exc))


def _damaged_result(path: Path, exc: BaseException) -> ImportResult:
    return ImportResult(str(path), "rechazado", _(
        "el paquete está dañado o fue alterado ({why}); no se cargó nada de él.").format(
        why=f"{type(exc).__name__}: {exc}"))


def _refused_result(path: Path, exc: BundleRefused) -> ImportResult:
    """The result names its file apart, and where inside it as fields."""
    p = exc.problem
    return ImportResult(str(path), "rechazado", str(p), part=p.part or "", row=p.row, field=p.field or "")


def _fingerprint(opened: Opened) -> str | None:
    try:
        return genesis_fingerprint(opened.first_entry())
    except _MALFORMED:
        return None


def chain_of(manifest: dict) -> str:
    """The chain's identity a bundle's journal is hashed with (older bundles: their código modular)."""
    school = manifest.get("committee") or {}
    return school.get("chain_id") or school.get("codigo_modular", "")


def genesis_fingerprint(first: dict | None) -> str | None:
    """The chain's first entry without the school's code and hashes: a chain copied from another school
    and re-hashed under this school's code keeps it."""
    if not first:
        return None
    text = json.dumps([first.get(k) for k in ("kind", "entry_date", "payload", "user", "recorded_at")],
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _anchor_refusal(other_school, bundle: Bundle, held: list[_Held], current: _Held | None) -> str | None:
    """Why a verified bundle cannot be taken, given the bundles already held (the anchors), or None.

    - its chain must continue every earlier bundle of the school held here (same hash at the same
      entry number), so rewritten history is refused naming the entry that differs;
    - it must not be shorter than a bundle of the same month already held, nor open when that one
      is closed (an older or open bundle never replaces a closed one, whatever its export date says);
    - its first entry must not be another school's (a chain copied and re-hashed under this code):
      ``other_school(genesis, chain)`` gives the code of a school of another chain whose first entry has
      that fingerprint, or None."""
    man = bundle.manifest
    code, month, chain = man["committee"]["codigo_modular"], man["month"], chain_of(man)
    entries = bundle.chain.entries
    genesis = genesis_fingerprint(bundle.entry(1))
    if genesis is not None:
        other = other_school(genesis, chain)
        if other is not None:
            return (_("su diario es el del comité {other} con otro código modular ({code}): una cadena copiada y vuelta a sellar no se acepta.").format(other=other, code=code))
    last_good = 0
    for b in held:
        if b.head is None or b.refused_reason is not None:
            continue
        if b.entries <= entries:
            # a journal that starts with that bundle's very bytes has its last entry at n.º b.entries (its head)
            if (b.entries and not bundle.starts_with(b.journal_sha, b.journal_size)
                    and (bundle.entry(b.entries) or {}).get("hash") != b.head):
                # only that bundle's last entry is held here: the first entry changed is somewhere up to it, and the
                # committee's `verify --anchor` names it («último asiento bueno comprobado: n.º 0» read as «entry 0»)
                return (_("su diario no continúa el del paquete de {month} ya importado: el asiento n.º {entries} es "
                          "distinto, así que algún asiento hasta el n.º {entries} fue cambiado{since}. La historia fue "
                          "reescrita: en el comité, «qaliwarma verify --anchor» nombra el primero.").format(
                    month=b.month, entries=b.entries,
                    since=_(" (hasta el n.º {n} coincide con otro paquete ya importado)").format(n=last_good)
                    if last_good else ""))
            last_good = max(last_good, b.entries)
        elif b.month != month and b.checkpoints and str(entries) in json.loads(b.checkpoints):
            # a later month's bundle holds this one's closing entry: this journal must end with its hash
            if json.loads(b.checkpoints)[str(entries)] != bundle.chain.head:
                return _("su diario no es el que contiene el paquete de {month} ya importado: el asiento n.º "
                         "{entries} (el cierre del mes) es distinto. La historia fue reescrita.").format(
                    month=b.month, entries=entries)
        elif b.month == month:
            return (_("su diario llega al asiento n.º {entries} y el paquete de {month} ya importado llega al n.º {entries2}: un paquete más corto (más antiguo) no reemplaza al importado.").format(entries=entries, month=month, entries2=b.entries))
    if current is not None and current.closed and not man.get("closed"):
        return _("el mes {month} ya se importó cerrado: un paquete con el mes abierto no lo reemplaza.").format(month=month)
    return None


def _same_journal(a: _Held, bundle: Bundle) -> bool:
    return a.entries == bundle.chain.entries and a.head == bundle.chain.head


def _decide(bundle: Bundle, held: list[_Held], other_school) -> ImportResult | tuple[str, _Held | None, _Held | None]:
    """What a verified bundle is, given the chain's bundles held here: a result that writes nothing (already
    imported, refused), or (the school's code, the month's current bundle, the same bundle held before)."""
    man = bundle.manifest
    code, month = man["committee"]["codigo_modular"], man["month"]
    path = str(bundle.path)
    latest = max(held, key=lambda b: b.entries, default=None)
    if latest is not None and latest.entries > bundle.chain.entries:
        code = latest.codigo_modular  # an older bundle: the school keeps the code its newest bundle says
    current = next((b for b in held if b.month == month and b.current), None)
    again = next((b for b in held if b.bundle_code == man["bundle_code"]), None)
    if again is not None and again.refused_reason is not None:
        return ImportResult(path, "rechazado", again.refused_reason, code, month)
    if again is not None and (again.current or current is None or not _same_journal(current, bundle)):
        note = _("ya estaba importado") if again.current else _(
            "ya estaba importado; lo reemplazó el paquete exportado el {exported_at}, que continúa su diario").format(
            exported_at=current.exported_at if current else "?")
        return ImportResult(path, "sin_cambios", note, code, month)
    refusal = _anchor_refusal(other_school, bundle, held, current)
    if refusal is not None:
        return ImportResult(path, "rechazado", refusal, code, month)
    return code, current, again


def _bundle_row(bundle: Bundle, code: str) -> dict:
    man = bundle.manifest
    return dict(
        codigo_modular=code, month=man["month"], bundle_code=man["bundle_code"], exported_at=man["exported_at"],
        imported_at=datetime.now(), file_name=Path(bundle.path).name, entries=man["journal"]["entries"], current=True,
        head=bundle.chain.head, closed=bool(man.get("closed")), genesis=genesis_fingerprint(bundle.entry(1)),
        journal_sha=man["files"]["journal.jsonl"], journal_size=len(bundle.files["journal.jsonl"]),
        chain_id=chain_of(man),
        checkpoints=json.dumps({str(r["seq"]): r["hash"] for r in bundle.journal_with(CLOSING_KIND.encode())
                                if r.get("kind") == CLOSING_KIND}, sort_keys=True),
        history=bundle.history(_KEPT))


def _month_values(bundle: Bundle, m: Metrics, bundle_id: int | None) -> dict:
    man, school = bundle.manifest, bundle.manifest["committee"]
    return dict(
        bundle_id=bundle_id, school_name=school["school_name"], ugel=school["ugel"], region=school["region"],
        district=school["district"], quintile=school["quintile"], enrolment=m.enrolment,
        school_days=m.school_days, days_with_service=m.days_with_service, rations=m.rations,
        rations_vs_enrolment=((m.school_day_rations / m.expected_rations) if m.expected_rations and m.school_day_rations
                              else None),
        compliance_rate=m.compliance_rate, lots_near_expiry=m.lots_near_expiry, incidents=m.incidents,
        children_affected=m.children_affected, transferred=m.transferred, spent=m.spent,
        treasury_balance=m.balance, closed=bool(man.get("closed")), flag_count=len(m.flags),
        flags=json.dumps([[f.code, f.facts] for f in m.flags], ensure_ascii=False, sort_keys=True,
                         separators=(",", ":")))


def _flag_rows(code: str, month: str, m: Metrics) -> list[dict]:
    return [dict(codigo_modular=code, month=month, kind=f.code, detail=word(f),
                 facts=json.dumps(f.facts, ensure_ascii=False, sort_keys=True)) for f in m.flags]


def _plan(batch: _Batch, bundle: Bundle, held: list[_Held]):
    """A bundle of a month not held yet: (its result, its rows) to be written with the batch's. A result
    alone when nothing is written; (None, None) when it changes rows already held (``_store`` writes it)."""
    decided = _decide(bundle, held, batch._other_school)
    if isinstance(decided, ImportResult):
        return decided
    code, current, again = decided
    if again is not None or current is not None or {b.codigo_modular for b in held} - {code}:
        return None, None
    m = measure(bundle)
    month = bundle.manifest["month"]
    rows = (_bundle_row(bundle, code), dict(codigo_modular=code, month=month, replacements=0,
                                            **_month_values(bundle, m, None)), _flag_rows(code, month, m))
    return ImportResult(str(bundle.path), "importado", f"{len(m.flags)} alerta(s)", code, month), rows


def _store(s, bundle: Bundle, held: list[_Held]) -> ImportResult:
    def other_school(genesis: str, chain: str) -> str | None:
        return s.scalar(select(SupBundle.codigo_modular).where(SupBundle.genesis == genesis,
                                                               SupBundle.chain_id != chain).limit(1))

    decided = _decide(bundle, held, other_school)
    if isinstance(decided, ImportResult):
        return decided
    code, current, again = decided
    man = bundle.manifest
    month, chain, path = man["month"], chain_of(man), str(bundle.path)
    m = measure(bundle)
    conn = s.connection()
    for old in sorted({b.codigo_modular for b in held} - {code}):  # the código modular was corrected (issue 14)
        conn.execute(_RECODE_BUNDLES, {"k_chain": chain, "new": code})
        for statement in _RECODE:
            conn.execute(statement, {"k_old": old, "new": code})
    if again is not None:  # the supervisor goes back to this bundle: the one it replaced is set aside
        bundle_id = again.id
        reason = _("el supervisor volvió al paquete de {month} exportado el {exported_at} (código {code}), que tiene "
                   "el mismo diario y otros archivos: este queda rechazado.").format(
            month=month, exported_at=again.exported_at, code=again.bundle_code[:8].upper())
        conn.execute(_SET_ASIDE, {"k_id": current.id, "current": False, "replaced_by": bundle_id,
                                  "refused_reason": reason})
        conn.execute(_SET_ASIDE, {"k_id": bundle_id, "current": True, "replaced_by": None, "refused_reason": None})
    else:
        bundle_id = conn.execute(_INSERT_BUNDLE, _bundle_row(bundle, code)).inserted_primary_key[0]
        if current is not None:
            conn.execute(_REPLACED, {"k_id": current.id, "replaced_by": bundle_id})
    values = _month_values(bundle, m, bundle_id)
    if current is None:
        conn.execute(_INSERT_MONTH, dict(codigo_modular=code, month=month, replacements=0, **values))
    else:
        conn.execute(_UPDATE_MONTH, dict(k_code=code, k_month=month, **values))
        conn.execute(_DELETE_FLAGS, {"k_code": code, "k_month": month})
    if m.flags:
        conn.execute(_INSERT_FLAG, _flag_rows(code, month, m))
    if again is not None:
        return ImportResult(path, "restablecido", _(
            "vuelve a ser el paquete de {month}; el paquete exportado el {exported_at}, con el mismo diario y otros "
            "archivos, queda rechazado").format(month=month, exported_at=current.exported_at), code, month)
    if current is None:
        return ImportResult(path, "importado", f"{len(m.flags)} alerta(s)", code, month)
    message = _("reemplaza al paquete exportado el {exported_at}").format(exported_at=current.exported_at)
    if _same_journal(current, bundle) and current.codigo_modular != man["committee"]["codigo_modular"]:
        message += _(": el mismo diario con el código modular corregido ({old} → {new})").format(
            old=current.codigo_modular, new=man["committee"]["codigo_modular"])
    elif _same_journal(current, bundle):  # a closed month's files are rebuilt the same: one of the two was altered
        message += _(" con el mismo diario y otros archivos: compare su código de verificación con el del informe "
                     "impreso; si no coincide, vuelva a importar el paquete bueno")
    return ImportResult(path, "reemplazado", message, code, month)


# not frozen: a frozen dataclass's __init__ of 18 fields cost a third of a 10,000-row summary; slots: no
# dictionary of its own per row, for Python's cycle collector to walk (a year is 10,000 rows)
@dataclass(slots=True)
class SummaryRow:
    codigo_modular: str
    school_name: str
    ugel: str
    district: str
    month: str
    enrolment: int
    school_days: int
    days_with_service: int
    rations: int
    rations_vs_enrolment: float | None
    compliance_rate: float | None
    lots_near_expiry: int
    incidents: int
    treasury_balance: Decimal
    closed: bool
    replacements: int
    flags: tuple[Flag, ...]
    missing_months: tuple[str, ...] = ()


def has_bundles(db: Database) -> bool:
    """Whether this database holds committees' bundles (it is a supervisor's)."""
    from sqlalchemy import select

    with db.session() as s:
        return s.scalar(select(SupBundle.id).limit(1)) is not None


_SUMMARY_COLUMNS = ("codigo_modular", "school_name", "ugel", "district", "month", "enrolment", "school_days",
                    "days_with_service", "rations", "rations_vs_enrolment", "compliance_rate", "lots_near_expiry",
                    "incidents", "treasury_balance", "closed", "replacements", "flags")


def summary(db: Database, *, month: str | None = None, ugel: str | None = None,
            flagged_only: bool = False) -> list[SummaryRow]:
    """The summary's rows, most flagged first. Plain rows (no ORM objects), each with its flags from one
    column: a year of a thousand schools is 10,000 rows (bench)."""
    t = SupSchoolMonth.__table__
    # the balance as the driver gives it (a Numeric's per-row conversion cost more than the rest of the row)
    query = select(*[type_coerce(t.c[c], String) if c == "treasury_balance" else t.c[c] for c in _SUMMARY_COLUMNS])
    if month:
        query = query.where(t.c.month == month)
    if ugel:
        query = query.where(t.c.ugel == ugel)
    if flagged_only:
        query = query.where(t.c.flag_count > 0)
    query = query.order_by(t.c.flag_count.desc(), t.c.codigo_modular, t.c.month)
    with _collector_paused():
        with db.session() as s:
            conn = s.connection()
            rows = conn.execute(query).all()
            # every school's months, for the months without a report: the rows themselves when not filtered
            held = [(r[0], r[4]) for r in rows] if not (month or ugel or flagged_only) else conn.execute(
                select(t.c.codigo_modular, t.c.month)).all()
        months = defaultdict(set)
        for c, mth in held:
            months[c].add(mth)
        gaps, known = {}, {}  # most schools sent the same months: their gaps are worked out once
        for c, ms in months.items():
            key = frozenset(ms)
            if key not in known:
                known[key] = tuple(_gaps(ms))
            gaps[c] = known[key]
        balances: dict = {}  # the balance as a Decimal in céntimos, once per amount
        decoded = _all_facts([r[16] for r in rows])
        out = []
        for r, flags in zip(rows, decoded, strict=True):
            balance = balances.get(r[13])
            if balance is None:
                balance = balances[r[13]] = _cents(r[13])
            out.append(SummaryRow(*r[:13], balance, r[14], r[15], tuple([Flag(code, facts) for code, facts in flags])
                                  if flags else (), gaps.get(r[0], ())))
        # what only served to build them goes before the collector is back, which would walk it all once more
        del rows, held, decoded
    return out


_CENT = Decimal("0.01")


def _cents(value) -> Decimal:
    """A balance as the driver gives it (Decimal, int, float or text) in soles with its céntimos."""
    return (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(_CENT)


@contextmanager
def _collector_paused():
    """Python's cycle collector off while the summary builds its rows: a year's 10,000 rows with their
    flags' facts are some 200,000 new objects, none in a cycle, and the collections they set off (each
    walking every object still young) took half of the summary's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _all_facts(texts: list[str | None]) -> list[list]:
    """Each row's flags (JSON texts as the import wrote them, ``[[code, facts], …]``) decoded in one pass:
    one document took a third less than one per row. Texts that do not make one list of as many lists
    (never written so; a damaged row) are decoded one by one."""
    joined = "[" + ",".join(t or "[]" for t in texts) + "]"
    try:
        out = json.loads(joined)
    except ValueError:
        out = None
    if out is None or len(out) != len(texts) or not all(isinstance(f, list) for f in out):
        out = [json.loads(t) if t else [] for t in texts]
    return out


def _gaps(months: set[str]) -> list[str]:
    """Months missing between a school's first and last bundle: reports not received."""
    if not months:
        return []
    ordered = sorted(months)
    y, m = (int(x) for x in ordered[0].split("-"))
    out = []
    while f"{y:04d}-{m:02d}" < ordered[-1]:
        key = f"{y:04d}-{m:02d}"
        if key not in months and m not in (1, 2):  # January and February are vacations
            out.append(key)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def export_summary_xlsx(rows: list[SummaryRow], out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..io.spreadsheet import xlsx_append

    if out.suffix.lower() != ".xlsx":
        raise InvalidInput(_("El archivo «{name}» debe terminar en .xlsx.").format(name=out.name))
    wb = Workbook()
    ws = wb.active
    ws.title = "Resumen"
    header = [_("Código modular"), _("Institución"), "UGEL", "Distrito", "Mes", _("Matrícula"), _("Días de clase"),
              _("Días con servicio"), "Raciones", _("Raciones / (matrícula × días)"), "Cumplimiento nutricional",
              _("Lotes por vencer"), "Incidencias", _("Saldo de tesorería (S/)"), _("Mes cerrado"), "Reemplazos",
              _("Meses sin reporte"), "Alertas"]
    xlsx_append(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        xlsx_append(ws, [r.codigo_modular, r.school_name, r.ugel, r.district, r.month, r.enrolment, r.school_days,
                   r.days_with_service, r.rations, r.rations_vs_enrolment, r.compliance_rate, r.lots_near_expiry,
                   r.incidents, float(r.treasury_balance), "sí" if r.closed else "no", r.replacements,
                   ", ".join(r.missing_months),
                   "; ".join(f"{flag_label(f.code)}: {word(f)}" for f in r.flags)])
    flags = wb.create_sheet("Alertas")
    xlsx_append(flags, [_("Código modular"), _("Institución"), "Mes", "Alerta", "Detalle"])
    for r in rows:
        for f in r.flags:
            xlsx_append(flags, [r.codigo_modular, r.school_name, r.month, flag_label(f.code), word(f)])
    wb.save(out)
    return out


#: what reading a damaged or hand-made zip can raise besides the core's own refusals (a flipped byte in
#: compressed data gives zlib.error; in a header, RuntimeError or NotImplementedError)
def _damaged() -> tuple[type[BaseException], ...]:
    import zipfile
    import zlib

    return (zlib.error, zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError, KeyError, TypeError,
            EOFError, OSError)


def import_bundle_files(db: Database, paths: list[Path]) -> list[ImportResult]:
    """Each package verified and imported on its own: a damaged one is refused with the reason and does not
    stop the others (what the supervisor's window does with the files chosen). The files are imported
    together (:func:`import_bundles`: a hundred bundles a transaction), not one transaction each."""
    return import_bundles(db, paths)


def write_summary_xlsx(rows: list[SummaryRow], out: Path) -> Path:
    """The summary rows as a spreadsheet, with the one refusal for a file that cannot be written."""
    from ..errors import cannot_save

    try:
        return export_summary_xlsx(rows, out)
    except OSError as exc:
        raise cannot_save(out, exc) from exc
