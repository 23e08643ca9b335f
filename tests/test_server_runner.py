"""JobRunner: one attempt of a job; final failures release the claim and leave a comment."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from server_support import FakeRoutes

from reviewbot.errors import ConfigError, ModelError
from reviewbot.jobs import Job
from reviewbot.server.metrics import Metrics
from reviewbot.server.runner import JobRunner, failure_text
from reviewbot.store import open_store
from reviewbot.taskqueue import RetryPolicy, sqlite_queue

JOB = Job("d-1", "pull_request", "opened", {"number": 3})
DEPS = object()


@pytest.fixture
def store(tmp_path: Path):
    opened = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


def runner_for(routes: FakeRoutes, store, metrics: Metrics | None = None) -> JobRunner:
    ticks = iter(range(0, 1000, 2))
    return JobRunner(routes.handle, routes.report_failure, DEPS, store, metrics or Metrics(), lambda: next(ticks))


def sample(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def test_a_job_that_succeeds_is_counted_with_its_duration(store) -> None:
    routes, metrics = FakeRoutes(), Metrics()
    runner_for(routes, store, metrics)(JOB, final=False)
    assert routes.handled == [JOB] and routes.reported == []
    assert sample(metrics, "reviewbot_jobs_total", outcome="done") == 1
    assert sample(metrics, "reviewbot_review_duration_seconds_sum", outcome="done") == 2


def test_a_failure_with_retries_left_is_raised_for_the_queue_and_not_reported(store) -> None:
    routes, metrics = FakeRoutes(failures=[TimeoutError("read timed out")]), Metrics()
    store.claim_delivery("d-1")
    with pytest.raises(TimeoutError):
        runner_for(routes, store, metrics)(JOB, final=False)
    assert routes.reported == []
    assert store.claim_delivery("d-1") is False
    assert sample(metrics, "reviewbot_jobs_total", outcome="retrying") == 1


def test_a_final_failure_is_reported_on_the_pr_and_its_claim_released(store) -> None:
    routes = FakeRoutes(failures=[ModelError("the model server answered 503; try again later")])
    store.claim_delivery("d-1")
    with pytest.raises(ModelError):
        runner_for(routes, store)(JOB, final=True)
    assert routes.reported == [(JOB, "the model server answered 503; try again later")]
    assert store.claim_delivery("d-1") is True  # a redelivery from GitHub runs it again


def test_an_error_the_author_must_fix_is_final_at_once(store) -> None:
    routes, metrics = FakeRoutes(failures=[ConfigError(".reviewbot.toml: unknown key 'severty'")]), Metrics()
    runner_for(routes, store, metrics)(JOB, final=False)  # not raised: retrying cannot help
    assert routes.reported == [(JOB, ".reviewbot.toml: unknown key 'severty'")]
    assert sample(metrics, "reviewbot_jobs_total", outcome="failed") == 1


def test_a_failing_failure_report_is_logged_not_raised(store, caplog: pytest.LogCaptureFixture) -> None:
    routes = FakeRoutes(failures=[ConfigError("bad config")])

    def broken_report(job: Job, error: str, deps: object) -> None:
        raise ConnectionError("GitHub unreachable")

    runner = JobRunner(routes.handle, broken_report, DEPS, store, Metrics())
    with caplog.at_level(logging.ERROR, "reviewbot.worker"):
        runner(JOB, final=True)
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
    queue.set_runner(runner_for(routes, store))
    queue.enqueue(JOB)
    queue.run_pending()
    assert len(routes.handled) == 3
    assert routes.reported == [(JOB, "RuntimeError: boom")]
