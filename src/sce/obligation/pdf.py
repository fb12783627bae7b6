"""The plan as a one-page PDF (fpdf2, built-in Helvetica)."""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf import FPDF

from sce.obligation import texts
from sce.obligation.i18n import DEFAULT_LANG, Lang, format_day, render
from sce.obligation.ical import plan_events
from sce.obligation.message import msg
from sce.obligation.planner import Plan

_REPLACEMENTS = {
    "€": "EUR",
    "\u202f": " ",
    "\u2009": " ",
    "–": "-",
    "—": "-",
    "’": "'",
    "≥": ">=",
    "≤": "<=",
}


def _latin1(text: str) -> str:
    """The built-in PDF fonts cover Latin-1 only: spell out what lies outside it."""
    for char, replacement in _REPLACEMENTS.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


def plan_to_pdf(plan: Plan, lang: Lang = DEFAULT_LANG) -> bytes:
    """A PDF with the dates, the reasons and the social-security advantages."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str, size: int) -> None:
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, size * 0.6, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def paragraph(text: str, bullet: bool = False) -> None:
        pdf.set_font("Helvetica", "", 10)
        prefix = "- " if bullet else ""
        pdf.multi_cell(width, 5, _latin1(prefix + text), new_x="LMARGIN", new_y="NEXT")

    heading(render(msg(texts.PDF_TITLE), lang), 16)
    paragraph(render(msg(texts.PDF_DRAWN_UP, date=plan.as_of, start=plan.activity_start), lang))
    pdf.ln(3)
    heading(render(msg(texts.PDF_DATES), lang), 12)
    for _key, label, day in plan_events(plan):
        paragraph(f"{format_day(day, lang)} ({day.isoformat()}): {render(msg(label), lang)}", bullet=True)
    pdf.ln(3)
    heading(render(msg(texts.PDF_WHY), lang), 12)
    for note in plan.notes:
        paragraph(render(note, lang), bullet=True)
    pdf.ln(3)
    heading(render(msg(texts.PDF_ADVANTAGES), lang), 12)
    for advantage in plan.advantages:
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(width, 5, _latin1(render(advantage.title, lang)), new_x="LMARGIN", new_y="NEXT")
        if advantage.starts is not None:
            paragraph(render(msg(texts.PDF_FROM, date=advantage.starts), lang))
        for condition in advantage.conditions:
            paragraph(render(condition, lang), bullet=True)
        pdf.ln(2)
    pdf.ln(3)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(width, 4, _latin1(render(msg(texts.PDF_DISCLAIMER), lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_title(_latin1(render(msg(texts.PDF_TITLE), lang)))
    pdf.set_creation_date(datetime(plan.as_of.year, plan.as_of.month, plan.as_of.day, tzinfo=UTC))
    return bytes(pdf.output())
