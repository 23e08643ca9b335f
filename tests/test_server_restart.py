"""Durability: a delivery answered 202 is reviewed even if the server is SIGKILLed right after.

The server is a real uvicorn process; it is killed before any worker runs, then
a worker started afterwards finds the job. Run for the embedded SQLite mode and
for Redis + PostgreSQL, where workers are separate processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from server_support import FakeRoutes, app_env, signed
from services import free_port
from webhook_examples import example

from reviewbot.jobs import Job
from reviewbot.server.wiring import open_services, prepare_worker
from reviewbot.settings import AppSettings

HERE = Path(__file__).parent


@pytest.fixture(params=["sqlite", "redis+postgresql"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    if request.param == "sqlite":
        return app_env(tmp_path)
    return app_env(
        tmp_path,
        REVIEWBOT_REDIS_URL=request.getfixturevalue("redis_url"),
        REVIEWBOT_DATABASE_URL=request.getfixturevalue("postgres_url"),
    )


def start(mode: str, argument: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(HERE / "server_process.py"), mode, argument],
        env={**os.environ, **env, "PYTHONPATH": str(HERE)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("the server did not start")


def deliver_then_kill(env: dict[str, str], delivery_ids: list[str]) -> None:
    port = free_port()
    server = start("serve", str(port), env)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", server)
        for delivery_id in delivery_ids:
            payload = {**example("pull_request", "opened"), "n": delivery_id}  # each delivery its own body
            headers, body = signed(payload, "pull_request", delivery_id)
            response = httpx.post(f"http://127.0.0.1:{port}/api/github/webhooks", content=body, headers=headers)
            assert response.status_code == 202
    finally:
        server.kill()  # SIGKILL: no shutdown hook, no flush
        server.wait(10)
        server.stderr.close()


def test_a_job_accepted_before_a_sigkill_is_run_by_a_worker_started_afterwards(env: dict[str, str]) -> None:
    deliver_then_kill(env, ["k-1", "k-2"])
    services = open_services(AppSettings.from_env(env))
    routes = FakeRoutes()
    prepare_worker(services, routes.routes(), deps="deps")
    assert services.queue.run_pending() == 2
    assert sorted(job.delivery_id for job in routes.handled) == ["k-1", "k-2"]
    assert services.store.claim_delivery("k-1") is False  # still deduplicated after the restart
    services.close()


def test_separate_worker_processes_share_the_jobs(env: dict[str, str], tmp_path: Path) -> None:
    record = tmp_path / "reviewed.txt"
    deliver_then_kill(env, [f"w-{n}" for n in range(6)])
    workers = [start("worker", str(record), env) for _ in range(2)]
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(_lines(record)) < 6:
            time.sleep(0.05)
    finally:
        for worker in workers:
            worker.terminate()  # SIGTERM: graceful stop
            worker.wait(20)
            worker.stderr.close()
    assert sorted(_lines(record)) == [f"w-{n}" for n in range(6)]


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_a_job_recorded_without_its_queue_message_is_sent_when_a_worker_starts(env: dict[str, str]) -> None:
    """The intake answers once the job is recorded and writes the queue message right after: a process
    killed in between leaves a job without a message, which the next worker to start sends."""
    services = open_services(AppSettings.from_env(env))
    with_message = services.jobs.accept(Job("m-1", "pull_request", "opened", example("pull_request", "opened")))
    services.queue.enqueue(with_message.job_id)
    without = services.jobs.accept(Job("m-2", "issue_comment", "created", example("issue_comment", "created")))
    routes = FakeRoutes()
    prepare_worker(services, routes.routes(), deps="deps")
    assert sorted(services.queue.pending_ids()) == sorted([with_message.job_id, without.job_id])  # each once
    assert services.queue.run_pending() == 2
    assert sorted(job.delivery_id for job in routes.handled) == ["m-1", "m-2"]
    services.close()
