"""The store's tables (SQLAlchemy Core). Alembic migrations create and change them."""

from __future__ import annotations

import zlib
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData()


class JobDocument(TypeDecorator[str]):
    """A job as JSON text; on SQLite stored zlib-compressed (a BLOB in the TEXT column).

    A pull request's webhook payload is about 25 KB of JSON and compresses about ninefold at level 1
    (tens of microseconds). On SQLite every byte of a job is written twice, to the write-ahead log by
    the intake's commit and to the database file by the next checkpoint, and a checkpoint slows the
    commits beside it in proportion to what it copies (`reviewbot.store.checkpoints`). PostgreSQL
    compresses large values itself (TOAST, lz4 since migration 0006), so there the text is stored as
    it is. Rows written before compression are read back unchanged: a TEXT value is returned as it
    is, a BLOB is decompressed."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return zlib.compress(value.encode(), COMPRESSION_LEVEL)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return zlib.decompress(value).decode() if isinstance(value, bytes) else value


COMPRESSION_LEVEL = 1  # about ninefold on webhook payloads; level 6 takes three times as long for 20% less

deliveries = Table(
    "deliveries",
    metadata,
    Column("delivery_id", String(100), primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
)

reviewed_heads = Table(
    "reviewed_heads",
    metadata,
    Column("repo_full_name", String(300), primary_key=True),
    Column("pr_number", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("head_sha", String(64), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One row per accepted job, from the moment its delivery is claimed until the job
# finishes (or finally fails): the record that makes a job survive a killed worker.
# `queued_key` is the coalescing key while the job waits and NULL once a worker
# has taken it, so at most one job per pull request waits at a time (a unique
# index; NULLs never collide). `lease_until` is when the row is handed out again:
# a running job's worker renews it; a waiting job's is a grace period after
# which its queue message is sent again.
jobs = Table(
    "jobs",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("delivery_id", String(100), nullable=False),  # the latest delivery folded into the job
    Column("payload", JobDocument, nullable=False),  # the Job as JSON
    Column("coalesce_key", String(400), nullable=True, index=True),
    Column("queued_key", String(400), nullable=True, unique=True),
    Column("state", String(16), nullable=False),  # queued | running | retrying
    Column("pushes", Integer, nullable=False),  # deliveries folded into this job
    Column("attempts", Integer, nullable=False),
    Column("worker", String(200), nullable=True),
    Column("lease_until", DateTime(timezone=True), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# The SHA-256 of every accepted delivery's body: a captured delivery replayed under a new delivery id
# (its signature still valid) is refused like a redelivery. Pruned with the delivery claims.
delivery_bodies = Table(
    "delivery_bodies",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
)

# Commands (`@<slug> review`, `@<slug> help`) each person gave on each pull request: the quota.
command_uses = Table(
    "command_uses",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("repo_full_name", String(300), nullable=False),
    Column("pr_number", BigInteger().with_variant(Integer(), "sqlite"), nullable=False),
    Column("login", String(200), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=False),
    Index("ix_command_uses_who", "repo_full_name", "pr_number", "login", "used_at"),
)
