"""«Proponer menú» on the Menú page: propose November for the demo school, preview what changes and why
beside the hand-made plan, accept day by day (a day left unmarked stays as it was) or everything."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import shiboken6
from PySide6.QtCore import Qt

from qaliwarma.services import committee, compliance, planning, standards
from tests.ui.conftest import DEMO_TODAY, short_fridays
from ui.context import AppContext
from ui.pages.menu import MenuPage

NOV_1, NOV_30 = date(2026, 11, 1), date(2026, 11, 30)


@pytest.fixture
def page(qtbot, demo_db, runner, wait_idle) -> MenuPage:
    short_fridays(demo_db)  # the hand-made plan misses the standard on the four Fridays (primaria breakfast)
    ctx = AppContext(demo_db, runner, committee.current(demo_db), user="Rosa")
    widget = MenuPage(ctx)
    widget.today = DEMO_TODAY
    widget.asked_served: list[str] = []  # a proposal that changes meals already served: asked, and agreed to
    widget.confirm_served_change = lambda text: widget.asked_served.append(text) or True
    qtbot.addWidget(widget)
    widget.resize(1136, 700)
    widget.show()
    widget.refresh()
    wait_idle()
    qtbot.waitUntil(lambda: widget.check is not None)
    return widget


def _plan(page):
    return planning.get_plan(page.ctx.db, page.plan.info.id)


def _propose(qtbot, page, keep_past: bool):
    dialog = page.open_propose()
    assert dialog.start.date().toPython() == NOV_1 and dialog.end.date().toPython() == NOV_30
    dialog.keep_past.setChecked(keep_past)
    qtbot.mouseClick(dialog.propose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.proposal is not None, timeout=30000)
    return dialog


def test_propose_preview_and_accept_the_month_day_by_day(qtbot, page, wait_idle):
    before = _plan(page)
    dialog = _propose(qtbot, page, keep_past=False)
    proposal = dialog.proposal
    assert proposal.status == "optimal"
    from qaliwarma.services.propose import foreign_text

    said = foreign_text(proposal, page.ctx.committee.form.region)  # another region's dishes, if any, are named
    assert (said in dialog.unmet.text() and dialog.unmet.isVisibleTo(dialog)) if said else "otra región" not in \
        dialog.unmet.text()
    assert "cumple el estándar" in dialog.status.text()
    # the proposal costs less per ration than the hand-made plan, and the dialog shows both figures
    figures = re.search(r"Costo por ración: S/ (\d+\.\d\d) .*El plan actual: S/ (\d+\.\d\d)", dialog.cost.text())
    assert figures and Decimal(figures[1]) == round(proposal.cost_per_ration, 2)
    assert Decimal(figures[1]) < Decimal(figures[2])
    # the preview lists exactly the days whose preparations change, each with what and why
    now = {(e.day, e.meal, e.level): e.recipe_id for e in before.entries}
    changed = sorted({e.day for e in proposal.entries if now.get((e.day, e.meal, e.level)) != e.recipe_id})
    assert sorted(dialog.day_rows) == changed and len(changed) >= 15
    # a day the hand-made plan gets wrong (judged by the compliance service) is among those changed
    std = standards.get_standard(page.ctx.db, "qw-2014")
    failing = sorted({c.day for c in compliance.check_plan(page.ctx.db, before, std, page.ctx.committee).entries
                      if c.status != "ok"})
    assert failing and set(failing) <= set(changed)
    first = failing[0]
    row = dialog.day_rows[first]
    assert dialog.table.item(row, 1).text().endswith(first.strftime("%d/%m")) or \
        first.strftime("%d/%m") in dialog.table.item(row, 1).text()
    assert "→" in dialog.table.item(row, 2).text()
    # that day's reason says what the hand-made plan misses
    assert "no cumple" in dialog.table.item(row, 3).text()
    # accept every day but the first: it stays as it was
    dialog.set_marked(first, False)
    qtbot.mouseClick(dialog.accept_marked_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert not shiboken6.isValid(dialog)  # closed (and gone) once the plan is saved
    after = _plan(page)
    mine = {(e.day, e.meal, e.level): e.recipe_id for e in after.entries}
    proposed = {(e.day, e.meal, e.level): e.recipe_id for e in proposal.entries}
    assert all(mine[k] == r for k, r in proposed.items() if k[0] != first)
    assert all(mine[(e.day, e.meal, e.level)] == e.recipe_id for e in before.entries if e.day == first)
    assert "Se aceptó la propuesta en" in page.notice.text()
    # the demo served November up to the 25th: the changes of those days were asked about first
    assert len(page.asked_served) == 1 and "ya tienen raciones registradas" in page.asked_served[0]
    # checked again by the compliance service: only the day left out still misses the standard
    check = compliance.check_plan(page.ctx.db, after, standards.get_standard(page.ctx.db, "qw-2014"),
                                  page.ctx.committee)
    assert {c.day for c in check.entries if c.status != "ok"} == {first}
    qtbot.waitUntil(lambda: page.check is not None and page.check.summary()["ok"] == check.summary()["ok"])


def test_the_days_to_review_are_in_sight_on_the_laptops_screen(qtbot, themed, page):
    """Maximised at 1366×768, the long lists of foods to buy and lots to use left room for one day at a time."""
    dialog = _propose(qtbot, page, keep_past=False)
    dialog.resize(1366, 697)
    qtbot.wait(50)
    viewport = dialog.table.viewport()
    whole = [r for r in range(dialog.table.rowCount())
             if dialog.table.rowViewportPosition(r) + dialog.table.rowHeight(r) <= viewport.height()]
    assert len(whole) >= 2  # the old dialog showed no day whole (one, cut)
    lots = [lt for lt in dialog.proposal.lots if lt.used_grams > 0]
    assert len(lots) > 6 and all(lt.lot in dialog.cost.toolTip() for lt in lots)  # all of them, in the tooltip
    dialog.reject()


def test_keeping_the_days_already_served_shows_the_closest_plan_and_what_it_cannot_meet(qtbot, page, wait_idle):
    before = _plan(page)
    dialog = _propose(qtbot, page, keep_past=True)
    assert dialog.proposal.status == "closest"
    assert "más cercana" in dialog.status.text()
    assert "en los días que se conservan" in dialog.unmet.text()
    # no day before "today" (26/11) is offered for change
    assert all(day >= DEMO_TODAY for day in dialog.day_rows)
    qtbot.mouseClick(dialog.accept_all_button, Qt.MouseButton.LeftButton)
    wait_idle()
    after = {(e.day, e.meal, e.level): e.recipe_id for e in _plan(page).entries}
    assert all(after[(e.day, e.meal, e.level)] == e.recipe_id for e in before.entries if e.day < DEMO_TODAY)
    assert not any(k[0] < DEMO_TODAY for k in after.keys() - {(e.day, e.meal, e.level) for e in before.entries})
    assert page.asked_served == []  # nothing served was changed: nothing to ask
