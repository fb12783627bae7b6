"""Write the golden text tickets: ``python -m tests.tickets.regenerate_golden``; review every diff."""

from __future__ import annotations

from sce.tickets.render_text import render_text
from sce.tickets.reports import render_report_text
from tests.tickets.report_support import WIDE_REPORT_CASES, report, report_cases, report_golden_path
from tests.tickets.support import (
    GOLDEN,
    INVOICE_CASES,
    WIDE_CASES,
    WIDE_INVOICE_CASES,
    cases,
    golden_path,
    invoice,
    ticket,
)


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for kind, generation, lang in cases():
        golden_path(kind, generation, lang).write_text(render_text(ticket(kind, generation, lang)), "utf-8")
    for kind, generation, lang in WIDE_CASES:
        path = golden_path(kind, generation, lang, 48)
        path.write_text(render_text(ticket(kind, generation, lang), 48), "utf-8")
    for generation, lang in INVOICE_CASES:
        golden_path("invoice", generation, lang).write_text(render_text(invoice(generation, lang)), "utf-8")
    for generation, lang in WIDE_INVOICE_CASES:
        path = golden_path("invoice", generation, lang, 48)
        path.write_text(render_text(invoice(generation, lang), 48), "utf-8")
    (GOLDEN / "reports").mkdir(exist_ok=True)
    for kind, lang in report_cases():
        report_golden_path(kind, lang).write_text(render_report_text(report(kind, lang)), "utf-8")
    for kind, lang in WIDE_REPORT_CASES:
        report_golden_path(kind, lang, 48).write_text(render_report_text(report(kind, lang), 48), "utf-8")


if __name__ == "__main__":
    main()
