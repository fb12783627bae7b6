"""The POS start-up check of its FDM: is the FDM it talks to the one linked to it in the e-service?

Pure: the POS passes the pairing record it got from the e-service (``GET /eservice/api/pairing/{pos}``)
and the FDM id the device reported; nothing here does input/output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class PairingRecord:
    """The e-service's link of one POS: its FDM, the establishment, and whether it is in service."""

    pos_serial: str
    fdm_serial: str
    establishment: str
    active: bool = True

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PairingRecord:
        return cls(
            str(data["pos"]), str(data["fdm"]), str(data["establishment"]), bool(data.get("active", True))
        )


@dataclass(frozen=True, slots=True)
class PairingCheck:
    """The verdict; ``message`` names the expected and the found serial numbers."""

    ok: bool
    rule: str
    pos_serial: str
    expected_fdm: str | None
    found_fdm: str
    message: str


def check_pairing(record: PairingRecord | None, pos_serial: str, found_fdm: str) -> PairingCheck:
    """May the POS ``pos_serial`` sell through the FDM that reported ``found_fdm``?"""
    found = found_fdm.strip()
    if record is None:
        return PairingCheck(
            False,
            "POS_NOT_LINKED",
            pos_serial,
            None,
            found,
            f"POS {pos_serial} is linked to no FDM in the e-service; found FDM {found}: selling refused",
        )
    if record.pos_serial != pos_serial:
        return PairingCheck(
            False,
            "WRONG_POS",
            pos_serial,
            record.fdm_serial,
            found,
            f"the pairing record is for POS {record.pos_serial}, not {pos_serial}: selling refused",
        )
    if not record.active:
        return PairingCheck(
            False,
            "NOT_ACTIVE",
            pos_serial,
            record.fdm_serial,
            found,
            f"the link of POS {pos_serial} to FDM {record.fdm_serial} is not active yet: selling refused",
        )
    if record.fdm_serial != found:
        return PairingCheck(
            False,
            "FDM_MISMATCH",
            pos_serial,
            record.fdm_serial,
            found,
            f"POS {pos_serial} expected FDM {record.fdm_serial} but found FDM {found}: selling refused",
        )
    return PairingCheck(
        True, "OK", pos_serial, record.fdm_serial, found, f"POS {pos_serial} is paired with FDM {found}"
    )
