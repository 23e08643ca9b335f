"""A route: which deliveries a feature takes, and how a worker runs them.

Each feature module declares its own `ROUTES`; `reviewbot.app.handlers`
merges them into one table keyed by (event, action). `accepts` is pure: it
decides from the payload alone whether the delivery becomes a job at all
(the server does not know the App's slug; the job checks what needs it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewbot.payload import Payload

if TYPE_CHECKING:
    from reviewbot.app.deps import Deps
    from reviewbot.jobs import Job


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
    accepts: Callable[[Payload], bool]
    run: Callable[[Job, Deps], Outcome]
