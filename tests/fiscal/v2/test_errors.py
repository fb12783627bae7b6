"""Every error and warning code of the spec, the input rules, languages, duplicates, auth, HTTP statuses."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from sce.fiscal.errors import FiscalRefusedError, InvalidFiscalRequestError
from sce.fiscal.v2.auth import AuthMode, client_headers
from sce.fiscal.v2.errors import (
    BufferFullError,
    DuplicateRequestError,
    FdmInvalidRequestError,
    FdmLockedError,
    FdmMemoryError,
    FdmNotOperationalError,
    FdmRefusedError,
    UnauthorizedError,
    UnknownPosError,
)
from sce.fiscal.v2.messages import ERROR_CODES, WARNING_CODES
from tests.fiscal.v2.support import (
    RunningEmulator,
    cash,
    data_for,
    envelope,
    example_a_data,
    line,
    running_emulator,
    transaction,
)


def _sale(ticket: int, **changes: Any) -> dict[str, Any]:
    data = example_a_data(ticket)
    data.update(changes)
    return data


def _invalid(emulator: RunningEmulator, mutation: str, data: dict[str, Any]) -> FdmInvalidRequestError:
    with emulator.client() as client, pytest.raises(FdmInvalidRequestError) as caught:
        client.sign(mutation, data)
    assert emulator.fdm.snapshot()["totalCounter"] == 0, "nothing may be signed"
    return caught.value


def _with_lines(*lines: dict[str, Any]) -> dict[str, Any]:
    tx = transaction(*lines)
    return _sale(1, transaction=tx, financials=cash(tx["transactionTotal"]))


RULE_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("vat checksum", _sale(1, vatNo="BE0477472702"), "SaleInput.vatNo", "INVALID_CHECKSUM"),
    ("vat first digit", _sale(1, vatNo="BE2000000042"), "SaleInput.vatNo", "INVALID_FORMAT"),
    ("vat length", _sale(1, vatNo="BE047747270"), "SaleInput.vatNo", "INVALID_LENGTH"),
    ("est checksum", _sale(1, estNo="2000000043"), "SaleInput.estNo", "INVALID_CHECKSUM"),
    ("est first digit", _sale(1, estNo="1000000021"), "SaleInput.estNo", "INVALID_FORMAT"),
    ("insz checksum", _sale(1, employeeId="85073003329"), "SaleInput.employeeId", "INVALID_CHECKSUM"),
    ("insz not numeric", _sale(1, employeeId="8507300332A"), "SaleInput.employeeId", "INVALID_LENGTH"),
    ("posId format", _sale(1, posId="XPOS0031234567"), "SaleInput.posId", "INVALID_FORMAT"),
    ("posId length", _sale(1, posId="CPOS003123456"), "SaleInput.posId", "INVALID_LENGTH"),
    (
        "date with Z",
        _sale(1, posDateTime="2024-07-29T11:00:00.000Z"),
        "SaleInput.posDateTime",
        "INVALID_FORMAT",
    ),
    (
        "date no offset",
        _sale(1, posDateTime="2024-07-29T13:00:00"),
        "SaleInput.posDateTime",
        "INVALID_FORMAT",
    ),
    (
        "date impossible",
        _sale(1, posDateTime="2024-02-30T13:00:00+01:00"),
        "SaleInput.posDateTime",
        "INVALID_VALUE",
    ),
    ("booking date", _sale(1, bookingDate="29/07/2024"), "SaleInput.bookingDate", "INVALID_FORMAT"),
    (
        "guid upper case",
        _sale(1, bookingPeriodId="DFFCD829-A0E5-41CA-A0AE-9EB887F95637"),
        "SaleInput.bookingPeriodId",
        "INVALID_FORMAT",
    ),
    ("sw version long", _sale(1, posSwVersion="1" * 37), "SaleInput.posSwVersion", "INVALID_LENGTH"),
    ("blank around", _sale(1, deviceId=" dev "), "SaleInput.deviceId", "INVALID_FORMAT"),
    ("empty terminal", _sale(1, terminalId=""), "SaleInput.terminalId", "INVALID_LENGTH"),
    ("ticket zero", _sale(0), "SaleInput.posFiscalTicketNo", "INVALID_VALUE"),
    ("ticket too big", _sale(1_000_000_000), "SaleInput.posFiscalTicketNo", "INVALID_VALUE"),
    (
        "line total",
        _sale(1, transaction={**example_a_data()["transaction"], "transactionTotal": 53.0}),
        "SaleInput.transaction.transactionTotal",
        "TOTAL_MISMATCH",
    ),
    (
        "negative needs reason",
        _with_lines(line("Dry Martini", -1.0, 12.0)),
        "SaleInput.transaction.transactionLines[0].mainProduct.negQuantityReason",
        "MISSING_REASON",
    ),
    (
        "precision",
        _sale(1, financials=cash(52.001)),
        "SaleInput.financials[0].amount",
        "INVALID_PRECISION",
    ),
    (
        "quantity precision",
        _with_lines(
            {
                **line("Cheese", 1.0, 10.0),
                "mainProduct": {**line("Cheese", 1.0, 10.0)["mainProduct"], "quantity": 0.0001},
            }
        ),
        "SaleInput.transaction.transactionLines[0].mainProduct.quantity",
        "INVALID_PRECISION",
    ),
    ("amount too large", _sale(1, financials=cash(1e10)), "SaleInput.financials[0].amount", "INVALID_VALUE"),
]


@pytest.mark.parametrize(("name", "data", "field", "rule"), RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_invalid_request_names_field_and_rule(
    emulator: RunningEmulator, name: str, data: dict[str, Any], field: str, rule: str
) -> None:
    error = _invalid(emulator, "signSale", data)
    assert (error.code, error.field, error.rule) == ("INVALID_REQUEST", field, rule), name
    assert field in str(error) and rule in str(error)


def test_line_total_mismatch_and_composite_structure(emulator: RunningEmulator) -> None:
    bad_line = line("Dry Martini", 2.0, 12.0)
    bad_line["lineTotal"] = 25.0
    tx = {"transactionLines": [bad_line], "transactionTotal": 25.0}
    error = _invalid(emulator, "signOrder", {**data_for("signOrder", 1), "transaction": tx})
    assert (error.field, error.rule) == (
        "OrderInput.transaction.transactionLines[0].lineTotal",
        "TOTAL_MISMATCH",
    )
    composite = line("Menu", 1.0, 20.0)
    composite["lineType"] = "COMPOSITE_PRODUCT"
    error = _invalid(
        emulator, "signOrder", {**data_for("signOrder", 1), "transaction": transaction(composite)}
    )
    assert error.rule == "COMPOSITE_STRUCTURE"


def test_composite_product_sums_its_sub_products(emulator: RunningEmulator) -> None:
    starter = line("Soup", 1.0, 8.0, "B")["mainProduct"]
    drink = line("Wine", 1.0, 7.0, "A")["mainProduct"]
    main = {**line("Menu", 1.0, 15.0)["mainProduct"], "vats": []}
    menu = {
        "lineType": "COMPOSITE_PRODUCT",
        "mainProduct": main,
        "subProducts": [starter, drink],
        "lineTotal": 15.0,
    }
    data = _sale(1, transaction=transaction(menu), financials=cash(15.0))
    with emulator.client() as client:
        result = client.sign("signSale", data).data["signResult"]
    assert [(v["label"], v["vatAmount"]) for v in result["vatCalc"]] == [("A", 1.21), ("B", 0.86)]


def test_unknown_reference_must_match_all_five_fields(emulator: RunningEmulator) -> None:
    with emulator.client() as client:
        sale = client.sign("signSale", example_a_data(1)).data["signResult"]
        ref = dict(sale["fdmRef"])
        copy_ok = client.sign("signCopy", data_for("signCopy", 2, ref=ref)).data["signResult"]
        assert copy_ok["fdmRef"]["eventLabel"] == "C"
        for change in (
            {"eventCounter": 2},
            {"fdmDateTime": ref["fdmDateTime"].replace("Z", "+00:00")},
            {"totalCounter": 99},
        ):
            with pytest.raises(FdmInvalidRequestError) as caught:
                client.sign("signCopy", data_for("signCopy", 3, ref={**ref, **change}))
            assert (caught.value.field, caught.value.rule) == ("CopyInput.fdmRef", "UNKNOWN_REFERENCE")
        with pytest.raises(FdmInvalidRequestError) as caught:
            client.sign("signInvoice", data_for("signInvoice", 4, ref={**ref, "eventLabel": "P"}))
        assert caught.value.field == "InvoiceInput.fdmRefs[0]"


@pytest.mark.parametrize(("language", "word"), [("NL", "ongeldig"), ("FR", "invalide"), ("DE", "ungültig")])
def test_error_language_follows_the_request(emulator: RunningEmulator, language: str, word: str) -> None:
    error = _invalid(emulator, "signSale", _sale(1, language=language, vatNo="BE0477472702"))
    assert word in str(error)


@pytest.mark.parametrize(
    ("header", "word"),
    [
        ("fr-BE", "authentification"),
        ("de", "Authentifizierung"),
        ("en", "Authentication"),
        (None, "Authenticatie"),
    ],
)
def test_unauthorized_speaks_the_header_language(tmp_path: Path, header: str | None, word: str) -> None:
    with running_emulator(tmp_path / "fdm", auth=AuthMode.FDM_SHA1) as running:
        headers = {"Accept-Language": header} if header else {}
        answer = httpx.post(running.url, json={"query": "{ device { id } }"}, headers=headers)
    assert answer.status_code == 401
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHORIZED" and word in error["message"]


def test_fdm_sha1_rejects_wrong_secret_old_date_and_altered_body(tmp_path: Path) -> None:
    body = b'{"query":"{ device { id } }"}'
    with running_emulator(tmp_path / "fdm", auth=AuthMode.FDM_SHA1) as running:
        good = client_headers(AuthMode.FDM_SHA1, "example-secret", body)
        assert httpx.post(running.url, content=body, headers=good).status_code == 200
        wrong = client_headers(AuthMode.FDM_SHA1, "other", body)
        assert httpx.post(running.url, content=body, headers=wrong).status_code == 401
        altered = body.replace(b"{ device", b"{  device")
        assert httpx.post(running.url, content=altered, headers=good).status_code == 401
        old = client_headers(
            AuthMode.FDM_SHA1, "example-secret", body, datetime.now(UTC) - timedelta(seconds=400)
        )
        assert httpx.post(running.url, content=body, headers=old).status_code == 401
        with running.client(secret="other") as client, pytest.raises(UnauthorizedError):
            client.device()


def test_bearer_mode(tmp_path: Path) -> None:
    with running_emulator(tmp_path / "fdm", auth=AuthMode.BEARER, secret="tok-123") as running:
        with running.client() as client:
            assert client.device() == {"id": "FOD01000001"}
        answer = httpx.post(
            running.url, json={"query": "{ device { id } }"}, headers={"Authorization": "Bearer nope"}
        )
        assert answer.status_code == 401


def test_http_400_for_bad_json_and_syntax_200_for_type_errors(emulator: RunningEmulator) -> None:
    assert httpx.post(emulator.url, content=b"{not json").status_code == 400
    assert httpx.post(emulator.url, json={"query": "mutation {"}).status_code == 400
    answer = httpx.post(emulator.url, json={"query": "{ device { nope } }"})
    assert answer.status_code == 200 and "code" not in (answer.json()["errors"][0].get("extensions") or {})
    with emulator.client() as client, pytest.raises(FdmInvalidRequestError) as caught:
        client.sign("signSale", {**example_a_data(1), "ticketMedium": "PIGEON"})
    assert caught.value.code == ""


def test_duplicate_request_same_data_returns_stored_answer(emulator: RunningEmulator) -> None:
    with emulator.client() as client:
        first = client.sign("signSale", example_a_data(1)).data["signResult"]
        again = client.sign("signSale", example_a_data(1))
        other = client.sign("signSale", example_a_data(1), training=True).data["signResult"]
        with pytest.raises(DuplicateRequestError) as caught:
            client.sign("signSale", {**example_a_data(1), "posDateTime": "2024-07-29T13:00:01.000+02:00"})
    repeated = again.data["signResult"]
    assert again.warning_codes == ("DUPLICATE_REQUEST",)
    assert {k: v for k, v in repeated.items() if k != "warnings"} == {
        k: v for k, v in first.items() if k != "warnings"
    }
    assert other["fdmRef"]["eventLabel"] == "T"
    assert caught.value.code == "DUPLICATE_REQUEST"
    assert emulator.fdm.snapshot()["totalCounter"] == 2


def test_unknown_pos_with_allow_list(tmp_path: Path) -> None:
    with (
        running_emulator(tmp_path / "fdm", allow_pos=["CPOS0031234567"]) as running,
        running.client() as client,
    ):
        client.sign("signWorkIn", data_for("signWorkIn", 1))
        with pytest.raises(UnknownPosError) as caught:
            client.sign("signWorkIn", {**data_for("signWorkIn", 2), "posId": "COTH0019999999"})
    assert caught.value.code == "UNKNOWN_POS" and "COTH0019999999" in str(caught.value)
    assert isinstance(caught.value, FiscalRefusedError)


def test_strict_financials_option(tmp_path: Path) -> None:
    with running_emulator(tmp_path / "fdm", strict_financials=True) as running, running.client() as client:
        with pytest.raises(FdmInvalidRequestError) as caught:
            client.sign("signSale", _sale(1, financials=cash(50.0)))
        assert caught.value.rule == "TOTAL_MISMATCH"
        tip = {**cash(5.0)[0], "amountType": "TIP"}
        client.sign("signSale", _sale(2, financials=[*cash(52.0), tip]))


ERROR_CLASSES: dict[str, type[Exception]] = {
    "BUFFER_FULL": BufferFullError,
    "FDM_LOCKED": FdmLockedError,
    "TOO_MANY_MEMORY_ERRORS": FdmMemoryError,
    "UNAUTHORIZED": UnauthorizedError,
    "INVALID_REQUEST": InvalidFiscalRequestError,
    "FDM_NOT_OPERATIONAL": FdmNotOperationalError,
    "UNKNOWN_POS": UnknownPosError,
    "DUPLICATE_REQUEST": DuplicateRequestError,
}


@pytest.mark.parametrize("code", ERROR_CODES)
def test_every_error_code_reaches_the_client_typed(emulator: RunningEmulator, code: str) -> None:
    emulator.fdm.apply_faults({"error_code": code})
    with (
        emulator.client() as client,
        pytest.raises((FdmRefusedError, InvalidFiscalRequestError, FiscalRefusedError)) as caught,
    ):
        client.sign("signSale", example_a_data(1))
    assert caught.value.code == code
    assert isinstance(caught.value, ERROR_CLASSES.get(code, FdmRefusedError))
    answer = httpx.post(
        emulator.url,
        json={
            "query": "mutation($d: SaleInput!) { signSale(data: $d, isTraining: false) { posId } }",
            "variables": {"d": example_a_data(1)},
        },
    ).json()
    error = answer["errors"][0]
    assert answer["data"] == {"signSale": None}
    assert error["path"] == ["signSale"] and error["locations"]
    assert error["extensions"]["code"] == code
    assert error["extensions"]["category"] in ("SPF_FOD", "FDM", "OTHER")
    assert error["extensions"]["showPos"] == "MANDATORY"
    assert emulator.fdm.snapshot()["totalCounter"] == 0


@pytest.mark.parametrize("code", WARNING_CODES)
def test_every_warning_code_in_a_signed_answer(emulator: RunningEmulator, code: str) -> None:
    emulator.fdm.apply_faults({"warning_codes": [code]})
    with emulator.client() as client:
        result = client.sign("signSale", _sale(1, language="FR")).data["signResult"]
    warning = next(w for w in result["warnings"] if w["extensions"]["code"] == code)
    assert warning["extensions"]["category"] == "FDM"
    assert warning["extensions"]["showPos"] in ("MANDATORY", "OPTIONAL", "NEVER")
    assert "FDM FOD01000001" in warning["message"] or "FOD01000001" in warning["message"]
    assert result["fdmRef"]["totalCounter"] == 1


def test_faults_locked_not_operational_and_certificate(emulator: RunningEmulator) -> None:
    with emulator.client() as client:
        emulator.fdm.apply_faults({"locked": True})
        with pytest.raises(FdmLockedError):
            client.sign("signWorkIn", data_for("signWorkIn", 1))
        assert client.status()["errors"][0]["extensions"]["code"] == "FDM_LOCKED"
        emulator.fdm.apply_faults({"locked": False, "not_operational": True})
        with pytest.raises(FdmNotOperationalError):
            client.sign("signWorkIn", data_for("signWorkIn", 1))
        assert client.status()["initialized"] is False
        emulator.fdm.apply_faults({"not_operational": False, "certificate": "expiring"})
        first = client.sign("signWorkIn", data_for("signWorkIn", 1))
        emulator.fdm.apply_faults({"certificate": "expired"})
        second = client.sign("signWorkIn", data_for("signWorkIn", 2))
    assert first.warning_codes == ("CLIENT_CERT_NEAR_EXPIRATION",)
    assert second.warning_codes == ("CLIENT_CERT_EXPIRED",)
    assert second.data["signResult"]["warnings"][0]["extensions"]["showPos"] == "MANDATORY"


def test_vat_and_establishment_number_changes_warn(tmp_path: Path) -> None:
    emulator = running_emulator(tmp_path / "fdm", vat_no="BE0477472701", est_no="8789456149")
    with emulator as running, running.client() as client:
        result = client.sign("signWorkIn", data_for("signWorkIn", 1))
    assert result.warning_codes == ("UPDATE_POS_VATNO", "UPDATE_POS_ESTNO")


def test_buffer_full_refuses_and_near_full_warns(tmp_path: Path) -> None:
    with running_emulator(tmp_path / "fdm", buffer_capacity=10) as running, running.client() as client:
        codes = [client.sign("signWorkIn", data_for("signWorkIn", n)).warning_codes for n in range(1, 11)]
        with pytest.raises(BufferFullError) as caught:
            client.sign("signWorkIn", data_for("signWorkIn", 11))
        status = client.status()
    assert codes[:7] == [()] * 7
    assert all("BUFFER_NEAR_FULL" in c for c in codes[7:])
    assert caught.value.code == "BUFFER_FULL"
    assert status["device"]["bufferCapacityUsed"] == 100.0
    assert status["errors"][0]["extensions"]["code"] == "BUFFER_FULL"


def test_buffer_fill_fault(emulator: RunningEmulator) -> None:
    emulator.fdm.apply_faults({"buffer_fill": 75})
    with emulator.client() as client:
        result = client.sign("signWorkIn", data_for("signWorkIn", 1))
        assert result.data["signResult"]["bufferCapacityUsed"] == 75.0
        assert "BUFFER_NEAR_FULL" in result.warning_codes
        emulator.fdm.apply_faults({"buffer_fill": 100})
        with pytest.raises(BufferFullError):
            client.sign("signWorkIn", data_for("signWorkIn", 2))


def test_price_changes_limit(emulator: RunningEmulator) -> None:
    item = line("Dry Martini", 1.0, 12.0)
    change = {"id": "4_1P", "name": "DISCOUNT_1P", "scope": "LINE", "type": "PUBLIC", "amount": 0.0}
    item["mainProduct"]["vats"][0]["priceChanges"] = [copy.deepcopy(change) for _ in range(100)]
    error = _invalid(emulator, "signSale", _with_lines(item))
    assert error.rule == "INVALID_LENGTH" and error.field.endswith("vats[0].priceChanges")


def test_envelope_rule_in_another_mutation(emulator: RunningEmulator) -> None:
    error = _invalid(emulator, "signWorkIn", envelope(1, employeeId="12345678901"))
    assert (error.field, error.rule) == ("WorkInOutInput.employeeId", "INVALID_CHECKSUM")


def test_storage_failure_answers_internal_error_and_signs_nothing(emulator: RunningEmulator) -> None:
    with emulator.client() as client:
        client.sign("signWorkIn", data_for("signWorkIn", 1))
        emulator.fdm.store._db.execute("PRAGMA query_only = ON")
        with pytest.raises(FdmRefusedError) as caught:
            client.sign("signWorkIn", data_for("signWorkIn", 2))
        assert caught.value.code == "INTERNAL_ERROR"
        snapshot = emulator.fdm.snapshot()
        assert (snapshot["totalCounter"], snapshot["pending"]) == (1, 1)
        emulator.fdm.store._db.execute("PRAGMA query_only = OFF")
        again = client.sign("signWorkIn", data_for("signWorkIn", 2)).data["signResult"]
    assert (again["fdmRef"]["eventCounter"], again["fdmRef"]["totalCounter"]) == (2, 2)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("NL", ("certificaat", "bijna vol")),
        ("FR", ("certificat", "presque pleine")),
        ("DE", ("Zertifikat", "fast voll")),
    ],
)
def test_warnings_speak_the_request_language(
    emulator: RunningEmulator, language: str, words: tuple[str, str]
) -> None:
    emulator.fdm.apply_faults({"certificate": "expiring", "buffer_fill": 80})
    with emulator.client() as client:
        result = client.sign("signWorkIn", {**data_for("signWorkIn", 1), "language": language})
    texts = [warning["message"] for warning in result.data["signResult"]["warnings"]]
    assert words[0] in texts[0] and words[1] in texts[1]
