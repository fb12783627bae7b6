"""Who is at the terminal: PIN/badge check (argon2), sessions, roles, CSRF tokens and security headers.

Sessions live in memory (a restart logs everybody out; clocking in is kept by the core). A browser holds
its session in an HttpOnly, SameSite=Strict cookie and sends the session's CSRF token with every change;
an API client sends ``Authorization: Bearer <token>`` and needs no CSRF token.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sce.domain.errors import DomainError

#: Argon2id at the OWASP minimum (19 MiB, 2 passes): a login checks every employee's hash.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
SESSION_COOKIE = "sce_session"
LOGIN_CSRF_COOKIE = "sce_login_csrf"
SESSION_SECONDS = 12 * 3600
MAX_FAILURES = 5
LOCKOUT_SECONDS = 30.0

#: What each role may do (checked on the server for every route).
SELL = frozenset({"waiter", "manager", "robot"})
MANAGE = frozenset({"manager"})
CASH = frozenset({"waiter", "manager"})
REPORT = frozenset({"waiter", "manager", "technician"})
BACK_OFFICE_READ = frozenset({"manager", "technician", "inspector"})
CONFIGURE = frozenset({"manager", "technician"})
TECHNICAL = frozenset({"technician", "manager"})
KITCHEN = frozenset({"waiter", "manager"})
ANYONE = frozenset({"waiter", "manager", "technician", "inspector", "robot"})


def hash_secret(secret: str) -> str:
    if not secret.isascii() or not 4 <= len(secret) <= 64 or not secret.strip():
        raise DomainError("pin", "INVALID_PIN", "a PIN or badge code has 4 to 64 characters")
    return HASHER.hash(secret)


def verify_secret(hashed: str, secret: str) -> bool:
    try:
        return HASHER.verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False


@dataclass
class Session:
    """One logged-in person on one terminal."""

    token: str
    employee_id: str
    alias: str
    role: str
    terminal_id: str
    csrf: str
    api: bool = False
    expires: float = field(default_factory=lambda: time.time() + SESSION_SECONDS)


class Sessions:
    """The open sessions and the failed-login counters."""

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def open(
        self, employee_id: str, alias: str, role: str, terminal_id: str, *, api: bool = False
    ) -> Session:
        session = Session(
            secrets.token_urlsafe(32), employee_id, alias, role, terminal_id, secrets.token_urlsafe(24), api
        )
        with self._lock:
            self._sessions[session.token] = session
        return session

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self._lock:
            session = self._sessions.get(token)
            if session is not None and session.expires < time.time():
                del self._sessions[token]
                return None
            return session

    def close(self, token: str) -> None:
        with self._lock:
            self._sessions.pop(token, None)

    def close_employee(self, employee_id: str) -> None:
        with self._lock:
            for token in [t for t, s in self._sessions.items() if s.employee_id == employee_id]:
                del self._sessions[token]

    def check_throttle(self, client: str) -> None:
        with self._lock:
            count, until = self._failures.get(client, (0, 0.0))
        if count >= MAX_FAILURES and until > time.time():
            raise DomainError("pin", "TOO_MANY_ATTEMPTS", f"wait {int(until - time.time()) + 1} s")

    def failed(self, client: str) -> None:
        with self._lock:
            count, _until = self._failures.get(client, (0, 0.0))
            self._failures[client] = (count + 1, time.time() + LOCKOUT_SECONDS)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def find_employee(employees: dict[str, dict[str, Any]], secret: str) -> dict[str, Any] | None:
    """The employee whose PIN or badge code is ``secret``."""
    if not secret:
        return None
    for body in employees.values():
        for name in ("pin_hash", "badge_hash"):
            hashed = body.get(name)
            if hashed and verify_secret(str(hashed), secret):
                return body
    return None


def require_role(session: Session, roles: Iterable[str]) -> None:
    allowed = frozenset(roles)
    if session.role not in allowed:
        raise DomainError(
            "role", "FORBIDDEN", f"a {session.role} may not do this (needs {', '.join(sorted(allowed))})"
        )


def same_token(expected: str, given: str | None) -> bool:
    return bool(given) and secrets.compare_digest(expected, str(given))


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
