"""`python -m engine understand PROJECT_DIR`: commands for each message read from stdin.

Each line of stdin is one user message at the start of a fresh conversation; each output
line holds that message's commands in the assistant's command grammar joined by `; `.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Sequence, TextIO

from engine.assistant import load_project
from engine.errors import DefinitionError

from .bridge import AssistantView
from .llm import LLMConfigError, LLMGenerator, PromptTemplateError
from .nlu import read_nlu_examples
from .selection import GENERATORS, GeneratorConfigError, generator_for, llm_component


class _FreshState:
    """The dialogue state before anything happened: no flow, initial slot values."""

    def __init__(self, assistant: Any) -> None:
        self.active_flow = self.active_step = self.collecting_slot = None
        self.slots = {name: slot.initial_value for name, slot in assistant.slots.items()}
        self.recent_turns: list[tuple[str, str]] = []


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m engine understand", description=__doc__.splitlines()[0])
    parser.add_argument("project", help="Rasa Pro project folder (config.yml, domain.yml, data/)")
    parser.add_argument("--generator", choices=GENERATORS, help="default: from config.yml and the LLM settings")
    parser.add_argument("--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)")
    parser.add_argument("--model", help="model name (default: from endpoints.yml)")
    parser.add_argument("--api-key", help="API key (default: $OPENAI_API_KEY)")
    return parser


def _settings(args: argparse.Namespace, project: Path, config: dict, environ) -> dict:
    llm = {
        "base_url": args.base_url or environ.get("OPENAI_BASE_URL"),
        "api_key": args.api_key or environ.get("OPENAI_API_KEY"),
        "model": args.model,
    }
    settings: dict[str, Any] = {"generator": args.generator, "llm": {k: v for k, v in llm.items() if v}}
    template = (llm_component(config) or {}).get("prompt_template")
    if template and settings["generator"] != "offline" and settings["generator"] != "scripted":
        path = project / str(template)
        if not path.is_file():
            raise GeneratorConfigError(f"config.yml: prompt_template '{template}' not found in {project}")
        settings["prompt_template"] = path.read_text(encoding="utf-8")
    return settings


def main(argv: Sequence[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None,
         environ=None) -> int:
    args = _parser().parse_args(argv)
    stdin, stdout, environ = stdin or sys.stdin, stdout or sys.stdout, os.environ if environ is None else environ
    project = Path(args.project)
    try:
        assistant = load_project(project)
        settings = _settings(args, project, assistant.config, environ)
        generator = generator_for(assistant.config, settings, endpoints=assistant.endpoints, environ=environ)
    except DefinitionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (GeneratorConfigError, LLMConfigError, PromptTemplateError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if isinstance(generator, LLMGenerator) and not (generator.settings.base_url or generator.settings.api_key):
        print("error: the llm generator needs --base-url (or $OPENAI_BASE_URL) or --api-key "
              "(or $OPENAI_API_KEY)", file=sys.stderr)
        return 2
    view = AssistantView(assistant, read_nlu_examples(project))
    context = view.context(_FreshState(assistant))
    for line in stdin:
        message = line.rstrip("\r\n")
        understanding = generator.generate(message, context)
        stdout.write(understanding.command_text(assistant.command_syntax) + "\n")
        stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
