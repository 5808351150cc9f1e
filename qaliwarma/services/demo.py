"""A month of plausible records for the demo committee (``qaliwarma init --demo``)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from ..domain.menus import PlanEntry
from ..domain.stock import Reception, ReceptionLine, ServiceInput
from ..paths import resources_dir
from ..persistence.engine import Database
from . import calendar, incidents, needs, planning, receiving, recipes, serving, standards
from .committee import CommitteeInfo

DEMO_USER = "demo"
DEMO_MONTH = date(2026, 11, 1)
SUPPLIER_RUC, SUPPLIER = "20604512370", "Distribuidora Andina del Centro S.A.C."
# Products the programme delivers to the store (cheese, eggs, potatoes and onion are bought with the
# committee's money and enter the store too; the other vegetables and seasonings the parents bring: they
# are recorded with each service as food from outside the store, «Aporte de padres»).
DELIVERED = ("A52", "T49", "A69", "A7", "D9", "K1", "G5", "A14", "A104", "A10", "A1", "F76", "A41", "U20")
BRANDS = {"A52": "Sumaq Mikuy", "T49": "Don Habas", "A69": "Trigal", "A7": "Avena Andina", "D9": "Cocinero",
          "K1": "Cartavio", "G5": "Vaquita Andina", "A14": "Machica Real", "A104": "Api Inka", "A10": "Qañiwa",
          "A1": "Kiwi Sur", "F76": "Charqui del Ande", "A41": "Mote Real", "U20": "Chuño Puneño"}


def _demo_today() -> date:
    """The demo's "today" (records up to the day before): the real date, or QALIWARMA_DEMO_TODAY
    (yyyy-mm-dd) so that tests and screenshots give the same demo whatever day they run."""
    import os

    fixed = os.environ.get("QALIWARMA_DEMO_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


from ..vocab import MONTHS as _MONTHS  # noqa: E402  (one vocabulary: «setiembre»)
from ..vocab import month_end  # noqa: E402,F401


def _by(info: CommitteeInfo, role: str) -> str:
    """The demo's records are signed by the member whose role makes them (issue 13), not «demo»."""
    from ..domain.people import signature_text

    member = next((m for m in info.form.members if m.role == role and m.end_date is None), None)
    return signature_text(member.name, member.dni) if member else DEMO_USER


def create(db: Database, info: CommitteeInfo, *, today: date | None = None) -> None:
    """Prices, the month's plan, the delivery, the services up to yesterday and an incident."""
    _prices(db, info)
    plan = _plan(db, info)
    _delivery(db, info, plan)
    today = today or _demo_today()
    _treasury(db, info, plan, today)
    _services(db, info, plan, today)
    bag = needs.price_list(db, info.id)["G5"].unit().grams()  # one bag of milk
    for incident in _incidents(bag):
        if incident.day < today:  # nothing is recorded ahead of the demo's today
            incidents.record(db, info.id, incident, user=_by(info, "secretario"))


def _incidents(bag) -> list:
    return [incidents.Incident(
        day=DEMO_MONTH + timedelta(days=9), kind="producto_mal_estado",
        description="Dos bolsas de leche rotas en el almacén; se separaron y no se usaron.",
        food_code="G5", lot="LP-2609-11", notes="Se avisó al proveedor en la siguiente entrega.",
        lost_grams=2 * bag),  # they leave the store as a loss (merma) with the incident
        incidents.Incident(
        day=DEMO_MONTH + timedelta(days=17), kind="ninos_enfermos",
        description="Cuatro niños de inicial con dolor de estómago después del almuerzo.", meal="almuerzo",
        children_affected=4, referred_to_health_post=True, reported_to_programme=True,
        programme_reference="UT Huancavelica, reporte 2026-311",
        notes="El puesto de salud los atendió; volvieron a clases al día siguiente.")]


def _prices(db: Database, info: CommitteeInfo) -> None:
    with open(resources_dir() / "demo" / "precios_sierra.csv", encoding="utf-8", newline="") as fh:
        items = [needs.PriceItem(r["codigo"], r["presentacion"], r["neto"], Decimal(r["precio"]),
                                 Decimal("0.92") if r["codigo"] == "D9" else None,
                                 "Precio de referencia estimado por el equipo (demostración)")
                 for r in csv.DictReader(fh)]
    needs.set_prices(db, info.id, items)


def _plan(db: Database, info: CommitteeInfo):
    start, end = DEMO_MONTH, month_end(DEMO_MONTH)
    days = calendar.school_days(db, info.id, start, end)
    breakfasts = [r.id for r in recipes.list_recipes(db, region="sierra", meal="desayuno")]
    lunches = [r.id for r in recipes.list_recipes(db, region="sierra", meal="almuerzo")]
    entries = [PlanEntry(day, meal, level, choices[n % len(choices)])
               for n, day in enumerate(days)
               for meal, choices in (("desayuno", breakfasts), ("almuerzo", lunches))
               for level in info.levels]
    created = planning.create_plan(db, info, f"Menú de {_MONTHS[start.month - 1]} {start.year}", start, end,
                                   entries, standard_id=standards.DEFAULT_STANDARD)
    return planning.get_plan(db, created.id)


def _delivery(db: Database, info: CommitteeInfo, plan) -> None:
    result = needs.plan_needs(db, plan, info)
    prices = needs.price_list(db, info.id)
    lines = []
    first_day = plan.days()[0]
    for n, line in enumerate(ln for ln in result.lines if ln.code in DELIVERED):
        price = prices[line.code]
        unit_grams = price.unit().grams()
        units = (line.total_grams * Decimal("1.1") / unit_grams).to_integral_value(ROUND_CEILING)
        expiry = first_day + timedelta(days=180 + 15 * n)
        lot = f"{'LP' if line.code == 'G5' else 'L'}-26{9 + n % 3:02d}-{n + 1:02d}"
        conformity, accepted, state, note = "conforme", units, "bueno", ""
        if line.code == "G5":  # milk: a few dented bags, and a lot that expires soon
            lot, expiry = "LP-2609-11", first_day + timedelta(days=38)
            conformity, accepted, state = "parcial", units - 3, "abollado"
            note = "3 bolsas rotas: se devuelven al proveedor"
        lines.append(ReceptionLine(line.code, line.name, BRANDS[line.code], f"{price.presentation} {price.net}",
                                   price.presentation, unit_grams, units, accepted, lot,
                                   first_day - timedelta(days=40), expiry,
                                   "" if line.code in ("U20",) else f"A{4321000 + n}N/NADSA", state, conformity, note))
    receiving.record(db, info.id, [Reception(first_day, "AER-2026-000731", SUPPLIER_RUC, SUPPLIER, tuple(lines))],
                     user=_by(info, "secretario"))


FRESH = ("U19", "G14", "J4", "B29")  # bought at the market with the local-purchase budget
PARENTS = "Aporte de padres"  # the other vegetables and seasonings (garlic, ají, carrot…): the parents bring them


def _treasury(db: Database, info: CommitteeInfo, plan, today: date) -> None:
    """The month's transfer, fresh food bought at the market (it enters the store), gas, transport,
    the cooks' stipend and cleaning, with their receipts."""
    from ..domain.treasury import Expense, PurchaseItem, Transfer
    from . import treasury

    result = needs.plan_needs(db, plan, info)
    prices = needs.price_list(db, info.id)
    day = plan.days()[0]
    items = []
    for line in result.lines:
        if line.code in FRESH and line.total_grams > 0:
            price = prices[line.code]
            units = (line.total_grams * Decimal("1.05") / price.unit().grams()).to_integral_value(ROUND_CEILING)
            items.append(PurchaseItem(line.code, price.presentation, price.net, units, price.price,
                                      expiry=day + timedelta(days=30)))
    food = sum((i.units * i.unit_price for i in items), Decimal(0))
    transfer = max(((food / Decimal("0.70")) / 100).to_integral_value(ROUND_CEILING) * 100 + 500, Decimal(5000))
    treasury.record_transfer(db, info.id, Transfer(day, transfer, "Banco de la Nación op. 004512"), user=_by(info, "tesorero"))
    market = [i for i in items if i.food_code != "U19"]
    potatoes = [i for i in items if i.food_code == "U19"]
    expenses = [
        Expense(day, "alimentos", "boleta", "B002-004518", "20601234565", "Comercial Mercado Modelo E.I.R.L.",
                "Queso fresco, huevos y cebolla para el mes", sum((i.units * i.unit_price for i in market), Decimal(0)),
                "banco", items=tuple(market)),
        Expense(day, "alimentos", "declaracion_jurada", "DJ-001", "23456789", "Eusebio Quispe Ccora",
                "Papa blanca de chacra", sum((i.units * i.unit_price for i in potatoes), Decimal(0)), "efectivo",
                {"que": "Papa blanca", "donde": "Comunidad de Pucarumi"}, tuple(potatoes)),
        Expense(day + timedelta(days=1), "gas", "factura", "F001-000987", "20487654320", "Gas Andino S.A.C.",
                "2 balones de gas de 10 kg", Decimal("116.00"), "efectivo"),
        Expense(day + timedelta(days=1), "transporte", "planilla_movilidad", "PM-2026-11", "", "Teodoro Huamaní",
                "Flete de los alimentos comprados", Decimal("40.00"), "efectivo",
                {"origen": "Mercado de Huancavelica", "destino": "I.E. 36009", "motivo": "Traslado de alimentos"}),
        Expense(day + timedelta(days=20), "estipendio", "recibo", "R-011", "43456789", "Marcelina Taipe Soto",
                "Estipendio de cocinera, noviembre", Decimal("300.00"), "efectivo"),
        Expense(day + timedelta(days=3), "limpieza", "boleta", "B001-000321", "20539876547", "Bazar El Ahorro",
                "Detergente, lejía y esponjas", Decimal("62.50"), "efectivo"),
    ]
    # the cash for the month's cash payments, in hundreds, with S/ 200 to spare (at least S/ 1,500): the
    # potatoes bought with cash follow the recipes' grams
    cash = sum((e.amount for e in expenses if e.payment == "efectivo"), Decimal(0))
    withdrawal = max(((cash + 200) / 100).to_integral_value(ROUND_CEILING) * 100, Decimal("1500.00"))
    treasury.record_withdrawal(db, info.id, day, withdrawal, user=_by(info, "tesorero"))
    # nothing is recorded ahead of the demo's today (the cooks' stipend is paid late in the month)
    treasury.record_expenses(db, info.id, [e for e in expenses if e.amount > 0 and e.day < today],
                             user=_by(info, "tesorero"))


def _services(db: Database, info: CommitteeInfo, plan, today: date) -> None:
    """The cook's records up to yesterday, with the anomalies a supervisor must see seeded in:
    one breakfast with more rations than children enrolled, a service on a Saturday, and a lunch
    whose food issued was corrected upwards ("se quemó una olla"), which the yield check flags."""
    items = []
    for n, e in enumerate(e for e in plan.entries if e.day < today):
        enrolled = info.enrolment(e.level)
        present = enrolled - (n * 7 % 11) - (3 if e.day.weekday() == 4 else 0)  # plausible absences
        override, reason = None, ""
        if e.day == DEMO_MONTH + timedelta(days=9) and e.meal == "desayuno" and e.level == "inicial":
            present = enrolled + 12  # anomaly: rations above enrolment
        if e.day == DEMO_MONTH + timedelta(days=15) and e.meal == "almuerzo" and e.level == "primaria":
            override, reason = {"A52": Decimal("16000")}, "Se quemó una olla de quinua y se cocinó otra"
        items.append(ServiceInput(e.day, e.meal, e.level, e.recipe_id, present, max(present, 0),
                                  issued_override=override, override_reason=reason, outside_origin=PARENTS))
    saturday = DEMO_MONTH + timedelta(days=(5 - DEMO_MONTH.weekday()) % 7 + 14)
    if saturday < today:  # anomaly: a service on a day without classes
        items.append(ServiceInput(saturday, "desayuno", "primaria", plan.entries[0].recipe_id, 60, 60,
                                  outside_origin=PARENTS))
    if items:
        serving.record(db, info, items, user=_by(info, "secretario"))
