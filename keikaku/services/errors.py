"""Domain errors raised by use cases."""

from __future__ import annotations

from keikaku.core.validation import Problem


class ServiceError(Exception):
    """Base class: a use case refused or failed in a way the user can act on."""

    exit_code = 2
    http_status = 400
    item: int | None = None  # a batch use case (progress_save_many): which entry failed


class NotFound(ServiceError):
    exit_code = 3
    http_status = 404


class PermissionDenied(ServiceError):
    exit_code = 4
    http_status = 403
    action: str | None = None  # the refused action of keikaku.services.people (pages explain it in words)


class Conflict(ServiceError):
    """A stale write: the record changed since it was read."""

    exit_code = 5
    http_status = 409


class InvalidDocument(ServiceError):
    """A plan document failed validation; carries every problem with its JSON path."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s): " + "; ".join(str(p) for p in errors[:3]))
