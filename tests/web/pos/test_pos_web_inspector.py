"""The inspector's read-only view in the POS: events, original FDM messages, export; inspector only."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.pos.pos_web_support import INSPECTOR_PIN, MANAGER_PIN, WAITER_PIN, Api, clock_in, demo_runtime

from sce.web.pos.app import create_app
from sce.web.pos.runtime import Runtime


@pytest.fixture
def rt(tmp_path: Path) -> Iterator[Runtime]:
    with demo_runtime(tmp_path, 2) as made:
        yield made


def test_only_the_inspector_reads_the_journal_and_its_export(rt: Runtime) -> None:
    client = TestClient(create_app(rt))
    clock_in(client, WAITER_PIN)
    assert client.get("/inspector/events").status_code == 401
    waiter = Api(client, WAITER_PIN)
    manager = Api(client, MANAGER_PIN)
    for api in (waiter, manager):
        assert client.get("/inspector/events", headers=api.headers).status_code == 403
    inspector = Api(client, INSPECTOR_PIN)
    answer = client.get("/inspector/events", headers=inspector.headers)
    assert answer.status_code == 200, answer.text
    events = answer.json()
    listed = events.get("events") or events.get("items") or []
    assert any("WORK_IN" in str(item) for item in listed)
    first = listed[0]["seq"]
    original = client.get(f"/inspector/events/{first}/fdm", headers=inspector.headers)
    assert original.status_code == 200 and original.json()
    assert client.get("/inspector/tables", headers=inspector.headers).status_code == 200
    download = client.get("/inspector/export.zip", headers=inspector.headers)
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert any(name.endswith("events.jsonl") for name in names)
    assert any(name.endswith("manifest.json") for name in names)
