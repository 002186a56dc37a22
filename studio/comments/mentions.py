"""@username in a comment body: finding the names, and rendering the body escaped with members linked."""
from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Django usernames are letters, digits and @.+-_; a trailing dot or dash is punctuation ("thanks @ana.").
# An @ right after a word character is part of an e-mail address, not a mention.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]*[\w+])")


def mentioned_names(body: str) -> list[str]:
    """Every name written as @name, in order, once each."""
    return list(dict.fromkeys(match.group(1) for match in MENTION.finditer(body)))


def render_body(body: str, links: Mapping[str, str]) -> SafeString:
    """The body as HTML: everything escaped, line breaks kept, @name a link only for names in `links`."""
    parts, last = [], 0
    for match in MENTION.finditer(body):
        name = match.group(1)
        if name not in links:
            continue
        parts.append(escape(body[last:match.start()]))
        parts.append(f'<a class="mention" href="{escape(links[name])}">@{escape(name)}</a>')
        last = match.end()
    parts.append(escape(body[last:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 — every piece above is escaped
