"""A job: one accepted delivery, as it travels through the queue to a worker.

Jobs cross process and machine boundaries, so they are plain JSON on the
wire (never pickles): a worker of a newer version can still read them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewbot.errors import InputError
from reviewbot.payload import installation_id

if TYPE_CHECKING:
    from reviewbot.webhooks import Delivery

_FIELDS = ("delivery_id", "event", "action", "payload")


@dataclass(frozen=True)
class Job:
    delivery_id: str
    event: str
    action: str | None
    payload: dict[str, Any]

    @classmethod
    def from_delivery(cls, delivery: Delivery) -> Job:
        return cls(delivery.delivery_id, delivery.event, delivery.action, delivery.payload)

    @property
    def installation_id(self) -> int | None:
        return installation_id(self.payload)

    @property
    def repo_full_name(self) -> str | None:
        repository = self.payload.get("repository")
        return repository.get("full_name") if isinstance(repository, dict) else None

    def describe(self) -> str:
        """Short label for logs: event.action, repository and delivery id."""
        name = f"{self.event}.{self.action}" if self.action else self.event
        return f"{name} {self.repo_full_name or '-'} delivery {self.delivery_id}"

    def to_json(self) -> str:
        return json.dumps({name: getattr(self, name) for name in _FIELDS}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Job:
        try:
            data = json.loads(text)
            return cls(**{name: data[name] for name in _FIELDS})
        except (ValueError, TypeError, KeyError) as exc:
            raise InputError(f"queued job is not readable: {exc!r}") from None
