"""The plan as iCalendar and PDF, from the library and from ``sce obligation plan --ics/--pdf``."""

from __future__ import annotations

import contextlib
import zlib
from datetime import date
from pathlib import Path

from icalendar import Calendar
from typer.testing import CliRunner

from sce.obligation import plan
from sce.obligation.cli import app
from sce.obligation.ical import plan_to_ical
from sce.obligation.pdf import plan_to_pdf


def _events(data: bytes) -> dict[str, date]:
    calendar = Calendar.from_ical(data)
    return {str(event["SUMMARY"]): event.decoded("DTSTART") for event in calendar.walk("VEVENT")}


def test_ical_has_one_all_day_event_per_deadline() -> None:
    result = plan(date(2027, 12, 10), sce1_commissioned=date(2016, 5, 1))
    events = _events(plan_to_ical(result))
    assert events == {
        "Certified cash register: register in the e-service": date(2028, 2, 29),
        "Certified cash register: issue certified tickets": date(2028, 3, 31),
        "Certified cash register: finish every registration step": date(2028, 3, 4),
        "First quarter of the social-charge reduction": date(2028, 4, 1),
        "SCE 2.0 deadline": date(2027, 7, 1),
    }


def test_ical_is_reproducible_and_translated() -> None:
    result = plan(date(2027, 1, 10))
    assert plan_to_ical(result, "nl") == plan_to_ical(result, "nl")
    assert "Termijn GKS 2.0" in _events(plan_to_ical(result, "nl"))


def test_pdf_in_every_language() -> None:
    result = plan(date(2027, 1, 10))
    for lang in ("en", "nl", "fr", "de"):
        data = plan_to_pdf(result, lang)
        assert data.startswith(b"%PDF-")
        assert data.rstrip().endswith(b"%%EOF")


def test_cli_writes_both_files(tmp_path: Path) -> None:
    ics, pdf = tmp_path / "plan.ics", tmp_path / "plan.pdf"
    result = CliRunner().invoke(
        app, ["plan", "--date", "2027-01-10", "--ics", str(ics), "--pdf", str(pdf), "--lang", "fr"]
    )
    assert result.exit_code == 0, result.output
    assert "register_by: 2027-03-31" in result.stdout
    assert pdf.read_bytes().startswith(b"%PDF")
    assert _events(ics.read_bytes())["Échéance SCE 2.0"] == date(2026, 7, 1)


def _pdf_text(data: bytes) -> bytes:
    """The decompressed content streams of a PDF."""
    text = b""
    for chunk in data.split(b"stream")[1::2]:
        body = chunk.strip(b"\r\n")
        with contextlib.suppress(zlib.error):
            text += zlib.decompress(body)
    return text


def test_pdf_contains_the_dates_and_advantages() -> None:
    result = plan(date(2027, 12, 10), sce1_commissioned=date(2016, 5, 1))
    content = _pdf_text(plan_to_pdf(result, "fr"))
    for day in (b"2028-02-29", b"2028-03-31", b"2028-03-04", b"2028-04-01", b"2027-07-01"):
        assert day in content
    assert "Réduction groupe cible".encode("latin-1") in content
    assert b"500,00 EUR" in content
