"""Developer tool: runs REAL Rasa Pro 3.21's e2e runner on an e2e file (nothing imports it).

    /tmp/rasa-venv/bin/python tests/engine/e2e_data/rasa_referee.py PROJECT_COPY E2E_FILE

Like tools/rasa_oracle/oracle.py (whose patches it reuses: the LLM answers with the user text,
no embeddings, first response variation), it trains the project and then calls
`E2ETestRunner.run_tests` the way `rasa test e2e` does, with the file's stub_custom_actions.
Pass a scratch copy of the project: Rasa writes `.rasa/` into it. About a minute per project.
"""
import asyncio
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
os.environ["RASA_PRO_BETA_STUB_CUSTOM_ACTION"] = "true"
sys.path.insert(0, str(ROOT / "tools" / "rasa_oracle"))
from oracle import State, install_patches, quiet_structlog, train  # noqa: E402


def _patch_user_text() -> None:
    from rasa.core.agent import Agent
    original = Agent.handle_message

    async def handle(self, message):
        State.user_text = message.text  # the bypassed LLM answers with the user's text
        return await original(self, message)

    Agent.handle_message = handle


def run(project: Path, tests: Path) -> list:
    from rasa.core.config.configuration import Configuration
    from rasa.e2e_test.constants import KEY_STUB_CUSTOM_ACTIONS
    from rasa.e2e_test.e2e_test_runner import E2ETestRunner
    from rasa.e2e_test.utils.io import read_test_cases
    from rasa.utils.endpoints import EndpointConfig

    os.chdir(project)
    model = train(project, Path(tempfile.mkdtemp(prefix="referee-")))
    endpoints = Configuration.initialise_endpoints(endpoints_path=Path("endpoints.yml")).endpoints
    endpoints.tracker_store = endpoints.lock_store = endpoints.event_broker = None
    suite = read_test_cases(str(tests))
    if suite.stub_custom_actions:
        endpoints.action = EndpointConfig(actions_module="actions")
        endpoints.action.kwargs[KEY_STUB_CUSTOM_ACTIONS] = suite.stub_custom_actions
    runner = E2ETestRunner(model_path=model, endpoints=endpoints, test_case_path=tests)
    return asyncio.run(runner.run_tests(suite.test_cases, suite.fixtures_per_test, False,
                                        input_metadata=suite.metadata))


def main() -> None:
    project, tests = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # Rasa's logs go to stderr; stdout keeps the verdicts
    logging.disable(logging.WARNING)
    quiet_structlog()
    install_patches()
    _patch_user_text()
    results = run(project, tests)
    for result in results:
        if not result.pass_status:
            failure = result.assertion_failure
            print("FAILED", result.test_case.name, failure.error_message if failure else result.difference, file=out)
    print(f"rasa passed: {sum(r.pass_status for r in results)}/{len(results)}", file=out)
    out.flush()


if __name__ == "__main__":
    main()
