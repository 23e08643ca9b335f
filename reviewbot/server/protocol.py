"""uvicorn's HTTP protocol (httptools) with the two guards uvicorn lacks: a header deadline and a connection cap.

- A request's headers must arrive within `header_timeout` seconds of the
  connection opening (or of the previous response, after the keep-alive
  wait); a client that trickles them (slowloris) or sends nothing at all
  (half-open) is disconnected, so it cannot hold a descriptor for long.
- Beyond `max_connections` open connections, a new one is closed at once,
  before it costs more than its descriptor; deliveries on open connections go
  on being answered.

The body has its own deadline in the route (`reviewbot.server.app`), where it
can be answered 408. The settings are class attributes, set once by
`configure` in each server process before uvicorn starts accepting.
"""

from __future__ import annotations

import asyncio
import logging
from typing import ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger("reviewbot.server")

HEADER_TIMEOUT = 10.0
MAX_CONNECTIONS = 512


class GuardedHttpProtocol(HttpToolsProtocol):
    header_timeout: ClassVar[float] = HEADER_TIMEOUT
    max_connections: ClassVar[int] = MAX_CONNECTIONS
    _deadline: asyncio.TimerHandle | None = None

    @classmethod
    def configure(cls, header_timeout: float, max_connections: int) -> None:
        cls.header_timeout, cls.max_connections = header_timeout, max_connections

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            log.warning("refused a connection: %d are open (the limit)", self.max_connections)
            transport.abort()
            return
        self._arm(self.header_timeout)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self.pipeline:
            self._arm(self.timeout_keep_alive + self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            log.warning("closed a connection from %s: no complete request headers within %g s",
                        self.client[0] if self.client else "?", self.header_timeout)
            self.transport.abort()
