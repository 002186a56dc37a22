"""Small jinja templates in flows (`{{context.collect}}`): a fast path, jinja otherwise."""

from __future__ import annotations

import functools
import re
from typing import Any

from engine.sandbox import render

_SIMPLE = re.compile(r"{{\s*context\.([A-Za-z_][A-Za-z0-9_]*)\s*}}")


@functools.lru_cache(maxsize=4096)
def _is_simple(text: str) -> bool:
    """Only `{{ context.name }}` placeholders and no other jinja syntax."""
    rest = _SIMPLE.sub("", text)
    return "{" not in rest and "%" not in rest


def render_context_template(text: str, context: dict[str, Any]) -> str:
    """Render `text` with `context` as jinja would (undefined renders as empty)."""
    if "{" not in text:
        return text
    if _is_simple(text):
        return _SIMPLE.sub(lambda m: _jinja_str(context.get(m.group(1), _MISSING)), text)
    return render(text, {"context": context})


_MISSING = object()


def _jinja_str(value: Any) -> str:
    return "" if value is _MISSING else str(value)  # jinja prints undefined as ""
