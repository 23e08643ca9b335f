"""The scale mode over HTTP: Redis queue and PostgreSQL store, both real servers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from server_support import FakeRoutes, app_env, settled, signed
from sqlalchemy import create_engine, text
from webhook_examples import all_examples, example

from reviewbot.server.wiring import build_app, open_services, prepare_worker
from reviewbot.settings import AppSettings

WEBHOOKS = "/api/github/webhooks"


@pytest.fixture
def settings(tmp_path: Path, redis_url: str, postgres_url: str) -> AppSettings:
    return AppSettings.from_env(app_env(tmp_path, REVIEWBOT_REDIS_URL=redis_url, REVIEWBOT_DATABASE_URL=postgres_url))


def post(client: TestClient, payload: dict, event: str, delivery_id: str | None = None) -> int:
    headers, body = signed(payload, event, delivery_id)
    return client.post(WEBHOOKS, content=body, headers=headers).status_code


def test_replicas_on_shared_redis_and_postgresql_queue_each_delivery_once(settings: AppSettings) -> None:
    replicas = [open_services(settings) for _ in range(3)]
    clients = [TestClient(build_app(services, FakeRoutes().routes())) for services in replicas]
    payload = example("pull_request", "opened")
    statuses = [post(client, {**payload, "n": n % 4}, "pull_request", f"d-{n % 4}") for n, client in enumerate(clients * 4)]
    assert sorted(statuses) == [200] * 8 + [202] * 4
    for client in clients:
        settled(client)
    assert replicas[0].queue.pending_count() == 4
    assert sorted(job.delivery_id for job in replicas[1].jobs.waiting()) == ["d-0", "d-1", "d-2", "d-3"]


def test_every_github_example_is_answered_2xx_in_scale_mode(settings: AppSettings) -> None:
    services = open_services(settings)
    with TestClient(build_app(services, FakeRoutes(handled_events=None).routes())) as client:
        statuses = [post(client, payload, event) for event, payload in all_examples()]
    assert statuses == expected_statuses(all_examples()) and services.queue.pending_count() == statuses.count(202)


def test_the_scale_mode_intake_records_from_the_event_loop_and_closes_its_connection_on_stop(
        settings: AppSettings) -> None:
    services = open_services(settings)
    app = build_app(services, FakeRoutes().routes())
    assert app.webhook is not None and app.webhook.intake.loop_writer is not None
    with TestClient(app) as client:
        statuses = [post(client, {**example("pull_request"), "n": n}, "pull_request", f"d-{n}") for n in range(3)]
        during = intake_connections(services)
    assert statuses == [202] * 3 and services.queue.pending_count() == 3
    assert during == 1 and until_closed(services)  # the loop's own connection, closed on shutdown


def until_closed(services, seconds: float = 10.0) -> bool:
    """The server's backend leaves pg_stat_activity a moment after the client closed the connection."""
    import time

    deadline = time.monotonic() + seconds
    while intake_connections(services):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_when_postgresql_refuses_the_intake_answers_503_and_recovers_when_it_is_back(settings: AppSettings) -> None:
    services = open_services(settings)
    with TestClient(build_app(services, FakeRoutes().routes())) as client:
        assert post(client, example("pull_request"), "pull_request", "d-1") == 202  # the loop's connection is open
        name = services.store.engine.url.database
        admin = create_engine(services.store.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:  # from another database: it lets connections in again afterwards
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            refused = post(client, {**example("pull_request"), "n": 2}, "pull_request", "d-2")
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
        assert refused == 503  # a dead connection, and no new one: GitHub can redeliver
        assert post(client, {**example("pull_request"), "n": 3}, "pull_request", "d-3") == 202


def intake_connections(services) -> int:
    """Connections to this test's database that are not in the store's pool: the intake loop's own."""
    with services.store.engine.connect() as conn:
        return conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state IS NOT NULL AND query LIKE '%json_to_recordset%'")).scalar_one()


def expected_statuses(examples: list[tuple[str, dict]]) -> list[int]:
    """202 for each example, except 200 for one whose body repeats an earlier one (a replay)."""
    seen: set[str] = set()
    answers = []
    for _, payload in examples:
        body = json.dumps(payload)
        answers.append(200 if body in seen else 202)
        seen.add(body)
    return answers


def test_a_worker_elsewhere_runs_what_the_server_queued(settings: AppSettings) -> None:
    server, worker, routes = open_services(settings), open_services(settings), FakeRoutes()
    with TestClient(build_app(server, FakeRoutes().routes())) as client:
        assert post(client, example("pull_request"), "pull_request", "x-1") == 202
        settled(client)
        prepare_worker(worker, routes.routes(), deps="deps")
        assert worker.queue.run_pending() == 1
        text = client.get("/metrics").text
    assert [job.delivery_id for job in routes.handled] == ["x-1"]
    assert 'reviewbot_queue_depth{state="ready"} 0.0' in text


def test_readyz_checks_postgresql_and_redis(settings: AppSettings) -> None:
    with TestClient(build_app(open_services(settings), FakeRoutes().routes())) as client:
        assert client.get("/readyz").json() == {"status": "ok", "down": []}


def test_start_up_names_an_unreachable_redis(tmp_path: Path, postgres_url: str) -> None:
    from services import free_port

    from reviewbot.server.wiring import StartupError

    env = app_env(tmp_path, REVIEWBOT_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", REVIEWBOT_DATABASE_URL=postgres_url)
    with pytest.raises(StartupError, match="REVIEWBOT_REDIS_URL"):
        open_services(AppSettings.from_env(env))


def test_start_up_names_an_unreachable_postgresql(tmp_path: Path) -> None:
    from services import free_port

    from reviewbot.server.wiring import StartupError

    url = f"postgresql://nobody@127.0.0.1:{free_port()}/x?connect_timeout=2"
    with pytest.raises(StartupError, match="REVIEWBOT_DATABASE_URL"):
        open_services(AppSettings.from_env(app_env(tmp_path, REVIEWBOT_DATABASE_URL=url)))
