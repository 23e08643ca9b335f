"""Reading GitHub's webhook payloads: nested dictionaries where any key may be missing (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reviewbot.accounts import is_bot
from reviewbot.errors import InputError

Payload = Mapping[str, Any]


def dig(payload: object, *keys: str) -> Any:
    """payload[k1][k2]... or None when any step is missing or not a mapping."""
    value: Any = payload
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def installation_id(payload: object) -> int | None:
    """The App installation a delivery is for (`installation.id`), or None."""
    value = dig(payload, "installation", "id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def require_installation_id(payload: object) -> int:
    """The installation a job's delivery is for; InputError (never retried) when it names none."""
    found = installation_id(payload)
    if found is None:
        raise InputError("the delivery names no App installation (installation.id)")
    return found


def is_bot_user(user: object) -> bool:
    """Whether a payload's user object is a bot; a missing user counts as one (never reviewed or answered)."""
    if not isinstance(user, Mapping):
        return True
    return is_bot(str(user.get("login") or ""), user.get("type"))
