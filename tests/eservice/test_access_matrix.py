"""Access control: every route of the JSON API x every role x own/other company, each allow or deny asserted.

The routes are read from ``sce.eservice.api.router.routes``: a new route without an entry in ``MATRIX``
fails :func:`test_every_route_has_a_matrix_entry`. Callers act for side A of the demo data (operator-a,
producer-a, dealer-a; the administration; nobody logged in); "own" fills the path with side A's company
and components, "other" with side B's. An allowed call must get past the access check and answer the
status the entry expects (mutations send a body that the use case then refuses, so nothing changes);
a denied one answers 403 (401 when nobody is logged in) with the access rule.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import Engine, create_engine

from sce.eservice.accounts import Role
from sce.eservice.api import router
from sce.eservice.db import now
from sce.eservice.seed import EST_A1, EST_B1
from sce.eservice.tables import sessions
from tests.eservice.support import SIDE_A, SIDE_B, Side, ok, served, supply

OP, PR, DI, AD = Role.OPERATOR, Role.PRODUCER, Role.DISTRIBUTOR, Role.ADMINISTRATION
ANONYMOUS = "anonymous"
CALLERS: dict[str, str | None] = {
    OP.value: "operator-a",
    PR.value: "producer-a",
    DI.value: "dealer-a",
    AD.value: "admin",
    ANONYMOUS: None,
}
ALL = frozenset({OP, PR, DI, AD})


@dataclass(frozen=True)
class Entry:
    """Who may call a route. ``scoped``: roles that only reach their own company (or components they
    handled); the administration is never scoped. ``public``: no login needed. ``subject``: the kind of
    company ``{vat}`` names. ``status``: the answer of an allowed call."""

    allowed: frozenset[Role] = frozenset()
    scoped: frozenset[Role] = frozenset()
    public: bool = False
    subject: Role | None = None
    status: int = 200
    body: dict[str, Any] | None = None
    content: bytes | None = None
    fresh_session: bool = False
    serial: str = "fdm"
    extra: dict[str, Any] = field(default_factory=dict)


def _op(status: int = 200, **kw: Any) -> Entry:
    return Entry(frozenset({OP}), frozenset({OP}), subject=OP, status=status, **kw)


def _pr(status: int = 200, **kw: Any) -> Entry:
    return Entry(frozenset({PR}), frozenset({PR}), subject=PR, status=status, **kw)


def _di(status: int = 200, **kw: Any) -> Entry:
    return Entry(frozenset({DI}), frozenset({DI}), subject=DI, status=status, **kw)


OPS = "/eservice/api/operators/{vat}"
DIS = "/eservice/api/distributors/{vat}"
MATRIX: dict[tuple[str, str], Entry] = {
    ("POST", "/eservice/api/login"): Entry(public=True, body={"username": "producer-b", "password": "demo"}),
    ("POST", "/eservice/api/logout"): Entry(public=True, fresh_session=True),
    ("GET", "/eservice/api/me"): Entry(ALL),
    ("GET", "/eservice/api/schema/deliveries.xsd"): Entry(public=True),
    ("GET", "/eservice/api/kbo/{vat}"): Entry(ALL, frozenset({OP})),
    ("POST", "/eservice/api/kbo/import"): Entry(frozenset({AD}), status=422, content=b"record,vat\nx,y\n"),
    ("POST", OPS + "/registration"): _op(422, body={"establishments": []}),
    ("GET", OPS): Entry(frozenset({OP, AD}), frozenset({OP}), subject=OP),
    ("POST", OPS + "/components/{serial}/confirm"): _op(422, body={"last_digits": "0000"}),
    ("POST", OPS + "/links"): _op(422, body={}),
    ("POST", OPS + "/fdms/{serial}/vsc"): _op(409),
    ("GET", OPS + "/fdms/{serial}/letters/{kind}"): _op(),
    ("POST", OPS + "/fdms/{serial}/activate"): _op(422, body={"pin": "x"}),
    ("POST", OPS + "/fdms/{serial}/first-boot"): _op(422),
    ("POST", OPS + "/fdms/{serial}/test-sale"): _op(422),
    ("POST", OPS + "/components/{serial}/decommission"): _op(422, body={"reason": "lost"}),
    ("GET", OPS + "/diagnostics"): _op(),
    ("GET", OPS + "/support"): Entry(frozenset({OP, AD}), frozenset({OP}), subject=OP),
    ("POST", OPS + "/tickets"): _op(422, body={}),
    ("GET", "/eservice/api/pairing/{serial}"): Entry(frozenset({OP, AD}), frozenset({OP}), serial="pos"),
    ("GET", "/eservice/api/components/{serial}/history"): Entry(ALL, ALL - {AD}),
    ("GET", "/eservice/api/producers/{vat}"): Entry(frozenset({PR, AD}), frozenset({PR}), subject=PR),
    ("POST", "/eservice/api/producers/{vat}/models"): _pr(422, body={}),
    ("POST", "/eservice/api/producers/{vat}/batches"): _pr(422, body={}),
    ("POST", "/eservice/api/producers/{vat}/deliveries"): _pr(422, body={}),
    ("POST", DIS + "/registration"): _di(422, body={}),
    ("GET", DIS): Entry(frozenset({DI, AD}), frozenset({DI}), subject=DI),
    ("POST", DIS + "/deliveries"): _di(422, body={}),
    ("POST", DIS + "/deliveries.xml"): _di(422, content=b"<deliveries/>"),
    ("POST", DIS + "/resales"): _di(422, body={}),
    ("GET", DIS + "/support"): _di(),
    ("POST", DIS + "/contracts"): _di(422, body={}),
    ("POST", DIS + "/tickets/{ticket_id}/status"): _di(422, body={"status": "forgotten"}),
    ("GET", "/eservice/api/admin/distributors"): Entry(frozenset({AD})),
    ("POST", "/eservice/api/admin/distributors/{vat}/validation"): Entry(frozenset({AD}), subject=DI),
}


def _api_routes() -> set[tuple[str, str]]:
    found = set()
    for route in router.routes:
        assert isinstance(route, APIRoute)
        for method in route.methods or ():
            found.add((method, route.path))
    return found


def test_every_route_has_a_matrix_entry() -> None:
    routes = _api_routes()
    assert routes - MATRIX.keys() == set(), "routes without an access-matrix entry"
    assert MATRIX.keys() - routes == set(), "matrix entries for routes that do not exist"


@dataclass(frozen=True)
class World:
    url: str
    engine: Engine
    tokens: dict[str, str]
    serials: dict[str, dict[str, str]]  # side -> fdm/pos -> serial
    tickets: dict[str, int]  # side -> ticket addressed to that side's dealer


def _login(url: str, username: str) -> str:
    answer = httpx.post(f"{url}/eservice/api/login", json={"username": username, "password": "demo"})
    ok(answer)
    return answer.cookies["sce_eservice"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp: Path = tmp_path_factory.mktemp("matrix")
    with served(tmp) as url:
        serials: dict[str, dict[str, str]] = {}
        tickets: dict[str, int] = {}
        for name, side, unit in (("a", SIDE_A, EST_A1), ("b", SIDE_B, EST_B1)):
            fdm, pos = supply(url, side, {unit: "1.0"})[unit]
            serials[name] = {"fdm": fdm, "pos": pos}
            operator = httpx.Client(base_url=url, cookies={"sce_eservice": _login(url, side.operator)})
            ok(operator.post(f"/eservice/api/operators/{side.operator_vat}/fdms/{fdm}/vsc"))
            tickets[name] = ok(
                operator.post(
                    f"/eservice/api/operators/{side.operator_vat}/tickets",
                    json={"dealer_vat": side.dealer_vat, "subject": "printer"},
                )
            )["id"]
        tokens = {role: _login(url, user) for role, user in CALLERS.items() if user}
        engine = create_engine(f"sqlite:///{tmp / 'es.sqlite3'}")
        yield World(url, engine, tokens, serials, tickets)
        engine.dispose()


def _vat(side: Side, subject: Role) -> str:
    return {
        OP: side.operator_vat,
        PR: side.producer_vat,
        DI: side.dealer_vat,
        AD: side.operator_vat,
    }[subject]


def _path(template: str, entry: Entry, role: str, whose: str, world: World) -> str:
    side = SIDE_A if whose == "own" else SIDE_B
    subject = entry.subject or (Role(role) if role != ANONYMOUS else OP)
    serial = world.serials["a" if whose == "own" else "b"][entry.serial]
    return template.format(
        vat=_vat(side, subject),
        serial=serial,
        kind="pin.pdf",
        ticket_id=world.tickets["a" if whose == "own" else "b"],
    )


def _expected(entry: Entry, role: str, whose: str) -> int:
    if entry.public:
        return entry.status
    if role == ANONYMOUS:
        return 401
    if Role(role) not in entry.allowed:
        return 403
    if whose == "other" and Role(role) in entry.scoped:
        return 403
    return entry.status


def _new_session(world: World, username: str) -> str:
    """A further session of ``username`` (as a login makes; without paying for the password hash)."""
    token = secrets.token_urlsafe(32)
    with world.engine.begin() as conn:
        conn.execute(sessions.insert().values(token=token, username=username, created_at=now()))
    return token


def _call(
    http: httpx.Client, world: World, method: str, path: str, entry: Entry, role: str
) -> httpx.Response:
    """One call as ``role``: its session cookie only (nothing kept from earlier answers)."""
    http.cookies.clear()
    headers: dict[str, str] = {}
    user = CALLERS[role]
    if user:
        token = _new_session(world, user) if entry.fresh_session else world.tokens[role]
        headers["Cookie"] = f"sce_eservice={token}"
    if entry.content is not None:
        return http.request(method, path, content=entry.content, headers=headers)
    if method == "POST":
        return http.request(method, path, json=entry.body or {}, headers=headers)
    return http.request(method, path, headers=headers)


@pytest.mark.parametrize(("method", "template"), sorted(MATRIX), ids=[f"{m} {p}" for m, p in sorted(MATRIX)])
def test_route_allows_and_denies_per_role_and_company(world: World, method: str, template: str) -> None:
    entry = MATRIX[(method, template)]
    mismatches = []
    http = httpx.Client(base_url=world.url, timeout=30)
    for role in CALLERS:
        for whose in ("own", "other"):
            path = _path(template, entry, role, whose, world)
            answer = _call(http, world, method, path, entry, role)
            expected = _expected(entry, role, whose)
            problem = answer.status_code != expected
            if not problem and expected in (401, 403):
                rule = answer.json()["error"]["rule"]
                problem = rule not in ("NOT_LOGGED_IN", "ROLE_NOT_ALLOWED", "OTHER_COMPANY")
            if problem:
                mismatches.append(
                    f"{role:>14} {whose:>5} {path}: expected {expected}, got {answer.text[:160]}"
                )
    http.close()
    assert not mismatches, "\n".join(mismatches)


def test_a_distributor_cannot_touch_a_ticket_addressed_to_another(world: World) -> None:
    path = f"/eservice/api/distributors/{SIDE_A.dealer_vat}/tickets/{world.tickets['b']}/status"
    with httpx.Client(base_url=world.url, cookies={"sce_eservice": world.tokens[DI.value]}) as http:
        answer = http.post(path, json={"status": "closed"})
    assert answer.status_code == 404 and answer.json()["error"]["rule"] == "NOT_YOUR_TICKET"


def test_an_operator_sees_only_its_own_components_in_its_overview(world: World) -> None:
    with httpx.Client(base_url=world.url, cookies={"sce_eservice": world.tokens[OP.value]}) as http:
        view = ok(http.get(f"/eservice/api/operators/{SIDE_A.operator_vat}"))
    serials = {c["serial"] for c in view["components"]}
    assert serials == set(world.serials["a"].values())
