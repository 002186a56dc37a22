"""Custom actions through a real Rasa SDK action server started on loopback."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import httpx
import pytest

from engine_kit import Chat, build
from engine.action_server import HttpActions

ACTIONS_MODULE = '''
from rasa_sdk import Action
from rasa_sdk.events import SlotSet


class CheckBalance(Action):
    def name(self):
        return "check_balance"

    def run(self, dispatcher, tracker, domain):
        owner = tracker.get_slot("owner")
        dispatcher.utter_message(response="utter_balance_intro", owner_title="dear " + owner)
        dispatcher.utter_message(text="Computed by the action server.")
        return [SlotSet("balance", 1200.5)]


class Explode(Action):
    def name(self):
        return "explode"

    def run(self, dispatcher, tracker, domain):
        raise RuntimeError("boom")
'''

DOMAIN = """
slots:
  owner: {type: text}
  balance: {type: float}
responses:
  utter_ask_owner: [{text: "Whose account?"}]
  utter_balance_intro: [{text: "Hello {owner_title}, let me check."}]
  utter_balance: [{text: "The balance is {balance}."}]
actions:
  - check_balance
  - explode
"""

FLOWS = """
flows:
  show_balance:
    description: show the balance
    steps:
      - collect: owner
      - action: check_balance
      - action: utter_balance
  broken:
    description: an action that crashes
    steps:
      - action: explode
      - action: utter_balance
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("actions")
    (folder / "my_actions.py").write_text(textwrap.dedent(ACTIONS_MODULE))
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "my_actions", "--port", str(port)],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)  # its own process group: sanic's worker child goes down with it
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{url}/health", timeout=0.5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the rasa_sdk action server did not start")
        yield f"{url}/webhook"
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the server's group; a server that hangs on shutdown (seen once) is killed, never left behind."""
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait(timeout=10)
    _signal_group(process, signal.SIGKILL)  # a worker child that outlived its parent


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def test_custom_action_messages_and_slot_events_come_back_from_the_server(action_server):
    chat = Chat(build(DOMAIN, FLOWS), actions=HttpActions(action_server))
    chat.say("start flow show_balance")
    turn = chat.say("set slot owner Ann")
    assert Chat.texts(turn)[:3] == ["Hello dear Ann, let me check.", "Computed by the action server.",
                                   "The balance is 1200.5."]
    assert turn.messages[0]["response"] == "utter_balance_intro"


def test_the_action_endpoint_from_endpoints_yml_is_used_by_default(action_server):
    assistant = build(DOMAIN, FLOWS, endpoints={"action_endpoint": {"url": action_server}})
    chat = Chat(assistant)
    chat.say("start flow show_balance")
    assert "The balance is 1200.5." in Chat.texts(chat.say("set slot owner Bo"))


def test_an_action_that_crashes_on_the_server_triggers_the_internal_error_pattern(action_server):
    chat = Chat(build(DOMAIN, FLOWS), actions=HttpActions(action_server))
    turn = chat.say("start flow broken")
    assert Chat.texts(turn)[0] == "Sorry, I am having trouble with that. Please try again in a few minutes."
    assert turn.stack == [] or "broken" not in turn.stack
    assert turn.error is None


def test_an_unreachable_action_server_also_triggers_the_internal_error_pattern():
    chat = Chat(build(DOMAIN, FLOWS), actions=HttpActions(f"http://127.0.0.1:{_free_port()}/webhook",
                                                          timeout=1))
    turn = chat.say("start flow broken")
    assert Chat.texts(turn)[0] == "Sorry, I am having trouble with that. Please try again in a few minutes."


def test_an_action_server_that_does_not_answer_in_time_fails_the_action_with_a_clear_error():
    from engine.actions import ActionFailed

    with socket.socket() as silent:  # accepts the connection (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/webhook"
        chat = Chat(build(DOMAIN, FLOWS))
        with pytest.raises(ActionFailed) as failed:
            HttpActions(url, timeout=0.2).run("check_balance", chat.conversation.tracker)
    assert str(failed.value) == f"action 'check_balance': the action server at {url} did not answer within 0.2 s"
