"""Running the queue's consumer: in-process threads inside `reviewbot serve`, or `reviewbot worker`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from huey.consumer import Consumer

if TYPE_CHECKING:
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


def embedded_lifespan(queue: JobQueue, threads: int) -> Callable[[Any], Any]:
    """FastAPI lifespan that runs `threads` job threads beside the web server."""

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        consumer = embedded_consumer(queue, threads)
        consumer.start()
        log.info("running jobs on %d thread(s) in this process", threads)
        try:
            yield
        finally:
            consumer.stop(graceful=True)

    return lifespan


def run_consumer(queue: JobQueue, threads: int) -> None:
    """Run jobs until SIGTERM/SIGINT (graceful: reviews in progress finish first)."""
    consumer = queue.consumer(threads, graceful_signal="TERM", shutdown_timeout=SHUTDOWN_TIMEOUT)
    log.info("worker started: %d thread(s) on %s", threads, queue.backend)
    consumer.run()
