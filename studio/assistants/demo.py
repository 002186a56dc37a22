"""A small loader for the demo project in demo/ (the exchange app offers the full importer)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from studio.accounts.models import Membership, Role
from studio.assistants import services
from studio.assistants.models import Assistant
from studio.core.yaml import parse_mapping

# The directory demo/ holds the Rasa project; this module (demo.py) is only its loader.
DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_SLUG = "corner-cafe"
DEMO_NAME = "Corner Café"
DEMO_DESCRIPTION = "Demo: order a drink, check loyalty points, opening hours and feedback."


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _flow_files(project: Path) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted((project / "data").rglob("*.y*ml")):
        relative = str(path.relative_to(project))
        content = parse_mapping(_read(path), file=relative)
        if "flows" in content:
            found.append((relative, content["flows"] or {}))
    return found


@transaction.atomic
def demo_assistant_load(*, user, project: Path = DEMO_DIR) -> tuple[Assistant, bool]:
    """The demo assistant, created from the project on first call; `user` becomes its owner."""
    existing = Assistant.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        Membership.objects.get_or_create(user=user, assistant=existing, defaults={"role": Role.OWNER})
        return existing, False
    assistant = services.assistant_create(user=user, name=DEMO_NAME, language="en",
                                          description=DEMO_DESCRIPTION, slug=DEMO_SLUG)
    assistant.config_yaml = _read(project / "config.yml")
    assistant.endpoints_yaml = _read(project / "endpoints.yml")
    assistant.credentials_yaml = _read(project / "credentials.yml")
    assistant.save(update_fields=["config_yaml", "endpoints_yaml", "credentials_yaml"])

    domain = parse_mapping(_read(project / "domain.yml"), file="domain.yml")
    for name, definition in (domain.get("slots") or {}).items():
        services.slot_save(user=user, assistant=assistant, name=name, data=definition, revision=None,
                           source_path="domain.yml")
    for name, variations in (domain.get("responses") or {}).items():
        services.response_save(user=user, assistant=assistant, name=name, variations=variations, revision=None,
                               source_path="domain.yml")
    for entry in domain.get("actions") or []:
        name, definition = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        services.custom_action_create(user=user, assistant=assistant, name=name, definition=definition,
                                      source_path="domain.yml")
    for path, flows in _flow_files(project):
        for flow_id, body in flows.items():
            services.flow_create(user=user, assistant=assistant, flow_id=flow_id, data=body, source_path=path)
    return assistant, True
