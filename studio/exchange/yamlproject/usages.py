"""Where a flow, slot, response or action is named: the one index behind usages, rename and safe delete.

Sources: the flows and domain items (the studio's content), the project files kept verbatim
(domain frames for forms, NLU/rules/stories, e2e tests, config.yml, endpoints.yml) and custom
action code. Each place found is a `Site` that can rename the name in place and, where taking it
out leaves a valid project, remove it. Python code is only searched: a mention is listed, never edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import yamlio
from .content import ProjectContent
from .content_usages import content_sites, flow_steps
from .file_usages import code_search, code_sites, file_sites, names_used_in_files
from .files import KIND_CONFIG, KIND_DOMAIN, KIND_E2E, KIND_ENDPOINTS, KIND_TRAINING
from .sites import WHAT, Site, Usage, slot_text_renamer
from .textpatch import Unpatchable, patch_text

__all__ = ["WHAT", "Project", "Site", "Usage", "code_search", "find", "flow_steps", "names_used_in_files",
           "slot_text_renamer", "usages"]

YAML_KINDS = (KIND_TRAINING, KIND_E2E, KIND_DOMAIN, KIND_CONFIG, KIND_ENDPOINTS)


@dataclass
class Project:
    """What the index reads and edits: content items and the verbatim files ({path: (kind, text)})."""

    content: ProjectContent
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)
    docs: dict[str, Any] = field(default_factory=dict)  # round-trip documents loaded so far
    touched: set[str] = field(default_factory=set)  # paths whose document a site edited
    # A project only searched (usages, never a rename or removal) reads documents parsed once per process.
    read_only: bool = False

    def doc(self, path: str) -> Any:
        if path not in self.docs:
            load = yamlio.load_shared if self.read_only else yamlio.load
            self.docs[path] = load(self.texts[path][1].replace("\r\n", "\n"))
        return self.docs[path]

    def dumped(self) -> dict[str, str]:
        """The text of every file a site edited: only the edited nodes change (the writer's text
        patch), or, where that cannot place the edit, the whole file in its own style."""
        out = {}
        for path in sorted(self.touched):
            text = self.texts[path][1]
            lf = text.replace("\r\n", "\n")
            try:
                new = patch_text(lf, yamlio.load_plain(lf), yamlio.to_plain(self.docs[path]))
            except Unpatchable:
                new = yamlio.dump(self.docs[path], yamlio.guess_style(lf, yamlio.load(lf)))
            out[path] = new.replace("\n", "\r\n") if "\r\n" in text else new
        return out


def find(project: Project, kind: str, name: str) -> list[Site]:
    """Every place that names item `name` of `kind` (its own definition excluded)."""
    sites, code = list(content_sites(project.content, kind, name)), []
    for path, (file_kind, text) in sorted(project.texts.items()):
        if name not in text:  # cheap: most files never mention the name
            continue
        if path.endswith(".py"):
            code += code_sites(path, text, name)
        elif file_kind in YAML_KINDS:
            try:
                doc = project.doc(path)
            except Exception:  # a file that does not parse is reported by the import checks
                continue
            sites += [_tracked(project, path, s) for s in file_sites(path, file_kind, doc, kind, name)]
    return sites + code


def usages(project: Project, kind: str, name: str) -> list[Usage]:
    return [s.usage for s in find(project, kind, name)]


def _tracked(project: Project, path: str, site: Site) -> Site:
    def mark(fn):
        if fn is None:
            return None

        def run(*args):
            project.touched.add(path)
            fn(*args)
        return run
    return Site(site.usage, mark(site.rename), mark(site.remove))
