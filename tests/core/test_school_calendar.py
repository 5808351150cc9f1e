"""The national school calendars shipped as data (with their legal source) and the committee's own
adjustments recorded in the journal. Expected counts are worked out by hand from the resolution."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qaliwarma.errors import InvalidInput, PeriodClosed
from qaliwarma.persistence.journal import Journal
from qaliwarma.services import calendar, committee
from qaliwarma.services.setup import demo_form


def _weekdays(a: date, b: date) -> set[date]:
    return {a + timedelta(n) for n in range((b - a).days + 1) if (a + timedelta(n)).weekday() < 5}


def test_2026_follows_rm_501_2025_minedu_with_172_school_days():
    cal = calendar.official_calendar(2026)
    assert "501-2025-MINEDU" in cal.source
    # Four teaching blocks of R.M. 501-2025-MINEDU, weekdays only: 9 + 9 + 9 + 9 weeks = 180 days.
    blocks = [(date(2026, 3, 16), date(2026, 5, 15)), (date(2026, 5, 25), date(2026, 7, 24)),
              (date(2026, 8, 10), date(2026, 10, 9)), (date(2026, 10, 19), date(2026, 12, 18))]
    teaching = set().union(*(_weekdays(a, b) for a, b in blocks))
    assert len(teaching) == 180
    # Weekday national holidays inside those blocks: Jueves y Viernes Santo (2–3 Apr), 1 May,
    # 29 Jun, 23 Jul (Ley 31822), 8 Oct, 8 and 9 Dec (Ley 31381) = 8 days. 180 − 8 = 172.
    holidays = {date(2026, 4, 2), date(2026, 4, 3), date(2026, 5, 1), date(2026, 6, 29), date(2026, 7, 23),
                date(2026, 10, 8), date(2026, 12, 8), date(2026, 12, 9)}
    assert set(cal.school_days()) == teaching - holidays
    assert len(cal.school_days()) == 172
    assert "Semana de gestión" in cal.why_not(date(2026, 5, 19))
    assert "Batalla de Ayacucho" in cal.why_not(date(2026, 12, 9))
    assert cal.is_school_day(date(2026, 11, 2))  # the demo's month is untouched by the breaks


def test_holidays_start_the_year_after_or_when_their_law_took_effect():
    def days(year):
        return {h.day: h for h in calendar.national_holidays(year)}

    assert date(2023, 6, 7) not in days(2023) and date(2024, 6, 7) in days(2024)  # Ley 31788, June 2023
    assert date(2022, 7, 23) not in days(2022) and date(2023, 7, 23) in days(2023)  # Ley 31822
    assert date(2021, 8, 6) not in days(2021) and date(2022, 8, 6) in days(2022)  # Ley 31530
    assert date(2021, 12, 9) not in days(2021) and date(2022, 12, 9) in days(2022)  # Ley 31381
    assert days(2026)[date(2026, 12, 9)].source.startswith("Ley 31381")


def test_a_year_without_a_resolution_is_labelled_suggested():
    assert "sugerido" in calendar.official_calendar(2031).source


@pytest.fixture
def school(db):
    return committee.register(db, demo_form(), user="Rosa")


def test_committee_adjustments_change_its_days_and_can_be_undone_with_a_reason(db, school):
    assert len(calendar.school_calendar(db, school.id, 2026).school_days()) == 172
    local = calendar.add_adjustment(db, school.id, "sin_clases", date(2026, 11, 20), name="Aniversario del distrito",
                                    source="Ordenanza municipal 012-2026", user="Rosa")
    calendar.add_adjustment(db, school.id, "con_clases", date(2026, 11, 28), name="Recuperación del 20",
                            source="Acta del CONEI 05-2026", user="Rosa")
    calendar.add_adjustment(db, school.id, "fin", date(2026, 12, 11), name="Fin según la DRE",
                            source="R.D.R. 0123-2026", user="Rosa")
    cal = calendar.school_calendar(db, school.id, 2026)
    assert not cal.is_school_day(date(2026, 11, 20)) and "Aniversario del distrito" in cal.why_not(date(2026, 11, 20))
    assert cal.is_school_day(date(2026, 11, 28))  # a Saturday worked
    # 172 − 20 Nov + 28 Nov − (14–18 Dec: 5 weekdays, no holiday) = 167.
    assert len(cal.school_days()) == 167
    calendar.undo_adjustment(db, school.id, local.seq, reason="La municipalidad lo suspendió", user="Rosa")
    cal = calendar.school_calendar(db, school.id, 2026)
    assert cal.is_school_day(date(2026, 11, 20)) and len(cal.school_days()) == 168
    listed = calendar.listing_json(calendar.listing(db, school.id, 2026))
    assert [a["active"] for a in listed["adjustments"]] == [False, True, True]
    assert listed["adjustments"][0]["reversed_reason"] == "La municipalidad lo suspendió"
    with db.session() as s:  # both the adjustment and its reversal stay in the chain
        assert Journal(s, school.id).verify().ok
        assert len(Journal(s, school.id).entries(calendar.KIND)) == 4


def test_an_adjustment_without_source_or_with_bad_dates_is_refused_whole(db, school):
    with pytest.raises(InvalidInput) as err:
        calendar.add_adjustment(db, school.id, "sin_clases", date(2026, 11, 20), date(2026, 11, 18),
                                name="", source=" ", user="Rosa")
    text = str(err.value) + " ".join(str(p) for p in err.value.problems)
    assert "posterior" in text and "Motivo" in text and "Fuente" in text
    with db.session() as s:
        assert Journal(s, school.id).entries(calendar.KIND) == []


def test_a_closed_month_refuses_calendar_adjustments(db, school):
    with db.session() as s:
        Journal(s, school.id).close_month("2026-11", user="Rosa")
    with pytest.raises(PeriodClosed):
        calendar.add_adjustment(db, school.id, "sin_clases", date(2026, 11, 20), name="Feriado local",
                                source="Ordenanza 1", user="Rosa")
