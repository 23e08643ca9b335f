"""Wiring: Deps for the GitHub handlers, token and rate-limit metering, housekeeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from server_support import app_env

from reviewbot.llm.model import Completion
from reviewbot.models import Usage
from reviewbot.server.metrics import Metrics
from reviewbot.server.wiring import (
    MeteredHost,
    MeteredModel,
    build_deps,
    build_model,
    metered_hosts,
    open_services,
    prune_deliveries,
)
from reviewbot.settings import AppSettings


@pytest.fixture
def services(tmp_path: Path):
    opened = open_services(AppSettings.from_env(app_env(tmp_path)))
    yield opened
    opened.close()


class FakeModel:
    name = "fake-model"
    mode = "json_schema"

    def complete(self, messages: list[dict], schema: dict | None) -> Completion:
        return Completion("{}", "json_schema", Usage(calls=1, prompt_tokens=120, completion_tokens=30, cached_tokens=100))


class FakeHost:
    def __init__(self, remaining: int | None) -> None:
        self.remaining = remaining

    def app_slug(self) -> str:
        return "reviewbot"

    def rate_limit_remaining(self) -> int | None:
        return self.remaining


def sample(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def test_the_model_wrapper_counts_tokens_and_passes_everything_through() -> None:
    metrics = Metrics()
    model = MeteredModel(FakeModel(), metrics)
    assert model.complete([{"role": "user", "content": "hi"}], None).text == "{}"
    assert (model.name, model.mode) == ("fake-model", "json_schema")
    assert [sample(metrics, "reviewbot_llm_tokens_total", kind=k) for k in ("prompt", "completion", "cached")] == [
        120.0, 30.0, 100.0,
    ]


def test_hosts_report_the_rate_limit_left_after_each_call() -> None:
    metrics = Metrics()
    host_for = metered_hosts(lambda installation_id: FakeHost(4321), metrics)
    host = host_for(7)
    assert host.app_slug() == "reviewbot"
    assert sample(metrics, "reviewbot_github_rate_limit_remaining") == 4321


def test_a_host_without_a_known_rate_limit_leaves_the_gauge_alone() -> None:
    metrics = Metrics()
    metrics.rate_limit.set(50)
    MeteredHost(FakeHost(None), metrics).app_slug()
    assert MeteredHost(Path("/x"), metrics).as_posix() == "/x"  # a host without rate_limit_remaining works too
    assert sample(metrics, "reviewbot_github_rate_limit_remaining") == 50


def test_without_llm_settings_there_is_no_model(services) -> None:
    assert build_model(services.settings, services.metrics) is None


def test_with_llm_settings_the_model_is_metered(tmp_path: Path) -> None:
    settings = AppSettings.from_env(app_env(tmp_path, REVIEWBOT_MODEL="gpt-test", OPENAI_API_KEY="sk-test"))
    model = build_model(settings, Metrics())
    assert isinstance(model, MeteredModel) and model.name == "gpt-test"


def test_deps_for_the_github_handlers_share_the_store_and_meter_hosts(services) -> None:
    deps = build_deps(services)
    assert deps.review_config is services.settings.review and deps.history is services.store and deps.model is None
    assert isinstance(deps.host_for(99), MeteredHost)


def test_delivery_claims_older_than_a_week_are_pruned(services) -> None:
    services.store.claim_delivery("recent")
    later = datetime.now(UTC) + timedelta(days=8)
    assert prune_deliveries(services.store, now=lambda: later) == 1
    assert services.store.claim_delivery("recent") is True
