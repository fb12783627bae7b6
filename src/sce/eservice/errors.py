"""The e-service's typed errors: each names the field and the rule it broke; the edge maps them to HTTP."""

from __future__ import annotations

from sce.domain.errors import DomainError


class EserviceError(DomainError):
    """A broken rule of the e-service; ``status`` is the HTTP status the edge answers with."""

    status = 422


class InvalidInputError(EserviceError):
    status = 422


class NotFoundError(EserviceError):
    status = 404


class ForbiddenError(EserviceError):
    status = 403


class NotLoggedInError(EserviceError):
    status = 401


class ConflictError(EserviceError):
    status = 409


def as_json(error: DomainError) -> dict[str, str]:
    """The error as the API returns it: field, rule and a sentence that says both."""
    message = f"{error.field}: {error.detail or error.rule}"
    return {"field": error.field, "rule": error.rule, "message": message}
