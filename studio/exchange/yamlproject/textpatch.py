"""Edit YAML text at the smallest scope: only the nodes whose value changed are written again.

ruamel's round-trip dump re-writes a whole document: comments attach to the node before them
(so they move when a list item is inserted), `True` becomes `true`, indentation is normalised.
Here the text itself is edited. Node positions come from the C composer; comment and blank
lines above an item (indented no deeper than it) travel with that item; an unchanged node keeps
its exact text, a changed string has only its changed words replaced in its own text when that
reads back right (scalartext; a wrapped line stays wrapped), else is written again in its
quoting. List items are matched by step `id`, then by content, then by kind (itemmatch), so an
insert, a delete or a move touches only those items' lines. What cannot be placed (a `- - nested`
item, a key that does not read back the same, an alias) raises Unpatchable and the enclosing
entry is written again instead; the whole result is re-read before it is returned.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString

from engine.safe_input import check_yaml

from . import scalartext, yamlio
from .itemmatch import key_plan, match_items


class Unpatchable(Exception):
    """The change cannot be placed in the text as it is; write the enclosing node again."""


def patch_text(text: str, old: Any, new: Any) -> str:
    """`text` (which reads as `old`) edited to read as `new`, touching only what changed.

    Raises Unpatchable when the edited text would not read back as `new`.
    """
    if old == new:
        return text
    closed = text.endswith("\n")
    work = text if closed else text + "\n"
    try:
        check_yaml(work)
        root = YAML(typ="safe").compose(work)
        # Closing the last line adds a line break to a block scalar that ends the file.
        read = old if closed else yamlio.load_plain(work)
    except YAMLError as exc:
        raise Unpatchable(str(exc)) from None
    if root is None:
        raise Unpatchable("empty document")
    wanted = new if read == old else carried(old, read, new)
    editor = _Editor(work, style_of(root))
    start, end, replacement = editor.node(root, read, wanted, floor_line=0)
    out = work[:start] + replacement + work[end:]
    if not closed and out.endswith(work[work.rfind("\n", 0, len(work) - 1) + 1:]):
        out, wanted = out[:-1], new  # the last line is still the file's last: it stays unclosed
    return _checked(out, wanted)


def carried(old: Any, read: Any, new: Any) -> Any:
    """`new` with each part it keeps unchanged from `old` taken as `read` (the text's reading) instead."""
    if new == old:
        return read
    if isinstance(new, dict) and isinstance(old, dict) and isinstance(read, dict):
        return {k: carried(old[k], read[k], v) if k in old and k in read else v for k, v in new.items()}
    if isinstance(new, list) and isinstance(old, list) and isinstance(read, list) and len(old) == len(read):
        plan = match_items(old, new)
        return [v if i is None else carried(old[i], read[i], v) for i, v in zip(plan, new)]
    return new


def _checked(out: str, wanted: Any) -> str:
    try:
        if yamlio.load_plain(out) == wanted:
            return out
    except YAMLError:
        pass
    raise Unpatchable("the edited text does not read back as the new content")


def style_of(root: Any, fallback: yamlio.Style = yamlio.DEFAULT_STYLE, budget: int = 500) -> yamlio.Style:
    """The indentation of the text under `root`: its first nested mapping and first block list.

    Read in document order, so new content copies its nearest neighbours (a domain file may
    indent `mappings:` lists one way and `actions:` another); parts not seen come from `fallback`.
    """
    mapping = sequence = offset = None
    stack = [root]
    while stack and budget and (mapping is None or sequence is None):
        node, budget = stack.pop(), budget - 1
        if isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        if not _is_block(node, MappingNode):
            continue
        for key, value in node.value:
            column = key.start_mark.column
            if mapping is None and _is_block(value, MappingNode) and value.value:
                mapping = value.value[0][0].start_mark.column - column
            if sequence is None and _is_block(value, SequenceNode) and value.value:
                offset = value.start_mark.column - column
                first = value.value[0]
                same_line = first.start_mark.line == value.start_mark.line
                sequence = first.start_mark.column - column if same_line else offset + 2
        stack.extend(reversed([value for _, value in node.value]))
    mapping = mapping if mapping and mapping > 0 else fallback.mapping
    if sequence is None or offset is None or offset < 0 or sequence < offset + 2:
        sequence, offset = fallback.sequence, fallback.offset
    return yamlio.Style(mapping, sequence, offset)


def _is_block(node: Any, kind: type) -> bool:
    return isinstance(node, kind) and not node.flow_style


def _is_container(value: Any) -> bool:
    return isinstance(value, (dict, list))


class _Editor:
    def __init__(self, text: str, style: yamlio.Style):
        self.text = text
        self.style = style
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    # ---- positions -------------------------------------------------------------------------

    def at(self, mark: Any) -> int:
        return self.starts[mark.line] + mark.column

    def line_of(self, index: int) -> int:
        return bisect.bisect_right(self.starts, index) - 1

    def line_start(self, index: int) -> int:
        return self.starts[self.line_of(index)]

    def line_end(self, index: int) -> int:
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found + 1

    def end(self, node: Any) -> int:
        """Where the node's content ends (before any comment on its last line)."""
        while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
            node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
        end = self.at(node.end_mark)
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            # A block scalar ends at the start of the line after it.
            while end > self.at(node.start_mark) and self.text[end - 1] in "\n ":
                end -= 1
        return end

    def _trivia(self, line: int, column: int) -> bool:
        """A blank line, or a comment indented no deeper than `column`."""
        start = self.starts[line]
        text = self.text[start:self.starts[line + 1]] if line + 1 < len(self.starts) else self.text[start:]
        stripped = text.strip()
        if not stripped:
            return True
        return stripped.startswith("#") and len(text) - len(text.lstrip(" ")) <= column

    def chunk_starts(self, starts: list[int], ends: list[int], floor_line: int) -> list[int]:
        """Where each child's text begins: its own line, with the comments and blank lines above it."""
        out = []
        for i, start in enumerate(starts):
            before = self.text[self.line_start(start):start]
            if before.strip():
                if i:
                    raise Unpatchable("an item shares a line with another")
                out.append(start)  # the first key of a `- key: value` item: nothing can precede it
                continue
            line = self.line_of(start)
            lowest = self.line_of(ends[i - 1]) + 1 if i else floor_line
            while line - 1 >= lowest and self._trivia(line - 1, len(before)):
                line -= 1
            out.append(self.starts[line])
        return out

    # ---- editing ---------------------------------------------------------------------------

    def node(self, node: Any, old: Any, new: Any, floor_line: int) -> tuple[int, int, str]:
        """(start, end, replacement) for a block mapping or list whose value changes from old to new."""
        if getattr(node, "anchor", None):
            raise Unpatchable("anchored node")
        if _is_block(node, MappingNode) and node.value and isinstance(old, dict) and isinstance(new, dict) and new:
            return self.mapping(node, old, new, floor_line)
        if _is_block(node, SequenceNode) and node.value and isinstance(old, list) and isinstance(new, list) and new:
            return self.sequence(node, old, new, floor_line)
        raise Unpatchable("not a block collection on both sides")

    def mapping(self, node: MappingNode, old: dict, new: dict, floor_line: int) -> tuple[int, int, str]:
        pairs = node.value
        keys = [self.key_name(k) for k, _ in pairs]
        if len(set(keys)) != len(keys) or set(keys) != set(old):
            raise Unpatchable("keys do not read back as written")
        column = pairs[0][0].start_mark.column
        style = style_of(node, self.style, budget=50)
        starts = [self.at(k.start_mark) for k, _ in pairs]
        ends = [self.end(v) for _, v in pairs]
        bounds = self.chunk_starts(starts, ends, floor_line) + [self.line_end(ends[-1])]
        inline = bounds[0] == starts[0] and bool(self.text[self.line_start(starts[0]):starts[0]].strip())
        pieces = []
        for step in key_plan(keys, old, new):
            if step[0] == "new":
                pieces.append(self.render_entry(step[1], new[step[1]], column, style=style))
                continue
            _, i, name = step
            piece = self.entry(pairs[i], old[keys[i]], new[name], (bounds[i], bounds[i + 1]),
                               None if name == keys[i] else name)
            pieces.append(" " * column + piece if i == 0 and inline else piece)
        text = "".join(pieces)
        if inline:
            # The mapping starts after a `- `: its first line must be a key at the mapping's column.
            if not text.startswith(" " * column) or text[column:column + 1] in (" ", "#", "\n", ""):
                raise Unpatchable("the first key of a list item would move")
            text = text[column:]
        return bounds[0], bounds[-1], text

    def sequence(self, node: SequenceNode, old: list, new: list, floor_line: int) -> tuple[int, int, str]:
        items = node.value
        if len(items) != len(old):
            raise Unpatchable("items do not read back as written")
        dashes = [self.dash(item) for item in items]
        column = dashes[0] - self.line_start(dashes[0])
        ends = [self.end(item) for item in items]
        bounds = self.chunk_starts(dashes, ends, floor_line) + [self.line_end(ends[-1])]
        if bounds[0] != self.line_start(bounds[0]):
            raise Unpatchable("a list that starts mid-line")
        pieces = []
        plan = match_items(old, new)
        style = style_of(node, self.style, budget=50)
        for j, i in enumerate(plan):
            if i is None:
                pieces.append(self.render_item(new[j], column, style))
            elif old[i] == new[j]:
                pieces.append(self.text[bounds[i]:bounds[i + 1]])
            else:
                pieces.append(self.item(items[i], old[i], new[j], dashes[i], (bounds[i], bounds[i + 1]), column))
        if plan[0] != 0:
            # A blank line that separated an item from the one above it does not open the list.
            pieces[0] = pieces[0].lstrip("\n")
        return bounds[0], bounds[-1], "".join(pieces)

    def dash(self, item: Any) -> int:
        index = self.at(item.start_mark) - 1
        while index >= 0 and self.text[index] == " ":
            index -= 1
        if index < 0 or self.text[index] != "-" or self.text[self.line_start(index):index].strip():
            raise Unpatchable("a list item not on its own `- ` line")
        return index

    def entry(self, pair: tuple, old: Any, new: Any, chunk: tuple[int, int], rename: str | None) -> str:
        """The text of one `key: value` chunk with only its changed parts rewritten."""
        key, value = pair
        edits = []
        if old != new:
            edits.append(self.value_edit(key, value, old, new, rename))
        if rename is not None and not (edits and edits[0][0] <= self.at(key.start_mark)):
            text = self.scalar_text(rename, key)
            if text is None:
                raise Unpatchable("a key that needs more than one line")
            edits.append((self.at(key.start_mark), self.at(key.end_mark), text))
        return self.apply(chunk, edits)

    def value_edit(self, key: Any, value: Any, old: Any, new: Any, rename: str | None) -> tuple[int, int, str]:
        try:
            if _is_container(new) and not (isinstance(value, ScalarNode) or value.flow_style):
                return self.node(value, old, new, self.line_of(self.at(key.start_mark)) + 1)
            edit = self.scalar_edit(value, old, new, self.at(key.start_mark), {self.key_name(key): new})
            if edit is not None:
                return edit
            rendered = self.inline_text(new, value)
            if rendered is not None:
                return self.inline_edit(value, rendered)
        except Unpatchable:
            pass
        start, column = self.at(key.start_mark), key.start_mark.column
        # An empty `{}` or `[]` that gets content becomes a block; a `[flow, list]` stays one.
        flow = not isinstance(value, ScalarNode) and value.flow_style and bool(value.value)
        text = self.render_entry(rename or self.key_name(key), new, column, flow=flow, like=value)[column:]
        return start, self.line_end(self.end(value)), text

    def item(self, node: Any, old: Any, new: Any, dash: int, chunk: tuple[int, int], column: int) -> str:
        try:
            if _is_container(new) and not (isinstance(node, ScalarNode) or node.flow_style):
                edit = self.node(node, old, new, self.line_of(dash) + 1)
                return self.apply(chunk, [edit])
            edit = self.scalar_edit(node, old, new, dash, [new])
            if edit is not None:
                return self.apply(chunk, [edit])
            rendered = self.inline_text(new, node)
            if rendered is not None:
                return self.apply(chunk, [self.inline_edit(node, rendered)])
        except Unpatchable:
            pass
        text = self.render_item(new, column)[column:]
        return self.apply(chunk, [(dash, self.line_end(self.end(node)), text)])

    def scalar_edit(self, node: Any, old: Any, new: Any, context: int, reads_as: Any) -> tuple[int, int, str] | None:
        """The string's own text with only the changed words replaced, when the entry or item that
        starts at `context` then reads as `reads_as`; None otherwise."""
        if not (isinstance(node, ScalarNode) and isinstance(old, str) and isinstance(new, str)) or node.anchor:
            return None
        start, end = self.at(node.start_mark), self.end(node)
        source = self.text[start:end]
        patched = scalartext.replaced_in_source(source, old, new)
        if patched is None:
            return None
        pad = " " * (context - self.line_start(context))
        try:
            if yamlio.load_plain(pad + self.text[context:start] + patched + "\n") != reads_as:
                return None
        except YAMLError:
            return None
        if "\n" in source or "\n" in patched:
            return start, end, patched
        return self.inline_edit(node, patched)

    def inline_edit(self, node: Any, rendered: str) -> tuple[int, int, str]:
        """Replace a one-line value; a comment after it on the line keeps its column."""
        start, end = self.at(node.start_mark), self.end(node)
        rest = self.text[end:self.line_end(end)]
        gap = len(rest) - len(rest.lstrip(" "))
        if gap and rest[gap:gap + 1] == "#":
            width = max(1, gap + (end - start) - len(rendered))
            return start, end + gap, rendered + " " * width
        return start, end, rendered

    def apply(self, chunk: tuple[int, int], edits: list[tuple[int, int, str]]) -> str:
        start, end = chunk
        out, cursor = [], start
        for edit_start, edit_end, text in sorted(edits):
            if edit_start < cursor or edit_end > end:
                raise Unpatchable("overlapping edits")
            out += [self.text[cursor:edit_start], text]
            cursor = edit_end
        out.append(self.text[cursor:end])
        return "".join(out)

    def key_name(self, key: Any) -> str:
        if not isinstance(key, ScalarNode):
            raise Unpatchable("a complex key")
        return key.value

    # ---- rendering new text ----------------------------------------------------------------

    def inline_text(self, value: Any, like: Any) -> str | None:
        """The one-line text that replaces a one-line scalar or `[flow, list]`, or None."""
        if like.start_mark.line != like.end_mark.line or getattr(like, "anchor", None):
            return None
        if isinstance(like, ScalarNode):
            return None if _is_container(value) or like.style in ("|", ">") else self.scalar_text(value, like)
        if not like.value or not isinstance(value, (dict, list)) or isinstance(value, dict) != isinstance(like, MappingNode):
            return None
        node = yamlio.to_node(value)
        node.fa.set_flow_style()
        text = yamlio.dump({"k": node}, self.style)
        return text[3:-1] if text.startswith("k: ") and text.count("\n") == 1 else None

    def scalar_text(self, value: Any, like: Any) -> str | None:
        """`value` as one-line YAML, in the quoting (or boolean spelling) of the node it replaces."""
        if value is None:
            return "null"
        if isinstance(value, bool) and like.tag.endswith(":bool") and like.value:
            word = "true" if value else "false"
            return word.upper() if like.value.isupper() else word.capitalize() if like.value[0].isupper() else word
        value = _styled(value, like)
        text = yamlio.dump({"k": value}, self.style)
        if not text.startswith("k: ") or text.count("\n") != 1:
            return None
        return text[3:-1]

    def render_entry(self, key: str, value: Any, column: int, flow: bool = False, like: Any = None,
                     style: yamlio.Style | None = None) -> str:
        node = yamlio.to_node({key: _styled(value, like)})
        if flow and isinstance(node[key], (CommentedMap, CommentedSeq)):
            node[key].fa.set_flow_style()
        return _indent(yamlio.dump(node, style or self.style), column)

    def render_item(self, value: Any, column: int, style: yamlio.Style | None = None) -> str:
        style = style or self.style
        lines = yamlio.dump(yamlio.to_node({"k": [value]}), style).splitlines(keepends=True)[1:]
        offset = style.offset
        return _indent("".join(line[offset:] if line.strip() else line for line in lines), column)


def _styled(value: Any, like: Any) -> Any:
    """A new string keeps the quoting style of the scalar it replaces."""
    if not isinstance(value, str) or not isinstance(like, ScalarNode):
        return value
    if like.style == '"':
        return DoubleQuotedScalarString(value)
    if like.style == "'":
        return SingleQuotedScalarString(value)
    if like.style == "|" and "\n" in value:
        return LiteralScalarString(value)
    return value


def _indent(text: str, column: int) -> str:
    pad = " " * column
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))
