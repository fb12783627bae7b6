"""Fetching a POS's pairing record from the e-service at start-up (operator login, then the record)."""

from __future__ import annotations

import httpx

from sce.eservice.pairing import PairingRecord


class PairingUnavailableError(RuntimeError):
    """The e-service could not be asked (unreachable, refused login); the message says which."""


def fetch_pairing(
    base_url: str, username: str, password: str, pos_serial: str, *, timeout: float = 10.0
) -> PairingRecord | None:
    """The e-service's link of ``pos_serial`` (None when the POS is linked to no FDM)."""
    root = base_url.rstrip("/")
    try:
        with httpx.Client(timeout=timeout) as http:
            login = http.post(f"{root}/eservice/api/login", json={"username": username, "password": password})
            if login.status_code != 200:
                raise PairingUnavailableError(
                    f"e-service login refused ({login.status_code}): {login.text[:200]}"
                )
            answer = http.get(f"{root}/eservice/api/pairing/{pos_serial}")
    except httpx.HTTPError as error:
        raise PairingUnavailableError(f"e-service at {root} unreachable: {error}") from error
    if answer.status_code == 404:
        return None
    if answer.status_code != 200:
        raise PairingUnavailableError(f"e-service answered {answer.status_code}: {answer.text[:200]}")
    return PairingRecord.from_json(answer.json())
