"""The dialogue stack: frames for user flows and patterns, as in Rasa's DialogueStack."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from engine.model.flows import START

COLLECT = "pattern_collect_information"
REGULAR, CALL, LINK, INTERRUPT = "regular", "call", "link", "interrupt"
# Frames that are not flows: Rasa's SearchStackFrame / ChitChatStackFrame, pushed by
# action_trigger_search / action_trigger_chitchat for a policy to answer. Without such a
# policy nothing pops them, so they stay on the stack and the bot just listens (Rasa
# reports them by their frame type, "search" / "chitchat").
NON_FLOW_FRAMES = frozenset({"search", "chitchat"})


# Frames are mutable on purpose: Rasa's executor moves a frame's step pointer in place on
# every step, and a correction edits frames found by id. Copies are taken for snapshots.
@dataclass
class Frame:
    flow_id: str
    frame_id: str
    step_id: str = START
    frame_type: str | None = REGULAR  # None for pattern frames
    fields: dict[str, Any] = field(default_factory=dict)  # pattern-specific context

    @property
    def is_user(self) -> bool:
        return self.frame_type is not None

    @property
    def is_pattern(self) -> bool:
        return self.frame_type is None and self.flow_id not in NON_FLOW_FRAMES

    @property
    def is_flow(self) -> bool:
        return self.frame_type is not None or self.flow_id not in NON_FLOW_FRAMES

    def own_context(self) -> dict[str, Any]:
        if not self.is_flow:
            return {"frame_id": self.frame_id, "type": self.flow_id}
        context = {"frame_id": self.frame_id, "flow_id": self.flow_id, "step_id": self.step_id}
        if self.is_user:
            context["frame_type"] = self.frame_type
            context["type"] = "flow"
        else:
            context["type"] = self.flow_id
        context.update(self.fields)
        return context

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"f": self.flow_id, "id": self.frame_id, "s": self.step_id}
        if self.frame_type != REGULAR:
            data["t"] = self.frame_type
        if self.fields:
            data["x"] = self.fields
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Frame:
        return cls(flow_id=data["f"], frame_id=data["id"], step_id=data["s"],
                   frame_type=data.get("t", REGULAR), fields=dict(data.get("x") or {}))


class Stack:
    """A list of frames, bottom first, with Rasa's lookup helpers."""

    def __init__(self, frames: Iterable[Frame] = ()):
        self.frames: list[Frame] = list(frames)

    def copy(self) -> Stack:
        # Shallow field copies are enough: pattern fields are replaced, never edited in place.
        return Stack(Frame(f.flow_id, f.frame_id, f.step_id, f.frame_type, dict(f.fields))
                     for f in self.frames)

    def is_empty(self) -> bool:
        return not self.frames

    def top(self, ignore: Callable[[Frame], bool] | None = None) -> Frame | None:
        for frame in reversed(self.frames):
            if ignore is None or not ignore(frame):
                return frame
        return None

    def push(self, frame: Frame, index: int | None = None) -> None:
        if index is None:
            self.frames.append(frame)
        else:
            self.frames.insert(index if index >= 0 else len(self.frames) + index, frame)

    def pop(self) -> Frame:
        return self.frames.pop()

    def current_context(self) -> dict[str, Any]:
        if not self.frames:
            return {}
        return context_of(self.frames, len(self.frames) - 1)

    def top_flow_frame(self, ignore_collect: bool = True, ignore_calls: bool = True) -> Frame | None:
        for frame in reversed(self.frames):
            if ignore_collect and frame.flow_id == COLLECT:
                continue
            if ignore_calls and frame.frame_type == CALL:
                continue
            if frame.is_flow:
                return frame
        return None

    def top_user_frame(self, ignore_call_and_link: bool = True) -> Frame | None:
        for frame in reversed(self.frames):
            if not frame.is_user:
                continue
            if ignore_call_and_link and frame.frame_type in (CALL, LINK):
                continue
            return frame
        return None

    def user_frames(self, ignore_call_and_link: bool = True) -> list[Frame]:
        return [f for f in self.frames if f.is_user
                and not (ignore_call_and_link and f.frame_type in (CALL, LINK))]

    def pattern_frame(self, flow_id: str) -> Frame | None:
        """The pattern frame with this id above the topmost user frame ("active"), if any."""
        for frame in reversed(self.frames):
            if frame.is_pattern and frame.flow_id == flow_id:
                return frame
            if frame.is_user:
                return None
        return None

    def flow_ids(self) -> list[str]:
        """The stack as FORMAT.md reports it: flow ids, collect frames left out."""
        return [f.flow_id for f in self.frames if f.flow_id != COLLECT]

    def to_list(self) -> list[dict]:
        return [frame.to_dict() for frame in self.frames]

    @classmethod
    def from_list(cls, data: list[dict]) -> Stack:
        return cls(Frame.from_dict(item) for item in data)


def context_of(frames: list[Frame], index: int) -> dict[str, Any]:
    """A frame's template context; the collect pattern merges in the frame below it."""
    frame = frames[index]
    context = frame.own_context()
    if frame.flow_id == COLLECT and index > 0:
        context.update(context_of(frames, index - 1))
    return context
