"""The emulator's event signature: canonical JSON, ECDSA P-256 (RFC 6979), short signature, verification URL.

This is the signature rule our emulator uses (the real FDM's algorithm is not public): the signed message
is the canonical JSON of ``{"data", "eventOperation", "fdmRef"}``, the signature the raw r||s in base64.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

_ALGORITHM = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
PUBLIC_KEY_FILE = "fdm-public-key.pem"
PRIVATE_KEY_FILE = "fdm-private-key.pem"


def strip_absent(value: Any) -> Any:
    """Drop ``None`` members of objects (absent optional fields), recursively; lists keep their items."""
    if isinstance(value, Mapping):
        return {key: strip_absent(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [strip_absent(item) for item in value]
    return value


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_message(data: Mapping[str, Any], operation: str, fdm_ref: Mapping[str, Any]) -> bytes:
    """The exact bytes signed for one event."""
    payload = {"data": strip_absent(data), "eventOperation": operation, "fdmRef": dict(fdm_ref)}
    return canonical_json(payload).encode("utf-8")


def short_signature(signature_b64: str) -> str:
    """Upper-case hex SHA-1 of the 64 signature bytes."""
    return hashlib.sha1(base64.b64decode(signature_b64)).hexdigest().upper()


def verification_url(base: str, fdm_ref: Mapping[str, Any], short: str) -> str:
    return (
        f"{base.rstrip('/')}/{fdm_ref['fdmId']}/{fdm_ref['eventCounter']}/{fdm_ref['totalCounter']}/{short}"
    )


class Signer:
    """An ECDSA P-256 key pair that signs event messages deterministically."""

    def __init__(self, key: ec.EllipticCurvePrivateKey) -> None:
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError("the FDM key must be on curve P-256")
        self._key = key

    @classmethod
    def from_pem(cls, pem: bytes) -> Signer:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("the FDM key must be an EC private key")
        return cls(key)

    @classmethod
    def load_or_create(cls, state: Path) -> Signer:
        """The key of a state directory, created (and its public half exported) on first use."""
        state.mkdir(parents=True, exist_ok=True)
        private = state / PRIVATE_KEY_FILE
        if private.exists():
            signer = cls.from_pem(private.read_bytes())
        else:
            signer = cls(ec.generate_private_key(ec.SECP256R1()))
            _write_durably(private, signer.private_pem(), mode=0o600)
        public = state / PUBLIC_KEY_FILE
        if not public.exists():
            _write_durably(public, signer.public_pem().encode("ascii"))
        return signer

    def private_pem(self) -> bytes:
        return self._key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def public_pem(self) -> str:
        return (
            self._key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode("ascii")
        )

    def sign(self, message: bytes) -> str:
        """base64 of raw r||s, each 32 bytes big-endian."""
        r, s = decode_dss_signature(self._key.sign(message, _ALGORITHM))
        return base64.b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode("ascii")


def verify(public_pem: str, message: bytes, signature_b64: str) -> bool:
    """Whether ``signature_b64`` (raw r||s) is a valid P-256/SHA-256 signature of ``message``."""
    key = serialization.load_pem_public_key(public_pem.encode("ascii"))
    if not isinstance(key, ec.EllipticCurvePublicKey):
        return False
    try:
        raw = base64.b64decode(signature_b64, validate=True)
    except ValueError:
        return False
    if len(raw) != 64:
        return False
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        key.verify(der, message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def _write_durably(path: Path, content: bytes, mode: int = 0o644) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
