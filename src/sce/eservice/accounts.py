"""Local accounts standing in for eID/CSAM login: roles, argon2 password hashes, session tokens."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import Connection, select

from sce.eservice.db import now
from sce.eservice.errors import InvalidInputError, NotLoggedInError
from sce.eservice.tables import accounts, sessions

_HASHER = PasswordHasher()


class Role(StrEnum):
    OPERATOR = "operator"
    PRODUCER = "producer"
    DISTRIBUTOR = "distributor"
    ADMINISTRATION = "administration"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is logged in: the account, its role and the one company it acts for (none for the FPS)."""

    username: str
    role: Role
    company_vat: str | None
    display_name: str = ""


def create_account(
    conn: Connection, username: str, password: str, role: Role, company_vat: str | None, name: str = ""
) -> None:
    if role is not Role.ADMINISTRATION and not company_vat:
        raise InvalidInputError("company_vat", "REQUIRED", f"a {role.value} account acts for one company")
    conn.execute(
        accounts.insert().values(
            username=username,
            password_hash=_HASHER.hash(password),
            role=role.value,
            company_vat=company_vat,
            display_name=name or username,
        )
    )


def login(conn: Connection, username: str, password: str) -> tuple[str, Principal]:
    """A new session token for valid credentials."""
    row = conn.execute(select(accounts).where(accounts.c.username == username)).mappings().first()
    try:
        if row is None:
            raise VerificationError("unknown user")
        _HASHER.verify(row["password_hash"], password)
    except VerificationError:
        raise NotLoggedInError("password", "WRONG_CREDENTIALS", "unknown user or wrong password") from None
    token = secrets.token_urlsafe(32)
    conn.execute(sessions.insert().values(token=token, username=username, created_at=now()))
    return token, _principal(row)


def logout(conn: Connection, token: str) -> None:
    conn.execute(sessions.delete().where(sessions.c.token == token))


def principal_for(conn: Connection, token: str | None) -> Principal | None:
    if not token:
        return None
    row = (
        conn.execute(
            select(accounts)
            .join(sessions, sessions.c.username == accounts.c.username)
            .where(sessions.c.token == token)
        )
        .mappings()
        .first()
    )
    return _principal(row) if row else None


def _principal(row: object) -> Principal:
    data = dict(row)  # type: ignore[call-overload]
    return Principal(data["username"], Role(data["role"]), data["company_vat"], data["display_name"])
