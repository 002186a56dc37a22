"""Invitations (owners only). Members themselves: GET/POST/DELETE /assistants/{slug}/members."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from ninja import Router, Status

from studio.accounts import services
from studio.accounts.models import Invitation
from studio.accounts.permissions import CAN_MANAGE
from studio.accounts.schemas import InvitationIn, InvitationIssuedOut, InvitationOut
from studio.accounts.selectors import invitation_list_for_user
from studio.assistants.schemas import ErrorOut
from studio.assistants.selectors import assistant_get_for_user

router = Router(tags=["members"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _invitation_out(invitation: Invitation, role: str) -> dict:
    return {"id": invitation.pk, "username": invitation.user.get_username(), "email": invitation.user.email,
            "role": role, "method": invitation.method, "created_at": invitation.created_at,
            "invited_by": invitation.invited_by.get_username() if invitation.invited_by else None,
            "expires_at": invitation.expires_at, "expired": invitation.is_expired}


@router.get("/{slug}/invitations", response={200: list[InvitationOut], **ERRORS})
def invitation_list_route(request: HttpRequest, slug: str):
    """Invitations whose person has not set a password yet, expired ones included."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_MANAGE)
    return [_invitation_out(i, i.role) for i in invitation_list_for_user(request.user, assistant)]


@router.post("/{slug}/invitations", response={201: InvitationIssuedOut, **ERRORS})
def invitation_create_route(request: HttpRequest, slug: str, payload: InvitationIn, response: HttpResponse):
    """Add an existing account, or create one with a one-time link or a temporary password (shown once)."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_MANAGE)
    issued = services.invitation_create(user=request.user, assistant=assistant, **payload.dict())
    add_never_cache_headers(response)  # the secret must not outlive this response
    invitation, role = issued.invitation, issued.membership.role
    return Status(201, {"username": issued.membership.user.get_username(), "role": role,
                        "added": invitation is None, "temporary_password": issued.temporary_password or None,
                        "link": request.build_absolute_uri(issued.link_path) if issued.link_path else None,
                        "invitation": _invitation_out(invitation, role) if invitation else None})


@router.delete("/{slug}/invitations/{invitation_id}", response={204: None, **ERRORS})
def invitation_revoke_route(request: HttpRequest, slug: str, invitation_id: int):
    """Withdraw it: the membership goes, and the new account too unless another assistant uses it."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_MANAGE)
    services.invitation_revoke(user=request.user, assistant=assistant, invitation_id=invitation_id)
    return Status(204, None)
