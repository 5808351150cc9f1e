"""The month a supervisor can trust, through the CLI: the demo as of a day in the middle of the month is
«incompleto» and names the days without records, a plain close is refused, and the committee's summary
and the supervisor's carry the same flags with the same facts."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.e2e.conftest import run as e2e_run

MID = date(2026, 11, 13)  # a Friday in the middle of the demo month


def run(*args, db, today: date = MID, check_json: bool = False):
    """The shared runner (in-process), as of ``today``, with the demo as of the middle of the month; signed
    by the member whose role records it (``member_for``)."""
    return e2e_run(*args, db=db, check_json=check_json,
                   env={"QALIWARMA_DEMO_TODAY": MID.isoformat(), "QALIWARMA_TODAY": today.isoformat()})


@pytest.fixture(scope="module")
def mid_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("mid-month") / "plantilla.sqlite3"
    first = run("init", "--demo", db=path)
    assert first.returncode == 0, first.stderr
    return path


@pytest.fixture
def middb(mid_template, tmp_path):
    target = tmp_path / "qw.sqlite3"
    shutil.copy(mid_template, target)
    return target


def _weekdays(start: date, end: date) -> list[str]:
    """November 2026 has no public holiday on a weekday (1 November is a Sunday)."""
    days, d = [], start
    while d <= end:
        if d.weekday() < 5:
            days.append(d.isoformat())
        d += timedelta(days=1)
    return days


def test_mid_month_is_incompleto_and_names_the_days_without_records(middb):
    result = run("period", "summary", "--month", "2026-11", "--json", db=middb, check_json=True)
    assert result.returncode == 1  # not everything is «bien»
    doc = result.doc
    assert doc["month"] == "2026-11" and doc["complete"] is False
    assert doc["sections"]["registro"]["rating"] == "incompleto"
    assert doc["sections"]["raciones"]["rating"] in ("incompleto", "no_cuadra")  # never «bien»
    to_come = _weekdays(MID, date(2026, 11, 30))
    assert doc["sections"]["registro"]["facts"]["days_to_come"] == to_come
    flag = next(f for f in doc["flags"] if f["code"] == "dias_por_llegar")
    assert flag["severity"] == "incompleto" and flag["facts"]["days"] == to_come
    assert flag["facts"]["count"] == 12 and "13/11" in flag["text"] and "30/11" in flag["text"]
    for section in doc["sections"].values():
        assert section["rating"] in ("bien", "revisar", "incompleto", "no_cuadra")
    text = run("period", "summary", "--month", "2026-11", db=middb)
    assert "INCOMPLETO" in text.stdout and "13/11" in text.stdout


def test_the_same_month_reviewed_after_its_end_names_the_missing_days(middb):
    """Two weeks later nothing more was recorded: the days are now «sin registro», still incompleto."""
    doc = run("period", "summary", "--month", "2026-11", "--json", db=middb, today=date(2026, 12, 2),
              check_json=True).doc
    assert doc["complete"] is False
    flag = next(f for f in doc["flags"] if f["code"] == "dias_sin_registro")
    assert flag["facts"]["days"] == _weekdays(MID, date(2026, 11, 30))
    assert not any(f["code"] == "dias_por_llegar" for f in doc["flags"])


def test_a_plain_close_before_the_last_school_day_is_refused(middb):
    refused = run("period", "close", "2026-11", db=middb)
    assert refused.returncode == 2
    assert "30/11/2026" in refused.stderr and "--early" in refused.stderr
    assert run("period", "list", "--json", db=middb, check_json=True).doc == []
    no_reason = run("period", "close", "2026-11", "--early", db=middb)
    assert no_reason.returncode == 2 and "motivo" in no_reason.stderr
    early = run("period", "close", "2026-11", "--early", "--reason", "Cambio de directiva del comité", db=middb)
    assert early.returncode == 0, early.stderr
    assert run("period", "list", "--json", db=middb, check_json=True).doc == ["2026-11"]


def test_after_the_last_school_day_a_plain_close_is_accepted(middb):
    closed = run("period", "close", "2026-11", db=middb, today=date(2026, 12, 1))
    assert closed.returncode == 0, closed.stderr


def test_the_supervisor_sees_the_same_flags_with_the_same_facts(middb, tmp_path):
    committee = run("period", "summary", "--month", "2026-11", "--json", db=middb, check_json=True).doc
    bundle = tmp_path / "noviembre.zip"
    assert run("export", "--month", "2026-11", "--out", str(bundle), db=middb).returncode == 0
    supdb = tmp_path / "supervisor.sqlite3"
    imported = run("supervise", "import", str(bundle), db=supdb)
    assert imported.returncode == 0, imported.stderr
    rows = run("supervise", "summary", "--json", db=supdb, check_json=True).doc
    assert len(rows) == 1
    theirs = [(f["code"], f["severity"], f["facts"], f["text"]) for f in rows[0]["flags"]]
    ours = [(f["code"], f["severity"], f["facts"]) for f in committee["flags"]]
    assert sorted(ours, key=repr) == sorted([t[:3] for t in theirs], key=repr)
    assert {f["code"] for f in committee["flags"]} >= {"dias_por_llegar", "raciones_sobre_matricula",
                                                          "mes_sin_cerrar"}
    # the same rations figure: served over enrolment × school days × meals
    raciones = committee["sections"]["raciones"]["facts"]
    assert rows[0]["rations"] == raciones["rations"]
    assert round(rows[0]["rations_vs_enrolment"] * 100, 1) == float(raciones["pct"])


# ------------------------------------------------------------------------------- what left the store
def _proposed(middb, code: str, day: str, meal: str) -> tuple[Decimal, str]:
    """Grams of ``code`` the services of ``day`` × ``meal`` proposed (rations × dosing), and the lot,
    read from the kardex lines those services wrote."""
    lines = run("stock", "kardex", code, "--json", db=middb, check_json=True).doc
    mine = [ln for ln in lines if ln["kind"] == "salida" and ln["date"] == day
            and ln["reference"].split()[1:2] == [meal]]
    assert mine, f"the demo issued no {code} on {day} {meal}"
    return -sum(Decimal(str(ln["grams"])) for ln in mine), mine[0]["lot"]


def test_oil_issued_30_percent_above_the_rations_is_flagged_everywhere_with_the_same_figures(middb, tmp_path):
    expected, lot = _proposed(middb, "D9", "2026-11-12", "almuerzo")
    issued = (expected * Decimal("1.3")).quantize(Decimal("0.1"))
    sheet = tmp_path / "salidas.csv"
    sheet.write_text("fecha,comida,producto,lote,cantidad,unidad,motivo\n"
                     f"12/11/2026,almuerzo,D9,{lot},{issued},g,lo que pesó el almacenero\n", encoding="utf-8")
    before = {ln["lot"]: ln["balance_kg"] for ln in run("stock", "--json", db=middb, check_json=True).doc
              if ln["product"] == "D9"}
    recorded = run("stock", "issue", "import", str(sheet), "--json", db=middb, check_json=True)
    assert recorded.returncode == 0, recorded.stderr
    assert recorded.doc[0]["services"] == 2  # inicial and primaria had lunch that day
    after = {ln["lot"]: ln["balance_kg"] for ln in run("stock", "--json", db=middb, check_json=True).doc
             if ln["product"] == "D9"}
    # the proposal went back and what was recorded left: the lot lost the 30 % more
    assert round(before[lot] - after[lot], 4) == float((issued - expected) / 1000)

    result = run("stock", "yield", "--month", "2026-11", "--json", db=middb, check_json=True)
    assert result.returncode == 1
    oil = next(y for y in result.doc if y["product"] == "D9")
    assert oil["flagged"] and oil["days"] == ["2026-11-12"]
    assert oil["by_day"] == [{"day": "2026-11-12", "expected_g": oil["by_day"][0]["expected_g"],
                              "issued_g": oil["by_day"][0]["issued_g"]}]
    assert Decimal(oil["by_day"][0]["expected_g"]) == expected
    assert Decimal(oil["by_day"][0]["issued_g"]) == issued
    assert Decimal(oil["difference_g"]) == issued - expected
    others = [y for y in result.doc if y["product"] != "D9"]
    assert not any(y["flagged"] for y in others)  # only oil moved

    summary = run("period", "summary", "--month", "2026-11", "--json", db=middb, check_json=True).doc
    flag = next(f for f in summary["flags"] if f["code"] == "rendimiento")
    assert flag["facts"]["product"] == "D9" and flag["facts"]["days"] == ["2026-11-12"]
    assert Decimal(flag["facts"]["expected_g"]) == Decimal(oil["expected_g"])
    assert Decimal(flag["facts"]["issued_g"]) == Decimal(oil["issued_g"])
    assert summary["sections"]["almacen"]["rating"] == "no_cuadra"
    assert "Aceite" in flag["text"] and "12/11" in flag["text"]

    bundle = tmp_path / "noviembre.zip"
    assert run("export", "--month", "2026-11", "--out", str(bundle), db=middb).returncode == 0
    supdb = tmp_path / "supervisor.sqlite3"
    assert run("supervise", "import", str(bundle), db=supdb).returncode == 0
    row = run("supervise", "summary", "--json", db=supdb, check_json=True).doc[0]
    theirs = next(f for f in row["flags"] if f["code"] == "rendimiento")
    assert theirs["facts"] == flag["facts"]

    kardex = run("stock", "kardex", "D9", "--json", db=middb, check_json=True).doc
    assert [ln["kind"] for ln in kardex if ln["date"] == "2026-11-12"][-3:] == ["retorno", "retorno", "salida"]


def test_an_issue_of_a_lot_that_does_not_exist_records_nothing(middb, tmp_path):
    before = run("stock", "kardex", "D9", "--json", db=middb, check_json=True).doc
    for rows, says in (("12/11/2026,almuerzo,D9,L-2609-01,2,kg\n12/11/2026,almuerzo,D9,NO-EXISTE,2,kg\n",
                        ("fila 3", "NO-EXISTE")),
                       ("12/11/2026,almuerzo,D9,,2,kg\n12/11/2026,cena,D9,,2,kg\n", ("fila 3", "cena"))):
        sheet = tmp_path / "salidas.csv"
        sheet.write_text("fecha,comida,producto,lote,cantidad,unidad\n" + rows, encoding="utf-8")
        refused = run("stock", "issue", "import", str(sheet), db=middb)
        assert refused.returncode == 2
        assert all(s in refused.stderr for s in says), refused.stderr
        assert run("stock", "kardex", "D9", "--json", db=middb, check_json=True).doc == before  # nothing written


# ------------------------------------------------------------------------------------ losses are stock
def test_a_damaged_food_incident_lowers_the_stock_and_shows_as_a_loss(middb, tmp_path):
    from tests.core.test_reports import pages, squeeze

    def balance(lot: str) -> Decimal:
        return sum((Decimal(str(ln["balance_kg"])) for ln in run("stock", "--json", db=middb, check_json=True).doc
                    if ln["lot"] == lot), Decimal(0))

    lot = "L-2609-01"  # the demo's oil
    before = balance(lot)
    lost_before = Decimal(run("period", "summary", "--month", "2026-11", "--json", db=middb,
                              check_json=True).doc["sections"]["almacen"]["facts"]["losses_g"])
    kardex_before = run("stock", "kardex", "D9", "--json", db=middb, check_json=True).doc
    recorded = run("incident", "record", "--date", "12/11/2026", "--kind", "producto_mal_estado",
                   "--description", "Se volcó un bidón de aceite en el almacén", "--product", "D9",
                   "--lot", lot, "--quantity", "2.5", "--unit", "kg", "--json", db=middb, check_json=True)
    assert recorded.returncode == 0, recorded.stderr
    seq = recorded.doc["entry"]
    assert balance(lot) == before - Decimal("2.5")

    kardex = run("stock", "kardex", "D9", "--json", db=middb, check_json=True).doc
    new = [ln for ln in kardex if ln not in kardex_before]
    assert len(new) == 1 and new[0]["kind"] == "ajuste" and new[0]["grams"] == -2500.0
    assert new[0]["entry"] == seq and "Se volcó un bidón" in new[0]["reference"]  # the reason travels with it

    summary = run("period", "summary", "--month", "2026-11", "--json", db=middb, check_json=True).doc
    losses = [f for f in summary["flags"] if f["code"] == "merma" and f["facts"]["product"] == "D9"]
    assert len(losses) == 1 and Decimal(losses[0]["facts"]["grams_g"]) == Decimal("2500")
    assert summary["sections"]["almacen"]["rating"] in ("revisar", "no_cuadra")
    assert Decimal(summary["sections"]["almacen"]["facts"]["losses_g"]) == lost_before + 2500

    out = tmp_path / "informe.pdf"
    assert run("report", "monthly", "--month", "2026-11", "--out", str(out), db=middb).returncode == 0
    found = pages(out)
    first = squeeze(found[0])
    total_kg = f"{((lost_before + 2500) / 1000).normalize():f}"
    assert "Pérdidas de alimentos (mermas)" in first and f"perdido {total_kg} kg" in first
    assert "12/11/2026: Aceite vegetal de soya, 2.5 kg" in squeeze(" ".join(found[1:]))  # «Lo que no cuadra»
    store = next(squeeze(p) for p in found if "Almacén: movimientos por producto" in p)
    oil_row = store.split("Aceite vegetal de soya")[1][:120]
    assert "2.500" in oil_row  # the loss column, in kilos


def test_a_loss_larger_than_the_lot_records_no_incident(middb):
    before = run("incident", "list", "--json", db=middb, check_json=True).doc
    refused = run("incident", "record", "--date", "12/11/2026", "--kind", "producto_mal_estado",
                  "--description", "Se mojaron los sacos", "--product", "D9", "--lot", "L-2609-01",
                  "--quantity", "9000", "--unit", "kg", db=middb)
    assert refused.returncode == 2 and "No alcanza" in refused.stderr
    assert run("incident", "list", "--json", db=middb, check_json=True).doc == before  # both or neither


def test_after_closing_the_rendicion_is_presented_while_the_records_stay_frozen(middb):
    after = date(2026, 12, 1)
    assert run("period", "close", "2026-11", db=middb, today=after).returncode == 0
    presented = run("treasury", "state", "--month", "2026-11", "presentado", db=middb, today=after)
    assert presented.returncode == 0, presented.stderr  # a closed month still takes its rendición's course
    balance = run("treasury", "balance", "--month", "2026-11", "--json", db=middb, today=after, check_json=True).doc
    assert balance["state"] == "presentado"
    frozen = run("incident", "record", "--date", "20/11/2026", "--kind", "otro", "--description",
                 "Se cayó una olla", db=middb, today=after)
    assert frozen.returncode != 0 and "cerrado" in frozen.stderr
