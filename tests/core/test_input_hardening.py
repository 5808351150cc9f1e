"""Every importer refuses a file it cannot read with a Spanish message naming what is wrong:
never a traceback, never a hang (issue 11). Hypothesis fuzzes each reader with bounded time."""

import io
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qaliwarma.domain.treasury import Heading
from qaliwarma.errors import InvalidInput
from qaliwarma.io.bundle import read_bundle
from qaliwarma.io.plan_files import read_plan_file
from qaliwarma.io.recipe_files import parse_recipe
from qaliwarma.io.stock_files import (
    ACTA_COLUMNS,
    SERVICE_COLUMNS,
    read_ration_receptions,
    read_receptions,
    read_services,
)
from qaliwarma.io.tpca import read_table
from qaliwarma.io.treasury_files import COLUMNS as EXPENSE_COLUMNS
from qaliwarma.io.treasury_files import read_expenses

HEADINGS = [Heading("alimentos", "Alimentos frescos")]
LEVELS = ["inicial", "primaria"]


def _acta(path):
    return read_receptions(path, lambda text: "A52" if text else None, {})


def _plan(path):
    return read_plan_file(path, LEVELS)


def _expenses(path):
    return read_expenses(path, HEADINGS)


def _recipe(path):
    recipe, problems = parse_recipe(path, {"A52"})
    if problems:
        raise InvalidInput("receta con errores", problems)
    return recipe


READERS = {  # reader, file suffix, header row
    "acta": (_acta, ".csv", ",".join(ACTA_COLUMNS)),
    "servicios": (read_services, ".csv", ",".join(SERVICE_COLUMNS)),
    "raciones": (read_ration_receptions, ".csv", "fecha,nivel,producto,raciones_recibidas,raciones_aceptadas,conformidad"),
    "gastos": (_expenses, ".csv", ",".join(EXPENSE_COLUMNS)),
    "plan": (_plan, ".csv", "fecha,comida,nivel,preparacion"),
    "plan_toml": (_plan, ".toml", "name = \"x\""),
    "receta": (_recipe, ".toml", "id = \"x\""),
    "tabla": (read_table, ".xlsx", ""),
    "paquete": (read_bundle, ".zip", ""),
}


def _refused_cleanly(reader, path: Path) -> None:
    """The reader returns or raises InvalidInput with a Spanish message; anything else fails."""
    started = time.perf_counter()
    try:
        reader(path)
    except InvalidInput as exc:
        assert exc.message.strip() and "Traceback" not in exc.message
    assert time.perf_counter() - started < 10, "el lector tardó demasiado"


NASTY = {
    "mac_line_endings": lambda header: (header + "\r" + "01/03/2027,x,y\r").encode(),
    "utf16": lambda header: (header + "\n01/03/2027,x\n").encode("utf-16"),
    "binary": lambda header: bytes(range(256)) * 8,
    "huge_field": lambda header: (header + "\n" + "a" * 140_000 + "\n").encode(),
    "absurd_numbers": lambda header: (header + "\n" + ",".join(["1E+999999999"] * 20) + "\n"
                                      + ",".join(["1e30"] * 20) + "\n").encode(),
    "toml_datetimes": lambda header: b"name = 1979-05-27T07:32:00Z\nstart = 1979-05-27T07:32:00\n"
                                     b"[[days]]\ndate = 2027-03-15T10:00:00\ndesayuno = 07:32:00\n",
    "unclosed_quote": lambda header: (header + '\n"abc,1,2\n').encode(),
    "empty": lambda header: b"",
    "year_9999": lambda header: (header + "\n31/12/9999," + ",".join(["1"] * 15) + "\n").encode(),
}


@pytest.mark.parametrize("kind", sorted(READERS))
@pytest.mark.parametrize("case", sorted(NASTY))
def test_nasty_files_are_refused_with_a_message_never_a_traceback(tmp_path, kind, case):
    reader, suffix, header = READERS[kind]
    path = tmp_path / f"archivo{suffix}"
    path.write_bytes(NASTY[case](header))
    _refused_cleanly(reader, path)


def _zip_bomb(path: Path, *, members: int = 1, size: int = 300 * 1024 * 1024) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", b"{}")
        for n in range(members):
            with zf.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as member:
                chunk = b"\0" * (1024 * 1024)
                for _ in range(size // len(chunk)):
                    member.write(chunk)


@pytest.mark.parametrize("kind", ["acta", "gastos", "plan", "tabla", "paquete"])
def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_decompressed(tmp_path, kind):
    reader, _, _ = READERS[kind]
    path = tmp_path / ("bomba.zip" if kind == "paquete" else "bomba.xlsx")
    _zip_bomb(path)
    assert path.stat().st_size < 1_000_000  # ~0.3 MB on disk, 300 MB inside
    started = time.perf_counter()
    with pytest.raises(InvalidInput) as caught:
        reader(path)
    assert time.perf_counter() - started < 2
    assert "demasiado grande" in caught.value.message or "demasiados" in caught.value.message


def test_too_many_members_are_refused(tmp_path):
    path = tmp_path / "muchos.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for n in range(3000):
            zf.writestr(f"f{n}.csv", b"")
    with pytest.raises(InvalidInput, match="archivos internos"):
        read_bundle(path)


def test_an_amount_in_a_decimal_comma_sheet_that_could_be_thousands_is_refused_naming_the_rule(tmp_path):
    path = tmp_path / "gastos.csv"
    rows = ["fecha;rubro;tipo_documento;numero_documento;ruc_dni;proveedor;detalle;monto",
            "02/03/2027;alimentos;boleta;B001-1;20604512370;Tienda;papa;3,50",
            "03/03/2027;alimentos;boleta;B001-2;20604512370;Tienda;arroz;1,250"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_expenses(path, HEADINGS)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.field) == ("gastos.csv", 3, "monto", "monto")
    assert "coma decimal" in problem.what
    # the same amount in a sheet of decimal points is one thousand two hundred fifty, like --amount 1,250
    path.write_text("\n".join(rows).replace("3,50", "3.50") + "\n", encoding="utf-8")
    expenses, _ = read_expenses(path, HEADINGS)
    assert [e.amount for e in expenses] == [Decimal("3.50"), Decimal("1250")]


def test_a_huge_quantity_is_refused_naming_the_cell(tmp_path):
    path = tmp_path / "servicio.csv"
    path.write_text(",".join(SERVICE_COLUMNS) + "\n02/03/2027,desayuno,inicial,x,1e308,30\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_services(path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "raciones_servidas")
    assert "notación científica" in problem.what


def test_negative_nutrient_values_are_refused():
    from qaliwarma.io.tpca import _number

    problems = []
    assert _number("-3", "fila 4", problems, file="t.xlsx", row=4, column="5", field="protein_g") is None
    assert problems[0].field == "protein_g" and "no puede ser menor que cero" in problems[0].what


csv_bytes = st.binary(max_size=2000) | st.lists(
    st.lists(st.sampled_from(["", "1", "1,250", "1e30", "01/03/2027", "31/12/9999", "-5", "\"", "\r", "x" * 50,
                              "NaN", "conforme", "desayuno", "inicial", "alimentos", "boleta", "=HYPERLINK(1)"]),
             min_size=1, max_size=18), max_size=6).map(
    lambda rows: "\n".join(",".join(r) for r in rows).encode())


@pytest.mark.parametrize("kind", sorted(READERS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=csv_bytes)
def test_fuzzed_files_never_crash_a_reader(tmp_path, kind, data):
    reader, suffix, header = READERS[kind]
    path = tmp_path / f"fuzz{suffix}"
    if suffix in (".csv",):
        data = header.encode() + b"\n" + data
    elif suffix == ".toml":
        data = header.encode() + b"\n" + data
    elif suffix in (".xlsx", ".zip"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("manifest.json" if suffix == ".zip" else "xl/workbook.xml", data)
        data = buf.getvalue()
    path.write_bytes(data)
    _refused_cleanly(reader, path)
