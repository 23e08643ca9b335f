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

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, text

from reviewbot.jobs import Job

ACCEPT = text("""
WITH batch AS (
    SELECT * FROM json_to_recordset(CAST(:batch AS json))
             AS b(pos integer, delivery_id text, digest text, coalesce_key text, payload json)
),
claimed AS (
    INSERT INTO deliveries (delivery_id, received_at)
    SELECT delivery_id, CAST(:now AS timestamptz) FROM batch
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
    SELECT digest, CAST(:now AS timestamptz) FROM first_bodies
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
           CAST(:lease_until AS timestamptz), CAST(:now AS timestamptz)
    FROM grouped WHERE pos = last_pos
    ON CONFLICT (queued_key) DO UPDATE
        SET payload = excluded.payload, delivery_id = excluded.delivery_id, pushes = jobs.pushes + excluded.pushes
    RETURNING id, pushes, delivery_id
)
SELECT grouped.pos, recorded.id, recorded.pushes, grouped.n, grouped.first_pos
FROM grouped
JOIN grouped AS last ON last.grp = grouped.grp AND last.pos = last.last_pos
JOIN recorded ON recorded.delivery_id = last.delivery_id
""")


def accept_batch(conn: Connection, batch: Sequence[Job], now: datetime, lease_until: datetime
                 ) -> list[tuple[int, int, bool]]:
    """(position, job id, new) for each admitted job of `batch`; a position not listed was refused.

    A delivery id repeated within the batch is sent once (its first position), as on SQLite."""
    firsts: dict[str, int] = {}
    for at, job in enumerate(batch):
        firsts.setdefault(job.delivery_id, at)
    positions = list(firsts.values())
    if not positions:
        return []
    rows = ",".join(_row(at, batch[at]) for at in positions)
    answered = conn.execute(ACCEPT, {"batch": f"[{rows}]", "now": now, "lease_until": lease_until})
    return [(row.pos, row.id, row.pushes == row.n and row.pos == row.first_pos) for row in answered]


def _row(at: int, job: Job) -> str:
    """One row of the batch as JSON; the payload goes in as the JSON document it already is (a `json`
    value keeps its text as written), not as a string escaped once more and unescaped again."""
    delivery_id, digest, key = (json.dumps(value) for value in (job.delivery_id, job.body_digest, job.coalesce_key))
    return f'{{"pos":{at},"delivery_id":{delivery_id},"digest":{digest},"coalesce_key":{key},"payload":{job.to_json()}}}'
