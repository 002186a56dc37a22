"""What the studio models, read out of the project files: flows, slots, responses, actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import yamlio
from .files import KIND_DOMAIN, KIND_FLOWS, KIND_TRAINING, ProjectFile, ProjectFiles
from .problems import Problem

FLOWS, SLOTS, RESPONSES, ACTIONS = "flows", "slots", "responses", "actions"
KINDS = (FLOWS, SLOTS, RESPONSES, ACTIONS)


@dataclass
class Item:
    """One flow, slot, response or custom action in Rasa's own plain shape.

    `body` is the flow mapping, the slot mapping, the response's list of variations,
    or the action's options (None for a plain `- action_name` entry).
    """

    name: str
    body: Any
    source_path: str = ""
    position: int = 0
    line: int | None = None
    # The ruamel node it was read from, for line numbers in problems; never compared.
    node: Any = field(default=None, repr=False, compare=False)


@dataclass
class ProjectContent:
    flows: dict[str, Item] = field(default_factory=dict)
    slots: dict[str, Item] = field(default_factory=dict)
    responses: dict[str, Item] = field(default_factory=dict)
    actions: dict[str, Item] = field(default_factory=dict)
    # Responses that a data file's response of the same name replaces, as Rasa does: a domain
    # response, or one in a data file whose path sorts earlier.
    replaced: list[Item] = field(default_factory=list)

    def of(self, kind: str) -> dict[str, Item]:
        return getattr(self, kind)

    def flows_dict(self) -> dict[str, dict]:
        return {name: item.body for name, item in self.flows.items()}

    def domain_dict(self) -> dict:
        actions = [n if i.body is None else {n: i.body} for n, i in self.actions.items()]
        return {
            "slots": {n: i.body for n, i in self.slots.items()},
            "responses": {n: i.body for n, i in self.responses.items()},
            "actions": actions,
        }


def action_entry(entry: Any) -> tuple[str, Any] | None:
    """`- name` or `- name: {send_domain: true}` -> (name, options or None)."""
    if isinstance(entry, str):
        return entry, None
    if isinstance(entry, dict) and len(entry) == 1:
        (name, options), = entry.items()
        return str(name), yamlio.to_plain(options)
    return None


def _mapping_or_problem(doc: Any, key: str, file: ProjectFile, problems: list[Problem]) -> dict | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(Problem(f"'{key}' must be a mapping", file=file.path, line=yamlio.line_of(doc, key)))
        return None
    return value


def _top_mapping(file: ProjectFile, problems: list[Problem], located: bool) -> dict | None:
    if file.error is not None:
        problems.append(file.error)
        return None
    doc = file.doc if located else file.plain
    if doc is None:
        return None
    if not isinstance(doc, dict):
        problems.append(Problem("top level must be a mapping", file=file.path, line=1))
        return None
    return doc


def _add(items: dict[str, Item], item: Item, what: str, file: ProjectFile, problems: list[Problem],
         flow_id: str = "") -> None:
    if item.name in items:
        first = items[item.name]
        problems.append(Problem(
            f"duplicate {what} '{item.name}' (also defined in {first.source_path}:{first.line})",
            file=file.path, line=item.line, flow_id=flow_id))
        return
    items[item.name] = item


def read_flows(files: ProjectFiles, content: ProjectContent, problems: list[Problem], located: bool) -> None:
    for file in files.of_kind(KIND_FLOWS):
        doc = _top_mapping(file, problems, located)
        if doc is None:
            continue
        flows = _mapping_or_problem(doc, "flows", file, problems) or {}
        for position, (flow_id, body) in enumerate(flows.items()):
            line = yamlio.line_of(flows, flow_id)
            item = Item(str(flow_id), yamlio.to_plain(body), file.path, position, line, node=body if located else None)
            _add(content.flows, item, "flow id", file, problems, flow_id=str(flow_id))


def _read_domain_file(file: ProjectFile, content: ProjectContent, problems: list[Problem], located: bool) -> None:
    doc = _top_mapping(file, problems, located)
    if doc is None:
        return
    for kind, what in ((SLOTS, "slot"), (RESPONSES, "response")):
        mapping = _mapping_or_problem(doc, kind, file, problems) or {}
        for position, (name, body) in enumerate(mapping.items()):
            item = Item(str(name), yamlio.to_plain(body), file.path, position, yamlio.line_of(mapping, name))
            _add(content.of(kind), item, what, file, problems)
    actions = doc.get(ACTIONS)
    if actions is None:
        return
    if not isinstance(actions, list):
        problems.append(Problem("'actions' must be a list", file=file.path, line=yamlio.line_of(doc, ACTIONS)))
        return
    for position, entry in enumerate(actions):
        parsed = action_entry(entry)
        line = yamlio.line_of(actions, position)
        if parsed is None:
            problems.append(Problem("an action entry must be a name or a one-key mapping", file=file.path, line=line))
            continue
        name, options = parsed
        # Rasa merges duplicate action names silently; the studio keeps the first one.
        content.actions.setdefault(name, Item(name, options, file.path, position, line))


def read_domain(files: ProjectFiles, content: ProjectContent, problems: list[Problem], located: bool) -> None:
    """Merge domain.yml or every file under domain/, as Rasa does; duplicate slots/responses fail."""
    for file in files.of_kind(KIND_DOMAIN):
        _read_domain_file(file, content, problems, located)


def read_data_responses(files: ProjectFiles, content: ProjectContent, problems: list[Problem],
                        located: bool) -> None:
    """`responses:` in data files (flows or training data), which Rasa merges into the domain
    (`ResponsesSyncImporter`, with override): such a response replaces a domain response of the same
    name, and Rasa only warns; between data files, the later path wins silently (Rasa reads them in
    sorted order). Other keys of the domain (slots, actions) are not read from data files."""
    for file in sorted(files.of_kind(KIND_FLOWS) + files.of_kind(KIND_TRAINING), key=lambda f: f.path):
        if file.error is not None:
            continue  # reported once, by the flows reader or the YAML check
        doc = file.doc if located else file.plain
        if not isinstance(doc, dict) or doc.get(RESPONSES) is None:
            continue
        mapping = _mapping_or_problem(doc, RESPONSES, file, problems) or {}
        for position, (name, body) in enumerate(mapping.items()):
            item = Item(str(name), yamlio.to_plain(body), file.path, position, yamlio.line_of(mapping, name))
            first = content.responses.get(item.name)
            if first is not None and first.source_path != file.path:
                content.replaced.append(first)
                del content.responses[item.name]
            _add(content.responses, item, "response", file, problems)


def read_content(files: ProjectFiles, *, located: bool = False) -> tuple[ProjectContent, list[Problem]]:
    """Content of the project; `located` reads the round-trip documents so items carry lines."""
    content, problems = ProjectContent(), []
    read_domain(files, content, problems, located)
    read_data_responses(files, content, problems, located)
    read_flows(files, content, problems, located)
    return content, problems
