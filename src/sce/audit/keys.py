"""Verification data of the FDMs in use, kept as configuration documents of kind ``fdm_key``.

Contract (``docs/export/keys.md``): one ``config_items`` row per FDM, ``kind`` = ``fdm_key``, ``item_id`` =
the FDM id, ``body`` = ``{"generation": 1, "vsc_id": ..., "key_hex": ...}`` for an SCE 1.0 FDM (the VSC's
HMAC-SHA1 key as exported by ``sce fdm1 export-keys``) or ``{"generation": 2, "public_key_pem": ...}`` for
an SCE 2.0 FDM. The POS calls :func:`record_fdm_key` when it pairs with an FDM; the export writes them
to ``keys.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from sce.db.store import PosStore, Tx

KIND = "fdm_key"
KEYS_FORMAT = "sce-keys/1"


def key_body(
    generation: int, *, vsc_id: str = "", key_hex: str = "", public_key_pem: str = ""
) -> dict[str, Any]:
    if generation == 1:
        if len(bytes.fromhex(key_hex)) == 0:
            raise ValueError("key_hex: an SCE 1.0 card key is required")
        return {"generation": 1, "vsc_id": vsc_id, "key_hex": key_hex.lower()}
    if generation == 2:
        if "BEGIN PUBLIC KEY" not in public_key_pem:
            raise ValueError("public_key_pem: a PEM SubjectPublicKeyInfo is required")
        return {"generation": 2, "public_key_pem": public_key_pem}
    raise ValueError("generation: 1 or 2")


def record_fdm_key(
    target: Tx | Engine,
    fdm_id: str,
    generation: int,
    *,
    vsc_id: str = "",
    key_hex: str = "",
    public_key_pem: str = "",
) -> dict[str, Any]:
    """Store (or replace) the verification data of FDM ``fdm_id``; ``target`` is an open Tx or an engine."""
    body = key_body(generation, vsc_id=vsc_id, key_hex=key_hex, public_key_pem=public_key_pem)
    if isinstance(target, Tx):
        _put(target, fdm_id, body)
    else:
        with PosStore(target).tx() as tx:
            _put(tx, fdm_id, body)
    return body


def record_key_material(target: Tx | Engine, material: Mapping[str, str]) -> bool:
    """Store the keys a connected FDM handed over (``Connected.key_material``: ``fdm_id``, ``generation``
    and ``vsc_id`` + ``key_hex`` or ``public_key_pem``); False when it handed over none."""
    if not material.get("fdm_id"):
        return False
    record_fdm_key(
        target,
        material["fdm_id"],
        int(material["generation"]),
        vsc_id=material.get("vsc_id", ""),
        key_hex=material.get("key_hex", ""),
        public_key_pem=material.get("public_key_pem", ""),
    )
    return True


def record_keys_file(target: Tx | Engine, path: Path) -> list[str]:
    """Store every key of a key file (:func:`entries_from_file`); the FDM ids recorded."""
    recorded = []
    for entry in entries_from_file(path):
        record_fdm_key(
            target,
            str(entry["fdm_id"]),
            int(entry["generation"]),
            vsc_id=str(entry.get("vsc_id", "")),
            key_hex=str(entry.get("key_hex", "")),
            public_key_pem=str(entry.get("public_key_pem", "")),
        )
        recorded.append(str(entry["fdm_id"]))
    return recorded


def _put(tx: Tx, fdm_id: str, body: dict[str, Any]) -> None:
    current = tx.item(KIND, fdm_id)
    if current is None:
        tx.put_item(KIND, fdm_id, body)
    elif current[1] != body:
        tx.put_item(KIND, fdm_id, body, version=current[0])


def entries_from_file(path: Path) -> list[dict[str, Any]]:
    """Keys from a file: a ``keys.json`` of an export, or ``sce fdm1 export-keys`` output."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(document, dict) and isinstance(document.get("fdms"), list):
        return [dict(entry) for entry in document["fdms"]]
    if isinstance(document, dict) and isinstance(document.get("cards"), list):
        return [
            {"fdm_id": card["fdm_id"], "generation": 1, "vsc_id": card["vsc_id"], "key_hex": card["key_hex"]}
            for card in document["cards"]
        ]
    if isinstance(document, dict) and "fdm_id" in document and "public_key_pem" in document:
        return [{"fdm_id": document["fdm_id"], "generation": 2, "public_key_pem": document["public_key_pem"]}]
    raise ValueError(f"{path}: not a key file (expected 'fdms', 'cards' or fdm_id + public_key_pem)")


def keys_document(entries: list[dict[str, Any]]) -> dict[str, Any]:
    by_id: dict[str, dict[str, Any]] = {}
    for entry in entries:
        by_id[str(entry["fdm_id"])] = entry
    return {"format": KEYS_FORMAT, "fdms": [by_id[key] for key in sorted(by_id)]}
