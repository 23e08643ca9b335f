"""Learner evidence: per person and principle, what showed their understanding and when
(check verdicts, probe answers, self-reported "got it", later violations, spaced retrieval).

Revision ID: 0003_learner_evidence
Revises: 0002_learner
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_learner_evidence"
down_revision = "0002_learner"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "learner_evidence",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column("login", sa.String(200), nullable=False),
        sa.Column("principle_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("pull_request", sa.String(400), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host", "login"], ["learners.host", "learners.login"],
            name="fk_learner_evidence_learner", ondelete="CASCADE",
        ),
    )
    op.create_index("ix_learner_evidence_person", "learner_evidence", ["host", "login", "principle_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_learner_evidence_person", table_name="learner_evidence")
    op.drop_table("learner_evidence")
