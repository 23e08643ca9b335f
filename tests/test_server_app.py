"""The webhook server over HTTP (FastAPI TestClient) on the embedded SQLite store and queue."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from server_support import FakeRoutes, app_env, settled, signed
from test_server_scale import expected_statuses
from webhook_examples import all_examples, example

from reviewbot.server.wiring import build_app, open_services
from reviewbot.settings import AppSettings
from reviewbot.webhooks import MAX_BODY_BYTES

WEBHOOKS = "/api/github/webhooks"


@pytest.fixture
def services(tmp_path: Path):
    opened = open_services(AppSettings.from_env(app_env(tmp_path)))
    yield opened
    opened.close()


@pytest.fixture
def routes() -> FakeRoutes:
    return FakeRoutes()


@pytest.fixture
def client(services, routes: FakeRoutes):
    with TestClient(build_app(services, routes.routes())) as test_client:
        yield test_client


def post(client: TestClient, payload, event: str, delivery_id: str | None = None):
    headers, body = signed(payload, event, delivery_id)
    return client.post(WEBHOOKS, content=body, headers=headers)


def test_a_handled_delivery_is_queued_and_answered_202(client: TestClient, services, routes: FakeRoutes) -> None:
    payload = example("pull_request", "opened")
    response = post(client, payload, "pull_request", "d-1")
    assert (response.status_code, response.json()["outcome"]) == (202, "queued")
    [job] = services.jobs.waiting()
    assert (job.delivery_id, job.event, job.action, job.payload) == ("d-1", "pull_request", "opened", payload)
    assert routes.handled == []  # no review inside the request


def test_an_unhandled_event_is_2xx_and_queues_nothing(client: TestClient, services) -> None:
    response = post(client, example("star"), "star")
    assert (response.status_code, response.json()["outcome"]) == (200, "ignored")
    settled(client)
    assert services.queue.pending_count() == 0


def test_a_redelivery_is_answered_but_queued_once(client: TestClient, services) -> None:
    payload = example("pull_request", "synchronize")
    first, again = post(client, payload, "pull_request", "same"), post(client, payload, "pull_request", "same")
    assert (first.status_code, again.status_code, again.json()["outcome"]) == (202, 200, "duplicate")
    settled(client)
    assert services.queue.pending_count() == 1


def test_two_replicas_sharing_the_store_queue_a_delivery_once(tmp_path: Path, client: TestClient, services) -> None:
    other = open_services(AppSettings.from_env(app_env(tmp_path)))  # same data dir: same store and queue
    with TestClient(build_app(other, FakeRoutes().routes())) as replica:
        statuses = sorted(post(c, example("pull_request"), "pull_request", "d-9").status_code for c in (client, replica))
    settled(client)
    assert statuses == [200, 202] and services.queue.pending_count() == 1


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"X-Hub-Signature-256": None}, 401),
        ({"X-Hub-Signature-256": "sha256=" + "f" * 64}, 401),
        ({"X-GitHub-Event": None}, 400),
        ({"X-GitHub-Delivery": None}, 400),
    ],
)
def test_bad_headers_are_refused_and_queue_nothing(client: TestClient, services, change: dict, status: int) -> None:
    headers, body = signed(example("pull_request"), "pull_request")
    for name, value in change.items():
        headers.pop(name)
        if value is not None:
            headers[name] = value
    response = client.post(WEBHOOKS, content=body, headers=headers)
    settled(client)
    assert response.status_code == status and services.queue.pending_count() == 0


def test_malformed_json_is_400(client: TestClient) -> None:
    headers, body = signed(b'{"action": "opened",', "pull_request")
    assert client.post(WEBHOOKS, content=body, headers=headers).status_code == 400


def test_a_body_over_25_mb_is_413(client: TestClient) -> None:
    body = b"x" * (MAX_BODY_BYTES + 1)
    headers, _ = signed(body, "push")
    assert client.post(WEBHOOKS, content=body, headers=headers).status_code == 413


def test_a_streamed_body_without_a_length_is_411_before_it_is_read(client: TestClient) -> None:
    chunk = b"x" * (1024 * 1024)

    def chunks():
        for _ in range(26):
            yield chunk

    response = client.post(WEBHOOKS, content=chunks(), headers={"X-GitHub-Event": "push"})
    assert (response.status_code, response.json()["outcome"]) == (411, "no_length")


@pytest.mark.parametrize("handled", [None, frozenset()], ids=["app-handles-every-event", "app-handles-none"])
def test_every_github_example_delivery_is_answered_2xx(tmp_path: Path, handled: frozenset | None) -> None:
    services = open_services(AppSettings.from_env(app_env(tmp_path)))
    routes = FakeRoutes(handled_events=handled)
    examples = all_examples()
    with TestClient(build_app(services, routes.routes())) as client:
        answers = [post(client, payload, event).status_code for event, payload in examples]
    assert answers == (expected_statuses(examples) if handled is None else [200] * len(examples))
    assert services.queue.pending_count() == (answers.count(202) if handled is None else 0)


def test_every_github_example_with_a_bad_signature_is_401(client: TestClient) -> None:
    for event, payload in all_examples():
        headers, body = signed(payload, event, secret="wrong")
        assert client.post(WEBHOOKS, content=body, headers=headers).status_code == 401, event


def test_when_the_queue_fails_the_job_is_kept_and_the_lease_keeper_sends_it(client: TestClient, services) -> None:
    services.queue.huey.storage.filename = "/nonexistent/dir/queue.db"
    services.queue.huey.storage.close()
    response = post(client, example("pull_request"), "pull_request", "d-5")
    assert response.status_code == 202 and response.json()["outcome"] == "queued"
    assert services.store.claim_delivery("d-5") is False  # a redelivery is a duplicate: the job is kept
    [kept] = services.jobs.waiting()
    assert kept.delivery_id == "d-5"
    # The queue is written after the answer: wait for that step, which marks the job for the next tick.
    deadline = time.monotonic() + 10
    while not (reaped := services.jobs.reap()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert reaped == [services.jobs.queued_ids()[0]]  # sent at the next tick, not after its grace period


def test_when_the_store_fails_the_answer_is_503(client: TestClient, services, tmp_path: Path) -> None:
    (tmp_path / "reviewbot.db").unlink()
    (tmp_path / "reviewbot.db-wal").unlink(missing_ok=True)
    services.store.engine.dispose()
    (tmp_path / "reviewbot.db").mkdir()  # the database file is now a directory: unusable
    assert post(client, example("pull_request"), "pull_request").status_code == 503


def test_a_routing_bug_is_500_and_queues_nothing(services) -> None:
    routes = FakeRoutes()
    routes.is_handled = lambda event, payload: payload["no such key"]  # type: ignore[method-assign]
    with TestClient(build_app(services, routes.routes())) as client:
        response = post(client, example("pull_request"), "pull_request")
    assert response.status_code == 500 and services.queue.pending_count() == 0


def test_healthz_and_readyz_answer_ok(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok", "down": []}


def test_readyz_is_503_naming_the_part_that_is_down(services, routes: FakeRoutes) -> None:
    from services import free_port

    from reviewbot.taskqueue import redis_queue

    down = dataclasses.replace(services, queue=redis_queue(f"redis://127.0.0.1:{free_port()}"))
    with TestClient(build_app(down, routes.routes())) as client:
        response = client.get("/readyz")
    assert (response.status_code, response.json()) == (503, {"status": "unavailable", "down": ["queue"]})


def test_metrics_count_deliveries_by_event_and_outcome_and_show_queue_depth(client: TestClient) -> None:
    post(client, example("pull_request"), "pull_request", "m-1")
    post(client, example("pull_request"), "pull_request", "m-1")
    post(client, example("star"), "star")
    headers, body = signed(example("push"), "push", secret="wrong")
    client.post(WEBHOOKS, content=body, headers=headers)
    text = client.get("/metrics").text
    for line in (
        'reviewbot_webhook_deliveries_total{event="pull_request",outcome="queued"} 1.0',
        'reviewbot_webhook_deliveries_total{event="pull_request",outcome="duplicate"} 1.0',
        'reviewbot_webhook_deliveries_total{event="star",outcome="ignored"} 1.0',
        'reviewbot_webhook_deliveries_total{event="unverified",outcome="bad_signature"} 1.0',
        'reviewbot_queue_depth{state="ready"} 1.0',
        "reviewbot_intake_batch_size_count 2.0",  # the two signed pull_request deliveries, one at a time
        "# TYPE reviewbot_intake_batch_seconds histogram",
        "# TYPE reviewbot_review_duration_seconds histogram",
        "# TYPE reviewbot_llm_tokens_total counter",
        "# TYPE reviewbot_github_rate_limit_remaining gauge",
    ):
        assert line in text


def test_with_job_threads_the_server_reviews_what_it_queued(services, routes: FakeRoutes) -> None:
    app = build_app(services, routes.routes(), jobs=1, deps="the deps")
    with TestClient(app) as client:
        assert post(client, example("pull_request"), "pull_request", "j-1").status_code == 202
        assert routes.done.wait(10)
    assert [job.delivery_id for job in routes.handled] == ["j-1"]


def test_the_webhook_path_takes_only_post(client: TestClient, services) -> None:
    response = client.get(WEBHOOKS)
    assert (response.status_code, response.headers["allow"]) == (405, "POST")
    settled(client)
    assert services.queue.pending_count() == 0 and client.get("/healthz").status_code == 200


def test_a_body_sent_in_pieces_is_read_whole(client: TestClient, services) -> None:
    headers, body = signed(example("pull_request"), "pull_request", "chunked-1")
    pieces = (body[at:at + 1000] for at in range(0, len(body), 1000))
    response = client.post(WEBHOOKS, content=pieces, headers={**headers, "content-length": str(len(body))})
    settled(client)
    assert response.status_code == 202 and services.queue.pending_count() == 1


def test_answers_are_json(client: TestClient) -> None:
    response = post(client, example("star"), "star")
    assert response.headers["content-type"] == "application/json"
    assert json.loads(response.content)["detail"].startswith("star")


def test_with_the_apps_own_routing_every_github_example_is_2xx(tmp_path: Path) -> None:
    """The real is_handled decides; whatever it decides, no example delivery gets a 5xx or a 4xx."""
    from reviewbot.server.wiring import Routes, github_routes

    services = open_services(AppSettings.from_env(app_env(tmp_path)))
    real = github_routes()
    routes = Routes(real.is_handled, FakeRoutes().handle, FakeRoutes().report_failure)
    with TestClient(build_app(services, routes)) as client:
        outcomes = [post(client, payload, event) for event, payload in all_examples()]
    assert {response.status_code for response in outcomes} <= {200, 202}
    queued = sum(response.status_code == 202 for response in outcomes)
    assert 0 < queued == services.queue.pending_count()
