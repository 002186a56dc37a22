"""The engine's command line (replay, chat, validate, test; `understand` belongs to engine.understanding)."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from typing import TextIO

from engine.assistant import load_project
from engine.conversation import Conversation, Turn
from engine.errors import DefinitionError, EngineError


def _print_problems(error: DefinitionError, out: TextIO) -> None:
    print(f"error: {len(error.problems)} problem(s) in the assistant definition", file=out)
    for problem in error.problems:
        print(f"  - {problem}", file=out)


def cmd_replay(args: argparse.Namespace) -> int:
    from engine.replay import replay_file
    # Rasa trains and runs projects that `rasa data validate` would complain about (e.g. a
    # collect without a question only fails when reached), so replay like Rasa and warn.
    assistant = load_project(args.project, strict=False)
    for problem in assistant.problems:
        print(f"warning: {problem}", file=sys.stderr)
    trace = replay_file(assistant, args.conversations)
    json.dump(trace, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    load_project(args.project)
    print("ok")
    return 0


def _show_turn(turn: Turn, out: TextIO, verbose: bool) -> None:
    for message in turn.messages:
        print(f"bot> {message.get('text')}", file=out)
        for button in message.get("buttons", []):
            print(f"     [{button['title']}] {button['payload']}", file=out)
    if verbose:
        for flow_event in turn.flows:
            print(f"  · {flow_event}", file=out)
        if turn.slots:
            print(f"  · slots {json.dumps(turn.slots, ensure_ascii=False)}", file=out)
        print(f"  · stack {turn.stack}", file=out)
    if turn.error:
        print(f"  ! {turn.error}", file=out)


def _load_generator(spec: str | None, assistant):
    if not spec:
        return None
    if importlib.util.find_spec("engine.understanding") is None:
        raise EngineError("--generator needs engine.understanding, which is not installed")
    module = importlib.import_module("engine.understanding")
    factory = getattr(module, "make_generator", None)
    if factory is None:
        raise EngineError("engine.understanding has no make_generator(name, assistant)")
    return factory(spec, assistant)


def cmd_chat(args: argparse.Namespace, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    assistant = load_project(args.project)
    conversation = Conversation(assistant, generator=_load_generator(args.generator, assistant))
    _show_turn(conversation.start_session(), out, args.verbose)
    syntax = assistant.command_syntax
    print(f"(type commands like 'start flow <id>' in grammar {syntax}; Ctrl-D to quit)", file=out)
    for line in stdin:
        text = line.rstrip("\n")
        if not text.strip():
            continue
        _show_turn(conversation.handle(text.replace("\\n", "\n")), out, args.verbose)
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from pathlib import Path

    from engine.e2e import format_report, load_test_cases, run_test_cases
    project = Path(args.project)
    assistant = load_project(project, strict=False)  # like Rasa, test what would train
    generator = None if args.generator == "scripted" else _load_generator(args.generator, assistant)
    paths = args.paths or [project / "tests"]
    cases = load_test_cases(paths, base=Path.cwd())
    if not cases:
        print(f"error: no e2e test cases (YAML files with 'test_cases') in {', '.join(map(str, paths))}",
              file=sys.stderr)
        return 1
    results = run_test_cases(assistant, cases, generator)
    print(format_report(results))
    return 0 if all(r.passed for r in results) else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m engine")
    sub = parser.add_subparsers(dest="command", required=True)
    replay = sub.add_parser("replay", help="replay a conformance conversation file")
    replay.add_argument("project")
    replay.add_argument("conversations")
    replay.set_defaults(func=cmd_replay)
    chat = sub.add_parser("chat", help="chat with an assistant in the terminal")
    chat.add_argument("project")
    chat.add_argument("--generator", help="command generator from engine.understanding")
    chat.add_argument("-v", "--verbose", action="store_true", help="show flow events, slots, stack")
    chat.set_defaults(func=cmd_chat)
    validate = sub.add_parser("validate", help="check a project and list every problem")
    validate.add_argument("project")
    validate.set_defaults(func=cmd_validate)
    test = sub.add_parser("test", help="run Rasa Pro e2e test files against a project")
    test.add_argument("project")
    test.add_argument("paths", nargs="*", help="test files or folders (default: PROJECT/tests)")
    test.add_argument("--generator", choices=("scripted", "offline", "llm"), default="scripted",
                      help="scripted: each user message is the command generator's output")
    test.set_defaults(func=cmd_test)
    return parser


def main(argv: list[str]) -> int:
    if argv and argv[0] == "understand":
        if importlib.util.find_spec("engine.understanding.cli") is None:
            print("error: the 'understand' command needs engine.understanding.cli", file=sys.stderr)
            return 2
        return int(importlib.import_module("engine.understanding.cli").main(argv[1:]) or 0)
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except DefinitionError as exc:
        _print_problems(exc, sys.stderr)
        return 1
    except (EngineError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
