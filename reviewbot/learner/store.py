"""The learner profile on SQLAlchemy: the App's database, or a local SQLite file.

Writes are upserts (INSERT ... ON CONFLICT), so concurrent workers updating
the same person never lose a count. The clock is injected; nothing here reads
the environment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, case, delete, func, select

from reviewbot.learner.evidence import GOT_IT, KINDS, EvidenceRow
from reviewbot.learner.profile import (
    QUOTA_WINDOW,
    LearnerMap,
    ProfileView,
    Progress,
    build_map,
    profile_view,
)
from reviewbot.learner.tables import (
    learner_evidence,
    learner_progress,
    learners,
    thread_replies,
)
from reviewbot.store.sql import insert_for, utcnow

if TYPE_CHECKING:
    from sqlalchemy import Connection, RowMapping

    from reviewbot.principles.graph import PrincipleGraph

__all__ = ["QUOTA_WINDOW", "LearnerStore", "utcnow"]


class LearnerStore:
    """Per person (host + login): principles shown, deepest layer reached, understood."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self._clock = clock
        self._insert = insert_for(engine.dialect.name)

    def shown(self, host: str, login: str, pairs: Iterable[tuple[str, int]]) -> None:
        """Record principles shown to a person, each with the depth reached below it."""
        now, rows = self._clock(), list(pairs)
        if not rows:
            return
        with self.engine.begin() as conn:
            self._ensure_learner(conn, host, login, now)
            for principle, depth in rows:
                conn.execute(self._shown_upsert(host, login, principle, depth, now))

    def understood(self, host: str, login: str, principles: Iterable[str]) -> None:
        """Mark principles as understood (the first time counts; repeats change nothing)."""
        now, ids = self._clock(), list(principles)
        if not ids:
            return
        with self.engine.begin() as conn:
            self._ensure_learner(conn, host, login, now)
            for principle in ids:
                conn.execute(self._understood_upsert(host, login, principle, now))
                conn.execute(learner_evidence.insert().values(
                    host=host, login=login, principle_id=principle, kind=GOT_IT, outcome="", at=now))

    def record(self, host: str, login: str, items: Iterable[tuple[str, str, str]],
               pull_request: str | None = None) -> None:
        """Record evidence: (principle, kind, outcome) triples, e.g. ("names-are-references", "probe", "correct")."""
        now, rows = self._clock(), list(items)
        if not rows:
            return
        for _, kind, _ in rows:
            if kind not in KINDS:
                raise ValueError(f"unknown evidence kind {kind!r} (one of {', '.join(KINDS)})")
        with self.engine.begin() as conn:
            self._ensure_learner(conn, host, login, now)
            conn.execute(learner_evidence.insert(), [
                {"host": host, "login": login, "principle_id": pid, "kind": kind, "outcome": outcome,
                 "pull_request": pull_request, "at": now} for pid, kind, outcome in rows])

    def evidence(self, host: str, login: str) -> tuple[EvidenceRow, ...]:
        table = learner_evidence
        query = select(table).where(table.c.host == host, table.c.login == login).order_by(table.c.at, table.c.id)
        with self.engine.connect() as conn:
            return tuple(
                EvidenceRow(r["principle_id"], r["kind"], r["outcome"], _aware(r["at"]) or self._clock(),
                            r["pull_request"])
                for r in conn.execute(query).mappings()
            )

    def progress(self, host: str, login: str) -> tuple[Progress, ...]:
        table = learner_progress
        query = select(table).where(table.c.host == host, table.c.login == login).order_by(table.c.principle_id)
        with self.engine.connect() as conn:
            return tuple(_progress(row) for row in conn.execute(query).mappings())

    def view(self, host: str, login: str) -> ProfileView:
        return profile_view(self.progress(host, login), self.evidence(host, login))

    def learner_map(self, graph: PrincipleGraph, host: str, login: str) -> LearnerMap:
        return build_map(graph, host, login, self.progress(host, login), self.evidence(host, login))

    def known(self, host: str, login: str) -> bool:
        query = select(learners.c.login).where(learners.c.host == host, learners.c.login == login)
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def record_model_reply(self, host: str, login: str, repo_full_name: str, pr_number: int) -> None:
        row = {"host": host, "login": login, "repo_full_name": repo_full_name, "pr_number": pr_number,
               "replied_at": self._clock()}
        with self.engine.begin() as conn:
            conn.execute(thread_replies.insert().values(**row))

    def model_replies(self, host: str, login: str, repo_full_name: str, pr_number: int) -> tuple[datetime, ...]:
        """When this person's model-written replies on this PR were posted, within the quota window."""
        table, since = thread_replies, self._clock() - QUOTA_WINDOW
        query = select(table.c.replied_at).where(
            table.c.host == host, table.c.login == login, table.c.repo_full_name == repo_full_name,
            table.c.pr_number == pr_number, table.c.replied_at >= since,
        ).order_by(table.c.replied_at)
        with self.engine.connect() as conn:
            return tuple(_utc(at) for at in conn.execute(query).scalars())

    def prune_replies(self, older_than: datetime) -> int:
        with self.engine.begin() as conn:
            return conn.execute(delete(thread_replies).where(thread_replies.c.replied_at < older_than)).rowcount

    def _ensure_learner(self, conn: Connection, host: str, login: str, now: datetime) -> None:
        statement = self._insert(learners).values(host=host, login=login, created_at=now)
        conn.execute(statement.on_conflict_do_nothing())

    def _shown_upsert(self, host: str, login: str, principle: str, depth: int, now: datetime) -> Any:
        table = learner_progress
        statement = self._insert(table).values(
            host=host, login=login, principle_id=principle, times_shown=1, deepest=max(0, depth),
            first_shown_at=now, last_shown_at=now,
        )
        new = statement.excluded
        return statement.on_conflict_do_update(
            index_elements=["host", "login", "principle_id"],
            set_={
                "times_shown": table.c.times_shown + 1,
                "deepest": case((new.deepest > table.c.deepest, new.deepest), else_=table.c.deepest),
                "first_shown_at": func.coalesce(table.c.first_shown_at, new.first_shown_at),
                "last_shown_at": new.last_shown_at,
            },
        )

    def _understood_upsert(self, host: str, login: str, principle: str, now: datetime) -> Any:
        table = learner_progress
        statement = self._insert(table).values(
            host=host, login=login, principle_id=principle, times_shown=0, deepest=0, understood_at=now,
        )
        return statement.on_conflict_do_update(
            index_elements=["host", "login", "principle_id"],
            set_={"understood_at": func.coalesce(table.c.understood_at, statement.excluded.understood_at)},
        )


def _progress(row: RowMapping) -> Progress:
    return Progress(
        principle=row["principle_id"],
        times_shown=row["times_shown"],
        deepest=row["deepest"],
        first_shown=_aware(row["first_shown_at"]),
        last_shown=_aware(row["last_shown_at"]),
        understood_at=_aware(row["understood_at"]),
    )


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time here is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time here is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)

