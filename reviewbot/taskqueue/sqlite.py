"""Huey's SQLite storage with the write-ahead log at synchronous=NORMAL and batched enqueues.

The durable record of a job is its row in the store (`reviewbot.store.jobs`),
committed with synchronous=FULL before the delivery is answered. The queue
message only wakes a worker, so it does not need a second fsync: with WAL and
NORMAL a killed process loses nothing (the log is in the OS's cache), and a
power cut can lose the last messages but never corrupts the file; a job whose
message was lost is sent again by a lease keeper (`reviewbot.server.leases`).

`enqueue_many` writes a group of messages in one transaction: the intake's
group writer sends every new job of a group commit at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from huey.storage import SqliteStorage


class WalNormalStorage(SqliteStorage):
    def _create_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._create_connection()
        conn.execute("pragma synchronous=normal")
        return conn

    def enqueue_many(self, messages: Sequence[bytes]) -> None:
        rows = [(self.name, self.to_blob(message), 0) for message in messages]
        with self.db(commit=True) as cursor:
            cursor.executemany("insert into task (queue, data, priority) values (?, ?, ?)", rows)
