"""Supervisor mode: load committees' monthly bundles (each verified first) into a supervisor
database, and the per-school, per-month summary with its anomaly flags.

Figures come from the verified journal where it holds them (services, enrolment, money, incidents)
and from the bundle's files covered by the bundle code (calendar, compliance, lots, movements).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, select

from ..errors import InvalidInput, QaliwarmaError
from ..io.bundle import Bundle, read_bundle
from ..persistence.engine import Database
from ..persistence.models import SupBundle, SupFlag, SupSchoolMonth

FLAG_LABELS = {
    "raciones_sobre_matricula": "Raciones por encima de la matrícula",
    "servicio_dia_no_lectivo": "Servicio en día sin clases",
    "alimentos_sin_raciones": "Alimentos usados sin raciones registradas",
    "lote_vencido_usado": "Lote vencido usado",
    "rubro_sobregirado": "Rubro de gasto sobregirado",
    "dias_sin_registro": "Días de clase sin registro de raciones",
    "rendimiento": "Diferencia entre lo que salió del almacén y lo servido",
    "mes_sin_cerrar": "El mes no estaba cerrado al exportar",
    "incidencia_ninos": "Niños enfermos",
    "raciones_sin_cuadrar": "Raciones recibidas que no cuadran con las servidas y las sobras",
}


@dataclass
class ImportResult:
    path: str
    status: str  # importado | sin_cambios | reemplazado | rechazado
    message: str
    codigo_modular: str = ""
    month: str = ""


@dataclass
class Metrics:
    enrolment: int = 0
    levels: dict[str, int] = field(default_factory=dict)
    school_days: int = 0
    days_with_service: int = 0
    rations: int = 0
    compliance_rate: float | None = None
    lots_near_expiry: int = 0
    incidents: int = 0
    children_affected: int = 0
    transferred: Decimal = Decimal("0.00")
    spent: Decimal = Decimal("0.00")
    balance: Decimal = Decimal("0.00")
    flags: list[tuple[str, str]] = field(default_factory=list)
    rations_per_meal: float = 0.0  # average rations served per day × meal, all levels


def _latest_levels(journal: list[dict]) -> dict[str, int]:
    levels: dict[str, int] = {}
    for row in journal:
        if row["kind"] in ("comite.registro", "comite.cambio"):
            levels = {lv["level"]: int(lv["enrolment"]) for lv in json.loads(row["payload"])["levels"]}
    return levels


def measure(bundle: Bundle) -> Metrics:
    """The figures and anomaly flags of one school × month."""
    m = Metrics()
    manifest = bundle.manifest
    start, end = date.fromisoformat(manifest["month_start"]), date.fromisoformat(manifest["month_end"])
    journal = bundle.journal()
    m.levels = _latest_levels(journal)
    m.enrolment = sum(m.levels.values())
    reversed_ = {r["corrects_seq"] for r in journal if r["correction_type"] == "reversal"}
    live = [r for r in journal if r["correction_type"] is None and r["seq"] not in reversed_
            and start.isoformat() <= r["entry_date"] <= end.isoformat()]
    school_days = set(bundle.json("calendario.json")["school_days"])
    m.school_days = len(school_days)
    service_days, service_seqs = set(), set()
    per_meal: dict[tuple[str, str], int] = defaultdict(int)
    for r in live:
        p = json.loads(r["payload"])
        if r["kind"] == "servicio":
            service_days.add(p["day"])
            service_seqs.add(r["seq"])
            m.rations += int(p["rations"])
            per_meal[(p["day"], p["meal"])] += int(p["rations"])
            enrolled = m.levels.get(p["level"], 0)
            if int(p["rations"]) > enrolled:
                m.flags.append(("raciones_sobre_matricula", f"{p['day']} {p['meal']} {p['level']}: "
                                                            f"{p['rations']} raciones para {enrolled} matriculados"))
            if p["day"] not in school_days:
                m.flags.append(("servicio_dia_no_lectivo", f"{p['day']} {p['meal']} {p['level']}"))
        elif r["kind"] == "incidencia":
            m.incidents += 1
            m.children_affected += int(p.get("children_affected", 0))
            if p.get("kind") == "ninos_enfermos":
                m.flags.append(("incidencia_ninos", f"{p['day']}: {p.get('children_affected', 0)} niños afectados"))
    m.days_with_service = len(service_days)
    m.rations_per_meal = (sum(per_meal.values()) / len(per_meal)) if per_meal else 0.0
    missing = sorted(d for d in school_days if d not in service_days and d <= manifest["exported_at"][:10])
    if missing:
        m.flags.append(("dias_sin_registro", f"{len(missing)} día(s): " + ", ".join(missing[:5])
                        + ("…" if len(missing) > 5 else "")))
    for mv in bundle.csv("movimientos.csv"):
        if mv["tipo"] != "salida":
            continue
        if int(mv["asiento"]) not in service_seqs and int(mv["asiento"]) not in reversed_:
            m.flags.append(("alimentos_sin_raciones", f"{mv['fecha']} {mv['codigo']}: {mv['gramos']} g sin servicio"))
        if mv["vencimiento"] and mv["vencimiento"] < mv["fecha"]:
            m.flags.append(("lote_vencido_usado", f"{mv['fecha']} {mv['codigo']} lote n.º {mv['lote_id']} "
                                                  f"vencido el {mv['vencimiento']}"))
    for y in bundle.csv("rendimiento.csv"):
        if y["alerta"] == "1":
            m.flags.append(("rendimiento", f"{y['producto']}: esperado {y['esperado_g']} g, salió {y['salio_g']} g"))
    if "raciones_recibidas.csv" in bundle.files:  # raciones modality: received vs served + left over
        for b in bundle.csv("raciones_recibidas.csv"):
            if int(b["diferencia"]) != 0:
                m.flags.append(("raciones_sin_cuadrar", f"{b['fecha']} {b.get('comida', '')} {b['nivel']}: "
                                                        f"{b['aceptadas']} recibidas, "
                                                        f"{b['servidas']} servidas, {b['sobras']} sobras"))
    m.lots_near_expiry = len(bundle.csv("por_vencer.csv"))
    compliance = bundle.json("cumplimiento.json")["summary"]
    m.compliance_rate = (compliance["ok"] / compliance["entries"]) if compliance["entries"] else None
    treasury = bundle.json("tesoreria.json")
    if treasury.get("manages_money"):
        m.transferred, m.spent = Decimal(treasury["transferred"]), Decimal(treasury["spent"])
        m.balance = Decimal(treasury["balance"])
        for h in treasury["headings"]:
            if Decimal(h["balance"]) < 0:
                m.flags.append(("rubro_sobregirado", f"{h['name']}: saldo {h['balance']}"))
    if not manifest.get("closed"):
        m.flags.append(("mes_sin_cerrar", "el comité exportó el mes sin cerrarlo"))
    return m


def import_bundles(db: Database, paths: list[Path]) -> list[ImportResult]:
    """Import each bundle on its own: a refused one changes nothing and does not stop the others."""
    results = []
    for path in paths:
        try:
            bundle = read_bundle(path)
        except QaliwarmaError as exc:
            results.append(ImportResult(str(path), "rechazado", exc.message))
            continue
        try:
            results.append(_store(db, bundle))
        except (KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
            # hashes match but the content is not what the application writes: refused, nothing stored
            results.append(ImportResult(str(path), "rechazado", f"el paquete está mal formado ({exc!r})"))
    return results


def _store(db: Database, bundle: Bundle) -> ImportResult:
    man = bundle.manifest
    code, month, school = man["committee"]["codigo_modular"], man["month"], man["committee"]
    path = str(bundle.path)
    with db.session() as s:
        if s.scalar(select(SupBundle.id).where(SupBundle.bundle_code == man["bundle_code"])) is not None:
            return ImportResult(path, "sin_cambios", "ya estaba importado", code, month)
        current = s.get(SupSchoolMonth, (code, month))
        older = s.get(SupBundle, current.bundle_id) if current else None
        if older is not None and older.exported_at > man["exported_at"]:
            return ImportResult(path, "sin_cambios", f"hay un paquete más reciente del {older.exported_at}",
                                code, month)
        m = measure(bundle)
        row = SupBundle(codigo_modular=code, month=month, bundle_code=man["bundle_code"],
                        exported_at=man["exported_at"], imported_at=datetime.now(), file_name=Path(path).name,
                        entries=man["journal"]["entries"], current=True)
        s.add(row)
        s.flush()
        if older is not None:
            older.current, older.replaced_by = False, row.id
        s.execute(delete(SupFlag).where(SupFlag.codigo_modular == code, SupFlag.month == month))
        values = dict(
            bundle_id=row.id, school_name=school["school_name"], ugel=school["ugel"], region=school["region"],
            district=school["district"], quintile=school["quintile"], enrolment=m.enrolment,
            school_days=m.school_days, days_with_service=m.days_with_service, rations=m.rations,
            rations_vs_enrolment=(m.rations_per_meal / m.enrolment) if m.enrolment and m.rations else None,
            compliance_rate=m.compliance_rate, lots_near_expiry=m.lots_near_expiry, incidents=m.incidents,
            children_affected=m.children_affected, transferred=m.transferred, spent=m.spent,
            treasury_balance=m.balance, closed=bool(man.get("closed")), flag_count=len(m.flags))
        if current is None:
            s.add(SupSchoolMonth(codigo_modular=code, month=month, replacements=0, **values))
        else:
            for key, value in values.items():
                setattr(current, key, value)
            current.replacements += 1
        for kind, detail in m.flags:
            s.add(SupFlag(codigo_modular=code, month=month, kind=kind, detail=detail))
    status = "reemplazado" if older is not None else "importado"
    message = (f"reemplaza al paquete exportado el {older.exported_at}" if older is not None
               else f"{len(m.flags)} alerta(s)")
    return ImportResult(path, status, message, code, month)


@dataclass(frozen=True)
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
    flags: tuple[tuple[str, str], ...]
    missing_months: tuple[str, ...] = ()


def summary(db: Database, *, month: str | None = None, ugel: str | None = None,
            flagged_only: bool = False) -> list[SummaryRow]:
    with db.session() as s:
        query = select(SupSchoolMonth)
        if month:
            query = query.where(SupSchoolMonth.month == month)
        if ugel:
            query = query.where(SupSchoolMonth.ugel == ugel)
        if flagged_only:
            query = query.where(SupSchoolMonth.flag_count > 0)
        rows = s.scalars(query.order_by(SupSchoolMonth.flag_count.desc(), SupSchoolMonth.codigo_modular,
                                        SupSchoolMonth.month)).all()
        fq = select(SupFlag.codigo_modular, SupFlag.month, SupFlag.kind, SupFlag.detail)
        if month:
            fq = fq.where(SupFlag.month == month)
        flags: dict[tuple[str, str], list] = defaultdict(list)
        for c, mth, kind, detail in s.execute(fq):
            flags[(c, mth)].append((kind, detail))
        months = defaultdict(set)
        for c, mth in s.execute(select(SupSchoolMonth.codigo_modular, SupSchoolMonth.month)):
            months[c].add(mth)
        return [SummaryRow(r.codigo_modular, r.school_name, r.ugel, r.district, r.month, r.enrolment, r.school_days,
                           r.days_with_service, r.rations, r.rations_vs_enrolment, r.compliance_rate,
                           r.lots_near_expiry, r.incidents, Decimal(r.treasury_balance), r.closed, r.replacements,
                           tuple(flags[(r.codigo_modular, r.month)]), tuple(_gaps(months[r.codigo_modular])))
                for r in rows]


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
        raise InvalidInput(f"El archivo «{out.name}» debe terminar en .xlsx.")
    wb = Workbook()
    ws = wb.active
    ws.title = "Resumen"
    header = ["Código modular", "Institución", "UGEL", "Distrito", "Mes", "Matrícula", "Días de clase",
              "Días con servicio", "Raciones", "Raciones / (matrícula × días)", "Cumplimiento nutricional",
              "Lotes por vencer", "Incidencias", "Saldo de tesorería (S/)", "Mes cerrado", "Reemplazos",
              "Meses sin reporte", "Alertas"]
    xlsx_append(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        xlsx_append(ws, [r.codigo_modular, r.school_name, r.ugel, r.district, r.month, r.enrolment, r.school_days,
                   r.days_with_service, r.rations, r.rations_vs_enrolment, r.compliance_rate, r.lots_near_expiry,
                   r.incidents, float(r.treasury_balance), "sí" if r.closed else "no", r.replacements,
                   ", ".join(r.missing_months),
                   "; ".join(f"{FLAG_LABELS.get(k, k)}: {d}" for k, d in r.flags)])
    flags = wb.create_sheet("Alertas")
    xlsx_append(flags, ["Código modular", "Institución", "Mes", "Alerta", "Detalle"])
    for r in rows:
        for kind, detail in r.flags:
            xlsx_append(flags, [r.codigo_modular, r.school_name, r.month, FLAG_LABELS.get(kind, kind), detail])
    wb.save(out)
    return out
