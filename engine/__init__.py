"""Flowstudio's CALM engine: a pure-Python runtime that behaves like Rasa Pro 3.21.

Nothing here imports Django or the studio; the studio passes plain dicts in Rasa's shapes.
"""

from engine.assistant import Assistant, load_project
from engine.conversation import CommandGenerator, Conversation, StateView, Turn, Understanding
from engine.errors import DefinitionError, EngineError, Problem
from engine.loader import default_pattern_bodies
from engine.predicates import evaluate_predicate, predicate_problem
from engine.validation import validate_flows

__all__ = [
    "Assistant", "CommandGenerator", "Conversation", "DefinitionError", "EngineError", "Problem",
    "StateView", "Turn", "Understanding", "default_pattern_bodies", "evaluate_predicate", "load_project",
    "predicate_problem", "validate_flows",
]
