"""Untrusted YAML and JSON are refused, naming the line or place, before a recursive parser sees them."""

import pytest

from engine.loader import read_yaml
from engine.replay import load_conversations
from engine.errors import EngineError
from engine.safe_input import (
    MAX_DEPTH,
    JsonRejected,
    YamlLimitError,
    check_yaml,
    load_json,
    load_yaml,
)

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8))


def deep_flow(levels: int) -> str:
    return "[" * levels + "]" * levels


def deep_block(levels: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(levels)) + "  " * levels + "end\n"


def refusal(text: str, **kwargs) -> YamlLimitError:
    with pytest.raises(YamlLimitError) as caught:
        check_yaml(text, **kwargs)
    return caught.value


@pytest.mark.parametrize("pure", [False, True])
@pytest.mark.parametrize("text", [deep_flow(100_000), deep_flow(1_000), deep_flow(MAX_DEPTH + 1),
                                  "x: 1\n" + deep_block(MAX_DEPTH + 1)], ids=["100000", "1000", "101", "block"])
def test_nesting_deeper_than_the_limit_is_refused_with_its_line(text, pure):
    error = refusal(text, pure=pure)
    assert error.problem == "nesting deeper than 100 levels"
    assert error.problem_mark.line + 1 == (1 if text.startswith("[") else MAX_DEPTH + 2)


def test_nesting_up_to_the_limit_loads():
    expected: list = []
    for _ in range(MAX_DEPTH - 2):
        expected = [expected]
    assert load_yaml("a: " + deep_flow(MAX_DEPTH - 1)) == {"a": expected}


@pytest.mark.parametrize("pure", [False, True])
def test_a_billion_laughs_is_refused(pure):
    error = refusal(BILLION_LAUGHS, pure=pure)
    assert error.problem.startswith("too many alias expansions")


def test_aliases_that_repeat_a_small_part_are_fine():
    text = "base: &b {type: text, mappings: [{type: from_llm}]}\n" + "".join(f"s{i}: *b\n" for i in range(50))
    assert load_yaml(text)["s49"] == {"type": "text", "mappings": [{"type": "from_llm"}]}


def test_a_small_document_may_not_expand_far_past_its_own_size():
    text = "a: &a [" + ", ".join(["x"] * 100) + "]\n" + "".join(f"b{i}: *a\n" for i in range(20))
    error = refusal(text)
    assert error.problem == "too many alias expansions: they add 2,020 nodes to a document of 123 (at most 1,000)"


def test_an_alias_inside_the_node_it_names_is_refused():
    assert refusal("a: &x [1, *x]\n").problem == "alias *x is used inside the node it names (a recursive structure)"


@pytest.mark.parametrize(("text", "line", "problem"), [
    ('a: 1\nb: "x\\0y"\n', 2, "NUL character (\\0) in a value; it cannot be stored"),
    ('a: 1\n"k\\x00": 2\n', 2, "NUL character (\\0) in a value; it cannot be stored"),
    ("a: 1\nb: x\ud800y\n", 2, "lone surrogate \\ud800 in the text; it is not valid Unicode"),
])
def test_nul_and_lone_surrogates_are_refused_with_their_line(text, line, problem):
    error = refusal(text)
    assert (error.problem, error.problem_mark.line + 1) == (problem, line)


def test_a_lone_surrogate_escape_is_refused_by_the_pure_parser_too():
    assert refusal('a: "\\ud800"\n', pure=True).problem == "lone surrogate \\ud800 in a value; it is not valid Unicode"


def test_over_large_text_is_refused_before_parsing():
    error = refusal("a: 1\n" + "#" * 100, max_chars=50)
    assert error.problem == "the text is too large (105 characters; at most 50)"


def test_the_engine_loader_names_the_file_and_line():
    problems = []
    assert read_yaml("flows:\n  f: " + deep_flow(1_000), "data/flows.yml", problems) is None
    assert [(p.file, p.line, p.message) for p in problems] == [
        ("data/flows.yml", 2, "YAML error: nesting deeper than 100 levels")]


def test_replay_refuses_a_deep_conversation_file(tmp_path):
    path = tmp_path / "conversations.yml"
    path.write_text(deep_flow(100_000))
    with pytest.raises(EngineError, match="nesting deeper than 100 levels"):
        load_conversations(path)


# ---- JSON -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ['{"a": ' + "[" * 100_000 + "]" * 100_000 + "}",
                                  "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)], ids=["100000", "101"])
def test_deep_json_is_refused_before_decoding(text):
    with pytest.raises(JsonRejected) as caught:
        load_json(text)
    assert (caught.value.loc, caught.value.message) == ((), "nesting deeper than 100 levels")


def test_brackets_inside_strings_do_not_count():
    assert load_json('{"a": "' + "[" * 500 + '"}') == {"a": "[" * 500}


@pytest.mark.parametrize(("text", "loc", "message"), [
    ('{"name": "a\\u0000b"}', ("name",), "must not contain NUL characters (\\u0000)"),
    ('{"s": {"k\\u0000": 1}}', ("s", "k\x00"), "must not contain NUL characters (\\u0000)"),
    ('{"list": [1, "\\ud800"]}', ("list", 1), "must not contain a lone surrogate (\\ud800)"),
    (b'{"raw": "\xed\xa0\x80"}', ("raw",), "must not contain a lone surrogate (\\ud800)"),
])
def test_nul_and_lone_surrogates_in_json_name_the_place(text, loc, message):
    with pytest.raises(JsonRejected) as caught:
        load_json(text)
    assert (caught.value.loc, caught.value.message) == (loc, message)


def test_surrogate_pairs_are_one_character_and_fine():
    assert load_json('{"e": "\\ud83d\\ude00"}') == {"e": "\U0001F600"}
