"""Job records in the store: accepted with their delivery claim, leased while they run, removed when done.

The queue (Huey) carries only a job's id, to wake a worker. What a job is, and
whether it still has to run, lives here, in the same database as the delivery
claims, so that:

- accepting a delivery is one transaction: claim its id and record (or fold in)
  its job;
- coalescing is one statement: a `synchronize` for a pull request that already
  has a job waiting replaces that job's payload instead of adding another;
- no job is lost: a worker takes a job by leasing its row, renews the lease while
  it runs, and deletes the row only when the job has finished or finally
  failed. A lease that is not renewed (the worker was killed) expires, and
  `reap` hands the job out again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    create_engine,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError

from reviewbot.jobs import Job
from reviewbot.store.accept_postgres import Answered, LoopConnection, accept_batch
from reviewbot.store.schema import deliveries, delivery_bodies, jobs
from reviewbot.store.sql import insert_for, utcnow

WAITING_GRACE = timedelta(minutes=10)  # a waiting job whose queue message was lost is sent again after this
DEFAULT_LEASE = timedelta(seconds=60)  # a running job's worker renews its lease every third of this


@dataclass(frozen=True)
class Accepted:
    """A claimed delivery's job: `new` when it must be sent to the queue, False when folded into a waiting one."""

    job_id: int
    new: bool


@dataclass(frozen=True)
class Taken:
    """A job leased to this worker for one attempt."""

    job_id: int
    job: Job
    attempts: int  # including this one
    superseded: bool  # a newer job for the same pull request exists


class LoopAccepts:
    """`JobStore.accept_many` for PostgreSQL as a coroutine: the same statement, sent from the event loop."""

    def __init__(self, connection: LoopConnection, clock: Callable[[], datetime]) -> None:
        self._connection, self._clock = connection, clock

    async def accept_many(self, batch: Sequence[Job]) -> list[Accepted | None]:
        now = self._clock()
        return _results(len(batch), await self._connection.accept(batch, now, now + WAITING_GRACE))

    async def aclose(self) -> None:
        await self._connection.aclose()


class JobStore:
    """The job records of a migrated store (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self._clock = clock
        self._autocommit: Engine | None = None  # PostgreSQL: the intake's one-statement batches
        insert = insert_for(engine.dialect.name)
        self._claim = insert(deliveries).on_conflict_do_nothing().returning(deliveries.c.delivery_id)
        self._claim_body = insert(delivery_bodies).on_conflict_do_nothing().returning(delivery_bodies.c.digest)
        waiting = insert(jobs)
        self._record = waiting.on_conflict_do_update(
            index_elements=["queued_key"],
            set_={"payload": waiting.excluded.payload, "delivery_id": waiting.excluded.delivery_id,
                  "pushes": jobs.c.pushes + waiting.excluded.pushes},
        ).returning(jobs.c.id, jobs.c.pushes, jobs.c.delivery_id)

    def accept(self, job: Job) -> Accepted | None:
        """Claim the job's delivery (its id and its body) and record the job, in one transaction;
        None for a repeated delivery: the same id, or the same signed body under another id (a replay)."""
        return self.accept_many([job])[0]

    def accept_many(self, batch: Sequence[Job]) -> list[Accepted | None]:
        """`accept` for each job, in order, all in one transaction (one commit, one fsync: group commit).

        On SQLite, three statements whatever the batch's size: claim the delivery ids, claim the bodies,
        record the jobs (pushes to one pull request within the batch are folded before they reach the
        database). On PostgreSQL the same decisions are one statement (`store.accept_postgres`)."""
        now = self._clock()
        if self.engine.dialect.name == "postgresql":
            return self._accept_in_one_statement(batch, now)
        everything = range(len(batch))
        with self.engine.begin() as conn:
            claimed = self._claimed(conn, self._claim, "delivery_id", [job.delivery_id for job in batch], now)
            first = _firsts(everything, lambda at: batch[at].delivery_id, claimed)
            bodies = [digest for at in first if (digest := batch[at].body_digest)]
            fresh = self._claimed(conn, self._claim_body, "digest", bodies, now)
            # A body already claimed is a replay; its delivery id stays claimed, so redeliveries stay duplicates.
            admitted = _firsts(first, lambda at: batch[at].body_digest, fresh)
            return self._record_all(conn, batch, admitted, now)

    def _accept_in_one_statement(self, batch: Sequence[Job], now: datetime) -> list[Accepted | None]:
        return _results(len(batch), self._retried_once(lambda conn: accept_batch(conn, batch, now, now + WAITING_GRACE)))

    def on_event_loop(self) -> LoopAccepts | None:
        """`accept_many` to await on an event loop, with its own connection there (PostgreSQL); None on
        SQLite, whose calls block on the disk and belong on a thread (`reviewbot.server.batching`)."""
        if self.engine.dialect.name != "postgresql":
            return None
        return LoopAccepts(LoopConnection(self.engine.url), self._clock)

    def _retried_once(self, step: Callable[[Connection], Answered]) -> Answered:
        """Run `step` on an autocommit connection, once more on a fresh one if the first was found dead
        (the pool does not ping before each batch: that would be a round trip per batch). If the dead
        connection had committed, the second run finds every delivery claimed and admits none; the jobs
        it recorded wait in the store, and the lease keeper sends them when their grace period ends."""
        if self._autocommit is None:
            self._autocommit = create_engine(self.engine.url, isolation_level="AUTOCOMMIT", pool_size=2,
                                             max_overflow=8)
        try:
            with self._autocommit.connect() as conn:
                return step(conn)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        with self._autocommit.connect() as conn:
            return step(conn)

    @staticmethod
    def _claimed(conn: Connection, statement: Any, column: str, keys: list[str], now: datetime) -> set[str]:
        """The keys this transaction inserted; the others were claimed before."""
        unique = list(dict.fromkeys(keys))
        if not unique:
            return set()
        return set(conn.execute(statement, [{column: key, "received_at": now} for key in unique]).scalars())

    def _record_all(self, conn: Connection, batch: Sequence[Job], admitted: list[int], now: datetime
                    ) -> list[Accepted | None]:
        """Record the admitted jobs: one row per job, except one per pull request for coalesced pushes."""
        groups = _by_pull_request(batch, admitted)
        rows = [_row(batch[group[-1]], now, pushes=len(group)) for group in groups]
        recorded = {row.delivery_id: row for row in conn.execute(self._record, rows)} if rows else {}
        results: list[Accepted | None] = [None] * len(batch)
        for group in groups:
            row = recorded[batch[group[-1]].delivery_id]
            new = row.pushes == len(group)  # inserted now, not folded into a job that was already waiting
            for at in group:
                results[at] = Accepted(row.id, new and at == group[0])
        return results

    def close(self) -> None:
        """Close the intake's own connections (the store's engine is closed with the store)."""
        if self._autocommit is not None:
            self._autocommit.dispose()

    def send_soon(self, job_ids: Sequence[int]) -> int:
        """Mark waiting jobs whose queue message could not be sent: the next lease keeper tick sends them
        (without this, their grace period would). Returns how many were marked."""
        if not job_ids:
            return 0
        statement = update(jobs).where(jobs.c.id.in_(job_ids), jobs.c.state == "queued")
        with self.engine.begin() as conn:
            return conn.execute(statement.values(lease_until=self._clock())).rowcount

    def take(self, job_id: int, worker: str, lease: timedelta = DEFAULT_LEASE) -> Taken | None:
        """Lease a job to `worker`; None when it is finished, another worker holds its live lease, or
        another job of the same pull request is running (this one is sent again when that one ends)."""
        now = self._clock()
        free = or_(jobs.c.state != "running", jobs.c.lease_until < now)
        other = jobs.alias("other")
        sibling_running = exists().where(
            other.c.coalesce_key == jobs.c.coalesce_key, other.c.id != jobs.c.id,
            other.c.state == "running", other.c.lease_until >= now,
        )
        statement = (
            update(jobs)
            .where(jobs.c.id == job_id, free, ~sibling_running)
            .values(state="running", queued_key=None, worker=worker, lease_until=now + lease,
                    attempts=jobs.c.attempts + 1)
            .returning(jobs.c.payload, jobs.c.pushes, jobs.c.attempts, jobs.c.coalesce_key)
        )
        with self.engine.begin() as conn:
            row = conn.execute(statement).first()
            if row is None:
                return None
            newer = row.coalesce_key is not None and conn.execute(
                select(exists().where(jobs.c.coalesce_key == row.coalesce_key, jobs.c.id > job_id))
            ).scalar_one()
        job = Job.from_json(row.payload)
        return Taken(job_id, Job(job.delivery_id, job.event, job.action, job.payload, row.pushes),
                     row.attempts, bool(newer))

    def finish(self, job_id: int) -> int | None:
        """The job is done (or finally failed): remove it. Returns the id of the job of the same pull
        request that waited for it, to send to the queue again."""
        with self.engine.begin() as conn:
            key = conn.execute(delete(jobs).where(jobs.c.id == job_id).returning(jobs.c.coalesce_key)).scalar()
            return self._waiting_for(conn, key)

    def retry_later(self, job_id: int, delay: timedelta, lease: timedelta = DEFAULT_LEASE) -> int | None:
        """The attempt failed and the queue will retry after `delay`; the lease covers the wait.
        Returns the id of a job of the same pull request that may run meanwhile."""
        statement = (
            update(jobs).where(jobs.c.id == job_id)
            .values(state="retrying", worker=None, lease_until=self._clock() + delay + lease)
            .returning(jobs.c.coalesce_key)
        )
        with self.engine.begin() as conn:
            return self._waiting_for(conn, conn.execute(statement).scalar())

    @staticmethod
    def _waiting_for(conn: Connection, key: str | None) -> int | None:
        if key is None:
            return None
        return conn.execute(select(jobs.c.id).where(jobs.c.queued_key == key)).scalar()

    def renew(self, worker: str, lease: timedelta = DEFAULT_LEASE) -> int:
        """Extend every lease `worker` holds; returns how many."""
        with self.engine.begin() as conn:
            statement = update(jobs).where(jobs.c.worker == worker, jobs.c.state == "running")
            return conn.execute(statement.values(lease_until=self._clock() + lease)).rowcount

    def reap(self) -> list[int]:
        """Hand out again every job whose lease expired; returns the ids to send to the queue."""
        now = self._clock()
        with self.engine.connect() as conn:
            expired = conn.execute(select(jobs.c.id).where(jobs.c.lease_until < now)).scalars().all()
        return [sent for job_id in expired if (sent := self._requeue(job_id, now)) is not None]

    def _requeue(self, job_id: int, now: datetime) -> int | None:
        statement = (
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.lease_until < now)
            .values(state="queued", queued_key=jobs.c.coalesce_key, worker=None, lease_until=now + WAITING_GRACE)
        )
        try:
            with self.engine.begin() as conn:
                return job_id if conn.execute(statement).rowcount == 1 else None
        except IntegrityError:  # a newer job of the same pull request waits: it replaces this one
            return self.finish(job_id)

    def waiting(self) -> list[Job]:
        """Jobs not finished yet, oldest first (tests and the benchmark)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(jobs.c.payload, jobs.c.pushes).order_by(jobs.c.id)).all()
        return [_with_pushes(Job.from_json(row.payload), row.pushes) for row in rows]

    def counts(self) -> tuple[int, int]:
        """(waiting, running-or-retrying) jobs."""
        waiting = func.count().filter(jobs.c.state == "queued")
        with self.engine.connect() as conn:
            row = conn.execute(select(waiting, func.count())).one()
        return row[0], row[1] - row[0]

    def queued_ids(self) -> list[int]:
        """The jobs waiting for a worker, oldest first."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(jobs.c.id).where(jobs.c.state == "queued").order_by(jobs.c.id)).scalars())

    def held_by(self, worker: str) -> list[int]:
        with self.engine.connect() as conn:
            query = select(jobs.c.id).where(and_(jobs.c.worker == worker, jobs.c.state == "running"))
            return list(conn.execute(query).scalars())


def _firsts(positions: Iterable[int], key: Callable[[int], str | None], fresh: set[str]) -> list[int]:
    """The positions whose key is fresh, the first of each key only; a position without a key passes."""
    seen: set[str] = set()
    kept = []
    for at in positions:
        value = key(at)
        if value is None:
            kept.append(at)
        elif value in fresh and value not in seen:
            seen.add(value)
            kept.append(at)
    return kept


def _by_pull_request(batch: Sequence[Job], positions: list[int]) -> list[list[int]]:
    """The positions in groups, in order: one group per coalescing key, and a group of one for any other job."""
    groups: dict[object, list[int]] = {}
    for at in positions:
        groups.setdefault(batch[at].coalesce_key or ("alone", at), []).append(at)
    return list(groups.values())


def _row(job: Job, now: datetime, pushes: int = 1) -> dict[str, object]:
    key = job.coalesce_key
    return {
        "delivery_id": job.delivery_id, "payload": job.to_json(), "coalesce_key": key, "queued_key": key,
        "state": "queued", "pushes": pushes, "attempts": 0, "worker": None,
        "lease_until": now + WAITING_GRACE, "created_at": now,
    }


def _with_pushes(job: Job, pushes: int) -> Job:
    return Job(job.delivery_id, job.event, job.action, job.payload, pushes)


def _results(size: int, answered: Answered) -> list[Accepted | None]:
    """One result per position of a batch of `size`: the admitted jobs from `answered`, None for the rest."""
    results: list[Accepted | None] = [None] * size
    for at, job_id, new in answered:
        results[at] = Accepted(job_id, new)
    return results
