"""Test helpers for SCE 2.0: the shared vectors, valid inputs per mutation, and emulators on loopback."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sce.fiscal.v2.auth import AuthMode
from sce.fiscal.v2.client import FdmClient
from sce.fiscal.v2.emulator import EmulatorApp
from sce.fiscal.v2.fdm import Fdm, FdmConfig
from sce.fiscal.v2.serving import ServerThread
from tests.vectors import load

VECTORS = "fdm_v2_examples.json"
SECRET = "example-secret"


def vectors() -> dict[str, Any]:
    return dict(load(VECTORS))


def envelope(ticket: int, **changes: Any) -> dict[str, Any]:
    """A valid envelope (Example B's) with ``posFiscalTicketNo`` = ``ticket``."""
    data = copy.deepcopy(vectors()["example_b"]["envelope"])
    data["posFiscalTicketNo"] = ticket
    data.update(changes)
    return data


def example_a_data(ticket: int | None = None) -> dict[str, Any]:
    data = copy.deepcopy(vectors()["example_a"]["variables"]["data"])
    if ticket is not None:
        data["posFiscalTicketNo"] = ticket
    return data


def line(
    name: str, quantity: float, unit: float, label: str = "A", reason: str | None = None
) -> dict[str, Any]:
    price = round(quantity * unit, 2)
    product: dict[str, Any] = {
        "productId": name[:6].upper(),
        "productName": name,
        "departmentId": "10",
        "departmentName": "Drinks",
        "quantity": quantity,
        "quantityType": "PIECE",
        "unitPrice": unit,
        "vats": [{"label": label, "price": price, "priceChanges": []}],
    }
    if reason:
        product["negQuantityReason"] = reason
    return {"lineType": "SINGLE_PRODUCT", "lineTotal": price, "mainProduct": product}


def transaction(*lines: dict[str, Any]) -> dict[str, Any]:
    return {
        "transactionLines": list(lines),
        "transactionTotal": round(sum(item["lineTotal"] for item in lines), 2),
    }


def cash(amount: float) -> list[dict[str, Any]]:
    return [
        {
            "id": "1",
            "name": "CASH",
            "type": "CASH",
            "inputMethod": "MANUAL",
            "amount": amount,
            "amountType": "PAYMENT",
        }
    ]


TABLE_5 = {"id": "5", "type": "TABLE", "reference": "order-00042"}


def report_devices() -> dict[str, Any]:
    return {
        "posDevices": [
            {
                "posId": "CPOS0031234567",
                "terminalId": "TER-2-DIN",
                "firstPosDateTime": "2024-07-29T12:00:00.000+02:00",
                "lastPosDateTime": "2024-07-29T23:00:00.000+02:00",
            }
        ],
        "fdmDevices": [
            {
                "fdmId": "FOD01000001",
                "firstFdmDateTime": "2024-07-29T10:00:00.000Z",
                "firstTotalCounter": 1,
                "lastFdmDateTime": "2024-07-29T21:00:00.000Z",
                "lastTotalCounter": 9,
            }
        ],
    }


def turnover() -> dict[str, Any]:
    return {
        "transactions": [{"eventLabel": "N", "ticketCount": 1, "amount": 52.0}],
        "departments": [{"departmentId": "10", "departmentName": "Aperitifs", "amount": 24.0}],
        "vats": [
            {"label": "A", "rate": 21.0, "taxableAmount": 19.83, "vatAmount": 4.17, "totalAmount": 24.0}
        ],
        "payments": [
            {
                "id": "1",
                "name": "CASH",
                "type": "CASH",
                "amount": [
                    {
                        "type": "PAYMENT",
                        "normalAmount": 52.0,
                        "negativeCorrections": 0.0,
                        "positiveCorrections": 0.0,
                        "correctionsCount": 0,
                        "totalAmount": 52.0,
                    }
                ],
            }
        ],
        "negQuantities": [],
        "priceChanges": [],
    }


def users() -> list[dict[str, Any]]:
    return [
        {
            "employeeId": "75061189702",
            "totalAmount": 52.0,
            "firstPosDateTime": "2024-07-29T12:00:00.000+02:00",
            "lastPosDateTime": "2024-07-29T23:00:00.000+02:00",
            "socialEvents": [{"posDateTime": "2024-07-29T12:00:00.000+02:00", "inOut": "IN"}],
            "payments": [],
        }
    ]


def data_for(mutation: str, ticket: int, ref: dict[str, Any] | None = None) -> dict[str, Any]:
    """A valid input of ``mutation`` (``ref``: an fdmRef of a signed sale, for copy and invoice)."""
    base = envelope(ticket)
    sale = transaction(line("Dry Martini", 2.0, 12.0))
    extra: dict[str, Any] = {
        "signWorkIn": {},
        "signWorkOut": {},
        "signSale": {"transaction": sale, "financials": cash(24.0), "ticketMedium": "PAPER"},
        "signOrder": {"costCenter": TABLE_5, "transaction": sale},
        "signPreBill": {"costCenter": TABLE_5, "transaction": sale, "ticketMedium": "PAPER"},
        "signCostCenterChange": {"transfer": copy.deepcopy(vectors()["example_c"]["transfer"])},
        "signInvoice": {
            "invoiceNo": "INV-2024-0001",
            "customerVatNo": "BE0477472701",
            "fdmRefs": [ref] if ref else [],
        },
        "signMoneyInOut": {
            "financials": [
                {
                    "id": "1",
                    "name": "CASH",
                    "type": "CASH",
                    "inputMethod": "MANUAL",
                    "amount": 100.0,
                    "amountType": "MONEY_IN_OUT",
                    "drawer": {"id": "D1", "name": "Bar drawer"},
                }
            ]
        },
        "signDrawerOpen": {"drawer": {"id": "D1", "name": "Bar drawer"}},
        "signPaymentCorrection": {"financials": cash(24.0)},
        "signCopy": {"fdmRef": ref or {}},
        "signReportTurnoverX": {**report_devices(), "turnover": turnover()},
        "signReportTurnoverZ": {
            **report_devices(),
            "turnover": turnover(),
            "reportNo": 7,
            "reportBookingDate": "2024-07-29",
        },
        "signReportUserX": {**report_devices(), "users": users()},
        "signReportUserZ": {
            **report_devices(),
            "users": users(),
            "reportNo": 7,
            "reportBookingDate": "2024-07-29",
        },
    }[mutation]
    base.update(copy.deepcopy(extra))
    return base


@dataclass
class RunningEmulator:
    fdm: Fdm
    server: ServerThread
    auth: AuthMode
    secret: str

    @property
    def url(self) -> str:
        return self.server.url + "/graphql"

    def client(self, **options: Any) -> FdmClient:
        settings: dict[str, Any] = {"auth": self.auth, "secret": self.secret, **options}
        return FdmClient(self.url, **settings)


@contextmanager
def running_emulator(
    state: Path, *, auth: AuthMode = AuthMode.NONE, secret: str = SECRET, **config: Any
) -> Iterator[RunningEmulator]:
    fdm = Fdm(FdmConfig(state=state, **config))
    fdm.start()
    server = ServerThread(EmulatorApp(fdm, auth, secret if auth is not AuthMode.NONE else "")).start()
    try:
        yield RunningEmulator(fdm, server, auth, secret)
    finally:
        server.stop()
        fdm.close()
