"""schemathesis against the published OpenAPI of /api/v1: generated requests (as a logged-in, clocked-in
manager, with real FDM signing behind) never get a server error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from pos_web_support import MANAGER_PIN, Api, clock_in, demo_runtime

from sce.web.pos.app import create_app
from sce.web.pos.runtime import Runtime


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, Any, dict[str, str]]]:
    with demo_runtime(tmp_path_factory.mktemp("schema"), 1) as rt:
        app = create_app(rt)
        client = TestClient(app)
        clock_in(client, MANAGER_PIN)
        manager = Api(client, MANAGER_PIN)
        order = manager.ok("/orders", {"table": "5"})
        manager.ok(f"/orders/{order['order_id']}/items", {"version": order["version"], "product_id": "BEER"})
        yield rt, app, manager.headers


def test_no_server_error(served: tuple[Runtime, Any, dict[str, str]]) -> None:
    """Every operation of the spec with generated parameters and bodies (schemathesis strategies)."""
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", served[1])
    failures: list[str] = []
    statuses: set[int] = set()
    operations = 0
    for found in schema.get_all_operations():
        operation = found.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def run(case: Any) -> None:
            response = case.call(headers=served[2])
            statuses.add(response.status_code)
            if response.status_code >= 500 and response.status_code != 503:
                failures.append(
                    f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
                )

        run()
    assert operations >= 25
    assert 200 in statuses and 422 in statuses
    assert not failures, "\n".join(failures)


def test_the_spec_documents_every_action(served: tuple[Runtime, Any, dict[str, str]]) -> None:
    spec = TestClient(served[1]).get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    for path in (
        "/api/v1/orders/{order_id}/payment",
        "/api/v1/tickets/{ticket_number}/refund",
        "/api/v1/reports",
    ):
        assert path in paths
    assert all(p.startswith("/api/v1") for p in paths)
    assert Path(__file__).exists()
