"""Supervisor-scale data: monthly bundles of many schools × one school year, built directly (real
hash chains, real bundle format) so that importing them can be measured without running each
committee's application."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from qaliwarma.io.bundle import FACTS_FILE, csv_bytes, write_bundle
from qaliwarma.persistence.journal import GENESIS, canonical_json, entry_hash, hashed_fields

YEAR = 2027
MONTHS = range(3, 13)


def _school_days(month: int) -> list[date]:
    day, out = date(YEAR, month, 1), []
    while day.month == month:
        if day.weekday() < 5:
            out.append(day)
        day += timedelta(days=1)
    return out


class _Chain:
    def __init__(self, code: str) -> None:
        self.code, self.rows, self.prev = code, [], GENESIS

    def add(self, kind: str, day: date, payload: dict) -> int:
        seq = len(self.rows) + 1
        text = canonical_json(payload)
        recorded = datetime(day.year, day.month, day.day, 12, tzinfo=UTC).isoformat(timespec="microseconds")
        fields = hashed_fields(committee=self.code, seq=seq, kind=kind, entry_date=day.isoformat(), payload=text,
                               corrects_seq=None, correction_type=None, reason="", user="bench", recorded_at=recorded)
        digest = entry_hash(self.prev, fields)
        self.rows.append(json.dumps({**fields, "prev_hash": self.prev, "hash": digest}, sort_keys=True))
        self.prev = digest
        return seq


def write_school_year(folder: Path, n: int, *, ahead: bool = False) -> list[Path]:
    """Ten monthly bundles (March–December) of school number ``n``; every 10th school has seeded
    anomalies (rations above enrolment, a Saturday service, an overspent heading). ``ahead``: the first
    breakfast of inicial of each month after March is recorded in the month before, on its last day (a
    service entered ahead of its day: its month counts it, although its entry is in the earlier bundle)."""
    code = f"{1000000 + n:07d}"
    levels = {"inicial": 20 + n % 30, "primaria": 80 + n % 120}
    chain = _Chain(code)
    # the registration states the school's code, as the application's does: two schools' chains never
    # start with the same entry (a thousand schools repeat their enrolments, and the supervisor refuses a
    # chain whose first entry is another school's as a copied one)
    chain.add("comite.registro", date(YEAR, 3, 1), {"codigo_modular": code, "levels": [
        {"level": lv, "enrolment": e} for lv, e in levels.items()]})
    odd = n % 10 == 0
    paths, pending = [], []
    for month in MONTHS:
        days = _school_days(month)
        services, pending = pending, []
        for d_i, day in enumerate(days):
            for meal in ("desayuno", "almuerzo"):
                for level, enrolled in levels.items():
                    if ahead and month != MONTHS[0] and (d_i, meal, level) == (0, "desayuno", "inicial"):
                        continue  # recorded the month before
                    rations = enrolled - (d_i + n) % 5 + (enrolled // 5 if odd and d_i == 3 else 0)
                    seq = chain.add("servicio", day, {"day": day.isoformat(), "meal": meal, "level": level,
                                                      "recipe_id": "sierra-patachi", "rations": rations,
                                                      "attendance": rations})
                    services.append([day.isoformat(), meal, level, "sierra-patachi", rations, rations, seq])
        if odd and month == 5:
            saturday = days[-1] + timedelta(days=(5 - days[-1].weekday()) % 7 or 7)
            if saturday.month == month:
                chain.add("servicio", saturday, {"day": saturday.isoformat(), "meal": "desayuno", "level": "primaria",
                                                 "recipe_id": "sierra-patachi", "rations": 50, "attendance": 50})
        if ahead and month != MONTHS[-1]:
            first, rations = _school_days(month + 1)[0], levels["inicial"] - n % 5
            seq = chain.add("servicio", first, {"day": first.isoformat(), "meal": "desayuno", "level": "inicial",
                                                "recipe_id": "sierra-patachi", "rations": rations,
                                                "attendance": rations})
            pending.append([first.isoformat(), "desayuno", "inicial", "sierra-patachi", rations, rations, seq])
        end = date(YEAR, month, 28) + timedelta(days=4)
        end = end.replace(day=1) - timedelta(days=1)
        chain.add("periodo.cierre", end, {"month": f"{YEAR}-{month:02d}"})
        spent = "1250.00" if not odd else "1500.00"
        files = {
            "journal.jsonl": ("\n".join(chain.rows) + "\n").encode(),
            "calendario.json": json.dumps({"school_days": [d.isoformat() for d in days]}).encode(),
            "plan.csv": csv_bytes(["fecha", "comida", "nivel", "preparacion", "plan"], []),
            "cumplimiento.json": json.dumps({"summary": {"entries": 80, "ok": 60 + n % 20, "low": 20 - n % 20,
                                                         "high": 0, "unknown": 0}}).encode(),
            "servicios.csv": csv_bytes(["fecha", "comida", "nivel", "preparacion", "raciones_servidas", "asistentes",
                                        "asiento"], services),
            "lotes.csv": csv_bytes(["lote_id", "codigo", "producto", "marca", "lote", "vencimiento",
                                    "saldo_fin_de_mes_g"], [[1, "A3", "Arroz", "M", "L1", f"{YEAR + 1}-01-01", "5000"]]),
            "por_vencer.csv": csv_bytes(["lote_id", "codigo", "producto", "marca", "lote", "vencimiento",
                                         "saldo_fin_de_mes_g"], []),
            "movimientos.csv": csv_bytes(["fecha", "asiento", "lote_id", "vencimiento", "codigo", "gramos", "tipo",
                                          "motivo", "referencia"], []),
            "rendimiento.csv": csv_bytes(["codigo", "producto", "esperado_g", "salio_g", "perdidas_g", "desvio",
                                          "alerta"], []),
            "incidencias.csv": csv_bytes(["fecha", "tipo", "descripcion", "codigo", "lote", "ninos_afectados",
                                          "derivados_posta", "reportado", "referencia", "asiento"], []),
            "tesoreria.json": json.dumps({"manages_money": True, "transferred": "1400.00", "spent": spent,
                                          "balance": "150.00", "headings": [
                                              {"code": "alimentos", "name": "Alimentos", "allotted": "1000.00",
                                               "spent": "1100.00" if odd else "900.00",
                                               "balance": "-100.00" if odd else "100.00"}]}).encode(),
        }
        manifest = {"app_version": "bench", "schema": "bench", "month": f"{YEAR}-{month:02d}",
                    "exported_at": f"{end.isoformat()}T23:00:00+00:00", "closed": True,
                    "month_start": date(YEAR, month, 1).isoformat(), "month_end": end.isoformat(),
                    "committee": {"codigo_modular": code, "school_name": f"I.E. N.° {n}", "ugel": f"UGEL {n % 12}",
                                  "region": "sierra", "department": "Cusco", "province": "Cusco", "district": "Cusco",
                                  "ubigeo": "080101", "quintile": 1 + n % 5, "modality": "productos",
                                  "levels": [{"level": lv, "enrolment": e} for lv, e in levels.items()]},
                    "journal": {"entries": len(chain.rows), "head": chain.prev, "month_entries": len(services) + 1},
                    "counts": {"services": len(services)}}
        # format 2: the manifest's facts in periodo.json, covered by the bundle code (io/bundle.py)
        files[FACTS_FILE] = json.dumps({k: manifest[k] for k in ("month", "closed", "month_start", "month_end",
                                                                 "committee", "journal")},
                                       ensure_ascii=False, sort_keys=True).encode()
        path = folder / f"{code}-{YEAR}-{month:02d}.zip"
        write_bundle(path, manifest, files)
        paths.append(path)
    return paths
