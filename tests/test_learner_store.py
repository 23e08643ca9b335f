"""The learner profile on real SQLite files and a real PostgreSQL server, migrated by Alembic."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from reviewbot.learner.local import open_learner_store
from reviewbot.learner.profile import Status
from reviewbot.learner.tables import metadata
from reviewbot.store.migrate import current_revision, head_revision

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'reviewbot.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(store_url: str, clock: Clock):
    opened = open_learner_store(store_url, clock=clock)
    yield opened
    opened.engine.dispose()


def test_the_learner_migration_is_applied_on_the_way_to_the_head(store) -> None:
    from alembic.script import ScriptDirectory

    from reviewbot.store.migrate import _alembic_config

    chain = {script.revision for script in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    assert current_revision(store.engine) == head_revision() and "0003_learner_evidence" in chain


def test_the_migration_creates_exactly_the_declared_tables(store) -> None:
    found = inspect(store.engine)
    for table in metadata.tables.values():
        columns = {c["name"]: c for c in found.get_columns(table.name)}
        assert set(columns) == {c.name for c in table.columns}, table.name
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, (table.name, column.name)
        assert set(found.get_pk_constraint(table.name)["constrained_columns"]) == {c.name for c in table.primary_key}
    assert {i["name"] for i in found.get_indexes("thread_replies")} == {"ix_thread_replies_person_pr"}


def test_showing_counts_keeps_the_deepest_layer_and_first_time(store, clock: Clock) -> None:
    store.shown("github.com", "octocat", [("mutable-default", 0)])
    clock.now = T0 + timedelta(days=1)
    store.shown("github.com", "octocat", [("mutable-default", 3), ("aliasing", 0)])
    clock.now = T0 + timedelta(days=2)
    store.shown("github.com", "octocat", [("mutable-default", 1)])
    rows = {r.principle: r for r in store.progress("github.com", "octocat")}
    row = rows["mutable-default"]
    assert (row.times_shown, row.deepest) == (3, 3)
    assert (row.first_shown, row.last_shown) == (T0, T0 + timedelta(days=2))
    assert row.status is Status.IN_PROGRESS
    assert rows["aliasing"].times_shown == 1


def test_understood_is_recorded_once_and_kept(store, clock: Clock) -> None:
    store.shown("github.com", "octocat", [("aliasing", 0)])
    store.understood("github.com", "octocat", ["aliasing", "identity"])
    clock.now = T0 + timedelta(hours=5)
    store.understood("github.com", "octocat", ["aliasing"])
    rows = {r.principle: r for r in store.progress("github.com", "octocat")}
    assert rows["aliasing"].understood_at == T0
    assert rows["identity"].status is Status.UNDERSTOOD and rows["identity"].times_shown == 0
    assert store.view("github.com", "octocat").understood == frozenset({"aliasing", "identity"})


def test_people_are_kept_apart_by_host_and_login(store) -> None:
    store.understood("github.com", "octocat", ["aliasing"])
    store.understood("ghe.example.com", "octocat", ["identity"])
    assert store.view("github.com", "octocat").understood == frozenset({"aliasing"})
    assert store.view("github.com", "hubot").understood == frozenset()
    assert store.known("ghe.example.com", "octocat") and not store.known("github.com", "hubot")


def test_empty_updates_write_nothing(store) -> None:
    store.shown("github.com", "octocat", [])
    store.understood("github.com", "octocat", [])
    assert not store.known("github.com", "octocat")


def test_concurrent_workers_never_lose_a_count(store, store_url: str, clock: Clock) -> None:
    workers = [store, open_learner_store(store_url, clock=clock), open_learner_store(store_url, clock=clock)]
    start = threading.Barrier(9)

    def show(worker) -> None:
        start.wait()
        for _ in range(5):
            worker.shown("github.com", "octocat", [("aliasing", 1)])

    threads = [threading.Thread(target=show, args=(workers[i % 3],)) for i in range(9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (row,) = store.progress("github.com", "octocat")
    assert row.times_shown == 45


def test_model_replies_are_counted_per_person_and_pull_request_within_the_hour(store, clock: Clock) -> None:
    for minute in (0, 10, 20):
        clock.now = T0 + timedelta(minutes=minute)
        store.record_model_reply("github.com", "octocat", "octo/repo", 7)
    store.record_model_reply("github.com", "octocat", "octo/repo", 8)
    store.record_model_reply("github.com", "hubot", "octo/repo", 7)
    clock.now = T0 + timedelta(minutes=65)
    assert store.model_replies("github.com", "octocat", "octo/repo", 7) == (
        T0 + timedelta(minutes=10), T0 + timedelta(minutes=20),
    )
    assert store.prune_replies(T0 + timedelta(minutes=15)) == 2
