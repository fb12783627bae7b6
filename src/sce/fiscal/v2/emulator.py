"""The FDM 2.0 emulator as an ASGI app: ``POST /graphql`` and ``POST /{fdmId}/graphql``, plus admin routes.

GraphQL documents are parsed and validated by graphql-core (and cached per query text); the answers are
standard GraphQL JSON. HTTP status: 200 for GraphQL results, 400 for unparsable JSON or a syntax error,
401 for ``UNAUTHORIZED``. ``GET /health`` is a trivial endpoint (benchmark floor); ``/_emulator/faults``
reads (GET) or changes (POST, JSON) the fault settings; ``/_emulator/state`` shows counters and buffer.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSyntaxError, execute_sync, parse, validate

from sce.fiscal.v2 import messages
from sce.fiscal.v2.auth import AuthMode, check_request
from sce.fiscal.v2.faults import Faults
from sce.fiscal.v2.fdm import Fdm
from sce.fiscal.v2.schema import SCHEMA, RequestContext

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
_CACHE_SIZE = 256


class EmulatorApp:
    """ASGI callable around one :class:`~sce.fiscal.v2.fdm.Fdm`."""

    def __init__(self, fdm: Fdm, auth: AuthMode = AuthMode.FDM_SHA1, secret: str = "") -> None:
        if auth is not AuthMode.NONE and not secret:
            raise ValueError(f"auth mode {auth.value} needs a secret")
        self.fdm = fdm
        self.auth = auth
        self.secret = secret
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        method: str = scope["method"]
        body = await _read_body(receive)
        if path == "/health":
            await _json(send, 200, {"ok": True})
        elif path.endswith("/graphql") and path in ("/graphql", f"/{self.fdm.config.fdm_id}/graphql"):
            if method != "POST":
                await _json(send, 405, {"errors": [{"message": "use POST with a JSON body"}]})
                return
            await self._graphql(scope, receive, send, body)
        elif path == "/_emulator/faults":
            await self._faults(method, body, send)
        elif path == "/_emulator/state":
            await _json(send, 200, self.fdm.snapshot())
        else:
            await _json(send, 404, {"errors": [{"message": f"no route {path}"}]})

    async def _faults(self, method: str, body: bytes, send: Send) -> None:
        if method == "POST":
            try:
                changes = json.loads(body or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("the body must be a JSON object of fault settings")
                if changes.pop("clear", False):
                    self.fdm.apply_faults(Faults().as_dict())
                self.fdm.apply_faults(changes)
            except ValueError as error:
                await _json(send, 400, {"error": str(error)})
                return
        await _json(send, 200, self.fdm.faults.as_dict())

    async def _graphql(self, scope: Scope, receive: Receive, send: Send, body: bytes) -> None:
        faults = self.fdm.faults
        if faults.unreachable:
            await _wait_disconnect(receive)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        header_language = messages.language_of(headers.get("accept-language"))
        problem = check_request(self.auth, self.secret, headers, body)
        if problem is not None:
            text, extensions = messages.error_message(
                "UNAUTHORIZED", header_language, self.fdm.config.fdm_id, data=(("reason", problem),)
            )
            await _json(send, 401, {"errors": [{"message": text, "extensions": extensions}]})
            return
        try:
            request = json.loads(body)
            if not isinstance(request, dict) or not isinstance(request.get("query"), str):
                raise ValueError("the body must be a JSON object with a string 'query'")
            variables = request.get("variables")
            operation_name = request.get("operationName")
            if variables is not None and not isinstance(variables, dict):
                raise ValueError("'variables' must be a JSON object")
            if operation_name is not None and not isinstance(operation_name, str):
                raise ValueError("'operationName' must be a string")
        except ValueError as error:
            await _json(send, 400, {"errors": [{"message": f"unreadable request: {error}"}]})
            return
        document, errors = self._document(request["query"])
        if document is None:
            status = 400 if errors and isinstance(errors[0], GraphQLSyntaxError) else 200
            await _json(send, status, {"errors": [error.formatted for error in errors]})
            return
        context = RequestContext(self.fdm, header_language)
        result = execute_sync(
            SCHEMA, document, variable_values=variables, operation_name=operation_name, context_value=context
        )
        if faults.slow_ms:  # the FDM did its work; the answer is late (a client may give up meanwhile)
            await asyncio.sleep(faults.slow_ms / 1000)
        await _json(send, 200, result.formatted)

    def _document(self, query: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
        cached = self._documents.get(query)
        if cached is not None:
            self._documents.move_to_end(query)
            return cached, []
        try:
            document = parse(query)
        except GraphQLSyntaxError as error:
            return None, [error]
        errors = validate(SCHEMA, document)
        if errors:
            return None, list(errors)
        self._documents[query] = document
        if len(self._documents) > _CACHE_SIZE:
            self._documents.popitem(last=False)
        return document, []


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _wait_disconnect(receive: Receive) -> None:
    """Answer nothing, as a device that is not there: wait until the client gives up."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def _json(send: Send, status: int, payload: Any) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
