"""The job queue: Huey, with one task ("review") whose argument is a job's id in the store.

Huey gives both backends the App needs behind one API: SqliteHuey (a file,
nothing to install) and RedisHuey (any number of workers on any number of
machines). Retries with exponential backoff are Huey's own (`retry_delay`
multiplied by `retry_backoff` after each failure); the attempt in progress
knows whether it is the last one, which is when the failure is reported.

A message only wakes a worker: the job itself (payload, lease, coalesced
pushes) is a row in the store (`reviewbot.store.jobs`), which survives a
worker killed while the message was in its hands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huey import Huey
    from huey.consumer import Consumer

TASK_NAME = "review"
QUEUE_NAME = "reviewbot"

# Runs one attempt of the job with this id; `final` is True when the queue has no retry left after it.
Runner = Callable[[int, bool], None]


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 4  # attempts after the first
    delay: float = 30.0  # seconds before the first retry
    backoff: float = 2.0  # each later retry waits this many times longer

    def delays(self) -> tuple[float, ...]:
        return tuple(self.delay * self.backoff**n for n in range(self.retries))


DEFAULT_POLICY = RetryPolicy()


class JobQueue:
    """Enqueue jobs (server side) and run them (worker side) on one Huey instance."""

    def __init__(self, huey: Huey, policy: RetryPolicy = DEFAULT_POLICY) -> None:
        self.huey = huey
        self.policy = policy
        self._runner: Runner | None = None
        self._periodic: set[str] = set()
        self._task = huey.task(
            retries=policy.retries,
            retry_delay=policy.delay,
            retry_backoff=policy.backoff if policy.backoff != 1 else 0,
            context=True,
            name=TASK_NAME,
        )(self._execute)

    @property
    def backend(self) -> str:
        return type(self.huey.storage).__name__

    def enqueue(self, job_id: int) -> None:
        """Write a message for the job durably to the queue; returns once the backend has it."""
        self._task(job_id)

    def enqueue_many(self, job_ids: Sequence[int]) -> None:
        """`enqueue` for each id, written to the backend at once (one transaction, or one command)."""
        messages = [self.huey.serialize_task(self._task.s(job_id)) for job_id in job_ids]
        if not messages:
            return
        write_many = getattr(self.huey.storage, "enqueue_many", None)
        if write_many is None:  # a backend without batches (Huey's own storages)
            for message in messages:
                self.huey.storage.enqueue(message)
        else:
            write_many(messages)

    def pending_count(self) -> int:
        """Jobs waiting to run now."""
        return self.huey.pending_count()

    def scheduled_count(self) -> int:
        """Jobs waiting for a retry time."""
        return self.huey.scheduled_count()

    def pending_ids(self) -> list[int]:
        return [task.args[0] for task in self.huey.pending()]

    def ping(self) -> None:
        """Return if the backend answers; raise otherwise."""
        self.huey.storage.queue_size()

    def set_runner(self, runner: Runner) -> None:
        self._runner = runner

    def consumer(self, threads: int, **options: Any) -> Consumer:
        """A Huey consumer running jobs on `threads` worker threads (requires a runner)."""
        if self._runner is None:
            raise RuntimeError("set_runner() before starting a consumer")
        return self.huey.create_consumer(workers=threads, worker_type="thread", **options)

    def add_hourly(self, name: str, action: Callable[[], object]) -> None:
        """A periodic task run once an hour by one of the consumers' schedulers."""
        from huey import crontab

        if name not in self._periodic:
            self._periodic.add(name)
            self.huey.periodic_task(crontab(minute="17"), name=name)(action)

    def run_pending(self) -> int:
        """Run every job queued now in this thread (tests, one-shot drains); returns how many."""
        count = 0
        while self.huey.pending_count():
            task = self.huey.dequeue()
            if task is not None:
                self.huey.execute(task)
                count += 1
        return count

    def _execute(self, job_id: int, task: Any = None) -> None:
        if self._runner is None:
            raise RuntimeError("no job runner is set in this process")
        final = task is None or not task.retries
        self._runner(job_id, final)
