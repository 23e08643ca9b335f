"""Receiving deliveries: verify, decide, then record + enqueue in groups. No GitHub or LLM call here.

Two steps, so the HTTP route never blocks the event loop and never writes by itself:

1. `Intake.decide(headers, body)` (HMAC, JSON; microseconds for a typical
   body, so the route runs it on the event loop) returns either the final
   `Answer` (refused, ignored, routing error) or the verified `Delivery` that
   becomes a job;
2. `Intake.recorded(delivery)` (or `record` from a thread) hands the delivery
   to the group writer (`reviewbot.server.batching`) and returns a future
   `Answer`. The writer claims and records every waiting delivery's job in one
   store transaction, counts the outcomes and logs one line for the batch; the
   answers go out as soon as that transaction is committed. Then it sends the
   new jobs' ids to the queue in one write. On SQLite the writer is a thread
   (its calls block on the disk); on PostgreSQL, `recorded` uses a writer on
   the event loop that awaits the statement on its own connection, so no
   thread stands between a request and its answer. The answer does not wait for the
   queue: the job's row in the store is what makes it durable, and the queue
   message only wakes a worker. If the queue refuses, the jobs stay recorded
   and are marked for the lease keeper (`reviewbot.server.leases`), which sends
   them at its next tick, so a queue outage delays reviews but loses none.

`Intake.receive` does both and waits (tests and simple callers).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from reviewbot.jobs import Job
from reviewbot.server.batching import GroupWriter, LoopWriter
from reviewbot.store.jobs import Accepted, LoopAccepts
from reviewbot.webhooks import MAX_BODY_BYTES, Delivery, WebhookError, decode_delivery

log = logging.getLogger("reviewbot.server")

IsHandled = Callable[[str, dict[str, Any]], bool]
REFUSALS = {401: "bad_signature", 400: "bad_request", 408: "too_slow", 411: "no_length", 413: "too_large"}


class Enqueuer(Protocol):
    def enqueue_many(self, job_ids: Sequence[int]) -> None: ...


class JobRecords(Protocol):
    def accept_many(self, batch: Sequence[Job]) -> list[Accepted | None]: ...

    def send_soon(self, job_ids: Sequence[int]) -> int: ...

    def on_event_loop(self) -> LoopAccepts | None: ...


class DeliveryRecorder(Protocol):
    def delivery(self, event: str, outcome: str, count: int = 1) -> None: ...

    def batch(self, size: int, seconds: float) -> None: ...


@dataclass(frozen=True)
class Answer:
    status: int
    outcome: str  # queued | coalesced | ignored | duplicate | unavailable | error, or a REFUSALS value
    detail: str = ""
    job_to_send: int | None = field(default=None, compare=False, repr=False)  # a new job, for the queue

    def json(self) -> bytes:
        return json.dumps({"outcome": self.outcome, "detail": self.detail}).encode()


@dataclass(frozen=True)
class Intake:
    secret: bytes
    jobs: JobRecords
    queue: Enqueuer
    is_handled: IsHandled
    metrics: DeliveryRecorder
    writer: GroupWriter[Delivery, Answer] = field(init=False, repr=False, compare=False)
    loop_writer: LoopWriter[Delivery, Answer] | None = field(init=False, repr=False, compare=False)
    loop_accepts: LoopAccepts | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        accepts = self.jobs.on_event_loop()
        object.__setattr__(self, "writer", GroupWriter(self._write, self._send))
        object.__setattr__(self, "loop_accepts", accepts)
        object.__setattr__(self, "loop_writer", LoopWriter(partial(self._write_on_loop, accepts), self._send) if accepts else None)

    def receive(self, headers: Mapping[str, str], body: bytes) -> Answer:
        decided = self.decide(headers, body)
        return decided if isinstance(decided, Answer) else self.record(decided).result()

    def decide(self, headers: Mapping[str, str], body: bytes) -> Answer | Delivery:
        """Verify and route; the Delivery when it must become a job, else the answer (already counted)."""
        try:
            delivery = decode_delivery(headers, body, self.secret)
        except WebhookError as err:
            return self._refused(headers, err)
        answer = self._route(delivery)
        if answer is not None:
            self.metrics.delivery(delivery.event, answer.outcome)
            return answer
        return delivery

    def record(self, delivery: Delivery) -> Future[Answer]:
        """The answer once the delivery's job is durably recorded (and, if new, queued)."""
        return self.writer.submit(delivery)

    def recorded(self, delivery: Delivery) -> asyncio.Future[Answer]:
        """`record` for the event loop: the future is settled on the loop that awaits it."""
        return (self.loop_writer or self.writer).written(delivery)

    def settle(self, timeout: float = 10.0) -> bool:
        """From a thread other than the event loop's: wait until every delivery handed over so far is
        recorded and its job sent to the queue (a graceful shutdown, tests); False if that took longer
        than `timeout` seconds."""
        deadline = time.monotonic() + timeout
        settled = self.writer.wait_idle(timeout)
        return settled and (self.loop_writer is None or self.loop_writer.wait_idle(deadline - time.monotonic()))

    async def aclose(self) -> None:
        """On the event loop, once settled: close the connection the loop's writer opened there."""
        if self.loop_accepts is not None:
            await self.loop_accepts.aclose()

    def too_large(self, headers: Mapping[str, str], length: int | None) -> Answer:
        """Answer for a body refused before or while it was read."""
        size = f"{length} bytes" if length else "the body"
        return self._refused(headers, WebhookError(413, f"{size} is over the {MAX_BODY_BYTES // 2**20} MB limit"))

    def refuse(self, headers: Mapping[str, str], status: int, message: str) -> Answer:
        """Answer (and count) a request the HTTP layer refused before it reached `decide`."""
        return self._refused(headers, WebhookError(status, message))

    def _route(self, delivery: Delivery) -> Answer | None:
        try:
            handled = self.is_handled(delivery.event, delivery.payload)
        except Exception:
            log.exception("deciding on delivery %s (%s) failed", delivery.delivery_id, delivery.event)
            return Answer(500, "error", "the delivery could not be routed; see the server log")
        if not handled:
            return Answer(200, "ignored", f"{delivery.event} {delivery.action or ''}".strip() + " needs no work")
        return None

    def _write(self, batch: Sequence[Delivery]) -> list[Answer]:
        """The thread writer's step: one transaction claims and records every job."""
        started = time.perf_counter()
        try:
            accepted = self.jobs.accept_many([Job.from_delivery(delivery) for delivery in batch])
        except Exception as exc:  # noqa: BLE001 - any store failure means 503 for the whole batch
            return self._answered(batch, exc, started)
        return self._answered(batch, accepted, started)

    async def _write_on_loop(self, accepts: LoopAccepts, batch: Sequence[Delivery]) -> list[Answer]:
        """The loop writer's step: the same, awaited on the event loop (PostgreSQL)."""
        started = time.perf_counter()
        try:
            accepted = await accepts.accept_many([Job.from_delivery(delivery) for delivery in batch])
        except Exception as exc:  # noqa: BLE001 - any store failure means 503 for the whole batch
            return self._answered(batch, exc, started)
        return self._answered(batch, accepted, started)

    def _answered(self, batch: Sequence[Delivery], accepted: Sequence[Accepted | None] | Exception,
                  started: float) -> list[Answer]:
        """Each delivery's answer from what the store accepted (503 for all if it failed), counted and logged."""
        if isinstance(accepted, Exception):
            log.error("cannot accept %d delivery(ies): the store failed: %r", len(batch), accepted)
            answers = [UNAVAILABLE["store"]] * len(batch)
        else:
            answers = [_answer(delivery, job) for delivery, job in zip(batch, accepted, strict=True)]
        self.metrics.batch(len(batch), time.perf_counter() - started)
        counted = Counter((delivery.event, answer.outcome) for delivery, answer in zip(batch, answers, strict=True))
        for (event, outcome), count in counted.items():
            self.metrics.delivery(event, outcome, count)
        _log_batch(batch, answers)
        return answers

    def _send(self, _batch: Sequence[Delivery], answers: Sequence[Answer | BaseException]) -> None:
        """After the answers: wake workers for the new jobs; if the queue refuses, the lease keeper will."""
        new = [answer.job_to_send for answer in answers if isinstance(answer, Answer) and answer.job_to_send]
        if not new:
            return
        try:
            self.queue.enqueue_many(new)
        except Exception as exc:  # noqa: BLE001 - the jobs are recorded; they must only be sent later
            log.error("cannot queue %d new job(s), the lease keeper will send them: %r", len(new), exc)
            self.jobs.send_soon(new)

    def _refused(self, headers: Mapping[str, str], err: WebhookError) -> Answer:
        outcome = REFUSALS.get(err.status, "bad_request")
        # The event header of an unverified request is attacker-controlled: not a label.
        event = _header(headers, "x-github-event") if err.status == 400 else "unverified"
        log.warning("refused delivery %s: %s %s", _header(headers, "x-github-delivery")[:100], err.status, err.message)
        self.metrics.delivery(event or "unknown", outcome)
        return Answer(err.status, outcome, err.message)


UNAVAILABLE = {"store": Answer(503, "unavailable", "the store is unavailable; GitHub can redeliver later")}


def _answer(delivery: Delivery, accepted: Accepted | None) -> Answer:
    if accepted is None:
        return Answer(200, "duplicate", f"delivery {delivery.delivery_id} was already accepted")
    if not accepted.new:
        return Answer(202, "coalesced", f"delivery {delivery.delivery_id} joined a waiting review of its pull request")
    return Answer(202, "queued", f"delivery {delivery.delivery_id} queued", accepted.job_id)


def _log_batch(batch: Sequence[Delivery], answers: Sequence[Answer]) -> None:
    """One line per batch (a line per delivery costs as much as recording it); each delivery at DEBUG."""
    if log.isEnabledFor(logging.DEBUG):
        for delivery, answer in zip(batch, answers, strict=True):
            log.debug("delivery %s (%s %s): %s", delivery.delivery_id, delivery.event, delivery.action or "",
                      answer.outcome)
    counts = Counter(answer.outcome for answer in answers)
    log.info("recorded %d delivery(ies): %s", len(batch), ", ".join(f"{n} {outcome}" for outcome, n in counts.items()))


def _header(headers: Mapping[str, str], name: str) -> str:
    return next((value for key, value in headers.items() if key.lower() == name), "")
