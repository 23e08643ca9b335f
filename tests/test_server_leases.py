"""The App under load and under failure, end to end: real `reviewbot serve` / `reviewbot worker`
processes, the fake GitHub over HTTP, and the embedded SQLite mode or Redis + PostgreSQL.

- a worker SIGKILLed mid-review leaves a lease that expires; the job runs again and the
  pull request gets exactly one review;
- a burst of pushes to one pull request is coalesced: one review of the latest head,
  whose summary says how many pushes it covers;
- a replayed delivery posts nothing.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from app_process import App, app_on_fake_github, opened, synchronize, wait_for

BURST = 1000


@pytest.fixture(params=["sqlite", "redis+postgresql"])
def backing(request: pytest.FixtureRequest) -> dict[str, str]:
    if request.param == "sqlite":
        return {}
    return {"REVIEWBOT_REDIS_URL": request.getfixturevalue("redis_url"),
            "REVIEWBOT_DATABASE_URL": request.getfixturevalue("postgres_url")}


def start_reviewing(app: App, backing: dict[str, str]):
    """The process that runs reviews: `serve` itself when embedded, else a separate `reviewbot worker`."""
    if not backing:
        return app.serve()
    app.serve()
    return app.worker()


def test_a_worker_killed_mid_review_leaves_a_lease_and_the_review_is_posted_once(tmp_path: Path, backing) -> None:
    with app_on_fake_github(tmp_path, backing) as app:
        held = app.github.hold("GET", r"/pulls/2/files")  # the review is in flight while this call waits
        worker = start_reviewing(app, backing)
        assert app.deliver(opened(app.pull.head), delivery_id="kill-1").status_code == 202
        assert held.reached.wait(30), app.logs()
        worker.kill()  # SIGKILL mid-review: no shutdown hook, no acknowledgement
        worker.wait(10)
        held.released.set()
        assert app.posts() == []
        start_reviewing(app, backing)  # a restarted (or another) worker
        wait_for(lambda: len(app.posts()) >= 1 and job_rows(app) == 0, timeout=60)
        assert len(app.posts()) == 1 and len(app.reviews()) == 1
        assert app.reviews()[0]["commit_id"] == app.pull.head


def test_a_burst_of_pushes_to_one_pull_request_is_coalesced_into_one_review_of_the_latest(tmp_path: Path) -> None:
    with app_on_fake_github(tmp_path, REVIEWBOT_JOB_LEASE="60") as app:  # no lease runs out on a busy machine
        held = app.github.hold("GET", r"/repos/[^/]+/[^/]+/pulls/2$")  # the first job stays in flight
        app.serve()
        heads = [hashlib.sha1(str(n).encode()).hexdigest() for n in range(BURST - 1)] + [app.pull.head]
        first = app.deliver(synchronize(heads[0]), delivery_id="push-0")
        assert first.status_code == 202 and held.reached.wait(30)
        with httpx.Client() as client, ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda n: app.deliver(synchronize(heads[n]), delivery_id=f"push-{n}", client=client),
                                    range(1, BURST)))
        assert {answer.status_code for answer in answers} == {202}
        outcomes = [answer.json()["outcome"] for answer in answers]
        assert outcomes.count("queued") == 1 and outcomes.count("coalesced") == BURST - 2
        held.released.set()
        try:
            wait_for(lambda: len(app.posts()) == 1 and job_rows(app) == 0, timeout=60)
        except AssertionError:
            raise AssertionError(f"posts={len(app.posts())} jobs={job_rows(app)}\n" + app.logs()[-6000:]) from None
        starts = app.github.calls("GET", r"/repos/[^/]+/[^/]+/pulls/2$")
        assert len(starts) == 2  # the job in flight (stale, skipped) and the latest; not a thousand
        [review] = app.reviews()
        assert review["commit_id"] == app.pull.head
        assert f"This review covers the {BURST - 1} pushes since the last review" in review["body"]


def test_a_replayed_delivery_posts_nothing(tmp_path: Path) -> None:
    with app_on_fake_github(tmp_path) as app:
        app.serve()
        assert app.deliver(opened(app.pull.head), delivery_id="once").status_code == 202
        wait_for(lambda: len(app.posts()) == 1 and job_rows(app) == 0)
        again = app.deliver(opened(app.pull.head), delivery_id="once")
        assert (again.status_code, again.json()["outcome"]) == (200, "duplicate")
        assert len(app.posts()) == 1 and job_rows(app) == 0


def job_rows(app: App) -> int:
    from reviewbot.settings import AppSettings
    from reviewbot.store import open_store
    from reviewbot.store.jobs import JobStore

    store = open_store(AppSettings.from_env(app.env).store_url, migrate=False)
    try:
        return len(JobStore(store.engine).waiting())
    finally:
        store.close()
