"""The demo assistant: the Rasa project in demo/, read by the exchange's own importer.

Going through `assistant_import` gives the demo its SourceFiles, so its export is the project
byte for byte and an edit lands where the project keeps that kind of item (its `domain.yml`).
"""
from __future__ import annotations

from pathlib import Path

from django.db import transaction

from studio.accounts.models import Membership, Role
from studio.assistants import services
from studio.assistants.models import Assistant, CustomAction
from studio.core.yaml import parse_mapping
from studio.exchange.services import assistant_import
from studio.tryit.mock_services import action_mock_save

# The directory demo/ holds the Rasa project; this module (demo.py) is only its loader.
DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_MOCKS = Path(__file__).resolve().parent / "demo_mocks.yml"  # outside demo/: not a project file
DEMO_SLUG = "corner-cafe"
DEMO_NAME = "Corner Café"
DEMO_DESCRIPTION = "Demo: order a drink, check loyalty points, opening hours and feedback."


@transaction.atomic
def demo_assistant_load(*, user, project: Path = DEMO_DIR) -> tuple[Assistant, bool]:
    """The demo assistant, created from the project on first call; `user` becomes its owner."""
    existing = Assistant.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        Membership.objects.get_or_create(user=user, assistant=existing, defaults={"role": Role.OWNER})
        return existing, False
    assistant = services.assistant_create(user=user, name=DEMO_NAME, language="en",
                                          description=DEMO_DESCRIPTION, slug=DEMO_SLUG)
    assistant_import(user=user, source=project, assistant=assistant)
    if project == DEMO_DIR:
        _mocks_load(user, assistant)
    assistant.refresh_from_db()
    return assistant, True


def _mocks_load(user, assistant: Assistant) -> None:
    """The demo's action mocks, so a fresh studio completes its flows in try-it without an action server."""
    for name, mock in parse_mapping(DEMO_MOCKS.read_text(encoding="utf-8"), file=DEMO_MOCKS.name).items():
        action = CustomAction.objects.get(assistant=assistant, name=name)
        action_mock_save(user=user, assistant=assistant, name=name, mock=mock, revision=action.revision)
