"""Reception, stock and service from files that committees fill by hand."""

from __future__ import annotations

from tests.e2e.conftest import run

ACTA = (
    "fecha;acta;proveedor_ruc;proveedor;producto;marca;presentacion;unidad;cantidad;lote;fecha_produccion;"
    "fecha_vencimiento;registro_sanitario;estado_envase;conformidad;observacion;cantidad_aceptada\n"
    "01/12/2026;AER-99;20604512370;Distribuidora Sur;Lentejas;Don Grano;1 kg;BOLSA;40;LEN-1;01/09/2026;"
    "01/09/2027;A111N/NADSA;bueno;conforme;;\n"
    "01/12/2026;AER-99;20604512370;Distribuidora Sur;E34;Mar Azul;0,170 kg;LATA;120;CAB-9;01/08/2026;"
    "01/08/2029;P222N/NADSA;abollado;parcial;10 latas abolladas;110\n"
    "01/12/2026;AER-99;20604512370;Distribuidora Sur;A3;Costeño;1 kg;BOLSA;50;ARZ-3;01/10/2026;"
    "01/10/2027;A333N/NADSA;roto;rechazado;bolsas rotas y húmedas;\n"
)


def test_acta_import_stock_and_recall(dbfile, tmp_path):
    acta = tmp_path / "acta.csv"
    acta.write_bytes(ACTA.encode("latin-1"))
    r = run("receive", "import", str(acta), "--json", db=dbfile, check_json=True)
    assert r.returncode == 0, r.stderr
    assert r.doc["conformity"] == {"AER-99": "parcial"}
    assert r.doc["accepted_kg"] == 40 + 110 * 0.17 and r.doc["rejected_kg"] == 10 * 0.17 + 50
    held = {(x["product"], x["lot"]): x["balance_kg"] for x in run("stock", "--json", db=dbfile, check_json=True).doc}
    assert held[("T52", "LEN-1")] == 40.0 and held[("E34", "CAB-9")] == 18.7
    assert not [k for k in held if k[0] == "A3"]
    again = run("receive", "import", str(acta), db=dbfile)
    assert again.returncode == 2 and "ya fue registrada" in again.stderr


def test_a_bad_acta_imports_nothing_and_lists_every_bad_row(dbfile, tmp_path):
    bad = ACTA.replace("Lentejas", "Lentejotas").replace("0,170 kg", "0,170 kgz").replace(";110\n", ";\n")
    acta = tmp_path / "acta.csv"
    acta.write_text(bad, encoding="utf-8")
    before = run("stock", "--json", db=dbfile, check_json=True).doc
    r = run("receive", "import", str(acta), db=dbfile)
    assert r.returncode == 2
    assert "fila 2, columna producto: «Lentejotas»" in r.stderr
    assert "fila 3, columna presentacion" in r.stderr and "kgz" in r.stderr
    assert "fila 3, columna cantidad_aceptada" in r.stderr
    assert run("stock", "--json", db=dbfile, check_json=True).doc == before


def test_serve_import_takes_food_from_stock_and_recall_lists_servings(dbfile, tmp_path):
    served = tmp_path / "raciones.csv"
    served.write_text("fecha,comida,nivel,preparacion,raciones_servidas,asistentes,origen_fuera\n"
                      # December: the demo fills November's service days up to the day it runs
                      "01/12/2026,desayuno,inicial,sierra-api-pan-queso,10,11,aporte de padres\n"
                      "01/12/2026,desayuno,primaria,sierra-api-pan-queso,12,12,aporte de padres\n", encoding="utf-8")
    before = {x["lot"]: x["balance_kg"] for x in run("stock", "--json", db=dbfile, check_json=True).doc}
    r = run("serve", "import", str(served), "--json", db=dbfile, check_json=True)
    assert r.returncode == 0, r.stderr
    assert r.doc["rations"] == 22
    after = {x["lot"]: x["balance_kg"] for x in run("stock", "--json", db=dbfile, check_json=True).doc}
    assert after != before and all(after[k] <= before[k] for k in after)
    lot = next(k for k in after if after[k] < before[k])
    recall = run("stock", "recall", "--lot", lot, "--json", db=dbfile, check_json=True)
    days = {(s["date"], s["meal"], s["level"]) for s in recall.doc["servings"]}
    assert ("2026-12-01", "desayuno", "primaria") in days
    dup = run("serve", "import", str(served), db=dbfile)
    assert dup.returncode == 2 and "ya hay un registro de servicio" in dup.stderr


def test_ready_rations_received_from_a_file(dbfile, tmp_path):
    sheet = tmp_path / "raciones.csv"
    sheet.write_text("fecha,nivel,producto,raciones_recibidas,raciones_aceptadas,conformidad,observacion\n"
                     "27/11/2026,inicial,Leche con pan,38,38,conforme,\n"
                     "27/11/2026,primaria,Leche con pan,142,140,parcial,2 panes aplastados\n", encoding="utf-8")
    r = run("receive", "rations", str(sheet), "--json", db=dbfile, check_json=True)
    assert r.returncode == 0 and r.doc["accepted"] == 178 and r.doc["received"] == 180
    again = run("receive", "rations", str(sheet), db=dbfile)
    assert again.returncode == 2 and "ya se registró" in again.stderr
