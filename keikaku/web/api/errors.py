"""The error answers of every API operation, declared in its OpenAPI entry.

Every error body is ``{"detail": ...}``: a message (Japanese / English) for 400, 401, 403, 404 and 409, the
list of problems (pydantic's: type, loc, msg) for 422. :func:`declare_error_responses` adds them to each
operation of the API by what the operation can answer, so an endpoint added later is covered too:

- every operation: 422 (a parameter or body that does not fit its schema);
- a path with an id: 404 (unknown, or not visible to the caller);
- an operation that takes a token: 401 (a token was sent but is unknown, expired or revoked);
- a write (PUT / POST / PATCH / DELETE): also 400 (refused input), 403 (not allowed), 404 and 409 (the
  record changed since the ``revision`` that was read).
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer

WRITES = {"PUT", "POST", "PATCH", "DELETE"}


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """pydantic's list of problems, or one message for a value checked after parsing (an unknown 重点分野)."""

    detail: list[dict[str, Any]] | str


def error_statuses(path: str, methods: list[str], *, token: bool) -> set[int]:
    statuses = {422}
    if "{" in path:
        statuses.add(404)
    if token:
        statuses.add(401)
    if WRITES & set(methods):
        statuses |= {400, 401, 403, 404, 409}
    return statuses


def declare_error_responses(api: NinjaAPI) -> None:
    """Add the error answers to every operation of ``api`` (call it after the last ``add_router``)."""
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                auth = op.auth_callbacks or []
                token = any(isinstance(a, HttpBearer) for a in auth)
                for status in sorted(error_statuses(path, op.methods, token=token)):
                    if status not in op.response_models:
                        model = ValidationErrorOut if status == 422 else ErrorOut
                        op.response_models[status] = op._create_response_model(model)
