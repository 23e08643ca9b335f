"""Running one attempt of a job in a worker: lease it, handle it, measure it, report a final failure.

The queue hands over a job id; the job is leased from the store
(`JobStore.take`), so a second message for the same job, or one for a job
another worker is running, does nothing. A job superseded by a newer push to
the same pull request stops before any GitHub call. The job's row is removed
only when it has finished or finally failed; while it runs, the worker's
`LeaseKeeper` renews the lease.

Failures the PR author or the operator must fix (ConfigError, InputError) are
final at once; anything else is retried by the queue with backoff. When a job
finally fails, its delivery claim is released (so "Redeliver" on the App's
advanced settings page runs it again) and the handler's `report_failure`
leaves a short comment on the pull request.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from reviewbot.errors import ConfigError, InputError, ReviewbotError, shortened
from reviewbot.jobs import Job
from reviewbot.store.base import ReviewStore
from reviewbot.store.jobs import DEFAULT_LEASE, JobStore, Taken
from reviewbot.taskqueue import DEFAULT_POLICY, RetryPolicy

log = logging.getLogger("reviewbot.worker")

PERMANENT = (ConfigError, InputError)


class JobRecorder(Protocol):
    def job(self, outcome: str, seconds: float) -> None: ...


def worker_name() -> str:
    """This process's name on the leases it holds: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class JobRunner:
    handle: Callable[[Job, Any], object]
    report_failure: Callable[[Job, str, Any], object]
    deps: Any
    store: ReviewStore
    jobs: JobStore
    metrics: JobRecorder
    send: Callable[[int], None]  # puts a job id on the queue
    clock: Callable[[], float] = time.monotonic
    policy: RetryPolicy = DEFAULT_POLICY
    lease: timedelta = DEFAULT_LEASE
    worker: str = field(default_factory=worker_name)

    def __call__(self, job_id: int, last_try: bool) -> None:
        taken = self.jobs.take(job_id, self.worker, self.lease)
        if taken is None:
            log.info("job %s is finished or running elsewhere; nothing to do", job_id)
            return
        if taken.superseded:
            log.info("%s: superseded by a newer push; not reviewed", taken.job.describe())
            self._finish(job_id)
            self.metrics.job("superseded", 0.0)
            return
        self.attempt(taken, last_try or taken.attempts > self.policy.retries)

    def attempt(self, taken: Taken, final: bool) -> None:
        """Run the job once; the row goes when it is done or given up, else it waits for the queue's retry."""
        started = self.clock()
        try:
            self.handle(taken.job, self.deps)
        except PERMANENT as exc:
            self._finished("failed", started)
            self._give_up(taken, exc)
            return
        except Exception as exc:
            self._finished("failed" if final else "retrying", started)
            if final:
                self._give_up(taken, exc)
                return
            self._send(self.jobs.retry_later(taken.job_id, self._delay(taken.attempts), self.lease))
            raise
        self._finished("done", started)
        self._finish(taken.job_id)

    def _give_up(self, taken: Taken, exc: BaseException) -> None:
        self.give_up(taken.job, exc)
        _quietly(self._finish, taken.job_id)

    def _finish(self, job_id: int) -> None:
        self._send(self.jobs.finish(job_id))

    def _send(self, waiting: int | None) -> None:
        """Wake the job of the same pull request that waited for this one to end."""
        if waiting is not None:
            self.send(waiting)

    def _delay(self, attempts: int) -> timedelta:
        delays = self.policy.delays() or (0.0,)
        return timedelta(seconds=delays[min(attempts, len(delays)) - 1])

    def give_up(self, job: Job, exc: BaseException) -> None:
        text = failure_text(exc)
        log.error("giving up on %s: %s", job.describe(), text)
        _quietly(self.store.release_delivery, job.delivery_id)
        _quietly(self.report_failure, job, text, self.deps)

    def _finished(self, outcome: str, started: float) -> None:
        self.metrics.job(outcome, self.clock() - started)


def failure_text(exc: BaseException) -> str:
    """One short line for the PR: our own errors say how to fix; others name their type."""
    if isinstance(exc, ReviewbotError):
        text = str(exc)
    else:
        first_line = (str(exc).strip().splitlines() or [""])[0]
        text = f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__
    return shortened(text)


def _quietly(action: Callable[..., object], *args: object) -> None:
    try:
        action(*args)
    except Exception:
        log.exception("%s failed while giving up on a job", getattr(action, "__name__", "cleanup"))
