"""Writes the mutated fixture projects: Rasa's tutorial template plus one change each.

    python3 tests/exchange/rasa_verdicts/make_cases.py   # then re-record the verdicts (README.md)

`template_*` are copies of rasa-pro 3.21.0's project templates; `classic_no_flows` is hand-written.
"""
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BASE = ROOT / "template_tutorial" / "project"

def case(name, edits, drop=()):
    proj = ROOT / name / "project"
    shutil.rmtree(proj, ignore_errors=True)
    shutil.copytree(BASE, proj)
    for rel in drop:
        p = proj / rel
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    for rel, fn in edits.items():
        p = proj / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        old = p.read_text() if p.exists() else ""
        new = fn(old) if callable(fn) else fn
        assert new != old, (name, rel)
        p.write_text(new)

def append(text):
    return lambda old: old + text

def replace(a, b):
    def f(old):
        assert a in old, a
        return old.replace(a, b, 1)
    return f

GOODBYE = """
  say_goodbye:
    description: Say goodbye and then ask for feedback.
    steps:
      - action: utter_transfer_complete
      - {kind}: collect_feedback
"""

case("link_to_deleted_flow", {"data/flows.yml": append(GOODBYE.format(kind="link"))})
case("call_to_deleted_flow", {"data/flows.yml": append(GOODBYE.format(kind="call"))})
case("next_missing_step", {"data/flows.yml": replace(
    "      - collect: recipient\n", "      - collect: recipient\n        next: confirm_amount\n")})
case("collect_undefined_slot", {"data/flows.yml": replace(
    "      - collect: recipient\n", "      - collect: account_type\n      - collect: recipient\n")})
case("response_used_undefined", {"data/flows.yml": append(
    "      - action: utter_goodbye\n")})

# domain.yml and a domain/ folder: the new slot and its question only in the folder.
case("domain_file_and_folder", {
    "domain/new_items.yml": """version: "3.1"

slots:
  account_type:
    type: text
    mappings:
      - type: from_llm

responses:
  utter_ask_account_type:
    - text: "Which account should the money come from?"
""",
    "data/flows.yml": replace("      - collect: recipient\n",
                              "      - collect: account_type\n      - collect: recipient\n")})
# The same items in a domain/ folder only (no domain.yml): the layout Rasa reads.
case("domain_folder_only", {
    "domain/new_items.yml": """version: "3.1"

slots:
  account_type:
    type: text
    mappings:
      - type: from_llm

responses:
  utter_ask_account_type:
    - text: "Which account should the money come from?"
""",
    "domain/transfer.yml": lambda old: (BASE / "domain.yml").read_text(),
    "data/flows.yml": replace("      - collect: recipient\n",
                              "      - collect: account_type\n      - collect: recipient\n")},
    drop=["domain.yml"])

case("persisted_builtin_slot", {
    "data/patterns.yml": append("""  pattern_user_silence:
    description: Reacting to user silence in voice bots
    name: pattern react to silence
    persisted_slots:
      - consecutive_silence_timeouts
    steps:
      - noop: true
        next:
          - if: "slots.consecutive_silence_timeouts = 0.0"
            then: first_silence
          - else: END
      - id: first_silence
        set_slots:
          - consecutive_silence_timeouts: 1.0
      - action: utter_ask_still_there
""",),
    "domain.yml": append("""
  utter_ask_still_there:
    - text: "Are you still there?"
""")})

A2A = """agent:
  name: stock_agent
  protocol: A2A
  description: Looks up stock prices and places trades for the user.

configuration:
  agent_card: https://agents.example.com/stock_agent/.well-known/agent.json
"""
INVEST = """
  invest:
    description: Help the user invest their money in stocks.
    steps:
      - call: stock_agent
      - action: utter_transfer_complete
"""
case("sub_agent_call", {"sub_agents/stock_agent/config.yml": A2A,
                        "data/flows.yml": append(INVEST)})
case("sub_agent_without_config", {"sub_agents/stock_agent/README.md": "config.yml was deleted\n",
                                  "data/flows.yml": append(INVEST)})

case("response_names_with_punctuation", {
    "domain.yml": append("""
  utter_don't_know:
    - text: "Sorry, I don't know that yet."

  utter_faq/opening_hours:
    - text: "We are open from 9 to 5."

  utter_step:done:
    - text: "Done."
"""),
    "data/flows.yml": append("""
  answer_questions:
    description: Answer questions about opening hours.
    steps:
      - action: utter_faq/opening_hours
      - action: utter_don't_know
      - action: utter_step:done
""")})

case("mcp_tool_call", {
    "endpoints.yml": append("""
mcp_servers:
  - name: trade_server
    url: http://localhost:8080
    type: http
"""),
    "data/flows.yml": append("""
  check_stock_price:
    description: Tell the user the current price of a stock.
    steps:
      - collect: recipient
      - call: get_stock_price
        mcp_server: trade_server
        mapping:
          input:
            - param: symbol
              slot: recipient
          output:
            - slot: amount
              value: result.structuredContent.price
      - action: utter_transfer_complete
""")})

# With a sub-agent configured, Rasa knows every call target and refuses the unknown one.
case("call_to_deleted_flow_with_sub_agents", {
    "sub_agents/stock_agent/config.yml": A2A,
    "data/flows.yml": append(INVEST + GOODBYE.format(kind="call"))})

case("sub_agent_config_incomplete", {
    "sub_agents/stock_agent/config.yml": A2A.replace(
        "  description: Looks up stock prices and places trades for the user.\n", ""),
    "data/flows.yml": append(INVEST)})

case("link_to_itself", {"data/flows.yml": append(GOODBYE.format(kind="link").replace(
    "link: collect_feedback", "link: say_goodbye"))})
case("call_to_pattern", {"data/flows.yml": append(GOODBYE.format(kind="call").replace(
    "call: collect_feedback", "call: pattern_chitchat"))})
# A flow that is called may not link anywhere.
case("called_flow_links", {"data/flows.yml": append("""
  say_goodbye:
    description: Say goodbye after wrapping up.
    steps:
      - call: wrap_up
  wrap_up:
    description: Wrap up the conversation and start another transfer.
    steps:
      - action: utter_transfer_complete
      - link: transfer_money
""")})

# Response variations are checked against Rasa's responses schema (responses.yml + require_response_keys).
RESPONSE_CASES = {
    "response_button_translation_flat": """
  utter_ask_size:
    - text: "Which size?"
      buttons:
        - title: "Ten dollars"
          payload: "/SetSlots(amount=10)"
          translation:
            de: "Zehn Dollar"
""",
    "response_unknown_variation_key": """
  utter_ask_size:
    - text: "Which size?"
      subtitle: "small, medium or large"
""",
    "response_without_text": """
  utter_ask_size:
    - image: "https://example.com/sizes.png"
""",
    "response_condition_without_type": """
  utter_ask_size:
    - text: "Which size?"
      condition:
        - name: recipient
          value: Bob
""",
    "response_text_not_a_string": """
  utter_ask_size:
    - text:
        - "Which size?"
""",
    "response_translation_not_text": """
  utter_ask_size:
    - text: "Which size?"
      translation:
        de:
          text: "Welche Größe?"
""",
    "response_text_a_number": """
  utter_ask_size:
    - text: 5
""",
    "response_button_title_yes": """
  utter_ask_size:
    - text: "Which size?"
      buttons:
        - title: Yes
          payload: "/SetSlots(recipient=Bob)"
        - title: No
          payload: "/SetSlots(recipient=Alice)"
""",
    "response_well_formed_extras": """
  utter_ask_size:
    - text: "Which size?"
      id: ask_size_1
      translation:
        de: "Welche Größe?"
      buttons:
        - title: "Ten dollars"
          payload: "/SetSlots(amount=10)"
          translation:
            de:
              title: "Zehn Dollar"
      button_type: vertical
      channel: web
      allow_interruptions: false
      metadata:
        rephrase: true
      condition:
        - type: slot
          name: recipient
          value: Bob
    - custom:
        kind: carousel
""",
}
for _name, _response in RESPONSE_CASES.items():
    case(_name, {"domain.yml": replace("responses:\n", "responses:\n" + _response.lstrip("\n") + "\n")})

# Rasa adds a built-in `language` slot (LanguageImporter) and refuses a project that defines one.
case("language_slot_defined", {"domain.yml": replace("slots:\n", """slots:
  language:
    type: text
    mappings:
      - type: from_llm
""")})

# Rasa merges `responses:` from data files into the domain (ResponsesSyncImporter, the data file
# winning, a duplicate only warned about); it reads no `slots:` from data files.
GOODBYE_STEP = "      - action: utter_goodbye\n"
GOODBYE_RESPONSE = """
responses:
  utter_goodbye:
    - text: "Goodbye!"
"""
case("response_in_flows_file", {"data/flows.yml": append(GOODBYE_STEP + GOODBYE_RESPONSE)})
case("response_in_nlu_file", {
    "data/flows.yml": append(GOODBYE_STEP),
    "data/nlu.yml": 'version: "3.1"\n\nnlu:\n  - intent: bye\n    examples: |\n      - bye\n      - see you\n'
                    + GOODBYE_RESPONSE,
})
case("response_in_data_file_and_domain", {"data/responses.yml": """version: "3.1"

responses:
  utter_transfer_complete:
    - text: "Sent {amount} to {recipient}."
"""})
case("slot_in_data_file", {
    "data/flows.yml": replace("      - collect: recipient\n",
                              "      - collect: account_type\n      - collect: recipient\n"),
    "data/slots.yml": """version: "3.1"

slots:
  account_type:
    type: text
    mappings:
      - type: from_llm
""",
})
# Two data files define the response: Rasa merges NLU data in sorted path order, the later file winning.
case("response_in_two_data_files", {
    "data/flows.yml": append(GOODBYE_STEP),
    "data/a_responses.yml": 'version: "3.1"\n' + GOODBYE_RESPONSE,
    "data/b_responses.yml": 'version: "3.1"\n' + GOODBYE_RESPONSE.replace("Goodbye!", "See you!"),
})

# The tutorial's domain asks to rephrase utter_free_chitchat_response: Rasa needs an NLG endpoint
# of type rephrase for that (verify_rephrase_endpoints_consistency_or_raise).
case("rephrase_without_nlg", {"endpoints.yml": replace(
    "nlg:\n  type: rephrase\n  llm:\n    model_group: rasa_command_generation_model\n", "")})
case("rephrase_with_callback_nlg", {"endpoints.yml": replace(
    "nlg:\n  type: rephrase\n  llm:\n    model_group: rasa_command_generation_model\n",
    "nlg:\n  type: callback\n  url: http://localhost:5056/nlg\n")})
# Without the domain's own rephrased response, only Rasa's default patterns ask to rephrase: a warning.
case("rephrase_only_in_default_patterns", {
    "endpoints.yml": replace("nlg:\n  type: rephrase\n  llm:\n    model_group: rasa_command_generation_model\n", ""),
    "domain.yml": replace('    - text: "placeholder"\n      metadata:\n        rephrase: True\n',
                          '    - text: "placeholder"\n      metadata:\n        rephrase: False\n'),
})
# `next: []` is no `next` at all: the step goes on to the one below it (Rasa's resolve_default_next).
case("empty_next", {"data/flows.yml": replace("      - collect: recipient\n", "      - collect: recipient\n        next: []\n")})

# validate_CALM_slot_mappings: who may fill a slot, checked against the pipeline and the flows.
ENTITY_MAPPING = ("  recipient:\n    type: text\n    mappings:\n      - type: from_llm\n",
                  "  recipient:\n    type: text\n    mappings:\n      - type: from_entity\n        entity: person\n")
ADAPTER = ("pipeline:\n- name: CompactLLMCommandGenerator\n",
           "pipeline:\n- name: NLUCommandAdapter\n- name: CompactLLMCommandGenerator\n")
case("nlu_mapping_without_adapter", {"domain.yml": replace(*ENTITY_MAPPING)})
case("nlu_mapping_with_adapter", {"domain.yml": replace(*ENTITY_MAPPING), "config.yml": replace(*ADAPTER)})
case("nlu_correction_on_entity_mapping", {"config.yml": replace(*ADAPTER), "domain.yml": replace(
    ENTITY_MAPPING[0], ENTITY_MAPPING[1] + "        allow_nlu_correction: true\n")})
case("nlu_correction_without_nlu_mapping", {"domain.yml": replace(
    ENTITY_MAPPING[0], ENTITY_MAPPING[0] + "        allow_nlu_correction: true\n")})
case("every_turn_action_on_llm_mapping", {"domain.yml": lambda old: replace(
    ENTITY_MAPPING[0], ENTITY_MAPPING[0] + "        run_action_every_turn: action_check_recipient\n")(old)
    + "\nactions:\n  - action_check_recipient\n"})

# A project without flows (classic_no_flows) and a slot without mappings, which Rasa gives from_llm.
_classic = ROOT / "classic_slot_without_mappings" / "project"
shutil.rmtree(_classic, ignore_errors=True)
shutil.copytree(ROOT / "classic_no_flows" / "project", _classic)
(_classic / "domain.yml").write_text((_classic / "domain.yml").read_text() + "\nslots:\n  nickname:\n    type: text\n")

# check_for_no_empty_parenthesis_in_responses: an empty `{}` in a response text.
case("response_empty_placeholder", {"domain.yml": replace(
    '"All done. {amount} has been sent to {recipient}."', '"All done. {} has been sent to {recipient}."')})

# validate_button_payloads: every button needs a payload Rasa can read.
BUTTON_CASES = {
    "button_without_payload": '        - title: "Bob"\n',
    "button_blank_payload": '        - title: "Bob"\n          payload: "  "\n',
    "button_eleven_slots": '        - title: "Bob"\n          payload: "/SetSlots(recipient=Bob, amount=1, a=1, b=2, c=3, d=4, '
                           'e=5, f=6, g=7, h=8, i=9)"\n',
    "button_unreadable_payload": '        - title: "Bob"\n          payload: "/SetSlots("\n',
    "button_free_text_payload": '        - title: "Bob"\n          payload: "send it to Bob"\n',
    "button_undeclared_intent": '        - title: "Bob"\n          payload: "/affirm"\n',
    "button_default_intent": '        - title: "Start over"\n          payload: "/restart"\n',
}
for _name, _button in BUTTON_CASES.items():
    case(_name, {"domain.yml": replace('    - text: "Who would you like to send money to?"\n',
                                       '    - text: "Who would you like to send money to?"\n      buttons:\n' + _button)})
case("button_declared_intent", {"domain.yml": lambda old: replace(
    '    - text: "Who would you like to send money to?"\n',
    '    - text: "Who would you like to send money to?"\n      buttons:\n        - title: "Bob"\n'
    '          payload: "/affirm"\n')(old) + "\nintents:\n  - affirm\n"})
