"""Running the queue's consumer: in-process threads inside `reviewbot serve`, or `reviewbot worker`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from huey.consumer import Consumer

if TYPE_CHECKING:
    from reviewbot.server.leases import LeaseKeeper
    from reviewbot.taskqueue import JobQueue

log = logging.getLogger("reviewbot.worker")
SHUTDOWN_TIMEOUT = 60.0  # seconds a stopping worker waits for reviews in progress


class EmbeddedConsumer(Consumer):
    """A Huey consumer that leaves signal handling to its host (uvicorn)."""

    def _set_signal_handlers(self) -> None:
        return None


def embedded_consumer(queue: JobQueue, threads: int) -> EmbeddedConsumer:
    queue.consumer(threads)  # checks a runner is set
    return EmbeddedConsumer(queue.huey, workers=threads, worker_type="thread", shutdown_timeout=SHUTDOWN_TIMEOUT)


def embedded_lifespan(queue: JobQueue, threads: int, keeper: LeaseKeeper) -> Callable[[Any], Any]:
    """FastAPI lifespan that runs `threads` job threads (and their lease keeper) beside the web server."""

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        consumer = embedded_consumer(queue, threads)
        consumer.start()
        keeper.start()
        log.info("running jobs on %d thread(s) in this process", threads)
        try:
            yield
        finally:
            consumer.stop(graceful=True)
            keeper.stop()

    return lifespan


class WorkerConsumer(Consumer):
    """A Huey consumer that calls `on_started` once its signal handlers are in place.

    Anything that tells the outside world "ready" (the metrics endpoint) starts
    there, so a SIGTERM sent after that always finds the graceful handler.
    """

    def __init__(self, *args: Any, on_started: Callable[[], None] = lambda: None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_started = on_started

    def start(self) -> None:
        super().start()
        self._on_started()


def run_consumer(
    queue: JobQueue, threads: int, keeper: LeaseKeeper, on_started: Callable[[], None] = lambda: None
) -> None:
    """Run jobs until SIGTERM/SIGINT (graceful: reviews in progress finish first)."""
    queue.consumer(threads)  # checks a runner is set
    consumer = WorkerConsumer(queue.huey, workers=threads, worker_type="thread", graceful_signal="TERM",
                              shutdown_timeout=SHUTDOWN_TIMEOUT, on_started=on_started)
    log.info("worker started: %d thread(s) on %s", threads, queue.backend)
    keeper.start()
    try:
        consumer.run()
    finally:
        keeper.stop()
