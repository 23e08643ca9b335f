"""The store's tables (SQLAlchemy Core). Alembic migrations create and change them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, String, Table

metadata = MetaData()

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
