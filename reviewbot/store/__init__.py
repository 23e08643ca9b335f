"""Where the App keeps what it must remember: seen deliveries and reviewed heads.

`open_store(url)` returns a ready SqlStore: the engine is created, the schema
migrated to head (Alembic), and the connection checked.
"""

from __future__ import annotations

from pathlib import Path

from reviewbot.store.base import ReviewStore
from reviewbot.store.files import private_file
from reviewbot.store.sql import SqlStore

__all__ = ["ReviewStore", "SqlStore", "create_engine_for", "open_store"]


def create_engine_for(url: str, *, background_checkpoints: bool = False):
    """The engine for `url`; for SQLite with `background_checkpoints`, commits never checkpoint the
    write-ahead log themselves (`store.checkpoints` does it on its own thread)."""
    from sqlalchemy import create_engine, event

    if url.startswith("sqlite:///"):
        _make_parent(url.removeprefix("sqlite:///"))
        engine = create_engine(url, connect_args={"timeout": 30}, pool_size=8, max_overflow=32)
        event.listen(engine, "connect", _sqlite_wal)
        if background_checkpoints:
            event.listen(engine, "connect", _no_checkpoints_in_commits)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=8, max_overflow=32)


def open_store(url: str, *, migrate: bool = True, background_checkpoints: bool = False) -> SqlStore:
    """`background_checkpoints`: for a long-running process (the server, a worker) on SQLite."""
    from reviewbot.store.checkpoints import Checkpointer
    from reviewbot.store.migrate import upgrade_to_head

    background = background_checkpoints and url.startswith("sqlite:///")
    engine = create_engine_for(url, background_checkpoints=background)
    if migrate:
        upgrade_to_head(engine)
    store = SqlStore(engine, checkpointer=Checkpointer(engine) if background else None)
    store.ping()
    return store


def _make_parent(path: str) -> None:
    """The database file, created 0600 in a 0700 directory before SQLite opens it."""
    if path and path != ":memory:":
        private_file(Path(path))


def _sqlite_wal(dbapi_connection, _record) -> None:
    """WAL: readers never wait for the writer; synchronous=FULL: a commit is on disk when it returns."""
    dbapi_connection.execute("pragma journal_mode=wal")
    dbapi_connection.execute("pragma synchronous=full")


def _no_checkpoints_in_commits(dbapi_connection, _record) -> None:
    dbapi_connection.execute("pragma wal_autocheckpoint=0")
    dbapi_connection.execute(f"pragma journal_size_limit={WAL_SIZE_LIMIT}")


WAL_SIZE_LIMIT = 64 * 2**20  # bytes the log file keeps once a checkpoint lets it restart (reviewbot.store.checkpoints)
