"""Huey's Redis storage with batched enqueues: a group of messages is one LPUSH (one round trip)."""

from __future__ import annotations

from collections.abc import Sequence

from huey.storage import RedisStorage


class BatchRedisStorage(RedisStorage):
    def enqueue_many(self, messages: Sequence[bytes]) -> None:
        # LPUSH inserts its values one after another at the head, and workers pop from the tail: FIFO kept.
        self.conn.lpush(self.queue_key, *messages)
