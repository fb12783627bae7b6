"""The emulated VAT Signing Card: identity, per-card secret key, PIN/PUK and the signature rule.

Decision (s): signature = upper-case hex HMAC-SHA1 over request DATA 4..161 + FDM date + FDM time +
label counter + total counter (190 ASCII characters). Decision (g): locked at every start-up and
insertion, a correct 5-digit PIN unlocks it, three consecutive wrong PINs block it until the PUK resets.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import Enum
from typing import Any

ALGORITHM = "HMAC-SHA1"
MESSAGE_RULE = (
    "request DATA characters 4..161 (ticket date up to and including the PLU field, 158 chars) "
    "+ FDM date (8) + FDM time (6) + event-label counter (9) + total counter (9), ASCII"
)
MAX_WRONG_PINS = 3


def signature_message(
    request_data: str, fdm_date: str, fdm_time: str, event_counter: str, total_counter: str
) -> str:
    """The 190 characters the card signs for one H request."""
    message = request_data[4:162] + fdm_date + fdm_time + event_counter + total_counter
    if len(message) != 190:
        raise ValueError(f"signature message has {len(message)} characters, expected 190")
    return message


def hmac_sha1_hex(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("ascii"), hashlib.sha1).hexdigest().upper()


@dataclass(frozen=True, slots=True)
class CardIdentity:
    """What is printed on and stored in one card."""

    vsc_id: str
    version: str
    key: bytes
    pin: str
    puk: str

    def __post_init__(self) -> None:
        if len(self.vsc_id) != 14 or self.vsc_id[10] != "-":
            raise ValueError(f"vsc_id: {self.vsc_id!r} is not NNNNNNNNNN-NNN")
        if len(self.pin) != 5 or not self.pin.isdigit():
            raise ValueError("pin: must be 5 digits")
        if len(self.puk) != 8 or not self.puk.isdigit():
            raise ValueError("puk: must be 8 digits")
        if len(self.key) != 20:
            raise ValueError("key: must be 20 bytes")

    @classmethod
    def generate(
        cls, vsc_id: str | None = None, pin: str | None = None, version: str = "001"
    ) -> CardIdentity:
        number = secrets.randbelow(10**10)
        return cls(
            vsc_id=vsc_id or f"{number:010d}-{secrets.randbelow(1000):03d}",
            version=version,
            key=secrets.token_bytes(20),
            pin=pin or f"{secrets.randbelow(10**5):05d}",
            puk=f"{secrets.randbelow(10**8):08d}",
        )

    def sign(self, message: str) -> str:
        return hmac_sha1_hex(self.key, message)

    def to_json(self) -> dict[str, str]:
        return {
            "vsc_id": self.vsc_id,
            "version": self.version,
            "key_hex": self.key.hex(),
            "pin": self.pin,
            "puk": self.puk,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CardIdentity:
        return cls(
            vsc_id=str(data["vsc_id"]),
            version=str(data["version"]),
            key=bytes.fromhex(str(data["key_hex"])),
            pin=str(data["pin"]),
            puk=str(data["puk"]),
        )

    def verifier_export(self, fdm_id: str) -> dict[str, str]:
        """What a verifier needs to recompute every signature of this card."""
        return {
            "vsc_id": self.vsc_id,
            "fdm_id": fdm_id,
            "algorithm": ALGORITHM,
            "key_hex": self.key.hex(),
            "message_rule": MESSAGE_RULE,
        }


class PinState(Enum):
    LOCKED = "locked"
    UNLOCKED = "unlocked"
    BLOCKED = "blocked"


class PinOutcome(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    BLOCKED = "blocked"


@dataclass(slots=True)
class PinLock:
    """The card's PIN state machine."""

    state: PinState = PinState.LOCKED
    wrong_count: int = 0

    def enter(self, card: CardIdentity, pin: str) -> PinOutcome:
        if self.state is PinState.BLOCKED:
            return PinOutcome.BLOCKED
        if hmac.compare_digest(pin, card.pin):
            self.state = PinState.UNLOCKED
            self.wrong_count = 0
            return PinOutcome.ACCEPTED
        self.wrong_count += 1
        if self.wrong_count >= MAX_WRONG_PINS:
            self.state = PinState.BLOCKED
            return PinOutcome.BLOCKED
        self.state = PinState.LOCKED
        return PinOutcome.WRONG

    def unblock(self, card: CardIdentity, puk: str) -> bool:
        """Administrative reset with the PUK; the card is then locked, waiting for its PIN."""
        if not hmac.compare_digest(puk, card.puk):
            return False
        self.state = PinState.LOCKED
        self.wrong_count = 0
        return True

    def lock(self) -> None:
        """Start-up or card insertion: the card waits for its PIN (a block stays)."""
        if self.state is not PinState.BLOCKED:
            self.state = PinState.LOCKED
