"""SCE 2.0 refinements of the port's errors: one class per FDM error code, with the code and extensions.

They subclass the generation-neutral classes of :mod:`sce.fiscal.errors`, so the POS may catch either.
"""

from __future__ import annotations

from typing import Any

from sce.fiscal.errors import (
    FiscalError,
    FiscalRefusedError,
    InvalidFiscalRequestError,
    MemoryFullError,
    NotOperationalError,
    UserAction,
)


class FdmInvalidRequestError(InvalidFiscalRequestError):
    """Invalid input (``INVALID_REQUEST`` or a GraphQL error without code): never re-sent unchanged."""

    def __init__(self, message: str, *, code: str = "", field: str = "", rule: str = "") -> None:
        super().__init__(message, code=code)
        self.field = field
        self.rule = rule


class FdmRefusedError(FiscalRefusedError):
    """The FDM refused the event with an error code; nothing was signed."""

    def __init__(self, message: str, *, code: str = "", extensions: dict[str, Any] | None = None) -> None:
        super().__init__(message, code=code)
        self.extensions = extensions or {}


class BufferFullError(FdmRefusedError):
    reason = "buffer_full"
    action = UserAction.UPLOAD_BUFFER


class FdmLockedError(FdmRefusedError):
    reason = "fdm_locked"


class UnknownPosError(FdmRefusedError):
    reason = "unknown_pos"


class UnauthorizedError(FdmRefusedError):
    reason = "unauthorized"


class DuplicateRequestError(FdmRefusedError):
    """Same identity (pos, terminal, ticket number, operation, training) as a signed event, other data."""

    reason = "duplicate_request"
    action = UserAction.NONE


class FdmNotOperationalError(NotOperationalError):
    pass


class FdmMemoryError(MemoryFullError):
    pass


_BY_CODE: dict[str, type[FiscalError]] = {
    "BUFFER_FULL": BufferFullError,
    "FDM_LOCKED": FdmLockedError,
    "UNKNOWN_POS": UnknownPosError,
    "UNAUTHORIZED": UnauthorizedError,
    "DUPLICATE_REQUEST": DuplicateRequestError,
    "FDM_NOT_OPERATIONAL": FdmNotOperationalError,
    "TOO_MANY_MEMORY_ERRORS": FdmMemoryError,
}


def error_from_graphql(error: dict[str, Any]) -> FiscalError:
    """The typed error for one entry of a GraphQL ``errors`` list."""
    message = str(error.get("message", "FDM error"))
    extensions = error.get("extensions") or {}
    code = str(extensions.get("code") or "")
    if not code or code == "INVALID_REQUEST":
        data = {str(item.get("name")): str(item.get("value")) for item in extensions.get("data") or []}
        return FdmInvalidRequestError(
            message, code=code, field=data.get("field", ""), rule=data.get("rule", "")
        )
    cls = _BY_CODE.get(code)
    if cls is None:
        return FdmRefusedError(message, code=code, extensions=extensions)
    if issubclass(cls, FdmRefusedError):
        return cls(message, code=code, extensions=extensions)
    return cls(message, code=code)
