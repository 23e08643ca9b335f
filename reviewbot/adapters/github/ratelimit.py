"""Being a good API citizen: pacing, and waiting out GitHub's rate limits.

GitHub asks integrations to make mutating calls serially with at least a
second between them, to wait `Retry-After` seconds when told, to wait until
`x-ratelimit-reset` when `x-ratelimit-remaining` is 0, and otherwise to wait
at least a minute after a secondary-rate-limit 403, longer on each repeat.
The rules are pure functions of the response and the time; `Pacer` and
`retrying` apply them with an injected clock and sleep, so tests run
without waiting.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

from reviewbot.adapters.github.host import RateLimited

T = TypeVar("T")
MUTATION_GAP = 1.0  # seconds between two mutating calls of one installation
SECONDARY_WAIT = 60.0  # GitHub: "wait for at least one minute before retrying"
MAX_WAIT = 900.0  # a longer wait fails the job instead, and the queue retries it later
ATTEMPTS = 5


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((str(v) for k, v in headers.items() if k.lower() == name), None)


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def is_rate_limit(status: int, headers: Mapping[str, str], message: str) -> bool:
    if status == 429:
        return True
    limited = _header(headers, "x-ratelimit-remaining") == "0" or _header(headers, "retry-after") is not None
    return status == 403 and (limited or "rate limit" in (message or "").lower())


def rate_limit_wait(
    status: int, headers: Mapping[str, str], message: str, now: float, attempt: int = 0
) -> float | None:
    """Seconds to wait before retrying a refused call; None when the refusal is not a rate limit."""
    if not is_rate_limit(status, headers, message):
        return None
    retry_after = _number(_header(headers, "retry-after"))
    if retry_after is not None:
        return max(retry_after, 0.0)
    reset = _number(_header(headers, "x-ratelimit-reset"))
    if _header(headers, "x-ratelimit-remaining") == "0" and reset is not None:
        return max(reset - now, 0.0) + 1.0
    return SECONDARY_WAIT * 2.0**attempt


def wait_before_call(remaining: int, reset: float, now: float) -> float:
    """Seconds to hold the next call when the last response said the quota is spent."""
    return reset - now + 1.0 if remaining == 0 and reset > now else 0.0


def retrying(
    call: Callable[[], T],
    wait_for: Callable[[Exception, int], float | None],
    sleep: Callable[[float], None],
    attempts: int = ATTEMPTS,
    max_wait: float = MAX_WAIT,
) -> T:
    """`call()`, retried after the wait `wait_for(error, attempt)` names for rate-limit errors."""
    for attempt in range(attempts):
        try:
            return call()
        except Exception as error:
            wait = wait_for(error, attempt)
            if wait is None:
                raise
            if wait > max_wait or attempt == attempts - 1:
                raise RateLimited(wait) from error
            sleep(wait)
    raise AssertionError("unreachable")


class Pacer:
    """The mutating calls of one installation: one at a time, `gap` seconds apart."""

    def __init__(
        self, clock: Callable[[], float], sleep: Callable[[float], None], gap: float = MUTATION_GAP
    ) -> None:
        self._clock, self._sleep, self._gap = clock, sleep, gap
        self._lock = threading.Lock()
        self._last: float | None = None

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._lock:
            if self._last is not None:
                wait = self._last + self._gap - self._clock()
                if wait > 0:
                    self._sleep(wait)
            try:
                yield
            finally:
                self._last = self._clock()
