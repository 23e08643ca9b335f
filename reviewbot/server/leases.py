"""The lease keeper: one thread per worker process that keeps its jobs' leases alive and reaps dead ones.

Every third of a lease it (1) renews the leases this process holds, so a job
that runs for an hour keeps its row, and (2) reaps: any job whose lease has
expired (its worker was killed, or its queue message was lost) is handed out
again by sending a new message to the queue. Several keepers may reap at
once; a job is re-sent by only one of them (a conditional update), and a
duplicate message would find the job leased and do nothing.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from reviewbot.store.jobs import JobStore

log = logging.getLogger("reviewbot.worker")


class Sender(Protocol):
    def enqueue(self, job_id: int) -> None: ...


@dataclass
class LeaseKeeper:
    jobs: JobStore
    queue: Sender
    worker: str
    lease: timedelta
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def tick(self) -> list[int]:
        """Renew this process's leases, then re-send every job whose lease expired; returns those ids."""
        self.jobs.renew(self.worker, self.lease)
        reaped = self.jobs.reap()
        for job_id in reaped:
            self.queue.enqueue(job_id)
        if reaped:
            log.warning("re-sent %d job(s) whose lease expired (a stopped worker, or a queue message not sent): %s",
                        len(reaped), reaped)
        return reaped

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="reviewbot-leases", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        interval = self.lease.total_seconds() / 3
        while True:
            try:
                self.tick()
            except Exception:
                log.exception("renewing or reaping job leases failed")
            if self._stop.wait(interval):
                return
