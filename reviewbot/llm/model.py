"""The narrow model interface: messages and a schema in, one completion out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from reviewbot.errors import ModelError
from reviewbot.models import Usage

# Response modes, most structured first. A server that rejects one mode is
# asked again in the next; the mode that worked is reported in Review.mode.
MODES = ("json_schema", "json_object", "text")

Message = dict[str, Any]


@dataclass(frozen=True)
class Completion:
    """One answer from the model, with the mode it was produced in."""

    text: str
    mode: str  # one of MODES
    usage: Usage = field(default_factory=Usage)
    finish_reason: str = "stop"  # stop | length | content_filter | ...
    refusal: str | None = None  # set when the model declined to answer


class ChatModel(Protocol):
    """Anything that can answer a list of chat messages (OpenAI-shaped dicts)."""

    name: str

    def complete(self, messages: list[Message], schema: dict[str, Any] | None) -> Completion:
        """Answer `messages`; with a schema, ask for JSON that follows it."""
        ...


class TransientModelError(ModelError):
    """A call failed after its retries (timeout, 5xx, rate limit): the run can go on."""


class PromptTooLongError(ModelError):
    """The server refused a prompt as longer than the model's context window."""
