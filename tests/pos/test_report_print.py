"""X/Z reports from the journal printed with the report layouts, for both generations."""

from __future__ import annotations

from decimal import Decimal

from sce.domain.money import Money
from sce.domain.payments import PaymentMethod, Tender
from sce.pos.report_view import report_of_record
from sce.tickets.report_model import TurnoverReport, UserReport
from sce.tickets.reports import render_report_pdf, render_report_text
from tests.pos.support import MANAGER, WAITER, Rig


def test_z_reports_print_with_the_journal_figures(rig: Rig) -> None:
    pos = rig.pos
    pos.clock_in(WAITER, "T1")
    pos.quick_sale(
        WAITER, "T1", [("BEER", Decimal(2)), ("SOUP", Decimal(1))], [Tender(PaymentMethod.CASH, Money(2000))]
    )
    pos.drawer_open(WAITER, "T1")
    pos.clock_out(WAITER, "T1")
    turnover, users = pos.report("turnover", "Z", MANAGER, "T1")
    report = report_of_record(pos, turnover.record)
    assert isinstance(report, TurnoverReport)
    assert report.turnover_cents == 700 + 650 and report.header.report_number == 1
    assert report.drawer_openings == 1 and report.vat_ticket_count == 1
    text = render_report_text(report, 42)
    assert "Z OMZET" in text and "13,50" in text
    assert "DIT IS GEEN GELDIG BTW-KASTICKET" in text.upper().replace("BTW KASTICKET", "BTW-KASTICKET")
    assert render_report_pdf(report).startswith(b"%PDF")
    user_report = report_of_record(pos, users.record)
    assert isinstance(user_report, UserReport)
    assert [u.employee_id for u in user_report.users] == [WAITER]
    assert [w.direction for w in user_report.users[0].work_events] == ["IN", "OUT"]
    assert "Z GEBRUIKERS" in render_report_text(user_report, 48)
