"""Treasury from the command line: transfers, expense sheets as treasurers keep them, the balance."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook

from tests.e2e.conftest import run

HEADER = "fecha;rubro;tipo_documento;numero_documento;ruc_dni;proveedor;detalle;monto\n"


def test_a_sheet_with_three_mistakes_is_refused_naming_all_three(dbfile, tmp_path):
    before = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    sheet = tmp_path / "gastos.csv"
    sheet.write_bytes((HEADER
                       + "10/11/2026;Gas;factura;F001-000555;20604512371;Gas SAC;Balón de gas;58,00\n"
                       + "11/11/2026;Limpieza;boleta;B001-000777;20604512370;Bazar;Lejía;-12,50\n"
                       + "12/11/2026;Fiestas;boleta;B001-000778;20604512370;Bazar;Globos;15,00\n").encode("latin-1"))
    r = run("treasury", "import", str(sheet), db=dbfile)
    assert r.returncode == 2
    assert "fila 2, columna ruc_dni: El RUC «20604512371» no es válido" in r.stderr
    assert "fila 3, columna monto: el monto debe ser mayor que cero" in r.stderr
    assert "fila 4, columna rubro: rubro «Fiestas» desconocido" in r.stderr
    after = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    assert after == before


def test_xlsx_sheet_dry_run_then_import_and_balance(dbfile, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(";"))
    ws.append(["13/11/2026", "otros", "boleta", "B001-000900", 20604512370, "Librería", "Cuaderno de actas", 12.5])
    ws.append(["2026-11-14", "Limpieza", "Boleta de venta", "B001-000901", "20604512370", "Bazar", "Escoba", "9.90"])
    path = tmp_path / "gastos.xlsx"
    wb.save(path)
    before = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    dry = run("treasury", "import", str(path), "--dry-run", "--json", db=dbfile, check_json=True)
    assert dry.returncode == 0 and dry.doc["total"] == "22.40"
    assert run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc == before
    assert run("treasury", "import", str(path), db=dbfile).returncode == 0
    after = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    from decimal import Decimal

    assert Decimal(after["spent"]) - Decimal(before["spent"]) == Decimal("22.40")
    assert Decimal(after["bank"]) + Decimal(after["cash_on_hand"]) == Decimal(after["balance"])


def test_transfer_command(dbfile):
    from decimal import Decimal

    before = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    r = run("treasury", "transfer", "--date", "20/11/2026", "--amount", "1,250.00", "--reference", "BN 77",
            db=dbfile)
    assert r.returncode == 0
    b = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    assert Decimal(b["transferred"]) - Decimal(before["transferred"]) == Decimal("1250.00")
    bad = run("treasury", "transfer", "--date", "31/11/2026", "--amount", "10", db=dbfile)
    assert bad.returncode == 2 and "dd/mm/aaaa" in bad.stderr


def test_a_sheet_with_only_the_contracts_columns_imports_a_movilidad_and_a_declaracion_jurada(dbfile, tmp_path):
    """`detalle` says what and where (declaración jurada) or from, to and why (planilla de movilidad)."""
    from decimal import Decimal

    from qaliwarma.domain.treasury import Heading
    from qaliwarma.io.treasury_files import read_expenses

    sheet = tmp_path / "gastos.csv"
    sheet.write_text(HEADER
                     + "16/11/2026;Alimentos;declaración jurada;DJ-001;41234567;Juana Quispe;"
                       "Papa amarilla 50 kg en la feria de Acobamba;75,00\n"
                     + "17/11/2026;Transporte;planilla de movilidad;PM-001;41234567;Rosa Huamán;"
                       "Acobamba - Huancavelica: recojo de alimentos de la UT;18,00\n", encoding="utf-8")
    before = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    r = run("treasury", "import", str(sheet), db=dbfile)
    assert r.returncode == 0, r.stderr
    after = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    assert Decimal(after["spent"]) - Decimal(before["spent"]) == Decimal("93.00")
    read, _where = read_expenses(sheet, [Heading("alimentos", "Alimentos"), Heading("transporte", "Transporte")])
    saved = {e.doc_number: e.extra for e in read}  # what the import recorded for each document
    assert saved["DJ-001"] == {"que": "Papa amarilla 50 kg", "donde": "la feria de Acobamba"}
    assert saved["PM-001"] == {"origen": "Acobamba", "destino": "Huancavelica",
                               "motivo": "recojo de alimentos de la UT"}


def test_a_movilidad_whose_detalle_lacks_the_trip_is_refused_saying_how_to_write_it(dbfile, tmp_path):
    sheet = tmp_path / "gastos.csv"
    sheet.write_text(HEADER + "17/11/2026;Transporte;planilla de movilidad;PM-002;41234567;Rosa Huamán;"
                              "pasajes;18,00\n", encoding="utf-8")
    r = run("treasury", "import", str(sheet), db=dbfile)
    assert r.returncode == 2
    assert "fila 2, columna detalle: una planilla de movilidad dice de dónde, a dónde y para qué" in r.stderr
    assert "«Acobamba - Huancavelica: recojo de alimentos»" in r.stderr


def test_each_import_template_is_written_and_its_example_row_imports(tmp_path):
    from openpyxl import load_workbook

    from qaliwarma.domain.treasury import Heading
    from qaliwarma.io.plan_files import read_plan_file
    from qaliwarma.io.stock_files import read_receptions, read_services
    from qaliwarma.io.treasury_files import read_expenses

    paths = {}
    for kind in ("acta", "raciones", "gastos", "plan"):
        paths[kind] = tmp_path / f"plantilla-{kind}.xlsx"
        r = run("template", kind, str(paths[kind]))
        assert r.returncode == 0, r.stderr
        book = load_workbook(paths[kind])
        assert book.sheetnames == [kind, "Explicación"]
        headers = [c.value for c in book[kind][1]]
        explained = [row[0] for row in book["Explicación"].iter_rows(min_row=3, values_only=True) if row[0]]
        assert explained[:len(headers)] == headers  # every column explained, in order
    expenses, _where = read_expenses(paths["gastos"], [Heading("alimentos", "Alimentos")])
    assert expenses[0].doc_type == "declaracion_jurada" and expenses[0].extra["donde"] == "la feria de Acobamba"
    assert read_plan_file(paths["plan"], ["inicial", "primaria"]).entries[0].meal == "desayuno"
    served = read_services(paths["raciones"])[0][0]
    assert served.rations == 131 and served.outside_origin == "aporte de padres"  # the optional column
    assert read_receptions(paths["acta"], lambda text: "G5", {})[0][0].acta == "AER-2026-000731"
    assert run("template", "otra", str(tmp_path / "x.xlsx")).returncode == 2


def test_a_dry_run_says_once_which_rows_leave_a_heading_under_ten_percent(dbfile, tmp_path):
    from decimal import Decimal

    gas = next(h for h in run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile,
                              check_json=True).doc["headings"] if h["code"] == "gas")
    allotted, left = Decimal(gas["allotted"]), Decimal(gas["balance"])
    first = left - (allotted * Decimal("0.09")).quantize(Decimal("0.01"))  # leaves 9 % of what gas was allotted
    assert first > 0
    rows = [f"13/11/2026;Gas;boleta;B009-000001;20604512370;Gas SAC;Balón de gas;{first};banco\n"]
    rows += [f"13/11/2026;Gas;boleta;B009-00000{n};20604512370;Gas SAC;Manguera;1.00;banco\n" for n in range(2, 7)]
    rows.insert(3, "13/11/2026;Otros;boleta;B009-000099;20604512370;Librería;Cuaderno;1.00;banco\n")  # row 5
    sheet = tmp_path / "gastos.csv"
    sheet.write_text(HEADER.replace("monto\n", "monto;pago\n") + "".join(rows), encoding="utf-8")
    expected_left = left - first - 5  # five expenses of S/ 1.00 after the first

    dry = run("treasury", "import", str(sheet), "--dry-run", db=dbfile)

    assert dry.returncode == 0, dry.stderr
    said = [line for line in dry.stdout.splitlines() if "menos del 10 %" in line]
    assert said == [f"Aviso: gastos.csv: filas 2–4 y 6–8: tras cada uno de estos 6 gastos al rubro Gas le queda "
                    f"menos del 10 %; tras el último, S/ {expected_left:,.2f}"]
    doc = run("treasury", "import", str(sheet), "--dry-run", "--json", db=dbfile, check_json=True).doc
    assert doc["heading_warnings"] == [{"heading": "gas", "kind": "poco", "left": f"{expected_left:.2f}",
                                        "rows": [2, 3, 4, 6, 7, 8]}]


def test_a_transfer_typed_wrong_is_cancelled_from_the_command_line_with_its_reason(dbfile):
    """`treasury reverse ENTRY --reason` cancels a transfer, a withdrawal or an expense (the entry number the
    recording printed); the balance goes back by the amount; the reason is in the journal; an entry that is not
    money, or a missing reason, is refused with a plain message and nothing changes."""
    def bank():
        return Decimal(run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc["bank"])

    before = bank()
    made = run("treasury", "transfer", "--date", "20/11/2026", "--amount", "9000", "--reference", "BN 9",
               "--json", db=dbfile, check_json=True)
    assert made.returncode == 0, made.stderr
    wrong = made.doc["entry"]
    assert bank() == before + 9000
    refused = run("treasury", "reverse", "1", "--reason", "prueba", db=dbfile)  # entry 1 registers the committee
    assert refused.returncode != 0 and "no es una transferencia, un retiro ni un gasto" in refused.stderr
    empty = run("treasury", "reverse", str(wrong), "--reason", "  ", db=dbfile)
    assert empty.returncode != 0 and "motivo" in empty.stderr and bank() == before + 9000
    done = run("treasury", "reverse", str(wrong), "--reason", "era 900, no 9000", "--json", db=dbfile,
               check_json=True)
    assert done.returncode == 0, done.stderr
    assert done.doc["reverses"] == wrong and bank() == before
    again = run("treasury", "reverse", str(wrong), "--reason", "otra vez", db=dbfile)
    assert again.returncode != 0 and bank() == before
    assert run("verify", db=dbfile).returncode == 0


def test_a_dry_run_names_a_row_dated_in_a_closed_month_as_the_real_import_would(dbfile, tmp_path):
    """`treasury import --dry-run` said a sheet was fine when a row was dated in a closed month; the real import
    then failed. Both now name the row and its date, and nothing is recorded."""
    today = {"QALIWARMA_TODAY": "2026-12-04", "QALIWARMA_DEMO_TODAY": "2026-12-04"}
    assert run("period", "close", "2026-11", db=dbfile, env=today).returncode == 0
    sheet = tmp_path / "gastos.csv"
    sheet.write_text(HEADER + "28/11/2026;gas;boleta;B001-009001;20604512370;Gas SAC;Balón de gas;40,00\n",
                     encoding="utf-8")
    for dry in (["--dry-run"], []):
        r = run("treasury", "import", str(sheet), *dry, db=dbfile, env=today)
        assert r.returncode != 0, (dry, r.stdout)
        assert "fila 2" in r.stderr and "fecha" in r.stderr and "2026-11 está cerrado" in r.stderr, (dry, r.stderr)


def test_absurd_entry_numbers_and_months_are_named_not_a_traceback(dbfile):
    for entry in ("9223372036854775808", "0", "-3", "siete"):
        r = run("treasury", "reverse", entry, "--reason", "x", db=dbfile)
        assert r.returncode != 0 and "no es un número de asiento" in r.stderr, (entry, r.stderr)
    for month in ("0001-01", "9999-12", "1899-05"):
        for args in (("treasury", "balance", "--month", month), ("report", "cash-book", "--month", month, "--out",
                                                                  str(dbfile.parent / "x.pdf"))):
            r = run(*args, db=dbfile)
            assert r.returncode != 0 and "el año debe estar entre 1990 y 2199" in r.stderr, (args, r.stderr)
    r = run("period", "close", "0001-01", db=dbfile)
    assert r.returncode != 0 and "el año debe estar entre" in r.stderr, r.stderr
