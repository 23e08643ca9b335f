"""Running one attempt of a job in a worker: handle it, measure it, report a final failure.

Failures the PR author or the operator must fix (ConfigError, InputError) are
final at once; anything else is retried by the queue with backoff. When a job
finally fails, its delivery claim is released (so "Redeliver" on the App's
advanced settings page runs it again) and the handler's `report_failure`
leaves a short comment on the pull request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from reviewbot.errors import ConfigError, InputError, ReviewbotError, shortened
from reviewbot.jobs import Job
from reviewbot.store.base import ReviewStore

log = logging.getLogger("reviewbot.worker")

PERMANENT = (ConfigError, InputError)


class JobRecorder(Protocol):
    def job(self, outcome: str, seconds: float) -> None: ...


@dataclass(frozen=True)
class JobRunner:
    handle: Callable[[Job, Any], object]
    report_failure: Callable[[Job, str, Any], object]
    deps: Any
    store: ReviewStore
    metrics: JobRecorder
    clock: Callable[[], float] = time.monotonic

    def __call__(self, job: Job, final: bool) -> None:
        started = self.clock()
        try:
            self.handle(job, self.deps)
        except PERMANENT as exc:
            self._finished("failed", started)
            self.give_up(job, exc)
            return
        except Exception as exc:
            self._finished("failed" if final else "retrying", started)
            if final:
                self.give_up(job, exc)
            raise
        self._finished("done", started)

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
