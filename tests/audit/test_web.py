"""The inspector's read-only view, mounted in an app and served by uvicorn on loopback."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sce.audit.web import inspector_router
from sce.db.engine import open_engine
from sce.fiscal.v2.serving import ServerThread
from sce.verifier import verify_export


@pytest.fixture(scope="module")
def client(pos_db: str) -> TestClient:
    app = FastAPI()
    app.include_router(inspector_router(open_engine(pos_db)), prefix="/inspector")
    return TestClient(app)


def test_search_by_date_number_table_and_employee(client: TestClient) -> None:
    day = client.get("/inspector/events", params={"date": "2026-03-02"}).json()["events"]
    assert day and {e["booking_date"] for e in day} == {"2026-03-02"}
    by_number = client.get("/inspector/events", params={"number": 5}).json()["events"]
    assert [e["ticket_number"] for e in by_number] == [5]
    table = client.get("/inspector/events", params={"table": "5"}).json()["events"]
    assert table and {e["table"] for e in table} == {"5"} and {e["kind"] for e in table} >= {"ORDER", "SALE"}
    waiter = client.get("/inspector/events", params={"employee": "75061189702", "kind": "WORK_IN"}).json()
    assert waiter["events"] and all(e["employee_id"] == "75061189702" for e in waiter["events"])
    page = client.get("/inspector/events", params={"limit": 10}).json()
    assert page["next_after"] == 10
    assert client.get("/inspector/events", params={"limit": 10, "after": 10}).json()["events"][0]["seq"] == 11


def test_original_fdm_messages(client: TestClient) -> None:
    sale = client.get("/inspector/events", params={"kind": "SALE", "limit": 1}).json()["events"][0]
    messages = client.get(f"/inspector/events/{sale['seq']}/fdm").json()
    assert messages["generation"] == 1 and len(messages["request"]) == 162 and len(messages["reply"]) == 109
    record = client.get(f"/inspector/events/{sale['seq']}").json()
    assert record["hash"] and record["request"] == messages["request"]
    assert client.get("/inspector/events/999999").status_code == 404


def test_configuration_and_tables(client: TestClient) -> None:
    settings = client.get("/inspector/config").json()["settings"]
    assert settings["site"]["site"]["body"]["pos_id"] == "BODO0011A2B3C4"
    assert "fdm_key" in settings
    log = client.get("/inspector/config/log").json()["records"]
    employee = next(r for r in log if r["entity"] == "employee")
    assert employee["after"]["pin"] == "***"
    tables = {t["name"]: t for t in client.get("/inspector/tables").json()["tables"]}
    assert tables["journal"]["rows"] > 100 and tables["journal"]["append_only"]
    assert tables["config_log"]["rows"] == 9


def test_download_over_loopback_http(pos_db: str, tmp_path: Path) -> None:
    app = FastAPI()
    app.include_router(inspector_router(open_engine(pos_db)), prefix="/inspector")
    server = ServerThread(app).start()
    try:
        answer = httpx.get(
            server.url + "/inspector/export.zip", params={"from": "2026-03-01", "to": "2026-03-01"}
        )
    finally:
        server.stop()
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as bundle:
        names = set(bundle.namelist())
        manifest = json.loads(bundle.read("export/manifest.json"))
        bundle.extractall(tmp_path)
    assert "export/events.jsonl" in names and manifest["range"]["from"] == "2026-03-01"
    assert verify_export(tmp_path / "export", jobs=1).ok
