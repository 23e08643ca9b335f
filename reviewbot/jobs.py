"""A job: one accepted delivery, as it travels through the queue to a worker.

Jobs cross process and machine boundaries, so they are plain JSON on the
wire (never pickles): a worker of a newer version can still read them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reviewbot.errors import InputError
from reviewbot.payload import installation_id

if TYPE_CHECKING:
    from reviewbot.webhooks import Delivery

_FIELDS = ("delivery_id", "event", "action", "payload")
COALESCED = {("pull_request", "synchronize")}  # a newer one of these makes an older one pointless


@dataclass(frozen=True)
class Job:
    delivery_id: str
    event: str
    action: str | None
    payload: dict[str, Any]
    pushes: int = 1  # deliveries folded into this job (coalesced pushes to one pull request)
    payload_json: str | None = field(default=None, compare=False, repr=False)  # `payload` as received
    body_digest: str | None = field(default=None, compare=False, repr=False)  # its delivery's signed body


    @classmethod
    def from_delivery(cls, delivery: Delivery) -> Job:
        return cls(delivery.delivery_id, delivery.event, delivery.action, delivery.payload,
                   payload_json=delivery.payload_json, body_digest=delivery.body_digest)

    @property
    def installation_id(self) -> int | None:
        return installation_id(self.payload)

    @property
    def repo_full_name(self) -> str | None:
        repository = self.payload.get("repository")
        return repository.get("full_name") if isinstance(repository, dict) else None

    @property
    def coalesce_key(self) -> str | None:
        """Jobs with the same key supersede each other (the latest push wins); None: never coalesced."""
        if (self.event, self.action) not in COALESCED:
            return None
        number = self.payload.get("number")
        if not isinstance(number, int) or not self.repo_full_name or self.installation_id is None:
            return None
        return f"{self.event}:{self.installation_id}:{self.repo_full_name}#{number}"

    @property
    def head_sha(self) -> str | None:
        pull = self.payload.get("pull_request")
        head = pull.get("head") if isinstance(pull, dict) else None
        sha = head.get("sha") if isinstance(head, dict) else None
        return sha if isinstance(sha, str) else None

    def describe(self) -> str:
        """Short label for logs: event.action, repository and delivery id."""
        name = f"{self.event}.{self.action}" if self.action else self.event
        return f"{name} {self.repo_full_name or '-'} delivery {self.delivery_id}"

    def to_json(self) -> str:
        if self.payload_json is not None:  # the verified text as received: no second encoding of a large payload
            head = json.dumps({"delivery_id": self.delivery_id, "event": self.event, "action": self.action,
                               "pushes": self.pushes}, separators=(",", ":"))
            return f'{head[:-1]},"payload":{self.payload_json}}}'
        fields = {name: getattr(self, name) for name in _FIELDS}
        return json.dumps({**fields, "pushes": self.pushes}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Job:
        try:
            data = json.loads(text)
            pushes = data.get("pushes", 1)
            if not isinstance(pushes, int) or pushes < 1:
                raise ValueError(f"pushes must be a positive whole number, got {pushes!r}")
            return cls(**{name: data[name] for name in _FIELDS}, pushes=pushes)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise InputError(f"queued job is not readable: {exc!r}") from None
