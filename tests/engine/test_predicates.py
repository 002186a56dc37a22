"""Flow conditions use pypred with Rasa's conventions."""

import pytest

from engine import evaluate_predicate, predicate_problem


@pytest.mark.parametrize("expr, slots, context, expected", [
    ("slots.amount > 100 and slots.vip", {"amount": 150.0, "vip": True}, {}, True),
    ("slots.city is \"Rome\"", {"city": "Rome"}, {}, True),
    ("slots.city is not \"Rome\"", {"city": "Oslo"}, {}, True),
    ("slots.tags contains \"x\"", {"tags": ["x", "y"]}, {}, True),
    ("slots.code matches \"^[0-9]{4}$\"", {"code": "1234"}, {}, True),
    ("slots.amount > 100", {"amount": None}, {}, False),
    ("not slots.vip", {"vip": None}, {}, True),
    ("context.reason is \"cannot_handle_chitchat\"", {}, {"reason": "cannot_handle_chitchat"}, True),
    ("slots.{{context.collect}} is not null", {"city": "Rome"}, {"collect": "city"}, True),
])
def test_conditions_evaluate_like_rasa(expr, slots, context, expected):
    assert evaluate_predicate(expr, slots, context) is expected


def test_a_condition_that_cannot_be_evaluated_is_false():
    assert evaluate_predicate("slots.a >>> 1", {"a": 1}) is False


def test_the_editor_learns_why_a_raw_condition_does_not_parse():
    assert predicate_problem("slots.amount > 10") is None
    assert predicate_problem(True) is None
    assert predicate_problem("slots.amount >") .startswith("condition 'slots.amount >' does not parse")
    assert predicate_problem("") == "condition must be a non-empty string"


def test_a_stale_table_file_is_neither_reported_nor_rewritten(monkeypatch, capfd, tmp_path):
    # pypred ships a parse table older than ply 3.11: ply printed "yacc table file version is out of
    # date" on stderr at every start (its own logger, not `logging`) and rewrote the file in
    # site-packages when it could.
    import sys
    import types

    from pypred.parser import get_lexer

    from engine import predicates

    stale = types.ModuleType("pypred.parsetab")
    stale._tabversion = "0.0"
    monkeypatch.setitem(sys.modules, "pypred.parsetab", stale)
    monkeypatch.chdir(tmp_path)
    parser = predicates._parser(get_lexer())
    assert str(parser.parse("slots.a = 1 and slots.b > 2", lexer=parser.lexer)).startswith("LogicalOperator")
    assert capfd.readouterr().err == ""
    assert sys.modules["pypred.parsetab"] is stale  # nothing re-imported or written in its place
