"""The window's withdrawal form reads the amount as every amount is read: céntimos only, up to S/ 10 million;
«1000.005» is refused beside the box (before, it was rounded to 1000.01 and recorded)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ui.widgets.treasury_transfers import TransfersPanel


@pytest.mark.parametrize("typed, says", [("1000.005", "2 decimales"), ("10000000.01", "10,000,000")])
def test_a_withdrawal_with_more_than_two_decimals_or_over_the_limit_is_not_submitted(qtbot, typed, says):
    panel = TransfersPanel()
    qtbot.addWidget(panel)
    sent = []
    panel.withdrawal_submitted.connect(lambda day, amount: sent.append(amount))
    panel.withdrawal_form.amount.setText(typed)
    panel.withdrawal_form.submit()
    assert sent == []
    assert says in panel.withdrawal_form.message.text()


def test_a_withdrawal_in_soles_and_centimos_is_submitted_as_typed(qtbot):
    panel = TransfersPanel()
    qtbot.addWidget(panel)
    sent = []
    panel.withdrawal_submitted.connect(lambda day, amount: sent.append(amount))
    panel.withdrawal_form.amount.setText("S/ 1,000.05")
    panel.withdrawal_form.submit()
    assert sent == [Decimal("1000.05")] and panel.withdrawal_form.message.text() == ""
