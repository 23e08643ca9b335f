"""Installation access tokens, cached per installation and renewed before they expire.

The App authenticates as itself with a short-lived RS256 JWT (PyGithub's
`Auth.AppAuth` signs a fresh one, valid for minutes, for every App call) and
trades it for an installation token that GitHub makes valid for an hour. A
token is reused until `margin` seconds before its expiry, so no call ever
goes out with a token about to lapse, and a long review never needs to
stop for one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

REFRESH_MARGIN = 300.0  # renew tokens five minutes before GitHub's expiry


@dataclass(frozen=True)
class Token:
    value: str
    expires_at: float  # POSIX seconds


class TokenCache:
    """`mint(installation_id)` is called only when no fresh token is cached."""

    def __init__(
        self, mint: Callable[[int], Token], clock: Callable[[], float], margin: float = REFRESH_MARGIN
    ) -> None:
        self._mint, self._clock, self._margin = mint, clock, margin
        self._tokens: dict[int, Token] = {}
        self._lock = threading.Lock()

    def token(self, installation_id: int) -> str:
        with self._lock:
            cached = self._tokens.get(installation_id)
            if cached is None or self._clock() >= cached.expires_at - self._margin:
                cached = self._tokens[installation_id] = self._mint(installation_id)
            return cached.value

    def forget(self, installation_id: int) -> None:
        """Drop a token GitHub refused (401), so the next call mints a new one."""
        with self._lock:
            self._tokens.pop(installation_id, None)
