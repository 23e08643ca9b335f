"""What one client may cost the server: deadlines, connections, body sizes and memory.

`reviewbot serve` builds one HttpLimits from its flags; the protocol
(`reviewbot.server.protocol`) enforces the header deadline and the connection
cap, the route (`reviewbot.server.app`) the body deadline, the Content-Length
rules and the memory bound:

- a body must declare its Content-Length (411 otherwise), checked against the
  25 MB limit before a byte of it is read (413);
- bodies up to `large_body` bytes (every typical delivery) are read at once;
  larger ones take one of `large_at_once` slots, so the memory bodies can hold
  is about `max_connections * large_body + large_at_once * 25 MB`;
- a body that does not arrive within `body_timeout` seconds is answered 408.
"""

from __future__ import annotations

import resource
from dataclasses import dataclass

from reviewbot.errors import ConfigError

DESCRIPTORS_KEPT = 64  # for the store, the queue, logs and the job threads' connections
LIMITS_VARIABLE = "REVIEWBOT_SERVE_LIMITS"  # passed by `reviewbot serve --workers N` to its processes


@dataclass(frozen=True)
class HttpLimits:
    header_timeout: float = 10.0
    body_timeout: float = 20.0
    max_connections: int = 512
    large_body: int = 1024 * 1024
    large_at_once: int = 2

    def to_text(self) -> str:
        return f"{self.header_timeout},{self.body_timeout},{self.max_connections}"

    @classmethod
    def from_text(cls, text: str) -> HttpLimits:
        try:
            header, body, connections = text.split(",")
            return cls(float(header), float(body), int(connections))
        except ValueError:
            raise ConfigError(f"{LIMITS_VARIABLE} must be HEADER,BODY,CONNECTIONS, got {text!r}") from None


def descriptor_room(wanted: int) -> int:
    """Raise this process's open-file limit as far as allowed; the connections that then fit beside
    the descriptors the server needs for itself (at most `wanted`)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return max(1, min(wanted, soft - DESCRIPTORS_KEPT))
