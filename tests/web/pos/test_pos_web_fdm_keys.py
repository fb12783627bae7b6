"""The POS server records the verification key of the FDM it signs with, so an inspector's export made
from it verifies: from an embedded emulator, from an SCE 2.0 emulator reached by URL (its
``/_emulator/state`` page), or from a key file for a real device (``--fdm-keys``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from tests.fiscal.v2.support import running_emulator

from sce.audit.keys import KIND
from sce.domain.errors import DomainError
from sce.pos.fdm_setup import emulator_key_material
from sce.web.pos import demo
from sce.web.pos.runtime import FdmChoice, Runtime, open_runtime


def _keys(rt: Runtime) -> dict[str, dict[str, object]]:
    with rt.pos.store.tx() as tx:
        return tx.items(KIND)


def _open(tmp_path: Path, fdm: str, keys: tuple[Path, ...] = ()) -> Runtime:
    return open_runtime(
        f"sqlite:///{tmp_path / 'pos.db'}",
        FdmChoice.parse(fdm),
        tmp_path,
        demo=True,
        seed=demo.seed,
        fdm_keys=keys,
    )


@pytest.mark.parametrize("fdm", ["emulator-v1", "emulator-v2"])
def test_an_embedded_emulator_hands_over_its_key(tmp_path: Path, fdm: str) -> None:
    rt = _open(tmp_path, fdm)
    try:
        keys = _keys(rt)
        assert len(keys) == 1
        (body,) = keys.values()
        if fdm == "emulator-v1":
            assert body["generation"] == 1 and len(bytes.fromhex(str(body["key_hex"]))) > 0
        else:
            assert body["generation"] == 2 and "BEGIN PUBLIC KEY" in str(body["public_key_pem"])
    finally:
        rt.close()


def test_an_emulator_reached_by_url_hands_over_its_key(tmp_path: Path) -> None:
    with running_emulator(tmp_path / "fdm2") as emulator:
        url = emulator.server.url + "/graphql"
        material = emulator_key_material(url)
        assert material["fdm_id"] == emulator.fdm.config.fdm_id
        assert material["public_key_pem"] == emulator.fdm.signer.public_pem()
        rt = _open(tmp_path, url)
        try:
            assert _keys(rt)[emulator.fdm.config.fdm_id]["public_key_pem"] == emulator.fdm.signer.public_pem()
        finally:
            rt.close()


def test_a_real_fdm_without_an_emulator_page_hands_over_nothing() -> None:
    assert emulator_key_material("http://127.0.0.1:9/graphql", timeout=0.5) == {}


def test_a_key_file_records_a_real_devices_certificate_key(tmp_path: Path) -> None:
    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    key_file = tmp_path / "fdm-key.json"
    key_file.write_text(json.dumps({"fdm_id": "FDM02000042", "public_key_pem": pem}), encoding="utf-8")
    rt = _open(tmp_path, "emulator-v1", (key_file,))
    try:
        keys = _keys(rt)
        assert keys["FDM02000042"] == {"generation": 2, "public_key_pem": pem}
        assert len(keys) == 2  # and the embedded emulator's own
    finally:
        rt.close()


def test_a_bad_key_file_is_refused_naming_the_option(tmp_path: Path) -> None:
    key_file = tmp_path / "fdm-key.json"
    key_file.write_text(
        json.dumps({"fdm_id": "FDM02000042", "public_key_pem": "not a key"}), encoding="utf-8"
    )
    with pytest.raises(DomainError) as raised:
        _open(tmp_path, "emulator-v2", (key_file,))
    assert raised.value.field == "fdm_keys"
    assert "public_key_pem" in str(raised.value)
