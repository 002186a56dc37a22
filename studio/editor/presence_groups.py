"""Channel-layer group names of presence and the "saved" announcement; defined once for senders and consumers.

No Django models here: the content services import this module to announce saves.
"""
from __future__ import annotations

import hashlib
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

KINDS = ("flows", "responses")


def presence_group_name(assistant_id: int, kind: str, name: str | None = None) -> str:
    """The group of one open flow or response, or (name None) of the page listing them.

    Rasa names may hold any text (`utter_faq/ask_price`) and group names only [A-Za-z0-9._-] under
    100 characters, so the name goes in hashed.
    """
    if name is None:
        return f"presence.{assistant_id}.{kind}"
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return f"presence.{assistant_id}.{kind}.{digest}"


def announce_saved(*, assistant, kind: str, name: str, revision: int, user) -> None:
    """After the commit, tell everyone who has the item (or its list) open that a revision was saved."""
    event = {"type": "presence.saved", "kind": kind, "name": name, "revision": revision,
             "by": user.get_username() if user else None}
    groups = (presence_group_name(assistant.pk, kind, name), presence_group_name(assistant.pk, kind))

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            for group in groups:
                async_to_sync(layer.group_send)(group, event)
        except Exception:  # noqa: BLE001 - a save is done; a layer that is down must not turn it into an error
            logger.warning("could not announce the save of %s %r", kind, name, exc_info=True)

    transaction.on_commit(send)
