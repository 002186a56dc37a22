"""Domain errors of accounts that the shared ones do not cover."""
from studio.core.exceptions import DomainError


class InvitationExpired(DomainError):
    """The invitation was real but its time is up; only a new one helps."""

    status = 410
