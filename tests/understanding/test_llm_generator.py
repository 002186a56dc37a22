"""The LLM generator over real HTTP against a scripted OpenAI-compatible server on loopback."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from engine.commands import CannotHandle, InternalError, SetSlot, StartFlow
from engine.understanding import LLMGenerator, LLMSettings, PromptBuilder, context_from_dicts
from engine.understanding.llm import LLMClient, PromptTemplateError

from .fake_llm import FakeLLM, Reply

PROJECT = YAML(typ="safe").load(
    """
flows:
  transfer_money:
    name: send money
    description: Send money to a friend or family member.
    steps:
      - collect: recipient
        description: the name of the person receiving the money
      - collect: amount
        description: how much money to send
      - collect: confirm_transfer
        ask_before_filling: true
  check_balance:
    description: Show the account balance.
    steps:
      - action: action_check_balance
  premium_support:
    description: Premium customers get a dedicated advisor.
    if: slots.is_premium
    steps:
      - action: utter_advisor
domain:
  slots:
    recipient: {type: text}
    amount: {type: float}
    confirm_transfer: {type: bool}
    is_premium: {type: bool, initial_value: false}
    balance: {type: float, mappings: [{type: controlled}]}
"""
)


@pytest.fixture
def fake():
    server = FakeLLM().start()
    yield server
    server.stop()


def make_generator(fake: FakeLLM, sleeps: list | None = None, **settings) -> LLMGenerator:
    options = {"model": "fake-model", "base_url": fake.base_url, "timeout": 2.0, "max_retries": 2, **settings}
    llm_settings = LLMSettings(**options)
    client = LLMClient(llm_settings, sleep=(sleeps.append if sleeps is not None else lambda s: None))
    return LLMGenerator(llm_settings, client=client)


def context(state: dict | None = None, syntax_generator: str = "CompactLLMCommandGenerator"):
    config = {"pipeline": [{"name": syntax_generator}]}
    return context_from_dicts(PROJECT["flows"], PROJECT["domain"], state, config)


def test_the_prompt_lists_startable_flows_the_state_and_the_conversation(fake):
    fake.script(Reply("set slot amount 50"))
    state = {
        "active_flow": "transfer_money", "collecting_slot": "amount", "slots": {"recipient": "Jane"},
        "recent_turns": [["user", "send money to Jane"], ["bot", "How much should I send?"]],
    }
    make_generator(fake).generate("fifty", context(state))
    prompt = fake.prompts[0]
    assert '"name": "transfer_money"' in prompt and '"name": "check_balance"' in prompt
    assert "premium_support" not in prompt  # its guard is false
    assert '"active_flow": "transfer_money"' in prompt
    assert '"requested_slot": "amount"' in prompt
    assert '"name": "recipient", "value": "Jane"' in prompt
    assert "confirm_transfer" not in prompt  # ask_before_filling and not asked yet
    assert "USER: send money to Jane\nAI: How much should I send?\nUSER: fifty" in prompt
    assert '"""fifty"""' in prompt
    assert "`provide info`" in prompt and "`search and reply`" not in prompt


def test_v3_assistants_get_the_search_and_reply_action(fake):
    fake.script(Reply("search and reply"))
    make_generator(fake).generate("hi", context(None, "SearchReadyLLMCommandGenerator"))
    assert "`search and reply`" in fake.prompts[0] and "`provide info`" not in fake.prompts[0]


def test_the_answer_is_parsed_with_the_command_grammar_and_usage_recorded(fake):
    fake.script(Reply("start flow transfer_money\nset slot recipient Jane\nset slot amount 50"))
    result = make_generator(fake).generate("send 50 to Jane", context())
    assert result.commands == (StartFlow("transfer_money"), SetSlot("recipient", "Jane"), SetSlot("amount", "50"))
    assert result.raw_output.startswith("start flow transfer_money")
    assert result.usage == {"prompt_tokens": 100, "completion_tokens": 7, "total_tokens": 107}
    assert result.generator == "llm" and result.error is None and result.latency_ms > 0
    assert fake.requests[0]["model"] == "fake-model"


def test_unknown_guarded_and_controlled_targets_are_rejected_with_reasons(fake):
    fake.script(Reply("start flow order_pizza\nstart flow premium_support\nset slot balance 5\nstart flow check_balance"))
    result = make_generator(fake).generate("balance", context())
    assert result.commands == (StartFlow("check_balance"),)
    assert [r.reason for r in result.rejected] == [
        "unknown flow 'order_pizza'",
        "flow 'premium_support' cannot be started now (its `if` guard is false)",
        "slot 'balance' is controlled and cannot be set from user input",
    ]


def test_server_errors_are_retried_with_backoff_then_succeed(fake):
    fake.script(Reply(status=500), Reply(status=503), Reply("start flow check_balance"))
    sleeps: list[float] = []
    result = make_generator(fake, sleeps).generate("balance please", context())
    assert result.commands == (StartFlow("check_balance"),)
    assert len(fake.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_rate_limits_wait_at_least_the_retry_after_header(fake):
    fake.script(Reply(status=429, headers={"retry-after": "3"}), Reply("start flow check_balance"))
    sleeps: list[float] = []
    result = make_generator(fake, sleeps).generate("balance", context())
    assert result.commands == (StartFlow("check_balance"),)
    assert sleeps == [3.0]


def test_persistent_failures_become_cannot_handle_with_the_reason(fake):
    fake.script(Reply(status=500), Reply(status=500), Reply(status=500))
    result = make_generator(fake).generate("balance", context())
    assert result.commands == (CannotHandle(),)
    assert result.error.startswith("LLM call failed after 3 attempt(s): HTTP 500")
    assert result.prompt is not None


def test_a_slow_model_times_out_and_the_turn_still_gets_an_answer(fake):
    fake.script(Reply("start flow check_balance", delay=1.5), Reply("start flow check_balance", delay=1.5))
    result = make_generator(fake, timeout=0.3, max_retries=1).generate("balance", context())
    assert result.commands == (CannotHandle(),)
    assert "timeout" in result.error
    assert result.latency_ms < 1500 * 2


def test_a_model_that_rejects_max_tokens_and_temperature_is_asked_again_without_them(fake):
    fake.script(
        Reply(status=400, message="Unsupported parameter: 'max_tokens' is not supported with this model. "
                                  "Use 'max_completion_tokens' instead."),
        Reply(status=400, message="Unsupported value: 'temperature' does not support 0.0 with this model."),
        Reply("start flow check_balance"),
        Reply("start flow check_balance"),
    )
    generator = make_generator(fake, max_retries=0)
    assert generator.generate("balance", context()).commands == (StartFlow("check_balance"),)
    generator.generate("balance again", context())
    last = fake.requests[-1]
    assert last["max_completion_tokens"] == 256 and "max_tokens" not in last and "temperature" not in last
    assert len(fake.requests) == 4


def test_authentication_errors_are_not_retried(fake):
    fake.script(Reply(status=401))
    result = make_generator(fake).generate("balance", context())
    assert len(fake.requests) == 1
    assert result.commands == (CannotHandle(),)
    assert "HTTP 401" in result.error


def test_prose_instead_of_commands_is_cannot_handle(fake):
    fake.script(Reply("Sure! I think the user wants to check their balance."))
    result = make_generator(fake).generate("balance", context())
    assert result.commands == (CannotHandle(),)
    assert result.error == "the model's answer contained no command"


def test_a_response_that_is_not_json_is_cannot_handle(fake):
    fake.script(Reply(raw=b"<html>bad gateway</html>"))
    result = make_generator(fake, max_retries=0).generate("balance", context())
    assert result.commands == (CannotHandle(),)
    assert result.error


def test_an_unreachable_server_is_cannot_handle():
    settings = LLMSettings(base_url="http://127.0.0.1:9/v1", timeout=0.5, max_retries=1)
    generator = LLMGenerator(settings, client=LLMClient(settings, sleep=lambda s: None))
    result = generator.generate("balance", context())
    assert result.commands == (CannotHandle(),)
    assert "connection failed" in result.error


def test_too_long_and_empty_messages_never_reach_the_model(fake):
    generator = make_generator(fake)
    long = generator.generate("x" * 421, context())
    empty = generator.generate("   ", context())
    assert long.commands == (InternalError("rasa_internal_error_user_input_too_long", (("max_characters", 420),)),)
    assert empty.commands == (InternalError("rasa_internal_error_user_input_empty"),)
    assert fake.requests == []


def test_button_payloads_never_reach_the_model(fake):
    result = make_generator(fake).generate("/SetSlots(recipient=Jane)", context())
    assert result.commands == (SetSlot("recipient", "Jane", "CommandPayloadReader"),)
    assert fake.requests == []


def test_a_custom_prompt_template_is_used(fake):
    fake.script(Reply("start flow check_balance"))
    template = "Flows: {% for f in available_flows %}{{ f.name }} {% endfor %}\nUser: {{ user_message }}"
    generator = make_generator(fake)
    generator.prompt = PromptBuilder(template)
    generator.generate("balance", context())
    assert fake.prompts == ["Flows: transfer_money check_balance \nUser: balance"]


def test_a_prompt_template_exported_from_rasa_renders_with_the_same_variables(fake):
    # The variable names and filter of Rasa's own command prompt templates.
    template = (
        '{% for flow in available_flows %}{"name":"{{ flow.name }}","description":'
        '{{ flow.description | to_json_escaped_string }}{% if flow.slots %},"slots":[{% for slot in flow.slots %}'
        '"{{ slot.name }}"{% if slot.allowed_values %}={{ slot.allowed_values }}{% endif %} {% endfor %}]{% endif %}}\n'
        '{% endfor %}{% if current_flow != None %}{{ current_flow }}/{{ current_slot }}'
        '{% else %}You are currently not inside any flow.{% endif %}{% if current_datetime %}now{% endif %}\n'
        '{{ current_conversation }}\n"""{{ user_message }}"""'
    )
    fake.script(Reply("set slot amount 50"))
    generator = make_generator(fake)
    generator.prompt = PromptBuilder(template)
    generator.generate("fifty", context({"active_flow": "transfer_money", "collecting_slot": "amount"}))
    assert fake.prompts[0].splitlines() == [
        '{"name":"transfer_money","description":"Send money to a friend or family member.",'
        '"slots":["recipient" "amount" ]}',
        '{"name":"check_balance","description":"Show the account balance."}',
        "transfer_money/amount",
        "USER: fifty",
        '"""fifty"""',
    ]


def test_set_slot_flow_name_from_the_model_starts_the_flow(fake):
    fake.script(Reply("set slot flow_name check_balance"))
    assert make_generator(fake).generate("balance", context()).commands == (StartFlow("check_balance"),)


def test_a_template_failing_at_render_time_is_cannot_handle_without_calling_the_model(fake):
    generator = make_generator(fake)
    generator.prompt = PromptBuilder("{{ 1 / 0 }}")
    result = generator.generate("balance", context())
    assert result.commands == (CannotHandle(),)
    assert result.error == "prompt template failed: ZeroDivisionError: division by zero"
    assert fake.requests == []


def test_prompt_templates_cannot_reach_python_internals(fake):
    generator = make_generator(fake)
    generator.prompt = PromptBuilder("{{ user_message.__class__.__mro__[1].__subclasses__() }}")
    result = generator.generate("balance", context())
    assert result.commands == (CannotHandle(),)
    assert "unsafe" in result.error
    assert fake.requests == []


def test_a_broken_prompt_template_names_the_line():
    with pytest.raises(PromptTemplateError, match="prompt template line 2"):
        PromptBuilder("ok\n{% for x in %}")
