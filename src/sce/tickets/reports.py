"""X/Z turnover and user reports laid out as ticket rows, so they print, render and translate like tickets.

Every item of MB arts 29 and 30 (``regulation.md`` § 7.2, § 7.3) has its own row, in the order of the law;
a count and its amount share one row (``3 | 12,00``). A report is not a VAT ticket: it ends with the
not-valid line (MB art. 38) and never shows a signature.
"""

from __future__ import annotations

from sce.domain.money import Money
from sce.tickets.i18n import TicketLanguage
from sce.tickets.layout import NOT_VALID, Row, RowKind
from sce.tickets.render_html import render_rows_html
from sce.tickets.render_pdf import render_rows_pdf
from sce.tickets.render_text import WIDTHS, render_rows
from sce.tickets.report_model import (
    REPORT_HEADINGS,
    CountTotal,
    Report,
    ReportControl,
    ReportHeader,
    TurnoverReport,
    UserTotals,
)

#: The message id of each reducing-function reason (MB art. 29 v).
REASON_LABELS: dict[str, str] = {
    "REFUND": "Refunds",
    "CORRECTION": "Corrections",
    "PRICE_CHANGE": "Price changes",
    "COST_CENTER_CHANGE": "Transfers",
    "WASTE": "Waste",
    "DAMAGE": "Damage",
    "VOUCHER": "Vouchers",
}


def _row(kind: RowKind, *cells: str) -> Row:
    return Row(kind, cells)


def _count_total(t: TicketLanguage, total: CountTotal) -> str:
    return f"{total.count} | {t.amount(Money(total.amount_cents))}"


def _header(header: ReportHeader, t: TicketLanguage) -> list[Row]:
    issuer = header.issuer
    rows = [
        _row("title", t(REPORT_HEADINGS[header.kind])),
        _row("center", issuer.name),
        _row("center", f"{t('VAT no.')} {issuer.vat_number}"),
        _row("center", issuer.establishment_name),
        _row("pair", t("Establishment unit"), issuer.establishment_number),
    ]
    if header.report_number is not None:
        rows.append(_row("pair", t("Report no."), str(header.report_number)))
    rows.append(_row("pair", t("Created"), t.date_time(header.created_at)))
    rows.append(_row("pair", t("Booking date"), t.day(header.booking_date)))
    rows.append(_row("pair", t("Period start"), t.date_time(header.period_start)))
    rows.append(_row("pair", t("Period end"), t.date_time(header.period_end)))
    rows.append(_row("rule"))
    rows.append(_row("text", t("Registers")))
    for pos in header.pos_devices:
        rows.append(_row("pair", f"{t('POS')} {pos.pos_id}", f"{t('Terminal')} {pos.terminal_id}"))
        rows.append(_row("pair", f"   {t('First event')}", t.date_time(pos.first_pos_datetime)))
        rows.append(_row("pair", f"   {t('Last event')}", t.date_time(pos.last_pos_datetime)))
    rows.append(_row("text", t("FDM")))
    for fdm in header.fdm_devices:
        rows.append(_row("pair", t("FDM"), fdm.fdm_id))
        for label, at, counter in (
            ("First event", fdm.first_fdm_datetime, fdm.first_total_counter),
            ("Last event", fdm.last_fdm_datetime, fdm.last_total_counter),
        ):
            rows.append(_row("pair", f"   {t(label)}", t.date_time(at)))
            rows.append(_row("pair", "", f"{t('Total counter')} {counter}"))
    return rows


def _turnover(report: TurnoverReport, t: TicketLanguage) -> list[Row]:
    rows = [_row("rule"), _row("total", t("TURNOVER N"), t.money(Money(report.turnover_cents)))]
    if report.departments:
        rows.append(_row("text", t("Per department")))
        rows.extend(
            _row("pair", f"   {dep.name}", t.amount(Money(dep.amount_cents))) for dep in report.departments
        )
    rows.append(_row("text", t("Per VAT rate")))
    rows.append(_row("columns", t("VAT"), t("Rate"), t("Base"), t("VAT"), t("Total")))
    for rate in report.vat_rates:
        rows.append(
            _row(
                "columns",
                rate.letter.value,
                t.rate(rate.rate),
                t.amount(Money(rate.base_cents)),
                t.amount(Money(rate.vat_cents)),
                t.amount(Money(rate.total_cents)),
            )
        )
    rows.append(_row("rule"))
    rows.append(_row("text", t("Payments")))
    rows.extend(
        _row("pair", f"   {payment.name}", t.amount(Money(payment.amount_cents)))
        for payment in report.payments
    )
    rows.append(_row("pair", t("Roundings"), t.amount(Money(report.rounding_cents))))
    rows.append(_row("rule"))
    rows.append(_row("pair", t("VAT tickets"), str(report.vat_ticket_count)))
    rows.append(_row("pair", t("Drawer openings without sale"), str(report.drawer_openings)))
    rows.append(_row("pair", t("Training tickets"), _count_total(t, report.training)))
    rows.append(_row("pair", t("Refund tickets"), _count_total(t, report.refunds)))
    rows.append(_row("pair", t("Pro forma tickets"), _count_total(t, report.pro_forma)))
    rows.append(_row("pair", t("Copies"), _count_total(t, report.copies)))
    rows.append(_row("text", t("Discounts and surcharges")))
    for change in report.price_changes:
        label = t("Discount") if change.kind == "DISCOUNT" else t("Surcharge")
        value = _count_total(t, CountTotal(change.count, change.amount_cents))
        rows.append(_row("pair", f"   {label}: {change.name}", value))
    rows.append(_row("text", t("Corrections and cancellations")))
    for reduction in report.reductions:
        value = _count_total(t, CountTotal(reduction.count, reduction.amount_cents))
        rows.append(_row("pair", f"   {t(REASON_LABELS[reduction.reason])} ({reduction.label})", value))
    rows.append(_row("pair", t("Invoices"), _count_total(t, report.invoice_total)))
    rows.extend(
        _row("pair", f"   {invoice.number}", t.amount(Money(invoice.amount_cents)))
        for invoice in report.invoices
    )
    if report.grand_totals is not None:
        grand = report.grand_totals
        rows.append(_row("rule"))
        rows.append(_row("pair", t("Grand total sales"), t.amount(Money(grand.sales_cents))))
        rows.append(_row("pair", t("Grand total refunds"), t.amount(Money(grand.refunds_cents))))
        rows.append(_row("pair", t("Grand total net"), t.amount(Money(grand.net_cents))))
    return rows


def _user(user: UserTotals, t: TicketLanguage) -> list[Row]:
    rows = [
        _row("rule"),
        _row("pair", t("User"), user.name),
        _row("pair", t("INSZ"), user.employee_id),
        _row("total", t("Turnover"), t.money(Money(user.turnover_cents))),
    ]
    if user.drawer:
        rows.append(_row("text", t("Drawer content")))
        rows.extend(
            _row("pair", f"   {payment.name}", t.amount(Money(payment.amount_cents)))
            for payment in user.drawer
        )
    if user.work_events:
        rows.append(_row("text", t("Work in/out")))
        for work in user.work_events:
            label = t("WORK IN") if work.direction == "IN" else t("WORK OUT")
            rows.append(_row("pair", f"   {label}", t.date_time(work.at)))
    for label, at, ref in (
        ("First event", user.first_event_at, user.first_event),
        ("Last event", user.last_event_at, user.last_event),
    ):
        rows.append(_row("pair", t(label), t.date_time(at)))
        counters = f"{ref.event_counter}/{ref.total_counter} {ref.event_label}"
        rows.append(_row("pair", "", f"{ref.fdm_id} {counters}"))
    return rows


def _control(control: ReportControl | None, t: TicketLanguage) -> list[Row]:
    if control is None:
        return []
    return [
        _row("rule"),
        _row("text", t("FDM data")),
        _row("pair", t("FDM"), control.fdm_id),
        _row("pair", t("FDM date/time"), t.date_time(control.fdm_datetime)),
        _row("pair", t("Counters"), control.counters),
    ]


def report_rows(report: Report) -> tuple[Row, ...]:
    """The rows of ``report`` in print order, in its language, ending with the not-valid line."""
    t = TicketLanguage(report.header.issuer.language)
    rows = _header(report.header, t)
    if isinstance(report, TurnoverReport):
        rows.extend(_turnover(report, t))
    else:
        for user in report.users:
            rows.extend(_user(user, t))
    rows.extend(_control(report.control, t))
    rows.append(_row("rule"))
    rows.append(_row("notice", t(NOT_VALID)))
    return tuple(rows)


def _title(report: Report) -> str:
    t = TicketLanguage(report.header.issuer.language)
    number = f" {report.header.report_number}" if report.header.report_number is not None else ""
    return f"{t(REPORT_HEADINGS[report.header.kind])}{number}"


def render_report_text(report: Report, width: int = 42) -> str:
    """The report as text lines of at most ``width`` (42 or 48) characters, ending with a newline."""
    if width not in WIDTHS:
        raise ValueError(f"width: {width} is not one of {WIDTHS}")
    return render_rows(report_rows(report), width)


def render_report_pdf(report: Report, *, compress: bool = True) -> bytes:
    """The report as a one-page PDF, 80 mm wide like a ticket."""
    return render_rows_pdf(report_rows(report), _title(report), report.header.created_at, compress=compress)


def render_report_html(report: Report) -> str:
    """The report as a self-contained HTML page."""
    return render_rows_html(report_rows(report), report.header.issuer.language, _title(report))


__all__ = [
    "REASON_LABELS",
    "render_report_html",
    "render_report_pdf",
    "render_report_text",
    "report_rows",
]
