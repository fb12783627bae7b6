"""The emulator over HTTPS (optional in the spec): a self-signed certificate, the client trusting it."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sce.fiscal.errors import FiscalUnreachableError
from sce.fiscal.v2.auth import AuthMode
from sce.fiscal.v2.client import FdmClient
from sce.fiscal.v2.emulator import EmulatorApp
from sce.fiscal.v2.fdm import Fdm, FdmConfig
from sce.fiscal.v2.serving import ServerThread
from tests.fiscal.v2.support import data_for


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "FOD01000001")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


def test_sign_over_https_with_a_trusted_certificate(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    fdm = Fdm(FdmConfig(tmp_path / "fdm"))
    app = EmulatorApp(fdm, AuthMode.BEARER, "token")
    with ServerThread(app, ssl_certfile=str(cert), ssl_keyfile=str(key)) as server:
        assert server.url.startswith("https://127.0.0.1:")
        trust = ssl.create_default_context(cafile=str(cert))
        with FdmClient(server.url + "/graphql", auth=AuthMode.BEARER, secret="token", verify=trust) as client:
            result = client.sign("signWorkIn", data_for("signWorkIn", 1)).data["signResult"]
        assert result["fdmRef"]["eventLabel"] == "S"
        with (
            FdmClient(server.url + "/graphql", retries=0) as untrusting,
            pytest.raises(FiscalUnreachableError),
        ):
            untrusting.device()
    fdm.close()
