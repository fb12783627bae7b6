"""The FPS stand-in over HTTP: first boot, upload acknowledgement and rejection, the verification page."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sce.fiscal.v2.serving import ServerThread
from sce.fiscal.v2.signing import Signer
from sce.fps.app import FpsConfig, create_app
from tests.fiscal.v2.support import example_a_data, running_emulator


@pytest.fixture
def fps(tmp_path: Path) -> Iterator[str]:
    config = FpsConfig(tmp_path / "fps", footer=["Merci"], pos_allow_list=["CPOS0031234567"], notices=[])
    with ServerThread(create_app(config)) as server:
        yield server.url


def _signed_sale(tmp_path: Path, fps: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    with running_emulator(tmp_path / "fdm", fps_url=fps) as emulator, emulator.client() as client:
        deadline = time.monotonic() + 10
        while not emulator.fdm.uploader.first_boot_done and time.monotonic() < deadline:
            time.sleep(0.02)
        result = client.sign("signSale", example_a_data(7)).data["signResult"]
        while emulator.fdm.snapshot()["pending"] and time.monotonic() < deadline:
            time.sleep(0.02)
        pending = emulator.fdm.store.pending(10)
    assert pending == []
    return result, httpx.get(f"{fps}/fdm/FOD01000001/events").json()


def test_first_boot_gives_rates_footer_allow_list(fps: str, tmp_path: Path) -> None:
    key = Signer.load_or_create(tmp_path / "one").public_pem()
    answer = httpx.post(f"{fps}/fdm/FOD09000009/first-boot", json={"publicKey": key}).json()
    assert answer["footer"] == ["Merci"] and answer["posAllowList"] == ["CPOS0031234567"]
    assert answer["vatRates"] == {"A": "21", "B": "12", "C": "6", "D": "0", "X": "0"}
    other = Signer.load_or_create(tmp_path / "two").public_pem()
    assert httpx.post(f"{fps}/fdm/FOD09000009/first-boot", json={"publicKey": other}).status_code == 409
    assert httpx.post(f"{fps}/fdm/FOD09000009/first-boot", json={}).status_code == 400


def test_emulator_first_boot_uses_the_fps_allow_list_and_footer(tmp_path: Path, fps: str) -> None:
    result, received = _signed_sale(tmp_path, fps)
    assert result["footer"] == ["Merci"]
    assert [event["totalCounter"] for event in received] == [1]
    assert received[0]["shortSignature"] == result["shortSignature"]


def test_verification_page_tells_genuine_and_what_was_received(tmp_path: Path, fps: str) -> None:
    result, _ = _signed_sale(tmp_path, fps)
    url = result["verificationUrl"]
    assert url.startswith(f"{fps}/verify/FOD01000001/1/1/")
    page = httpx.get(url)
    assert page.status_code == 200
    assert 'data-genuine="true"' in page.text
    assert "Dry Martini" in page.text and "Burger of the Chef" in page.text and "52.00" in page.text
    as_json = httpx.get(url, params={"format": "json"}).json()
    assert as_json["genuine"] is True
    assert as_json["data"]["transaction"]["transactionTotal"] == 52.0
    assert as_json["event"]["eventOperation"] == "SALE"
    forged = url[:-40] + "0" * 40
    assert httpx.get(forged).status_code == 404
    assert 'data-genuine="false"' in httpx.get(forged).text
    assert httpx.get(url.replace("/1/1/", "/1/2/")).status_code == 404


def test_upload_rejects_malformed_and_forged_events_and_stores_repeats_once(tmp_path: Path, fps: str) -> None:
    _, received = _signed_sale(tmp_path, fps)
    original = received[0]
    record = {
        "fdmRef": {
            "fdmId": "FOD01000001",
            "fdmDateTime": original["fdmDateTime"],
            "eventLabel": original["eventLabel"],
            "eventCounter": original["eventCounter"],
            "totalCounter": original["totalCounter"],
        },
        "eventOperation": original["eventOperation"],
        "isTraining": False,
        "signedMessage": original["signedMessage"],
        "digitalSignature": original["digitalSignature"],
    }
    events_url = f"{fps}/fdm/FOD01000001/events"
    again = httpx.post(events_url, json={"fdmId": "FOD01000001", "events": [record]}).json()
    assert again["acknowledged"] == [1]
    forged = copy.deepcopy(record)
    forged["fdmRef"]["totalCounter"] = 2
    forged["signedMessage"] = forged["signedMessage"].replace('"totalCounter":1', '"totalCounter":2')
    broken = {"fdmRef": {"fdmId": "FOD01000001"}}
    answer = httpx.post(events_url, json={"fdmId": "FOD01000001", "events": [forged, broken, "x"]}).json()
    assert answer["acknowledged"] == [] and answer["rejected"] == [2]
    assert "digitalSignature" in answer["reasons"][0]["reason"]
    assert len(answer["reasons"]) == 3
    assert httpx.post(events_url, content=b"nope").status_code == 400
    assert httpx.post(events_url, json={"events": []}).status_code == 400
    assert [event["totalCounter"] for event in httpx.get(events_url).json()] == [1]
