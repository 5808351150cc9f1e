"""Print the project's speed figures. Run with `make bench`.

- start-up: seconds from process start to the main window shown (offscreen), median of 3 runs;
- nutrient analysis for a school year of menus (190 days × 2 meals × 2 levels = 760 analyses);
- compliance check of that year's plan, and a month's menu poster PDF;
- a school year of stock records (7 deliveries × 40 lines; 190 days × 2 meals × 3 levels) imported
  from files, then the stock and kardex queries and the month's rations register PDF;
- every page of the window visited once on that year (first-visit time, peak memory: bench/pages.py);
- supervision on SQLite and on PostgreSQL whenever a server lets it in (QALIWARMA_TEST_PG_URL, else libpq's
  PGHOST/PGPORT/PGUSER/PGDATABASE, by default 127.0.0.1:5432, user postgres, database test or postgres);
- start-up against a bare PySide6 window measured in the same run (bench/startup.py).

It ends with a table (bench/table.py): measure, goal, figure, verdict, and the machine's load average.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from bench import yeardata
from bench.table import not_measured, print_table, record
from qaliwarma.domain.menus import Plan, PlanEntry, PlanInfo
from qaliwarma.persistence.engine import open_database
from qaliwarma.services import analysis, committee, compliance, recipes, standards
from qaliwarma.services.setup import initialise

DAYS, MEALS, LEVELS = 190, ("desayuno", "almuerzo"), ("inicial", "primaria")


def children_cpu() -> float:
    """CPU seconds used by finished child processes: on a loaded machine a command waits for the CPU far
    longer than it uses it, so the table gives both rates (the verdict stays on the wall-clock one)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def year_plan(db) -> Plan:
    """190 weekdays × 2 meals × 2 levels cycling through the sierra bank."""
    bank = {m: [r.id for r in recipes.list_recipes(db, region="sierra", meal=m)] for m in MEALS}
    days, day = [], date(2027, 3, 1)
    while len(days) < DAYS:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    entries = tuple(PlanEntry(d, m, lv, bank[m][n % len(bank[m])]) for n, d in enumerate(days) for m in MEALS
                    for lv in LEVELS)
    return Plan(PlanInfo(0, "Año escolar", days[0], days[-1], None, len(entries)), entries)


def bench_menus(db, out_dir: Path) -> None:
    plan = year_plan(db)
    m = analysis.matrix(db)
    defs = {rid: recipes.get_recipe(db, rid) for rid in {e.recipe_id for e in plan.entries}}
    _, single_s = timed(lambda: [analysis.analyse_recipe(db, defs[e.recipe_id], e.level) for e in plan.entries])
    grams = np.zeros((len(plan.entries), len(m.codes)))
    for row, e in enumerate(plan.entries):
        for code, g in defs[e.recipe_id].edible_items(e.level):
            grams[row, m.index[code]] += g
    _, batch_s = timed(m.analyse_batch, grams)
    info = committee.current(db)
    check, check_s = timed(compliance.check_plan, db, plan, standards.get_standard(db), info)
    n = len(plan.entries)
    print(f"  análisis de nutrientes de un año de menús ({n} = {DAYS} días × 2 comidas × 2 niveles):")
    print(f"    uno por uno, con detalle de datos faltantes: {single_s:.3f} s = {n / single_s:,.0f} análisis/s")
    print(f"    como un solo producto de matrices:           {batch_s * 1000:.2f} ms = {n / batch_s:,.0f} análisis/s")
    print(f"  revisión de cumplimiento del plan del año (metas + 3 reglas): {check_s:.2f} s "
          f"({check.summary()['ok']} de {n} cumplen)")
    from qaliwarma.reports.menu_poster import build_menu_poster

    month = Plan(PlanInfo(0, "Marzo", date(2027, 3, 1), date(2027, 3, 31), None, 0),
                 tuple(e for e in plan.entries if e.day.month == 3))
    names = {r.id: r.name for r in recipes.list_recipes(db)}
    build_menu_poster(month, names, out_dir / "warm.pdf", committee=info)  # fonts registered once
    _, poster_s = timed(build_menu_poster, month, names, out_dir / "poster.pdf", committee=info)
    print(f"  afiche del menú de un mes (PDF, {len(month.days())} días, 5 páginas): {poster_s:.2f} s")


def bench_stock(tmp: Path) -> None:
    path = tmp / "almacen.sqlite3"
    db = open_database(f"sqlite:///{path}")
    initialise(db)
    info = yeardata.setup_school(db, DAYS)
    files = yeardata.write_year(db, info, tmp / "archivos")
    db.dispose()
    exe = Path(sys.executable).with_name("qaliwarma")
    lines = sum(1 for _ in open(files.actas, encoding="utf-8")) - 1
    services = sum(1 for _ in open(files.services, encoding="utf-8")) - 1
    for label, args in ((f"7 actas, {lines} líneas", ["receive", "import", str(files.actas)]),
                        (f"{services} registros de raciones ({DAYS} días × 2 comidas × 3 niveles)",
                         ["serve", "import", str(files.services)])):
        if args[0] == "serve":  # the same import again below, in this process: its own rate, without the start
            shutil.copy(path, tmp / "almacen-sin-raciones.sqlite3")
        start, cpu = time.perf_counter(), children_cpu()
        r = subprocess.run([str(exe), "--db", str(path), *args], capture_output=True, text=True)
        if r.returncode:
            raise SystemExit(r.stderr)
        took, cpu = time.perf_counter() - start, children_cpu() - cpu
        print(f"  importar {label}: {took:.2f} s (CPU del proceso {cpu:.2f} s)")
        if args[0] == "serve":
            record(f"importar raciones ({services} registros, CLI con su arranque)", "—",
                   f"{services / took:,.0f}/s (por CPU {services / cpu:,.0f}/s)", None)
    shutil.copy(tmp / "almacen-sin-raciones.sqlite3", tmp / "almacen-con-salidas.sqlite3")
    bench_service_import(tmp / "almacen-sin-raciones.sqlite3", files.services, services)
    bench_service_import(tmp / "almacen-con-salidas.sqlite3", files.services_with_issue, services, with_issue=True)
    from qaliwarma.services import stock

    db = open_database(f"sqlite:///{path}")
    held = stock.on_hand(db, info.id)
    wrong = [c for c, g in files.accepted_grams.items() if held.get(c, 0) != g - files.expected_issue.get(c, 0)]
    print(f"  stock tras el año: {'coincide al gramo con los archivos' if not wrong else 'NO coincide: ' + str(wrong)}"
          f" ({len(files.accepted_grams)} productos)")
    _, stock_s = timed(stock.lots, db, info.id)
    code = max(files.accepted_grams, key=files.accepted_grams.get)
    rows, kardex_s = timed(stock.kardex, db, info.id, code)
    print(f"  consulta de stock por lote: {stock_s * 1000:.1f} ms; kárdex de {code} ({len(rows)} movimientos): "
          f"{kardex_s * 1000:.1f} ms")
    record(f"stock tras el año ({len(files.accepted_grams)} productos)", "coincide al gramo",
           "coincide" if not wrong else f"difiere en {len(wrong)}", not wrong)
    record(f"kárdex de un año ({len(rows)} movimientos), consulta", "—", f"{kardex_s * 1000:.0f} ms", None)
    try:
        from qaliwarma.reports.rations import build_rations_register
    except ImportError:
        print("  registro mensual de raciones (PDF): no medido (el módulo aún no existe)")
    else:
        _, pdf_s = timed(build_rations_register, db, committee.current(db, info.form.codigo_modular), yeardata.YEAR,
                         5, tmp / "raciones.pdf")
        print(f"  registro mensual de raciones (PDF, mayo): {pdf_s:.2f} s")
    db.dispose()


def bench_service_import(path: Path, sheet: Path, services: int, *, with_issue: bool = False) -> None:
    """The service import's own rate: the file read, every row checked, the services recorded with their
    FEFO issue and journal entries, committed — what `serve import` does after the program has started
    (the CLI's start, about 0.5 s of imports on this machine, is a fixed cost a 1,140-row file cannot hide)."""
    from qaliwarma.services import committee, service_import

    db = open_database(f"sqlite:///{path}")
    info = committee.current(db)
    cpu = time.process_time()
    done, took = timed(service_import.import_services, db, info, sheet, user="bench")
    cpu = time.process_time() - cpu
    db.dispose()
    assert len(done.results) == services
    if with_issue:  # a row of the file is a service or one line of the day's issue: both are records
        lines = sum(1 for _ in open(sheet, encoding="utf-8")) - 1
        print(f"  importar {services} registros de raciones con la salida de almacén de cada comida "
              f"({lines - services} líneas de salida, {len(done.issues)} salidas): {took:.2f} s = "
              f"{lines / took:,.0f} filas/s")
        record(f"importar raciones con salidas de almacén ({lines} filas)", "≥ 2.000 registros/s",
               f"{lines / took:,.0f}/s (por CPU {lines / cpu:,.0f}/s)", lines / took >= 2000)
        return
    print(f"  importar {services} registros de raciones (la importación, sin el arranque del programa): "
          f"{took:.2f} s = {services / took:,.0f} registros/s")
    record(f"importar raciones ({services} registros: lectura, revisión, registro)", "≥ 2.000 registros/s",
           f"{services / took:,.0f}/s (por CPU {services / cpu:,.0f}/s)", services / took >= 2000)


def bench_treasury(tmp: Path, rows: int = 10_000) -> None:
    """Import an expense sheet of ``rows`` rows (all valid) through the CLI, then the balance of a year."""
    import csv
    import dataclasses
    from decimal import Decimal

    from qaliwarma.domain.treasury import Transfer
    from qaliwarma.services import treasury
    from qaliwarma.services.setup import demo_form

    path = tmp / "tesoreria.sqlite3"
    db = open_database(f"sqlite:///{path}")
    initialise(db)
    info = committee.register(db, dataclasses.replace(demo_form(), codigo_modular="0777777"), user="bench")
    for month in range(3, 13):
        treasury.record_transfer(db, info.id, Transfer(date(2027, month, 1), Decimal("300000.00"), f"BN {month}"),
                                 user="bench")
        # the month's cash from the bank: a cash payment beyond the cash in hand is refused
        treasury.record_withdrawal(db, info.id, date(2027, month, 1), Decimal("60000.00"), user="bench")
    db.dispose()
    sheet = tmp / "gastos.csv"
    headings = ["Alimentos"] * 7 + ["Transporte", "Gas", "Estipendio"]  # roughly as the shares go
    with open(sheet, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["fecha", "rubro", "tipo_documento", "numero_documento", "ruc_dni", "proveedor", "detalle", "monto"])
        for n in range(rows):
            day = date(2027, 3 + n * 10 // rows, 1 + n % 28)
            w.writerow([day.strftime("%d/%m/%Y"), headings[n % len(headings)], "boleta", f"B001-{n + 1:06d}", "20604512370",
                        "Proveedor", f"Compra {n + 1}", f"{10 + n % 90},{n % 100:02d}"])
    exe = Path(sys.executable).with_name("qaliwarma")
    start, cpu = time.perf_counter(), children_cpu()
    r = subprocess.run([str(exe), "--db", str(path), "treasury", "import", str(sheet)], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr[-2000:])
    import_s, import_cpu = time.perf_counter() - start, children_cpu() - cpu
    db = open_database(f"sqlite:///{path}")
    # no month closed yet: the figures to date are summed over the whole history
    _, open_year_s = timed(lambda: [treasury.balance(db, info.id, f"2027-{m:02d}") for m in range(3, 13)])
    open_december = treasury.balance(db, info.id, "2027-12")
    # the year as it stands before any month is closed, kept aside: the first month's report is printed there (as a
    # committee prints it, with its month open and nothing closed yet)
    opened = tmp / "tesoreria-sin-cierres.sqlite3"
    with sqlite3.connect(path) as source, sqlite3.connect(opened) as target:
        source.backup(target)
    # March to November closed, as a committee closes each month: each closing records the treasury as of its
    # month's end, and a month's figures to date are carried forward from the last one (issue 17)
    from qaliwarma.services import periods

    for month in range(3, 12):
        periods.close(db, info.id, f"2027-{month:02d}", user="bench", today=date(2028, 1, 10))
    _, year_s = timed(lambda: [treasury.balance(db, info.id, f"2027-{m:02d}") for m in range(3, 13)])
    december = treasury.balance(db, info.id, "2027-12")
    if (december.bank, december.cash, december.headings) != (open_december.bank, open_december.cash,
                                                              open_december.headings):
        raise SystemExit("el balance de diciembre llevado desde noviembre no es el del historial completo")
    # March (nothing closed) against December (March to November closed, carried forward), each with its month
    # open; the runs alternate, so that a change in the machine's speed (seen here: ±50 % within a minute) hits both
    first = open_database(f"sqlite:///{opened}")
    report_seconds(first, info, "2027-03", tmp), report_seconds(db, info, "2027-12", tmp)  # fonts, first queries
    runs: dict[str, list[float]] = {"mar": [], "dec": [], "mar_balance": [], "dec_balance": []}
    for _ in range(3):
        runs["mar"].append(report_seconds(first, info, "2027-03", tmp))
        runs["dec"].append(report_seconds(db, info, "2027-12", tmp))
        runs["mar_balance"].append(timed(treasury.balance, first, info.id, "2027-03")[1])
        runs["dec_balance"].append(timed(treasury.balance, db, info.id, "2027-12")[1])
    first.dispose()
    db.dispose()
    # the command line's balance checks what it rests on from the last closing (integrity.check_money_since_closing):
    # with the start of a process, as a tool calling `qaliwarma` sees it
    cli = [str(exe), "--db", str(path), "treasury", "balance", "--month", "2027-12"]
    cli_s = statistics.median(timed(subprocess.run, cli, capture_output=True, check=True)[1] for _ in range(3))
    record("`treasury balance` de diciembre (CLI con su arranque y su verificación desde el cierre de noviembre)",
           "—", f"{cli_s:.2f} s", None)
    march_report_s, december_report_s, mar_s, dec_s = (statistics.median(runs[k]) for k in
                                                        ("mar", "dec", "mar_balance", "dec_balance"))
    print(f"  informe mensual (PDF) con {rows:,} gastos en el año, cada uno impreso con su mes abierto (mediana de 3, "
          f"alternados): marzo {march_report_s:.2f} s (ningún mes cerrado); diciembre {december_report_s:.2f} s "
          f"(marzo a noviembre cerrados)")
    record("informe mensual (marzo)", "≤ 1 s", f"{march_report_s:.2f} s", march_report_s <= 1)
    record(f"informe mensual: diciembre / marzo ({rows:,} gastos en el año)", "≤ 1,2×",
           f"{december_report_s / march_report_s:.2f}× ({december_report_s:.2f} s)",
           december_report_s <= 1.2 * march_report_s)
    record(f"importar gastos ({rows:,} filas, CLI con su arranque)", "≥ 3.000 filas/s",
           f"{rows / import_s:,.0f}/s (por CPU {rows / import_cpu:,.0f}/s)", rows / import_s >= 3000)
    record("balance de tesorería: diciembre (marzo–noviembre cerrados) / marzo", "≤ 1,2×",
           f"{dec_s / mar_s:.2f}× ({dec_s * 1000:.0f} ms; marzo {mar_s * 1000:.0f} ms)", dec_s <= 1.2 * mar_s)
    print(f"  tesorería: importar una hoja de {rows:,} gastos: {import_s:.1f} s ({rows / import_s:,.0f} filas/s); "
          f"balance de los 10 meses del año: {year_s:.2f} s; balance de diciembre (acumulado "
          f"{december.spent_to_date:,} soles, marzo a noviembre cerrados): {dec_s * 1000:.0f} ms, de marzo (nada "
          f"cerrado) {mar_s * 1000:.0f} ms; los 10 meses sin ningún mes cerrado, sumados sobre todo el historial: "
          f"{open_year_s:.2f} s")


def report_seconds(db, info, month: str, tmp: Path) -> float:
    """One build of the month's accountability report (PDF): for the first month of the year and for the last
    one, the work should grow with the month, not with the history before it."""
    from qaliwarma.reports.monthly import build_monthly_report

    return timed(build_monthly_report, db, info, month, tmp / f"informe-{month}.pdf", today=date(2028, 1, 10))[1]


def bench_supervisor(tmp: Path, schools: int) -> None:
    from concurrent.futures import ProcessPoolExecutor

    from bench.supervisor import write_school_year
    from qaliwarma.services import supervision

    folder = tmp / "paquetes"
    folder.mkdir()
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        paths = [p for chunk in pool.map(write_school_year, [folder] * schools, range(schools)) for p in chunk]
    print(f"  supervisión: {len(paths):,} paquetes mensuales generados ({schools:,} escuelas × 10 meses) "
          f"en {time.perf_counter() - start:.0f} s")
    targets = [("SQLite", f"sqlite:///{tmp / 'supervisor.sqlite3'}", None)]
    url, why = pg_target()
    if url:
        from tests import dbfixtures

        dbfixtures.PG_URL = url
        schema = dbfixtures.PgSchema()
        targets.append(("PostgreSQL", schema.url, schema))
        print(f"  PostgreSQL: {url.split('@')[-1]} (esquema {schema.name}, borrado al terminar)")
    else:
        print(f"  PostgreSQL: no medido ({why}; defina QALIWARMA_TEST_PG_URL o PGHOST/PGPORT/PGUSER/PGDATABASE)")
        not_measured("supervisión en PostgreSQL", "≥ 200 paquetes/s; resumen ≤ 0,2 s", why[:60] or "sin servidor")
    for label, url, schema in targets:
        db = open_database(url)
        # month by month, as a supervisor receives them (every school's March, then April…): the rate
        # must not fall as the school year goes on (each bundle carries the whole chain so far)
        by_month: dict[str, list[Path]] = {}
        for p in paths:
            by_month.setdefault(p.stem[-7:], []).append(p)
        cpu, results, import_s, rates = time.process_time(), [], 0.0, {}
        for month, batch in sorted(by_month.items()):
            got, took = timed(supervision.import_bundles, db, batch)
            results += got
            import_s += took
            rates[month] = len(batch) / took
        import_cpu = time.process_time() - cpu
        accepted = sum(r.status == "importado" for r in results)
        if accepted != len(paths):  # a rate of refusals measures nothing: say so in the table
            refused = [r for r in results if r.status != "importado"]
            print(f"  {label}: ¡{len(refused):,} paquetes no aceptados! p. ej. {refused[0].message}")
            record(f"supervisión {label}: paquetes aceptados", "todos", f"{accepted:,} de {len(paths):,}", False)
        print(f"  {label}: paquetes/s por mes: " + ", ".join(f"{m[-2:]}: {r:,.0f}" for m, r in rates.items()))
        slowest = min(rates, key=rates.get)
        record(f"supervisión {label}: importar el mes más lento ({slowest})", "≥ 200 paquetes/s",
               f"{rates[slowest]:,.0f}/s", rates[slowest] >= 200)
        _, again_s = timed(supervision.import_bundles, db, paths[:200])
        month_rows, month_s = timed(supervision.summary, db, month="2027-05")
        all_rows, all_s = timed(supervision.summary, db)
        flagged, flagged_s = timed(supervision.summary, db, flagged_only=True)
        print(f"  {label}: importación {len(paths) / import_s:,.0f} paquetes/s ({accepted:,} aceptados, "
              f"{import_s:.0f} s); reimportar 200 sin cambios: {200 / again_s:,.0f} paquetes/s")
        record(f"supervisión {label}: importar {len(paths):,} paquetes", "≥ 200 paquetes/s",
               f"{len(paths) / import_s:,.0f}/s (por CPU {len(paths) / import_cpu:,.0f}/s)", len(paths) / import_s >= 200)
        record(f"supervisión {label}: resumen del año ({len(all_rows):,} filas)", "≤ 0,2 s", f"{all_s:.2f} s",
               all_s <= 0.2)
        print(f"  {label}: resumen de un mes ({len(month_rows):,} escuelas) {month_s * 1000:.0f} ms; "
              f"de todo el año ({len(all_rows):,} filas) {all_s * 1000:.0f} ms; "
              f"solo con alertas ({len(flagged):,}) {flagged_s * 1000:.0f} ms")
        db.dispose()
        if schema is not None:
            schema.drop()


def pg_target() -> tuple[str | None, str]:
    """(url, "") of a PostgreSQL server that lets the bench in, or (None, why not).

    QALIWARMA_TEST_PG_URL when set (``postgresql://…`` as libpq writes it is taken too); otherwise the
    server libpq's variables name (PGHOST, PGPORT, PGUSER, PGDATABASE), by default CI's: 127.0.0.1:5432,
    user postgres, database «test» or else «postgres» (the bench works in a schema of its own, dropped
    afterwards)."""
    from sqlalchemy import create_engine, text

    from qaliwarma.persistence.engine import driver_url

    given = os.environ.get("QALIWARMA_TEST_PG_URL")
    if given:
        candidates = [driver_url(given)]
    else:
        host, port = os.environ.get("PGHOST") or "127.0.0.1", os.environ.get("PGPORT") or "5432"
        user = os.environ.get("PGUSER") or "postgres"
        if not host.startswith("/"):  # a socket directory is not probed; a host is, briefly
            import socket

            try:
                socket.create_connection((host, int(port)), timeout=0.5).close()
            except (OSError, ValueError):
                return None, f"ningún servidor responde en {host}:{port}"
        names = [os.environ["PGDATABASE"]] if os.environ.get("PGDATABASE") else ["test", "postgres"]
        candidates = [f"postgresql+psycopg://{user}@{host}:{port}/{name}" if not host.startswith("/")
                      else f"postgresql+psycopg://{user}@/{name}?host={host}&port={port}" for name in names]
    why = ""
    for url in candidates:
        try:
            engine = create_engine(url, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            return url, ""
        except Exception as exc:  # noqa: BLE001 - a server that does not let us in: not measured, and said so
            why = f"{url.split('@')[-1]}: {str(exc).splitlines()[0][:120]}"
    return None, why


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--schools", type=int, default=100,
                        help="escuelas para la prueba de supervisión (1000 para el resumen de un año de 10.000 filas)")
    parser.add_argument("--skip-supervisor", action="store_true")
    parser.add_argument("--only", choices=("supervisor", "treasury"),
                        help="medir solo esa parte (supervisor: importación de paquetes y resumen, SQLite y PostgreSQL; "
                             "treasury: 10.000 gastos, balance, informe mensual y páginas con ese año)")
    args = parser.parse_args()
    # the bench's school year is 2027: its records are made as of the year's end (nothing is recorded ahead of
    # today); the start-up runs as of the real day, as a committee's laptop does (bench/startup.py)
    os.environ.setdefault("QALIWARMA_TODAY", "2027-12-31")
    print("Qali Warma CAE — mediciones (make bench)")
    if args.only == "supervisor":
        with tempfile.TemporaryDirectory() as name:
            bench_supervisor(Path(name), args.schools)
        print_table()
        return
    if args.only == "treasury":
        from bench import pages

        with tempfile.TemporaryDirectory() as name:
            bench_treasury(Path(name))
            pages.report("año de 10.000 gastos", Path(name) / "tesoreria.sqlite3")
        print_table()
        return
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        db_path = tmp / "bench.sqlite3"
        db = open_database(f"sqlite:///{db_path}")
        _, init_s = timed(initialise, db, demo=True)
        print(f"  init --demo sobre SQLite nueva (tabla de 928 alimentos, recetario, un mes de registros): {init_s:.2f} s")
        bench_menus(db, tmp)
        from bench.propose import bench_propose

        bench_propose(db, tmp)
        db.dispose()
        bench_stock(tmp)
        from bench.backup import bench_backup

        bench_backup(tmp / "almacen.sqlite3", tmp)  # the year of records bench_stock imported
        bench_treasury(tmp)
        from bench import pages, startup

        pages.report("año de almacén y raciones", tmp / "almacen.sqlite3")
        pages.report("año de 10.000 gastos", tmp / "tesoreria.sqlite3")
        from bench import tables

        tables.report()
        if not args.skip_supervisor:
            bench_supervisor(tmp, args.schools)
        try:
            startup.report(db_path)
        except (OSError, SystemExit, subprocess.SubprocessError) as exc:
            print(f"  arranque: no medido ({exc})")
            not_measured("arranque: primera página llena", "≤ 0,6 s y ≤ 5× piso", str(exc)[:60])
        from bench import installers

        try:
            installers.report(db_path)  # sizes of what make dist built; frozen vs source start-up
        except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
            print(f"  instaladores: no medidos ({exc})")
    print_table()


if __name__ == "__main__":
    main()
