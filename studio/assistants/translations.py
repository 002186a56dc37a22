"""Translations in Rasa Pro 3.21's own shapes, written through the response and flow save services.

A variation carries `translation: {<lang>: "text"}`; a button `translation: {<lang>: {title: "..."}}`
(the entry may also carry a `payload`, kept as it is); a flow `translation: {<lang>: {name: "..."}}`.
Sources: RASA_FORMATS.md §1.2 and §3.3, and Rasa's own responses.yml schema and core/nlg/translate.py
(a flat `{de: "Ja"}` on a button is refused by `rasa data validate`). The languages are config.yml's
`language` (the default, which the plain `text`/`title`/`name` hold) and `additional_languages`.
A missing translation is only counted and shown: Rasa trains and answers without it (it falls back
to the default text), so nothing here is a build problem.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from studio.accounts.permissions import CAN_EDIT_FLOWS, CAN_EDIT_RESPONSES, require_role
from studio.assistants import services
from studio.assistants.models import Assistant, Flow, Response
from studio.assistants.selectors import flow_get, response_get
from studio.assistants.validation import LANGUAGE_RE
from studio.core.exceptions import ValidationFailed
from studio.core.yaml import YamlProblem, parse_mapping

TRANSLATION = "translation"
# A cell's place in a response: (variation index, button index or None for the variation's text).
Place = tuple[int, int | None]


@dataclass(frozen=True)
class Languages:
    default: str
    additional: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return (self.default, *self.additional)


def assistant_languages(assistant: Assistant) -> Languages:
    """config.yml's `language` and `additional_languages`; a config that does not parse has none extra."""
    try:
        config = parse_mapping(assistant.config_yaml, file="config.yml")
    except YamlProblem:
        config = {}
    default = config.get("language") if isinstance(config.get("language"), str) else assistant.language
    extra = config.get("additional_languages")
    additional: list[str] = []
    for code in extra if isinstance(extra, list) else []:
        if isinstance(code, str) and LANGUAGE_RE.fullmatch(code) and code != default and code not in additional:
            additional.append(code)
    return Languages(default=default or assistant.language, additional=tuple(additional))


def check_language(languages: Languages, language: Any, field: str = "lang") -> str:
    if language not in languages.additional:
        offered = ", ".join(languages.additional) or "none: add additional_languages to config.yml"
        raise ValidationFailed.one(
            field, msg=f"{language!r} is not one of this assistant's additional languages ({offered})")
    return language


# --- reading cells --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One translatable string of a response: a variation's text or a button's title."""

    variation: int
    button: int | None
    source: str
    translations: dict[str, str]

    @property
    def place(self) -> Place:
        return (self.variation, self.button)

    @property
    def field(self) -> str:
        """The form field (and error location) of this cell on the translations page."""
        return f"text-{self.variation}" if self.button is None else f"button-{self.variation}-{self.button}"

    @property
    def label(self) -> str:
        """How a writer reads the place: "variation 2" or "variation 1, button 3" (counted from 1)."""
        where = f"variation {self.variation + 1}"
        return where if self.button is None else f"{where}, button {self.button + 1}"

    def translated(self, language: str) -> str:
        return self.translations.get(language, "")


def _translations(node: dict[str, Any], key: str | None) -> dict[str, str]:
    """{language: text} of a node's `translation` map: plain strings (key None) or each entry's `key`."""
    raw = node.get(TRANSLATION)
    out = {}
    for language, entry in raw.items() if isinstance(raw, dict) else ():
        value = entry if key is None else entry.get(key) if isinstance(entry, dict) else None
        if isinstance(language, str) and isinstance(value, str):
            out[language] = value
    return out


def response_cells(variations: list[Any]) -> list[Cell]:
    """Every variation text and button title, in order; variations without text (custom only) have none."""
    cells = []
    for vi, variation in enumerate(variations):
        if not isinstance(variation, dict):
            continue
        if isinstance(variation.get("text"), str):
            cells.append(Cell(vi, None, variation["text"], _translations(variation, None)))
        buttons = variation.get("buttons")
        for bi, button in enumerate(buttons if isinstance(buttons, list) else []):
            if isinstance(button, dict) and isinstance(button.get("title"), str):
                cells.append(Cell(vi, bi, button["title"], _translations(button, "title")))
    return cells


def _is_missing(cell: Cell, language: str) -> bool:
    return bool(cell.source.strip()) and not cell.translated(language).strip()


def missing_languages(variations: list[Any], languages: Languages) -> list[str]:
    """The additional languages in which at least one text or button title of the response is untranslated."""
    cells = response_cells(variations)
    return [lang for lang in languages.additional if any(_is_missing(c, lang) for c in cells)]


def flow_name_translation(flow: Flow, language: str) -> str:
    return _translations(flow.extra, "name").get(language, "")


def flow_default_name(flow: Flow) -> str:
    """The name Rasa uses for the flow: its own, else the id with spaces (Flow.create_default_name)."""
    return flow.name or flow.flow_id.replace("_", " ").replace("-", " ")


@dataclass(frozen=True)
class ResponseRow:
    response: Response
    cells: list[Cell]
    missing: int


@dataclass(frozen=True)
class FlowRow:
    flow: Flow
    name: str
    translated: str
    missing: bool


@dataclass(frozen=True)
class TranslationTable:
    language: str
    responses: list[ResponseRow]
    flows: list[FlowRow]


def response_row(response: Response, language: str) -> ResponseRow:
    cells = response_cells(response.variations)
    return ResponseRow(response, cells, sum(_is_missing(c, language) for c in cells))


def flow_row(flow: Flow, language: str) -> FlowRow:
    # Rasa warns about every flow without a name in the language, a flow without its own name too.
    translated = flow_name_translation(flow, language)
    return FlowRow(flow, flow_default_name(flow), translated, not translated.strip())


def translation_table(assistant: Assistant, language: str) -> TranslationTable:
    """Responses with text and every flow, side by side with `language` (the caller checked read access)."""
    responses = [response_row(r, language) for r in Response.objects.filter(assistant=assistant).ordered()]
    flows = [flow_row(f, language) for f in Flow.objects.filter(assistant=assistant).ordered()]
    return TranslationTable(language, [r for r in responses if r.cells], flows)


def missing_counts(assistant: Assistant, languages: Languages) -> dict[str, int]:
    """Untranslated texts, button titles and flow names per additional language."""
    responses = list(Response.objects.filter(assistant=assistant))
    flows = list(Flow.objects.filter(assistant=assistant))
    return {lang: sum(response_row(r, lang).missing for r in responses) + sum(flow_row(f, lang).missing for f in flows)
            for lang in languages.additional}


# --- writing --------------------------------------------------------------------------------------


def set_translation(node: dict[str, Any], language: str, text: str, key: str | None) -> None:
    """Set (or, for empty text, remove) one language in a node's `translation` map, in place.

    `key` None: the entry is the text (a variation); else the entry is a mapping and `key` one of its
    fields (a button's `title`, a flow's `name`); an entry left empty is dropped, then an empty map.
    """
    current = node.get(TRANSLATION)
    translation = dict(current) if isinstance(current, dict) else {}
    if key is None:
        entry: Any = text
    else:
        entry = dict(translation.get(language)) if isinstance(translation.get(language), dict) else {}
        entry[key] = text
        if not text:
            entry.pop(key)
    if entry:
        translation[language] = entry
    else:
        translation.pop(language, None)
    if translation:
        node[TRANSLATION] = translation
    else:
        node.pop(TRANSLATION, None)


def _node(variations: list[Any], place: Place) -> dict[str, Any] | None:
    vi, bi = place
    variation = variations[vi] if 0 <= vi < len(variations) else None
    if not isinstance(variation, dict) or bi is None:
        return variation if isinstance(variation, dict) and isinstance(variation.get("text"), str) else None
    buttons = variation.get("buttons")
    button = buttons[bi] if isinstance(buttons, list) and 0 <= bi < len(buttons) else None
    return button if isinstance(button, dict) and isinstance(button.get("title"), str) else None


def variations_with(variations: list[Any], edits: dict[tuple[Place, str | None], str]) -> list[Any]:
    """A copy of `variations` with edits applied: {((variation, button), language): text}.

    Language None edits the default-language text (a variation's `text`, a button's `title`); a
    language code edits that translation, empty text removing it. Unknown places raise KeyError.
    """
    changed = copy.deepcopy(variations)
    for (place, language), text in edits.items():
        node = _node(changed, place)
        if node is None:
            raise KeyError(place)
        key = "title" if place[1] is not None else None
        if language is None:
            node[key or "text"] = text
        else:
            set_translation(node, language, text, key)
    return changed


def _clean(text: Any) -> str:
    # Browsers send textarea line breaks as CRLF; the YAML file keeps plain LF.
    return text.replace("\r\n", "\n").strip() if isinstance(text, str) else ""


def response_translations_save(*, user, assistant: Assistant, name: str, language: str,
                               texts: dict[str, str], revision: int) -> Response:
    """Set one language's translations of a response: `texts` maps a cell's field (text-0, button-0-1) to text.

    Goes through response_save (writer role, revision check, 409 when stale); an empty text removes
    that translation.
    """
    require_role(user, assistant, *CAN_EDIT_RESPONSES)  # before any read: a viewer learns nothing more
    check_language(assistant_languages(assistant), language)
    response = response_get(assistant, name)
    places = {cell.field: cell.place for cell in response_cells(response.variations)}
    unknown = sorted(set(texts) - set(places))
    if unknown:
        raise ValidationFailed.one(unknown[0], msg=f"{name} has no such text or button to translate")
    edits = {(places[field], language): _clean(text) for field, text in texts.items()}
    return services.response_save(user=user, assistant=assistant, name=name,
                                  variations=variations_with(response.variations, edits), revision=revision)


def flow_name_translation_save(*, user, assistant: Assistant, flow_id: str, language: str, name: str,
                               revision: int) -> Flow:
    """Set (or, when empty, remove) a flow's name in one language, through flow_save (designer role, 409)."""
    require_role(user, assistant, *CAN_EDIT_FLOWS)
    check_language(assistant_languages(assistant), language)
    body = flow_get(assistant, flow_id).to_rasa()
    set_translation(body, language, _clean(name), "name")
    return services.flow_save(user=user, assistant=assistant, flow_id=flow_id, data=body, revision=revision)


def translation_badges(assistant: Assistant, responses: list[Response]) -> dict[str, Any]:
    """For the response list: each response gets `missing_languages`; the page gets the languages and,
    per additional language, how many responses lack a translation there."""
    languages = assistant_languages(assistant)
    for response in responses:
        response.missing_languages = missing_languages(response.variations, languages)
    counts = {lang: sum(lang in r.missing_languages for r in responses) for lang in languages.additional}
    return {"languages": languages, "missing_translations": counts}
