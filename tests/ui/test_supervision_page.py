"""Supervisión: importing committees' packages into a supervisor database (no committee of its own),
each verified first; the summary per school and month, filtered, with the alerts in plain Spanish."""

from __future__ import annotations

import dataclasses
import shutil
import tomllib
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qaliwarma.domain.committee import LevelForm
from qaliwarma.persistence.engine import open_database
from qaliwarma.services import committee, export, periods, supervision
from qaliwarma.services.supervision import ImportResult
from tests.ui.conftest import REAL_RECIPES
from ui.context import AppContext
from ui.models.base import RowsProxy
from ui.models.sup_summary import ImportResultModel, SummaryModel
from ui.pages.supervision import SupervisionPage

DEMO = "0456789"
OTHER = "0999999"

FLAG_LABELS = {code: kind["title"] for code, kind in tomllib.loads(
    (Path(__file__).resolve().parents[2] / "resources" / "checks" / "flags.toml").read_text(encoding="utf-8")).items()}


@pytest.fixture(scope="module")
def bundles(demo_template, tmp_path_factory) -> dict[str, Path]:
    """Packages made as committees make them: the demo school's November exported while open
    ("abierto") and again once closed ("bueno"); another school's January (nothing to flag), March and
    May (April never sent)."""
    folder = tmp_path_factory.mktemp("paquetes")
    shutil.copy(demo_template, folder / "comites.sqlite3")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QALIWARMA_RECIPES", str(REAL_RECIPES))
        db = open_database(f"sqlite:///{folder / 'comites.sqlite3'}")
        info = committee.current(db)
        out = {"abierto": folder / f"{DEMO}-2026-11-abierto.zip", "bueno": folder / f"{DEMO}-2026-11.zip"}
        export.export_month(db, info, "2026-11", out["abierto"])
        periods.close(db, info.id, "2026-11", user="t", today=date(2026, 12, 1))
        export.export_month(db, info, "2026-11", out["bueno"])
        form = dataclasses.replace(info.form, codigo_modular=OTHER, school_name="I.E. N.° 999 Otra Escuela",
                                   ugel="UGEL Acobamba", levels=[LevelForm("primaria", 50, OTHER)])
        other = committee.register(db, form, user="t")
        for month in ("2026-01", "2026-03", "2026-05"):
            periods.close(db, other.id, month, user="t", today=date(2026, 12, 1))
            out[month] = folder / f"{OTHER}-{month}.zip"
            export.export_month(db, other, month, out[month])
        db.dispose()
    return out


@pytest.fixture
def page(qtbot, ui_db, runner, wait_idle):
    ctx = AppContext(ui_db, runner, None, user="supervisora")  # a supervisor's database: no committee
    widget = SupervisionPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1136, 650)
    widget.show()
    widget.refresh()
    wait_idle()
    return widget


def _import(page, wait_idle, *paths: Path) -> dict[str, str]:
    page.import_paths(list(paths))
    wait_idle()
    return page.results.statuses()


def _shown_results(page) -> dict[str, tuple[str, str]]:
    model = page.results.model
    return {model.index(r, 0).data(): (model.index(r, 1).data(), model.index(r, 4).data())
            for r in range(model.rowCount())}


def _altered_copy(source: Path, target: Path) -> Path:
    """The same package with one byte of its journal changed (re-zipped, as someone editing it would)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "journal.jsonl":
                at = data.index(b'"rations\\":') + len(b'"rations\\":')
                data = data[:at] + bytes([data[at] ^ 1]) + data[at + 1:]
            zout.writestr(item, data)
    return target


def _flipped_copy(source: Path, target: Path) -> Path:
    """The package with one raw byte flipped inside its compressed journal, so that it no longer inflates."""
    raw = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as zf:
        info = zf.getinfo("journal.jsonl")
    name_len, extra_len = (int.from_bytes(raw[info.header_offset + n:info.header_offset + n + 2], "little")
                           for n in (26, 28))
    start = info.header_offset + 30 + name_len + extra_len
    for at in range(start, start + info.compress_size):
        data = bytearray(raw[start:start + info.compress_size])
        data[at - start] ^= 0x55
        try:
            zlib.decompressobj(-15).decompress(bytes(data))
        except zlib.error:
            raw[at] ^= 0x55
            target.write_bytes(bytes(raw))
            return target
    pytest.fail("no byte found that breaks the compressed journal")


def test_before_any_import_it_says_what_to_do(page):
    assert page.stack.currentWidget() is page.empty
    assert "Importar paquetes…" in page.empty.text()
    assert not page.excel_button.isEnabled()


def test_a_good_package_is_imported_and_an_altered_copy_refused(page, bundles, tmp_path, wait_idle, ui_db):
    altered = _altered_copy(bundles["bueno"], tmp_path / "alterado.zip")
    statuses = _import(page, wait_idle, bundles["bueno"], altered)
    assert statuses == {bundles["bueno"].name: "importado", "alterado.zip": "rechazado"}
    shown = _shown_results(page)
    assert shown[bundles["bueno"].name][0] == "importado"
    assert shown["alterado.zip"] == ("RECHAZADO", "el archivo journal.jsonl fue modificado después de exportarse.")
    assert page.bottom.currentWidget() is page.results  # the outcome is on screen
    assert "1 RECHAZADO" in page.results.summary.text()
    assert "vuelva a exportar" in page.results.advice.text()
    assert page.model.rowCount() == 1 and page.model.row_at(0).codigo_modular == DEMO
    assert [r.codigo_modular for r in supervision.summary(ui_db)] == [DEMO]  # nothing of the altered one


def test_a_package_that_no_longer_unzips_is_refused_and_the_others_still_load(page, bundles, tmp_path, wait_idle):
    broken = _flipped_copy(bundles["bueno"], tmp_path / "roto.zip")
    statuses = _import(page, wait_idle, broken, bundles["2026-01"])
    assert statuses == {"roto.zip": "rechazado", bundles["2026-01"].name: "importado"}
    status, reason = _shown_results(page)["roto.zip"]
    assert status == "RECHAZADO" and ("dañado" in reason or "alterado" in reason)
    assert [r.codigo_modular for r in page.model.rows()] == [OTHER]


def test_importing_the_same_file_again_changes_nothing(page, bundles, wait_idle):
    _import(page, wait_idle, bundles["bueno"])
    rows = page.model.rows()
    statuses = _import(page, wait_idle, bundles["bueno"])
    assert statuses == {bundles["bueno"].name: "sin_cambios"}
    assert _shown_results(page)[bundles["bueno"].name] == ("sin cambios", "ya estaba importado")
    assert page.model.rows() == rows


def test_a_newer_package_replaces_the_older_one_visibly(page, bundles, wait_idle):
    _import(page, wait_idle, bundles["abierto"])
    assert "El mes no está cerrado" in " ".join(page.detail.alert_lines)
    statuses = _import(page, wait_idle, bundles["bueno"])
    assert statuses == {bundles["bueno"].name: "reemplazado"}
    status, reason = _shown_results(page)[bundles["bueno"].name]
    assert status == "REEMPLAZADO" and reason.startswith("reemplaza al paquete exportado el ")
    assert "REEMPLAZADO" in page.results.advice.text()
    assert page.model.rowCount() == 1
    assert page.model.index(0, SummaryModel.REPLACEMENTS).data() == "1"
    page.show_detail()
    assert "El mes no está cerrado" not in " ".join(page.detail.alert_lines)  # the new package's alerts


def test_the_table_is_the_supervision_summary_with_visits_first(page, bundles, wait_idle, ui_db):
    _import(page, wait_idle, bundles["2026-01"], bundles["bueno"], bundles["2026-03"], bundles["2026-05"])
    assert page.model.rows() == supervision.summary(ui_db)
    shown = page.shown_rows()
    counts = [len(r.flags) for r in shown]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0 and counts[-1] == 0
    row = shown[0]
    cells = [page.proxy.index(0, c).data() for c in range(page.proxy.columnCount())]
    assert cells[SummaryModel.ALERTS] == str(len(row.flags))
    assert cells[SummaryModel.SCHOOL] == f"{row.school_name}\n{row.codigo_modular} · {row.ugel}"
    assert cells[SummaryModel.BALANCE].startswith("S/ ")
    assert "escuela y mes" in page.count_label.text()


def test_filters_month_ugel_and_only_with_alerts(page, bundles, wait_idle, ui_db):
    _import(page, wait_idle, bundles["2026-01"], bundles["bueno"], bundles["2026-05"])
    assert "2026-01" in {r.month for r in page.shown_rows()}
    page.flagged_only.setChecked(True)
    assert page.shown_rows() == supervision.summary(ui_db, flagged_only=True)
    assert all(r.flags for r in page.shown_rows())
    assert "2026-01" not in {r.month for r in page.shown_rows()}  # the school month with nothing to flag

    page.flagged_only.setChecked(False)
    page.month_combo.setCurrentIndex(page.month_combo.findData("2026-01"))
    assert page.shown_rows() == supervision.summary(ui_db, month="2026-01")
    assert page.table.isColumnHidden(SummaryModel.MONTH)  # the same on every row

    page.month_combo.setCurrentIndex(0)
    page.ugel_combo.setCurrentIndex(page.ugel_combo.findData("UGEL Huancavelica"))
    assert page.shown_rows() == supervision.summary(ui_db, ugel="UGEL Huancavelica")

    page.ugel_combo.setCurrentIndex(0)
    page.search.setText("otra escuela")
    page.search.flush()
    assert {r.codigo_modular for r in page.shown_rows()} == {OTHER}
    page.search.setText("nada parecido")
    page.search.flush()
    assert page.shown_rows() == []
    assert "Ninguna fila con estos filtros" in page.count_label.text()
    assert not page.excel_button.isEnabled()


def test_choosing_a_row_shows_its_alerts_in_plain_words(page, bundles, wait_idle, ui_db):
    _import(page, wait_idle, bundles["bueno"], bundles["2026-01"], bundles["2026-03"], bundles["2026-05"])
    assert page.select(DEMO, "2026-11")
    page.show_detail()
    demo_row = next(r for r in supervision.summary(ui_db) if r.codigo_modular == DEMO)
    assert len(page.detail.alert_lines) == len(demo_row.flags)
    assert (f"{FLAG_LABELS['raciones_sobre_matricula']}: 10/11/2026, desayuno de inicial: 50 raciones para 38 "
            "matriculados") in page.detail.alert_lines
    assert any(line.startswith(FLAG_LABELS["servicio_dia_no_lectivo"] + ": 21/11/2026") for line in page.detail.alert_lines)
    assert "Meses sin reporte: ninguno." == page.detail.missing.text()

    assert page.select(OTHER, "2026-01")
    assert page.detail.alert_lines == []
    assert page.detail.alerts_title.text().startswith("Sin alertas")
    assert "abril de 2026" in page.detail.missing.text()  # March and May arrived, April did not
    assert "I.E. N.° 999 Otra Escuela (0999999) — enero de 2026" == page.detail.heading.text()


def test_exporting_what_is_shown_to_excel(page, bundles, wait_idle, tmp_path):
    _import(page, wait_idle, bundles["2026-01"], bundles["bueno"], bundles["2026-05"])
    page.flagged_only.setChecked(True)
    out = tmp_path / "resumen.xlsx"
    page.export_xlsx(out)
    wait_idle()
    sheet = load_workbook(out)["Resumen"]
    codes = [(row[0], row[4]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == [(r.codigo_modular, r.month) for r in page.shown_rows()]
    assert "Resumen guardado" in page.banner.text.text()


def test_the_table_models(qtmodeltester, bundles, ui_db):
    supervision.import_bundles(ui_db, [bundles["bueno"], bundles["2026-01"]])
    summary = SummaryModel()
    qtmodeltester.check(summary)
    summary.set_rows(supervision.summary(ui_db))
    qtmodeltester.check(summary)
    proxy = RowsProxy()
    proxy.setSourceModel(summary)
    proxy.sort(SummaryModel.RATIO)
    qtmodeltester.check(proxy)
    results = ImportResultModel()
    qtmodeltester.check(results)
    results.set_rows([ImportResult("/x/a.zip", "rechazado", "el paquete está dañado"),
                      ImportResult("/x/b.zip", "importado", "0 alerta(s)", OTHER, "2026-01")])
    qtmodeltester.check(results)
    assert results.index(0, 4).data() == "el paquete está dañado"
    assert results.index(0, 1).data() == "RECHAZADO"
