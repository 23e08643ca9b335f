"""Receiving one delivery: verify, decide, claim, enqueue. No GitHub or LLM call here.

`Intake.receive(headers, body)` is synchronous (SQLite, Redis and PostgreSQL
clients block), so the HTTP route runs it in a worker thread and answers with
the returned `Answer`.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from reviewbot.jobs import Job
from reviewbot.store.base import ReviewStore
from reviewbot.webhooks import Delivery, WebhookError, decode_delivery

log = logging.getLogger("reviewbot.server")

IsHandled = Callable[[str, dict[str, Any]], bool]
REFUSALS = {401: "bad_signature", 400: "bad_request", 413: "too_large"}


class Enqueuer(Protocol):
    def enqueue(self, job: Job) -> None: ...


class DeliveryRecorder(Protocol):
    def delivery(self, event: str, outcome: str) -> None: ...


@dataclass(frozen=True)
class Answer:
    status: int
    outcome: str  # queued | ignored | duplicate | bad_signature | bad_request | too_large | unavailable | error
    detail: str = ""

    def json(self) -> bytes:
        return json.dumps({"outcome": self.outcome, "detail": self.detail}).encode()


@dataclass(frozen=True)
class Intake:
    secret: bytes
    store: ReviewStore
    queue: Enqueuer
    is_handled: IsHandled
    metrics: DeliveryRecorder
    # Held around claim + enqueue. A threading.Lock for SQLite: one writer at a
    # time queues in Python instead of in SQLite's sleeping busy handler.
    write_lock: AbstractContextManager[Any] = field(default_factory=contextlib.nullcontext)

    def receive(self, headers: Mapping[str, str], body: bytes) -> Answer:
        try:
            delivery = decode_delivery(headers, body, self.secret)
        except WebhookError as err:
            return self._refused(headers, err)
        answer = self._route(delivery)
        self.metrics.delivery(delivery.event, answer.outcome)
        return answer

    def too_large(self, headers: Mapping[str, str], length: int | None) -> Answer:
        """Answer for a body refused while it was still being read."""
        size = f"{length} bytes" if length else "the body"
        return self._refused(headers, WebhookError(413, f"{size} is over the 25 MB limit"))

    def _route(self, delivery: Delivery) -> Answer:
        try:
            handled = self.is_handled(delivery.event, delivery.payload)
        except Exception:
            log.exception("deciding on delivery %s (%s) failed", delivery.delivery_id, delivery.event)
            return Answer(500, "error", "the delivery could not be routed; see the server log")
        if not handled:
            return Answer(200, "ignored", f"{delivery.event} {delivery.action or ''}".strip() + " needs no work")
        return self._accept(delivery)

    def _accept(self, delivery: Delivery) -> Answer:
        with self.write_lock:
            return self._claim_and_enqueue(delivery)

    def _claim_and_enqueue(self, delivery: Delivery) -> Answer:
        try:
            if not self.store.claim_delivery(delivery.delivery_id):
                return Answer(200, "duplicate", f"delivery {delivery.delivery_id} was already accepted")
        except Exception as exc:  # noqa: BLE001 - any store failure means 503: GitHub can redeliver
            return _unavailable("store", delivery, exc)
        try:
            self.queue.enqueue(Job.from_delivery(delivery))
        except Exception as exc:  # noqa: BLE001 - any queue failure means 503 and the claim is released
            self._release(delivery.delivery_id)
            return _unavailable("queue", delivery, exc)
        log.info("queued %s %s delivery %s", delivery.event, delivery.action or "", delivery.delivery_id)
        return Answer(202, "queued", f"delivery {delivery.delivery_id} queued")

    def _release(self, delivery_id: str) -> None:
        try:
            self.store.release_delivery(delivery_id)
        except Exception:
            log.exception("could not release the claim on delivery %s", delivery_id)

    def _refused(self, headers: Mapping[str, str], err: WebhookError) -> Answer:
        outcome = REFUSALS[err.status]
        # The event header of an unverified request is attacker-controlled: not a label.
        event = _header(headers, "x-github-event") if err.status == 400 else "unverified"
        log.warning("refused delivery %s: %s %s", _header(headers, "x-github-delivery"), err.status, err.message)
        self.metrics.delivery(event or "unknown", outcome)
        return Answer(err.status, outcome, err.message)


def _unavailable(part: str, delivery: Delivery, exc: Exception) -> Answer:
    log.error("cannot accept delivery %s: the %s failed: %r", delivery.delivery_id, part, exc)
    return Answer(503, "unavailable", f"the {part} is unavailable; GitHub can redeliver later")


def _header(headers: Mapping[str, str], name: str) -> str:
    return next((value for key, value in headers.items() if key.lower() == name), "")
