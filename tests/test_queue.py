"""The job queue (Huey) on a real SQLite file and a real redis-server: durable, retried with backoff."""

from __future__ import annotations

import datetime
import threading
from pathlib import Path

import pytest

from reviewbot.errors import InputError
from reviewbot.jobs import Job
from reviewbot.taskqueue import (
    DEFAULT_POLICY,
    JobQueue,
    RetryPolicy,
    redis_queue,
    sqlite_queue,
)

JOB = Job("d-1", "pull_request", "opened", {"number": 7, "repository": {"full_name": "octo/repo"}})


@pytest.fixture(params=["sqlite", "redis"])
def open_queue(request: pytest.FixtureRequest, tmp_path: Path):
    """Opens a queue on one shared backend: calling it twice is two processes' view of one queue."""
    if request.param == "sqlite":
        return lambda policy=DEFAULT_POLICY: sqlite_queue(tmp_path / "queue.db", policy)
    url = request.getfixturevalue("redis_url")
    return lambda policy=DEFAULT_POLICY: redis_queue(url, policy)


class Recorder:
    def __init__(self, failures: int = 0) -> None:
        self.calls: list[tuple[str, bool]] = []
        self.failures = failures
        self.finished = threading.Event()

    def __call__(self, job_id: int, final: bool) -> None:
        self.calls.append((job_id, final))
        if len(self.calls) <= self.failures:
            raise RuntimeError("GitHub is down")
        self.finished.set()


def test_a_job_survives_as_json_round_trip() -> None:
    assert Job.from_json(JOB.to_json()) == JOB
    assert JOB.describe() == "pull_request.opened octo/repo delivery d-1"
    assert (JOB.installation_id, Job("d", "ping", None, {}).repo_full_name) == (None, None)


@pytest.mark.parametrize("text", ["{", "[]", '{"event": "push"}'])
def test_an_unreadable_job_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="queued job"):
        Job.from_json(text)


def test_an_enqueued_job_id_is_pending(open_queue) -> None:
    queue = open_queue()
    queue.enqueue(7)
    assert (queue.pending_count(), queue.pending_ids()) == (1, [7])


def test_a_group_of_job_ids_is_enqueued_at_once_and_run_in_order(open_queue) -> None:
    queue = open_queue()
    queue.enqueue(1)
    queue.enqueue_many([2, 3, 4])
    queue.enqueue_many([])
    recorder = Recorder()
    worker = open_queue()
    worker.set_runner(recorder)
    assert queue.pending_count() == 4 and worker.run_pending() == 4
    assert [job_id for job_id, _ in recorder.calls] == [1, 2, 3, 4]


def test_a_job_enqueued_by_one_process_is_run_by_a_new_one(open_queue) -> None:
    open_queue().enqueue(7)  # the server that accepted it is gone
    worker = open_queue()
    recorder = Recorder()
    worker.set_runner(recorder)
    assert worker.run_pending() == 1
    assert recorder.calls == [(7, False)]  # four retries are left after this first attempt
    assert worker.pending_count() == 0


def test_a_failing_job_is_retried_with_exponential_backoff_then_marked_final(open_queue) -> None:
    queue = open_queue(RetryPolicy(retries=3, delay=10, backoff=2))
    recorder = Recorder(failures=10)
    queue.set_runner(recorder)
    queue.enqueue(7)
    queue.run_pending()
    delays = []
    for _ in range(3):
        [task] = queue.huey.scheduled()
        delays.append(round((task.eta - _utcnow()).total_seconds()))
        _run_scheduled(queue)
    assert delays == [10, 20, 40]
    assert [final for _, final in recorder.calls] == [False, False, False, True]
    assert (queue.pending_count(), queue.scheduled_count()) == (0, 0)


def test_the_policy_lists_its_delays() -> None:
    assert RetryPolicy(retries=4, delay=30, backoff=2).delays() == (30, 60, 120, 240)


def test_a_job_that_succeeds_on_retry_stops_retrying(open_queue) -> None:
    queue = open_queue(RetryPolicy(retries=3, delay=0))
    recorder = Recorder(failures=1)
    queue.set_runner(recorder)
    queue.enqueue(7)
    queue.run_pending()
    assert [final for _, final in recorder.calls] == [False, False]
    assert (queue.pending_count(), queue.scheduled_count()) == (0, 0)


def test_consumer_threads_run_jobs_as_they_arrive(open_queue) -> None:
    from reviewbot.server.worker import embedded_consumer

    queue = open_queue()
    recorder = Recorder()
    queue.set_runner(recorder)
    consumer = embedded_consumer(queue, threads=2)
    consumer.start()
    try:
        queue.enqueue(7)
        assert recorder.finished.wait(10)
    finally:
        consumer.stop(graceful=True)
    assert recorder.calls == [(7, False)]


def test_a_consumer_needs_a_runner(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="set_runner"):
        sqlite_queue(tmp_path / "q.db").consumer(1)


def test_a_job_without_a_runner_fails_loudly(tmp_path: Path) -> None:
    queue = sqlite_queue(tmp_path / "q.db", RetryPolicy(retries=0))
    with pytest.raises(RuntimeError, match="no job runner"):
        queue._execute(7)


def test_ping_raises_when_redis_is_unreachable() -> None:
    from services import free_port

    with pytest.raises(Exception, match="(?i)connect"):
        redis_queue(f"redis://127.0.0.1:{free_port()}/0").ping()


def test_an_hourly_task_is_registered_once(tmp_path: Path) -> None:
    queue = sqlite_queue(tmp_path / "q.db")
    queue.add_hourly("prune", lambda: None)
    queue.add_hourly("prune", lambda: None)
    names = [name for name in queue.huey._registry._registry if name.endswith("prune")]
    assert len(names) == 1


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def _run_scheduled(queue: JobQueue) -> None:
    far = _utcnow() + datetime.timedelta(days=1)
    for task in queue.huey.read_schedule(far):
        queue.huey.execute(task, timestamp=task.eta)
