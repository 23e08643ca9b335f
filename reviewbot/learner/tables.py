"""The learner profile's tables (SQLAlchemy Core).

They live in the same database as the App's other tables; the Alembic
revisions `0002_learner` and `0003_learner_evidence` (reviewbot/migrations/versions/) create them, and
tests/test_learner_store.py checks that the migration and these definitions
agree. A person is identified by host ("github.com", a GitHub Enterprise host
or "local") and login.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

metadata = MetaData()
_ID = BigInteger().with_variant(Integer(), "sqlite")

learners = Table(
    "learners",
    metadata,
    Column("host", String(200), primary_key=True),
    Column("login", String(200), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

learner_progress = Table(
    "learner_progress",
    metadata,
    Column("host", String(200), primary_key=True),
    Column("login", String(200), primary_key=True),
    Column("principle_id", String(200), primary_key=True),
    Column("times_shown", Integer, nullable=False),
    Column("deepest", Integer, nullable=False),
    Column("first_shown_at", DateTime(timezone=True), nullable=True),
    Column("last_shown_at", DateTime(timezone=True), nullable=True),
    Column("understood_at", DateTime(timezone=True), nullable=True),
    ForeignKeyConstraint(
        ["host", "login"], ["learners.host", "learners.login"], name="fk_learner_progress_learner", ondelete="CASCADE"
    ),
)

learner_evidence = Table(
    "learner_evidence",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("host", String(200), nullable=False),
    Column("login", String(200), nullable=False),
    Column("principle_id", String(200), nullable=False),
    Column("kind", String(20), nullable=False),  # reviewbot.learner.evidence.KINDS
    Column("outcome", String(20), nullable=False),  # a verdict, or "" where the kind has none
    Column("pull_request", String(400), nullable=True),  # "owner/repo#12" where it happened
    Column("at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(
        ["host", "login"], ["learners.host", "learners.login"], name="fk_learner_evidence_learner", ondelete="CASCADE"
    ),
    Index("ix_learner_evidence_person", "host", "login", "principle_id", "at"),
)

thread_replies = Table(
    "thread_replies",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("host", String(200), nullable=False),
    Column("login", String(200), nullable=False),
    Column("repo_full_name", String(300), nullable=False),
    Column("pr_number", _ID, nullable=False),
    Column("replied_at", DateTime(timezone=True), nullable=False),
    Index("ix_thread_replies_person_pr", "host", "login", "repo_full_name", "pr_number", "replied_at"),
)
