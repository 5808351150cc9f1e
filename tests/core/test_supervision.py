"""Month end and supervision: close, export, verify, import into a supervisor database (SQLite and
PostgreSQL), summary with the anomalies seeded in the demo."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date

import pytest

from qaliwarma.domain.menus import PlanEntry
from qaliwarma.domain.stock import ServiceInput
from qaliwarma.errors import InvalidInput, PeriodClosed
from qaliwarma.io.bundle import BundleRefused, read_bundle
from qaliwarma.persistence.engine import open_database
from qaliwarma.services import committee, demo, export, periods, planning, serving, supervision
from qaliwarma.services.setup import demo_form

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def closed_demo(template_sqlite, tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-closed")
    path = folder / "demo.sqlite3"
    shutil.copy(template_sqlite, path)
    db = open_database(f"sqlite:///{path}")
    info = committee.register(db, demo_form(), user="demo")
    demo.create(db, info, today=TODAY)
    periods.close(db, info.id, "2026-11", user="Rosa", today=date(2026, 12, 1))
    bundle = folder / "0456789-2026-11.zip"
    manifest = export.export_month(db, info, "2026-11", bundle)
    db.dispose()
    return path, bundle, manifest


@pytest.fixture
def demo_db(closed_demo, tmp_path):
    path, _, _ = closed_demo
    target = tmp_path / "demo.sqlite3"
    shutil.copy(path, target)
    db = open_database(f"sqlite:///{target}")
    yield db, committee.current(db)
    db.dispose()


def _altered_copy(bundle, tmp_path, old: bytes, new: bytes, name="journal.jsonl", *, forge_manifest=False):
    """A copy of the bundle with one value changed inside one file, rebuilt exactly as the
    application writes bundles; ``forge_manifest`` also updates that file's hash in the manifest."""
    from qaliwarma.io.bundle import _canonical_zip, sha256

    with zipfile.ZipFile(bundle) as src:
        members = [(item, src.read(item)) for item in src.namelist()]
    out = []
    for item, data in members:
        if item == name:
            assert old in data
            data = data.replace(old, new, 1)
            new_hash = sha256(data)
        out.append((item, data))
    if forge_manifest:
        manifest = json.loads(out[0][1])
        manifest["files"][name] = new_hash
        out[0] = ("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode())
    target = tmp_path / "alterado.zip"
    target.write_bytes(_canonical_zip(out))
    return target


def test_a_closed_month_refuses_entries_and_plan_changes(demo_db):
    db, info = demo_db
    with pytest.raises(PeriodClosed):
        serving.record(db, info, [ServiceInput(date(2026, 11, 27), "desayuno", "inicial",
                                               "sierra-api-pan-queso", 30, 30, outside_origin="Aporte de padres")],
                       user="Cocina")
    plan = planning.list_plans(db, info.id)[0]
    with pytest.raises(InvalidInput, match="está cerrado"):
        planning.assign(db, info, plan.id, date(2026, 11, 27), "desayuno", "inicial", None)
    with pytest.raises(InvalidInput, match="ya está cerrado"):
        periods.close(db, info.id, "2026-11", user="Rosa", today=date(2026, 12, 2))


def test_the_export_code_does_not_change_when_later_months_go_on(demo_db, closed_demo):
    db, info = demo_db
    _, _, manifest = closed_demo
    planning.create_plan(db, info, "Diciembre", date(2026, 12, 1), date(2026, 12, 4),
                         [PlanEntry(date(2026, 12, 1), "desayuno", "inicial", "sierra-api-pan-queso")])
    serving.record(db, info, [ServiceInput(date(2026, 12, 1), "desayuno", "inicial", "sierra-api-pan-queso",
                                           30, 30, outside_origin="Aporte de padres")], user="Cocina")
    assert export.month_code(db, info, "2026-11") == manifest["bundle_code"]


def test_verify_accepts_the_bundle_and_names_an_altered_amount(closed_demo, tmp_path):
    _, bundle, manifest = closed_demo
    good = read_bundle(bundle)
    assert good.chain.ok and good.manifest["bundle_code"] == manifest["bundle_code"]
    journal = good.journal()
    service = next(r for r in journal if r["kind"] == "servicio")
    rations = json.loads(service["payload"])["rations"]
    old = f'\\"rations\\":{rations},'.encode()
    altered = _altered_copy(bundle, tmp_path, old, f'\\"rations\\":{rations + 1},'.encode())
    with pytest.raises(BundleRefused, match="journal.jsonl fue modificado"):
        read_bundle(altered)
    # Someone who also rewrites the manifest's hash is caught by the chain, which names the entry.
    forged = _altered_copy(bundle, tmp_path, old, f'\\"rations\\":{rations + 1},'.encode(), forge_manifest=True)
    with pytest.raises(BundleRefused, match=f"asiento n.º {service['seq']}: su contenido fue modificado"):
        read_bundle(forged)


def test_a_bundle_with_one_byte_changed_is_refused(closed_demo, tmp_path):
    _, bundle, _ = closed_demo
    data = bytearray(bundle.read_bytes())
    data[len(data) // 3] ^= 0x01
    broken = tmp_path / "roto.zip"
    broken.write_bytes(bytes(data))
    with pytest.raises(BundleRefused):
        read_bundle(broken)


def test_supervisor_import_summary_and_flags(empty_db, closed_demo, tmp_path):
    _, bundle, manifest = closed_demo
    broken = tmp_path / "roto.zip"
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    broken.write_bytes(bytes(data))
    results = supervision.import_bundles(empty_db, [bundle, broken])
    assert [r.status for r in results] == ["importado", "rechazado"]
    again = supervision.import_bundles(empty_db, [bundle])
    assert again[0].status == "sin_cambios"
    rows = supervision.summary(empty_db, month="2026-11")
    assert len(rows) == 1
    row = rows[0]
    kinds = {f.code for f in row.flags}
    # the anomalies seeded in the demo data
    assert {"raciones_sobre_matricula", "servicio_dia_no_lectivo", "rendimiento", "incidencia_ninos"} <= kinds
    assert row.enrolment == 38 + 142 and row.closed
    served = sum(int(r["raciones_servidas"]) for r in read_bundle(bundle).csv("servicios.csv"))
    assert row.rations == served
    assert row.compliance_rate is not None and 0 < row.compliance_rate <= 1
    flagged = supervision.summary(empty_db, flagged_only=True)
    assert [r.codigo_modular for r in flagged] == ["0456789"]
    xlsx = supervision.export_summary_xlsx(rows, tmp_path / "resumen.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert sheet["A2"].value == "0456789" and sheet.max_row == 2


def test_a_newer_bundle_replaces_the_older_visibly(empty_db, demo_db, closed_demo, tmp_path):
    db, info = demo_db
    _, bundle, manifest = closed_demo
    supervision.import_bundles(empty_db, [bundle])
    # The committee exports the month again after a correction in an open month: a new code.
    newer = tmp_path / "nuevo.zip"
    from qaliwarma.io.bundle import write_bundle

    m, files = export.build_bundle(db, info, "2026-11")
    files["por_vencer.csv"] += b""
    m = {**m, "exported_at": "2099-01-01T00:00:00+00:00"}
    files["incidencias.csv"] = files["incidencias.csv"] + b""
    files["calendario.json"] = json.dumps({"school_days": json.loads(files["calendario.json"])["school_days"][:-1]}
                                          ).encode()
    write_bundle(newer, m, files)
    result = supervision.import_bundles(empty_db, [newer])[0]
    assert result.status == "reemplazado" and "reemplaza" in result.message
    # same journal, other files: the supervisor is told to compare the printed code
    assert "mismo diario y otros archivos" in result.message and "informe impreso" in result.message
    days = len(json.loads(read_bundle(bundle).files["calendario.json"])["school_days"])
    row = supervision.summary(empty_db, month="2026-11")[0]
    assert row.replacements == 1 and row.school_days == days - 1
    # the printed code is the first one's: the supervisor imports it again and it is the month's again
    older_again = supervision.import_bundles(empty_db, [bundle])[0]
    assert older_again.status == "restablecido", older_again
    assert supervision.summary(empty_db, month="2026-11")[0].school_days == days
    # the altered one stays on record, refused
    again = supervision.import_bundles(empty_db, [newer])[0]
    assert again.status == "rechazado" and "volvió al paquete" in again.message


def test_the_window_knows_a_supervisors_database_by_its_bundles(empty_db, closed_demo):
    """The desktop shows «Supervisión» on a database holding committees' bundles (asked at every start)."""
    from qaliwarma.services.database import holds_bundles

    _, bundle, _manifest = closed_demo
    assert not holds_bundles(empty_db)
    supervision.import_bundles(empty_db, [bundle])
    assert holds_bundles(empty_db)
