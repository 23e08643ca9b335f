"""Accepting a batch of deliveries on PostgreSQL: one statement, one round trip, atomic by itself.

The same decisions as `JobStore.accept_many`'s three statements on SQLite
(claim the delivery ids, claim the bodies of the freshly claimed ones, record
the admitted jobs with pushes to one pull request folded), written as one
statement whose data-modifying CTEs feed each other through RETURNING. A
single statement is its own transaction in PostgreSQL, so it runs on an
autocommit connection: no BEGIN, no COMMIT, no pool pre-ping. Over the network
each of those is a round trip the waiting webhook requests would pay; SQLite
runs in the process and has none.

The batch arrives as one JSON array of rows (`json_to_recordset`), so the
statement's text is the same for every batch size and PostgreSQL plans it once
per connection. JSON rather than parallel arrays: a payload is a JSON document
full of quotes, and the driver escapes a text array's elements a character at
a time in Python; as a `json` value inside the batch it is neither escaped nor
unescaped.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import URL, Connection

from reviewbot.jobs import Job

ACCEPT = """
WITH batch AS (
    SELECT * FROM json_to_recordset(CAST(%(batch)s AS json))
             AS b(pos integer, delivery_id text, digest text, coalesce_key text, payload json)
),
claimed AS (
    INSERT INTO deliveries (delivery_id, received_at)
    SELECT delivery_id, CAST(%(now)s AS timestamptz) FROM batch
    ON CONFLICT DO NOTHING
    RETURNING delivery_id
),
fresh AS (
    SELECT batch.* FROM batch JOIN claimed USING (delivery_id)
),
first_bodies AS (
    SELECT DISTINCT ON (digest) pos, digest FROM fresh WHERE digest IS NOT NULL ORDER BY digest, pos
),
claimed_bodies AS (
    INSERT INTO delivery_bodies (digest, received_at)
    SELECT digest, CAST(%(now)s AS timestamptz) FROM first_bodies
    ON CONFLICT DO NOTHING
    RETURNING digest
),
admitted AS (
    SELECT fresh.*, coalesce('k' || fresh.coalesce_key, 'p' || fresh.pos) AS grp
    FROM fresh
    WHERE fresh.digest IS NULL
       OR fresh.pos IN (SELECT first_bodies.pos FROM first_bodies JOIN claimed_bodies USING (digest))
),
grouped AS (
    SELECT admitted.*, count(*) OVER w AS n, min(pos) OVER w AS first_pos, max(pos) OVER w AS last_pos
    FROM admitted WINDOW w AS (PARTITION BY grp)
),
recorded AS (
    INSERT INTO jobs (delivery_id, payload, coalesce_key, queued_key, state, pushes, attempts, worker,
                      lease_until, created_at)
    SELECT delivery_id, CAST(payload AS text), coalesce_key, coalesce_key, 'queued', n, 0, NULL,
           CAST(%(lease_until)s AS timestamptz), CAST(%(now)s AS timestamptz)
    FROM grouped WHERE pos = last_pos
    ON CONFLICT (queued_key) DO UPDATE
        SET payload = excluded.payload, delivery_id = excluded.delivery_id, pushes = jobs.pushes + excluded.pushes
    RETURNING id, pushes, delivery_id
)
SELECT grouped.pos, recorded.id, recorded.pushes, grouped.n, grouped.first_pos
FROM grouped
JOIN grouped AS last ON last.grp = grouped.grp AND last.pos = last.last_pos
JOIN recorded ON recorded.delivery_id = last.delivery_id
"""  # psycopg placeholders: the same text for SQLAlchemy (`exec_driver_sql`) and for psycopg


Answered = list[tuple[int, int, bool]]  # (position in the batch, job id, new) for each admitted job


def accept_batch(conn: Connection, batch: Sequence[Job], now: datetime, lease_until: datetime) -> Answered:
    """(position, job id, new) for each admitted job of `batch`; a position not listed was refused.

    A delivery id repeated within the batch is sent once (its first position), as on SQLite."""
    params = _params(batch, now, lease_until)
    return _answered(conn.exec_driver_sql(ACCEPT, params).all()) if params else []


class LoopConnection:
    """`accept_batch` on the caller's event loop: its own autocommit connection, awaited, not blocked on.

    The intake's answers then wait on no thread: the statement goes out from the loop that received
    the deliveries, and the loop serves other requests while PostgreSQL commits. A connection belongs
    to the loop that opened it; a call from another loop (a server started again in the same process)
    opens a new one. A connection found dead (a PostgreSQL restart, an idle timeout) is replaced and
    the batch sent once more, as `JobStore.accept_many` does on its pool; if the dead one had committed,
    the second run admits none and the lease keeper sends the recorded jobs after their grace period."""

    def __init__(self, url: URL) -> None:
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop `_conn` belongs to

    async def accept(self, batch: Sequence[Job], now: datetime, lease_until: datetime) -> Answered:
        params = _params(batch, now, lease_until)
        if not params:
            return []
        try:
            return await self._run(params)
        except psycopg.OperationalError:
            if self._conn is not None and not (self._conn.broken or self._conn.closed):
                raise  # the connection is fine: the statement itself failed
        self._conn = None
        return await self._run(params)

    async def aclose(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and self._loop is asyncio.get_running_loop():
            await conn.close()

    async def _run(self, params: dict[str, Any]) -> Answered:
        conn, loop = self._conn, asyncio.get_running_loop()
        if conn is None or conn.closed or self._loop is not loop:
            conn = self._conn = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
            self._loop = loop
        cursor = await conn.execute(ACCEPT, params)
        return _answered(await cursor.fetchall())


def _params(batch: Sequence[Job], now: datetime, lease_until: datetime) -> dict[str, Any] | None:
    """The statement's parameters, or None for an empty batch; a repeated delivery id goes once."""
    firsts: dict[str, int] = {}
    for at, job in enumerate(batch):
        firsts.setdefault(job.delivery_id, at)
    if not firsts:
        return None
    rows = ",".join(_row(at, batch[at]) for at in firsts.values())
    return {"batch": f"[{rows}]", "now": now, "lease_until": lease_until}


def _answered(rows: Sequence[Sequence[Any]]) -> Answered:
    """New: the job was inserted now (its pushes are this batch's) and this is its first delivery."""
    return [(pos, job_id, pushes == n and pos == first_pos) for pos, job_id, pushes, n, first_pos in rows]


def _row(at: int, job: Job) -> str:
    """One row of the batch as JSON; the payload goes in as the JSON document it already is (a `json`
    value keeps its text as written), not as a string escaped once more and unescaped again."""
    delivery_id, digest, key = (json.dumps(value) for value in (job.delivery_id, job.body_digest, job.coalesce_key))
    return f'{{"pos":{at},"delivery_id":{delivery_id},"digest":{digest},"coalesce_key":{key},"payload":{job.to_json()}}}'
