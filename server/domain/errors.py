"""Domain errors: each carries a stable snake_case code that transports map to a 4xx answer."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the queue was broken; `code` is stable, `message` is for people (Bahasa Indonesia)."""

    status = 409

    def __init__(self, code: str, message: str, **details: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class NotFound(DomainError):
    """The thing named does not exist (unknown service, counter, ticket)."""

    status = 404


class Refused(DomainError):
    """The request is well-formed but the queue cannot take it now (closed, quota, break)."""

    status = 409


class IllegalTransition(DomainError):
    """A ticket was asked to move to a state its current state does not allow."""

    status = 409

    def __init__(self, number: str, current: str, action: str) -> None:
        super().__init__(
            "illegal_transition",
            f"Antrean {number} berstatus '{current}', tidak bisa '{action}'.",
            current=current,
            action=action,
        )


class Invalid(DomainError):
    """A value does not have the form the rule needs (a field that is wrong, not a state that forbids it)."""

    status = 422


class Forbidden(DomainError):
    """The actor may not do this here (e.g. a clerk at a counter not assigned to them)."""

    status = 403
