"""Names Rasa Pro 3.21 provides without the project declaring them (used by the import warnings).

Read from the engine, which owns them: the default patterns' responses and slots
(engine/data/default_flows.yml) and the slots Rasa adds to every domain (`BUILTIN_SLOTS`).
Which actions, patterns and slots a flow may name is the engine's rule (engine/validation.py).
"""

from engine.loader import default_pattern_data
from engine.validation import BUILTIN_SLOTS

_PATTERNS = default_pattern_data()
DEFAULT_RESPONSES = frozenset(_PATTERNS.get("responses") or {})
DEFAULT_SLOTS = frozenset(_PATTERNS.get("slots") or {}) | BUILTIN_SLOTS
