"""One test per ``sign*`` mutation: accepted over HTTP, right operation, label and counters; queries too."""

from __future__ import annotations

import httpx
import pytest

from sce.fiscal.v2.schema import OPERATIONS, Operation
from tests.fiscal.v2.support import RunningEmulator, data_for, example_a_data


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.mutation)
def test_each_mutation_signs_with_its_label(emulator: RunningEmulator, operation: Operation) -> None:
    with emulator.client() as client:
        sale = client.sign("signSale", example_a_data(1)).data["signResult"]
        data = data_for(operation.mutation, 2, ref=sale["fdmRef"])
        result = client.sign(operation.mutation, data).data["signResult"]
    assert result["eventOperation"] == operation.event_operation
    ref = result["fdmRef"]
    assert ref["eventLabel"] == operation.label
    assert ref["totalCounter"] == 2
    assert ref["eventCounter"] == (2 if operation.label == "N" else 1)
    assert result["posFiscalTicketNo"] == 2
    is_sale = operation.event_operation == "SALE"
    assert (result["vatCalc"] is not None) is is_sale
    assert (len(result["shortSignature"]) == 40) is is_sale
    assert emulator.fdm.snapshot()["totalCounter"] == 2


def test_aliases_variable_defaults_and_any_operation_name(emulator: RunningEmulator) -> None:
    query = (
        "mutation M110_signSale($data: SaleInput!, $training: Boolean! = false) "
        "{ r: signSale(data: $data, isTraining: $training)"
        " { fdmRef { eventLabel c: eventCounter } id: posId } }"
    )
    other = "query Other { device { id } }"
    body = {
        "query": f"{query} {other}",
        "operationName": "M110_signSale",
        "variables": {"data": example_a_data(5)},
    }
    answer = httpx.post(emulator.url, json=body).json()
    assert answer["data"]["r"] == {"fdmRef": {"eventLabel": "N", "c": 1}, "id": "CPOS0031234567"}
    answer = httpx.post(emulator.url, json={"query": f"{query} {other}", "operationName": "Other"}).json()
    assert answer == {"data": {"device": {"id": "FOD01000001"}}}


def test_inline_literal_arguments_work_as_variables_do(emulator: RunningEmulator) -> None:
    query = (
        'mutation { signWorkOut(isTraining: false, data: {language: FR, vatNo: "BE0000000097",'
        ' estNo: "2000000042", posId: "CPOS0031234567", posFiscalTicketNo: 9,'
        ' posDateTime: "2024-07-29T23:00:00+02:00",'
        ' posSwVersion: "1.8.3", deviceId: "dev-1", bookingPeriodId: "dffcd829-a0e5-41ca-a0ae-9eb887f95637",'
        ' bookingDate: "2024-07-29", ticketMedium: NONE, employeeId: "00000000029"})'
        " { eventOperation terminalId fdmRef { eventLabel } } }"
    )
    answer = httpx.post(emulator.url, json={"query": query}).json()
    assert answer["data"]["signWorkOut"] == {
        "eventOperation": "WORK_OUT",
        "terminalId": "",
        "fdmRef": {"eventLabel": "S"},
    }


def test_status_query_shapes(emulator: RunningEmulator) -> None:
    answer = httpx.post(emulator.url, json={"query": "{ status { device { fdmId } } }"}).json()
    assert answer == {"data": {"status": {"device": {"fdmId": "FOD01000001"}}}}
    with emulator.client() as client:
        status = client.status("FR")
        assert client.device() == {"id": "FOD01000001"}
    assert status["initialized"] is True
    assert status["device"]["bufferCapacityUsed"] == 0.0
    assert status["errors"] == [] and status["warnings"] == []


def test_fdm_id_route_and_health(emulator: RunningEmulator) -> None:
    base = emulator.server.url
    answer = httpx.post(f"{base}/FOD01000001/graphql", json={"query": "{ device { id } }"})
    assert answer.json() == {"data": {"device": {"id": "FOD01000001"}}}
    assert httpx.post(f"{base}/OTHER0000001/graphql", json={"query": "{ device { id } }"}).status_code == 404
    assert httpx.get(f"{base}/health").json() == {"ok": True}
    assert httpx.get(f"{base}/graphql").status_code == 405
