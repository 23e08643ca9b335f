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

`LoopWriter` is the same group commit for a store the event loop can await
(PostgreSQL over the network): a task on the loop sends one batch, and while it
waits for the commit the loop goes on serving requests and the next batch
gathers. No thread stands between a request and its answer, so none has to be
woken or to wait for the GIL; only the `after` step runs on a thread.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar, Union

log = logging.getLogger("reviewbot.server")

Item = TypeVar("Item")
Result = TypeVar("Result")
MAX_BATCH = 256
AFTER_GATHER = 0.02  # seconds: how long the loop writer gathers batches for one `after` call

After = Callable[[Sequence[Item], Sequence[Result | BaseException]], None]
Waiter = Union["asyncio.Future[Result]", "Future[Result]"]
Settled = list[tuple["asyncio.Future[Result]", "Result | BaseException"]]


class GroupWriter(Generic[Item, Result]):
    """Runs `write(batch) -> results` (one result per item, in order) on its own thread."""

    def __init__(self, write: Callable[[Sequence[Item]], Sequence[Result]], after: After[Item, Result] | None = None,
                 max_batch: int = MAX_BATCH) -> None:
        """`after(batch, outcomes)`, when given, runs on the writer thread once the batch's waiters have
        their answers: work the answers must not wait for."""
        self._write, self._after, self._max_batch = write, after, max_batch
        self._waiting: queue.SimpleQueue[tuple[Item, Waiter[Result]]] = queue.SimpleQueue()
        self._started = False
        self._lock = threading.Lock()
        self._unfinished = Unfinished()

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
        return self._unfinished.wait(timeout)

    def _put(self, item: Item, waiter: Waiter[Result]) -> None:
        if not self._started:
            self._start()
        self._unfinished.add(1)
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
        _run_after(self._after, [item for item, _ in batch], outcomes)
        self._unfinished.done(len(batch))


class LoopWriter(Generic[Item, Result]):
    """Runs `await write(batch) -> results` (one result per item, in order) in a task on the event loop."""

    def __init__(self, write: Callable[[Sequence[Item]], Awaitable[Sequence[Result]]],
                 after: After[Item, Result] | None = None, max_batch: int = MAX_BATCH,
                 after_gather: float = AFTER_GATHER) -> None:
        """`after(items, outcomes)`, when given, runs on a thread of its own once the futures are settled:
        blocking work (a queue client) the answers must not wait for and the loop must not do. It gets
        every batch written within `after_gather` seconds of the first one at once: at one delivery per
        batch, a hand-off to that thread per batch cost more CPU than recording the delivery."""
        self._write, self._after, self._max_batch, self._after_gather = write, after, max_batch, after_gather
        self._waiting: deque[tuple[Item, asyncio.Future[Result]]] = deque()
        self._task: asyncio.Task[None] | None = None
        self._after_thread = ThreadPoolExecutor(1, "reviewbot-intake-after") if after is not None else None
        self._gathered: tuple[list[Item], list[Result | BaseException]] = ([], [])
        self._gathering: asyncio.AbstractEventLoop | None = None  # the loop whose timer hands them over
        self._unfinished = Unfinished()

    def written(self, item: Item) -> asyncio.Future[Result]:
        """A future on the running loop, settled once `item`'s batch is written (or with what stopped it)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._unfinished.add(1)
        self._waiting.append((item, future))
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._task = loop.create_task(self._drain())
        return future

    def wait_idle(self, timeout: float) -> bool:
        """From a thread other than the loop's: wait until every item handed over so far is written and its
        `after` step has run (what is being gathered for it is handed over now); False on timeout."""
        loop = self._gathering
        if loop is not None and loop.is_running():
            loop.call_soon_threadsafe(self._hand_over)
        elif loop is not None:  # its loop stopped before the timer fired: nobody else will hand them over
            self._hand_over()
        return self._unfinished.wait(timeout)

    async def _drain(self) -> None:
        """Write batches while items wait; items handed over during a write form the next batch."""
        while self._waiting:
            batch = [self._waiting.popleft() for _ in range(min(len(self._waiting), self._max_batch))]
            items = [item for item, _ in batch]
            outcomes: Sequence[Result | BaseException]
            try:
                outcomes = await self._write(items)
            except Exception as exc:  # noqa: BLE001 - every waiting request gets the failure; the task goes on
                outcomes = [exc] * len(batch)
            except BaseException as exc:  # cancelled (the loop is stopping): answer, then stop
                cancelled: Settled[Result] = [(future, exc) for _, future in batch]
                _settle(cancelled)
                self._unfinished.done(len(batch))
                raise
            _settle([(future, outcome) for (_, future), outcome in zip(batch, outcomes, strict=True)])
            if self._after_thread is None:
                self._unfinished.done(len(batch))
            else:
                self._gather(items, outcomes)

    def _gather(self, items: Sequence[Item], outcomes: Sequence[Result | BaseException]) -> None:
        self._gathered[0].extend(items)
        self._gathered[1].extend(outcomes)
        loop = asyncio.get_running_loop()
        if self._gathering is not loop:  # none pending, or pending on a loop that has stopped since
            self._gathering = loop
            loop.call_later(self._after_gather, self._hand_over)

    def _hand_over(self) -> None:
        (items, outcomes), self._gathered, self._gathering = self._gathered, ([], []), None
        if items and self._after_thread is not None:
            self._after_thread.submit(self._after_step, items, outcomes)

    def _after_step(self, items: Sequence[Item], outcomes: Sequence[Result | BaseException]) -> None:
        _run_after(self._after, items, outcomes)
        self._unfinished.done(len(items))


class Unfinished:
    """How many items were handed over whose batch (with its `after` step) is not done; waitable from a thread."""

    def __init__(self) -> None:
        self._count = 0
        self._changed = threading.Condition()

    def add(self, count: int) -> None:
        with self._changed:
            self._count += count

    def done(self, count: int) -> None:
        with self._changed:
            self._count -= count
            if not self._count:
                self._changed.notify_all()

    def wait(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self._count == 0, timeout)


def _run_after(after: After[Item, Result] | None, items: Sequence[Item],
               outcomes: Sequence[Result | BaseException]) -> None:
    if after is None:
        return
    try:
        after(items, outcomes)
    except Exception:
        log.exception("the step after a group commit failed")


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
