"""Courses through the API: items entered per course, the kitchen holds the later courses until the waiter
fires them, a fire is exactly once, published live, and known after a restart; nothing fiscal changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pos_web_support import INSPECTOR_PIN, WAITER_PIN, Api, clock_in, demo_runtime, key
from sqlalchemy import func, select

from sce.db import tables as t
from sce.web.pos.app import create_app
from sce.web.pos.kitchen_board import course_fires
from sce.web.pos.runtime import Runtime


def _fires(rt: Runtime) -> int:
    with rt.engine.begin() as c:
        return int(c.execute(select(func.count()).select_from(course_fires)).scalar_one())


def _events(rt: Runtime) -> int:
    with rt.engine.begin() as c:
        return int(c.execute(select(func.count()).select_from(t.journal)).scalar_one())


def _card(api: Api, table: str, station: str) -> dict[str, Any]:
    cards = [
        c for c in api.get("/kitchen").json()["cards"] if c["table"] == table and c["station"] == station
    ]
    assert len(cards) == 1, cards
    return dict(cards[0])


def _fire_jobs(rt: Runtime, station: str = "Kitchen") -> list[str]:
    return [job for _at, job in rt.kitchen.printers[station].jobs if "AFROEPEN - Gang" in job]


def _table_with_three_courses(waiter: Api, table: str) -> tuple[str, dict[str, Any]]:
    order = waiter.ok("/orders", {"table": table})
    oid = str(order["order_id"])
    for item in (
        {"product_id": "BEER"},
        {"product_id": "SOUP", "course": 1, "seat": 1},
        {"product_id": "BURGER", "course": 2, "seat": 1, "modifier_ids": ["EXTRA_CHEESE"]},
        {"product_id": "MOUSSE", "course": 3, "seat": 2},
    ):
        order = waiter.ok(f"/orders/{oid}/items", {"version": order["version"], **item})
    return oid, order


@pytest.mark.parametrize("generation", [1, 2], ids=["sce1", "sce2"])
def test_courses_are_held_until_fired_exactly_once_and_survive_a_restart(
    tmp_path: Path, generation: int
) -> None:
    with demo_runtime(tmp_path, generation) as rt:
        published: list[dict[str, Any]] = []
        publish = rt.bus.publish
        rt.bus.publish = lambda message: (published.append(message), publish(message))[-1]  # type: ignore[method-assign]
        client = TestClient(create_app(rt))
        clock_in(client, WAITER_PIN, "T2")
        waiter = Api(client, WAITER_PIN, "T2")
        oid, order = _table_with_three_courses(waiter, "7")

        assert [(line["product_id"], line["course"]) for line in order["lines"]] == [
            ("BEER", None),
            ("SOUP", 1),
            ("BURGER", 2),
            ("EXTRA_CHEESE", 2),
            ("MOUSSE", 3),
        ]
        assert (order["courses"], order["held_courses"], order["fired_courses"]) == ([1, 2, 3], [2, 3], [])
        total = order["total"]

        sent = waiter.ok(f"/orders/{oid}/rounds", {"version": order["version"]})
        assert sent["order"]["total"] == total
        kitchen = _card(waiter, "7", "Kitchen")
        assert [line["course"] for line in kitchen["lines"]] == [1, 2, 2, 3]
        held = {line["course"]: line["held"] for line in kitchen["lines"]}
        assert held == {1: False, 2: True, 3: True}
        assert kitchen["fired"] == []
        assert [line["course"] for line in _card(waiter, "7", "Bar")["lines"]] == [None]
        ticket = rt.kitchen.printers["Kitchen"].jobs[-1][1]
        assert "-- Gang 1 --" in ticket
        assert "-- Gang 2 - WACHTEN --" in ticket and "-- Gang 3 - WACHTEN --" in ticket
        assert ticket.index("-- Gang 1 --") < ticket.index("-- Gang 2 - WACHTEN --")
        page = client.get("/kitchen", headers=waiter.headers).text
        assert page.count('data-testid="hold"') == 2

        events_before = _events(rt)
        fire_key = key()
        first = waiter.post(f"/orders/{oid}/courses/2/fire", idem=fire_key)
        assert first.status_code == 200, first.text
        body = first.json()
        assert (body["fired"], body["course"], body["table"], body["first_fire"]) == ([2], 2, "7", True)
        assert body["order"]["fired_courses"] == [2] and body["order"]["held_courses"] == [3]
        assert body["printed"] == ["Kitchen"]
        assert len(_fire_jobs(rt)) == 1 and "AFROEPEN - Gang 2" in _fire_jobs(rt)[0]
        assert any(row.startswith("Tafel") and row.endswith(" 7") for row in _fire_jobs(rt)[0].splitlines())
        assert {"kind": "kitchen", "order_id": oid, "table": "7", "course": 2, "fired": True} in published

        again = waiter.post(f"/orders/{oid}/courses/2/fire", idem=fire_key)
        assert again.status_code == 200
        assert again.json() == {**body, "replayed": True}
        second = waiter.ok(f"/orders/{oid}/courses/2/fire")
        assert (second["fired"], second["first_fire"], second["printed"]) == ([2], False, [])
        assert _fires(rt) == 1 and len(_fire_jobs(rt)) == 1
        assert sum(1 for m in published if m.get("fired")) == 1
        assert _events(rt) == events_before, "a fire is not a fiscal event"

        kitchen = _card(waiter, "7", "Kitchen")
        assert {line["course"]: line["held"] for line in kitchen["lines"]} == {1: False, 2: False, 3: True}
        assert kitchen["fired"] == [2]
        fires = waiter.get("/kitchen").json()["fires"]
        assert [f["text"] for f in fires] == ["FIRE course 2 \u2013 table 7"]
        page = client.get("/kitchen", headers=waiter.headers).text
        assert "FIRE course 2 \u2013 table 7" in page and page.count('data-testid="hold"') == 1
        assert waiter.get(f"/orders/{oid}").json()["fired_courses"] == [2]

        missing = waiter.post(f"/orders/{oid}/courses/4/fire")
        assert missing.status_code == 422
        assert missing.json()["error"]["field"] == "course"
        assert missing.json()["error"]["rule"] == "NOT_ON_ORDER"
        assert waiter.post(f"/orders/{oid}/courses/6/fire").status_code == 422
        bad_item = waiter.post(
            f"/orders/{oid}/items", {"version": body["order"]["version"], "product_id": "SOUP", "course": 6}
        )
        assert bad_item.status_code == 422
        assert waiter.post(f"/orders/{oid}/courses/3/fire", idem="short").status_code == 428
        inspector = Api(client, INSPECTOR_PIN, "T3")
        assert inspector.post(f"/orders/{oid}/courses/3/fire").status_code == 403
        assert _fires(rt) == 1

    with demo_runtime(tmp_path, generation) as rt:  # the same database, a new server process
        client = TestClient(create_app(rt))
        waiter = Api(client, WAITER_PIN, "T2")
        assert waiter.get(f"/orders/{oid}").json()["fired_courses"] == [2]
        kitchen = _card(waiter, "7", "Kitchen")
        assert {line["course"]: line["held"] for line in kitchen["lines"]} == {1: False, 2: False, 3: True}
        assert kitchen["fired"] == [2]
        replay = waiter.post(f"/orders/{oid}/courses/2/fire", idem=fire_key)
        assert replay.json()["replayed"] is True
        refire = waiter.ok(f"/orders/{oid}/courses/2/fire")
        assert refire["first_fire"] is False and _fires(rt) == 1
        assert _fire_jobs(rt) == []
        third = waiter.ok(f"/orders/{oid}/courses/3/fire")
        assert (third["fired"], third["order"]["held_courses"], third["printed"]) == ([2, 3], [], ["Kitchen"])
        assert all(not line["held"] for line in _card(waiter, "7", "Kitchen")["lines"])


@pytest.mark.parametrize("generation", [1, 2], ids=["sce1", "sce2"])
def test_the_lowest_course_waiting_goes_at_once(tmp_path: Path, generation: int) -> None:
    with demo_runtime(tmp_path, generation) as rt:
        client = TestClient(create_app(rt))
        clock_in(client, WAITER_PIN, "T2")
        waiter = Api(client, WAITER_PIN, "T2")
        order = waiter.ok("/orders", {"table": "8"})
        oid = str(order["order_id"])
        order = waiter.ok(
            f"/orders/{oid}/items", {"version": order["version"], "product_id": "STEAK", "course": 2}
        )
        order = waiter.ok(
            f"/orders/{oid}/items", {"version": order["version"], "product_id": "DAME", "course": 3}
        )
        assert order["held_courses"] == [3]
        waiter.ok(f"/orders/{oid}/rounds", {"version": order["version"]})
        held = {line["course"]: line["held"] for line in _card(waiter, "8", "Kitchen")["lines"]}
        assert held == {2: False, 3: True}
