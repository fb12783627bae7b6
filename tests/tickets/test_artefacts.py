"""QR codes decoded back to the verification URL, and PNG pictures of tickets for people to look at.

The PNG files are kept under ``tests/artefacts/tickets/`` (ignored by git): a PDF ticket and a report
rasterised with pdftoppm, an HTML ticket screenshot by headless Chromium (Playwright). Each picture is
checked for its PNG signature, its size and dark pixels, and the QR code on the ticket pictures is
decoded with zxing-cpp.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from sce.tickets.qr import qr_png
from sce.tickets.render_html import render_html
from sce.tickets.render_pdf import render_pdf
from sce.tickets.reports import render_report_html, render_report_pdf
from tests.tickets.report_support import report
from tests.tickets.support import V2_REFUND_URL, V2_URL, ticket

ARTEFACTS = Path(__file__).resolve().parents[1] / "artefacts" / "tickets"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _decoded(picture: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(picture) if result.format.name == "QRCode"]


def _check_png(path: Path, min_width: int, min_height: int) -> Image.Image:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), path
    picture = Image.open(io.BytesIO(data))
    picture.load()
    assert picture.width >= min_width and picture.height >= min_height, picture.size
    gray = picture.convert("L")
    histogram = gray.histogram()
    dark = sum(histogram[:96])
    light = sum(histogram[160:])
    total = gray.width * gray.height
    assert dark > total * 0.01, "the picture is blank"
    assert light > total * 0.5, "the picture is not a ticket on white paper"
    return picture


@pytest.fixture(scope="module")
def artefacts() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


@pytest.mark.parametrize("url", [V2_URL, V2_REFUND_URL, "https://fps.example.test/v?id=é&x=1"])
def test_segno_png_decodes_back_to_the_url(url: str) -> None:
    picture = Image.open(io.BytesIO(qr_png(url)))
    assert _decoded(picture) == [url]


def _pdftoppm(pdf: bytes, target: Path) -> Path:
    source = target.with_suffix(".pdf")
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-singlefile", str(source), str(target.with_suffix(""))],
        check=True,
        timeout=30,
        capture_output=True,
    )
    return target


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_ticket_rasterised_with_pdftoppm_shows_a_qr_code_of_the_url(artefacts: Path) -> None:
    png = _pdftoppm(render_pdf(ticket("vat", 2, "nl")), artefacts / "vat-sce2-nl-pdf.png")
    picture = _check_png(png, 600, 1200)  # 80 mm at 200 dpi is 630 px wide
    assert picture.width == pytest.approx(630, abs=2)
    assert _decoded(picture) == [V2_URL]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_report_and_non_vat_ticket_rasterised_have_no_qr_code(artefacts: Path) -> None:
    png = _pdftoppm(render_report_pdf(report("turnover_z", "fr")), artefacts / "turnover_z-fr-pdf.png")
    assert _decoded(_check_png(png, 600, 1500)) == []
    png = _pdftoppm(render_pdf(ticket("pro_forma", 2, "de")), artefacts / "pro_forma-sce2-de-pdf.png")
    assert _decoded(_check_png(png, 600, 600)) == []


@pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium not installed")
def test_html_ticket_screenshot_with_headless_chromium(artefacts: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    pages = {
        "vat-sce2-fr-html.png": render_html(ticket("vat", 2, "fr")),
        "user_z-nl-html.png": render_report_html(report("user_z", "nl")),
    }
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 520, "height": 900})
            for name, html in pages.items():
                page.set_content(html, wait_until="load")
                page.screenshot(path=str(artefacts / name), full_page=True)
        finally:
            browser.close()
    ticket_png = _check_png(artefacts / "vat-sce2-fr-html.png", 500, 900)
    assert _decoded(ticket_png) == [V2_URL]
    report_png = _check_png(artefacts / "user_z-nl-html.png", 500, 900)
    assert _decoded(report_png) == []
