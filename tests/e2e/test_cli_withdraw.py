"""`treasury withdraw` reads its amount as every amount of the application is read: up to S/ 10 million,
céntimos only («1,000.005» refused, never rounded), each refusal naming the option and changing nothing. Money
dated after today is refused too."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.e2e.conftest import run as e2e_run

TODAY = "2026-11-26"


def run(*args, db):
    return e2e_run(*args, db=db, env={"QALIWARMA_DEMO_TODAY": TODAY, "QALIWARMA_TODAY": TODAY})


@pytest.fixture
def db(dbfile):
    return dbfile  # the shared demo copy (tests/e2e/conftest.py), made as of the same day


def bank_and_cash(db) -> tuple[Decimal, Decimal]:
    doc = e2e_run("treasury", "balance", "--month", "2026-11", "--json", db=db, check_json=True).doc
    return Decimal(doc["bank"]), Decimal(doc["cash_on_hand"])


@pytest.mark.parametrize("amount, says", [
    ("1,000.005", "admite como máximo 2 decimales"),  # the bank holds S/ 1,304.00: rounding would have fitted
    ("10000000.01", "entre 0 y 10,000,000"),
    ("99999999", "entre 0 y 10,000,000"),
])
def test_a_withdrawal_over_the_limit_or_with_more_than_two_decimals_is_refused(db, amount, says):
    before = bank_and_cash(db)
    refused = run("treasury", "withdraw", "--date", "26/11/2026", "--amount", amount, db=db)
    assert refused.returncode == 2
    assert "--amount" in refused.stderr and says in refused.stderr and f"«{amount}»" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert bank_and_cash(db) == before  # nothing recorded


def test_a_withdrawal_in_soles_and_centimos_within_the_bank_is_recorded(db):
    bank, cash = bank_and_cash(db)
    assert run("treasury", "withdraw", "--date", "26/11/2026", "--amount", "S/ 1,000.05", db=db).returncode == 0
    assert bank_and_cash(db) == (bank - Decimal("1000.05"), cash + Decimal("1000.05"))


@pytest.mark.parametrize("amount, says", [
    ("1,000.005", "admite como máximo 2 decimales"),
    ("10000000.01", "entre 0 y 10,000,000"),
])
def test_a_transfer_over_the_limit_or_with_more_than_two_decimals_is_refused_like_a_withdrawal(db, amount, says):
    before = bank_and_cash(db)
    refused = run("treasury", "transfer", "--date", "26/11/2026", "--amount", amount, "--reference", "BN 9",
                  db=db)
    assert refused.returncode == 2
    assert "--amount" in refused.stderr and says in refused.stderr, refused.stderr
    assert bank_and_cash(db) == before  # nothing recorded
    done = run("treasury", "transfer", "--date", "26/11/2026", "--amount", "S/ 1,000.05", "--reference", "BN 9",
               db=db)
    assert done.returncode == 0, done.stderr
    assert bank_and_cash(db) == (before[0] + Decimal("1000.05"), before[1])


@pytest.mark.parametrize("action", [("transfer", "--reference", "BN 2031"), ("withdraw",)])
def test_money_dated_after_today_is_refused_naming_the_date_and_today(db, action):
    """A typed year (2031 for 2026): said, with today's date, and nothing recorded; the chain stays whole."""
    before = bank_and_cash(db)
    refused = run("treasury", action[0], "--date", "15/03/2031", "--amount", "500.00", *action[1:], db=db)
    assert refused.returncode == 2
    assert "la fecha 15/03/2031 es posterior a hoy (26/11/2026)" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert bank_and_cash(db) == before
    assert e2e_run("verify", db=db).returncode == 0
