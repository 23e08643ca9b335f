"""A route: which deliveries a feature takes, and how a worker runs them.

Each feature module declares its own `ROUTES`; `reviewbot.app.handlers`
merges them into one table keyed by (event, action). `accepts` is pure: it
decides from the payload alone (and the App's slug when the server knows it)
whether the delivery becomes a job at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reviewbot.app.deps import Deps
    from reviewbot.jobs import Job

Payload = Mapping[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What a job did, for logs and tests."""

    action: str  # posted | commented | skipped
    reason: str = ""
    review_id: int | None = None
    inline: int = 0
    moved: int = 0
    repeated: int = 0
    fallback: bool = False


@dataclass(frozen=True)
class Route:
    event: str
    actions: tuple[str, ...]
    accepts: Callable[[Payload, str | None], bool]
    run: Callable[[Job, Deps], Outcome]


def dig(payload: Payload, *keys: str) -> Any:
    """payload[k1][k2]... or None when any step is missing."""
    value: Any = payload
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def is_bot(user: Any) -> bool:
    login = dig(user, "login") or ""
    return dig(user, "type") == "Bot" or str(login).endswith("[bot]")


def installation_id(payload: Payload) -> int | None:
    value = dig(payload, "installation", "id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None
