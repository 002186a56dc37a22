"""A request that none of a flow's words point at still starts the flow it means (word-piece
vectors, engine/understanding/offline/meaning.py); out-of-scope messages, guarded flows and
questions for knowledge search stay as they were."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from ruamel.yaml import YAML

from engine.commands import format_command
from engine.understanding import OfflineGenerator, context_from_dicts
from engine.understanding.offline.meaning import DATA, FlowMeanings, WordVectors, packaged_vectors

INSURER = YAML(typ="safe").load(
    """
flows:
  file_claim:
    name: file a claim
    description: Report damage to an insured home or car and file an insurance claim for it.
    steps:
      - collect: damage_description
        description: what was damaged and how
  update_address:
    name: update address
    description: Change the postal address on the customer's policy.
    steps:
      - collect: new_address
  get_quote:
    name: get a quote
    description: Give a price quote for a new insurance policy.
    steps:
      - collect: insured_item
  roadside_help:
    name: roadside assistance
    description: Send a tow truck to a customer whose car broke down.
    if: slots.has_roadside_cover
    steps:
      - action: action_send_tow_truck
domain:
  slots:
    damage_description: {type: text}
    new_address: {type: text}
    insured_item: {type: text}
    has_roadside_cover: {type: bool, initial_value: false}
"""
)


def understand(message: str, *, vectors: bool = True, slots: dict | None = None, config: dict | None = None) -> list[str]:
    context = context_from_dicts(INSURER["flows"], INSURER["domain"], {"slots": slots or {}}, config or {})
    generator = OfflineGenerator() if vectors else OfflineGenerator(word_vectors=None)
    return sorted(format_command(c, "v2") for c in generator.generate(message, context).commands)


def test_a_request_in_other_words_starts_the_flow_it_means():
    message = "storm wrecked my roof, I want my insurer to pay for repairs"
    assert understand(message, vectors=False) == ["cannot handle"]  # no word of file_claim's own
    assert understand(message) == ["start flow file_claim"]


@pytest.mark.parametrize("message", ["tell me about the roman empire", "what does the weather look like tomorrow?"])
def test_a_message_about_nothing_the_assistant_does_starts_no_flow(message):
    assert not [c for c in understand(message) if c.startswith("start flow")]


def test_a_message_meaning_a_flow_the_user_cannot_start_now_starts_no_other():
    message = "stranded on the road with a dead engine, can someone haul my car to a garage"
    # By its words alone "car" would weakly start file_claim, the one startable flow that says it.
    assert understand(message, vectors=False) == ["start flow file_claim"]
    assert understand(message) == ["cannot handle"]  # it means roadside_help, and there is no cover
    assert understand(message, slots={"has_roadside_cover": True}) == ["start flow roadside_help"]


def test_a_question_goes_to_knowledge_search_when_the_assistant_has_it():
    message = "my roof leaks after the storm, will my insurer pay for the repairs?"
    search = {"policies": [{"name": "EnterpriseSearchPolicy"}]}
    assert understand(message) == ["start flow file_claim"]
    assert understand(message, config=search) == ["provide info"]


def test_a_text_is_the_mean_of_its_word_pieces():
    vectors = WordVectors(["[PAD]", "[UNK]", "play", "##ing", "cafe", ","], np.array(
        [[0, 0], [0, 0], [100, 0], [0, 100], [60, 80], [0, 0]], dtype=np.int8), np.full(6, 0.01, dtype=np.float32))
    # "Playing" is two pieces; accents and case go; punctuation is a piece of its own; a word
    # that does not split into known pieces ("xyz") is left out.
    assert np.allclose(vectors.embed(["Playing xyz"])[0], [2 ** -0.5, 2 ** -0.5])
    assert np.allclose(vectors.embed(["CAFÉ,"])[0], [0.6, 0.8])
    assert not vectors.embed(["xyz"]).any()


def test_the_nearest_flow_comes_with_its_margin_over_the_next():
    context = context_from_dicts(INSURER["flows"], INSURER["domain"], {}, {})
    meanings = FlowMeanings(context.flows, packaged_vectors())
    nearest = meanings.nearest("I moved, please change my postal address", {f.id for f in context.user_flows()})
    assert nearest.flow_id == "update_address"
    assert 0.0 < nearest.margin < nearest.similarity <= 1.0
    assert meanings.nearest("anything", set()) is None


def test_the_shipped_vectors_are_the_ones_their_readme_names():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in ("word_vectors.npy", "word_scales.npy", "word_pieces.txt"):
        digest = hashlib.sha256(Path(DATA / name).read_bytes()).hexdigest()
        assert f"{digest}  {name}" in readme


def test_the_vectors_are_read_only_when_a_message_with_a_meaningful_word_needs_them():
    context = context_from_dicts(INSURER["flows"], INSURER["domain"], {}, {})
    loads = []
    generator = OfflineGenerator(word_vectors=lambda: loads.append(1) or packaged_vectors())
    for message in ("7", "done", "ok", "update my address"):  # no content word; then the words suffice
        generator.generate(message, context)
    assert loads == []
    generator.generate("storm wrecked my roof, I want my insurer to pay for repairs", context)
    generator.generate("my residence changed", context)
    assert loads == [1]


def test_the_understanding_says_when_a_flow_was_chosen_by_meaning():
    context = context_from_dicts(INSURER["flows"], INSURER["domain"], {}, {})
    generator = OfflineGenerator()
    meant = generator.generate("storm wrecked my roof, I want my insurer to pay for repairs", context)
    assert meant.note.startswith("file_claim by meaning, not by its words")
    assert meant.to_dict()["note"] == meant.note
    assert generator.generate("update my address", context).note is None


def test_with_one_flow_the_note_says_there_was_nothing_to_tell_it_from():
    flows = {"roadside_help": {**INSURER["flows"]["roadside_help"], "if": None}}
    context = context_from_dicts(flows, INSURER["domain"], {}, {})
    meant = OfflineGenerator().generate("my car stopped working in the middle of the road", context)
    assert [format_command(c, "v2") for c in meant.commands] == ["start flow roadside_help"]
    assert meant.note.endswith("no other flow to tell it from)")
