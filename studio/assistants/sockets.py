"""What every studio WebSocket does first: authenticate, then check the user's role on the assistant."""
from __future__ import annotations

from channels.db import database_sync_to_async

from studio.accounts import password_gate
from studio.assistants.selectors import assistant_get_for_user
from studio.core.exceptions import DomainError, Forbidden

# Close codes in the 4000 range mirror HTTP statuses so the browser can tell why.
CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND = 4401, 4403, 4404


async def socket_assistant(consumer, *roles: str):
    """The assistant named by the route's `slug` when the socket's user holds one of `roles`; else None, closed.

    An outsider gets 4404 as on the pages (the assistant's existence is not revealed); a user who
    must change a temporary password first gets 4403.
    """
    user = consumer.scope.get("user")
    if user is None or not user.is_authenticated:
        await consumer.close(code=CLOSE_UNAUTHENTICATED)
        return None
    if await database_sync_to_async(password_gate.change_required)(consumer.scope["session"]):
        await consumer.close(code=CLOSE_FORBIDDEN)
        return None
    try:
        return await database_sync_to_async(assistant_get_for_user)(
            user, consumer.scope["url_route"]["kwargs"]["slug"], *roles)
    except DomainError as exc:
        await consumer.close(code=CLOSE_FORBIDDEN if isinstance(exc, Forbidden) else CLOSE_NOT_FOUND)
        return None
