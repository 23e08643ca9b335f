"""GitHub's example webhook deliveries (@octokit/webhooks-examples), for any test.

    from webhook_examples import example, examples, all_examples, events

Each call returns fresh copies, so a test may change what it gets.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

INDEX = Path(__file__).parent / "fixtures" / "webhooks" / "index.json"


@functools.cache
def _raw() -> dict[str, str]:
    """event name -> its examples as one JSON text (copied out on every call)."""
    return {entry["name"]: json.dumps(entry["examples"]) for entry in json.loads(INDEX.read_text("utf-8"))}


def events() -> tuple[str, ...]:
    """Every event name that has examples, sorted."""
    return tuple(sorted(_raw()))


def examples(event: str) -> list[dict[str, Any]]:
    """All example payloads of `event` (KeyError for an unknown event)."""
    return json.loads(_raw()[event])


def example(event: str, action: str | None = None) -> dict[str, Any]:
    """The first example of `event` with `action` (any action when None)."""
    for payload in examples(event):
        if action is None or payload.get("action") == action:
            return payload
    raise LookupError(f"no {event} example with action {action!r}")


def all_examples() -> list[tuple[str, dict[str, Any]]]:
    """(event, payload) for every example of every event."""
    return [(event, payload) for event in events() for payload in examples(event)]
