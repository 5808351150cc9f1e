"""Export a committee's month as one bundle for the supervisor (io/bundle.py, docs/bundle-format.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import __version__
from ..domain.committee import CODE_CORRECTION_KIND, code_history
from ..i18n import N_, _, language
from ..io.bundle import FACTS_FILE, bundle_code, csv_bytes, sha256, write_bundle
from ..persistence.engine import Database
from ..persistence.journal import CLOSING, Journal, _row_dict
from ..persistence.models import JournalEntry, MenuEntry, MenuPlan, StockLot, StockMovement
from ..persistence.schema_version import HEAD_REVISION
from . import calendar, incidents, periods, rations_received, serving
from .committee import CommitteeInfo


def _plan_entries(db: Database, committee_id: int, start, end) -> list[tuple]:
    """Per day × meal × level, the preparation of the most recently changed plan covering it."""
    with db.session() as s:
        return plan_entries_in(s, committee_id, start, end)


def plan_entries_in(s: Session, committee_id: int, start, end) -> list[tuple]:
    """``_plan_entries`` read in the unit of work ``s``: (day, meal, level, preparation, plan id, standard id)."""
    rows = s.execute(select(MenuEntry.day, MenuEntry.meal, MenuEntry.level, MenuEntry.recipe_id, MenuPlan.id,
                            MenuPlan.standard_id)
                     .join(MenuPlan, MenuEntry.plan_id == MenuPlan.id)
                     .where(MenuPlan.committee_id == committee_id, MenuEntry.day >= start, MenuEntry.day <= end)
                     .order_by(MenuPlan.updated_at)).all()
    chosen = {}
    for day, meal, level, recipe, plan_id, standard in rows:
        chosen[(day, meal, level)] = (day, meal, level, recipe, plan_id, standard)
    return [chosen[k] for k in sorted(chosen, key=lambda k: (k[0], k[1] != "desayuno", k[2]))]


def _plan_rows(entries: list[tuple]) -> list[list]:
    """plan.csv's rows: date, meal, level, preparation, plan."""
    return [[d.isoformat(), m, lv, r, p] for d, m, lv, r, p, _ in entries]


def month_seal_in(s: Session, committee_id: int, month: str) -> dict:
    """The seal a closing entry puts on the month (``domain.seal``): its menu day by day and its school days, as
    the month's bundle writes them in plan.csv and calendario.json, read in the unit of work ``s``."""
    from ..domain.seal import make_seal

    start, end = periods.month_bounds(month)
    cells = [tuple(str(v) for v in row) for row in _plan_rows(plan_entries_in(s, committee_id, start, end))]
    return make_seal(cells, [d.isoformat() for d in calendar.school_days_in(s, committee_id, start, end)])


def _compliance(db: Database, info: CommitteeInfo, entries: list[tuple]) -> dict:
    from ..domain.menus import Plan, PlanEntry, PlanInfo
    from . import compliance, standards

    if not entries:
        return {"standard": None, "summary": {"entries": 0, "ok": 0, "low": 0, "high": 0, "unknown": 0},
                "entries": []}
    plan = Plan(PlanInfo(0, "mes", entries[0][0], entries[-1][0], entries[0][5], len(entries)),
                tuple(PlanEntry(d, m, lv, r) for d, m, lv, r, _, _ in entries))
    standard = standards.get_standard(db, entries[0][5])
    result = compliance.check_plan(db, plan, standard, info)
    return {"standard": standard.id, "standard_name": standard.name, "summary": result.summary(),
            "entries": [{"date": c.day.isoformat(), "meal": c.meal, "level": c.level, "recipe": c.recipe_id,
                         "status": c.status, "problems": list(c.problems)} for c in result.entries],
            "rules": [{"rule": r.rule, "status": r.status, "detail": r.detail} for r in result.rules]}


JOURNAL_FILE = "journal.jsonl"
_JOURNAL_COLUMNS = (JournalEntry.seq, JournalEntry.kind, JournalEntry.entry_date, JournalEntry.payload,
                    JournalEntry.corrects_seq, JournalEntry.correction_type, JournalEntry.reason, JournalEntry.user,
                    JournalEntry.recorded_at, JournalEntry.prev_hash, JournalEntry.hash)
# sha256 of journal.jsonl by (database, committee, entries, head): the file is the chain written out, so
# a chain that verifies up to the same head (month_review verifies it each time) is the same file
_JOURNAL_DIGESTS: dict[tuple, str] = {}


def journal_line(row: dict) -> str:
    """One line of journal.jsonl: the entry (``_row_dict``'s keys) as its canonical JSON object."""
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def journal_lines(rows: list[dict]) -> list[str]:
    """journal.jsonl's lines: each entry as its canonical JSON object."""
    return [journal_line(r) for r in rows]


def remember_journal_digest(db_url: str, committee_id: int, entries: int, head: str, digest: str) -> None:
    """The digest of a journal file of ``entries`` entries ending on ``head``, computed elsewhere from a chain
    that verified up to that head (``integrity.check_committee`` hashes the file as it checks the chain)."""
    if len(_JOURNAL_DIGESTS) > 64:
        _JOURNAL_DIGESTS.clear()
    _JOURNAL_DIGESTS[(db_url, committee_id, entries, head)] = digest


def _lines_digest(rows: list[dict]) -> str:
    """sha256 of journal.jsonl (its lines joined by and ending with a newline) hashed line by line: the
    same digest as of the whole file, without a year of journal as text in memory three times over
    (the lines, the joined text, its bytes)."""
    import hashlib

    h = hashlib.sha256()
    for r in rows:
        h.update((journal_line(r) + "\n").encode("utf-8"))
    if not rows:
        h.update(b"\n")  # an empty journal is the file "\n"
    return h.hexdigest()


def journal_digest(db: Database, committee_id: int, rows: list[dict], *, verified: bool) -> str:
    """sha256 of the journal file these rows make, computed once per chain head: ``verified`` says the
    rows were just verified as a chain (then the same head means the same entries, byte for byte); rows
    that do not verify are hashed as they are, and not remembered."""
    key = (str(db.engine.url), committee_id, len(rows), rows[-1]["hash"] if rows else None)
    digest = _JOURNAL_DIGESTS.get(key) if verified else None
    if digest is None:
        digest = _lines_digest(rows)
        if not verified:
            return digest
        if len(_JOURNAL_DIGESTS) > 64:
            _JOURNAL_DIGESTS.clear()
        _JOURNAL_DIGESTS[key] = digest
    return digest


def build_bundle(db: Database, info: CommitteeInfo, month: str) -> tuple[dict, dict[str, bytes]]:
    """The month's bundle content, as of the month's end: the journal up to the month's closing entry
    (everything so far if the month is still open), and the records of the month. Rebuilt later,
    a closed month gives the same files and so the same verification code."""
    manifest, files, rows = bundle_parts(db, info, month)
    return manifest, {JOURNAL_FILE: ("\n".join(journal_lines(rows)) + "\n").encode("utf-8"), **files}


@language("es")
def bundle_parts(db: Database, info: CommitteeInfo, month: str) -> tuple[dict, dict[str, bytes], list[dict]]:
    """``build_bundle`` with the journal as its entries (plain dicts, as journal.jsonl's lines read back)
    instead of the file: the month's review verifies and measures them without writing and re-reading
    the whole journal as text.

    The bundle is the programme's record and is always worded in Spanish, whatever language the
    window or the command line speaks: its files, and so its verification code, must not depend on
    who exported it in which language (the compliance findings and the treasury's notes are words)."""
    from .committee import for_month

    info = for_month(db, info, month)  # a closed month: the committee's data as its closing found them
    start, end = periods.month_bounds(month)
    with db.session() as s:
        journal = Journal(s, info.id)
        closing = s.scalar(select(func.max(JournalEntry.seq)).where(
            JournalEntry.committee_id == info.id, JournalEntry.kind == "periodo.cierre",
            JournalEntry.entry_date == end))
        query = select(*_JOURNAL_COLUMNS).where(JournalEntry.committee_id == info.id)
        if closing is not None:
            query = query.where(JournalEntry.seq <= closing)
        rows = [{"seq": r[0], "kind": r[1], "entry_date": r[2].isoformat(), "payload": r[3], "corrects_seq": r[4],
                 "correction_type": r[5], "reason": r[6], "user": r[7], "recorded_at": r[8], "prev_hash": r[9],
                 "hash": r[10]} for r in s.connection().execute(query.order_by(JournalEntry.seq))]
        lo, hi = start.isoformat(), end.isoformat()
        month_entries = sum(1 for r in rows if lo <= r["entry_date"] <= hi)
        head = rows[-1]["hash"] if rows else "0" * 64
        closed = month in journal.closed_months()
        # the current código modular with every correction so far (also those after the month's journal),
        # and the chain's identity the supervisor verifies the journal with
        corrections = [c.as_json() for c in code_history(_row_dict(r) for r in s.scalars(
            select(JournalEntry).where(JournalEntry.committee_id == info.id,
                                       JournalEntry.kind == CODE_CORRECTION_KIND).order_by(JournalEntry.seq)))]
    closing_row = next((r for r in reversed(rows) if r["seq"] == closing), None) if closed else None
    frozen = frozen_files(db, info.id, month, json.loads(closing_row["payload"])) if closing_row else None
    files = frozen if frozen is not None else month_files(db, info, month)
    files["tesoreria.json"] = json.dumps(_treasury(db, info, month, closing if closed else None),
                                         ensure_ascii=False).encode("utf-8")
    previous = None  # the anchor: the last month closed before this one, as its closing entry
    for r in rows:
        if r["kind"] == CLOSING and r["entry_date"] < lo:
            previous = {"month": json.loads(r["payload"]).get("month"), "seq": r["seq"], "head": r["hash"]}
    facts = {
        "month": month, "closed": closed, "month_start": start.isoformat(), "month_end": end.isoformat(),
        "committee": {"codigo_modular": info.form.codigo_modular, "chain_id": journal.chain_id,
                      "code_history": corrections, "school_name": info.form.school_name,
                      "ugel": info.form.ugel, "region": info.form.region, "department": info.form.department,
                      "province": info.form.province, "district": info.form.district, "ubigeo": info.form.ubigeo,
                      "quintile": info.form.quintile, "modality": info.form.modality,
                      "levels": [{"level": lv.level, "enrolment": lv.enrolment} for lv in info.form.levels]},
        "journal": {"entries": len(rows), "head": head, "month_entries": month_entries,
                    "closing_seq": closing if closed else None, "previous": previous},
        "as_of": rows[-1]["recorded_at"] if rows else None,
    }
    # The manifest's facts are also a file, so the bundle code (printed on the monthly report) covers
    # them: a changed month, closed flag, date or school in manifest.json is detected (io/bundle.py).
    files[FACTS_FILE] = json.dumps(facts, ensure_ascii=False, sort_keys=True).encode("utf-8")
    manifest = {
        "app_version": __version__, "schema": HEAD_REVISION, "month": month,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"), "closed": closed,
        "reviewed_on": _reviewed_on(),
        "month_start": start.isoformat(), "month_end": end.isoformat(),
        "committee": facts["committee"], "journal": facts["journal"],  # the same facts, as the file says them
        "as_of": facts["as_of"],
        "counts": _counts(files),
    }
    return manifest, files, rows


FILES_KEY = "archivos"  # a closing entry's payload: {file name: SHA-256} of the month's files it kept


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _counts(files: dict[str, bytes]) -> dict[str, int]:
    """The manifest's counts, read from the month's files (as the supervisor reads them)."""
    services = _csv_rows(files["servicios.csv"])
    return {"school_days": len(json.loads(files["calendario.json"])["school_days"]), "services": len(services),
            "rations": sum(int(r["raciones_servidas"]) for r in services),
            "plan_entries": len(_csv_rows(files["plan.csv"])), "incidents": len(_csv_rows(files["incidencias.csv"])),
            "lots": len(_csv_rows(files["lotes.csv"])), "movements": len(_csv_rows(files["movimientos.csv"]))}


def frozen_files(db: Database, committee_id: int, month: str, closing_payload) -> dict[str, bytes] | None:
    """The files a closed month's closing kept (``month_files`` as they were then), or None for a closing recorded
    before closings kept them (its bundle is made from the data as it is). Rows that do not match the closing
    entry's list are used as they are: ``verify`` names them, and the export and the report are refused."""
    from ..persistence.models import ClosedMonthFile

    listed = closing_payload.get(FILES_KEY) if isinstance(closing_payload, dict) else None
    if not isinstance(listed, dict):
        return None
    with db.session() as s:
        kept = {name: bytes(content) for name, content in s.execute(
            select(ClosedMonthFile.name, ClosedMonthFile.content).where(
                ClosedMonthFile.committee_id == committee_id, ClosedMonthFile.month == month))}
    return kept if set(kept) == set(listed) else None


@language("es")
def month_files(db: Database, info: CommitteeInfo, month: str) -> dict[str, bytes]:
    """The month's own files of its bundle (all but the journal, the manifest's facts and the treasury, which are
    made from the chain): its calendar, menu, compliance, services, store, yields, incidents and rations. What a
    closing keeps (``periods.close``, table closed_month_files) so that a closed month's bundle never changes."""
    start, end = periods.month_bounds(month)
    with db.session() as s:
        lots = s.scalars(select(StockLot).where(StockLot.committee_id == info.id, StockLot.first_received <= end)
                         .order_by(StockLot.id)).all()
        at_end = dict(s.execute(select(StockMovement.lot_id, func.sum(StockMovement.grams)).where(
            StockMovement.committee_id == info.id, StockMovement.day <= end).group_by(StockMovement.lot_id)).all())
        lot_rows = [[lt.id, lt.food_code, lt.product_name, lt.brand, lt.lot,
                     lt.expiry.isoformat() if lt.expiry else "", str(Decimal(at_end.get(lt.id) or 0))]
                    for lt in lots]
        expiring = [r for r, lt in zip(lot_rows, lots, strict=True)
                    if lt.expiry and Decimal(r[6]) > 0 and (lt.expiry - end).days <= 30]
        expiry_of = {lt.id: lt.expiry for lt in lots}
        moves = s.scalars(select(StockMovement).where(StockMovement.committee_id == info.id,
                                                      StockMovement.day >= start, StockMovement.day <= end)
                          .order_by(StockMovement.id)).all()
        move_rows = [[m.day.isoformat(), m.journal_seq, m.lot_id, (expiry_of.get(m.lot_id) or "") and
                      expiry_of[m.lot_id].isoformat(), m.food_code, str(m.grams), m.kind, m.reason, m.reference]
                     for m in moves]
    plan_entries = _plan_entries(db, info.id, start, end)
    services = serving.services_in(db, info.id, start, end)
    yields = serving.yield_check(db, info, start, end)
    found_incidents = incidents.list_incidents(db, info.id, start, end)
    school_days = calendar.school_days(db, info.id, start, end)
    return {
        "calendario.json": json.dumps({"school_days": [d.isoformat() for d in school_days]}).encode("utf-8"),
        "plan.csv": csv_bytes(["fecha", "comida", "nivel", "preparacion", "plan"],
                              _plan_rows(plan_entries)),
        "cumplimiento.json": json.dumps(_compliance(db, info, plan_entries), ensure_ascii=False).encode("utf-8"),
        "servicios.csv": csv_bytes(["fecha", "comida", "nivel", "preparacion", "raciones_servidas", "asistentes",
                                    "asiento"],
                                   [[r.day.isoformat(), r.meal, r.level, r.recipe_id, r.rations, r.attendance,
                                     r.journal_seq] for r in services]),
        "lotes.csv": csv_bytes(["lote_id", "codigo", "producto", "marca", "lote", "vencimiento",
                                "saldo_fin_de_mes_g"], lot_rows),
        "por_vencer.csv": csv_bytes(["lote_id", "codigo", "producto", "marca", "lote", "vencimiento",
                                     "saldo_fin_de_mes_g"], expiring),
        "movimientos.csv": csv_bytes(["fecha", "asiento", "lote_id", "vencimiento", "codigo", "gramos", "tipo",
                                      "motivo", "referencia"], move_rows),
        "rendimiento.csv": csv_bytes(["codigo", "producto", "esperado_g", "salio_g", "perdidas_g", "desvio",
                                      "alerta", "dias", "dias_gramos"],
                                     [[y.food_code, y.name, str(y.expected_grams), str(y.issued_grams),
                                       str(y.losses_grams), "" if y.deviation is None else str(y.deviation),
                                       int(y.flagged), " ".join(d.isoformat() for d in y.days),
                                       " ".join(f"{d.isoformat()}={e}/{i}" for d, e, i in y.by_day)]
                                      for y in yields]),
        "incidencias.csv": csv_bytes(["fecha", "tipo", "descripcion", "codigo", "lote", "ninos_afectados",
                                      "derivados_posta", "reportado", "referencia", "asiento"],
                                     [[i.incident.day.isoformat(), i.incident.kind, i.incident.description,
                                       i.incident.food_code, i.incident.lot, i.incident.children_affected,
                                       int(i.incident.referred_to_health_post), int(i.incident.reported_to_programme),
                                       i.incident.programme_reference, i.seq] for i in found_incidents]),
        "raciones_recibidas.csv": csv_bytes(["fecha", "comida", "nivel", "aceptadas", "servidas", "sobras",
                                             "diferencia"],
                                            [[b.day.isoformat(), b.meal, b.level, b.accepted, b.served, b.leftovers,
                                              b.difference] for b in rations_received.reconcile(db, info, start, end)]),
    }


# what each file kept at a closing holds, in the committee's words
FILE_WORDS = {"calendario.json": N_("los días de clases"), "plan.csv": N_("el menú"),
              "cumplimiento.json": N_("el cumplimiento nutricional del menú"),
              "servicios.csv": N_("las raciones servidas"), "lotes.csv": N_("el almacén"),
              "por_vencer.csv": N_("los lotes por vencer"), "movimientos.csv": N_("los movimientos del almacén"),
              "rendimiento.csv": N_("el rendimiento de los alimentos"), "incidencias.csv": N_("las incidencias"),
              "raciones_recibidas.csv": N_("las raciones recibidas")}


def changed_since_closing(db: Database, info: CommitteeInfo, month: str) -> list[str]:
    """The files a closed month's closing kept that the data, read now, no longer gives (empty for an open month,
    or one closed before closings kept its files). The bundle is still the one closed; a report printed now from
    the data would not be the one signed."""
    from .committee import for_month

    with db.session() as s:
        payload = s.scalar(select(JournalEntry.payload).where(
            JournalEntry.committee_id == info.id, JournalEntry.kind == CLOSING,
            JournalEntry.entry_date == periods.month_bounds(month)[1]).order_by(JournalEntry.seq.desc()).limit(1))
    frozen = frozen_files(db, info.id, month, json.loads(payload)) if payload else None
    if frozen is None:
        return []
    now = month_files(db, for_month(db, info, month), month)
    return sorted(name for name in frozen if now.get(name) != frozen[name])


def corrections_after_closing(db: Database, committee_id: int, month: str) -> list[int]:
    """The entries recorded after ``month``'s closing that correct one of its records (a service of the month
    annulled in December, an incident of the month reported to the programme later), by number."""
    start, end = periods.month_bounds(month)
    with db.session() as s:
        closing = s.scalar(select(func.max(JournalEntry.seq)).where(
            JournalEntry.committee_id == committee_id, JournalEntry.kind == CLOSING, JournalEntry.entry_date == end))
        if closing is None:
            return []
        dated = {seq for seq, day in s.execute(select(JournalEntry.seq, JournalEntry.entry_date).where(
            JournalEntry.committee_id == committee_id, JournalEntry.seq < closing,
            JournalEntry.entry_date >= start, JournalEntry.entry_date <= end))}
        later = s.execute(select(JournalEntry.seq, JournalEntry.kind, JournalEntry.corrects_seq, JournalEntry.payload)
                          .where(JournalEntry.committee_id == committee_id, JournalEntry.seq > closing)
                          .order_by(JournalEntry.seq)).all()
    out = []
    for seq, kind, corrects, payload in later:
        if corrects in dated:
            out.append(seq)
        elif kind == incidents.REPORT_KIND:
            try:
                if json.loads(payload).get("incident") in dated:
                    out.append(seq)
            except (ValueError, AttributeError):
                continue
    return out


def require_as_closed(db: Database, info: CommitteeInfo, month: str) -> None:
    """Refuse to print a closed month's report when its data changed since the closing (a new edition of the food
    table, an update of the shipped standards or preparations, a menu or calendar changed with sqlite3): its
    figures would differ from the report signed at closing under the same verification code."""
    from ..errors import PeriodClosed
    from ..vocab import period_label

    changed = changed_since_closing(db, info, month)
    if not changed:
        return
    words = [_(FILE_WORDS.get(n, n)) for n in changed]
    what = words[0] if len(words) == 1 else _("{first} y {last}").format(first=", ".join(words[:-1]), last=words[-1])
    later = corrections_after_closing(db, info.id, month)
    if later:
        raise PeriodClosed(_(
            "No se imprime otra vez el informe de {month}: el mes está cerrado y después se anularon o corrigieron "
            "registros suyos (n.º {seqs} del diario), que cambian {what}. El informe que vale es el que el comité "
            "firmó al cerrar; el paquete del mes no cambió y se exporta igual.").format(
                month=period_label(month), seqs=", ".join(map(str, later)), what=what))
    raise PeriodClosed(_(
        "No se imprime el informe de {month}: el mes está cerrado y, desde su cierre, cambiaron {what}. El informe "
        "que vale es el que el comité firmó al cerrar; el paquete del mes no cambió y se exporta igual. Si se cargó "
        "otra tabla de alimentos o se actualizó el programa, es lo esperado; si no, ejecute «qaliwarma verify» y "
        "avise al supervisor.").format(month=period_label(month), what=what))


def _reviewed_on() -> str:
    """The day the bundle's figures are as of (which school days are past): the application's today
    (``qaliwarma.clock``: the real date, or QALIWARMA_TODAY for tests and training)."""
    from ..clock import today

    return today().isoformat()


def export_month(db: Database, info: CommitteeInfo, month: str, out: Path) -> dict:
    from .integrity import require_intact

    require_intact(db, info.id)  # a table edited behind the app's back never reaches the supervisor
    manifest, files = build_bundle(db, info, month)
    return write_bundle(out, manifest, files)


def month_code(db: Database, info: CommitteeInfo, month: str) -> str:
    """The month's verification code (what export's bundle code will be)."""
    manifest, files = build_bundle(db, info, month)
    return bundle_code(manifest["journal"]["head"], {n: sha256(d) for n, d in files.items()})


def _treasury(db: Database, info: CommitteeInfo, month: str, closing_seq: int | None = None) -> dict:
    """The month's money; a closed month's rendición as it stood at its closing (``closing_seq``)."""
    from . import treasury

    b = treasury.balance(db, info.id, month)
    if not b.transfers and not b.expenses and b.transferred_to_date == 0:
        return {"manages_money": False}
    state = b.state if closing_seq is None else treasury.state_when_closed(db, info.id, month, closing_seq)
    return {"manages_money": True, "state": state, "transferred": str(b.transferred_in_month),
            "transferred_to_date": str(b.transferred_to_date), "spent": str(b.spent_in_month),
            "spent_to_date": str(b.spent_to_date), "bank": str(b.bank), "cash": str(b.cash),
            "balance": str(b.balance),
            "headings": [{"code": h.code, "name": h.name, "allotted": str(h.allotted), "spent": str(h.spent),
                          "balance": str(h.balance)} for h in b.headings]}


def verification_code(code: str) -> str:
    """The code printed on the monthly report: the bundle code's start, grouped for reading aloud."""
    code = code[:20].upper()
    return "-".join(code[i:i + 4] for i in range(0, 20, 4))


def next_month(month: str) -> str:
    start, end = periods.month_bounds(month)
    nxt = end + timedelta(days=1)
    return f"{nxt.year:04d}-{nxt.month:02d}"


def export_month_file(db: Database, committee, month: str, out) -> dict:
    """``export_month`` with the one refusal for a file that cannot be written (the CLI and the window)."""
    from ..errors import cannot_save

    try:
        return export_month(db, committee, month, out)
    except OSError as exc:
        raise cannot_save(out, exc) from exc
