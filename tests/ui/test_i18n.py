"""The English catalog: compiled and shipped (the .mo is never stale), complete (every Spanish string the
interface can show has an English translation), and used (the window speaks English when asked to).

To refresh the catalog after adding strings: ``python -m tests.ui.test_i18n`` rewrites the template
(resources/locale/qaliwarma.pot), adds the new msgids to the English .po (empty, to be translated) and
compiles the .mo."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "resources" / "locale"
POT = LOCALE / "qaliwarma.pot"
PO = LOCALE / "en" / "LC_MESSAGES" / "qaliwarma.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "qaliwarma.mo"


def _values(obj) -> list[str]:
    """The strings of a string, a dict's values or a sequence, looking inside nested tuples."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        obj = obj.values()
    return [s for v in obj if isinstance(v, (str, tuple)) for s in _values(v)]


def _second(pairs) -> list[str]:
    return [pair[1] for pair in (pairs.values() if isinstance(pairs, dict) else pairs)]


# Labels the interface translates at run time with ``_(variable)``: they are not literals inside ``_()``,
# so extraction cannot see them (several live in the core).
DYNAMIC = (
    ("qaliwarma.domain.levels", "LEVEL_LABELS", _values),
    ("qaliwarma.domain.levels", "MEAL_LABELS", _values),
    ("qaliwarma.domain.levels", "REGION_LABELS", _values),
    ("qaliwarma.domain.stock", "INCIDENT_TYPES", _values),
    ("qaliwarma.domain.stock", "ADJUSTMENT_REASONS", _values),
    ("qaliwarma.domain.menus", "STATUS_LABELS", _values),
    ("qaliwarma.domain.treasury", "CYCLE_STATES", _values),
    ("qaliwarma.domain.committee", "MODALITIES", _values),
    ("qaliwarma.services.calendar", "ADJUSTMENTS", _values),
    ("qaliwarma.domain.flags", "RATING_LABELS", _values),
    ("qaliwarma.domain.flags", "SECTION_LABELS", _values),
    ("qaliwarma.domain.people", "ACTIONS", _values),
    ("qaliwarma.domain.committee", "ROLES", _values),
    ("qaliwarma.domain.committee", "STAKEHOLDERS", _values),
    ("qaliwarma.domain.committee", "PROGRAMME_NAMES", _values),
    ("qaliwarma.services.backup", "REASON_LABELS", _values),
    ("qaliwarma.domain.standards", "DERIVED_METRICS", lambda d: [label for label, _unit in d.values()]),
    ("qaliwarma.domain.nutrients", "NUTRIENTS", lambda ns: [n.label_es for n in ns]),
    ("qaliwarma.reports.base", "MONTHS", _values),
    ("qaliwarma.reports.base", "WEEKDAYS", _values),
    ("ui.main_window", "NAVIGATION", lambda nav: [label for _key, label, _icon, _target in nav]),
    ("ui.models.stock_lists", "CONFORMITY_LABELS", _values),
    ("ui.models.stock_format", "WEEKDAYS", _values),
    ("ui.models.stock_format", "MONTHS", _values),
    ("ui.models.treasury_rows", "PAYMENT_LABELS", _values),
    ("ui.models.treasury_rows", "SHORT_DOC", _values),
    ("ui.models.sup_summary", "STATUS_LABELS", _values),
    ("ui.models.sup_summary", "SHORT_MONTHS", _values),
    ("qaliwarma.services.menu_views", "MONTHS", _values),
    ("qaliwarma.services.menu_views", "WEEKDAYS", _values),
    ("qaliwarma.services.month_end", "MONTH_NAMES", _values),
    ("ui.models.menu_compliance", "CHART_METRICS", _second),
    ("ui.models.sup_summary", "SummaryModel.HEADER_TIPS", _values),
    ("ui.pages.home", "AREA_BUTTONS", lambda d: [*d.values(), "Ir"]),
    ("ui.pages.menu", "PLAN_FILES", _values),
    ("ui.pages.rations", "HINT_PRODUCTS", _values),
    ("ui.pages.rations", "HINT_RACIONES", _values),
    ("ui.widgets.menu_calendar", "STATUS_STYLE", lambda d: [word for _bg, _ink, word in d.values()]),
    ("ui.widgets.menu_day_panel", "NONE_TEXT", _values),
    ("ui.widgets.rations_received_row", "CONFORMITY_CHOICES", _second),
    ("ui.widgets.rations_received_row", "COLUMNS", _values),
    ("ui.widgets.stock_common", "NO_COMMITTEE", _values),
    ("ui.widgets.stock_reception_line", "PACKAGE_LABELS", _values),
    ("ui.widgets.stock_reception_line", "CONFORMITY_CHOICES", _values),
    ("ui.widgets.treasury_doc_fields", "NUMBER_HINTS", _values),
    ("ui.widgets.treasury_doc_fields", "PARTY", _values),
    ("ui.widgets.treasury_summary", "TOTALS", _second),
    ("ui.pages.committee", "QUINTILES", _values),
    ("ui.widgets.treasury_doc_fields", "LABELS", _values),
)


# Where the strings live: the desktop interface and the core (services, reports, the command line),
# which share one catalogue. ``N_()`` marks a label translated later with ``_(label)``.
SOURCES = ("ui", "qaliwarma")
KEYWORDS = {"_": None, "N_": None}


def extracted_msgids() -> list[str]:
    """Every literal inside ``_()`` or ``N_()`` in ui/ and qaliwarma/, in the order found."""
    found: dict[str, None] = {}
    for folder in SOURCES:
        for _file, _line, message, _comments, _context in extract_from_dir(ROOT / folder, keywords=KEYWORDS):
            if isinstance(message, str) and message:
                found[message] = None
    return list(found)


def dynamic_msgids() -> list[str]:
    found: dict[str, None] = {}
    for module, name, pick in DYNAMIC:
        value = importlib.import_module(module)
        for attribute in name.split("."):
            value = getattr(value, attribute)
        for text in pick(value):
            if text.strip():
                found[text] = None
    return list(found)


def all_msgids() -> list[str]:
    return list(dict.fromkeys(extracted_msgids() + dynamic_msgids()))


def _read_po() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh, locale="en", domain="qaliwarma")


def _compiled(catalog: Catalog) -> dict[str, str]:
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return {m.id: m.string for m in read_mo(buf) if m.id}


def test_the_shipped_mo_is_the_compiled_po():
    with MO.open("rb") as fh:
        shipped = {m.id: m.string for m in read_mo(fh) if m.id}
    assert shipped == _compiled(_read_po()), "run: python -m tests.ui.test_i18n"


def test_every_interface_string_has_an_english_translation():
    catalog = _read_po()
    missing = [i for i in all_msgids() if i not in catalog or not catalog[i].string or catalog[i].fuzzy]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]} (python -m tests.ui.test_i18n)"


def test_no_word_to_translate_hides_inside_an_f_string():
    """The catalogue's extractor does not look inside f-strings: Inicio's «— hecho» stayed in Spanish in the
    English window because it was written ``f" — {_('hecho')}"``."""
    import ast

    hidden = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.JoinedStr):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) \
                            and inner.func.id in KEYWORDS and inner.args \
                            and isinstance(inner.args[0], ast.Constant):
                        hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno} {inner.args[0].value!r}")
    assert hidden == []


def test_translations_keep_the_placeholders():
    import re

    field = re.compile(r"\{[^{}]*\}|%\(?\w*\)?[sdif%]")
    for message in _read_po():
        if message.id and message.string:
            assert sorted(field.findall(message.id)) == sorted(field.findall(message.string)), message.id


def test_the_window_speaks_english_when_asked(qtbot, db_file, runner):
    from ui import i18n
    from ui.main_window import MainWindow

    assert i18n.install("en") == "en"
    try:
        window = MainWindow(runner)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.loaded, timeout=20000):
            window.start(f"sqlite:///{db_file}")
        shown = [b.text() for b in window.nav_buttons.values() if b.isVisible()]
        assert shown[:2] == ["Home", "Foods and recipes"]
        assert "Committee" in shown
        assert not {"Inicio", "Comité", "Alimentos y recetas"} & set(shown)
    finally:
        i18n.install("es")
    assert i18n._("Inicio") == "Inicio"


def update_catalog() -> None:
    """Rewrite the .pot from the sources, merge it into the English .po, compile the .mo."""
    template = Catalog(domain="qaliwarma", project="Qali Warma CAE", locale=None, fuzzy=False)
    for msgid in all_msgids():
        template.add(msgid)
    with POT.open("wb") as fh:
        write_po(fh, template, width=110, omit_header=False)
    catalog = _read_po() if PO.exists() else Catalog(locale="en", domain="qaliwarma", project="Qali Warma CAE")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.fuzzy = False
    catalog.header_comment = ("# English translation of the Qali Warma CAE desktop interface (source language: Spanish).\n"
                              "# Regenerate the template, merge and compile with: python -m tests.ui.test_i18n")
    catalog.msgid_bugs_address = ""
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=110, ignore_obsolete=True)
    with MO.open("wb") as fh:
        write_mo(fh, catalog)
    missing = sum(1 for m in catalog if m.id and not m.string)
    print(f"{len(template)} msgids; {missing} without translation")


if __name__ == "__main__":
    update_catalog()
