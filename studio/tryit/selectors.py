"""Reading stored try-it conversations, with the role checks the pages, the socket and the e2e export share."""
from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from studio.accounts.permissions import CAN_MANAGE, CAN_TRY, require_role
from studio.assistants.models import Assistant
from studio.core.exceptions import NotFound, ValidationFailed
from studio.core.ids import id_from_text
from studio.tryit.models import Conversation, ConversationTurn
from studio.tryit.overlay import path_taken


def conversation_list_for_user(user, assistant: Assistant) -> QuerySet[Conversation]:
    """Everyone lists their own conversations; the assistant's owners list everyone's."""
    role = require_role(user, assistant, *CAN_TRY)
    conversations = Conversation.objects.filter(assistant=assistant).select_related("user", "version").defer("state")
    return conversations if role in CAN_MANAGE else conversations.filter(user=user)


def conversation_view_for_user(user, assistant: Assistant, conversation_id: Any) -> Conversation:
    """A conversation the user may look at (their own, or anyone's for an owner); else not found."""
    pk = id_from_text(str(conversation_id))
    conversation = None
    if pk is not None:
        conversation = conversation_list_for_user(user, assistant).filter(pk=pk).first()
    if conversation is None:
        raise NotFound(f"Conversation {conversation_id!r} not found")
    conversation.assistant = assistant  # the checked instance: no second read
    return conversation


def conversation_latest_for_user(user, assistant: Assistant) -> Conversation | None:
    """The user's most recently used conversation on the assistant (what a bare try-it URL resumes)."""
    require_role(user, assistant, *CAN_TRY)
    return Conversation.objects.filter(assistant=assistant, user=user).only("id").order_by("-updated_at", "-id").first()


def turn_dicts(conversation: Conversation, *, upto: int | None = None) -> list[dict[str, Any]]:
    """The stored turn dicts of a conversation, oldest first (the inspector's timeline)."""
    turns = ConversationTurn.objects.filter(conversation=conversation).order_by("index")
    if upto is not None:
        turns = turns.filter(index__lte=upto)
    return [turn.data for turn in turns.only("data")]


def conversation_turns_for_user(user, conversation: Conversation) -> list[dict[str, Any]]:
    """The ordered turns of a conversation the user may see, shaped for exporting (e2e tests).

    Each item: index, kind ("start", "message" or "slots"), user_text, bot (messages with text,
    response, buttons, custom, image), events (the engine's inspector events), slots (all but
    Rasa's bookkeeping slots, after the turn), changed_slots, commands, flows (lifecycle items like
    "started:buy"), stubbed (actions run without a server), error.
    """
    conversation = conversation_view_for_user(user, conversation.assistant, conversation.pk)
    items = []
    for turn in ConversationTurn.objects.filter(conversation=conversation).order_by("index"):
        data = turn.data
        items.append({
            "index": turn.index, "kind": turn.kind, "user_text": turn.user_text,
            "bot": data.get("messages") or [], "events": data.get("events") or [],
            "slots": data.get("slots") or {}, "changed_slots": data.get("changed_slots") or {},
            "commands": data.get("commands") or [], "flows": data.get("flows") or [],
            "stubbed": data.get("stubbed") or [], "error": data.get("error"),
        })
    return items


def conversation_path_for_user(user, assistant: Assistant, conversation_id: Any, upto: Any, flow_id: str) -> list[str]:
    """The steps of `flow_id` a conversation the user may see passed through, up to turn `upto`."""
    conversation = conversation_view_for_user(user, assistant, conversation_id)
    index = id_from_text(str(upto))
    if index is None:
        raise ValidationFailed.one("turn", msg=f"must be a turn number (got {upto!r})")
    return path_taken(turn_dicts(conversation, upto=index), flow_id)
