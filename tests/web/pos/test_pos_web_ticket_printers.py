"""A terminal's ESC/POS ticket printer on the network (a fake printer on loopback): the paid ticket's bytes
arrive once; while the printer is off the sale still succeeds, the ticket waits in the terminal's queue
(shown on the printers page) and is printed exactly once when the printer is back; only the printer
thread writes to the device; the drawer that could not be kicked is reported without undoing or
repeating the registered opening. A money in/out and a payment correction print their slip once, also
when the request is sent again with the same Idempotency-Key."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pos_web_support import MANAGER_PIN, Api, clock_in, demo_runtime, key
from sqlalchemy import func, select

from sce.db import tables as t
from sce.domain.errors import DomainError
from sce.tickets.i18n import TicketLanguage
from sce.tickets.model import MONEY_OUT
from sce.web.pos import actions, views
from sce.web.pos.app import create_app
from sce.web.pos.runtime import Runtime

INIT = b"\x1b@"
CUT = b"\x1dV"
DRAWER = b"\x1bp"


class _Collector(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        chunks = []
        while data := self.request.recv(65536):
            chunks.append(data)
        self.server.received(self.request, b"".join(chunks))  # type: ignore[attr-defined]


class _FakePrinter(socketserver.ThreadingTCPServer):
    """A network printer on loopback; its jobs in the order the connections were accepted (each is read by
    its own thread, which may finish after a later one)."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Collector)
        self.slots: list[bytes | None] = []
        self.slot_of: dict[object, int] = {}
        self.lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.lock:
            self.slot_of[request] = len(self.slots)
            self.slots.append(None)
        super().process_request(request, client_address)

    def received(self, request: object, job: bytes) -> None:
        with self.lock:
            self.slots[self.slot_of.pop(request)] = job

    @property
    def jobs(self) -> list[bytes]:
        """The jobs read to the end, up to the first connection still being read."""
        with self.lock:
            done = []
            for job in self.slots:
                if job is None:
                    break
                done.append(job)
            return done

    def wait_for(self, count: int, seconds: float = 10.0) -> list[bytes]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if len(jobs := self.jobs) >= count:
                return jobs
            time.sleep(0.05)
        return self.jobs


@contextmanager
def _printer_on(port: int) -> Iterator[_FakePrinter]:
    server = _FakePrinter(port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sale(api: Api) -> dict[str, object]:
    return api.ok(
        "/quick-sale", {"items": [{"product_id": "BEER"}], "tenders": [{"method": "CASH", "amount": "5"}]}
    )


def _events(rt: Runtime, kind: str) -> int:
    with rt.engine.begin() as c:
        query = select(func.count()).select_from(t.journal).where(t.journal.c.event_kind == kind)
        return int(c.execute(query).scalar_one())


def test_tickets_wait_for_an_offline_printer_and_print_once_when_it_is_back(tmp_path: Path) -> None:
    port = _free_port()
    with demo_runtime(tmp_path, 2) as rt:
        rt.tickets.stop()  # the test drives the retries itself
        assert rt.tickets.configure({"T1": {"printer": f"tcp:127.0.0.1:{port}"}}) == []
        client = TestClient(create_app(rt))
        clock_in(client, MANAGER_PIN)
        manager = Api(client, MANAGER_PIN)

        with _printer_on(port) as printer:
            first = _sale(manager)
            assert printer.wait_for(1, seconds=0.3) == []  # a request never writes to a device itself
            assert rt.tickets.retry() == 1
            (job,) = printer.wait_for(1)
        assert job.startswith(INIT) and CUT in job
        assert str(first["ticket_number"]).encode() in job
        assert rt.tickets.status()[0]["waiting"] == []

        # the printer is off: the sale is made and signed, its ticket waits
        second = _sale(manager)
        third = _sale(manager)
        assert rt.tickets.retry() == 0
        status = {s["terminal_id"]: s for s in rt.tickets.status()}["T1"]
        assert status["waiting"] == [second["ticket_number"], third["ticket_number"]]
        assert "unavailable" in status["error"]
        client.cookies.set("sce_session", manager.token)
        page = client.get("/pos/printers").text
        assert "2 ticket(s)" in page and f"tcp:127.0.0.1:{port}" in page
        drawer = manager.ok("/drawer", {"reason": "change"})
        assert drawer["drawer_opened"] is False and "unavailable" in drawer["drawer_error"]
        assert _events(rt, "DRAWER_OPEN") == 1

        with _printer_on(port) as printer:
            assert rt.tickets.retry() == 2
            jobs = printer.wait_for(2)
            assert rt.tickets.retry() == 0  # nothing prints twice
            time.sleep(0.2)
            assert len(printer.slots) == 2  # no other connection either
            assert manager.ok("/drawer", {"reason": "change"})["drawer_opened"] is True
            kicks = printer.wait_for(3)
        assert str(second["ticket_number"]).encode() in jobs[0]
        assert str(third["ticket_number"]).encode() in jobs[1]
        assert DRAWER in kicks[2]
        assert rt.tickets.status()[0]["waiting"] == [] and rt.tickets.status()[0]["error"] == ""


def test_money_out_and_payment_correction_print_their_slip_once(tmp_path: Path) -> None:
    port = _free_port()
    with demo_runtime(tmp_path, 2) as rt:
        rt.tickets.stop()  # the test drives the printing itself
        assert rt.tickets.configure({"T1": {"printer": f"tcp:127.0.0.1:{port}"}}) == []
        client = TestClient(create_app(rt))
        clock_in(client, MANAGER_PIN)
        manager = Api(client, MANAGER_PIN)
        with _printer_on(port) as printer:
            sale = _sale(manager)
            assert rt.tickets.retry() == 1
            printer.wait_for(1)
            money_key, correction_key = key(), key()
            money = manager.ok("/money", {"amount": "-20.00", "reason": "Bank"}, idem=money_key)
            path = f"/tickets/{sale['ticket_number']}/payment-correction"
            correction_body = {"tenders": [{"method": "CARD", "amount": "3.50"}]}
            correction = manager.ok(path, correction_body, idem=correction_key)
            assert rt.tickets.retry() == 2
            jobs = printer.wait_for(3)
            # the same requests again: the stored answers, no second event, no second print
            again = manager.ok("/money", {"amount": "-20.00", "reason": "Bank"}, idem=money_key)
            assert again == {**money, "replayed": True}
            assert manager.ok(path, correction_body, idem=correction_key) == {**correction, "replayed": True}
            assert rt.tickets.retry() == 0
            for signed in (money, correction):
                slip = views.ticket_of(rt.pos, rt.pos.record(int(signed["ticket_number"])))
                assert rt.tickets.print_ticket("T1", slip) is False
            time.sleep(0.3)
            assert len(printer.slots) == 3  # no other connection either
        assert _events(rt, "MONEY_IN_OUT") == _events(rt, "PAYMENT_CORRECTION") == 1
        slip = views.ticket_of(rt.pos, rt.pos.record(int(money["ticket_number"])))
        label = TicketLanguage(slip.language)(MONEY_OUT).encode("cp858")
        title = TicketLanguage(slip.language)("PAYMENT CORRECTION").encode("cp858")
        # the two slips travel on two connections: the fake printer may finish reading them in either order
        (correction_job,) = [job for job in jobs[1:] if title in job]
        (money_job,) = [job for job in jobs[1:] if job is not correction_job]
        assert money_job.startswith(INIT) and CUT in money_job
        assert label in money_job and b"-20,00" in money_job and b"Bank" in money_job
        assert str(money["ticket_number"]).encode() in money_job
        # the cash paid (5,00) and the change (1,50) taken back, the beer (3,50) paid by card
        for line in (b"-5,00", b"1,50", b"3,50"):
            assert line in correction_job
        assert str(correction["ticket_number"]).encode() in correction_job


def test_the_retry_thread_prints_what_waits(tmp_path: Path) -> None:
    port = _free_port()
    with demo_runtime(tmp_path, 1) as rt:
        rt.tickets.stop()
        rt.tickets.configure({"T1": {"printer": f"tcp:127.0.0.1:{port}/48"}})
        client = TestClient(create_app(rt))
        clock_in(client, MANAGER_PIN)
        sale = _sale(Api(client, MANAGER_PIN))
        assert rt.tickets.status()[0]["waiting"] == [sale["ticket_number"]]
        with _printer_on(port) as printer:
            rt.tickets.start(interval=0.1)
            (job,) = printer.wait_for(1)
            rt.tickets.stop()
        assert str(sale["ticket_number"]).encode() in job
        assert rt.tickets.status()[0]["waiting"] == []


def test_terminal_printers_come_from_the_configuration(tmp_path: Path) -> None:
    with demo_runtime(tmp_path, 2) as rt:
        with rt.pos.store.tx() as tx:
            found = tx.item("terminal", "T2")
            assert found is not None
            tx.put_item("terminal", "T2", {**found[1], "printer": "tcp:10.0.0.9:9100"}, found[0])
            tx.put_item("terminal", "T9", {"id": "T9", "name": "Broken", "printer": "lpt1"})
        problems = rt.load_printers()
        assert problems == [
            "terminals.T9.printer: INVALID_PRINTER ('lpt1': expected screen, tcp:HOST[:PORT], "
            "serial:/dev/DEVICE[@BAUD] or usb:VID:PID, optionally ending in /48)"
        ]
        printers = {s["terminal_id"]: s["printer"] for s in rt.tickets.status()}
        assert printers["T2"] == "tcp:10.0.0.9:9100"
        assert printers["T1"] == "screen" and printers["T9"] == "screen"


def test_saving_a_terminal_checks_its_printer_and_installs_it(tmp_path: Path) -> None:
    with demo_runtime(tmp_path, 2) as rt:
        manager = actions.login(rt, MANAGER_PIN, "T1", "test")
        saved = actions.save_config(
            rt, manager, "terminal", "t4", {"name": "Terrace", "printer": "usb:04b8:0202"}
        )
        assert saved == {"id": "T4", "name": "Terrace", "printer": "usb:04b8:0202"}
        assert {s["terminal_id"]: s["printer"] for s in rt.tickets.status()}["T4"] == "usb:04b8:0202"
        with pytest.raises(DomainError) as refused:
            actions.save_config(rt, manager, "terminal", "T4", {"name": "Terrace", "printer": "lpt1"})
        assert (refused.value.field, refused.value.rule) == ("printer", "INVALID_PRINTER")
        with rt.pos.store.tx() as tx:
            kept = tx.item("terminal", "T4")
        assert kept is not None and kept[1]["printer"] == "usb:04b8:0202"  # nothing lost


def test_a_kitchen_printer_that_is_off_never_delays_a_round_and_prints_when_back(tmp_path: Path) -> None:
    port = _free_port()
    with demo_runtime(tmp_path, 2) as rt:
        manager = actions.login(rt, MANAGER_PIN, "T1", "test")
        stations = {s["id"]: s for s in rt.kitchen.stations()}
        kitchen = {**stations["KITCHEN"], "printer": f"tcp:127.0.0.1:{port}"}
        actions.save_config(rt, manager, "station", "KITCHEN", kitchen)
        client = TestClient(create_app(rt))
        clock_in(client, MANAGER_PIN)
        api = Api(client, MANAGER_PIN)
        order = api.ok("/orders", {"table": "4"})
        food = {"version": order["version"], "product_id": "SOUP"}
        api.ok(f"/orders/{order['order_id']}/items", food)
        started = time.monotonic()
        sent = api.ok(f"/orders/{order['order_id']}/rounds", {"version": order["version"] + 1})
        assert time.monotonic() - started < 4.0  # the request does not wait for the printer
        assert sent["event"]["kind"] == "ORDER"
        assert any(card["table"] == "4" for card in api.get("/kitchen").json()["cards"])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not rt.kitchen.device_status()[0]["error"]:
            time.sleep(0.05)
        (status,) = rt.kitchen.device_status()
        assert status["waiting"] == 1 and "unavailable" in status["error"]
        client.cookies.set("sce_session", api.token)
        assert 'data-testid="station-printers"' in client.get("/pos/printers").text
        with _printer_on(port) as printer:
            (job,) = printer.wait_for(1, seconds=15)
        assert job.startswith(INIT) and b"Dagsoep" in job and CUT in job  # the kitchen ticket
        assert rt.kitchen.device_status()[0] == {
            "name": f"tcp:127.0.0.1:{port}",
            "waiting": 0,
            "error": "",
            "printed": 1,
        }


def test_tickets_waiting_when_the_server_stops_print_after_the_start_and_only_once(tmp_path: Path) -> None:
    port = _free_port()
    tcp = f"tcp:127.0.0.1:{port}"
    with demo_runtime(tmp_path, 2) as rt:
        manager = actions.login(rt, MANAGER_PIN, "T1", "test")
        actions.save_config(rt, manager, "terminal", "T1", {"name": "Bar counter", "printer": tcp})
        rt.tickets.stop()
        client = TestClient(create_app(rt))
        clock_in(client, MANAGER_PIN)
        api = Api(client, MANAGER_PIN)
        with _printer_on(port) as printer:
            printed = _sale(api)
            assert rt.tickets.retry() == 1 and len(printer.wait_for(1)) == 1
        waiting = [_sale(api)["ticket_number"] for _ in range(2)]
        assert rt.tickets.retry() == 0
        assert rt.tickets.status()[0]["waiting"] == waiting

    with demo_runtime(tmp_path, 2) as rt, _printer_on(port) as printer:  # the server starts again
        jobs = printer.wait_for(2, seconds=15)
        assert len(jobs) == 2
        assert str(waiting[0]).encode() in jobs[0] and str(waiting[1]).encode() in jobs[1]
        assert rt.tickets.status()[0]["waiting"] == []
        # printed once: the same tickets handed to the printer again are refused
        for number in (printed["ticket_number"], *waiting):
            ticket = views.ticket_of(rt.pos, rt.pos.record(int(number)))
            assert rt.tickets.print_ticket("T1", ticket) is False
        time.sleep(0.3)
        assert len(printer.slots) == 2  # no other connection either
        assert rt.tickets.jobs is not None and rt.tickets.jobs.prune(timedelta(0)) == 3  # all printed
        assert rt.kitchen.jobs.prune(timedelta(0)) == 0


def test_kitchen_jobs_waiting_when_the_server_stops_print_after_the_start(tmp_path: Path) -> None:
    port = _free_port()
    with demo_runtime(tmp_path, 1) as rt:
        manager = actions.login(rt, MANAGER_PIN, "T1", "test")
        stations = {s["id"]: s for s in rt.kitchen.stations()}
        actions.save_config(
            rt, manager, "station", "KITCHEN", {**stations["KITCHEN"], "printer": f"tcp:127.0.0.1:{port}"}
        )
        client = TestClient(create_app(rt))
        clock_in(client, MANAGER_PIN)
        api = Api(client, MANAGER_PIN)
        order = api.ok("/orders", {"table": "6"})
        api.ok(f"/orders/{order['order_id']}/items", {"version": order["version"], "product_id": "SOUP"})
        api.ok(f"/orders/{order['order_id']}/rounds", {"version": order["version"] + 1})
        assert len(rt.kitchen.jobs.waiting()) == 1

    with demo_runtime(tmp_path, 1) as rt, _printer_on(port) as printer:  # the server starts again
        (job,) = printer.wait_for(1, seconds=15)
        assert b"Dagsoep" in job
        deadline = time.monotonic() + 5
        while rt.kitchen.jobs.waiting() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rt.kitchen.jobs.waiting() == []
        time.sleep(0.3)
        assert len(printer.slots) == 1  # printed once, no other connection either
