"""Access control: who is logged in, and the one rule that every route applies (role, then own company)."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request

from sce.eservice.accounts import Principal, Role, principal_for
from sce.eservice.context import Context
from sce.eservice.errors import ForbiddenError, NotLoggedInError

SESSION_COOKIE = "sce_eservice"


def context(request: Request) -> Context:
    found = getattr(request.app.state, "eservice", None)
    if not isinstance(found, Context):
        raise RuntimeError("the e-service is not installed in this app (call sce.eservice.app.install)")
    return found


def current(request: Request) -> Principal | None:
    with context(request).engine.connect() as conn:
        return principal_for(conn, request.cookies.get(SESSION_COOKIE))


def require(request: Request, roles: Iterable[Role], company: str | None = None) -> Principal:
    """The logged-in principal if its role is allowed and, for a company's data, it acts for ``company``.

    The administration (FPS) is allowed wherever its role is listed, for every company.
    """
    who = current(request)
    if who is None:
        raise NotLoggedInError("session", "NOT_LOGGED_IN", "log in first")
    allowed = tuple(roles)
    if who.role not in allowed:
        raise ForbiddenError("role", "ROLE_NOT_ALLOWED", f"a {who.role.value} may not do this")
    if company is not None and who.role is not Role.ADMINISTRATION and who.company_vat != company:
        raise ForbiddenError("company", "OTHER_COMPANY", "you only see and act for your own company")
    return who


def require_party(request: Request, roles: Iterable[Role], parties: set[str]) -> Principal:
    """As :func:`require`, for data that several companies share (a component's history)."""
    who = require(request, roles)
    if who.role is not Role.ADMINISTRATION and who.company_vat not in parties:
        raise ForbiddenError("company", "OTHER_COMPANY", "this component was never yours")
    return who
