"""The two VSC letters as PDF (fpdf2): the card letter and the separate PIN letter."""

from __future__ import annotations

from fpdf import FPDF


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def _letter(title: str, lines: list[str]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 12, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 7, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def card_letter(company: str, vat: str, establishment: str, fdm: str, vsc_id: str) -> bytes:
    return _letter(
        "VAT Signing Card (VSC)",
        [
            f"{company} ({vat})",
            f"Establishment unit: {establishment}",
            "",
            f"Enclosed: your VAT Signing Card {vsc_id}, for FDM {fdm}.",
            "Insert the card in the FDM. Your PIN comes in a separate letter.",
            "Entering the PIN in the FDM activates your certified cash register system.",
        ],
    )


def pin_letter(company: str, vat: str, fdm: str, vsc_id: str, pin: str) -> bytes:
    return _letter(
        "PIN of your VAT Signing Card",
        [
            f"{company} ({vat})",
            "",
            f"Card {vsc_id} for FDM {fdm}",
            f"PIN: {pin}",
            "",
            "Keep this letter apart from the card. Three wrong PINs in a row block the card.",
        ],
    )
