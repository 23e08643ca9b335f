"""Learner profile: who was shown which principle, how deep they went, what clicked;
and the model-written thread replies per person and pull request (the hourly quota).

Revision ID: 0002_learner
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_learner"
down_revision = "0001"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "learners",
        sa.Column("host", sa.String(200), primary_key=True),
        sa.Column("login", sa.String(200), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "learner_progress",
        sa.Column("host", sa.String(200), primary_key=True),
        sa.Column("login", sa.String(200), primary_key=True),
        sa.Column("principle_id", sa.String(200), primary_key=True),
        sa.Column("times_shown", sa.Integer, nullable=False),
        sa.Column("deepest", sa.Integer, nullable=False),
        sa.Column("first_shown_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_shown_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("understood_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["host", "login"], ["learners.host", "learners.login"],
            name="fk_learner_progress_learner", ondelete="CASCADE",
        ),
    )
    op.create_table(
        "thread_replies",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column("login", sa.String(200), nullable=False),
        sa.Column("repo_full_name", sa.String(300), nullable=False),
        sa.Column("pr_number", _ID, nullable=False),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_thread_replies_person_pr", "thread_replies",
        ["host", "login", "repo_full_name", "pr_number", "replied_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_thread_replies_person_pr", table_name="thread_replies")
    op.drop_table("thread_replies")
    op.drop_table("learner_progress")
    op.drop_table("learners")
