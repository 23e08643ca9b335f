"""Job records: every accepted job until it finishes, with its lease and coalescing key.

Revision ID: 0004_jobs
Revises: 0003_learner_evidence
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_jobs"
down_revision = "0003_learner_evidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("delivery_id", sa.String(100), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("coalesce_key", sa.String(400), nullable=True),
        sa.Column("queued_key", sa.String(400), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("pushes", sa.Integer, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(200), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("queued_key", name="uq_jobs_queued_key"),
    )
    op.create_index("ix_jobs_coalesce_key", "jobs", ["coalesce_key"])
    op.create_index("ix_jobs_lease_until", "jobs", ["lease_until"])


def downgrade() -> None:
    op.drop_index("ix_jobs_lease_until", table_name="jobs")
    op.drop_index("ix_jobs_coalesce_key", table_name="jobs")
    op.drop_table("jobs")
