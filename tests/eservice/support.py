"""Helpers for the e-service tests: a seeded app served on loopback, logged-in clients, the demo chain."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from sce.eservice import EserviceSettings, create_app
from sce.eservice.mail import MailSettings
from sce.eservice.seed import DEALER_A, DEALER_B, OPERATOR_A, OPERATOR_B, PRODUCER_A, PRODUCER_B, seed
from sce.fiscal.v2.serving import ServerThread


@contextmanager
def served(tmp: Path, smtp_port: int | None = None) -> Iterator[str]:
    """A seeded e-service (SQLite in ``tmp``) on a free loopback port; yields its base URL."""
    mail = MailSettings("127.0.0.1", smtp_port) if smtp_port else MailSettings()
    settings = EserviceSettings(db_url=f"sqlite:///{tmp / 'es.sqlite3'}", state_dir=tmp / "state", mail=mail)
    app = create_app(settings)
    with app.state.eservice.engine.begin() as conn:
        seed(conn)
    with ServerThread(app) as server:
        yield server.url


def client(url: str, username: str) -> httpx.Client:
    http = httpx.Client(base_url=url, timeout=30)
    answer = http.post("/eservice/api/login", json={"username": username, "password": "demo"})
    answer.raise_for_status()
    return http


def ok(answer: httpx.Response) -> dict[str, Any]:
    """The JSON answer of a call that must succeed (the error's text otherwise)."""
    assert answer.status_code == 200, f"{answer.request.method} {answer.request.url}: {answer.text}"
    return dict(answer.json())


@dataclass(frozen=True, slots=True)
class Side:
    """One supply chain of the demo data: producer, distributor, operator (accounts and companies)."""

    producer: str
    producer_vat: str
    dealer: str
    dealer_vat: str
    operator: str
    operator_vat: str
    email: str


SIDE_A = Side("producer-a", PRODUCER_A, "dealer-a", DEALER_A, "operator-a", OPERATOR_A, "an@markt.invalid")
SIDE_B = Side("producer-b", PRODUCER_B, "dealer-b", DEALER_B, "operator-b", OPERATOR_B, "luc@coin.invalid")
DEALER_A_DETAILS = {
    "name": "Kassa Dealer",
    "legal_form": "BV",
    "address": "Stationsstraat 3 8000 Brugge",
    "contact_person": "Jan Claes",
    "phone": "+32 50 12 34 56",
    "email": "jan@kassa-dealer.invalid",
}


def supply(
    url: str, side: Side, plan: dict[str, str], start: str = "2026-10-15"
) -> dict[str, tuple[str, str]]:
    """Walk one side through the API up to linked components.

    ``plan`` maps establishment unit -> generation; per unit one FDM and one POS are produced, delivered,
    confirmed and linked. Returns establishment -> (fdm serial, pos serial).
    """
    producer = client(url, side.producer)
    dealer = client(url, side.dealer)
    operator = client(url, side.operator)
    base = f"/eservice/api/producers/{side.producer_vat}"
    models: dict[tuple[str, str], int] = {}
    profile = ok(producer.get(base))
    for model in profile["models"]:
        models[(model["kind"], model["generation"])] = model["id"]
    pairs: dict[str, tuple[str, str]] = {}
    for index, (unit, generation) in enumerate(sorted(plan.items())):
        serials = []
        for kind, number in (("FDM", "0" + generation[0]), ("POS", "00" + generation[0])):
            if (kind, generation) not in models:
                models[(kind, generation)] = ok(
                    producer.post(
                        f"{base}/models",
                        json={
                            "kind": kind,
                            "generation": generation,
                            "model_number": number,
                            "certificate": f"CERT-{kind}-{generation}",
                        },
                    )
                )["id"]
            first = 10 + index
            serials += ok(
                producer.post(
                    f"{base}/batches",
                    json={"model_id": models[(kind, generation)], "first": first, "last": first},
                )
            )["serials"]
        pairs[unit] = (serials[0], serials[1])
    every = [s for pair in pairs.values() for s in pair]
    if dealer.get(f"/eservice/api/distributors/{side.dealer_vat}").status_code == 404:
        ok(dealer.post(f"/eservice/api/distributors/{side.dealer_vat}/registration", json=DEALER_A_DETAILS))
        ok(
            client(url, "admin").post(
                f"/eservice/api/admin/distributors/{side.dealer_vat}/validation", json={}
            )
        )
    ok(
        producer.post(
            f"{base}/deliveries",
            json={"distributor_vat": side.dealer_vat, "date": "2026-11-01", "serials": every},
        )
    )
    ok(
        operator.post(
            f"/eservice/api/operators/{side.operator_vat}/registration",
            json={
                "contact_email": side.email,
                "phone": "+32 475 12 34 56",
                "establishments": [
                    {"number": unit, "generation": generation, "activity_start": start}
                    for unit, generation in sorted(plan.items())
                ],
            },
        )
    )
    for unit, (fdm, pos) in pairs.items():
        ok(
            dealer.post(
                f"/eservice/api/distributors/{side.dealer_vat}/deliveries",
                json={
                    "operator_vat": side.operator_vat,
                    "establishment": unit,
                    "room": "Bar",
                    "date": "2026-11-02",
                    "serials": [fdm, pos],
                },
            )
        )
        for serial in (fdm, pos):
            ok(
                operator.post(
                    f"/eservice/api/operators/{side.operator_vat}/components/{serial}/confirm",
                    json={"last_digits": serial[-4:]},
                )
            )
        ok(
            operator.post(
                f"/eservice/api/operators/{side.operator_vat}/links", json={"fdm": fdm, "pos": [pos]}
            )
        )
    return pairs
