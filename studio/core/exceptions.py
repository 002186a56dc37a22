"""Domain exceptions raised by services and selectors; the API and the pages map them to HTTP."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class DomainError(Exception):
    """Root of every error a service may raise on purpose."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """The object is in a state that does not allow this operation."""

    status = 409


class ServiceUnavailable(DomainError):
    """A service the operation needs (the task broker, ...) cannot be reached; trying later may work."""

    status = 503


class RevisionConflict(DomainError):
    """Someone saved the object since the client loaded it; `current` is the saved object."""

    status = 409

    def __init__(self, current: Any, message: str | None = None) -> None:
        super().__init__(message or f"{current} was changed by someone else (now at revision {current.revision})")
        self.current = current


class EditConflict(RevisionConflict):
    """A stale save whose changes overlap the saved ones; `details` has base, theirs, mine and the conflicts."""

    def __init__(self, current: Any, message: str, details: dict[str, Any]) -> None:
        super().__init__(current, message)
        self.details = details


@dataclass(frozen=True)
class Problem:
    """One validation problem: `loc` names the place (field, or file/flow/step path)."""

    loc: tuple[str | int, ...]
    msg: str

    def as_dict(self) -> dict[str, Any]:
        return {"loc": list(self.loc), "msg": self.msg}


class ValidationFailed(DomainError):
    status = 422

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, p.loc))}: {p.msg}" for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, *loc: str | int, msg: str) -> ValidationFailed:
        return cls([Problem(tuple(loc), msg)])
