"""When and how long to wait before asking the model server again (pure)."""

from __future__ import annotations

import email.utils
import math
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # calls per request, the first included
    initial_delay: float = 0.5  # seconds before the first retry
    max_delay: float = 8.0  # cap of the exponential backoff
    max_retry_after: float = 60.0  # a longer Retry-After is not waited for

    def backoff(self, retry: int, jitter: float) -> float:
        """Delay before retry number `retry` (1-based); `jitter` is in [0, 1)."""
        base = min(self.initial_delay * 2 ** (retry - 1), self.max_delay)
        return base * (1 - 0.25 * jitter)


def retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds the server asked us to wait: retry-after-ms, then retry-after.

    `retry-after` may be seconds or an HTTP date; `now` is the Unix time used
    to turn a date into a delay. None when the headers say nothing usable.
    """
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        seconds = _number(headers.get(name))
        if seconds is not None:
            return max(seconds / divisor, 0.0)
    return _date_delay(headers.get("retry-after"), now)


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def _date_delay(value: str | None, now: float) -> float | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(when.timestamp() - now, 0.0)
