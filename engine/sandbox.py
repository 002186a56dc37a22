"""The one place user-written Jinja is compiled and rendered: sandboxed, immutable, bounded.

Conditions, `{{context.x}}` placeholders and `metadata: {template: jinja}` responses are written
by whoever edits an assistant, so they render only in `ImmutableSandboxedEnvironment` (no
`__globals__`, no mutation of the values passed in). The sandbox alone does not stop a template
from burning the CPU or the memory (`range` loops in loops, `"x" * 10**9`, `"x"|center(10**9)`,
`s|replace("x", s)`), so every render here also has a time budget and a size cap: time is checked
at each call, attribute lookup, operator and loop step over `range`, and the budget counts the
CPU the rendering thread spent, so a busy or stalled machine never fails a template that did
little work; sizes are checked before an operation that could build a large value (from its
arguments) and on every value built. Blocks that capture output into a value (`{% set %}…{% endset %}`,
macros, `{% call %}`, `{% filter %}`) are refused, so all other output streams through `render`,
which stops at the cap.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from typing import Any, Iterable, Iterator

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace

MAX_SIZE = 100_000    # characters of rendered output, and items/characters of any value built
MAX_SECONDS = 0.5     # of the rendering thread's CPU, per render
MAX_RANGE = 10_000    # items of one range()
MAX_BITS = 65_536     # of any integer built (big-number arithmetic is the other CPU sink)
_WIDE_FORMAT = re.compile(r"%[-+ #0]*\d{6,}|%[-+ #0]*\*|\{[^{}]*:[^{}]*(\d{6,}|\{)")
_CAPTURING = (nodes.AssignBlock, nodes.Macro, nodes.CallBlock, nodes.FilterBlock)


class TemplateLimitError(SecurityError):
    """A template went past a render limit (time, size) or uses a construct refused here."""


_STATE = threading.local()


def _check_time() -> None:
    """The cheap wall clock says when to look; the thread's CPU time decides. Past the wall
    deadline, a render that spent less than its budget of CPU (the thread waited for the
    processor, the host stole it) gets the rest of its budget as a new wall deadline."""
    deadline = getattr(_STATE, "deadline", None)
    if deadline is None or time.perf_counter() <= deadline:
        return
    left = MAX_SECONDS - (time.thread_time() - _STATE.cpu_started)
    if left <= 0:
        raise TemplateLimitError(f"template took longer than {MAX_SECONDS:g} s to render")
    _STATE.deadline = time.perf_counter() + left


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, bytes, list, tuple, dict)) and len(value) > MAX_SIZE:
        raise TemplateLimitError(f"template built a value longer than {MAX_SIZE}")
    if isinstance(value, int) and value.bit_length() > MAX_BITS:
        raise TemplateLimitError("template built a number too large")
    return value


def _projected(size: int) -> None:
    if size > MAX_SIZE:
        raise TemplateLimitError(f"template would build a value longer than {MAX_SIZE}")


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict)) else len(str(value))


def _check_operation(name: str, target: Any, args: tuple) -> tuple:
    """Refuse, before it runs, an operation whose result would pass the cap; returns `args`
    (with a lazily joined iterable turned into a list, so it can be measured)."""
    if name in ("center", "ljust", "rjust", "zfill") and args and isinstance(args[0], int):
        _projected(args[0])
    elif name == "expandtabs" and isinstance(target, str):
        _projected(len(target) * (args[0] if args and isinstance(args[0], int) else 8))
    elif name == "replace" and isinstance(target, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        occurrences = target.count(old) if old else len(target) + 1
        _projected(len(target) + occurrences * max(len(new) - len(old), 0))
    elif name == "indent" and isinstance(target, str):
        width = args[0] if args else 4
        pad = len(width) if isinstance(width, str) else int(width)
        _projected(len(target) + (target.count("\n") + 1) * pad)
    elif name == "wordwrap" and isinstance(target, str):
        width = args[0] if args and isinstance(args[0], int) else 79
        wrap = args[3] if len(args) > 3 and isinstance(args[3], str) else "\n"
        _projected(len(target) + (len(target) // max(width, 1) + 1) * len(wrap))
    elif name in ("format", "format_map") and isinstance(target, str) and _WIDE_FORMAT.search(target):
        raise TemplateLimitError("template format width is too large or computed")
    elif name == "join" and args and not isinstance(args[0], (str, bytes)):
        items = list(args[0]) if isinstance(args[0], Iterable) else args[0]
        separator = target if isinstance(target, str) else ""
        _projected(sum(_length(item) for item in items) + len(separator) * max(len(items) - 1, 0))
        return (items, *args[1:])
    return args


def _bounded_range(*args: int) -> Iterator[int]:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimitError(f"range() of {len(numbers)} items; at most {MAX_RANGE}")
    for number in numbers:
        _check_time()
        yield number


class _BoundedNamespace(Namespace):
    """`namespace()` is the one mutable thing a template can grow across loop steps."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_time()
        super().__setitem__(name, _check_size(value))


class _BoundedCodeGenerator(CodeGenerator):
    def visit_Concat(self, node: nodes.Concat, frame) -> None:  # `a ~ b`
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _BoundedEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(autoescape=False, **options)
        self.globals = {"range": _bounded_range, "dict": dict, "namespace": _BoundedNamespace,
                        "cycler": self.globals["cycler"], "joiner": self.globals["joiner"]}
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(_CAPTURING):
            raise TemplateLimitError(
                f"line {node.lineno}: blocks that capture output ({{% set %}}…{{% endset %}}, macro, "
                "call, filter) are not allowed in templates")
        return tree

    def bounded_concat(self, values: tuple) -> str:
        _check_time()
        pieces = [str(value) for value in values]
        _projected(sum(map(len, pieces)))
        return "".join(pieces)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _check_time()
        if operator in ("*", "**") and isinstance(left, int) and isinstance(right, int):
            bits = left.bit_length() * abs(right) if operator == "**" else left.bit_length() + right.bit_length()
            if bits > MAX_BITS:
                raise TemplateLimitError("template would build a number too large")
        elif operator == "*":
            sequence, count = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(count, int) and isinstance(sequence, (str, bytes, list, tuple)):
                _projected(len(sequence) * count)
        if operator == "%" and isinstance(left, str):
            _check_operation("format", left, ())
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - jinja's own signature
        _check_time()
        # The sandbox hands out str.format wrapped; the string it formats is the wrapped method's.
        bound = getattr(__obj, "__wrapped__", __obj)
        args = _check_operation(getattr(bound, "__name__", ""), getattr(bound, "__self__", None), args)
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _check_time()
        return super().getitem(obj, argument)


def _bounded_filter(name: str, function):
    """Filters run outside `call`; they get the same checks (functools.wraps keeps jinja's
    pass_context/pass_environment marker, so the first argument may be jinja's own)."""
    skip = 1 if getattr(function, "jinja_pass_arg", None) else 0

    @functools.wraps(function)
    def bounded(*args, **kwargs):
        _check_time()
        passed, value, rest = args[:skip], args[skip], args[skip + 1:]
        if name == "join":
            (value,) = _check_operation("join", rest[0] if rest else kwargs.get("d", ""), (value,))
        else:
            _check_operation(name, value, rest)
        return _check_size(function(*passed, value, *rest, **kwargs))
    return bounded


def bounded_environment(**options: Any) -> jinja2.Environment:
    """A sandboxed environment with the limits above (options as for jinja2.Environment);
    render its templates with `render_template`."""
    return _BoundedEnvironment(**options)


_ENV = bounded_environment()


@functools.lru_cache(maxsize=4096)
def compile_template(text: str) -> jinja2.Template:
    """Parse and compile (nothing of the template runs); raises jinja2.TemplateError."""
    return _ENV.from_string(text)


def check_syntax(text: str) -> None:
    """Parse only, for validation: raises jinja2.TemplateError, never renders."""
    _ENV.parse(text)


def render(text: str, values: dict[str, Any]) -> str:
    """Render `text` with `values` in the sandbox; raises jinja2.TemplateError (TemplateLimitError
    past a limit)."""
    return render_template(compile_template(text), values)


def render_template(template: jinja2.Template, values: dict[str, Any], *, max_size: int = MAX_SIZE) -> str:
    """Render a template of a bounded environment within the time budget, stopping at `max_size`
    characters. Nested renders share the outer render's deadline."""
    outer = getattr(_STATE, "deadline", None)
    if outer is None:
        _STATE.deadline, _STATE.cpu_started = time.perf_counter() + MAX_SECONDS, time.thread_time()
    try:
        pieces, size = [], 0
        for piece in template.generate(values):
            size += len(piece)
            if size > max_size:
                raise TemplateLimitError(f"template output is longer than {max_size} characters")
            pieces.append(piece)
        return "".join(pieces)
    finally:
        _STATE.deadline = outer
