"""The SCE 1.0 and 2.0 chains through the JSON API over a real socket, from producer to signed sale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine

from sce.eservice.cards import card_of
from sce.eservice.seed import DEALER_A, EST_A1, EST_A2, OPERATOR_A, PRODUCER_A
from tests.eservice.support import client, served


def _ok(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_full_chain(tmp_path: Path) -> None:
    with served(tmp_path) as url:
        producer = client(url, "producer-a")
        fdm1 = _ok(
            producer.post(
                f"/eservice/api/producers/{PRODUCER_A}/models",
                json={"kind": "FDM", "generation": "1.0", "model_number": "01", "certificate": "CERT-1"},
            )
        )["id"]
        pos1 = _ok(
            producer.post(
                f"/eservice/api/producers/{PRODUCER_A}/models",
                json={"kind": "POS", "generation": "1.0", "model_number": "001", "certificate": "CERT-2"},
            )
        )["id"]
        fdm2 = _ok(
            producer.post(
                f"/eservice/api/producers/{PRODUCER_A}/models",
                json={"kind": "FDM", "generation": "2.0", "model_number": "02", "certificate": "CERT-3"},
            )
        )["id"]
        pos2 = _ok(
            producer.post(
                f"/eservice/api/producers/{PRODUCER_A}/models",
                json={"kind": "POS", "generation": "2.0", "model_number": "002", "certificate": "CERT-4"},
            )
        )["id"]
        serials = []
        for model in (fdm1, pos1, fdm2, pos2):
            serials += _ok(
                producer.post(
                    f"/eservice/api/producers/{PRODUCER_A}/batches",
                    json={"model_id": model, "first": 1, "last": 2},
                )
            )["serials"]
        f1, p1, f2, p2 = serials[0], serials[2], serials[4], serials[6]
        dealer = client(url, "dealer-a")
        _ok(
            dealer.post(
                f"/eservice/api/distributors/{DEALER_A}/registration",
                json={
                    "name": "Kassa Dealer",
                    "legal_form": "BV",
                    "address": "Brugge",
                    "contact_person": "Jan",
                    "phone": "050",
                    "email": "jan@dealer.invalid",
                },
            )
        )
        _ok(
            producer.post(
                f"/eservice/api/producers/{PRODUCER_A}/deliveries",
                json={"distributor_vat": DEALER_A, "date": "2026-11-01", "serials": [f1, p1, f2, p2]},
            )
        )
        refused = dealer.post(
            f"/eservice/api/distributors/{DEALER_A}/deliveries",
            json={"operator_vat": OPERATOR_A, "establishment": EST_A1, "date": "2026-11-02", "serials": [f1]},
        )
        assert refused.status_code == 403 and refused.json()["error"]["rule"] == "NOT_VALIDATED"
        _ok(client(url, "admin").post(f"/eservice/api/admin/distributors/{DEALER_A}/validation", json={}))
        operator = client(url, "operator-a")
        _ok(
            operator.post(
                f"/eservice/api/operators/{OPERATOR_A}/registration",
                json={
                    "contact_email": "an@markt.invalid",
                    "establishments": [
                        {"number": EST_A1, "generation": "1.0", "activity_start": "2026-10-15"},
                        {"number": EST_A2, "generation": "2.0", "activity_start": "2026-10-15"},
                    ],
                },
            )
        )
        _ok(
            dealer.post(
                f"/eservice/api/distributors/{DEALER_A}/deliveries",
                json={
                    "operator_vat": OPERATOR_A,
                    "establishment": EST_A1,
                    "room": "Bar",
                    "date": "2026-11-02",
                    "serials": [f1, p1],
                },
            )
        )
        xml = (
            f'<deliveries xmlns="urn:sce:eservice:deliveries:1" distributor="{DEALER_A}"><delivery>'
            f"<operatorVat>{OPERATOR_A}</operatorVat><establishment>{EST_A2}</establishment>"
            f"<room>Terras</room><date>2026-11-02</date><productionNumber>{f2}</productionNumber>"
            f"<productionNumber>{p2}</productionNumber></delivery></deliveries>"
        )
        _ok(dealer.post(f"/eservice/api/distributors/{DEALER_A}/deliveries.xml", content=xml.encode()))
        wrong = operator.post(
            f"/eservice/api/operators/{OPERATOR_A}/components/{f1}/confirm", json={"last_digits": "9999"}
        )
        assert (
            wrong.json()["error"]["field"] == "last_digits"
            and wrong.json()["error"]["rule"] == "SERIAL_MISMATCH"
        )
        for serial in (f1, p1, f2, p2):
            _ok(
                operator.post(
                    f"/eservice/api/operators/{OPERATOR_A}/components/{serial}/confirm",
                    json={"last_digits": serial[-4:]},
                )
            )
        links = _ok(
            operator.post(f"/eservice/api/operators/{OPERATOR_A}/links", json={"fdm": f1, "pos": [p1, p2]})
        )["results"]
        assert links[0]["ok"] and not links[1]["ok"] and "establishment" in links[1]["reason"]
        _ok(operator.post(f"/eservice/api/operators/{OPERATOR_A}/links", json={"fdm": f2, "pos": [p2]}))
        # SCE 1.0: VSC, letters, PIN, signed sale
        _ok(operator.post(f"/eservice/api/operators/{OPERATOR_A}/fdms/{f1}/vsc"))
        pin_pdf = operator.get(f"/eservice/api/operators/{OPERATOR_A}/fdms/{f1}/letters/pin.pdf")
        assert pin_pdf.content.startswith(b"%PDF")
        bad = operator.post(f"/eservice/api/operators/{OPERATOR_A}/fdms/{f1}/activate", json={"pin": "00000"})
        assert bad.json()["error"]["rule"] in ("WRONG_PIN",)
        with create_engine(f"sqlite:///{tmp_path / 'es.sqlite3'}").connect() as conn:
            pin = card_of(conn, f1).pin
        _ok(operator.post(f"/eservice/api/operators/{OPERATOR_A}/fdms/{f1}/activate", json={"pin": pin}))
        sale = _ok(operator.post(f"/eservice/api/operators/{OPERATOR_A}/fdms/{f1}/test-sale"))
        assert sale["total_counter"] == 1 and sale["event_counter"] == 1 and len(sale["signature"]) == 40
        # SCE 2.0: first boot from the FPS stand-in, then the first signed event
        boot = _ok(operator.post(f"/eservice/api/operators/{OPERATOR_A}/fdms/{f2}/first-boot"))
        assert boot["posAllowList"] == [p2] and boot["certificate"]["vatNo"] == OPERATOR_A
        event = _ok(operator.post(f"/eservice/api/operators/{OPERATOR_A}/fdms/{f2}/test-sale"))
        assert event["total_counter"] == 1 and event["footer"][0] == "De Markt Terras"
        # pairing, history, transfer ban
        pairing = _ok(operator.get(f"/eservice/api/pairing/{p1}"))
        assert pairing == {"pos": p1, "fdm": f1, "establishment": EST_A1, "active": True}
        ban = operator.post(
            f"/eservice/api/operators/{OPERATOR_A}/components/{f1}/decommission",
            json={"reason": "sold_to_operator", "to_vat": "BE0666123447"},
        )
        assert ban.status_code == 409 and ban.json()["error"]["rule"] == "FDM_TRANSFER_BAN"
        actions = [h["action"] for h in _ok(dealer.get(f"/eservice/api/components/{f1}/history"))["history"]]
        assert (
            actions[:3] == ["produced", "delivered_to_distributor", "delivered_to_operator"]
            and "activated" in actions
        )
        other = client(url, "operator-b")
        assert other.get(f"/eservice/api/components/{f1}/history").status_code == 403
