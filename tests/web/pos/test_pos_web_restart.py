"""Requests a stopped server never answered: at the next start-up each claimed Idempotency-Key is settled
from the database alone. Carried out (its changes recorded the key in the same transaction): the retry
gets a "recovered" answer naming the order, and nothing runs twice. Never carried out: the claim is
released and the retry runs the request."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pos_web_support import WAITER_PIN, Api, clock_in, demo_runtime, key
from sqlalchemy import func, select

from sce.db import tables as t
from sce.db.store import on_behalf_of
from sce.web.pos.app import create_app
from sce.web.pos.idempotency import web_idempotency
from sce.web.pos.runtime import Runtime


def _claims_without_answer(rt: Runtime) -> int:
    with rt.engine.begin() as c:
        query = (
            select(func.count()).select_from(web_idempotency).where(web_idempotency.c.status_code.is_(None))
        )
        return int(c.execute(query).scalar_one())


def _effects(rt: Runtime, request_key: str) -> list[tuple[str, str]]:
    with rt.engine.begin() as c:
        rows = c.execute(
            select(t.request_effects.c.order_ids, t.request_effects.c.ticket_numbers).where(
                t.request_effects.c.key == request_key
            )
        ).all()
    return [(str(r[0]), str(r[1])) for r in rows]


def _journal_head(rt: Runtime) -> int:
    with rt.pos.store.tx() as tx:
        return tx.journal_head()


@pytest.mark.parametrize(
    ("generation", "engine"),
    [(1, "sqlite"), (2, "sqlite"), (2, "postgresql")],
    ids=["sce1-sqlite", "sce2-sqlite", "sce2-postgresql"],
)
def test_a_restart_answers_what_was_done_and_releases_what_was_not(
    tmp_path: Path, generation: int, engine: str, request: pytest.FixtureRequest
) -> None:
    db_url = request.getfixturevalue("postgres_url") if engine == "postgresql" else None
    with demo_runtime(tmp_path, generation, db_url=db_url) as rt:
        client = TestClient(create_app(rt))
        clock_in(client, WAITER_PIN)
        api = Api(client, WAITER_PIN)
        waiter = api.get("/me").json()["employee_id"]
        order = api.ok("/orders", {"table": "7"})
        order_id, version = str(order["order_id"]), int(order["version"])
        items = f"/api/v1/orders/{order_id}/items"
        rounds = f"/api/v1/orders/{order_id}/rounds"

        # The server claimed three requests and died: the first had added its line, the second had
        # sent its round (a signed ORDER event), the third had not written anything yet.
        done_item, done_round, not_done = key(), key(), key()
        rt.idempotency.claim(done_item, waiter, "POST", items)
        with on_behalf_of(done_item):
            rt.pos.add_item(order_id, version, waiter, "COLA")
        rt.idempotency.claim(done_round, waiter, "POST", rounds)
        with on_behalf_of(done_round):
            signed = rt.pos.send_round(order_id, version + 1, waiter, "T1")
        rt.idempotency.claim(not_done, waiter, "POST", items)
        with on_behalf_of(not_done):
            rt.pos.order(order_id)  # reading is not an effect
        assert _effects(rt, done_item) and _effects(rt, done_round)
        assert str(signed.event.ticket_number) in _effects(rt, done_round)[-1][1]
        assert _effects(rt, not_done) == []
        assert _claims_without_answer(rt) == 3
        journal_before = _journal_head(rt)

    with demo_runtime(tmp_path, generation, db_url=db_url) as rt:  # the same database, a new process
        assert _claims_without_answer(rt) == 0
        client = TestClient(create_app(rt))
        api = Api(client, WAITER_PIN)

        first = api.post(
            f"/orders/{order_id}/items", {"version": version, "product_id": "COLA"}, idem=done_item
        )
        assert first.status_code == 200, first.text
        body = first.json()
        assert body["recovered"] is True and body["replayed"] is True
        assert body["order_id"] == order_id
        assert [line["product_id"] for line in body["order"]["lines"]] == ["COLA"]

        second = api.post(f"/orders/{order_id}/rounds", {"version": version + 1}, idem=done_round)
        assert second.status_code == 200, second.text
        assert second.json()["recovered"] is True
        assert signed.event.ticket_number in second.json()["ticket_numbers"]
        with rt.engine.begin() as c:
            rounds_signed = c.execute(
                select(func.count())
                .select_from(t.journal)
                .where(t.journal.c.order_id == order_id, t.journal.c.event_kind == "ORDER")
            ).scalar_one()
        assert rounds_signed == 1  # the round was not sent a second time

        current = api.get(f"/orders/{order_id}").json()
        third = api.post(
            f"/orders/{order_id}/items", {"version": current["version"], "product_id": "BEER"}, idem=not_done
        )
        assert third.status_code == 200, third.text
        assert "recovered" not in third.json() and "replayed" not in third.json()
        lines = api.get(f"/orders/{order_id}").json()["lines"]
        assert [line["product_id"] for line in lines] == ["COLA", "BEER"]
        assert Decimal(lines[0]["quantity"]) == 1
        assert _journal_head(rt) == journal_before


def test_prune_forgets_old_effects_with_their_keys(tmp_path: Path) -> None:
    with demo_runtime(tmp_path, 2) as rt:
        client = TestClient(create_app(rt))
        clock_in(client, WAITER_PIN)
        api = Api(client, WAITER_PIN)
        request_key = key()
        api.ok("/orders", {"table": "8"}, idem=request_key)
        assert _effects(rt, request_key)
        assert rt.idempotency.prune(timedelta(0)) >= 1
        assert _effects(rt, request_key) == []
