"""Job records on a real SQLite file and a real PostgreSQL server: accept, coalesce, lease, reap."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

from reviewbot.jobs import Job
from reviewbot.store import open_store
from reviewbot.store.jobs import Accepted, JobStore


@pytest.fixture(params=["sqlite", "postgresql"])
def jobs(request: pytest.FixtureRequest, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'reviewbot.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    store = open_store(url)
    yield JobStore(store.engine)
    store.close()


def push(delivery_id: str, head: str, number: int = 5) -> Job:
    payload = {"number": number, "installation": {"id": 1}, "repository": {"full_name": "octo/repo"},
               "pull_request": {"number": number, "head": {"sha": head}}}
    return Job(delivery_id, "pull_request", "synchronize", payload)


def comment(delivery_id: str) -> Job:
    payload = {"number": 5, "installation": {"id": 1}, "repository": {"full_name": "octo/repo"}}
    return Job(delivery_id, "issue_comment", "created", payload)


def test_pushes_to_one_pull_request_fold_into_the_waiting_job_with_the_latest_head(jobs: JobStore) -> None:
    first, second, third = (jobs.accept(push(f"p-{n}", head)) for n, head in enumerate("abc"))
    assert first == Accepted(first.job_id, True) and second == third == Accepted(first.job_id, False)
    [waiting] = jobs.waiting()
    assert (waiting.delivery_id, waiting.head_sha, waiting.pushes) == ("p-2", "c", 3)


def test_a_repeated_delivery_is_refused_even_within_one_batch(jobs: JobStore) -> None:
    results = jobs.accept_many([push("same", "a"), push("same", "b"), push("other", "c", number=6)])
    assert results[1] is None and results[0].new and results[2].new


def test_comments_and_other_pull_requests_are_never_folded(jobs: JobStore) -> None:
    accepted = [jobs.accept(job) for job in (comment("c-1"), comment("c-2"), push("p-1", "a"), push("p-2", "a", 6))]
    assert all(a.new for a in accepted) and len({a.job_id for a in accepted}) == 4


def test_once_a_job_is_taken_the_next_push_waits_behind_it(jobs: JobStore) -> None:
    running = jobs.accept(push("p-1", "a")).job_id
    taken = jobs.take(running, "w1")
    assert taken is not None and not taken.superseded and taken.attempts == 1
    waiting = jobs.accept(push("p-2", "b"))
    assert waiting.new and jobs.take(waiting.job_id, "w2") is None  # one job per pull request at a time
    assert jobs.finish(running) == waiting.job_id  # to be sent again
    assert jobs.take(waiting.job_id, "w2") is not None


def test_a_live_lease_keeps_the_job_and_an_expired_one_is_reaped(jobs: JobStore) -> None:
    live, dead = jobs.accept(comment("c-1")).job_id, jobs.accept(comment("c-2")).job_id
    jobs.take(live, "alive")
    jobs.take(dead, "killed", timedelta(seconds=-1))
    assert jobs.take(live, "other") is None
    assert jobs.reap() == [dead] and jobs.reap() == []  # re-sent once
    assert jobs.take(dead, "other").attempts == 2


def test_a_renewed_lease_does_not_expire(jobs: JobStore) -> None:
    job_id = jobs.accept(comment("c-1")).job_id
    jobs.take(job_id, "w1", timedelta(seconds=-1))
    assert jobs.renew("w1", timedelta(minutes=1)) == 1 and jobs.reap() == []


def test_a_dead_workers_job_with_a_newer_push_waiting_gives_way_to_it(jobs: JobStore) -> None:
    old = jobs.accept(push("p-1", "a")).job_id
    jobs.take(old, "killed", timedelta(seconds=-1))
    new = jobs.accept(push("p-2", "b")).job_id
    assert jobs.reap() == [new] and [job.delivery_id for job in jobs.waiting()] == ["p-2"]


def test_an_old_job_taken_after_a_newer_one_was_recorded_is_superseded(jobs: JobStore) -> None:
    old = jobs.accept(push("p-1", "a")).job_id
    jobs.take(old, "w1")
    jobs.retry_later(old, timedelta(0), timedelta(seconds=-1))
    jobs.accept(push("p-2", "b"))
    assert jobs.take(old, "w1").superseded


def test_pushes_within_one_batch_fold_into_one_job_and_other_jobs_stay_apart(jobs: JobStore) -> None:
    results = jobs.accept_many([push("p-1", "a"), push("p-2", "b"), comment("c-1"), push("p-3", "c")])
    assert [r.new for r in results] == [True, False, True, False]
    assert results[0].job_id == results[1].job_id == results[3].job_id != results[2].job_id
    assert [(job.delivery_id, job.head_sha, job.pushes) for job in jobs.waiting()] == [("p-3", "c", 3), ("c-1", None, 1)]


def test_a_batch_of_pushes_folds_into_the_job_already_waiting(jobs: JobStore) -> None:
    waiting = jobs.accept(push("p-1", "a")).job_id
    assert jobs.accept_many([push("p-2", "b"), push("p-3", "c")]) == [Accepted(waiting, False)] * 2
    assert [(job.head_sha, job.pushes) for job in jobs.waiting()] == [("c", 3)]


def test_a_body_replayed_within_a_batch_is_refused_and_its_id_stays_claimed(jobs: JobStore) -> None:
    original, replay = push("p-1", "a"), push("p-2", "a")
    first, second = (dataclasses.replace(job, body_digest="d" * 64) for job in (original, replay))
    assert [bool(r) for r in jobs.accept_many([first, second])] == [True, False]
    assert jobs.accept(push("p-2", "z")) is None  # the replay's delivery id was remembered


def test_a_batch_costs_three_statements_on_sqlite_and_one_autocommitted_on_postgresql(jobs: JobStore) -> None:
    seen: list[tuple[str, bool]] = []

    def record(conn, _cursor, statement: str, *_rest) -> None:
        seen.append((statement.lstrip().split(None, 1)[0].upper(), getattr(conn.connection.dbapi_connection,
                                                                           "autocommit", False)))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        batch = [dataclasses.replace(push(f"p-{n}", "a", number=n), body_digest=f"{n:064d}") for n in range(200)]
        assert all(result and result.new for result in jobs.accept_many(batch))
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    if jobs.engine.dialect.name == "sqlite":
        assert [verb for verb, _ in seen] == ["INSERT"] * 3
    else:  # no BEGIN or COMMIT round trip either: one statement is its own transaction
        assert seen == [("WITH", True)]


def test_a_batch_on_a_connection_the_server_dropped_is_sent_again_on_a_fresh_one(postgres_url: str) -> None:
    jobs = JobStore(open_store(postgres_url).engine)
    assert jobs.accept(comment("c-1")).new  # the intake's connection is now open and pooled
    with jobs.engine.connect() as conn:  # as a PostgreSQL restart or an idle timeout would
        dropped = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                    "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    assert dropped >= 1
    accepted = jobs.accept(comment("c-2"))
    assert accepted is not None and accepted.new
    assert [job.delivery_id for job in jobs.waiting()] == ["c-1", "c-2"]


def _backends(store_engine: Engine) -> int:
    with store_engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND pid <> pg_backend_pid()")).scalar_one()


def test_on_sqlite_the_intake_writes_from_a_thread(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'reviewbot.db'}")
    assert JobStore(store.engine).on_event_loop() is None
    store.close()


@pytest.fixture
def on_loop(postgres_url: str):
    """A PostgreSQL store, its JobStore and the JobStore's accepts for an event loop."""
    store = open_store(postgres_url)
    jobs = JobStore(store.engine)
    accepts = jobs.on_event_loop()
    assert accepts is not None
    yield store, jobs, accepts
    store.close()


def test_on_postgresql_the_event_loop_accepts_as_the_thread_path_does(on_loop) -> None:
    store, jobs, accepts = on_loop
    waiting = jobs.accept(push("p-1", "a")).job_id  # the thread path, on the same database

    open_before = _backends(store.engine)
    open_during = []

    async def main() -> list[list[Accepted | None]]:
        try:
            return [await accepts.accept_many([push("p-2", "b"), comment("c-1"), push("p-1", "z")]),
                    await accepts.accept_many([comment("c-1")]), await accepts.accept_many([])]
        finally:
            open_during.append(_backends(store.engine))
            await accepts.aclose()

    folded, replayed, empty = asyncio.run(main())
    assert folded[0] == Accepted(waiting, False) and folded[1] is not None and folded[1].new
    assert folded[2] is None  # a delivery id the thread path claimed
    assert replayed == [None] and empty == []
    assert [(job.delivery_id, job.pushes) for job in jobs.waiting()] == [("p-2", 2), ("c-1", 1)]
    assert open_during == [open_before + 1]  # one connection of its own, on the loop
    assert _backends(store.engine) == open_before  # closed with `aclose`


def test_the_event_loop_sends_a_batch_again_on_a_fresh_connection_when_the_server_dropped_its_own(on_loop) -> None:
    store, jobs, accepts = on_loop

    async def main() -> list[Accepted | None]:
        assert (await accepts.accept_many([comment("c-1")]))[0] is not None  # its connection is now open
        with store.engine.connect() as conn:  # as a PostgreSQL restart or an idle timeout would
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        try:
            return await accepts.accept_many([comment("c-2")])
        finally:
            await accepts.aclose()

    [accepted] = asyncio.run(main())
    assert accepted is not None and accepted.new
    assert [job.delivery_id for job in jobs.waiting()] == ["c-1", "c-2"]


def test_each_event_loop_gets_its_own_connection(on_loop) -> None:
    _store, jobs, accepts = on_loop

    async def accept(delivery_id: str) -> Accepted | None:
        return (await accepts.accept_many([comment(delivery_id)]))[0]

    assert asyncio.run(accept("c-1")) is not None  # that loop ended without closing its connection
    assert asyncio.run(accept("c-2")) is not None  # a connection of a closed loop is not used again
    assert [job.delivery_id for job in jobs.waiting()] == ["c-1", "c-2"]


def test_payloads_are_compressed_with_lz4_on_postgresql(postgres_url: str) -> None:
    store = open_store(postgres_url)
    with store.engine.connect() as conn:
        method = conn.execute(text(
            "SELECT attcompression FROM pg_attribute WHERE attrelid = 'jobs'::regclass AND attname = 'payload'"
        )).scalar()
    assert method == "l"  # lz4 ('p' is pglz, '' the server's default)
    jobs = JobStore(store.engine)
    big = {**push("p-1", "a").payload, "body": "words " * 5_000}
    assert jobs.accept(Job("p-1", "pull_request", "synchronize", big)).new
    with store.engine.connect() as conn:
        used = conn.execute(text("SELECT pg_column_compression(payload) FROM jobs")).scalar()
    assert used == "lz4" and jobs.waiting()[0].payload == big
    store.close()


def test_payloads_are_stored_compressed_on_sqlite_and_old_text_rows_still_read(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'reviewbot.db'}")
    jobs = JobStore(store.engine)
    big = {**push("p-1", "a").payload, "body": "words " * 5_000}
    assert jobs.accept(Job("p-1", "pull_request", "synchronize", big)).new
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT payload FROM jobs")).scalar()
    assert isinstance(stored, bytes) and len(stored) < 2_000  # 30 KB of JSON, zlib-compressed
    with store.engine.begin() as conn:  # a row written before compression: the JSON as text
        conn.execute(text("UPDATE jobs SET payload = :text"), {"text": Job("p-1", "pull_request", "synchronize", big).to_json()})
    assert jobs.waiting()[0].payload == big
    taken = jobs.take(jobs.queued_ids()[0], "w1")
    assert taken is not None and taken.job.payload == big
    store.close()
