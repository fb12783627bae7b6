"""The e-service's side tasks through the JSON API on a real socket: the KBO/BCE CSV import, the XSD check
of bulk deliveries, decommissioning and the transfer ban, the support tickets' status flow, and the
diagnostics bundle without personal data."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from sce.eservice.diagnostics import REDACTED, bundle
from sce.eservice.seed import DEALER_A, DEALER_B, EST_A1, EST_A2, OPERATOR_A, OPERATOR_B
from tests.eservice.support import SIDE_A, client, ok, served, supply

NEW_VAT, NEW_UNIT = "BE0999123457", "2200000184"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(tmp_path_factory.mktemp("services")) as base:
        yield base


@pytest.fixture(scope="module")
def pairs(url: str) -> dict[str, tuple[str, str]]:
    return supply(url, SIDE_A, {EST_A1: "1.0", EST_A2: "1.0"})


def _error(answer: httpx.Response, status: int) -> dict[str, str]:
    assert answer.status_code == status, answer.text
    return dict(answer.json()["error"])


# ------------------------------------------------------------------ KBO/BCE CSV import


def test_kbo_csv_import_adds_companies_representatives_and_units(url: str) -> None:
    admin = client(url, "admin")
    csv = (
        "\ufeffrecord,vat,name,legal_form,address,number,signboard\n"
        f"company,{NEW_VAT},Frituur Het Hoekje,BV,Kerkstraat 9 3000 Leuven,,\n"
        f"representative,{NEW_VAT},Els Wouters,,,,\n"
        f"establishment,{NEW_VAT},,,Kerkstraat 9 3000 Leuven,{NEW_UNIT},Het Hoekje\n"
    )
    counts = ok(
        admin.post("/eservice/api/kbo/import", content=csv.encode(), headers={"Content-Type": "text/csv"})
    )
    assert counts == {"companies": 1, "representatives": 1, "establishments": 1}
    company = ok(admin.get(f"/eservice/api/kbo/{NEW_VAT}"))
    assert company["name"] == "Frituur Het Hoekje" and company["representatives"] == ["Els Wouters"]
    assert [(u["number"], u["signboard"]) for u in company["establishments"]] == [(NEW_UNIT, "Het Hoekje")]


@pytest.mark.parametrize(
    ("line", "field", "rule"),
    [
        ("company,BE0999123440,Wrong Check,BV,Leuven,,", "csv line 3: vat", "INVALID_CHECKSUM"),
        ("establishment,BE0403019261,,,Gent,2200000118,Bad", "csv line 3: number", ""),
        ("establishment,BE0477472701,,,Gent,2200000283,Orphan", "csv line 3: vat", "UNKNOWN_COMPANY"),
        ("customer,BE0403019261,Someone,,,,", "csv line 3: record", "UNKNOWN_RECORD"),
        ("company,BE0403019261,,NV,Gent,,", "csv line 3: name", "REQUIRED"),
    ],
)
def test_kbo_csv_import_names_the_bad_line_and_field(url: str, line: str, field: str, rule: str) -> None:
    header = "record,vat,name,legal_form,address,number,signboard"
    csv = f"{header}\ncompany,{NEW_VAT},Frituur,BV,Leuven,,\n{line}\n"
    error = _error(client(url, "admin").post("/eservice/api/kbo/import", content=csv.encode()), 422)
    assert error["field"] == field and (not rule or error["rule"] == rule), error
    assert error["message"].startswith(field + ": ")


def test_kbo_csv_import_needs_the_header(url: str) -> None:
    error = _error(client(url, "admin").post("/eservice/api/kbo/import", content=b"a,b\n1,2\n"), 422)
    assert (error["field"], error["rule"]) == ("csv", "MISSING_COLUMN")


# ------------------------------------------------------------------ XSD of the bulk deliveries


def _xml(delivery: str, distributor: str = DEALER_A) -> bytes:
    return (
        f'<deliveries xmlns="urn:sce:eservice:deliveries:1" distributor="{distributor}">'
        f"<delivery>{delivery}</delivery></deliveries>"
    ).encode()


GOOD = (
    f"<operatorVat>{OPERATOR_A}</operatorVat><establishment>{EST_A1}</establishment><date>2026-11-02</date>"
)


@pytest.mark.parametrize(
    ("document", "field", "words"),
    [
        (_xml(GOOD.replace(OPERATOR_A, "BE888123486")), "file/deliveries/delivery/operatorVat", "pattern"),
        (_xml(GOOD.replace(EST_A1, "1100000114")), "file/deliveries/delivery/establishment", "pattern"),
        (_xml(GOOD.replace("2026-11-02", "02/11/2026")), "file/deliveries/delivery/date", "date"),
        (_xml(GOOD), "file/deliveries/delivery", "productionNumber"),
        (
            _xml(GOOD + "<productionNumber>dev-1</productionNumber>"),
            "file/deliveries/delivery/productionNumber",
            "pattern",
        ),
    ],
)
def test_bad_xml_is_rejected_by_the_xsd_naming_element_and_rule(
    url: str, pairs: dict[str, tuple[str, str]], document: bytes, field: str, words: str
) -> None:
    answer = client(url, "dealer-a").post(
        f"/eservice/api/distributors/{DEALER_A}/deliveries.xml", content=document
    )
    error = _error(answer, 422)
    assert error["rule"] == "XSD_INVALID" and error["field"] == field, error
    assert words in error["message"] and error["message"].startswith(field + ": ")


def test_xml_not_well_formed_or_for_another_distributor(url: str, pairs: dict[str, tuple[str, str]]) -> None:
    dealer = client(url, "dealer-a")
    api = f"/eservice/api/distributors/{DEALER_A}/deliveries.xml"
    broken = _error(dealer.post(api, content=b"<deliveries><delivery>"), 422)
    assert broken["field"] == "file" and broken["rule"] in ("NOT_XML", "NOT_WELL_FORMED")
    fdm = pairs[EST_A1][0]
    other = _xml(GOOD + f"<productionNumber>{fdm}</productionNumber>", distributor=DEALER_B)
    assert _error(dealer.post(api, content=other), 403)["rule"] == "NOT_YOUR_VAT"
    schema = dealer.get("/eservice/api/schema/deliveries.xsd")
    assert schema.status_code == 200 and 'targetNamespace="urn:sce:eservice:deliveries:1"' in schema.text


# ------------------------------------------------------------------ decommissioning


def test_decommissioning_and_the_transfer_ban(url: str, pairs: dict[str, tuple[str, str]]) -> None:
    fdm, pos = pairs[EST_A2]
    operator = client(url, "operator-a")
    api = f"/eservice/api/operators/{OPERATOR_A}/components"
    assert ok(operator.get(f"/eservice/api/pairing/{pos}"))["fdm"] == fdm
    ban = _error(
        operator.post(f"{api}/{fdm}/decommission", json={"reason": "sold_to_operator", "to_vat": OPERATOR_B}),
        409,
    )
    assert ban["rule"] == "FDM_TRANSFER_BAN"
    assert (
        _error(
            operator.post(
                f"{api}/{fdm}/decommission", json={"reason": "returned_to_distributor", "to_vat": DEALER_A}
            ),
            409,
        )["rule"]
        == "FDM_TRANSFER_BAN"
    )
    assert (
        _error(operator.post(f"{api}/{pos}/decommission", json={"reason": "stolen"}), 422)["rule"]
        == "UNKNOWN_REASON"
    )
    need = _error(operator.post(f"{api}/{pos}/decommission", json={"reason": "returned_to_distributor"}), 422)
    assert need["field"] == "to_vat"
    back = ok(
        operator.post(
            f"{api}/{pos}/decommission", json={"reason": "returned_to_distributor", "to_vat": DEALER_A}
        )
    )
    assert (
        back["status"] == "at_distributor"
        and back["operator_vat"] is None
        and back["distributor_vat"] == DEALER_A
    )
    assert _error(operator.get(f"/eservice/api/pairing/{pos}"), 403)["rule"] == "OTHER_COMPANY"
    dead = ok(operator.post(f"{api}/{fdm}/decommission", json={"reason": "defect"}))
    assert dead["status"] == "decommissioned"
    again = _error(operator.post(f"{api}/{fdm}/decommission", json={"reason": "defect"}), 409)
    assert again["rule"] == "ALREADY_DECOMMISSIONED"
    view = ok(operator.get(f"/eservice/api/operators/{OPERATOR_A}"))
    assert all(link["fdm"] != fdm for link in view["links"])
    history = ok(client(url, "dealer-a").get(f"/eservice/api/components/{pos}/history"))["history"]
    assert history[-1]["action"] == "decommissioned" and "returned_to_distributor" in history[-1]["detail"]


# ------------------------------------------------------------------ support desk


def test_support_ticket_status_flow(url: str) -> None:
    operator, dealer = client(url, "operator-a"), client(url, "dealer-b")
    assert (
        _error(
            operator.post(
                f"/eservice/api/operators/{OPERATOR_A}/tickets", json={"dealer_vat": DEALER_B, "subject": " "}
            ),
            422,
        )["field"]
        == "subject"
    )
    ticket = ok(
        operator.post(
            f"/eservice/api/operators/{OPERATOR_A}/tickets",
            json={"dealer_vat": DEALER_B, "subject": "Printer offline", "body": "since this morning"},
        )
    )
    assert ticket["status"] == "open" and ticket["distributor_vat"] == DEALER_B
    api = f"/eservice/api/distributors/{DEALER_B}/tickets/{ticket['id']}/status"
    for status in ("in_progress", "waiting_for_customer", "in_progress", "resolved", "closed"):
        assert ok(dealer.post(api, json={"status": status}))["status"] == status
        seen = ok(operator.get(f"/eservice/api/operators/{OPERATOR_A}/support"))["tickets"]
        assert [t["status"] for t in seen if t["id"] == ticket["id"]] == [status]
    assert _error(dealer.post(api, json={"status": "forgotten"}), 422)["rule"] == "UNKNOWN_STATUS"
    assert (
        _error(
            dealer.post(
                f"/eservice/api/distributors/{DEALER_B}/tickets/9999/status", json={"status": "open"}
            ),
            404,
        )["rule"]
        == "UNKNOWN_TICKET"
    )
    desk = ok(dealer.get(f"/eservice/api/distributors/{DEALER_B}/support"))["tickets"]
    assert [t["subject"] for t in desk if t["id"] == ticket["id"]] == ["Printer offline"]
    contract = {
        "operator_vat": OPERATOR_A,
        "level": "next business day",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    }
    ok(
        dealer.post(
            f"/eservice/api/distributors/{DEALER_B}/contracts", json={**contract, "monthly_fee": "29,50"}
        )
    )
    assert (
        _error(
            dealer.post(
                f"/eservice/api/distributors/{DEALER_B}/contracts", json={**contract, "monthly_fee": "1.234"}
            ),
            422,
        )["rule"]
        == "TOO_MANY_DECIMALS"
    )
    contracts = ok(operator.get(f"/eservice/api/operators/{OPERATOR_A}/support"))["contracts"]
    assert [(c["distributor_vat"], c["monthly_fee_cents"]) for c in contracts] == [(DEALER_B, 2950)]


# ------------------------------------------------------------------ diagnostics bundle


def test_diagnostics_bundle_of_the_operator_has_no_personal_data(
    url: str, pairs: dict[str, tuple[str, str]]
) -> None:
    operator = client(url, "operator-a")
    ok(
        operator.post(
            f"/eservice/api/operators/{OPERATOR_A}/tickets",
            json={"dealer_vat": DEALER_A, "subject": "call An Peeters on +32 475 12 34 56"},
        )
    )
    data = ok(operator.get(f"/eservice/api/operators/{OPERATOR_A}/diagnostics"))
    text = json.dumps(data)
    for personal in (
        "an@markt.invalid",
        "+32 475 12 34 56",
        "An Peeters",
        "operator-a",
        "dealer-a",
        "producer-a",
    ):
        assert personal not in text, personal
    fdm = pairs[EST_A1][0]
    assert data["format"] == "sce-diagnostics/1" and data["pos"]["company_vat"] == OPERATOR_A
    assert fdm in [f["serial"] for f in data["fdm"]["fdms"]]
    actions = [entry["action"] for entry in data["configuration_log"] if entry["serial"] == fdm]
    assert actions[:3] == ["produced", "delivered_to_distributor", "delivered_to_operator"]
    assert all(entry["at"][:2] == "20" for entry in data["configuration_log"]), "timestamps are kept"


def test_diagnostics_bundle_removes_insz_email_phone_and_names() -> None:
    result = bundle(
        {"versions": {"pos": "2.1"}, "pos_id": "CDEV0010000001", "customer": "Els Wouters"},
        {"fdm_id": "DEV01000001", "event_counter": 41, "total_counter": 40},
        [
            "login refused for employee 85.07.30-033.28",
            "employee 85073003328 not allowed",
            "receipt mailed to els.wouters@example.invalid",
            "call back on 0475/12.34.56 or +32 16 12 34 56",
        ],
        [
            {
                "at": "2026-11-02T10:00:00",
                "actor": "els.wouters",
                "action": "vat rates",
                "detail": "21/12/6/0",
            },
            {"at": "2026-11-02T10:05:00", "employee": {"insz": "85073003328", "name": "Els Wouters"}},
        ],
    )
    text = json.dumps(result)
    for personal in (
        "85.07.30-033.28",
        "85073003328",
        "els.wouters",
        "Els Wouters",
        "0475/12.34.56",
        "+32 16 12 34 56",
    ):
        assert personal not in text, personal
    assert result["versions"]["pos"] == "2.1" and result["fdm"]["event_counter"] == 41
    assert result["pos"]["pos_id"] == "CDEV0010000001" and result["pos"]["customer"] == REDACTED
    assert result["configuration_log"][0]["at"] == "2026-11-02T10:00:00"
    assert result["configuration_log"][0]["detail"] == "21/12/6/0"
    assert result["last_errors"][0] == f"login refused for employee {REDACTED}"
