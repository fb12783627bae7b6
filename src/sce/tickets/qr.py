"""The QR code of the FDM's verification URL (SCE 2.0 VAT tickets), made with segno."""

from __future__ import annotations

import io

import segno

#: Error correction and border used on every ticket medium.
ERROR = "m"
BORDER = 4


def qr_code(url: str) -> segno.QRCode:
    """The QR code encoding ``url`` exactly, error correction level M (as the ESC/POS command asks)."""
    return segno.make_qr(url, error=ERROR, boost_error=False)


def qr_png(url: str, scale: int = 4) -> bytes:
    """The QR code of ``url`` as a black-on-white PNG with a 4-module quiet zone."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=BORDER)
    return buffer.getvalue()
