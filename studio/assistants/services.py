"""Every write to assistant content; pages, API, tasks and commands all call these."""
from __future__ import annotations

import functools
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils.text import slugify

from studio.accounts.models import Membership, Role
from studio.accounts.permissions import (
    CAN_EDIT_ACTIONS,
    CAN_EDIT_FLOWS,
    CAN_EDIT_RESPONSES,
    CAN_EDIT_SLOTS,
    CAN_MANAGE,
    require_role,
)
from studio.assistants.defaults import DEFAULT_CREDENTIALS_YAML, DEFAULT_ENDPOINTS_YAML, default_config_yaml
from studio.assistants.models import Assistant, CustomAction, Flow, Response, Slot
from studio.assistants.validation import (
    LANGUAGE_RE,
    check_flow_body,
    check_flow_id,
    check_name,
    check_slot_definition,
    check_assistant_settings,
    check_no_nul,
    check_variations,
)
from studio.core.exceptions import EditConflict, NotFound, RevisionConflict, ValidationFailed
from studio.core.yaml import YamlProblem, parse_mapping
from studio.editor.merge import FLOW, merge_flow, merge_variations
from studio.editor.presence_groups import announce_saved
from studio.exchange.usage_index import refuse_if_used

NAME_MAX = Assistant._meta.get_field("name").max_length
SLUG_MAX = Assistant._meta.get_field("slug").max_length
_SLUG_ATTEMPTS = 5
ASSISTANT_EDITABLE = ("name", "language", "description", "config_yaml", "endpoints_yaml", "settings")


def _slug_base(name: str) -> str:
    return slugify(name)[:SLUG_MAX - 10] or "assistant"  # room for a suffix such as -2 or -3fa9c1


def _unique_slug(name: str) -> str:
    base = _slug_base(name)
    slug, counter = base, 2
    while Assistant.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _check_assistant_fields(*, name: Any, language: Any) -> tuple[str, str]:
    name = name.strip() if isinstance(name, str) else ""
    check_no_nul(name, ("name",))
    if not name:
        raise ValidationFailed.one("name", msg="Give the assistant a name")
    if len(name) > NAME_MAX:
        raise ValidationFailed.one("name", msg=f"at most {NAME_MAX} characters")
    language = language.strip() if isinstance(language, str) else ""
    if not LANGUAGE_RE.fullmatch(language):
        raise ValidationFailed.one("language", msg=f"{language!r} is not a language code such as en or pt-BR")
    return name, language


@transaction.atomic
def assistant_create(*, user, name: str, language: str = "en", description: str = "", slug: str = "") -> Assistant:
    """A new assistant with a starter config; the creator becomes its owner."""
    name, language = _check_assistant_fields(name=name, language=language)
    if slug:
        if slugify(slug) != slug or len(slug) > SLUG_MAX:
            raise ValidationFailed.one(
                "slug", msg=f"{slug!r} is not a slug (lowercase letters, digits, -; at most {SLUG_MAX} characters)")
        if Assistant.objects.filter(slug=slug).exists():
            raise ValidationFailed.one("slug", msg=f"an assistant with slug {slug!r} already exists")
    check_no_nul(description, ("description",))
    for attempt in range(_SLUG_ATTEMPTS):
        # A parallel creation can take the slug between the check and the insert; then try a
        # random suffix (a counter would collide again with everyone else who just lost the race).
        candidate = slug or (_unique_slug(name) if attempt == 0 else f"{_slug_base(name)}-{secrets.token_hex(3)}")
        try:
            with transaction.atomic():
                assistant = Assistant.objects.create(
                    slug=candidate, name=name, language=language, description=description or "",
                    config_yaml=default_config_yaml(assistant_id=candidate, language=language),
                    endpoints_yaml=DEFAULT_ENDPOINTS_YAML, credentials_yaml=DEFAULT_CREDENTIALS_YAML,
                )
        except IntegrityError:
            if slug:
                raise ValidationFailed.one("slug", msg=f"an assistant with slug {slug!r} already exists") from None
            continue
        Membership.objects.create(user=user, assistant=assistant, role=Role.OWNER)
        return assistant
    raise ValidationFailed.one("name", msg="too many assistants are being created with this name right now; try again")


@transaction.atomic
def assistant_update(*, user, assistant: Assistant, **changes: Any) -> Assistant:
    """Change name, language, description, config/endpoints YAML or studio settings; owners only.

    YAML must parse to a mapping (the error names the file and line); settings are merged so keys
    this form does not know survive.
    """
    require_role(user, assistant, *CAN_MANAGE)
    assistant = Assistant.objects.select_for_update().get(pk=assistant.pk)
    unknown = set(changes) - set(ASSISTANT_EDITABLE)
    if unknown:
        raise ValidationFailed.one(sorted(unknown)[0], msg="cannot be changed here")
    name, language = _check_assistant_fields(name=changes.get("name", assistant.name),
                                             language=changes.get("language", assistant.language))
    for field, file in (("config_yaml", "config.yml"), ("endpoints_yaml", "endpoints.yml")):
        if field in changes:
            try:
                parse_mapping(changes[field], file=file)
            except YamlProblem as exc:
                raise ValidationFailed.one(field, msg=str(exc)) from None
    if "settings" in changes:
        check_assistant_settings(changes["settings"])
        changes["settings"] = {**assistant.settings, **changes["settings"]}
    changes.update(name=name, language=language)
    for field, value in changes.items():
        setattr(assistant, field, value)
    assistant.revision += 1
    assistant.save()
    return assistant


def assistant_delete(*, user, assistant: Assistant) -> None:
    require_role(user, assistant, *CAN_MANAGE)
    assistant.delete()


def assistant_touch(assistant: Assistant) -> None:
    """Bump the assistant's revision so versions and try-it can tell content changed."""
    Assistant.objects.filter(pk=assistant.pk).update(revision=F("revision") + 1)


def _next_position(model, assistant: Assistant) -> int:
    highest = model.objects.filter(assistant=assistant).aggregate(m=Max("position"))["m"]
    return 0 if highest is None else highest + 1


def _locked(model, assistant: Assistant, **lookup):
    # select_for_update serialises concurrent saves so two editors cannot both pass the revision check.
    return model.objects.select_for_update().filter(assistant=assistant, **lookup).first()


def _named_row_for_save(model, assistant: Assistant, *, name: str, revision: int | None, source_path: str):
    """The slot or response a save writes: a new row (revision None) or the locked row, revision bumped.

    A stale revision is a conflict (409); creating a name that exists is a validation error.
    """
    kind = model._meta.verbose_name
    row = _locked(model, assistant, name=name)
    if row is None and revision is not None:
        raise NotFound(f"{kind.capitalize()} {name!r} not found in {assistant.slug!r}")
    if row is not None and revision != row.revision:
        if revision is None:
            raise ValidationFailed.one("name", msg=f"a {kind} named {name!r} already exists")
        raise RevisionConflict(row)
    if row is None:
        return model(assistant=assistant, name=name, position=_next_position(model, assistant),
                     source_path=source_path)
    row.revision += 1
    return row


def _merge_stale(row, *, label: str, place, merge, base, mine, resolutions, seen_revision):
    """Merge a stale save (`mine`, made from `base`) with what `row` got since; EditConflict when they overlap.

    `merge(base, theirs, mine, resolutions)` is the three-way merge; `place(key, result)` names a
    step or variation for people. Resolutions chosen while looking at another revision than the
    current one are not applied: the user is asked again with what is there now.
    """
    if base is None:
        raise RevisionConflict(row)
    theirs_by = row.updated_by.get_username() if row.updated_by else None
    theirs = row.to_rasa()
    result = merge(base, theirs, mine, resolutions if seen_revision == row.revision else None)
    who = theirs_by or "someone else"
    if result.conflicts:
        count = len(result.conflicts)
        where = "; ".join(f"{place(c.key, result)}, field {c.field}" for c in result.conflicts)
        raise EditConflict(row, f"{label} was changed by {who} (now at revision {row.revision}); {count} "
                                f"change{'s overlap' if count > 1 else ' overlaps'} yours: {where}",
                           {"base": base, "theirs": theirs, "mine": mine, "theirs_by": theirs_by,
                            "theirs_revision": row.revision, "conflicts": [c.as_dict() for c in result.conflicts]})
    theirs = [place(k, result) for k in result.theirs_changed]
    mine = [place(k, result) for k in result.mine_changed]
    message = f"Merged with {who}'s revision {row.revision}: they changed {', '.join(theirs) or 'nothing'}"
    note = {"theirs_revision": row.revision, "theirs_by": theirs_by,
            "theirs_changed": [result.label(k) for k in result.theirs_changed],
            "mine_changed": [result.label(k) for k in result.mine_changed],
            "message": f"{message}; you changed {', '.join(mine) or 'nothing'}."}
    return result.merged, note


def _flow_place(key: str, result) -> str:
    return "the flow settings" if key == FLOW else f"step {result.label(key)}"


# --- flows ----------------------------------------------------------------------------------------


@transaction.atomic
def flow_create(*, user, assistant: Assistant, flow_id: str, data: dict[str, Any] | None = None,
                source_path: str = "") -> Flow:
    require_role(user, assistant, *CAN_EDIT_FLOWS)
    check_flow_id(flow_id)
    data = data if data is not None else {"description": "", "steps": []}
    check_flow_body(data)
    if Flow.objects.filter(assistant=assistant, flow_id=flow_id).exists():
        raise ValidationFailed.one("flow_id", msg=f"a flow with id {flow_id!r} already exists")
    try:
        with transaction.atomic():
            flow = Flow.objects.create(
                assistant=assistant, flow_id=flow_id, position=_next_position(Flow, assistant),
                source_path=source_path, updated_by=user, **Flow.fields_from_rasa(data),
            )
    except IntegrityError:
        raise ValidationFailed.one("flow_id", msg=f"a flow with id {flow_id!r} already exists") from None
    assistant_touch(assistant)
    return flow


@transaction.atomic
def flow_save(*, user, assistant: Assistant, flow_id: str, data: dict[str, Any], revision: int,
              base: dict[str, Any] | None = None, resolutions: dict[str, str] | None = None,
              seen_revision: int | None = None) -> Flow:
    """Replace the flow body; `revision` is the one the client loaded.

    When it is stale and the client sent `base` (the body it loaded), the save is merged with what
    was saved since: changes to different steps or fields merge (`flow.merge_note` says what was
    merged), overlaps are an EditConflict (409) unless `resolutions` made while looking at
    `seen_revision` decide them. Without `base`, a stale revision is a plain 409.
    """
    require_role(user, assistant, *CAN_EDIT_FLOWS)
    flow = _locked(Flow, assistant, flow_id=flow_id)
    if flow is None:
        raise NotFound(f"Flow {flow_id!r} not found in {assistant.slug!r}")
    note = None
    if revision != flow.revision:
        check_flow_body(data)  # mine as sent, so problems point at the user's own body
        data, note = _merge_stale(
            flow, label=flow_id, place=_flow_place, base=base, mine=data, resolutions=resolutions,
            seen_revision=seen_revision, merge=functools.partial(merge_flow, flow_id=flow_id))
    check_flow_body(data)
    for field, value in Flow.fields_from_rasa(data).items():
        setattr(flow, field, value)
    flow.revision += 1
    flow.updated_by = user
    flow.save()
    flow.merge_note = note
    assistant_touch(assistant)
    announce_saved(assistant=assistant, kind="flows", name=flow_id, revision=flow.revision, user=user)
    return flow


@transaction.atomic
def flow_delete(*, user, assistant: Assistant, flow_id: str, revision: int | None = None) -> None:
    require_role(user, assistant, *CAN_EDIT_FLOWS)
    flow = _locked(Flow, assistant, flow_id=flow_id)
    if flow is None:
        raise NotFound(f"Flow {flow_id!r} not found in {assistant.slug!r}")
    if revision is not None and revision != flow.revision:
        raise RevisionConflict(flow)
    refuse_if_used(assistant, "flows", flow_id)
    flow.delete()
    assistant_touch(assistant)


@transaction.atomic
def flow_duplicate(*, user, assistant: Assistant, flow_id: str, new_flow_id: str) -> Flow:
    require_role(user, assistant, *CAN_EDIT_FLOWS)
    original = Flow.objects.filter(assistant=assistant, flow_id=flow_id).first()
    if original is None:
        raise NotFound(f"Flow {flow_id!r} not found in {assistant.slug!r}")
    body = original.to_rasa()
    if body.get("name"):
        body["name"] = f"{body['name']} (copy)"
    return flow_create(user=user, assistant=assistant, flow_id=new_flow_id, data=body)


# --- slots and responses --------------------------------------------------------------------------


@transaction.atomic
def slot_save(*, user, assistant: Assistant, name: str, data: dict[str, Any], revision: int | None,
              source_path: str = "") -> Slot:
    """Create the slot (revision None) or replace its definition (revision as loaded)."""
    require_role(user, assistant, *CAN_EDIT_SLOTS)
    if revision is None:  # a saved slot keeps the name it was imported or created with
        check_name(name, ("name",), "slot")
    check_slot_definition(data)
    slot = _named_row_for_save(Slot, assistant, name=name, revision=revision, source_path=source_path)
    slot.type = data["type"]
    slot.definition = dict(data)
    slot.updated_by = user
    slot.save()
    assistant_touch(assistant)
    return slot


@transaction.atomic
def slot_delete(*, user, assistant: Assistant, name: str) -> None:
    require_role(user, assistant, *CAN_EDIT_SLOTS)
    if Slot.objects.filter(assistant=assistant, name=name).exists():
        refuse_if_used(assistant, "slots", name)
    if not Slot.objects.filter(assistant=assistant, name=name).delete()[0]:
        raise NotFound(f"Slot {name!r} not found in {assistant.slug!r}")
    assistant_touch(assistant)


@transaction.atomic
def response_save(*, user, assistant: Assistant, name: str, variations: list[dict[str, Any]],
                  revision: int | None, source_path: str = "", base: list[dict[str, Any]] | None = None,
                  resolutions: dict[str, str] | None = None, seen_revision: int | None = None) -> Response:
    """Create the response (revision None) or replace its variations (revision as loaded).

    A stale revision with `base` (the variations the client loaded) merges by variation and field,
    as flow_save does.
    """
    require_role(user, assistant, *CAN_EDIT_RESPONSES)
    if revision is None:  # a saved response keeps the name it was imported or created with
        check_name(name, ("name",), "response")
    check_variations(variations)
    note = None
    try:
        response = _named_row_for_save(Response, assistant, name=name, revision=revision, source_path=source_path)
    except RevisionConflict as exc:
        if revision is None:
            raise
        response = exc.current
        variations, note = _merge_stale(
            response, label=name, place=lambda key, _: f"variation {int(key) + 1}", base=base, mine=variations,
            resolutions=resolutions, seen_revision=seen_revision, merge=merge_variations)
        check_variations(variations)
        response.revision += 1
    response.variations = list(variations)
    response.updated_by = user
    response.save()
    response.merge_note = note
    assistant_touch(assistant)
    announce_saved(assistant=assistant, kind="responses", name=name, revision=response.revision, user=user)
    return response


@transaction.atomic
def response_delete(*, user, assistant: Assistant, name: str) -> None:
    require_role(user, assistant, *CAN_EDIT_RESPONSES)
    if Response.objects.filter(assistant=assistant, name=name).exists():
        refuse_if_used(assistant, "responses", name)
    if not Response.objects.filter(assistant=assistant, name=name).delete()[0]:
        raise NotFound(f"Response {name!r} not found in {assistant.slug!r}")
    assistant_touch(assistant)


# --- custom actions -------------------------------------------------------------------------------


@transaction.atomic
def custom_action_create(*, user, assistant: Assistant, name: str, definition: dict[str, Any] | None = None,
                         source_path: str = "") -> CustomAction:
    require_role(user, assistant, *CAN_EDIT_ACTIONS)
    check_name(name, ("name",), "action")
    if definition is not None and not isinstance(definition, dict):
        raise ValidationFailed.one("definition", msg="must be a mapping such as {send_domain: true}")
    if CustomAction.objects.filter(assistant=assistant, name=name).exists():
        raise ValidationFailed.one("name", msg=f"an action named {name!r} already exists")
    action = CustomAction.objects.create(assistant=assistant, name=name, definition=definition or None,
                                         position=_next_position(CustomAction, assistant), source_path=source_path)
    assistant_touch(assistant)
    return action


@transaction.atomic
def custom_action_delete(*, user, assistant: Assistant, name: str) -> None:
    require_role(user, assistant, *CAN_EDIT_ACTIONS)
    if CustomAction.objects.filter(assistant=assistant, name=name).exists():
        refuse_if_used(assistant, "actions", name)
    if not CustomAction.objects.filter(assistant=assistant, name=name).delete()[0]:
        raise NotFound(f"Action {name!r} not found in {assistant.slug!r}")
    assistant_touch(assistant)
