"""The ReviewStore on SQLAlchemy: a SQLite file by default, PostgreSQL for scale.

Both dialects get the same statements: an INSERT ... ON CONFLICT DO NOTHING on
the delivery id is what makes `claim_delivery` atomic across replicas.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, select, text

from reviewbot.store.checkpoints import Checkpointer
from reviewbot.store.schema import (
    command_uses,
    deliveries,
    delivery_bodies,
    reviewed_heads,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class SqlStore:
    """ReviewStore backed by a SQLAlchemy engine whose schema is migrated to head."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow,
                 checkpointer: Checkpointer | None = None) -> None:
        self.engine = engine
        self._clock = clock
        self._checkpointer = checkpointer.start() if checkpointer is not None else None
        self._insert = insert_for(engine.dialect.name)
        # Built once: the intake claims every delivery, so construction cost counts.
        self._claim = self._insert(deliveries).on_conflict_do_nothing().returning(deliveries.c.delivery_id)

    def claim_delivery(self, delivery_id: str) -> bool:
        with self.engine.begin() as conn:
            claimed = conn.execute(self._claim, {"delivery_id": delivery_id, "received_at": self._clock()})
            return claimed.first() is not None

    def release_delivery(self, delivery_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(deliveries).where(deliveries.c.delivery_id == delivery_id))

    def last_reviewed_head(self, repo_full_name: str, pr_number: int) -> str | None:
        query = select(reviewed_heads.c.head_sha).where(
            reviewed_heads.c.repo_full_name == repo_full_name, reviewed_heads.c.pr_number == pr_number
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def set_last_reviewed_head(self, repo_full_name: str, pr_number: int, sha: str) -> None:
        row = {"repo_full_name": repo_full_name, "pr_number": pr_number, "head_sha": sha, "updated_at": self._clock()}
        statement = self._insert(reviewed_heads).values(**row)
        upsert = statement.on_conflict_do_update(
            index_elements=["repo_full_name", "pr_number"],
            set_={"head_sha": statement.excluded.head_sha, "updated_at": statement.excluded.updated_at},
        )
        with self.engine.begin() as conn:
            conn.execute(upsert)

    def prune_deliveries(self, older_than: datetime) -> int:
        """Forget delivery ids, body digests and command uses from before `older_than`; returns how many ids."""
        with self.engine.begin() as conn:
            conn.execute(delete(delivery_bodies).where(delivery_bodies.c.received_at < older_than))
            conn.execute(delete(command_uses).where(command_uses.c.used_at < older_than))
            return conn.execute(delete(deliveries).where(deliveries.c.received_at < older_than)).rowcount

    def commands_since(self, repo_full_name: str, pr_number: int, login: str, since: datetime) -> int:
        """How many commands `login` gave on this pull request since `since`."""
        query = select(func.count()).where(
            command_uses.c.repo_full_name == repo_full_name, command_uses.c.pr_number == pr_number,
            command_uses.c.login == login, command_uses.c.used_at >= since,
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def record_command(self, repo_full_name: str, pr_number: int, login: str, at: datetime) -> None:
        row = {"repo_full_name": repo_full_name, "pr_number": pr_number, "login": login, "used_at": at}
        with self.engine.begin() as conn:
            conn.execute(self._insert(command_uses).values(**row))

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("select 1"))

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.engine.dispose()


def insert_for(dialect: str) -> Callable[..., Any]:
    """The dialect's INSERT, which has ON CONFLICT (upserts); only PostgreSQL and SQLite are supported."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert
    raise ValueError(f"unsupported database dialect {dialect!r}: use PostgreSQL or SQLite")
