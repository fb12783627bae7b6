"""The POS-side FDM 2.0 client (httpx): authentication headers, timeouts, retries with the same identity,
and typed errors split into invalid request (never retried), FDM refused, and unreachable.

A retry re-sends the **same body bytes**, so the FDM recognises a request it already signed (its answer
then carries a ``DUPLICATE_REQUEST`` warning and the original result).
"""

from __future__ import annotations

import json
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any

import httpx

from sce.fiscal.errors import FiscalProtocolError, FiscalUnreachableError
from sce.fiscal.v2.auth import AuthMode, client_headers
from sce.fiscal.v2.documents import DEVICE, STATUS, operation_name, sign_document
from sce.fiscal.v2.errors import FdmInvalidRequestError, UnauthorizedError, error_from_graphql

_RETRYABLE_STATUS = frozenset({502, 503, 504})


@dataclass(frozen=True, slots=True)
class Exchange:
    """One answered request: the exact bytes sent and received, and the decoded ``data``."""

    request: str
    reply: str
    data: dict[str, Any]
    attempts: int

    @property
    def warning_codes(self) -> tuple[str, ...]:
        result = next(iter(self.data.values()), None) or {}
        return tuple(w["extensions"]["code"] for w in (result.get("warnings") or []))


class FdmClient:
    """Talks GraphQL over HTTP to one FDM at ``url`` (ending in ``/graphql``)."""

    def __init__(
        self,
        url: str,
        *,
        auth: AuthMode = AuthMode.NONE,
        secret: str = "",
        timeout: float = 5.0,
        retries: int = 2,
        backoff: float = 0.2,
        language: str = "NL",
        transport: httpx.BaseTransport | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.url = url
        self.auth = auth
        self.secret = secret
        self.retries = retries
        self.backoff = backoff
        self.language = language
        if transport is None:
            transport = httpx.HTTPTransport(
                verify=verify, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
            )
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> FdmClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- raw exchange

    def post(self, body: bytes, language: str | None = None) -> Exchange:
        """Send ``body`` (retrying it unchanged on network failure) and return the decoded answer."""
        attempts = 0
        while True:
            attempts += 1
            headers = {
                "Content-Type": "application/json",
                "Accept-Language": (language or self.language).lower(),
                **client_headers(self.auth, self.secret, body),
            }
            try:
                answer = self._http.post(self.url, content=body, headers=headers)
            except httpx.TransportError as error:
                if attempts > self.retries:
                    raise FiscalUnreachableError(f"FDM at {self.url} unreachable: {error!r}") from error
                time.sleep(self.backoff * attempts)
                continue
            if answer.status_code in _RETRYABLE_STATUS and attempts <= self.retries:
                time.sleep(self.backoff * attempts)
                continue
            return self._decode(body, answer, attempts)

    def _decode(self, body: bytes, answer: httpx.Response, attempts: int) -> Exchange:
        try:
            payload = answer.json()
        except ValueError as error:
            raise FiscalProtocolError(f"FDM answered HTTP {answer.status_code} without JSON") from error
        if not isinstance(payload, dict):
            raise FiscalProtocolError("FDM answered JSON that is not an object")
        errors = payload.get("errors") or []
        if answer.status_code == 401:
            first = errors[0] if errors else {}
            raise UnauthorizedError(
                str(first.get("message", "unauthorized")),
                code="UNAUTHORIZED",
                extensions=first.get("extensions"),
            )
        if errors:
            raise error_from_graphql(errors[0])
        if answer.status_code == 400:
            raise FdmInvalidRequestError(f"FDM refused the request as malformed (HTTP 400): {answer.text}")
        if answer.status_code != 200:
            raise FiscalProtocolError(f"FDM answered HTTP {answer.status_code}: {answer.text[:200]}")
        data = payload.get("data")
        if not isinstance(data, dict):
            raise FiscalProtocolError("FDM answer has no data")
        return Exchange(body.decode("utf-8"), answer.text, data, attempts)

    def execute(
        self, query: str, variables: dict[str, Any] | None = None, operation: str | None = None
    ) -> Exchange:
        request: dict[str, Any] = {"query": query}
        if operation:
            request["operationName"] = operation
        if variables is not None:
            request["variables"] = variables
        body = json.dumps(request, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        language = None
        if variables and isinstance(variables.get("data"), dict):
            language = variables["data"].get("language")
        return self.post(body, language)

    # ---- operations

    def sign(self, mutation: str, data: dict[str, Any], *, training: bool = False) -> Exchange:
        """Send one ``sign*`` mutation; ``exchange.data["signResult"]`` is the FDM's ``SignResult``."""
        exchange = self.execute(
            sign_document(mutation), {"data": data, "isTraining": training}, operation_name(mutation)
        )
        if not isinstance(exchange.data.get("signResult"), dict):
            raise FiscalProtocolError(f"FDM answered {mutation} without a result")
        return exchange

    def status(self, language: str | None = None) -> dict[str, Any]:
        exchange = self.execute(STATUS, {"language": language or self.language}, "Status")
        return dict(exchange.data["status"])

    def device(self) -> dict[str, Any]:
        return dict(self.execute(DEVICE, None, "Device").data["device"])
