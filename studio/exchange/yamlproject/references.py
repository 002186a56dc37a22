"""Rename or remove a flow, slot, response or action and every reference to it (found by `usages`)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from .content import ACTIONS, RESPONSES, SLOTS, Item, ProjectContent
from .files import KIND_E2E
from .usages import Project, Usage, find, flow_steps


def _rename_key(items: dict[str, Item], old: str, new: str) -> dict[str, Item]:
    if old not in items:
        raise KeyError(old)
    if new in items:
        raise ValueError(f"'{new}' already exists")
    renamed = {}
    for name, item in items.items():
        if name == old:
            item.name = new
            renamed[new] = item
        else:
            renamed[name] = item
    return renamed


@dataclass
class Edit:
    """A rename or a removal worked out over a copy of the project; nothing is saved."""

    content: ProjectContent
    files: dict[str, str] = field(default_factory=dict)  # verbatim files rewritten: {path: text}
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, old, new), cascades included
    code: list[Usage] = field(default_factory=list)  # custom action code still naming it (never edited)
    left: list[Usage] = field(default_factory=list)  # references a removal cannot take out
    found: list[Usage] = field(default_factory=list)  # every usage of the removed item


# A slot's question follows the slot: utter_ask_<slot> and action_ask_<slot> are found by name.
_ASKED_BY = ((RESPONSES, "utter_ask_"), (ACTIONS, "action_ask_"))


def _cascade(content: ProjectContent, kind: str, old: str, new: str) -> list[tuple[str, str, str]]:
    renames = [(kind, old, new)]
    if kind == SLOTS:
        for ask_kind, prefix in _ASKED_BY:
            items = content.of(ask_kind)
            if prefix + old in items and prefix + new not in items:
                renames.append((ask_kind, prefix + old, prefix + new))
    return renames


def _keep_question(content: ProjectContent, old: str) -> None:
    """utter_ask_<old> could not follow the rename (the new name is taken): collects keep asking with it."""
    for flow in content.flows.values():
        for step, _, _ in flow_steps(flow.name, flow.body.get("steps") if isinstance(flow.body, dict) else None):
            if step.get("collect") == old and "utter" not in step:
                step["utter"] = f"utter_ask_{old}"


def rename_in_project(content: ProjectContent, texts: dict[str, tuple[str, str]],
                      kind: str, old: str, new: str) -> Edit:
    """Rename `old` to `new` in a copy of `content` and in the verbatim files `texts` ({path: (kind, text)})."""
    project = Project(copy.deepcopy(content), texts)
    if old not in project.content.of(kind):
        raise KeyError(old)
    if new in project.content.of(kind):
        raise ValueError(f"'{new}' already exists")
    edit = Edit(project.content, renamed=_cascade(project.content, kind, old, new))
    if kind == SLOTS and f"utter_ask_{old}" in content.responses and all(k != RESPONSES for k, _, _ in edit.renamed):
        _keep_question(project.content, old)
    for k, o, n in edit.renamed:
        setattr(project.content, k, _rename_key(project.content.of(k), o, n))
        for site in find(project, k, o):
            if site.usage.code:
                edit.code.append(site.usage)
            elif site.rename is not None:
                site.rename(n)
    edit.files = project.dumped()
    return edit


def remove_from_project(content: ProjectContent, texts: dict[str, tuple[str, str]], kind: str, name: str) -> Edit:
    """Delete item `name` and take out every reference that can go; the rest is in `left`."""
    project = Project(copy.deepcopy(content), texts)
    project.content.of(kind).pop(name)
    edit = Edit(project.content)
    for site in find(project, kind, name):
        edit.found.append(site.usage)
        if site.usage.code:
            edit.code.append(site.usage)
        elif site.remove is not None and site.usage.removable:
            site.remove()
        else:
            edit.left.append(site.usage)
    edit.files = project.dumped()
    return edit


def rename(content: ProjectContent, kind: str, old: str, new: str) -> ProjectContent:
    """Return a copy of `content` with `old` renamed to `new` wherever it is referenced."""
    return rename_in_project(content, {}, kind, old, new).content


def rename_in_test_file(text: str, kind: str, old: str, new: str) -> str | None:
    """The e2e test file with the item renamed (edited in place), or None when it does not mention it."""
    project = Project(ProjectContent(), {"test.yml": (KIND_E2E, text)})
    sites = [s for s in find(project, kind, old) if s.rename is not None]
    for site in sites:
        site.rename(new)
    return project.dumped()["test.yml"] if sites else None
