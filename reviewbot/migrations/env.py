"""Alembic environment: migrations always run on a connection handed in by reviewbot.store.migrate."""

from __future__ import annotations

from alembic import context

from reviewbot.learner.tables import metadata as learner_metadata
from reviewbot.store.schema import metadata


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=[metadata, learner_metadata],
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("reviewbot migrations run online only: reviewbot serve / worker apply them at start-up")
run_migrations_online()
