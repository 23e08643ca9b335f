"""Group commit: one writer thread turns every delivery waiting at that moment into one transaction.

A commit costs one fsync (milliseconds on most disks) whether it holds one
delivery or two hundred, and SQLite allows one writer at a time anyway. So
request threads do not write: they hand their item to the writer and wait for
its result. While the writer commits one batch, the next one gathers; under
load, batches grow and the cost per delivery falls. Nothing is answered before
its batch is committed.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

log = logging.getLogger("reviewbot.server")

Item = TypeVar("Item")
Result = TypeVar("Result")
MAX_BATCH = 256


class GroupWriter(Generic[Item, Result]):
    """Runs `write(batch) -> results` (one result per item, in order) on its own thread."""

    def __init__(self, write: Callable[[Sequence[Item]], Sequence[Result]], max_batch: int = MAX_BATCH) -> None:
        self._write, self._max_batch = write, max_batch
        self._waiting: queue.SimpleQueue[tuple[Item, Future[Result]]] = queue.SimpleQueue()
        self._started = False
        self._lock = threading.Lock()

    def submit(self, item: Item) -> Future[Result]:
        """A future resolved once `item`'s batch is written (or set to the exception that stopped it)."""
        self._start()
        future: Future[Result] = Future()
        self._waiting.put((item, future))
        return future

    def _start(self) -> None:
        with self._lock:
            if not self._started:
                threading.Thread(target=self._run, name="reviewbot-intake-writer", daemon=True).start()
                self._started = True

    def _run(self) -> None:
        while True:
            self._write_batch(self._next_batch())

    def _next_batch(self) -> list[tuple[Item, Future[Result]]]:
        batch = [self._waiting.get()]
        while len(batch) < self._max_batch:
            try:
                batch.append(self._waiting.get_nowait())
            except queue.Empty:
                break
        return batch

    def _write_batch(self, batch: list[tuple[Item, Future[Result]]]) -> None:
        try:
            results = self._write([item for item, _ in batch])
        except BaseException as exc:  # noqa: BLE001 - every waiting request gets the failure; the thread goes on
            for _, future in batch:
                future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results, strict=True):
            future.set_result(result)
