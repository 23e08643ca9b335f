"""JobRunner: one attempt of a leased job; final failures release the claim and leave a comment."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from server_support import FakeRoutes

from reviewbot.errors import ConfigError, ModelError
from reviewbot.jobs import Job
from reviewbot.server.metrics import Metrics
from reviewbot.server.runner import JobRunner, failure_text
from reviewbot.store import open_store
from reviewbot.store.jobs import JobStore
from reviewbot.taskqueue import RetryPolicy, sqlite_queue

JOB = Job("d-1", "pull_request", "opened", {"number": 3})
DEPS = object()
SENT: list[int] = []  # job ids a runner put back on the queue


@pytest.fixture
def store(tmp_path: Path):
    opened = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


def runner_for(routes: FakeRoutes, store, metrics: Metrics | None = None, **options) -> JobRunner:
    ticks = iter(range(0, 1000, 2))
    return JobRunner(routes.handle, routes.report_failure, DEPS, store, JobStore(store.engine), metrics or Metrics(),
                     SENT.append, lambda: next(ticks), **options)


def accepted(store, job: Job = JOB) -> int:
    """The id of `job` once accepted (its delivery claimed and its record written)."""
    return JobStore(store.engine).accept(job).job_id


def sample(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def test_a_job_that_succeeds_is_counted_with_its_duration(store) -> None:
    routes, metrics = FakeRoutes(), Metrics()
    runner_for(routes, store, metrics)(accepted(store), False)
    assert routes.handled == [JOB] and routes.reported == [] and JobStore(store.engine).waiting() == []
    assert sample(metrics, "reviewbot_jobs_total", outcome="done") == 1
    assert sample(metrics, "reviewbot_review_duration_seconds_sum", outcome="done") == 2


def test_a_failure_with_retries_left_is_raised_for_the_queue_and_not_reported(store) -> None:
    routes, metrics = FakeRoutes(failures=[TimeoutError("read timed out")]), Metrics()
    job_id = accepted(store)
    with pytest.raises(TimeoutError):
        runner_for(routes, store, metrics)(job_id, False)
    assert routes.reported == []
    assert store.claim_delivery("d-1") is False
    assert JobStore(store.engine).waiting() == [JOB]  # kept until its last attempt
    assert sample(metrics, "reviewbot_jobs_total", outcome="retrying") == 1


def test_a_final_failure_is_reported_on_the_pr_and_its_claim_released(store) -> None:
    routes = FakeRoutes(failures=[ModelError("the model server answered 503; try again later")])
    runner_for(routes, store)(accepted(store), True)  # not raised: nothing is left to retry
    assert JobStore(store.engine).waiting() == []
    assert routes.reported == [(JOB, "the model server answered 503; try again later")]
    assert store.claim_delivery("d-1") is True  # a redelivery from GitHub runs it again


def test_an_error_the_author_must_fix_is_final_at_once(store) -> None:
    routes, metrics = FakeRoutes(failures=[ConfigError(".reviewbot.toml: unknown key 'severty'")]), Metrics()
    runner_for(routes, store, metrics)(accepted(store), False)  # not raised: retrying cannot help
    assert routes.reported == [(JOB, ".reviewbot.toml: unknown key 'severty'")]
    assert sample(metrics, "reviewbot_jobs_total", outcome="failed") == 1


def test_a_failing_failure_report_is_logged_not_raised(store, caplog: pytest.LogCaptureFixture) -> None:
    routes = FakeRoutes(failures=[ConfigError("bad config")])

    def broken_report(job: Job, error: str, deps: object) -> None:
        raise ConnectionError("GitHub unreachable")

    runner = JobRunner(routes.handle, broken_report, DEPS, store, JobStore(store.engine), Metrics(), SENT.append)
    with caplog.at_level(logging.ERROR, "reviewbot.worker"):
        runner(accepted(store), True)
    assert "broken_report failed" in caplog.text and "giving up on pull_request.opened" in caplog.text


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (ConfigError("GITHUB_APP_ID is not set"), "GITHUB_APP_ID is not set"),
        (RuntimeError("first line\nsecond line"), "RuntimeError: first line"),
        (KeyError(), "KeyError"),
        (ValueError("x" * 500), "ValueError: " + "x" * 287 + "…"),
    ],
)
def test_failure_text_is_one_short_line(error: BaseException, text: str) -> None:
    assert failure_text(error) == text


def test_through_the_queue_a_job_is_tried_then_reported_once(tmp_path: Path, store) -> None:
    routes = FakeRoutes(failures=[RuntimeError("boom")] * 3)
    queue = sqlite_queue(tmp_path / "queue.db", RetryPolicy(retries=2, delay=0))
    queue.set_runner(runner_for(routes, store, policy=queue.policy))
    queue.enqueue(accepted(store))
    queue.run_pending()
    assert len(routes.handled) == 3
    assert routes.reported == [(JOB, "RuntimeError: boom")]


def test_a_job_leased_by_a_live_worker_is_not_run_twice(store) -> None:
    job_id, routes = accepted(store), FakeRoutes()
    assert JobStore(store.engine).take(job_id, "elsewhere") is not None  # another worker is on it
    runner_for(routes, store)(job_id, False)  # a duplicate message
    assert routes.handled == []


def test_a_job_whose_lease_expired_is_run_again_and_removed_once_done(store) -> None:
    job_id, routes = accepted(store), FakeRoutes()
    assert JobStore(store.engine).take(job_id, "killed", timedelta(seconds=-1)) is not None
    runner_for(routes, store)(job_id, False)
    assert routes.handled == [JOB] and JobStore(store.engine).waiting() == []


def test_a_finished_job_is_not_run_by_a_late_message(store) -> None:
    job_id, routes = accepted(store), FakeRoutes()
    runner = runner_for(routes, store)
    runner(job_id, False)
    runner(job_id, False)
    assert routes.handled == [JOB]


def test_a_job_superseded_by_a_newer_push_stops_before_any_work(store) -> None:
    jobs, routes, metrics = JobStore(store.engine), FakeRoutes(), Metrics()
    older = accepted(store, push("p-1", "a" * 40))
    assert jobs.take(older, "killed", timedelta(seconds=-1)) is not None  # its worker died mid-review
    newer = accepted(store, push("p-2", "b" * 40))
    assert newer != older
    runner_for(routes, store, metrics)(older, False)
    assert routes.handled == [] and sample(metrics, "reviewbot_jobs_total", outcome="superseded") == 1
    assert [job.delivery_id for job in jobs.waiting()] == ["p-2"]


def test_attempts_beyond_the_retry_policy_are_final_even_on_a_fresh_message(store) -> None:
    """A job re-sent after its worker died starts a new message with all retries; the record still counts."""
    routes = FakeRoutes(failures=[RuntimeError("boom")] * 2)
    job_id, runner = accepted(store), runner_for(routes, store, policy=RetryPolicy(retries=1, delay=0))
    with pytest.raises(RuntimeError):
        runner(job_id, False)
    runner(job_id, False)  # the second attempt is the last one the policy allows
    assert routes.reported == [(JOB, "RuntimeError: boom")]


def push(delivery_id: str, head: str) -> Job:
    payload = {"number": 5, "installation": {"id": 1}, "repository": {"full_name": "octo/repo"},
               "pull_request": {"number": 5, "head": {"sha": head}}}
    return Job(delivery_id, "pull_request", "synchronize", payload)
