"""Group commit: one writer thread turns every delivery waiting at that moment into one transaction.

A commit costs one fsync (milliseconds on most disks) whether it holds one
delivery or two hundred, and SQLite allows one writer at a time anyway. So
request handlers do not write: they hand their item to the writer and wait for
its result. While the writer commits one batch, the next one gathers; under
load, batches grow and the cost per delivery falls. Nothing is answered before
its batch is committed.

The event loop waits on an asyncio future, and the writer settles all of a
batch's futures with one call into the loop (one wake-up per batch, not per
delivery). Synchronous callers (tests, `Intake.receive`) get a
`concurrent.futures.Future` instead.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar, Union

log = logging.getLogger("reviewbot.server")

Item = TypeVar("Item")
Result = TypeVar("Result")
MAX_BATCH = 256

Waiter = Union["asyncio.Future[Result]", "Future[Result]"]
Settled = list[tuple["asyncio.Future[Result]", "Result | BaseException"]]


class GroupWriter(Generic[Item, Result]):
    """Runs `write(batch) -> results` (one result per item, in order) on its own thread."""

    def __init__(self, write: Callable[[Sequence[Item]], Sequence[Result]],
                 after: Callable[[Sequence[Item], Sequence[Result | BaseException]], None] | None = None,
                 max_batch: int = MAX_BATCH) -> None:
        """`after(batch, outcomes)`, when given, runs on the writer thread once the batch's waiters have
        their answers: work the answers must not wait for."""
        self._write, self._after, self._max_batch = write, after, max_batch
        self._waiting: queue.SimpleQueue[tuple[Item, Waiter[Result]]] = queue.SimpleQueue()
        self._started = False
        self._lock = threading.Lock()
        self._unfinished = 0  # items submitted whose batch (with its `after` step) is not done yet
        self._done = threading.Condition()

    def submit(self, item: Item) -> Future[Result]:
        """A future resolved once `item`'s batch is written (or set to the exception that stopped it)."""
        future: Future[Result] = Future()
        self._put(item, future)
        return future

    def written(self, item: Item) -> asyncio.Future[Result]:
        """`submit` for a caller on a running event loop: the future belongs to that loop."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._put(item, future)
        return future

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every item submitted so far is written and its `after` step has run; False on timeout."""
        with self._done:
            return self._done.wait_for(lambda: self._unfinished == 0, timeout)

    def _put(self, item: Item, waiter: Waiter[Result]) -> None:
        if not self._started:
            self._start()
        with self._done:
            self._unfinished += 1
        self._waiting.put((item, waiter))

    def _start(self) -> None:
        with self._lock:
            if not self._started:
                threading.Thread(target=self._run, name="reviewbot-intake-writer", daemon=True).start()
                self._started = True

    def _run(self) -> None:
        while True:
            self._write_batch(self._next_batch())

    def _next_batch(self) -> list[tuple[Item, Waiter[Result]]]:
        batch = [self._waiting.get()]
        while len(batch) < self._max_batch:
            try:
                batch.append(self._waiting.get_nowait())
            except queue.Empty:
                break
        return batch

    def _write_batch(self, batch: list[tuple[Item, Waiter[Result]]]) -> None:
        outcomes: Sequence[Result | BaseException]
        try:
            outcomes = self._write([item for item, _ in batch])
        except BaseException as exc:  # noqa: BLE001 - every waiting request gets the failure; the thread goes on
            outcomes = [exc] * len(batch)
        settle_all([waiter for _, waiter in batch], outcomes)
        if self._after is not None:
            try:
                self._after([item for item, _ in batch], outcomes)
            except Exception:
                log.exception("the step after a group commit failed")
        with self._done:
            self._unfinished -= len(batch)
            if not self._unfinished:
                self._done.notify_all()


def settle_all(waiters: Sequence[Waiter[Result]], outcomes: Sequence[Result | BaseException]) -> None:
    """Give each waiter its outcome: thread futures at once, each event loop's futures in one call."""
    loops: dict[asyncio.AbstractEventLoop, Settled[Result]] = {}
    for waiter, outcome in zip(waiters, outcomes, strict=True):
        if isinstance(waiter, asyncio.Future):
            loops.setdefault(waiter.get_loop(), []).append((waiter, outcome))
        elif isinstance(outcome, BaseException):
            waiter.set_exception(outcome)
        else:
            waiter.set_result(outcome)
    for loop, settled in loops.items():
        try:
            loop.call_soon_threadsafe(_settle, settled)
        except RuntimeError:  # the loop is closed: its server stopped, nobody waits for these answers
            log.warning("%d answer(s) written after their server stopped", len(settled))


def _settle(settled: Settled[Result]) -> None:
    for future, outcome in settled:
        if future.done():  # the request was cancelled (its client went away)
            continue
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
