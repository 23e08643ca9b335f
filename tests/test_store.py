"""The store on real SQLite files and a real PostgreSQL server: claims, heads, migrations."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from reviewbot.store import open_store
from reviewbot.store.migrate import current_revision, head_revision


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'reviewbot.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(store_url: str):
    opened = open_store(store_url)
    yield opened
    opened.close()


def test_a_delivery_is_claimed_once(store) -> None:
    assert store.claim_delivery("d-1") is True
    assert store.claim_delivery("d-1") is False
    assert store.claim_delivery("d-2") is True


def test_a_claim_is_seen_by_another_process_sharing_the_store(store, store_url: str) -> None:
    assert store.claim_delivery("d-1")
    other = open_store(store_url)  # a second replica: its own engine, same database
    try:
        assert other.claim_delivery("d-1") is False
    finally:
        other.close()


def test_concurrent_claims_of_one_delivery_have_exactly_one_winner(store, store_url: str) -> None:
    replicas = [store, open_store(store_url), open_store(store_url)]
    results: list[bool] = []
    start = threading.Barrier(12)

    def claim(replica) -> None:
        start.wait()
        results.append(replica.claim_delivery("same-delivery"))

    threads = [threading.Thread(target=claim, args=(replicas[i % 3],)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 11 + [True]


def test_a_released_claim_can_be_claimed_again(store) -> None:
    store.claim_delivery("d-1")
    store.release_delivery("d-1")
    store.release_delivery("never-claimed")
    assert store.claim_delivery("d-1") is True


def test_the_last_reviewed_head_is_per_pull_request_and_replaced(store) -> None:
    assert store.last_reviewed_head("octo/repo", 7) is None
    store.set_last_reviewed_head("octo/repo", 7, "a" * 40)
    store.set_last_reviewed_head("octo/repo", 7, "b" * 40)
    store.set_last_reviewed_head("octo/other", 7, "c" * 40)
    assert store.last_reviewed_head("octo/repo", 7) == "b" * 40
    assert store.last_reviewed_head("octo/repo", 8) is None


def test_old_delivery_claims_are_pruned(store_url: str) -> None:
    from reviewbot.store.sql import SqlStore

    base = open_store(store_url)
    now = datetime(2026, 1, 10, tzinfo=UTC)
    old, new = SqlStore(base.engine, clock=lambda: now - timedelta(days=9)), SqlStore(base.engine, clock=lambda: now)
    old.claim_delivery("old")
    new.claim_delivery("new")
    assert base.prune_deliveries(now - timedelta(days=7)) == 1
    assert (base.claim_delivery("old"), base.claim_delivery("new")) == (True, False)
    base.close()


def test_opening_migrates_to_head_and_reopening_changes_nothing(store, store_url: str) -> None:
    assert current_revision(store.engine) == head_revision() is not None
    open_store(store_url).close()
    tables = set(inspect(store.engine).get_table_names())
    assert {"deliveries", "reviewed_heads", "alembic_version"} <= tables


def test_ping_answers_while_the_database_is_reachable(store) -> None:
    store.ping()


def test_ping_raises_when_the_database_is_gone(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from reviewbot.store.sql import SqlStore

    broken = SqlStore(create_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}"))
    with pytest.raises(Exception, match="unable to open database"):
        broken.ping()


def test_an_unreachable_postgresql_fails_to_open() -> None:
    from services import free_port

    with pytest.raises(Exception, match="(?i)connect"):
        open_store(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/x?connect_timeout=2")
