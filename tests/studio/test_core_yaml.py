"""Stored config.yml / endpoints.yml text read as a mapping: parsed once, but every caller owns its copy."""
import pytest

from studio.core.yaml import YamlProblem, parse_mapping

CONFIG = "recipe: default.v1\npipeline:\n  - name: CompactLLMCommandGenerator\n    llm:\n      model_group: gpt\n"


def test_a_caller_changing_its_mapping_changes_nobody_elses():
    first = parse_mapping(CONFIG, file="config.yml")
    first["pipeline"][0]["llm"]["model_group"] = "changed"
    first.pop("recipe")
    assert parse_mapping(CONFIG, file="config.yml") == {
        "recipe": "default.v1", "pipeline": [{"name": "CompactLLMCommandGenerator", "llm": {"model_group": "gpt"}}]}


@pytest.mark.parametrize("file", ["config.yml", "endpoints.yml"])
def test_a_problem_names_the_file_of_each_caller(file):
    with pytest.raises(YamlProblem) as caught:
        parse_mapping("- a list\n- not a mapping\n", file=file)
    assert str(caught.value) == f"{file}, line 1: the top level must be a mapping"


def test_an_empty_document_is_an_empty_mapping():
    assert parse_mapping("", file="endpoints.yml") == {} and parse_mapping(None, file="endpoints.yml") == {}
