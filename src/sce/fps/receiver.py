"""Checks one uploaded event before the FPS stand-in stores it: shape, fdmRef consistency, signature."""

from __future__ import annotations

import json
from typing import Any

from sce.fiscal.v2.signing import short_signature, verify
from sce.fps.store import ReceivedEvent

_REF_FIELDS = {"fdmId": str, "fdmDateTime": str, "eventLabel": str, "eventCounter": int, "totalCounter": int}


class RejectedEventError(ValueError):
    """The event is malformed or its signature does not hold; the reason says which."""


def check_event(fdm_id: str, public_key: str, record: Any) -> ReceivedEvent:
    if not isinstance(record, dict):
        raise RejectedEventError("an event must be a JSON object")
    ref = record.get("fdmRef")
    if not isinstance(ref, dict):
        raise RejectedEventError("fdmRef missing")
    for name, kind in _REF_FIELDS.items():
        if not isinstance(ref.get(name), kind) or isinstance(ref.get(name), bool):
            raise RejectedEventError(f"fdmRef.{name} missing or of the wrong type")
    if ref["fdmId"] != fdm_id:
        raise RejectedEventError(f"fdmRef.fdmId {ref['fdmId']} is not the uploading FDM {fdm_id}")
    for name in ("signedMessage", "digitalSignature", "eventOperation"):
        if not isinstance(record.get(name), str):
            raise RejectedEventError(f"{name} missing")
    message = record["signedMessage"]
    try:
        signed = json.loads(message)
    except ValueError as error:
        raise RejectedEventError("signedMessage is not JSON") from error
    if not isinstance(signed, dict) or signed.get("fdmRef") != ref:
        raise RejectedEventError("signedMessage does not carry the event's fdmRef")
    if signed.get("eventOperation") != record["eventOperation"]:
        raise RejectedEventError("signedMessage does not carry the event's operation")
    if not verify(public_key, message.encode("utf-8"), record["digitalSignature"]):
        raise RejectedEventError("digitalSignature does not verify with the FDM's public key")
    return ReceivedEvent(
        fdm_id,
        ref["totalCounter"],
        ref["eventCounter"],
        ref["eventLabel"],
        record["eventOperation"],
        bool(record.get("isTraining", False)),
        ref["fdmDateTime"],
        message,
        record["digitalSignature"],
        short_signature(record["digitalSignature"]),
    )
