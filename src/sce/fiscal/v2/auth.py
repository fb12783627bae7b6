"""Authentication between POS and FDM: ``none``, ``fdm-sha1`` (Date + SHA-1 over the raw body), ``bearer``.

The same functions build the client's headers and check them on the emulator's side.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from enum import Enum

MAX_CLOCK_SKEW_S = 300.0


class AuthMode(Enum):
    NONE = "none"
    FDM_SHA1 = "fdm-sha1"
    BEARER = "bearer"


def fdm_authorization(method: str, date: str, secret: str, body: bytes) -> str:
    """``FDM base64(SHA1(method + Date + secret + body))`` over the exact body bytes."""
    digest = hashlib.sha1((method + date + secret).encode("utf-8") + body).digest()
    return "FDM " + base64.b64encode(digest).decode("ascii")


def http_date(moment: datetime | None = None) -> str:
    """RFC 1123 date in GMT, as the ``Date`` header carries it."""
    return format_datetime((moment or datetime.now(UTC)).astimezone(UTC), usegmt=True)


def client_headers(mode: AuthMode, secret: str, body: bytes, now: datetime | None = None) -> dict[str, str]:
    if mode is AuthMode.FDM_SHA1:
        date = http_date(now)
        return {"Date": date, "Authorization": fdm_authorization("POST", date, secret, body)}
    if mode is AuthMode.BEARER:
        return {"Authorization": f"Bearer {secret}"}
    return {}


def check_request(
    mode: AuthMode, secret: str, headers: Mapping[str, str], body: bytes, now: datetime | None = None
) -> str | None:
    """``None`` when the request is authenticated, else the reason it is not (for logs and messages)."""
    if mode is AuthMode.NONE:
        return None
    given = headers.get("authorization", "")
    if mode is AuthMode.BEARER:
        expected = f"Bearer {secret}"
        return None if hmac.compare_digest(given.encode(), expected.encode()) else "bearer token mismatch"
    date = headers.get("date", "")
    try:
        sent = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return "missing or unreadable Date header"
    if sent.tzinfo is None:
        return "Date header without time zone"
    skew = abs(((now or datetime.now(UTC)) - sent).total_seconds())
    if skew > MAX_CLOCK_SKEW_S:
        return f"Date header {skew:.0f} s away from the FDM clock (limit {MAX_CLOCK_SKEW_S:.0f} s)"
    expected = fdm_authorization("POST", date, secret, body)
    return None if hmac.compare_digest(given.encode(), expected.encode()) else "FDM signature mismatch"
