"""WAL checkpoints for the embedded SQLite store, on a thread of their own instead of inside a commit.

By default SQLite checkpoints when a commit takes the write-ahead log past 1,000
pages: that commit copies the log into the database file and syncs it before it
returns. With webhook payloads of tens of kilobytes that is several times a
second, and the webhook requests waiting on that commit wait tens of
milliseconds for it. The server's connections therefore turn automatic
checkpoints off, and this thread runs a PASSIVE checkpoint every five seconds:
it copies what no reader still needs without taking the write lock, so commits
go on meanwhile.

Every five seconds rather than every half second: a checkpoint still slows the
commits that run beside it (it writes the copied pages to the database file and
syncs it, and the intake's commit syncs the log on the same disk). Measured at
500 deliveries a second, the deliveries answered slowest (the top 1%) sat in
clusters half a second apart, one per checkpoint. A checkpoint's stall also
grows with what it copies, so the jobs' payloads are stored compressed
(`reviewbot.store.schema.JobDocument`); with both, the p99 was 3.8 to 4.6 ms in
four runs against 4.7 to 6.5 ms. The log holds up to five seconds of commits
(tens of megabytes at that rate, kilobytes at ordinary rates), and
`journal_size_limit` shrinks the file back once a checkpoint lets it restart.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Engine

log = logging.getLogger("reviewbot.server")

INTERVAL = 5.0  # seconds between checkpoints
WARN_EVERY = 60.0  # at most one warning a minute while checkpoints keep failing


class Checkpointer:
    def __init__(self, engine: Engine, interval: float = INTERVAL) -> None:
        self._engine, self._interval = engine, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="reviewbot-wal-checkpoints", daemon=True)
        self._warned_at = float("-inf")

    def start(self) -> Checkpointer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread, then checkpoint once more and truncate the log."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self.checkpoint("TRUNCATE")

    def checkpoint(self, mode: str = "PASSIVE") -> bool:
        try:
            with self._engine.connect() as conn:
                conn.exec_driver_sql(f"pragma wal_checkpoint({mode})")
            return True
        except Exception as exc:  # noqa: BLE001 - the next round tries again; commits do not depend on it
            if time.monotonic() - self._warned_at >= WARN_EVERY:
                self._warned_at = time.monotonic()
                log.warning("WAL checkpoint failed (the log grows until one succeeds): %r", exc)
            return False

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.checkpoint()
