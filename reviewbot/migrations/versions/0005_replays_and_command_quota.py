"""Body digests of accepted deliveries (replays under a new id) and command uses (the per-person quota).

Revision ID: 0005_replays
Revises: 0004_jobs
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_replays"
down_revision = "0004_jobs"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "delivery_bodies",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_delivery_bodies_received_at", "delivery_bodies", ["received_at"])
    op.create_table(
        "command_uses",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("repo_full_name", sa.String(300), nullable=False),
        sa.Column("pr_number", _ID, nullable=False),
        sa.Column("login", sa.String(200), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_command_uses_who", "command_uses", ["repo_full_name", "pr_number", "login", "used_at"])


def downgrade() -> None:
    op.drop_index("ix_command_uses_who", table_name="command_uses")
    op.drop_table("command_uses")
    op.drop_index("ix_delivery_bodies_received_at", table_name="delivery_bodies")
    op.drop_table("delivery_bodies")
