"""Helpers for page tests: post a page's form back as a browser would, import a project with members, diff exports."""
from __future__ import annotations

import difflib
from html.parser import HTMLParser


class _PostForm(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, str] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._in_form = a.get("method", "").lower() == "post"
        if not self._in_form or tag == "form":
            return
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            elif a.get("type") not in ("submit", "button"):
                self.data[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self.data[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea:
            # Browsers drop one line break right after <textarea>.
            self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select:
            self.data.setdefault(self._select, self._first_option or "")
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data


def post_form(page_html: str) -> dict[str, str]:
    """{field name: value} of the page's first POST forms' fields, as submitted untouched."""
    parser = _PostForm()
    parser.feed(page_html)
    return parser.data





# For projects whose slots have NLU mappings: Rasa wants the NLUCommandAdapter in the pipeline
# (tests/exchange/rasa_verdicts/nlu_mapping_without_adapter).
NLU_CONFIG = "recipe: default.v1\nlanguage: en\npipeline:\n  - name: NLUCommandAdapter\n  - name: CompactLLMCommandGenerator\n"


def import_with_members(users, files: dict[str, str]):
    """A project imported by the owner, with the designer, writer and viewer as members."""
    from studio.accounts.models import Membership
    from studio.exchange.services import assistant_import
    from studio.exchange.yamlproject import files_from_mapping

    raw = {"config.yml": "recipe: default.v1\nlanguage: en\n", **files}
    assistant = assistant_import(user=users["owner"], source=files_from_mapping(
        {path: text.encode() for path, text in raw.items()})).assistant
    for role in ("designer", "writer", "viewer"):
        Membership.objects.create(user=users[role], assistant=assistant, role=role)
    return assistant


def exported(users, assistant, path: str = "domain.yml") -> str:
    from studio.exchange.services import assistant_export

    return assistant_export(user=users["owner"], assistant=assistant)[path].decode()


def changed_lines(before: str, after: str) -> list[str]:
    """The removed (-) and added (+) lines between two texts, in order."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
