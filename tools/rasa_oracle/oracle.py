"""Rasa Pro 3.21 oracle: replays a conformance conversation file against REAL Rasa Pro
and prints the normalized trace of FORMAT.md section 3.

Usage: <scratch venv with rasa-pro==3.21.0>/bin/python tools/rasa_oracle/oracle.py PROJECT_DIR CONVERSATIONS.yml > trace.json

Only changes to Rasa:
* the command generator's LLM call returns the user text (so Rasa's own parser runs);
* EnterpriseSearchPolicy skips embeddings / vector store and answers with the scripted
  `search_answer` (null -> cannot_handle_no_relevant_answer);
* custom actions run through Rasa's e2e stub executor (stubs resolved per turn).
"""

import asyncio
import copy
import json
import logging
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

os.environ.setdefault("OPENAI_API_KEY", "sk-oracle-dummy")
os.environ.setdefault("LLM_API_HEALTH_CHECK", "false")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")
os.environ.setdefault("LOG_LEVEL_LIBRARIES", "ERROR")

import yaml  # noqa: E402

DEFAULT_SEARCH_ANSWER = "[oracle: scripted knowledge answer]"
HIDDEN_SLOTS = {
    "dialogue_stack", "flow_hashes", "silence_timeout", "consecutive_silence_timeouts",
    "session_started_metadata", "mocked_datetime", "route_session_to_calm",
}
_UNSET = object()


class State:
    user_text = ""
    search_answer = DEFAULT_SEARCH_ANSWER


# --------------------------------------------------------------------------- patches

def quiet_structlog():
    import structlog
    import rasa.utils.log_utils as log_utils

    def configure_quietly(*args, **kwargs):
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))

    configure_quietly()
    log_utils.configure_structlog = configure_quietly

def install_patches():
    from rasa.shared.providers.llm.llm_response import LLMResponse
    from rasa.dialogue_understanding.generator.llm_based_command_generator import (
        LLMBasedCommandGenerator,
    )

    async def fake_invoke_llm(self, llm_input):
        return LLMResponse(id="oracle", choices=[State.user_text], created=0, model="oracle")

    LLMBasedCommandGenerator.invoke_llm = fake_invoke_llm

    # the single-step generator might have its own reference
    try:
        from rasa.dialogue_understanding.generator.single_step import (
            single_step_based_llm_command_generator as ssb,
        )
        for name in dir(ssb):
            cls = getattr(ssb, name)
            if isinstance(cls, type) and issubclass(cls, LLMBasedCommandGenerator) and "invoke_llm" in cls.__dict__:
                cls.invoke_llm = fake_invoke_llm
    except Exception:
        pass

    from rasa.core.policies import enterprise_search_policy as esp_mod
    from rasa.core.policies.enterprise_search_policy import EnterpriseSearchPolicy
    from rasa.core.information_retrieval import SearchResultList

    from typing import Any, Dict, List, Optional, Text
    from rasa.engine.storage.resource import Resource
    from rasa.engine.storage.storage import ModelStorage
    from rasa.engine.graph import ExecutionContext
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.generator import TrackerWithCachedStates

    def fake_train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain,
                   **kwargs: Any) -> Resource:
        self.persist()
        return self._resource

    @classmethod
    def fake_load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                  execution_context: ExecutionContext, **kwargs: Any) -> EnterpriseSearchPolicy:
        prompt_template = cls._load_prompt_template(model_storage, resource)
        return cls(config, model_storage, resource, execution_context,
                   vector_store=None, prompt_template=prompt_template)

    async def fake_predict(self, tracker: DialogueStateTracker, domain: Domain,
                           endpoints: Optional[Any] = None,
                           rule_only_data: Optional[Dict[Text, Any]] = None,
                           **kwargs: Any) -> PolicyPrediction:
        if not self.supports_current_stack_frame(tracker, False, False) or \
                self.should_abstain_in_coexistence(tracker, True):
            return self._prediction(self._default_predictions(domain))
        answer = State.search_answer
        if answer is None:
            return self._create_prediction_cannot_handle(
                domain, tracker, esp_mod.RASA_PATTERN_CANNOT_HANDLE_NO_RELEVANT_ANSWER)
        query = self._prepare_search_query(tracker, int(self.max_messages_in_query))
        metadata = self._get_action_metadata(query, SearchResultList(results=[], metadata={}), answer)
        return self._create_prediction(domain=domain, tracker=tracker, action_metadata=metadata)

    EnterpriseSearchPolicy.train = fake_train
    EnterpriseSearchPolicy.load = fake_load
    EnterpriseSearchPolicy.predict_action_probabilities = fake_predict

    # Stubs: Rasa's _utter_responses pops keys from the stub dicts; hand out copies so the
    # same stub behaves the same every time it runs.
    from rasa.core.actions.e2e_stub_custom_action_executor import E2EStubCustomActionExecutor
    original_run = E2EStubCustomActionExecutor.run

    async def run_with_copy(self, tracker, domain, include_domain=False):
        return copy.deepcopy(await original_run(self, tracker, domain, include_domain))

    E2EStubCustomActionExecutor.run = run_with_copy

    # Variation choice: the first eligible variation instead of a random one (FORMAT.md 3.2).
    from rasa.core.nlg.generator import ResponseVariationFilter
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    def first_response_for(self, utter_action, output_channel, filled_slots, language=None):
        if utter_action not in self.responses:
            return None
        suitable = ResponseVariationFilter(self.responses).responses_for_utter_action(
            utter_action, output_channel, filled_slots, language)
        return suitable[0] if suitable else None

    TemplatedNaturalLanguageGenerator._random_response_for = first_response_for


# --------------------------------------------------------------------------- training

def validate(project: Path) -> None:
    """Run Rasa's own project validator (what `rasa train` / `rasa data validate` check)."""
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    importer = TrainingDataImporter.load_from_config(
        str(project / "config.yml"), str(project / "domain.yml"), [str(project / "data")])
    validator = Validator.from_importer(importer)
    checks = {
        "flows": validator.verify_flows(),
        "slot mappings": validator.validate_CALM_slot_mappings(),
        "response predicates": validator.validate_conditional_response_variation_predicates(),
        "button payloads": validator.validate_button_payloads(),
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        raise SystemExit(f"Rasa validation failed: {', '.join(failed)} (see log above)")


def train(project: Path, out_dir: Path) -> str:
    from rasa.model_training import train as rasa_train

    result = asyncio.run(rasa_train(
        domain=str(project / "domain.yml"),
        config=str(project / "config.yml"),
        training_files=[str(project / "data")],
        output=str(out_dir),
        force_training=True,
    ))
    if not result.model:
        raise SystemExit(f"training failed (code {result.code})")
    # After training: the validator needs the config training initialises. ORACLE_SKIP_VALIDATION=1
    # re-records the old probes that today's validator refuses (see oracle_probes/README.md).
    if not os.environ.get("ORACLE_SKIP_VALIDATION"):
        validate(project)
    return result.model


# --------------------------------------------------------------------------- replay

def custom_action_names(domain):
    # A default action listed under the domain's `actions` (e.g. action_session_start) is
    # the project's own version: Rasa runs it as a custom action, so it is stubbed too.
    return [a for a in domain.user_actions if not a.startswith("utter_")]


def pick(key, turn, conversation, file_doc, default=_UNSET):
    for scope in (turn, conversation, file_doc):
        if isinstance(scope, dict) and key in scope:
            return scope[key]
    return default


def resolve_stub(action, turn, conversation, file_doc):
    for scope in (turn, conversation, file_doc):
        stubs = scope.get("stubs") if isinstance(scope, dict) else None
        if stubs and action in stubs:
            stub = stubs[action] or {}
            if isinstance(stub, list):
                stub = {"events": stub}
            return stub
    return {}


def slot_values(tracker):
    return {name: slot.value for name, slot in tracker.slots.items() if name not in HIDDEN_SLOTS}


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def jsonable(value):
    return json.loads(json.dumps(value, default=str))


def bot_message(event):
    data = event.data or {}
    msg = {"response": (event.metadata or {}).get("utter_action"), "text": event.text}
    buttons = data.get("buttons") or []
    if buttons:
        msg["buttons"] = [{"title": b.get("title"), "payload": b.get("payload")} for b in buttons]
    if data.get("custom"):
        msg["custom"] = data["custom"]
    return msg


def flow_event(event):
    from rasa.shared.core.events import (
        FlowCancelled, FlowCompleted, FlowInterrupted, FlowResumed, FlowStarted,
    )

    kinds = {FlowStarted: "started", FlowCompleted: "completed", FlowCancelled: "cancelled",
             FlowInterrupted: "interrupted", FlowResumed: "resumed"}
    kind = kinds.get(type(event))
    if kind is None or event.flow_id == "pattern_collect_information":
        return None
    return f"{kind}:{event.flow_id}"


def stack_ids(tracker):
    out = []
    for frame in tracker.stack.frames:
        flow_id = getattr(frame, "flow_id", None)
        if flow_id == "pattern_collect_information":
            continue
        out.append(flow_id if flow_id else frame.type())
    return out


async def replay(model_path, conversations_file: Path):
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.e2e_test.constants import (
        KEY_STUB_CUSTOM_ACTIONS, TEST_CASE_NAME, TEST_FILE_NAME,
    )
    from rasa.e2e_test.stub_custom_action import StubCustomAction
    from rasa.utils.endpoints import EndpointConfig

    file_doc = yaml.safe_load(conversations_file.read_text(encoding="utf-8"))
    if isinstance(file_doc, list):
        file_doc = {"conversations": file_doc}

    action_endpoint = EndpointConfig(
        url=None, actions_module="actions",
        **{TEST_CASE_NAME: "oracle_case", TEST_FILE_NAME: "oracle_file",
           KEY_STUB_CUSTOM_ACTIONS: {"oracle_file::__none__": StubCustomAction("__none__", [], [])}},
    )
    agent = Agent.load(model_path, action_endpoint=action_endpoint)
    domain = agent.domain
    actions = custom_action_names(domain)

    output = {}
    for conversation in file_doc.get("conversations") or []:
        sender = f"oracle-{uuid.uuid4().hex}"
        turns = [{"user": "/session_start"}] + [
            t if isinstance(t, dict) else {"user": t} for t in conversation.get("turns") or []
        ]
        results = []
        before = None
        for index, turn in enumerate(turns):
            text = str(turn["user"]).rstrip("\n")
            stubs = {}
            for action in actions:
                stub = resolve_stub(action, turn if index else {}, conversation, file_doc)
                stubs[f"oracle_case::{action}"] = StubCustomAction.from_dict(action, copy.deepcopy(stub))
            stubs["oracle_file::__none__"] = StubCustomAction("__none__", [], [])
            action_endpoint.kwargs[KEY_STUB_CUSTOM_ACTIONS] = stubs
            State.user_text = text
            State.search_answer = pick("search_answer", turn if index else {}, conversation, file_doc,
                                       DEFAULT_SEARCH_ANSWER)

            if before is None:
                # A fresh tracker that is NOT saved: a stored one (get_or_create_tracker appends
                # action_listen) would stop the processor from starting the session itself, as
                # it does for every new conversation on a real channel.
                fresh = agent.processor.tracker_store.init_tracker(sender)
                before = {name: slot.initial_value for name, slot in fresh.slots.items()
                          if name not in HIDDEN_SLOTS}
            # Events of this turn are told apart by timestamp: after a restart, retrieve()
            # drops older events and the stored event list may shrink.
            import time
            turn_started = time.time()
            time.sleep(0.002)
            entry = {"user": text}
            try:
                await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))
            except Exception as exc:  # pragma: no cover - reported in the trace
                entry["error"] = f"{type(exc).__name__}: {exc}"
            tracker = await agent.processor.tracker_store.retrieve(sender)
            full = await agent.processor.tracker_store.retrieve_full_tracker(sender)
            new_events = [e for e in full.events if e.timestamp > turn_started]
            from rasa.shared.core.events import BotUttered

            entry["bot"] = [bot_message(e) for e in new_events if isinstance(e, BotUttered)]
            after = slot_values(tracker)
            entry["slots"] = {k: jsonable(v) for k, v in after.items()
                              if not same(before.get(k), v)}
            entry["flows"] = [f for f in (flow_event(e) for e in new_events) if f]
            entry["stack"] = stack_ids(tracker)
            if os.environ.get("ORACLE_DEBUG"):
                print(f"## {conversation['id']} t{index} {text!r}", file=sys.stderr)
                print("   STACK", [(getattr(f, "flow_id", None), str(getattr(f, "frame_type", ""))) for f in tracker.stack.frames], file=sys.stderr)
                for e in new_events:
                    print("   ", type(e).__name__, str(e)[:300], file=sys.stderr)
            before = after
            results.append(entry)
        output[conversation["id"]] = results
    return output


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    project, conversations = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    # Rasa's structlog writes to stdout: keep the real stdout for the trace only.
    real_stdout = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    logging.disable(logging.WARNING)
    quiet_structlog()
    install_patches()
    work = Path(tempfile.mkdtemp(prefix="oracle-"))
    old_cwd = os.getcwd()
    try:
        # relative paths in config.yml (e.g. docs source) are resolved from the project dir
        os.chdir(project)
        model = train(project, work)
        trace = asyncio.run(replay(model, conversations))
    finally:
        os.chdir(old_cwd)
        shutil.rmtree(work, ignore_errors=True)
    json.dump(trace, real_stdout, indent=1, ensure_ascii=False, sort_keys=True)
    real_stdout.write("\n")
    real_stdout.flush()


if __name__ == "__main__":
    main()
