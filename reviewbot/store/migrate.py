"""Bring a store's schema to the newest Alembic revision, safely from many processes at once.

PostgreSQL: the upgrade runs in one transaction holding an advisory lock, so
replicas starting together migrate once. SQLite: an exclusive file lock beside
the database does the same for processes on this machine.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, text

ADVISORY_LOCK_KEY = 0x72657669  # any constant shared by every reviewbot process
SCRIPT_LOCATION = "reviewbot:migrations"


def upgrade_to_head(engine: Engine) -> None:
    with _process_lock(engine), engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("select pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        _run_alembic(conn, "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _run_alembic(conn: Connection, revision: str) -> None:
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


@contextlib.contextmanager
def _process_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    import fcntl

    from reviewbot.store.files import private_file

    with open(private_file(Path(database).with_suffix(".migrate-lock")), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
